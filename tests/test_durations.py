"""Durations in and out of words (``modelarts/durations.py``)."""

from __future__ import annotations

import pytest

from jupyter_devenv.modelarts.durations import format_hms, parse_duration_text, spoken
from jupyter_devenv.modelarts.errors import DevEnvError


@pytest.mark.parametrize(
    "text,seconds",
    [("2h", 7200), ("90m", 5400), ("1h30m", 5400), ("7200", 7200), (" 1H 5M 3S ", 3903), ("45s", 45)],
)
def test_parse(text, seconds):
    assert parse_duration_text(text) == seconds


@pytest.mark.parametrize("text", ["", "soon", "1.5h", "²", "h", "2 hours"])
def test_parse_refuses_what_it_cannot_read_and_repeats_it(text):
    with pytest.raises(DevEnvError) as caught:
        parse_duration_text(text)
    assert caught.value.field == "duration"
    assert (
        caught.value.error_msg == f"{text.strip()!r} is not a duration: write it like 2h, 90m, 1h30m or "
        "7200 (seconds)."
    )


@pytest.mark.parametrize(
    "seconds,words",
    [
        (0, "0 s"),
        (59, "59 s"),
        (60, "1 min"),
        (89, "1 min"),
        (90, "2 min"),
        (3600, "1 h"),
        (5400, "1 h 30 min"),
        (71999.4, "20 h"),
        (72000, "20 h"),
        (-5, "0 s"),
    ],
)
def test_spoken(seconds, words):
    assert spoken(seconds) == words


@pytest.mark.parametrize(
    "seconds,text",
    [(None, "--:--:--"), (0, "0:00:00"), (3599, "0:59:59"), (36000, "10:00:00"), (-1, "0:00:00")],
)
def test_format_hms(seconds, text):
    assert format_hms(seconds) == text
