"""Credentials found as the official SDK finds them, and temporary ones kept fresh, against the emulator.

The SDK's order: configuration (``c.DevEnv.*``), the environment, the credentials file,
``modelarts.session.Session()``, the metadata service. Each test sets up two adjacent
sources with different keys, only one of which the emulator accepts, so the winner shows.
"""

from __future__ import annotations

import asyncio
import sys
import types

import httpx
import pytest
from traitlets.config import Config

from jupyter_devenv.config import ENV_NAMES, DevEnv
from jupyter_devenv.emulator.app import ACCESS_KEY, PROJECT_ID, SECRET_KEY
from jupyter_devenv.modelarts.credentials import REFRESH_AHEAD, Credentials, Keyring
from jupyter_devenv.modelarts.errors import DevEnvError

WRONG_AK, WRONG_SK = "WRONGAK0000000000000", "wrong-secret-key"


@pytest.fixture
def env(monkeypatch, tmp_path, emulator):
    """Nothing set but the emulator's endpoint and instance; no credentials file; metadata: nobody."""
    for variable in ENV_NAMES.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("JUPYTER_DEVENV_ENDPOINT", emulator.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("JUPYTER_DEVENV_INSTANCE_ID", emulator.emulator.seed_ids["demanager_running"])
    monkeypatch.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    return monkeypatch


def write_file(path, ak: str, sk: str) -> None:
    path.write_text(f"[basic]\nak = {ak}\nsk = {sk}\n", encoding="utf-8")


def status_with(settings: DevEnv, instance_id: str) -> str:
    with settings.make_client() as client:
        return client.get_instance(instance_id).data["status"]


def test_configuration_wins_over_the_environment(env, emulator):
    env.setenv("HUAWEICLOUD_SDK_AK", WRONG_AK)
    env.setenv("HUAWEICLOUD_SDK_SK", WRONG_SK)
    settings = DevEnv(config=Config({"DevEnv": {"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}}))
    assert status_with(settings, emulator.emulator.seed_ids["demanager_running"]) == "RUNNING"
    assert settings.credential_source() == "configuration"


def test_the_environment_wins_over_the_credentials_file(env, emulator, tmp_path):
    write_file(tmp_path / "credentials", WRONG_AK, WRONG_SK)
    env.setenv("HUAWEICLOUD_SDK_AK", ACCESS_KEY)
    env.setenv("HUAWEICLOUD_SDK_SK", SECRET_KEY)
    settings = DevEnv()
    assert status_with(settings, emulator.emulator.seed_ids["demanager_running"]) == "RUNNING"
    assert settings.credential_source() == "environment (HUAWEICLOUD_SDK_AK)"


def test_the_credentials_file_wins_over_the_session(env, emulator, tmp_path):
    write_file(tmp_path / "credentials", ACCESS_KEY, SECRET_KEY)
    module = types.ModuleType("modelarts.session")
    module.Session = lambda: types.SimpleNamespace(access_key=WRONG_AK, secret_key=WRONG_SK)
    env.setitem(sys.modules, "modelarts", types.ModuleType("modelarts"))
    env.setitem(sys.modules, "modelarts.session", module)
    settings = DevEnv()
    assert status_with(settings, emulator.emulator.seed_ids["demanager_running"]) == "RUNNING"
    assert settings.credential_source() == f"credentials file {tmp_path / 'credentials'}"


def test_the_session_wins_over_the_metadata_service(env, emulator):
    env.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", emulator.url)
    module = types.ModuleType("modelarts.session")
    module.Session = lambda: types.SimpleNamespace(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    env.setitem(sys.modules, "modelarts", types.ModuleType("modelarts"))
    env.setitem(sys.modules, "modelarts.session", module)
    settings = DevEnv()
    assert status_with(settings, emulator.emulator.seed_ids["demanager_running"]) == "RUNNING"
    assert settings.credential_source() == "modelarts.session"
    assert emulator.emulator.auth.temporary_issued == 0  # the metadata service was not asked


def test_the_metadata_service_gives_temporary_credentials(env, emulator):
    env.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", emulator.url)
    settings = DevEnv()
    assert status_with(settings, emulator.emulator.seed_ids["demanager_running"]) == "RUNNING"
    assert settings.credential_source() == f"metadata service {emulator.url}"
    assert settings.keyring().current is not None and settings.keyring().current.temporary


def test_no_source_at_all_says_what_was_tried(env, emulator, tmp_path):
    settings = DevEnv()
    with pytest.raises(DevEnvError) as caught:
        status_with(settings, emulator.emulator.seed_ids["demanager_running"])
    message = caught.value.error_msg
    assert caught.value.error_code == "DEVENV.NOT_CONFIGURED" and caught.value.status == 503
    for tried in (
        f"no credentials file at {tmp_path / 'credentials'}",
        "modelarts.session",
        "the metadata service at http://127.0.0.1:9 did not answer",
    ):
        assert tried in message
    assert httpx.get(emulator.url + "/_emulator/stats").json()["total"] == 0  # nothing sent unsigned


def test_expired_temporary_credentials_are_renewed_once_for_many_calls(env, emulator):
    """The emulator refuses expired credentials (401 APIGW.0307): one new fetch serves 20 waiting calls."""
    env.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", emulator.url)
    settings = DevEnv()
    iid = emulator.emulator.seed_ids["demanager_running"]

    async def main() -> None:
        client = settings.make_async_client()
        await client.get_instance(iid)
        emulator.emulator.advance(2 * 3600 + 1)  # past the 2 h the emulator gives them
        answers = await asyncio.gather(*(client.get_instance(iid) for _ in range(20)))
        assert {a.data["id"] for a in answers} == {iid}  # every call answered, after one renewal
        await client.aclose()

    asyncio.run(main())
    assert settings.keyring().fetches == 2
    assert emulator.emulator.auth.temporary_issued == 2


def test_temporary_credentials_are_fetched_again_40_minutes_before_expiry():
    now = [1_000_000.0]
    issued = []

    async def fetch() -> Credentials:
        issued.append(now[0])
        return Credentials("AK", "SK", "STS", expires_at=now[0] + 7200)

    keyring = Keyring("test", fetch, clock=lambda: now[0])

    async def main() -> None:
        await keyring.get()
        now[0] += 7200 - REFRESH_AHEAD - 1  # not yet
        await keyring.get()
        assert len(issued) == 1
        now[0] += 2  # inside the last 40 minutes
        await asyncio.gather(*(keyring.get() for _ in range(10)))
        assert len(issued) == 2

    asyncio.run(main())


def test_permanent_credentials_are_never_fetched_again():
    keyring = Keyring.of(Credentials("AK", "SK"), "configuration")

    async def main() -> None:
        for _ in range(3):
            assert (await keyring.get()).access_key == "AK"

    asyncio.run(main())
    assert keyring.fetches == 0


def test_the_project_id_is_found_from_the_region_once(env, emulator):
    env.delenv("HUAWEICLOUD_SDK_PROJECT_ID")
    env.setenv("HUAWEICLOUD_SDK_REGION", emulator.emulator.region)
    env.setenv("JUPYTER_DEVENV_IAM_ENDPOINT", emulator.url)
    settings = DevEnv(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    assert settings.missing() == []
    with settings.make_client() as client:
        for _ in range(3):
            client.get_instance(emulator.emulator.seed_ids["demanager_running"])
        assert client.aio.project_id == PROJECT_ID
    requests = httpx.get(emulator.url + "/_emulator/stats").json()["requests"]
    assert sum(n for k, n in requests.items() if k.startswith("GET /v3/projects")) == 1


def test_a_region_iam_does_not_know_is_a_clear_error(env, emulator):
    env.delenv("HUAWEICLOUD_SDK_PROJECT_ID")
    env.setenv("HUAWEICLOUD_SDK_REGION", "xx-nowhere-1")
    env.setenv("JUPYTER_DEVENV_IAM_ENDPOINT", emulator.url)
    settings = DevEnv(access_key=ACCESS_KEY, secret_key=SECRET_KEY)
    with settings.make_client() as client, pytest.raises(DevEnvError) as caught:
        client.get_instance(emulator.emulator.seed_ids["demanager_running"])
    assert caught.value.field == "project_id" and "'xx-nowhere-1'" in caught.value.error_msg
    assert "c.DevEnv.project_id" in caught.value.error_msg
