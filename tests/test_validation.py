"""The seed's update-body rules, the extend body, instance ids and duration text.

Every refusal is checked for its code (the one ModelArts itself gives), the field to
blame, and a message that states the rule broken.
"""

from __future__ import annotations

import copy

import pytest

from jupyter_devenv.modelarts.durations import parse_duration_text
from jupyter_devenv.modelarts.errors import DevEnvError
from jupyter_devenv.modelarts.models import (
    validate_extend_body,
    validate_instance_id,
    validate_update_body,
)

INVALID_CHARACTER = "ModelArts.6334"
MISSING = "ModelArts.6335"
INCORRECT = "ModelArts.6336"
DURATION_MANDATORY = "ModelArts.6348"
OUT_OF_RANGE = "ModelArts.6349"

FORBIDDEN = ["&", "<", ">", '"', "'", "/"]


def _auto(**fields):
    return {"spec": {"auto_stop": fields}}


def _raises(func, value, code, field, *rule_words):
    with pytest.raises(DevEnvError) as info:
        func(value)
    err = info.value
    assert err.error_code == code, (err.error_code, err.error_msg)
    assert err.field == field
    assert err.status == 400
    for word in rule_words:
        assert word.lower() in err.error_msg.lower(), (word, err.error_msg)
    body = err.to_dict()
    assert body["error_code"] == code and body["error_msg"] == err.error_msg and body.get("field") == field
    return err


# ------------------------------------------------------------------ accepted update bodies

ACCEPTED = [
    ({"description": "machine learning python2.7 notebook"}, None),  # the seed's request
    ({"description": ""}, None),
    ({"description": "x" * 511}, None),
    ({"description": "x" * 512}, None),
    ({"description": "中" * 512}, None),  # characters, not bytes
    ({"description": "a-b_c.d,e;f:g!h?(i)[j]{k}@#$%^*+=~`|\\ é 😀"}, None),
    (_auto(enable=True, duration=3600), None),
    (_auto(enable=True, duration=86400), None),
    (_auto(enable=True, duration=7200, prompt=False), None),
    (_auto(enable=False), None),
    (_auto(enable=False, duration=3600), None),
    (_auto(duration=3600), None),
    (_auto(prompt=True), None),
    (_auto(prompt=False), None),
    ({"description": "d", **_auto(enable=True, duration=4000, prompt=True)}, None),
]


@pytest.mark.parametrize("body,_", ACCEPTED, ids=range(len(ACCEPTED)))
def test_update_body_accepted(body, _):
    before = copy.deepcopy(body)
    out = validate_update_body(body)
    assert out == body  # normalized copy of a valid body is the body
    assert body == before  # input not mutated
    assert out is not body


def test_update_body_output_is_a_copy():
    body = _auto(enable=True, duration=3600)
    out = validate_update_body(body)
    out["spec"]["auto_stop"]["duration"] = 1
    assert body["spec"]["auto_stop"]["duration"] == 3600


# ------------------------------------------------------------------ refused update bodies

