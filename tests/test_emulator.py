"""The ModelArts emulator over real HTTP on loopback: auth, the older API's calls, state, faults, stats."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

import httpx
import pytest

from jupyter_devenv.emulator import Emulator, EmulatorServer
from jupyter_devenv.emulator.app import (
    ACCESS_KEY,
    IAM_DOMAIN,
    IAM_PASSWORD,
    IAM_USER,
    PROJECT_ID,
    SECRET_KEY,
    SECURITY_TOKEN,
    STATIC_TOKEN,
    TEMP_ACCESS_KEY,
    TEMP_SECRET_KEY,
)
from jupyter_devenv.emulator.banner import banner
from jupyter_devenv.emulator.fake_secrets import MARKER, secret_values
from jupyter_devenv.emulator.store import DEMANAGER_RUNNING_ID, DEMANAGER_STOPPED_ID, NOTEBOOK_RUNNING_ID
from jupyter_devenv.modelarts.signer import sdk_date, sign

SEED_SUCCESS_FIELDS = {
    "ai_project",
    "creation_timestamp",
    "description",
    "flavor",
    "flavor_details",
    "id",
    "latest_update_timestamp",
    "name",
    "profile",
    "status",
    "user",
    "workspace",
}
NOT_FOUND_BODY = {"error_message": "The instance does not exist.", "error_code": "ModelArts.6309"}
DE = f"/v1/{PROJECT_ID}/demanager/instances"
NB = f"/v1/{PROJECT_ID}/notebooks"


class Api:
    """Signed (or token) requests to the emulator, and its control API."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.host = urlsplit(url).netloc
        self.http = httpx.Client(base_url=url, timeout=10)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        params: Optional[Dict[str, str]] = None,
        ak: str = ACCESS_KEY,
        sk: str = SECRET_KEY,
        extra: Optional[Dict[str, str]] = None,
        token: Optional[str] = None,
    ) -> httpx.Response:
        content = json.dumps(body).encode() if body is not None else b""
        headers = {"Content-Type": "application/json", **(extra or {})}
        if token is not None:
            headers["X-Auth-Token"] = token
        else:
            headers = sign(method, self.host, path, sorted((params or {}).items()), headers, content, ak, sk)
        return self.http.request(method, path, params=params, headers=headers, content=content)

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, "/_emulator" + path, json=body)
        assert response.status_code < 300, response.text
        return response.json()

    def advance(self, seconds: float) -> int:
        return self.control("POST", "/clock", {"advance": seconds})["now"]

    def now(self) -> int:
        return self.control("GET", "/clock")["now"]


@pytest.fixture
def api(emulator):
    client = Api(emulator.url)
    yield client
    client.http.close()


def error(response: httpx.Response, status: int, code: str) -> Dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code, body
    return body


def auto_stop(response: httpx.Response) -> Dict[str, Any]:
    assert response.status_code == 200, response.text
    return response.json()["spec"]["auto_stop"]


# --- authentication -------------------------------------------------------------------------


def test_signed_request_is_accepted_and_answer_has_date_and_request_id(api):
    response = api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}")
    assert response.status_code == 200
    assert response.json()["id"] == DEMANAGER_RUNNING_ID
    date = parsedate_to_datetime(response.headers["Date"])
    assert abs(date.timestamp() * 1000 - api.now()) < 5000
    assert response.headers["X-Request-Id"]


def test_signed_query_is_verified(api):
    response = api.call("GET", DE, params={"de_type": "Notebook", "limit": "1", "offset": "0"})
    assert response.status_code == 200
    assert response.json()["total_count"] == 2
    assert len(response.json()["instances"]) == 1


def test_bad_signature_and_unknown_key_are_apigw_0301(api):
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", sk="wrong-secret"), 401, "APIGW.0301")
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", ak="UNKNOWNAK0000000000"), 401, "APIGW.0301")
    body = json.dumps({"description": "signed"}).encode()
    headers = sign(
        "PUT",
        api.host,
        f"{DE}/{DEMANAGER_RUNNING_ID}",
        [],
        {"Content-Type": "application/json"},
        body,
        ACCESS_KEY,
        SECRET_KEY,
    )
    tampered = api.http.put(
        f"{DE}/{DEMANAGER_RUNNING_ID}", headers=headers, content=b'{"description": "other"}'
    )
    error(tampered, 401, "APIGW.0301")


def test_old_sdk_date_is_apigw_0303(api):
    old = sdk_date(datetime.now(timezone.utc) - timedelta(minutes=16))
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", extra={"X-Sdk-Date": old}), 401, "APIGW.0303")
    recent = sdk_date(datetime.now(timezone.utc) - timedelta(minutes=14))
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", extra={"X-Sdk-Date": recent}).status_code == 200


