"""Decoding upstream answers: what ``decode_body`` keeps of the headers."""

from __future__ import annotations

import httpx
import pytest

from jupyter_devenv.modelarts.answers import decode_body


@pytest.mark.parametrize(
    "headers, emulated",
    [
        ({"X-Emulator": "jupyter-devenv"}, True),
        ({"X-Emulator": "another-emulator"}, False),
        ({}, False),
    ],
)
def test_only_this_projects_emulator_marks_an_answer_emulated(headers, emulated):
    for content in (b"", b'{"id": "x"}'):
        assert decode_body(200, content, httpx.Headers(headers)).emulated is emulated


def test_the_date_header_is_the_answers_clock():
    answer = decode_body(200, b"{}", httpx.Headers({"Date": "Tue, 01 Dec 2026 18:00:00 GMT"}))
    assert answer.server_time == 1796148000_500  # the middle of the header's one-second resolution
