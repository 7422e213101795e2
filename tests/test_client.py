"""``ModelArtsClient`` against the emulator on loopback: the API document's examples, auth, retries."""

from __future__ import annotations

import httpx
import pytest

from jupyter_devenv.config import DevEnv
from jupyter_devenv.connection import DirectConnection
from jupyter_devenv.modelarts.auth import AkSkAuth, IamPasswordAuth, TokenAuth
from jupyter_devenv.modelarts.client import ModelArtsClient
from jupyter_devenv.modelarts.errors import DevEnvError

SEED_SUCCESS_FIELDS = [
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
]
UNKNOWN_ID = "6fa459ea-ee8a-3ca4-894e-db77e160355e"


@pytest.fixture
def emu(emulator):
    return emulator.emulator


@pytest.fixture
def control(emulator):
    with httpx.Client(base_url=emulator.url + "/_emulator") as http:
        yield http


def _client(emulator, auth=None, **kwargs):
    emu = emulator.emulator
    auth = auth or AkSkAuth(emu.access_key, emu.secret_key, emu.project_id)
    kwargs.setdefault("backoff", 0.01)
    return ModelArtsClient(emulator.url, emu.project_id, auth, **kwargs)


def _count(control, method, fragment=""):
    return sum(
        n
        for k, n in control.get("/stats").json()["requests"].items()
        if k.startswith(method + " ") and fragment in k
    )


def test_seed_request_example(emulator, emu):
    instance_id = emu.seed_ids["demanager_running"]
    with _client(emulator) as client:
        answer = client.update_instance(instance_id, {"description": "machine learning python2.7 notebook"})
    for field in SEED_SUCCESS_FIELDS:
        assert field in answer.data, field
    assert answer.data["description"] == "machine learning python2.7 notebook"
    assert isinstance(answer.data["creation_timestamp"], str) and len(answer.data["creation_timestamp"]) == 13
    assert isinstance(answer.data["spec"]["auto_stop"]["stop_timestamp"], int)
    assert abs(answer.server_time - emu.clock.now_ms()) < 2000


def test_seed_failure_example(emulator):
    with _client(emulator) as client, pytest.raises(DevEnvError) as caught:
        client.get_instance("DE-" + UNKNOWN_ID)
    assert caught.value.error_code == "ModelArts.6309"
    assert caught.value.error_msg == "The instance does not exist."
    assert caught.value.status == 400


def test_invalid_update_is_refused_by_a_direct_connection_before_sending(emulator, emu, control):
    """The client sends what it is given: ``DirectConnection`` (a script's boundary) validates the body."""
    settings = DevEnv(
        endpoint=emulator.url,
        project_id=emu.project_id,
        access_key=emu.access_key,
        secret_key=emu.secret_key,
        backend="demanager",
    )
    before = control.get("/stats").json()["total"]
    connection = DirectConnection(settings, emu.seed_ids["demanager_running"])
    try:
        with pytest.raises(DevEnvError) as caught:
            connection.update({"spec": {"auto_stop": {"enable": True}}})
    finally:
        connection.close()
    assert (caught.value.error_code, caught.value.field) == ("ModelArts.6348", "spec.auto_stop.duration")
    assert control.get("/stats").json()["total"] == before


@pytest.mark.parametrize("auth_kind", ["aksk", "security-token", "token", "iam-password"])
def test_each_auth_scheme_is_accepted(emulator, emu, auth_kind):
    auth = {
        "aksk": lambda: AkSkAuth(emu.access_key, emu.secret_key, emu.project_id),
        "security-token": lambda: AkSkAuth(
            emu.temp_access_key, emu.temp_secret_key, emu.project_id, emu.security_token
        ),
        "token": lambda: TokenAuth(emu.static_token),
        "iam-password": lambda: IamPasswordAuth(
            emulator.url, emu.iam_user, emu.iam_password, emu.iam_domain, emu.project_id
        ),
    }[auth_kind]()
    with _client(emulator, auth) as client:
        assert client.get_instance(emu.seed_ids["demanager_running"]).data["status"] == "RUNNING"


@pytest.mark.parametrize(
    "auth",
    [
        lambda e: AkSkAuth(e.access_key, "wrong-secret", e.project_id),
        lambda e: AkSkAuth(e.temp_access_key, e.temp_secret_key, e.project_id),  # no security token
        lambda e: AkSkAuth(e.temp_access_key, e.temp_secret_key, e.project_id, "wrong-token"),
        lambda e: TokenAuth("not-a-token"),
    ],
)
def test_bad_credentials_are_refused_and_not_retried(emulator, emu, control, auth):
    with _client(emulator, auth(emu)) as client, pytest.raises(DevEnvError) as caught:
        client.get_instance(emu.seed_ids["demanager_running"])
    assert caught.value.status == 401
    assert control.get("/stats").json()["total"] == 1


@pytest.mark.parametrize(
    "fault", [{"rate_limit": {"count": 2, "retry_after": 0}}, {"unavailable": 2}, {"drop": 2}]
)
def test_retryable_faults_are_retried(emulator, emu, control, fault):
    control.post("/faults", json=fault)
    with _client(emulator, retries=3) as client:
        assert client.get_instance(emu.seed_ids["demanager_running"]).data["id"]
    assert control.get("/stats").json()["total"] == 3