REFUSED = [
    # description length: 511 and 512 pass above, 513 is refused
    ("desc 513", {"description": "x" * 513}, INCORRECT, "description", ["513", "512"]),
    ("desc 10000", {"description": "x" * 10000}, INCORRECT, "description", ["at most 512"]),
    # forbidden characters, one by one
    *[
        (f"desc char {c}", {"description": f"abc{c}def"}, INVALID_CHARACTER, "description", [c, "none of"])
        for c in FORBIDDEN
    ],
    ("desc all chars", {"description": "&<>\"'/"}, INVALID_CHARACTER, "description", FORBIDDEN),
    ("desc char at end", {"description": "x" * 511 + "/"}, INVALID_CHARACTER, "description", ["/"]),
    # non-string description
    ("desc int", {"description": 5}, INCORRECT, "description", ["must be a string"]),
    ("desc null", {"description": None}, INCORRECT, "description", ["must be a string"]),
    ("desc list", {"description": ["a"]}, INCORRECT, "description", ["must be a string"]),
    ("desc bool", {"description": True}, INCORRECT, "description", ["must be a string"]),
    # duration range
    (
        "dur 3599",
        _auto(enable=True, duration=3599),
        OUT_OF_RANGE,
        "spec.auto_stop.duration",
        ["3599", "between 3600 and 86400"],
    ),
    (
        "dur 86401",
        _auto(enable=True, duration=86401),
        OUT_OF_RANGE,
        "spec.auto_stop.duration",
        ["86401", "between 3600 and 86400"],
    ),
    ("dur 0", _auto(duration=0), OUT_OF_RANGE, "spec.auto_stop.duration", ["between 3600 and 86400"]),
    (
        "dur negative",
        _auto(duration=-3600),
        OUT_OF_RANGE,
        "spec.auto_stop.duration",
        ["between 3600 and 86400"],
    ),
    ("dur huge", _auto(duration=10**30), OUT_OF_RANGE, "spec.auto_stop.duration", ["between 3600 and 86400"]),
    # duration type
    (
        "dur true",
        _auto(enable=True, duration=True),
        INCORRECT,
        "spec.auto_stop.duration",
        ["integer", "bool"],
    ),
    ("dur false", _auto(duration=False), INCORRECT, "spec.auto_stop.duration", ["integer"]),
    (
        "dur str",
        _auto(enable=True, duration="3600"),
        INCORRECT,
        "spec.auto_stop.duration",
        ["integer", "str"],
    ),
    (
        "dur float",
        _auto(enable=True, duration=3600.0),
        INCORRECT,
        "spec.auto_stop.duration",
        ["integer", "float"],
    ),
    ("dur null", _auto(enable=True, duration=None), INCORRECT, "spec.auto_stop.duration", ["integer"]),
    # duration mandatory with enable true
    (
        "enable no duration",
        _auto(enable=True),
        DURATION_MANDATORY,
        "spec.auto_stop.duration",
        ["mandatory", "enable"],
    ),
    (
        "enable+prompt no duration",
        _auto(enable=True, prompt=False),
        DURATION_MANDATORY,
        "spec.auto_stop.duration",
        ["mandatory"],
    ),
    # booleans
    (
        "enable str",
        _auto(enable="true", duration=3600),
        INCORRECT,
        "spec.auto_stop.enable",
        ["true or false"],
    ),
    ("enable int", _auto(enable=1, duration=3600), INCORRECT, "spec.auto_stop.enable", ["true or false"]),
    ("enable null", _auto(enable=None), INCORRECT, "spec.auto_stop.enable", ["true or false"]),
    ("prompt str", _auto(prompt="false"), INCORRECT, "spec.auto_stop.prompt", ["true or false"]),
    ("prompt int", _auto(prompt=0), INCORRECT, "spec.auto_stop.prompt", ["true or false"]),
    # unknown keys, at each level
    (
        "unknown top",
        {"description": "d", "name": "n"},
        INCORRECT,
        "name",
        ["not a known property", "description"],
    ),
    ("unknown top only", {"flavor": "x"}, INCORRECT, "flavor", ["not a known property"]),
    (
        "unknown spec",
        {"spec": {"auto_stop": {"enable": False}, "credential": {}}},
        INCORRECT,
        "spec.credential",
        ["not a known property", "auto_stop"],
    ),
    (
        "unknown auto_stop",
        _auto(enable=True, duration=3600, stop_timestamp=1),
        INCORRECT,
        "spec.auto_stop.stop_timestamp",
        ["not a known property", "enable", "duration", "prompt"],
    ),
    (
        "unknown auto_stop remain",
        _auto(remain_time=5),
        INCORRECT,
        "spec.auto_stop.remain_time",
        ["not a known property"],
    ),
    # empty things
    ("empty body", {}, MISSING, "body", ["empty"]),
    ("empty spec", {"spec": {}}, MISSING, "spec.auto_stop", ["auto_stop"]),
    ("empty auto_stop", {"spec": {"auto_stop": {}}}, MISSING, "spec.auto_stop", ["empty"]),
    # not objects
    ("body list", [], INCORRECT, "body", ["JSON object"]),
    ("body list of body", [{"description": "d"}], INCORRECT, "body", ["JSON object"]),
    ("body str", '{"description": "d"}', INCORRECT, "body", ["JSON object"]),
    ("body null", None, INCORRECT, "body", ["JSON object"]),
    ("body int", 3, INCORRECT, "body", ["JSON object"]),
    ("spec list", {"spec": []}, INCORRECT, "spec", ["JSON object"]),
    ("spec null", {"spec": None}, INCORRECT, "spec", ["JSON object"]),
    ("auto_stop list", {"spec": {"auto_stop": [True]}}, INCORRECT, "spec.auto_stop", ["JSON object"]),
    ("auto_stop bool", {"spec": {"auto_stop": True}}, INCORRECT, "spec.auto_stop", ["JSON object"]),
]


