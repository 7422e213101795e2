"""A server with no credentials set runs on the metadata service's temporary ones, across expiries."""

from __future__ import annotations

import pytest


@pytest.fixture
def devenv_config(emulator, backend, instance_id):
    """No keys, no token: only where the metadata service is (the emulator plays it)."""
    return {
        "endpoint": emulator.url,
        "project_id": emulator.emulator.project_id,
        "instance_id": instance_id,
        "backend": backend,
        "metadata_endpoint": emulator.url,
        "retries": 2,
        "request_timeout": 5.0,
        "cache_ttl": 0.0,
    }


async def test_every_poll_answers_across_three_credential_expiries(api, upstream, emulator, server_log):
    lifetime = emulator.emulator.credentials_lifetime
    statuses = []
    for _ in range(4):  # the first credentials, then three expiries
        for _ in range(3):
            status, _state = await api("GET", "instances/current")
            statuses.append(status)
        upstream.advance(lifetime + 1)
    assert statuses == [200] * 12
    assert emulator.emulator.auth.temporary_issued == 4  # each expiry renewed once
    status, config = await api("GET", "config")
    assert config["credentials"] == f"metadata service {emulator.url}"
    fetched = [line for line in server_log if "credentials from metadata service" in line]
    assert len(fetched) == 4 and all("temporary until" in line for line in fetched)