@pytest.mark.parametrize(
    "fault,status,code",
    [
        ({"rate_limit": {"count": 10, "retry_after": 0}}, 429, "APIGW.0308"),
        ({"unavailable": 10}, 503, "APIGW.0203"),
    ],
)
def test_retries_stop_at_the_bound(emulator, emu, control, fault, status, code):
    control.post("/faults", json=fault)
    with _client(emulator, retries=2) as client, pytest.raises(DevEnvError) as caught:
        client.get_instance(emu.seed_ids["demanager_running"])
    assert control.get("/stats").json()["total"] == 3
    assert (caught.value.status, caught.value.error_code) == (status, code)


def test_timeouts_are_retried_then_reported(emulator, emu, control):
    control.post("/faults", json={"latency": 0.5})
    with _client(emulator, retries=1, timeout=0.1) as client, pytest.raises(DevEnvError) as caught:
        client.get_instance(emu.seed_ids["demanager_running"])
    assert caught.value.error_code == "DEVENV.UPSTREAM_TIMEOUT" and caught.value.status == 504


def test_retry_after_is_honoured():
    """The delay before a retry is at least what Retry-After asks (bounded by max_backoff)."""
    from jupyter_devenv.modelarts.client import AsyncModelArtsClient

    client = AsyncModelArtsClient(
        "http://127.0.0.1:9", "p", TokenAuth("t"), backoff=0.01, max_backoff=5, rand=lambda: 0.0
    )
    throttled = DevEnvError("APIGW.0308", "slow down", status=429, retry_after=3)
    assert client.retry_delay(0, throttled) == 3
    assert client.retry_delay(0, DevEnvError("APIGW.0308", "x", status=429, retry_after=60)) == 5
    assert client.retry_delay(0, DevEnvError("ModelArts.6349", "x", status=400)) is None
    assert client.retry_delay(3, throttled) is None


def test_expired_token_is_refreshed_once(emulator, emu, control):
    auth = IamPasswordAuth(emulator.url, emu.iam_user, emu.iam_password, emu.iam_domain, emu.project_id)
    with _client(emulator, auth) as client:
        client.get_instance(emu.seed_ids["demanager_running"])
        control.post("/faults", json={"expire_tokens": True})
        client.get_instance(emu.seed_ids["demanager_running"])
        assert auth.logins == 2
        client.get_instance(emu.seed_ids["demanager_running"])
        assert auth.logins == 2
    assert _count(control, "POST", "/v3/auth/tokens") == 2


def test_token_is_renewed_before_expiry(emulator, emu):
    now = [1_000_000.0]
    auth = IamPasswordAuth(
        emulator.url, emu.iam_user, emu.iam_password, emu.iam_domain, emu.project_id, clock=lambda: now[0]
    )
    with _client(emulator, auth) as client:
        client.get_instance(emu.seed_ids["demanager_running"])
        assert auth.logins == 1
        now[0] = auth._expires_at - 60  # inside the refresh window
        client.get_instance(emu.seed_ids["demanager_running"])
        assert auth.logins == 2


def test_wrong_iam_password_says_what_to_check(emulator, emu):
    auth = IamPasswordAuth(emulator.url, emu.iam_user, "Typo-Passw0rd-123", emu.iam_domain, emu.project_id)
    with _client(emulator, auth) as client, pytest.raises(DevEnvError) as caught:
        client.get_instance(emu.seed_ids["demanager_running"])
    assert caught.value.status == 401 and "password" in caught.value.error_msg
    assert "Typo-Passw0rd-123" not in caught.value.error_msg


def test_action_start_sets_the_deadline(emulator, emu, control):
    stopped = emu.seed_ids["demanager_stopped"]
    with _client(emulator) as client:
        client.instance_action(stopped, "start")
        answer = client.get_instance(stopped)
    auto = answer.data["spec"]["auto_stop"]
    assert answer.data["status"] == "RUNNING"
    assert auto["duration"] == 7200  # the stopped seed's duration: it stops two hours after the start
    assert abs(auto["stop_timestamp"] - (answer.server_time + 7_200_000)) < 3000


def test_lease_renewal_counts_from_now(emulator, emu):
    nb = emu.seed_ids["notebooks_running"]
    with _client(emulator) as client:
        client.renew_lease(nb, 7200)
        answer = client.get_notebook(nb)
    lease = answer.data["lease"]
    assert abs(lease["create_at"] + lease["duration"] - (emu.clock.now_ms() + 7200 * 1000)) < 3000


def test_signed_query_is_the_query_sent(emulator, emu):
    """Spaces and reserved characters in a query: what is signed is what goes on the wire."""
    with _client(emulator) as client:
        answer = client.run(
            client.aio.request(
                "GET",
                f"/v1/{emu.project_id}/demanager/instances",
                params={"de_type": "Notebook", "name": "a b+c/d", "limit": "5"},
            )
        )
    assert "instances" in answer.data


@pytest.mark.parametrize(
    "deny,call,action",
    [
        (
            "renew_lease",
            lambda c, e: c.renew_lease(e.seed_ids["notebooks_running"], 7200),
            "modelarts:notebook:updateStopPolicy",
        ),
        (
            "update",
            lambda c, e: c.update_instance(e.seed_ids["demanager_running"], {"description": "x"}),
            "modelarts:notebook:update",
        ),
    ],
)
def test_a_missing_permission_names_the_iam_action_and_who_grants_it(
    emulator, emu, control, deny, call, action
):
    control.post("/faults", json={"deny": [deny]})
    with _client(emulator) as client, pytest.raises(DevEnvError) as caught:
        call(client, emu)
    assert caught.value.status == 403
    assert f"lacks the IAM permission {action}" in caught.value.error_msg
    assert "An administrator grants it in IAM" in caught.value.error_msg
