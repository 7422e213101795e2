"""Parsing of ModelArts error answers into DevEnvError, and Retry-After."""

from __future__ import annotations

import json

import pytest

from jupyter_devenv.modelarts.errors import DevEnvError, error_from_response, parse_retry_after

SEED_FAILURE = {"error_message": "The instance does not exist.", "error_code": "ModelArts.6309"}


def _body(obj) -> bytes:
    return json.dumps(obj).encode("utf-8")


def test_seed_failure_example_error_message_body():
    err = error_from_response(400, _body(SEED_FAILURE))
    assert isinstance(err, DevEnvError)
    assert err.error_code == "ModelArts.6309"
    assert err.error_msg == "The instance does not exist."
    assert err.status == 400
    assert err.field is None
    assert err.retry_after is None
    assert err.to_dict() == {"error_code": "ModelArts.6309", "error_msg": "The instance does not exist."}
    assert "ModelArts.6309" in str(err) and "does not exist" in str(err)


@pytest.mark.parametrize(
    "status,body,code,msg",
    [
        (
            400,
            {"error_code": "ModelArts.6334", "error_msg": "Invalid character."},
            "ModelArts.6334",
            "Invalid character.",
        ),
        (
            401,
            {
                "error_code": "APIGW.0301",
                "error_msg": "Incorrect IAM authentication information",
                "request_id": "r-1",
            },
            "APIGW.0301",
            "Incorrect IAM authentication information",
        ),
        (
            429,
            {"error_code": "APIGW.0308", "error_msg": "The throttling threshold has been reached"},
            "APIGW.0308",
            "The throttling threshold has been reached",
        ),
        (
            500,
            {"error_code": "ModelArts.6200", "error_message": "Internal error."},
            "ModelArts.6200",
            "Internal error.",
        ),
        # both spellings: error_msg is preferred
        (
            400,
            {"error_code": "ModelArts.6336", "error_msg": "first", "error_message": "second"},
            "ModelArts.6336",
            "first",
        ),
        # empty error_msg falls back to error_message
        (
            400,
            {"error_code": "ModelArts.6336", "error_msg": "", "error_message": "second"},
            "ModelArts.6336",
            "second",
        ),
        # non-ASCII message, as the Chinese pages give
        (400, {"error_code": "ModelArts.6309", "error_msg": "实例不存在"}, "ModelArts.6309", "实例不存在"),
    ],
)
def test_json_error_bodies(status, body, code, msg):
    err = error_from_response(status, _body(body))
    assert (err.error_code, err.error_msg, err.status) == (code, msg, status)


def test_code_without_message_gets_a_message_naming_the_status():
    err = error_from_response(403, _body({"error_code": "ModelArts.0204"}))
    assert err.error_code == "ModelArts.0204"
    assert err.error_msg and "403" in err.error_msg


def test_message_without_code_gets_an_http_code():
    err = error_from_response(502, _body({"error_msg": "bad gateway"}))
    assert err.error_code == "HTTP.502"
    assert err.error_msg == "bad gateway"


HTML = (
    b"<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
    b"</center><hr><center>nginx</center></body></html>"
)


@pytest.mark.parametrize(
    "status,content",
    [
        (502, HTML),
        (503, b""),
        (500, b'{"error_code": "ModelArts.6200", "error_msg": "Internal'),  # truncated JSON
        (504, b"\xff\xfe\x00\x80\x81 not utf-8 \xc3\x28"),
        (500, b'{"error_code": "ModelArts.6200", "error_msg": "caf\xe9"}'),  # latin-1 inside JSON
        (400, b"[1, 2, 3]"),  # JSON, but not an object
        (400, b'"just a string"'),
        (400, b"null"),
        (400, b"   "),
        (401, b"Unauthorized"),
    ],
    ids=["html", "empty", "truncated", "not-utf8", "latin1-json", "list", "string", "null", "blank", "text"],
)
def test_bodies_that_are_not_error_objects(status, content):
    err = error_from_response(status, content)
    assert isinstance(err, DevEnvError)
    assert err.status == status
    assert err.error_code == f"HTTP.{status}"
    assert str(status) in err.error_msg
    # nothing of a gateway's page is echoed into the message
    assert "<" not in err.error_msg and "nginx" not in err.error_msg


def test_non_string_fields_are_stringified():
    err = error_from_response(400, _body({"error_code": 6309, "error_msg": {"detail": "x"}}))
    assert err.error_code == "6309"
    assert isinstance(err.error_msg, str) and "detail" in err.error_msg


@pytest.mark.parametrize(
    "header,expected",
    [
        ("5", 5.0),
        ("0", 0.0),
        ("120", 120.0),
        ("1.5", 1.5),
        (" 7 ", 7.0),
        ("-3", 0.0),  # never negative
        (None, None),
        ("", None),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),  # HTTP-date form: not seconds
        ("soon", None),
        ("inf", None),  # non-finite values would overflow int() or a sleep
        ("Infinity", None),
        ("nan", None),
    ],
)
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header) == expected


def test_retry_after_carried_on_the_error():
    err = error_from_response(
        429, _body({"error_code": "APIGW.0308", "error_msg": "throttled"}), retry_after="3"
    )
    assert err.retry_after == 3.0
    assert err.status == 429
    err = error_from_response(429, b"", retry_after="Wed, 21 Oct 2015 07:28:00 GMT")
    assert err.retry_after is None


def test_devenv_error_to_dict_with_field_and_repr():
    err = DevEnvError("ModelArts.6349", "out of range", status=400, field="spec.auto_stop.duration")
    assert err.to_dict() == {
        "error_code": "ModelArts.6349",
        "error_msg": "out of range",
        "field": "spec.auto_stop.duration",
    }
    assert "ModelArts.6349" in repr(err) and "400" in repr(err)
    with pytest.raises(DevEnvError):
        raise err


def test_iam_error_body_shape():
    body = (
        b'{"error": {"code": "IAM.0004", "message": "The username or password is wrong.", "title": "Unauth"}}'
    )
    error = error_from_response(401, body)
    assert (error.error_code, error.error_msg, error.status) == (
        "IAM.0004",
        "The username or password is wrong.",
        401,
    )
