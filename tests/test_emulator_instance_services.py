"""The emulator plays what a real ModelArts notebook instance needs, over real HTTP on loopback.

The metadata service's temporary credentials and their expiry, IAM project listing,
ListNotebooks and the demanager list, and the ``deny`` switches (403 for a missing IAM
permission). Calls are signed by the product's own signer (``AkSkAuth``).
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any, Dict, Optional

import httpx
import pytest

from jupyter_devenv.emulator import Emulator, EmulatorThread
from jupyter_devenv.emulator.app import (
    ACCESS_KEY,
    DOMAIN_ID,
    PROJECT_ID,
    REGION,
    SECRET_KEY,
    SECURITY_TOKEN,
    STATIC_TOKEN,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
)
from jupyter_devenv.emulator.fake_secrets import MARKER
from jupyter_devenv.emulator.store import (
    DEMANAGER_RUNNING_ID,
    DEMANAGER_STOPPED_ID,
    NOTEBOOK_IDLE_ID,
    NOTEBOOK_RUNNING_ID,
    NOTEBOOK_STOPPED_ID,
)
from jupyter_devenv.modelarts.auth import AkSkAuth

TOKEN_PATH = "/meta-data/latest/api/token"
KEY_PATH = "/openstack/latest/securitykey"
DE = f"/v1/{PROJECT_ID}/demanager/instances"
NB = f"/v1/{PROJECT_ID}/notebooks"


class Emu:
    """Signed calls (AkSkAuth, permanent keys unless told) and the control API of one emulator."""

    def __init__(self, running: EmulatorThread) -> None:
        self.url = running.url
        self.emulator = running.emulator
        self.http = httpx.Client(base_url=self.url, timeout=10)
        self.signed = self.client(ACCESS_KEY, SECRET_KEY)

    def client(self, ak: str, sk: str, security_token: str = "") -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10, auth=AkSkAuth(ak, sk, PROJECT_ID, security_token))

    def with_credential(self, credential: Dict[str, str]) -> httpx.Client:
        return self.client(credential["access"], credential["secret"], credential["securitytoken"])

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, "/_emulator" + path, json=body)
        assert response.status_code < 300, response.text
        return response.json()

    def advance(self, seconds: float) -> int:
        return self.control("POST", "/clock", {"advance": seconds})["now"]

    def securitykey(self, token: Optional[str] = None) -> httpx.Response:
        return self.http.get(KEY_PATH, headers={"X-Metadata-Token": token} if token is not None else {})

    def credential(self) -> Dict[str, str]:
        response = self.securitykey()
        assert response.status_code == 200, response.text
        return response.json()["credential"]

    def close(self) -> None:
        self.signed.close()
        self.http.close()


@pytest.fixture
def emu(emulator):
    client = Emu(emulator)
    yield client
    client.close()


def error(response: httpx.Response, status: int, code: str) -> Dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    return body


def state(emu: Emu) -> Dict[str, Any]:
    """Every stored instance, without ``remain_time`` (it counts down with the clock)."""
    instances = emu.emulator.instances()
    for inst in instances["demanager"]:
        inst["spec"]["auto_stop"].pop("remain_time")
    return instances


def epoch_ms(iso: str) -> int:
    when = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return round(when.timestamp() * 1000)


# --- metadata service -----------------------------------------------------------------------


def test_metadata_token_then_securitykey_gives_fresh_marked_temporary_credentials(emu):
    put = emu.http.put(TOKEN_PATH, headers={"X-Metadata-Token-Ttl-Seconds": "21600"})
    assert put.status_code == 200, put.text
    assert put.headers["Content-Type"].startswith("text/plain")
    token = put.text
    assert token and "\n" not in token
    now = emu.control("GET", "/clock")["now"]
    response = emu.securitykey(token)
    assert response.status_code == 200, response.text
    credential = response.json()["credential"]
    assert set(credential) == {"access", "secret", "securitytoken", "expires_at"}
    assert all(MARKER in credential[k] for k in ("access", "secret", "securitytoken"))
    assert len(credential["access"]) == 20 and len(credential["secret"]) == 40
    assert abs(epoch_ms(credential["expires_at"]) - (now + 2 * 3600 * 1000)) < 5000
    other = emu.credential()  # the token step is optional
    assert other["access"] != credential["access"] and other["securitytoken"] != credential["securitytoken"]
    assert emu.control("GET", "/credentials") == {"lifetime": 7200, "issued": 2, "metadata_tokens": 1}
    requests = emu.control("GET", "/stats")["requests"]
    assert requests[f"GET {KEY_PATH}"] == 2 and requests[f"PUT {TOKEN_PATH}"] == 1


def test_a_metadata_token_sent_must_be_valid_and_unexpired(emu):
    assert emu.securitykey("not-a-token").status_code == 401
    token = emu.http.put(TOKEN_PATH, headers={"X-Metadata-Token-Ttl-Seconds": "60"}).text
    assert emu.securitykey(token).status_code == 200
    emu.advance(61)
    expired = emu.securitykey(token)
    assert expired.status_code == 401 and expired.headers["Content-Type"].startswith("text/plain")
    assert emu.securitykey().status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Metadata-Token-Ttl-Seconds": "0"},
        {"X-Metadata-Token-Ttl-Seconds": "21601"},
        {"X-Metadata-Token-Ttl-Seconds": "1h"},
    ],
)
def test_metadata_token_needs_a_ttl_of_1_to_21600_seconds(emu, headers):
    assert emu.http.put(TOKEN_PATH, headers=headers).status_code == 400
    assert emu.control("GET", "/credentials")["metadata_tokens"] == 0


def test_the_metadata_service_is_never_faulted(emu):
    emu.control("POST", "/faults", {"unavailable": 1})
    assert emu.securitykey().status_code == 200
    error(emu.signed.get(f"{DE}/{DEMANAGER_RUNNING_ID}"), 503, "APIGW.0203")  # the fault was kept for it


# --- temporary credentials ------------------------------------------------------------------


def test_issued_credentials_sign_calls_until_they_expire_then_fresh_ones_work(emu):
    credential = emu.credential()
    with emu.with_credential(credential) as client:
        assert client.get(f"{NB}/{NOTEBOOK_RUNNING_ID}").status_code == 200
        emu.advance(7200 - 30)
        assert client.get(f"{NB}/{NOTEBOOK_RUNNING_ID}").status_code == 200
        emu.advance(31)
        body = error(client.get(f"{NB}/{NOTEBOOK_RUNNING_ID}"), 401, "APIGW.0307")
        assert body["error_msg"] == "The token must be updated."
    with emu.with_credential(emu.credential()) as fresh:
        assert fresh.get(f"{NB}/{NOTEBOOK_RUNNING_ID}").status_code == 200
    with emu.client(TEMP_ACCESS_KEY, TEMP_SECRET_KEY, SECURITY_TOKEN) as fixed:  # never expires
        assert fixed.get(f"{NB}/{NOTEBOOK_RUNNING_ID}").status_code == 200


def test_issued_credentials_still_need_their_own_security_token(emu):
    credential = emu.credential()
    with emu.client(credential["access"], credential["secret"]) as bare:
        error(bare.get(f"{NB}/{NOTEBOOK_RUNNING_ID}"), 401, "APIGW.0301")
    with emu.client(credential["access"], credential["secret"], emu.credential()["securitytoken"]) as mixed:
        error(mixed.get(f"{NB}/{NOTEBOOK_RUNNING_ID}"), 401, "APIGW.0301")


def test_the_lifetime_setting_applies_to_credentials_issued_after_it(emu):
    before = emu.credential()
    assert emu.control("POST", "/credentials", {"lifetime": 600})["lifetime"] == 600
    after = emu.credential()
    assert epoch_ms(before["expires_at"]) - epoch_ms(after["expires_at"]) > 6000 * 1000
    emu.advance(601)
    with emu.with_credential(after) as short, emu.with_credential(before) as long:
        error(short.get(DE), 401, "APIGW.0307")
        assert long.get(DE).status_code == 200
    for bad in ({"lifetime": 0}, {"lifetime": "1h"}, {"lifetime": True}, {"other": 1}, [600]):
        assert emu.http.post("/_emulator/credentials", json=bad).status_code == 400


def test_lifetime_is_an_emulator_argument():
    emulator = Emulator(credentials_lifetime=90)
    expires = epoch_ms(emulator.issue_credentials()["expires_at"])
    assert abs(expires - (emulator.clock.now_ms() + 90_000)) < 5000
    assert emulator.credentials() == {"lifetime": 90, "issued": 1, "metadata_tokens": 0}


def test_expire_tokens_also_expires_issued_credentials_but_not_the_fixed_pair(emu):
    credential = emu.credential()
    emu.control("POST", "/faults", {"expire_tokens": True})
    with emu.with_credential(credential) as client:
        error(client.get(DE), 401, "APIGW.0307")
    with emu.client(TEMP_ACCESS_KEY, TEMP_SECRET_KEY, SECURITY_TOKEN) as fixed:
        assert fixed.get(DE).status_code == 200
    with emu.with_credential(emu.credential()) as fresh:
        assert fresh.get(DE).status_code == 200


# --- IAM projects ---------------------------------------------------------------------------


def test_iam_projects_by_region_name(emu):
    response = emu.signed.get("/v3/projects", params={"name": REGION})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"projects", "links"}
    [project] = body["projects"]
    assert (project["id"], project["name"], project["domain_id"], project["enabled"]) == (
        PROJECT_ID,
        REGION,
        DOMAIN_ID,
        True,
    )
    assert emu.signed.get("/v3/projects", params={"name": "ap-southeast-1"}).json()["projects"] == []
    by_token = emu.http.get("/v3/projects", params={"name": REGION}, headers={"X-Auth-Token": STATIC_TOKEN})
    assert by_token.json()["projects"][0]["id"] == PROJECT_ID
    with emu.with_credential(emu.credential()) as temporary:
        listed = temporary.get("/v3/projects", params={"name": REGION}).json()
        assert listed["projects"][0]["id"] == PROJECT_ID
    error(emu.http.get("/v3/projects", params={"name": REGION}), 401, "ModelArts.0201")


# --- lists ----------------------------------------------------------------------------------


def test_both_generations_list_seeded_running_and_stopped_instances(emu):
    old = emu.signed.get(DE, params={"de_type": "Notebook", "limit": "10", "offset": "0"}).json()
    assert old["total_count"] == 2
    assert {(i["id"], i["status"]) for i in old["instances"]} == {
        (DEMANAGER_RUNNING_ID, "RUNNING"),
        (DEMANAGER_STOPPED_ID, "STOPPED"),
    }
    current = emu.signed.get(NB).json()
    assert current["total"] == 3
    assert {(i["id"], i["status"]) for i in current["data"]} == {
        (NOTEBOOK_RUNNING_ID, "RUNNING"),
        (NOTEBOOK_STOPPED_ID, "STOPPED"),
        (NOTEBOOK_IDLE_ID, "RUNNING"),
    }
    second = emu.signed.get(DE, params={"de_type": "Notebook", "limit": "1", "offset": "1"}).json()
    assert [i["id"] for i in second["instances"]] == [DEMANAGER_STOPPED_ID]


def test_list_notebooks_items_are_the_detail_objects_with_their_secrets(emu):
    listed = {i["id"]: i for i in emu.signed.get(NB).json()["data"]}
    for instance_id, item in listed.items():
        assert item == emu.signed.get(f"{NB}/{instance_id}").json()
        assert item["feature"] == "NOTEBOOK" and MARKER in str(item)


def seed_notebooks(emu: Emu, count: int) -> None:
    for n in range(count):
        emu.control(
            "POST",
            "/instances",
            {"backend": "notebooks", "name": f"train-{n:02d}", "status": "STOPPED" if n % 3 else "RUNNING"},
        )


def test_list_notebooks_paging_counts_offset_in_instances(emu):
    seed_notebooks(emu, 10)  # 13 in all
    first = emu.signed.get(NB).json()
    assert (first["current"], first["pages"], first["size"], first["total"]) == (1, 2, 10, 13)
    assert len(first["data"]) == 10
    rest = emu.signed.get(NB, params={"offset": "10"}).json()
    assert (rest["current"], rest["pages"], rest["size"], rest["total"]) == (2, 2, 10, 13)
    assert len(rest["data"]) == 3
    assert {i["id"] for i in first["data"]} | {i["id"] for i in rest["data"]} == {
        i["id"] for i in emu.emulator.instances()["notebooks"]
    }
    small = emu.signed.get(NB, params={"limit": "4", "offset": "5"}).json()
    assert (small["current"], small["pages"], small["size"]) == (2, math.ceil(13 / 4), 4)
    assert [i["id"] for i in small["data"]] == [i["id"] for i in first["data"][5:9]]
    beyond = emu.signed.get(NB, params={"offset": "13"}).json()
    assert beyond["data"] == [] and beyond["total"] == 13


def test_list_notebooks_filters_and_order(emu):
    seed_notebooks(emu, 6)
    by_name = emu.signed.get(NB, params={"name": "TRAIN-0", "sort_key": "name", "sort_dir": "ASC"}).json()
    assert [i["name"] for i in by_name["data"]] == [f"train-{n:02d}" for n in range(6)]
    assert by_name["total"] == 6
    descending = emu.signed.get(NB, params={"name": "train", "sort_key": "name"}).json()
    assert [i["name"] for i in descending["data"]] == [f"train-{n:02d}" for n in reversed(range(6))]
    running = emu.signed.get(NB, params={"status": "RUNNING", "limit": "50"}).json()
    assert {i["status"] for i in running["data"]} == {"RUNNING"}
    assert running["total"] == 4  # the seeded TIMING and IDLE ones, train-00 and train-03
    both = emu.signed.get(NB, params={"status": "STOPPED", "name": "stopped"}).json()
    assert [i["id"] for i in both["data"]] == [NOTEBOOK_STOPPED_ID]
    assert emu.signed.get(NB, params={"feature": "DEFAULT"}).json()["total"] == 0
    assert emu.signed.get(NB, params={"name": "nothing-like-this"}).json() == {
        "current": 1,
        "data": [],
        "pages": 0,
        "size": 10,
        "total": 0,
    }


def test_list_notebooks_answer_has_the_official_sdk_models_fields(emu):
    from huaweicloudsdkmodelarts.v1.model import (
        Lease,
        ListNotebooksRequest,
        ListNotebooksResponse,
        NotebookResp,
    )

    assert {"feature", "limit", "offset", "name", "status", "sort_key", "sort_dir"} <= set(
        ListNotebooksRequest.attribute_map.values()
    )
    answer = emu.signed.get(NB).json()
    assert set(answer) == set(ListNotebooksResponse.attribute_map.values())
    for item in answer["data"]:
        assert set(item) == set(NotebookResp.attribute_map.values())
        assert set(item["lease"]) <= set(Lease.attribute_map.values())


@pytest.mark.parametrize(
    "params, code",
    [
        ({"limit": "0"}, "ModelArts.6336"),
        ({"limit": "51"}, "ModelArts.6336"),
        ({"offset": "-1"}, "ModelArts.6336"),
        ({"limit": "ten"}, "ModelArts.6336"),
        ({"status": "SLEEPING"}, "ModelArts.6336"),
        ({"feature": "OTHER"}, "ModelArts.6336"),
        ({"sort_dir": "UP"}, "ModelArts.6336"),
        ({"sort_key": "flavor_details"}, "ModelArts.6303"),
    ],
)
def test_list_notebooks_bad_query(emu, params, code):
    error(emu.signed.get(NB, params=params), 400, code)


# --- deny switches --------------------------------------------------------------------------


DENIED_CALLS = [
    ("list", "GET", DE, None, "modelarts:notebook:list"),
    ("list", "GET", NB, None, "modelarts:notebook:list"),
    ("detail", "GET", f"{DE}/{DEMANAGER_RUNNING_ID}", None, "modelarts:notebook:get"),
    ("detail", "GET", f"{NB}/{NOTEBOOK_RUNNING_ID}", None, "modelarts:notebook:get"),
    (
        "update",
        "PUT",
        f"{DE}/{DEMANAGER_RUNNING_ID}",
        {"spec": {"auto_stop": {"enable": False}}},
        "modelarts:notebook:update",
    ),
    ("delete", "DELETE", f"{DE}/{DEMANAGER_STOPPED_ID}", None, "modelarts:notebook:delete"),
    ("action", "POST", f"{DE}/{DEMANAGER_RUNNING_ID}/action", {"action": "stop"}, "modelarts:notebook:stop"),
    (
        "action",
        "POST",
        f"{DE}/{DEMANAGER_STOPPED_ID}/action",
        {"action": "start"},
        "modelarts:notebook:start",
    ),
    ("start", "POST", f"{NB}/{NOTEBOOK_STOPPED_ID}/start", None, "modelarts:notebook:start"),
    ("stop", "POST", f"{NB}/{NOTEBOOK_RUNNING_ID}/stop", None, "modelarts:notebook:stop"),
    (
        "renew_lease",
        "PATCH",
        f"{NB}/{NOTEBOOK_RUNNING_ID}/lease",
        {"duration": 7_200_000},
        "modelarts:notebook:updateStopPolicy",
    ),
]


@pytest.mark.parametrize(
    "switch, method, path, body, iam_action",
    DENIED_CALLS,
    ids=[f"{c[0]}-{c[1]}-{c[2].split('/')[3]}" for c in DENIED_CALLS],
)
def test_a_denied_call_answers_403_naming_the_iam_action_and_changes_nothing(
    emu, switch, method, path, body, iam_action
):
    before = state(emu)
    assert emu.control("POST", "/faults", {"deny": [switch]})["deny"] == [switch]
    response = emu.signed.request(method, path, json=body)
    assert response.status_code == 403, response.text
    assert response.json() == {
        "error_code": "ModelArts.0203",
        "error_msg": f"Policy doesn't allow {iam_action} to be performed.",
    }
    assert state(emu) == before
    emu.control("DELETE", "/faults")
    assert emu.signed.request(method, path, json=body).status_code == 200


def test_deny_switches_are_per_call_and_replaced_by_the_next_list(emu):
    lease = f"{NB}/{NOTEBOOK_RUNNING_ID}/lease"
    emu.control("POST", "/faults", {"deny": ["renew_lease", "stop"]})
    assert emu.signed.get(f"{NB}/{NOTEBOOK_RUNNING_ID}").status_code == 200
    assert emu.signed.get(lease).status_code == 200  # ShowLease needs no IAM action
    assert emu.signed.put(f"{DE}/{DEMANAGER_RUNNING_ID}", json={"description": "kept"}).status_code == 200
    assert emu.signed.patch(lease, json={"duration": 3_600_000}).status_code == 403
    assert emu.control("POST", "/faults", {"deny": ["update"]})["deny"] == ["update"]
    assert emu.signed.patch(lease, json={"duration": 3_600_000}).status_code == 200
    assert emu.signed.put(f"{DE}/{DEMANAGER_RUNNING_ID}", json={"description": "x"}).status_code == 403
    assert emu.control("POST", "/faults", {"deny": []})["deny"] == []
    for bad in (["renew"], "update", [1]):
        assert emu.http.post("/_emulator/faults", json={"deny": bad}).status_code == 400
