"""Holds over REST, and the keeper keeping the instance running through them (no browser).

The emulator's clock is advanced step by step and the keeper ticked at each step; the
emulator's own state (``GET /_emulator/instances/{id}``) says what ModelArts would.
"""

from __future__ import annotations

from typing import Any, Dict

import pytest

HOUR = 3600


@pytest.fixture
def devenv_config(devenv_config):
    """conftest's settings; the tests tick the keeper themselves (no periodic tick in between)."""
    return {**devenv_config, "request_timeout": 5.0, "hold_check_interval": 3600.0}


def lease_stop(raw: Dict[str, Any]) -> int:
    return raw["lease"]["create_at"] + raw["lease"]["duration"]


async def test_bad_bodies_name_the_field_and_keep_nothing(api, upstream):
    before = upstream.total()
    for body, field in [
        ({"max_seconds": 3600}, "reason"),
        ({"reason": "x"}, "max_seconds"),
        ({"reason": "", "max_seconds": 3600}, "reason"),
        ({"reason": "x" * 201, "max_seconds": 3600}, "reason"),
        ({"reason": "a\nb", "max_seconds": 3600}, "reason"),
        ({"reason": "   ", "max_seconds": 3600}, "reason"),
        ({"reason": "x", "max_seconds": 59}, "max_seconds"),
        ({"reason": "x", "max_seconds": 259201}, "max_seconds"),
        ({"reason": "x", "max_seconds": 3600.0}, "max_seconds"),
        ({"reason": "x", "max_seconds": True}, "max_seconds"),
        ({"reason": "x", "max_seconds": 3600, "kernel_id": "no such kernel"}, "kernel_id"),
        ({"reason": "x", "max_seconds": 3600, "kernel_id": "abc"}, "kernel_id"),
        ({"reason": "x", "max_seconds": 3600, "other": 1}, "other"),
        ([], "body"),
    ]:
        status, answer = await api("POST", "holds", body)
        assert status == 400 and answer["field"] == field, (body, answer)
        assert field in answer["error_msg"] and "Nothing was kept" in answer["error_msg"], answer
    assert upstream.total() == before  # nothing went upstream
    status, answer = await api("GET", "holds")
    assert status == 200 and answer["holds"] == [] and answer["restore"] is None