@pytest.mark.parametrize("body,code,field,words", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_update_body_refused(body, code, field, words):
    before = copy.deepcopy(body)
    _raises(validate_update_body, body, code, field, *words)
    assert body == before


@pytest.mark.parametrize("length,ok", [(511, True), (512, True), (513, False)])
def test_description_length_boundary(length, ok):
    body = {"description": "d" * length}
    if ok:
        assert validate_update_body(body)["description"] == "d" * length
    else:
        _raises(validate_update_body, body, INCORRECT, "description", str(length), "512")


@pytest.mark.parametrize("duration,ok", [(3599, False), (3600, True), (86400, True), (86401, False)])
def test_duration_boundary(duration, ok):
    body = _auto(enable=True, duration=duration)
    if ok:
        assert validate_update_body(body)["spec"]["auto_stop"]["duration"] == duration
    else:
        _raises(
            validate_update_body,
            body,
            OUT_OF_RANGE,
            "spec.auto_stop.duration",
            str(duration),
            "3600",
            "86400",
        )


def test_forbidden_character_message_names_only_the_offending_character():
    err = _raises(validate_update_body, {"description": "a<b"}, INVALID_CHARACTER, "description")
    offending, rule = err.error_msg.split(";", 1)
    assert "<" in offending and not any(c in offending for c in FORBIDDEN if c != "<")
    assert all(c in rule for c in FORBIDDEN)


def test_description_with_forbidden_char_does_not_echo_the_text():
    secret_like = "my description with token abc123/"
    err = _raises(validate_update_body, {"description": secret_like}, INVALID_CHARACTER, "description")
    assert "abc123" not in err.error_msg


# ------------------------------------------------------------------ extend body


@pytest.mark.parametrize("seconds", [3600, 7200, 259200])
def test_extend_accepted(seconds):
    assert validate_extend_body({"seconds": seconds}) == seconds
    assert validate_extend_body({"seconds": seconds, "allow_earlier": True}) == seconds


EXTEND_REFUSED = [
    ("3599", {"seconds": 3599}, OUT_OF_RANGE, "seconds", ["3599", "between 3600 and 259200"]),
    ("259201", {"seconds": 259201}, OUT_OF_RANGE, "seconds", ["259201", "between 3600 and 259200"]),
    ("2h", {"seconds": "2h"}, INCORRECT, "seconds", ["integer", "str"]),
    ("7200.0", {"seconds": 7200.0}, INCORRECT, "seconds", ["integer", "float"]),
    ("True", {"seconds": True}, INCORRECT, "seconds", ["integer", "bool"]),
    ("null", {"seconds": None}, INCORRECT, "seconds", ["integer"]),
    ("missing", {}, MISSING, "seconds", ["missing", "3600", "259200"]),
    (
        "unknown key",
        {"seconds": 3600, "type": "TIMING"},
        INCORRECT,
        "type",
        ["not a known property", "seconds"],
    ),
    (
        "allow_earlier text",
        {"seconds": 3600, "allow_earlier": "yes"},
        INCORRECT,
        "allow_earlier",
        ["true or false"],
    ),
    ("duration key", {"duration": 3600000}, INCORRECT, "duration", ["not a known property"]),
    ("list", [3600], INCORRECT, "body", ["JSON object"]),
    ("int", 3600, INCORRECT, "body", ["JSON object"]),
    ("none", None, INCORRECT, "body", ["JSON object"]),
]


@pytest.mark.parametrize(
    "body,code,field,words", [r[1:] for r in EXTEND_REFUSED], ids=[r[0] for r in EXTEND_REFUSED]
)
def test_extend_refused(body, code, field, words):
    _raises(validate_extend_body, body, code, field, *words)


# ------------------------------------------------------------------ instance ids

VALID_IDS = [
    "DE-7d558ef8-c73d-11ea-964c-0255ac100033",  # the API document's example
    "0f4ea5c3-8b69-4a43-9f3b-2a1b8a2c1f2e",  # a notebooks UUID
    "a",
    "A" * 64,
]


@pytest.mark.parametrize("value", VALID_IDS)
def test_instance_id_accepted(value):
    assert validate_instance_id(value) == value


INVALID_IDS = [
    "../",
    "..",
    "%2e%2e",
    "%2E%2E%2F",
    "a/b",
    "a\\b",
    "DE-abc/../../x",
    "x" * 300,
    "A" * 65,
    "",
    " ",
    "DE-abc\n",  # a trailing newline
    "DE-abc\r\nX-Injected: 1",
    "DE-\x00abc",
    "DE-abc\t",
    "\nDE-abc",
    "-leading-dash",
    "DE_abc",
    "DE-abc?x=1",
    "DE-abc#frag",
    "DE-ábc",
    "DE-abc ",
    "ＤＥ-abc",  # full-width letters
    "DE-١٢٣",  # Arabic-Indic digits
]


@pytest.mark.parametrize("value", INVALID_IDS, ids=lambda v: repr(v)[:30])
def test_instance_id_refused(value):
    _raises(validate_instance_id, value, INCORRECT, "instance_id", "letters, digits", "64")


@pytest.mark.parametrize("value", [None, 5, b"DE-abc", ["DE-abc"]])
def test_instance_id_refused_non_string(value):
    err = _raises(validate_instance_id, value, INCORRECT, "instance_id", "letters, digits")
    assert type(value).__name__ in err.error_msg


def test_instance_id_message_is_bounded():
    err = _raises(validate_instance_id, "x" * 300, INCORRECT, "instance_id")
    assert len(err.error_msg) < 200


# ------------------------------------------------------------------ duration text (CLI)


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("2h", 7200),
        ("90m", 5400),
        ("1h30m", 5400),
        ("1h 30m", 5400),
        ("7200", 7200),
        ("  7200 ", 7200),
        ("45s", 45),
        ("1h0m1s", 3601),
        ("2H", 7200),
        (7200, 7200),
    ],
)
def test_parse_duration_text(text, seconds):
    assert parse_duration_text(text) == seconds


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "garbage",
        "h",
        "2 hours",
        "1.5h",
        "-5",
        "-2h",
        "2d",
        "m30",
        "30m1h",
        "2h2h",
        "0x10",
        "1e3",
        "²",
        "٣",
        "1h٣m",
        "7200\n7200",
        None,
    ],
    ids=repr,
)
def test_parse_duration_text_refused(text):
    _raises(parse_duration_text, text, INCORRECT, "duration", "is not a duration", "2h", "90m", "7200")