def test_temporary_keys_need_their_signed_security_token(api):
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    good = {"X-Security-Token": SECURITY_TOKEN, "X-Project-Id": PROJECT_ID}
    assert api.call("GET", path, ak=TEMP_ACCESS_KEY, sk=TEMP_SECRET_KEY, extra=good).status_code == 200
    error(api.call("GET", path, ak=TEMP_ACCESS_KEY, sk=TEMP_SECRET_KEY), 401, "APIGW.0301")
    wrong = {"X-Security-Token": "another-token"}
    error(api.call("GET", path, ak=TEMP_ACCESS_KEY, sk=TEMP_SECRET_KEY, extra=wrong), 401, "APIGW.0301")
    error(api.call("GET", path, extra={"X-Security-Token": SECURITY_TOKEN}), 401, "APIGW.0301")


def test_missing_credentials_wrong_project_and_unknown_path(api):
    error(api.http.get(f"{DE}/{DEMANAGER_RUNNING_ID}"), 401, "ModelArts.0201")
    error(
        api.call("GET", f"/v1/another-project/demanager/instances/{DEMANAGER_RUNNING_ID}"), 403, "APIGW.0302"
    )
    error(
        api.call("GET", f"/v1/another-project/notebooks/{NOTEBOOK_RUNNING_ID}", token=STATIC_TOKEN),
        403,
        "APIGW.0302",
    )
    error(api.call("GET", "/v1/nothing/here"), 404, "APIGW.0101")


def login(api: Api, password: str = IAM_PASSWORD) -> httpx.Response:
    return api.http.post(
        "/v3/auth/tokens",
        json={
            "auth": {
                "identity": {
                    "methods": ["password"],
                    "password": {
                        "user": {"name": IAM_USER, "password": password, "domain": {"name": IAM_DOMAIN}}
                    },
                },
                "scope": {"project": {"id": PROJECT_ID}},
            }
        },
    )


def test_iam_login_token_use_and_expiry(api):
    error(login(api, password="wrong"), 401, "IAM.0004")
    response = login(api)
    assert response.status_code == 201
    token = response.headers["X-Subject-Token"]
    body = response.json()["token"]
    assert body["project"]["id"] == PROJECT_ID
    expires = datetime.strptime(body["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    issued = datetime.strptime(body["issued_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert expires - issued == timedelta(hours=24)
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token=token).status_code == 200
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token=STATIC_TOKEN).status_code == 200
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token="not-a-token"), 401, "ModelArts.0202")
    api.advance(24 * 3600 + 1)
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token=token), 401, "ModelArts.0203")
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}").status_code == 200  # signing ignores the advance


def test_expire_tokens_fault_expires_issued_tokens_only(api):
    token = login(api).headers["X-Subject-Token"]
    api.control("POST", "/faults", {"expire_tokens": True})
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token=token), 401, "ModelArts.0203")
    error(api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token=STATIC_TOKEN), 401, "ModelArts.0203")
    fresh = login(api).headers["X-Subject-Token"]
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}", token=fresh).status_code == 200


# --- demanager ------------------------------------------------------------------------------


def test_seed_put_example_changes_description_with_every_field(api):
    body = {"description": "machine learning python2.7 notebook"}
    response = api.call("PUT", f"{DE}/{DEMANAGER_RUNNING_ID}", body)
    assert response.status_code == 200
    answer = response.json()
    assert SEED_SUCCESS_FIELDS <= set(answer)
    assert answer["description"] == "machine learning python2.7 notebook"
    assert isinstance(answer["creation_timestamp"], str) and len(answer["creation_timestamp"]) == 13
    assert isinstance(answer["latest_update_timestamp"], str)
    block = answer["spec"]["auto_stop"]
    assert set(block) == {"enable", "duration", "prompt", "stop_timestamp", "remain_time"}
    assert isinstance(block["stop_timestamp"], int) and 3590 <= block["remain_time"] <= 3600
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}").json()["description"] == body["description"]


