"""``jupyter devenv doctor`` against the emulator: the real CLI, configured by the environment.

Each case checks the words a user reads, that nothing secret is printed, and that the
permission probe leaves the instance as it was.
"""

from __future__ import annotations

import copy
import http.server
import json
import os
import re
import socket
import ssl
import threading
from email.utils import formatdate
from typing import Dict, Tuple

import httpx
import pytest
from scripted_http import make_certificate

from jupyter_devenv import doctor
from jupyter_devenv.cli import main
from jupyter_devenv.modelarts.answers import Answer
from jupyter_devenv.modelarts.errors import DevEnvError
from jupyter_devenv.server.choice import choice_path, default_state_file

MARKER = "EMUSECRET"  # in every secret the emulator plants or issues


@pytest.fixture
def env(monkeypatch, tmp_path, emulator):
    """The emulator's endpoint, project, permanent keys and its running demanager instance; nothing else."""
    for name in list(os.environ):
        if name.startswith(("JUPYTER_DEVENV", "HUAWEICLOUD_SDK", "JUPYTER_CONFIG")):
            monkeypatch.delenv(name)
    emu = emulator.emulator
    (tmp_path / "config").mkdir()
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))  # no chosen instance of the real user
    monkeypatch.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", "http://127.0.0.1:9")  # nobody, as in conftest
    monkeypatch.setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", emu.access_key)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", emu.secret_key)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", emu.project_id)
    monkeypatch.setenv("JUPYTER_DEVENV_ENDPOINT", emulator.url)
    monkeypatch.setenv("JUPYTER_DEVENV_INSTANCE_ID", emu.seed_ids["demanager_running"])
    return monkeypatch


