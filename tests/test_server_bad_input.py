"""Bad input: a 4xx JSON error naming the problem, and nothing sent upstream."""

from __future__ import annotations

import json

import pytest

BAD_BODIES = [
    ("{not json", 400, "DEVENV.BAD_JSON"),
    ("[1, 2]", 400, "ModelArts.6336"),
    ('"a string"', 400, "ModelArts.6336"),
    ("null", 400, "ModelArts.6336"),
    ("{}", 400, "ModelArts.6335"),
    (json.dumps({"description": "x" * 513}), 400, "ModelArts.6336"),
    (json.dumps({"description": "a & b"}), 400, "ModelArts.6334"),
    (json.dumps({"description": "a/b"}), 400, "ModelArts.6334"),
    (json.dumps({"spec": {"auto_stop": {"enable": True}}}), 400, "ModelArts.6348"),
    (json.dumps({"spec": {"auto_stop": {"enable": True, "duration": 3599}}}), 400, "ModelArts.6349"),
    (json.dumps({"spec": {"auto_stop": {"enable": True, "duration": 86401}}}), 400, "ModelArts.6349"),
    (json.dumps({"spec": {"auto_stop": {"enable": True, "duration": "3600"}}}), 400, "ModelArts.6336"),
    (json.dumps({"spec": {"auto_stop": {"enable": True, "duration": 3600.0}}}), 400, "ModelArts.6336"),
    (json.dumps({"spec": {"auto_stop": {"enable": True, "duration": True}}}), 400, "ModelArts.6336"),
    (json.dumps({"spec": {"auto_stop": {"enable": "yes", "duration": 3600}}}), 400, "ModelArts.6336"),
    (json.dumps({"spec": {"auto_stop": {"prompt": 1}}}), 400, "ModelArts.6336"),
    (json.dumps({"name": "x"}), 400, "ModelArts.6336"),
    (json.dumps({"spec": {"flavor": "x"}}), 400, "ModelArts.6336"),
    (json.dumps({"spec": {"auto_stop": {"enable": False, "stop_timestamp": 1}}}), 400, "ModelArts.6336"),
    (json.dumps({"description": "ok", "x": 1}), 400, "ModelArts.6336"),
]


@pytest.mark.parametrize("raw,status,code", BAD_BODIES)
async def test_bad_update_bodies(api, upstream, raw, status, code):
    before = upstream.total()
    got, error = await api("PUT", "instances/current", raw=raw)
    assert (got, error["error_code"]) == (status, code), error
    assert error["error_msg"]
    assert upstream.total() == before


@pytest.mark.parametrize("backend", ["demanager"], indirect=True)
async def test_field_is_named(api):
    _, error = await api(
        "PUT", "instances/current", {"spec": {"auto_stop": {"enable": True, "duration": 10}}}
    )
    assert error["field"] == "spec.auto_stop.duration"
    assert "3600" in error["error_msg"] and "86400" in error["error_msg"]


async def test_wrong_content_type(api, upstream):
    before = upstream.total()
    got, error = await api(
        "PUT", "instances/current", raw='{"description": "x"}', headers={"Content-Type": "text/plain"}
    )
    assert (got, error["error_code"]) == (415, "DEVENV.BAD_CONTENT_TYPE")
    assert upstream.total() == before


async def test_body_over_64_kib(api, upstream):
    before = upstream.total()
    got, error = await api("PUT", "instances/current", raw=json.dumps({"description": "x" * 70000}))
    assert (got, error["error_code"]) == (413, "DEVENV.BODY_TOO_LARGE")
    assert upstream.total() == before


BAD_IDS = ["..", "%2e%2e", "a%2Fb", "x" * 300, "a%00b", "a%0Ab", "%20", "DE-abc%3Bx"]


@pytest.mark.parametrize("bad_id", BAD_IDS)
async def test_bad_instance_ids(api, upstream, bad_id):
    before = upstream.total()
    for method, body in (("GET", None), ("PUT", {"description": "x"})):
        got, error = await api(method, f"instances/{bad_id}", body)
        assert (got, error["error_code"], error["field"]) == (400, "ModelArts.6336", "instance_id"), bad_id
    assert upstream.total() == before


@pytest.mark.parametrize(
    "body,code",
    [
        ({"seconds": 3599}, "ModelArts.6349"),
        ({"seconds": 259201}, "ModelArts.6349"),
        ({"seconds": "2h"}, "ModelArts.6336"),
        ({"seconds": 7200.0}, "ModelArts.6336"),
        ({"seconds": True}, "ModelArts.6336"),
        ({}, "ModelArts.6335"),
        ({"seconds": 3600, "x": 1}, "ModelArts.6336"),
    ],
)
async def test_bad_extend_bodies(api, upstream, body, code):
    before = upstream.total()
    got, error = await api("POST", "instances/current/extend", body)
    assert (got, error["error_code"]) == (400, code)
    assert upstream.total() == before


@pytest.fixture
def raw_fetch(http_server_client):
    """Requests with no Jupyter credentials attached (``jp_fetch`` always adds the token)."""

    async def fetch(path: str, method: str, body=None, headers=None):
        return await http_server_client.fetch(
            path, method=method, body=body, headers=headers or {}, follow_redirects=False, raise_error=False
        )

    return fetch


async def test_no_authentication_is_refused(jp_base_url, upstream, raw_fetch):
    base = f"{jp_base_url}devenv/api/"
    before = upstream.total()
    for method, path, body in (
        ("GET", "instances/current", None),
        ("GET", "config", None),
        ("PUT", "instances/current", '{"description": "x"}'),
        ("POST", "instances/current/extend", '{"seconds": 3600}'),
    ):
        response = await raw_fetch(base + path, method, body, {"Content-Type": "application/json"})
        assert response.code == 403, (method, path, response.code)
    assert upstream.total() == before


async def test_browser_without_xsrf_is_refused(jp_base_url, jp_serverapp, upstream, raw_fetch):
    """A cookie-authenticated (browser) write needs the XSRF token; with it, it passes."""
    root = jp_base_url
    token = jp_serverapp.identity_provider.token
    login = await raw_fetch(f"{root}?token={token}", "GET")
    cookies = "; ".join(c.split(";")[0] for c in login.headers.get_list("Set-Cookie"))
    assert "_xsrf=" in cookies
    xsrf = [c.split("=", 1)[1] for c in cookies.split("; ") if c.startswith("_xsrf=")][0]
    url = root + "devenv/api/instances/current"
    before = upstream.total()
    refused = await raw_fetch(
        url,
        "PUT",
        '{"spec": {"auto_stop": {"prompt": false}}}',
        {"Cookie": cookies, "Content-Type": "application/json"},
    )
    assert refused.code == 403
    assert upstream.total() == before
    wrong = await raw_fetch(
        url,
        "PUT",
        '{"spec": {"auto_stop": {"prompt": false}}}',
        {"Cookie": cookies, "Content-Type": "application/json", "X-XSRFToken": "wrong"},
    )
    assert wrong.code == 403
    accepted = await raw_fetch(
        url,
        "PUT",
        '{"spec": {"auto_stop": {"prompt": false}}}',
        {"Cookie": cookies, "Content-Type": "application/json", "X-XSRFToken": xsrf},
    )
    assert accepted.code == 200, accepted.body


async def test_a_wrong_method_says_so(api):
    status, error = await api("DELETE", "instances/current")
    assert status == 405 and error["error_code"] == "DEVENV.HTTP_405"
    assert "DELETE is not allowed" in error["error_msg"]