def test_instances_carry_unique_recognisable_secrets(api):
    first = api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}").json()
    second = api.call("GET", f"{DE}/{DEMANAGER_STOPPED_ID}").json()
    notebook = api.call("GET", f"{NB}/{NOTEBOOK_RUNNING_ID}").json()
    assert first["spec"]["credential"]["secret_key"] in secret_values(first)
    assert first["repository"]["connection_info"]["credential"]["ssh_private_key"].startswith(
        "-----BEGIN OPENSSH PRIVATE KEY-----"
    )
    assert first["spec"]["repository"]["connection_info"]["credential"]["access_token"].startswith("ghp_")
    assert notebook["data_volumes"][0]["credential"]["access_key"] in secret_values(notebook)
    assert notebook["endpoints"][0]["credential"]["ssh_private_key"]
    values = [set(secret_values(i)) for i in (first, second, notebook)]
    assert all(len(v) >= 4 for v in values)
    assert not values[0] & values[1] and not values[0] & values[2]
    assert all(MARKER in v for v in values[0])


def test_unknown_instance_is_the_seeds_6309_body(api):
    for method, body in (("GET", None), ("PUT", {"description": "x"}), ("DELETE", None)):
        response = api.call(method, f"{DE}/DE-00000000-0000-0000-0000-000000000000", body)
        assert response.status_code == 400
        assert response.json() == NOT_FOUND_BODY
    assert api.call("GET", f"{NB}/{DEMANAGER_RUNNING_ID}").json() == NOT_FOUND_BODY


@pytest.mark.parametrize(
    "body, code",
    [
        ({"description": "a/b"}, "ModelArts.6334"),
        ({"description": "x" * 513}, "ModelArts.6336"),
        ({}, "ModelArts.6335"),
        ({"spec": {}}, "ModelArts.6335"),
        ({"spec": {"auto_stop": {"enable": True}}}, "ModelArts.6348"),
        ({"spec": {"auto_stop": {"enable": True, "duration": 60}}}, "ModelArts.6349"),
        ({"spec": {"auto_stop": {"enable": True, "duration": 86401}}}, "ModelArts.6349"),
        ({"spec": {"auto_stop": {"enable": "yes", "duration": 3600}}}, "ModelArts.6336"),
        ({"name": "renamed"}, "ModelArts.6336"),
    ],
)
def test_update_validation_errors(api, body, code):
    response = api.call("PUT", f"{DE}/{DEMANAGER_RUNNING_ID}", body)
    assert set(error(response, 400, code)) == {"error_code", "error_msg"}


def test_running_duration_change_applies_at_next_start(api):
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    before = auto_stop(api.call("GET", path))
    changed = auto_stop(api.call("PUT", path, {"spec": {"auto_stop": {"enable": True, "duration": 7200}}}))
    assert changed["duration"] == 7200
    assert changed["stop_timestamp"] == before["stop_timestamp"]
    assert api.call("POST", f"{path}/action", {"action": "stop"}).json() == {
        "current_status": "STOPPED",
        "previous_state": "RUNNING",
    }
    started = api.call("POST", f"{path}/action", {"action": "start"})
    assert started.json() == {"current_status": "RUNNING", "previous_state": "STOPPED"}
    now = api.now()
    block = auto_stop(api.call("GET", path))
    assert now - 2000 <= block["stop_timestamp"] - 7200 * 1000 <= now
    assert 7190 <= block["remain_time"] <= 7200


def test_start_sets_stop_timestamp_to_start_plus_duration(api):
    path = f"{DE}/{DEMANAGER_STOPPED_ID}"
    stopped = auto_stop(api.call("GET", path))
    assert stopped["stop_timestamp"] is None and stopped["duration"] == 7200
    before = api.now()
    api.call("POST", f"{path}/action", {"action": "start"})
    after = api.now()
    block = auto_stop(api.call("GET", path))
    assert before + 7200 * 1000 <= block["stop_timestamp"] <= after + 7200 * 1000


def test_turning_auto_stop_off_and_on(api):
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    off = auto_stop(api.call("PUT", path, {"spec": {"auto_stop": {"enable": False}}}))
    assert off["enable"] is False and off["stop_timestamp"] is None and off["remain_time"] is None
    api.advance(4000)
    assert api.call("GET", path).json()["status"] == "RUNNING"
    on = auto_stop(api.call("PUT", path, {"spec": {"auto_stop": {"enable": True, "duration": 3600}}}))
    assert 3590 <= on["remain_time"] <= 3600


def test_advancing_the_clock_past_the_deadline_stops_the_instance(api, emulator):
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    assert api.call("GET", path).json()["status"] == "RUNNING"
    api.advance(3500)
    assert 90 <= auto_stop(api.call("GET", path))["remain_time"] <= 100
    api.advance(120)
    assert emulator.emulator.instance(DEMANAGER_RUNNING_ID)["status"] == "STOPPED"
    answer = api.call("GET", path).json()
    assert answer["status"] == "STOPPED"
    assert answer["spec"]["auto_stop"]["stop_timestamp"] is None
    assert api.call("GET", f"{NB}/{NOTEBOOK_RUNNING_ID}").json()["status"] == "STOPPED"


