"""``GET /devenv/api/locale/<locale>``: the front end's translations, and JupyterLab finding the same file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from jupyter_devenv.server import locales

ZH_FILE = locales.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "jupyter_devenv.json"
ZH = json.loads(ZH_FILE.read_text(encoding="utf-8"))
SOURCE = Path(__file__).resolve().parents[1] / "labextension" / "src"
# A message id as the front end writes it: trans.__('...') or around(trans, '...', el), either quote.
MSGID = re.compile(r"""(?:\.__\(|around\(\s*trans,)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")""")


@pytest.fixture
def backend() -> str:
    return "demanager"  # one backend: nothing here calls upstream


@pytest.fixture
def get(http_server_client, jp_base_url, jp_auth_header):
    """``await get(raw_path, auth=True)``: the path sent as written (no escaping), the answer kept as is."""

    async def fetch(path: str, auth: bool = True, headers=None):
        headers = {**(jp_auth_header if auth else {}), **(headers or {})}
        return await http_server_client.fetch(
            f"{jp_base_url}devenv/api/{path}", headers=headers, follow_redirects=False, raise_error=False
        )

    return fetch


def _json(response):
    return json.loads(response.body.decode("utf-8"))


async def test_zh_answer_is_the_table_and_may_be_cached(get):
    response = await get("locale/zh_CN")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.headers["Cache-Control"] == "private, max-age=3600"
    table = _json(response)
    assert table == ZH
    assert table[""]["domain"] == "jupyter_devenv" and table[""]["language"] == "zh_CN"
    assert table["Auto-stop countdown"] == ["自动停止倒计时"]
    assert len(table) > 80 and all(isinstance(v, list) and v[0] for k, v in table.items() if k)
    again = await get("locale/zh_CN", headers={"If-None-Match": response.headers["Etag"]})
    assert again.code == 304


@pytest.mark.parametrize("variant", ["zh", "zh-CN", "zh_cn", "ZH-cn", "zh-Hans", "zh-Hans-CN", "zh_TW"])
async def test_chinese_variants_get_zh_cn(get, variant):
    response = await get(f"locale/{variant}")
    assert response.code == 200, variant
    assert _json(response) == ZH


@pytest.mark.parametrize("locale", ["en", "en-US", "fr_FR", "de", "ja", "zhx", "x"])
async def test_unknown_locale_is_a_json_404(get, locale):
    response = await get(f"locale/{locale}")
    assert response.code == 404
    assert response.headers["Cache-Control"] == "no-store"
    error = _json(response)
    assert error["error_code"] == "DEVENV.LOCALE_NOT_FOUND"
    assert "stays in English" in error["error_msg"] and "zh_CN" in error["error_msg"]


TRAVERSALS = [
    "..",
    "%2E%2E",
    "..%2Fserver%2Fopenapi.yaml",
    "..%2F..%2F..%2Fpyproject.toml",
    "zh_CN%2F..%2F..%2Fserver",
    "zh_CN%2FLC_MESSAGES%2Fjupyter_devenv.json",
    "%2Fetc%2Fpasswd",
    "zh_CN%00",
    "zh_CN.json",
    ".%2Fzh_CN",
    "zh_CN%5C..%5C..",
    "zh_CN/../../server/openapi.yaml",
    "../../../pyproject.toml",
]


@pytest.mark.parametrize("path", TRAVERSALS)
async def test_traversal_attempts_are_refused(get, path):
    response = await get(f"locale/{path}")
    assert response.code == 404, path
    assert _json(response)["error_code"] in ("DEVENV.LOCALE_NOT_FOUND", "DEVENV.HTTP_404")
    assert b"openapi: 3" not in response.body and b"[build-system]" not in response.body


@pytest.mark.parametrize("locale", ["../zh_CN", "zh_CN/../zh_CN", "zh_CN\x00", "zh_CN.json", "", "zh" * 40])
def test_resolve_rejects_anything_but_a_locale_name(locale):
    assert locales.resolve(locale) is None


async def test_unauthenticated_is_refused(get):
    response = await get("locale/zh_CN", auth=False)
    assert response.code == 403
    assert "自动停止" not in response.body.decode("utf-8", "replace")


def test_jupyterlab_finds_the_table_through_the_entry_point():
    """What a zh language pack gets merged with (``jupyterlab.locale`` entry point ``jupyter_devenv``)."""
    from jupyterlab_server.translation_utils import get_installed_packages_locale

    found, message = get_installed_packages_locale("zh_CN")
    assert found.get("jupyter_devenv") == ZH, message or "reinstall the package: pip install -e ."


def test_table_translates_every_front_end_message_and_nothing_else():
    source = "".join(p.read_text(encoding="utf-8") for p in SOURCE.glob("*.ts"))
    used = {re.sub(r"\\(.)", r"\1", single or double) for single, double in MSGID.findall(source)}
    assert len(used) > 50, "the message pattern no longer matches the front end's calls"
    table = set(ZH) - {""}
    assert sorted(used - table) == [], "messages without a Chinese translation"
    assert sorted(table - used) == [], "translations no message uses"