async def test_a_hold_is_answered_listed_and_released(api, instance_id):
    status, hold = await api("POST", "holds", {"reason": "training run", "max_seconds": 7200})
    assert status == 201, hold
    assert hold["ends_at"] - hold["created_at"] == 7200 * 1000
    shown = (hold["reason"], hold["kernel_id"], hold["notebook"], hold["holder"])
    assert shown == ("training run", None, None, "user")
    assert hold["instance_id"] == instance_id
    status, listed = await api("GET", "holds")
    assert [h["id"] for h in listed["holds"]] == [hold["id"]]
    assert listed["server_time"] >= hold["created_at"]
    status, answer = await api("DELETE", f"holds/{hold['id']}")
    assert status == 204 and answer is None
    status, answer = await api("DELETE", f"holds/{hold['id']}")
    assert (status, answer["error_code"]) == (404, "DEVENV.HOLD_NOT_FOUND")
    assert (await api("GET", "holds"))[1]["holds"] == []


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_a_5h_hold_keeps_a_1h_lease_running_and_never_past_its_end(api, upstream, keeper, instance_id):
    raw = upstream.instance(instance_id)
    assert lease_stop(raw) - upstream.advance(0) <= HOUR * 1000  # a 1 h lease
    status, hold = await api("POST", "holds", {"reason": "training", "max_seconds": 5 * HOUR})
    assert status == 201, hold
    end = hold["ends_at"]
    stopped_at = None
    for _ in range(36):  # 6 h in 10-minute steps
        now = upstream.advance(600)
        await keeper.tick()
        raw = upstream.instance(instance_id)
        assert lease_stop(raw) <= end, "the lease was renewed past the hold's end"
        if now < end - 10_000:
            assert raw["status"] == "RUNNING", (now, end, raw["status"])
        elif raw["status"] == "STOPPED" and stopped_at is None:
            stopped_at = now
        if now >= end:
            assert raw["status"] == "STOPPED", "it did not stop once the hold ended"
    assert stopped_at is not None and stopped_at - end <= 600_000
    assert lease_stop(raw) >= end - 5_000  # renewed to the hold's end (to the second), not short of it
    assert (await api("GET", "holds"))[1]["holds"] == []


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_a_5h_hold_turns_the_older_apis_auto_stop_off_and_back_on(api, upstream, keeper, instance_id):
    before = upstream.instance(instance_id)["spec"]["auto_stop"]
    assert (before["enable"], before["duration"]) == (True, 3600)
    status, hold = await api("POST", "holds", {"reason": "training", "max_seconds": 5 * HOUR})
    assert status == 201, hold
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
    status, listed = await api("GET", "holds")
    assert listed["restore"]["enable"] is True and listed["restore"]["duration"] == 3600
    assert "next start" in listed["restore"]["note"]
    end, restored_at = hold["ends_at"], None
    for _ in range(36):
        now = upstream.advance(600)
        await keeper.tick()
        raw = upstream.instance(instance_id)
        if now < end - 2_000:  # the upstream clock is read to the second (the Date header)
            assert raw["status"] == "RUNNING" and raw["spec"]["auto_stop"]["enable"] is False, (now, raw)
        elif now >= end and restored_at is None:
            assert raw["spec"]["auto_stop"]["enable"] is True and raw["spec"]["auto_stop"]["duration"] == 3600
            restored_at = now
    assert restored_at is not None and restored_at - end <= 600_000
    listed = (await api("GET", "holds"))[1]
    assert (listed["holds"], listed["restore"]) == ([], None)
    upstream.advance(HOUR + 1)  # back on with the user's duration: the emulator stops it after it
    assert upstream.instance(instance_id)["status"] == "STOPPED"


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_auto_stop_the_user_had_off_stays_off(api, upstream, keeper, instance_id):
    assert (await api("PUT", "instances/current", {"spec": {"auto_stop": {"enable": False}}}))[0] == 200
    status, hold = await api("POST", "holds", {"reason": "training", "max_seconds": 600})
    assert (await api("GET", "holds"))[1]["restore"]["enable"] is False
    upstream.advance(601)
    await keeper.tick()
    assert upstream.instance(instance_id)["spec"]["auto_stop"]["enable"] is False
    listed = (await api("GET", "holds"))[1]
    assert (listed["holds"], listed["restore"]) == ([], None)


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_a_hold_is_never_longer_than_its_max_seconds(api, upstream, keeper, instance_id):
    status, hold = await api("POST", "holds", {"reason": "short", "max_seconds": 120})
    assert status == 201
    lease = lease_stop(upstream.instance(instance_id))
    upstream.advance(121)
    await keeper.tick()
    assert (await api("GET", "holds"))[1]["holds"] == []
    assert lease_stop(upstream.instance(instance_id)) == lease  # a 1 h lease covers 2 min: not renewed


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_less_than_the_shortest_renewal_left_is_not_renewed_past_the_end(
    api, upstream, keeper, instance_id, server_log
):
    upstream.advance(50 * 60)  # 10 min of the 1 h lease left
    lease = lease_stop(upstream.instance(instance_id))
    status, hold = await api("POST", "holds", {"reason": "finish the epoch", "max_seconds": 30 * 60})
    assert status == 201
    assert "shortest renewal" in hold["note"] and "not renewed past their end" in hold["note"], hold
    assert lease_stop(upstream.instance(instance_id)) == lease
    assert any("shortest renewal" in line for line in server_log)


@pytest.mark.parametrize("backend", ["notebooks"], indirect=True)
async def test_a_lease_the_user_extended_beyond_the_hold_is_left_alone(api, upstream, keeper, instance_id):
    assert (await api("POST", "instances/current/extend", {"seconds": 10 * HOUR}))[0] == 200
    lease = lease_stop(upstream.instance(instance_id))
    status, hold = await api("POST", "holds", {"reason": "x", "max_seconds": 2 * HOUR})
    for _ in range(3):
        upstream.advance(1800)
        await keeper.tick()
    assert lease_stop(upstream.instance(instance_id)) == lease