@pytest.mark.parametrize(
    "seeded, action, code",
    [
        ("RUNNING", "start", "ModelArts.6305"),
        ("STARTING", "start", "ModelArts.6306"),
        ("STOPPED", "stop", "ModelArts.6307"),
        ("STOPPING", "stop", "ModelArts.6308"),
        ("STOPPED", "restart", "ModelArts.6327"),
        ("CREATING", "stop", "ModelArts.6357"),
    ],
)
def test_action_status_errors(api, seeded, action, code):
    inst = api.control("POST", "/instances", {"status": seeded})
    error(api.call("POST", f"{DE}/{inst['id']}/action", {"action": action}), 400, code)


def test_list_and_delete(api):
    listed = api.call("GET", DE, params={"de_type": "Notebook"}).json()
    assert [i["id"] for i in listed["instances"]] == [DEMANAGER_RUNNING_ID, DEMANAGER_STOPPED_ID]
    assert api.call("DELETE", f"{DE}/{DEMANAGER_STOPPED_ID}").json() == {"instance_id": DEMANAGER_STOPPED_ID}
    assert api.call("GET", DE).json()["total_count"] == 1


# --- notebooks ------------------------------------------------------------------------------


def test_notebook_detail_and_lease(api):
    answer = api.call("GET", f"{NB}/{NOTEBOOK_RUNNING_ID}").json()
    assert answer["status"] == "RUNNING"
    lease = api.call("GET", f"{NB}/{NOTEBOOK_RUNNING_ID}/lease").json()
    assert lease == answer["lease"]
    assert set(lease) == {"create_at", "duration", "enable", "type", "update_at"}
    assert lease["type"] == "TIMING" and lease["duration"] == 3_600_000


def test_lease_renewal_counts_from_now(api):
    path = f"{NB}/{NOTEBOOK_RUNNING_ID}/lease"
    create_at = api.call("GET", path).json()["create_at"]
    api.advance(1800)
    response = api.call("PATCH", path, {"duration": 3_600_000, "type": "TIMING"})
    assert response.status_code == 200, response.text
    lease = response.json()
    now = api.now()
    assert lease["create_at"] == create_at
    assert now - 2000 <= lease["create_at"] + lease["duration"] - 3_600_000 <= now
    assert lease["duration"] >= 1800 * 1000 + 3_600_000
    error(api.call("PATCH", path, {"duration": 60_000, "type": "TIMING"}), 400, "ModelArts.6349")
    error(api.call("PATCH", path, {"duration": 259_200_001}), 400, "ModelArts.6349")
    error(api.call("PATCH", path, {"duration": 3_600_000, "extra": 1}), 400, "ModelArts.6336")


def test_notebook_stop_start_and_lease_expiry(api):
    base = f"{NB}/{NOTEBOOK_RUNNING_ID}"
    assert api.call("POST", f"{base}/stop").json()["status"] == "STOPPED"
    error(api.call("POST", f"{base}/stop"), 400, "ModelArts.6307")
    error(api.call("PATCH", f"{base}/lease", {"duration": 3_600_000}), 400, "ModelArts.6327")
    started = api.call("POST", f"{base}/start", params={"duration": "7200000", "type": "TIMING"})
    assert started.status_code == 200, started.text
    lease = started.json()["lease"]
    assert lease["duration"] == 7_200_000 and abs(lease["create_at"] - api.now()) < 2000
    error(api.call("POST", f"{base}/start"), 400, "ModelArts.6305")
    api.advance(7201)
    assert api.call("GET", base).json()["status"] == "STOPPED"


# --- faults ---------------------------------------------------------------------------------


def test_rate_limit_fault(api):
    api.control("POST", "/faults", {"rate_limit": {"count": 2, "retry_after": 3}})
    for _ in range(2):
        response = api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}")
        error(response, 429, "APIGW.0308")
        assert response.headers["Retry-After"] == "3"
    assert api.call("GET", f"{DE}/{DEMANAGER_RUNNING_ID}").status_code == 200


def test_unavailable_malformed_and_drop_faults(api):
    api.control("DELETE", "/stats")
    api.control("POST", "/faults", {"unavailable": 1, "malformed": 1, "drop": 1})
    assert api.control("GET", "/faults")["drop"] == 1
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    with pytest.raises(httpx.RemoteProtocolError):
        api.call("GET", path)
    assert api.call("GET", path).status_code == 503
    malformed = api.call("PUT", path, {"description": "lost"})
    assert malformed.status_code == 200
    with pytest.raises(ValueError):
        json.loads(malformed.content)
    answer = api.call("GET", path).json()
    assert answer["description"] != "lost"  # a faulted request changes nothing
    stats = api.control("GET", "/stats")
    assert (stats["total"], stats["rejected"]) == (4, 2)  # the drop and the 503