def run(capsys, *args: str) -> Tuple[int, str]:
    code = main(["doctor", *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def checks(text: str) -> Dict[str, Tuple[str, str]]:
    """check name -> (status, its lines: the detail and the ``next:`` line)."""
    found: Dict[str, Tuple[str, str]] = {}
    lines = text.splitlines()
    for i, line in enumerate(lines):
        status = line[2:7].strip()
        if status in ("OK", "WARN", "FAIL", "SKIP"):
            more = lines[i + 1] if i + 1 < len(lines) and "next:" in lines[i + 1] else ""
            found[line[8:22].strip()] = (status, line[23:] + "\n" + more)
    return found


def assert_no_secret(text: str, emulator) -> None:
    emu = emulator.emulator
    for value in (MARKER, emu.access_key, emu.secret_key, emu.temp_secret_key, emu.security_token):
        assert value not in text


def raw(emulator, key: str):
    return copy.deepcopy(emulator.emulator.instance(emulator.emulator.seed_ids[key]))


@pytest.mark.parametrize(
    "seed, action",
    [
        ("demanager_running", "modelarts:notebook:update"),
        ("notebooks_running", "modelarts:notebook:updateStopPolicy"),
    ],
)
def test_a_healthy_instance_passes_every_check_and_nothing_changes(env, emulator, capsys, seed, action):
    env.setenv("JUPYTER_DEVENV_INSTANCE_ID", emulator.emulator.seed_ids[seed])
    before = raw(emulator, seed)
    code, text = run(capsys)
    assert code == 0, text
    found = checks(text)
    assert list(found) == ["configuration", "credentials", "endpoint", "clock", "instance", "permission"]
    assert all(status == "OK" for status, _ in found.values()), text
    assert "permanent AK/SK, from environment (HUAWEICLOUD_SDK_AK)" in found["credentials"][1]
    assert "RUNNING" in found["instance"][1] and "found by backend auto" in found["instance"][1]
    assert action in found["permission"][1] and "nothing was changed" in found["permission"][1]
    assert "environment (JUPYTER_DEVENV_ENDPOINT)" in text and "All checks passed." in text
    assert raw(emulator, seed) == before
    assert_no_secret(text, emulator)


def test_the_json_report_says_the_same(env, emulator, capsys):
    code, text = run(capsys, "--json")
    doc = json.loads(text)
    assert code == 0 and doc["ok"] is True
    assert [c["status"] for c in doc["checks"]] == ["OK"] * 6
    rows = {row["name"]: row for row in doc["settings"]}
    assert rows["endpoint"] == {
        "name": "endpoint",
        "value": emulator.url,
        "source": "environment (JUPYTER_DEVENV_ENDPOINT)",
    }
    assert rows["backend"]["source"] == "default" and rows["region"]["value"] == "not set"
    assert_no_secret(text, emulator)


def test_a_clock_20_minutes_off_fails_though_the_calls_work(env, emulator, capsys):
    emulator.emulator.advance(20 * 60)  # the emulator checks signatures against the real clock
    code, text = run(capsys)
    found = checks(text)
    assert code == 1
    assert found["clock"][0] == "FAIL"
    assert "20 min 0 s behind the API's" in found["clock"][1] and "APIGW.0303" in found["clock"][1]
    assert found["instance"][0] == found["permission"][0] == "OK"


def test_a_clock_a_minute_off_is_a_warning(env, emulator, capsys):
    emulator.emulator.advance(60)
    code, text = run(capsys)
    assert code == 0
    # One minute, to the second the Date header gives (a slow round trip on a busy machine can
    # shift the estimate by one).
    assert checks(text)["clock"][0] == "WARN" and re.search(r"(59 s|1 min [01] s) behind", text), text
    assert "Works, with warnings: clock." in text


@pytest.mark.parametrize(
    "seed, switch, action",
    [
        ("demanager_running", "update", "modelarts:notebook:update"),
        ("notebooks_running", "renew_lease", "modelarts:notebook:updateStopPolicy"),
    ],
)
def test_a_missing_permission_names_the_iam_action_and_changes_nothing(
    env, emulator, capsys, seed, switch, action
):
    env.setenv("JUPYTER_DEVENV_INSTANCE_ID", emulator.emulator.seed_ids[seed])
    httpx.post(f"{emulator.url}/_emulator/faults", json={"deny": [switch]}).raise_for_status()
    before = raw(emulator, seed)
    code, text = run(capsys)
    status, words = checks(text)["permission"]
    assert code == 1 and status == "FAIL"
    assert f"this account may not change auto-stop: {action} is missing" in words
    assert "Ask an administrator to grant" in words
    assert checks(text)["instance"][0] == "OK"
    assert raw(emulator, seed) == before


def test_an_unreachable_endpoint_is_named(env, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"  # free once closed: nothing listens there
    env.setenv("JUPYTER_DEVENV_ENDPOINT", url)
    code, text = run(capsys)
    found = checks(text)
    assert code == 1
    status, words = found["endpoint"]
    assert status == "FAIL" and f"{url} cannot be reached" in words and "refused the connection" in words
    assert [found[name][0] for name in ("clock", "instance", "permission")] == ["SKIP"] * 3


def test_expired_temporary_credentials_say_so_and_what_to_do(env, emulator, capsys, tmp_path):
    httpx.post(f"{emulator.url}/_emulator/credentials", json={"lifetime": 2}).raise_for_status()
    credential = httpx.get(f"{emulator.url}/openstack/latest/securitykey").json()["credential"]
    path = tmp_path / "credentials"
    path.write_text(
        f"[basic]\nak = {credential['access']}\nsk = {credential['secret']}\n"
        f"security_token = {credential['securitytoken']}\n",
        encoding="utf-8",
    )
    env.delenv("HUAWEICLOUD_SDK_AK")
    env.delenv("HUAWEICLOUD_SDK_SK")
    emulator.emulator.advance(3)  # past their expiry on the emulator clock
    code, text = run(capsys)
    found = checks(text)
    assert code == 1
    assert found["credentials"] == (
        "OK",
        f"temporary AK/SK (with a security token), from credentials file "
        f"{path}; the source does not say when they expire\n",
    )
    status, words = found["instance"]
    assert status == "FAIL" and "the temporary credentials expired" in words and "APIGW.0307" in words
    assert f"Put fresh credentials in {path}" in words
    assert found["permission"][0] == "SKIP"
    assert_no_secret(text, emulator)
    for value in credential.values():
        assert value not in text


def test_the_metadata_services_credentials_show_when_they_expire(env, emulator, capsys):
    env.delenv("HUAWEICLOUD_SDK_AK")
    env.delenv("HUAWEICLOUD_SDK_SK")
    env.setenv("JUPYTER_DEVENV_METADATA_ENDPOINT", emulator.url)
    code, text = run(capsys)
    assert code == 0, text
    words = checks(text)["credentials"][1]
    assert f"temporary AK/SK (with a security token), from metadata service {emulator.url}" in words
    assert "they expire in 1 h 59 min" in words or "they expire in 2 h 0 min" in words
    assert_no_secret(text, emulator)


def test_no_instance_chosen_is_reported_not_a_traceback(env, emulator, capsys):
    env.delenv("JUPYTER_DEVENV_INSTANCE_ID")
    code, text = run(capsys)
    found = checks(text)
    assert code == 1 and "Traceback" not in text
    assert found["configuration"][0] == "FAIL" and "not set: instance_id" in found["configuration"][1]
    assert "c.DevEnv.instance_id (env JUPYTER_DEVENV_INSTANCE_ID)" in found["configuration"][1]
    assert "jupyter devenv use" in found["configuration"][1]
    assert found["endpoint"][0] == "OK" and found["instance"][0] == "SKIP"


def test_the_instance_chosen_with_use_is_checked_and_named(env, emulator, capsys):
    env.delenv("JUPYTER_DEVENV_INSTANCE_ID")
    wanted = emulator.emulator.seed_ids["notebooks_running"]
    path = choice_path(default_state_file())
    os.makedirs(os.path.dirname(path))
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"instance_id": wanted}, f)
    code, text = run(capsys)
    assert code == 0, text
    assert f"chosen with jupyter devenv use ({path})" in text
    status, words = checks(text)["instance"]
    assert status == "OK" and words.startswith(f"{wanted} ") and "is RUNNING, on the current API" in words


def test_a_bad_setting_is_reported_as_by_every_command(env, capsys):
    code, text = run(capsys, "--DevEnv.retries=abc")
    assert code == 1
    assert text.startswith("error: --DevEnv.retries=abc is not a valid retries")
    assert "--DevEnv.retries=abc is not a valid retries" in text


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on loopback with a self-signed certificate; yields (url, certificate path)."""
    if make_certificate(tmp_path) is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"

    class Quiet(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Quiet)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", cert
    server.shutdown()
    server.server_close()


def test_an_untrusted_certificate_says_to_set_ca_file(env, capsys, tls_server):
    url, cert = tls_server
    env.setenv("JUPYTER_DEVENV_ENDPOINT", url)
    status, words = checks(run(capsys)[1])["endpoint"]
    assert status == "FAIL" and "TLS verification failed" in words and "not trusted" in words
    assert "set c.DevEnv.ca_file" in words
    status, words = checks(run(capsys, f"--DevEnv.ca_file={cert}")[1])["endpoint"]
    assert status == "OK" and f"{url} answered" in words


# -- the pure checks -------------------------------------------------------------------------


def test_transport_words_name_dns_and_timeouts_without_asking_anyone():
    error = httpx.ConnectError("lookup failed")
    error.__cause__ = socket.gaierror(-2, "Name or service not known")
    words, advice = doctor.transport_words(error, "https://modelarts.example.invalid", 10)
    assert words == "DNS: the name modelarts.example.invalid does not resolve" and "DNS" in advice
    words, _ = doctor.transport_words(httpx.ConnectTimeout("slow"), "https://10.0.0.1", 10)
    assert words == "no connection to 10.0.0.1:443 within 10 s"


def test_the_clock_fails_past_15_minutes_only_when_requests_are_signed():
    api_time = 1_800_000_000
    local = api_time - 20 * 60  # this machine 20 minutes behind
    reply = doctor.Reply(200, formatdate(api_time, usegmt=True), local, local, False)
    signed, token = doctor.clock_result(reply, signing=True), doctor.clock_result(reply, signing=False)
    assert signed.status == "FAIL" and token.status == "WARN"
    assert "20 min 0 s behind" in signed.detail
    in_time = reply._replace(sent=api_time, received=api_time + 1)
    assert doctor.clock_result(in_time, signing=True).status == "OK"
    no_date = doctor.clock_result(reply._replace(date=None), signing=True)
    assert no_date.status == "WARN" and "no Date header" in no_date.detail


def test_expired_credentials_with_a_known_expiry_fail_the_credentials_check():
    result = doctor.credentials_result(True, "metadata service http://169.254.169.254", 1000.0, now=1600.0)
    assert result.status == "FAIL" and "expired 10 min 0 s ago" in result.detail
    assert "clock" in result.next


def test_an_accepted_probe_fails_saying_auto_stop_may_have_changed():
    result = doctor.permission_result("demanager", Answer({}, 0), "configuration", "DE-1")
    assert result.status == "FAIL" and "may have changed" in result.detail
    unsure = doctor.permission_result(
        "notebooks", DevEnvError("APIGW.0203", "Backend unavailable.", 503), "configuration", "1"
    )
    assert unsure.status == "WARN"
