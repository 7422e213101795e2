"""A notebooks instance as the current API shows it: every field of the official SDK's ``NotebookResp``.

The values are those of a CPU instance in a dedicated pool with VPC access, so that the
blocks the API fills only in some configurations (``pool``, ``affinity``, ``user_vpc``,
``custom_spec``) are there too. A string with nothing to say is empty: ``fail_reason``
of an instance that has not failed, the storage fields that apply to other categories.

Secrets: ``token`` (the model's), and a ``credential`` block in each of ``data_volumes``
and ``endpoints``, which no model has: they stand for the secrets ModelArts may add
under names nobody can guess (``jupyter_devenv/modelarts/redact.py``), so that what is
redacted includes secrets nested in blocks.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping

from .fake_secrets import notebook_token, obs_credential, repository_credential

FEATURE = "NOTEBOOK"  # a billed instance (DEFAULT: the free CodeLab one)
FLAVOR = "modelarts.vm.cpu.2u"
FAILED = ("CREATE_FAILED", "START_FAILED", "DELETE_FAILED", "ERROR")
FAIL_REASON = "The dedicated pool pool-emulator has no free resources for this flavor."
NODE_IP = "192.168.0.54"
USER_ID = "15dda26361214ca2a5953917d2f48ffb"
IMAGE_TIME = 1_650_441_600_000  # when the built-in image was published (ms)
_STEPS = ("prepare storage", "prepare compute resources", "configure network", "initialize the instance")


def _image() -> Dict[str, Any]:
    return {
        "arch": "X86_64",
        "create_at": IMAGE_TIME,
        "description": "CPU and GPU algorithm development and training with PyTorch 1.8",
        "dev_services": ["NOTEBOOK", "SSH"],
        "id": "e1a07296-22a8-4f05-8bc8-e936c8e54202",
        "name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04",
        "namespace": "atelier",
        "origin": "",  # CUSTOMIZE or IMAGE_SAVE: a user's image; this one is built in
        "resource_categories": ["CPU", "GPU"],
        "service_type": "COMMON",
        "size": 9_834_291,
        "status": "ACTIVE",
        "status_message": "",
        "support_res_categories": ["CPU", "GPU"],
        "swr_path": "swr.cn-north-4.myhuaweicloud.com/atelier/pytorch_1_8:pytorch_1.8.0-cuda_10.2-py_3.7",
        "tag": "pytorch_1.8.0-cuda_10.2-py_3.7",
        "type": "BUILD_IN",
        "update_at": IMAGE_TIME,
        "visibility": "PUBLIC",
        "workspace_id": "0",
        "flavor_type": "",  # an Ascend chip type; this image is for CPU and GPU
        "swr_instance_id": "",  # the shared SWR, not a dedicated SWR instance
        "show_name": "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04",
        "show_tag": "1.8.0",
        "tags": [],
    }


def _affinity_rule() -> Dict[str, Any]:
    return {"key": "os.modelarts.node/cpu.arch", "operator": "In", "values": ["x86_64"], "weight": 100}


def new_object(
    instance_id: str, status: str, lease: Mapping[str, Any], name: str, description: str
) -> Dict[str, Any]:
    return {
        "action_progress": [
            {"status": "COMPLETED", "step": n, "description": text} for n, text in enumerate(_STEPS, 1)
        ],
        "description": description,
        "endpoints": [
            {
                "dev_service": "SSH",
                "service": "SSH",
                "uri": "dev-modelarts.cn-north-4.huaweicloud.com:31205",
                "key_pair_names": ["KeyPair-emulator"],
                "credential": repository_credential(instance_id),
            }
        ],
        "fail_reason": FAIL_REASON if status in FAILED else "",
        "flavor": FLAVOR,
        "custom_spec": {
            "gpu": 0.0,
            "gpu_type": "",
            "cpu": 2.0,
            "memory": 8192.0,
            "arch": "X86_64",
            "category": "CPU",
            "resource_flavor": "modelarts.vm.cpu.8u",
        },
        "id": instance_id,
        "image": _image(),
        "lease": dict(lease),
        "name": name,
        "pool": {"id": "pool-6f2a0c4e", "name": "pool-emulator"},
        "status": status,
        "token": notebook_token(instance_id),
        "url": f"https://authoring-modelarts-cnnorth4.huaweicloud.com/{instance_id}/lab",
        "volume": {
            "capacity": 5,
            "category": "EVS",
            "mount_path": "/home/ma-user/work/",
            "ownership": "MANAGED",
            "status": "",  # RESIZING while the disk grows
            "id": "",  # an extended storage's id; this is the instance's own disk
            "read_only": False,
            "dew_secret_name": "",  # for OBS storage mounted with the user's AK/SK
            "evs_sku_code": "",  # when the flavor includes the disk
            "uri": "",  # for EFS, OBS and OBSFS
            "mount_type": "STATIC",
        },
        "workspace_id": "0",
        "feature": FEATURE,
        "billing_items": ["COMPUTE", "STORAGE"],
        "user": {
            "id": USER_ID,
            "name": "ops_dev_env",
            "domain": {"id": "d78cbac186b744899480f25bd022f468", "name": "ops_dev_env"},
        },
        "affinity": {
            "required_during_scheduling_ignored_during_execution": [_affinity_rule()],
            "preferred_during_scheduling_ignored_during_execution": [_affinity_rule()],
        },
        "run_user": {"uid": 1000, "gid": 100, "user_name": "ma-user", "group_name": "ma-group"},
        "data_volumes": [
            {
                "category": "OBS",
                "mount_path": "/data/obs",
                "url": "obs://emulator-bucket/data/",
                "status": "MOUNTED",
                "mount_type": "DYNAMIC",
                "credential": obs_credential(instance_id),
            }
        ],
        "ip": NODE_IP,
        "user_vpc": {
            "vpc_id": "0c4fa7d2-8e3b-4f1a-9d6c-5b2e7a1f3c80",
            "subnet_id": "7e1b9c3d-2a4f-4e6b-8c0d-1f5a3b7e9d24",
            "security_group_ids": ["a4d2f6b8-1c3e-4a5b-9f7d-2e6c8a0b4d13"],
            "connect_cidrs": "192.168.0.0/16",
            "port_id": ["5b8e2d4f-6a1c-4b3e-8d9f-0a2c4e6b8d57"],
            "port_ip": NODE_IP,
            "nat_id": "9f3c1e5a-7b2d-4c8e-a6f0-3d5b7e9c1a62",
            "eip_id": "2d6a8c0e-4f1b-4d3a-b5c7-9e1f3a5c7b84",
        },
        "user_id": USER_ID,
        "is_need_credentials": True,
        "jupyter_version": "3.6.3",
        "tags": [{"key": "owner", "value": "ops_dev_env"}],
    }