def test_error_rate_and_latency_faults(api):
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    api.control("POST", "/faults", {"error_rate": 1.0})
    error(api.call("GET", path), 500, "ModelArts.6200")
    api.control("POST", "/faults", {"error_rate": 0.5, "seed": 7})
    first = [api.call("GET", path).status_code for _ in range(12)]
    api.control("POST", "/faults", {"seed": 7})
    assert [api.call("GET", path).status_code for _ in range(12)] == first
    assert set(first) == {200, 500}
    api.control("DELETE", "/faults")
    api.control("POST", "/faults", {"latency": 0.2})
    with pytest.raises(httpx.ReadTimeout):
        api.http.get(path, timeout=0.05)
    api.control("DELETE", "/faults")
    assert api.control("GET", "/faults")["latency"] == 0
    assert api.call("GET", path).status_code == 200


def test_bad_fault_switch_is_refused(api):
    response = api.http.post("/_emulator/faults", json={"explode": 1})
    assert response.status_code == 400 and response.json()["error_code"] == "EMULATOR.BAD_REQUEST"


# --- control API ----------------------------------------------------------------------------


def test_stats_count_requests_and_rejections(api):
    api.control("DELETE", "/stats")
    path = f"{DE}/{DEMANAGER_RUNNING_ID}"
    api.call("PUT", path, {"description": "one"})
    api.call("PUT", path, {"description": "bad/one"})
    api.call("GET", path, sk="wrong")
    api.control("GET", f"/instances/{DEMANAGER_RUNNING_ID}")
    stats = api.control("GET", "/stats")
    assert stats == {"total": 3, "rejected": 2, "requests": {f"PUT {path}": 2, f"GET {path}": 1}}
    assert api.control("DELETE", "/stats")["total"] == 0


def test_seed_and_raw_instance(api):
    seeded = api.control("POST", "/instances", {"backend": "notebooks", "status": "STOPPED", "id": "nb-1"})
    assert seeded["status"] == "STOPPED" and secret_values(seeded)
    assert api.control("GET", "/instances/nb-1")["id"] == "nb-1"
    demo = api.control("POST", "/instances", {"stop_in": 300})
    assert demo["id"].startswith("DE-") and 295 <= demo["spec"]["auto_stop"]["remain_time"] <= 300
    assert api.http.get("/_emulator/instances/none").status_code == 404
    assert api.http.post("/_emulator/instances", json={"backend": "other"}).status_code == 400


def test_stop_in_option_seeds_a_close_deadline():
    emulator = Emulator(stop_in=300)
    block = emulator.instance(DEMANAGER_RUNNING_ID)["spec"]["auto_stop"]
    assert 295 <= block["remain_time"] <= 300
    lease = emulator.instance(NOTEBOOK_RUNNING_ID)["lease"]
    assert 295_000 <= lease["create_at"] + lease["duration"] - emulator.clock.now_ms() <= 300_000


def test_banner_has_export_lines_and_only_comments_otherwise():
    text = banner(Emulator(access_key="MYAK", secret_key="my sk"), "http://127.0.0.1:1234")
    lines = text.splitlines()
    assert all(line.startswith(("# ", "export ")) for line in lines)
    assert "export HUAWEICLOUD_SDK_AK=MYAK" in lines
    assert "export HUAWEICLOUD_SDK_SK='my sk'" in lines
    assert f"export HUAWEICLOUD_SDK_PROJECT_ID={PROJECT_ID}" in lines
    assert "export JUPYTER_DEVENV_ENDPOINT=http://127.0.0.1:1234" in lines
    assert f"export JUPYTER_DEVENV_INSTANCE_ID={DEMANAGER_RUNNING_ID}" in lines
    assert NOTEBOOK_RUNNING_ID in text and DEMANAGER_STOPPED_ID in text


def test_in_process_server_on_the_current_loop():
    async def main() -> int:
        server = await EmulatorServer(Emulator(seed=False)).start()
        try:
            async with httpx.AsyncClient(base_url=server.url) as client:
                seeded = (await client.post("/_emulator/instances", json={"backend": "notebooks"})).json()
                return (await client.get(f"/_emulator/instances/{seeded['id']}")).status_code
        finally:
            await server.stop()

    assert asyncio.run(main()) == 200
