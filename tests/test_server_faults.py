"""Upstream faults through the proxy: the right code, the server stays up, then recovers."""

from __future__ import annotations

import pytest

from jupyter_devenv.emulator.app import IAM_DOMAIN, IAM_PASSWORD, IAM_USER


@pytest.fixture
def devenv_config(emulator, backend, instance_id):
    return {
        "endpoint": emulator.url,
        "project_id": emulator.emulator.project_id,
        "instance_id": instance_id,
        "access_key": emulator.emulator.access_key,
        "secret_key": emulator.emulator.secret_key,
        "backend": backend,
        "retries": 2,
        "request_timeout": 1.5,
        "cache_ttl": 0.0,
        "allowed_instances": ["*"],
    }  # unknown ids reach upstream, for the error tests


def _requests(upstream, method, fragment):
    return sum(
        n
        for key, n in upstream.stats()["requests"].items()
        if key.startswith(method + " ") and fragment in key
    )


async def _recovers(api, upstream):
    upstream.clear_faults()
    status, state = await api("GET", "instances/current")
    assert status == 200 and state["auto_stop"]["stop_timestamp"], state


@pytest.mark.parametrize(
    "switches,status,code",
    [
        ({"drop": 10}, 502, "DEVENV.UPSTREAM_UNREACHABLE"),
        ({"latency": 2.0}, 504, "DEVENV.UPSTREAM_TIMEOUT"),  # longer than the whole request_timeout
        ({"malformed": 10}, 502, "DEVENV.UPSTREAM_MALFORMED"),
        ({"unavailable": 10}, 503, None),
        ({"rate_limit": {"count": 10, "retry_after": 0}}, 429, "APIGW.0308"),
        ({"error_rate": 1.0}, 500, "ModelArts.6200"),
    ],
)
async def test_fault_gives_the_right_error_then_recovers(api, upstream, switches, status, code):
    upstream.faults(**switches)
    got, error = await api("GET", "instances/current")
    assert got == status, error
    if code:
        assert error["error_code"] == code
    assert error["error_msg"]
    await _recovers(api, upstream)


async def test_retryable_faults_are_retried_to_the_bound(api, upstream):
    upstream.faults(unavailable=10)
    before = upstream.total()
    await api("GET", "instances/current")
    assert upstream.total() - before == 3  # one try and retries=2


async def test_a_short_429_burst_is_absorbed(api, upstream):
    upstream.faults(rate_limit={"count": 1, "retry_after": 0})
    before = upstream.total()
    status, _ = await api("GET", "instances/current")
    assert status == 200
    assert upstream.total() - before == 2


async def test_validation_errors_upstream_are_not_retried(api, upstream, backend):
    before = upstream.total()
    status, error = await api("GET", "instances/DE-00000000-0000-0000-0000-000000000000")
    assert status == 400 and error["error_code"] == "ModelArts.6309"
    assert upstream.total() - before <= 2  # auto detection may try the other API once


class TestIamToken:
    @pytest.fixture
    def devenv_config(self, emulator, instance_id, backend):
        return {
            "endpoint": emulator.url,
            "iam_endpoint": emulator.url,
            "project_id": emulator.emulator.project_id,
            "instance_id": instance_id,
            "backend": backend,
            "user": IAM_USER,
            "password": IAM_PASSWORD,
            "domain": IAM_DOMAIN,
            "retries": 2,
            "request_timeout": 2.0,
            "cache_ttl": 0.0,
        }

    async def test_expired_token_is_refreshed_once(self, api, upstream):
        status, _ = await api("GET", "instances/current")
        assert status == 200
        assert _requests(upstream, "POST", "/v3/auth/tokens") == 1
        upstream.faults(expire_tokens=True)
        status, state = await api("GET", "instances/current")
        assert status == 200, state
        assert _requests(upstream, "POST", "/v3/auth/tokens") == 2
