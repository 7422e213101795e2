"""``jupyter devenv doctor``: what a bug report needs, checked in plain words, never a secret value.

Each check is OK, WARN (works, but look), FAIL (jupyter-devenv cannot work until it is
fixed) or SKIP (what it needs failed first), with one line of what to do next when it is
not OK. Pure functions turn an observation into a ``Result``; ``diagnose`` makes the
observations in order, against the clock it is given (``now``, epoch seconds).

The permission probe changes nothing. It sends the write that changes auto-stop with a
value the API must refuse: on demanager ``PUT .../demanager/instances/{id}`` with
``{"spec": {"auto_stop": {"enable": true, "duration": 1}}}`` (1 s; 3600..86400 allowed),
on notebooks ``PATCH .../notebooks/{id}/lease`` with ``{"duration": 1000, "type":
"TIMING"}`` (1 s; 3,600,000..259,200,000 ms allowed). A 400 means the permission check
passed and validation refused the value; a 403 names the missing IAM action. Assumed, as
the emulator does, though Huawei's pages do not say it: ModelArts checks the permission
before it validates the body, and validates before it changes anything. Were the first
wrong, a 400 would not prove the permission; were the value accepted (2xx), auto-stop
would have changed, and the check fails saying so. The client's own calls refuse such
bodies (``validate_update_body``), so these go through ``AsyncModelArtsClient.request``.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import socket
import ssl
import time
from typing import Any, Callable, Dict, List, NamedTuple, Optional, Tuple, Union

import httpx

from . import __version__
from .cli_config import file_config, load_settings
from .cli_instances import choice_store
from .config import DevEnv, setting_names
from .kernel_access import URL_ENV
from .modelarts import backends
from .modelarts.answers import EMULATOR, Answer, http_date_ms, read_capped
from .modelarts.client import AsyncModelArtsClient
from .modelarts.codes import (
    CLOCK_SKEW,
    CREDENTIALS_EXPIRED,
    INSTANCE_NOT_FOUND,
    NOT_CONFIGURED,
    TOKEN_EXPIRED_CODES,
    WRONG_PROJECT,
)
from .modelarts.credential_sources import NoCredentials
from .modelarts.errors import DevEnvError
from .modelarts.state import DEMANAGER, NOTEBOOKS
from .modelarts.transports import Routes

OK, WARN, FAIL, SKIP = "OK", "WARN", "FAIL", "SKIP"
SKEW_WARN = 5.0  # seconds; the Date header has a one-second resolution
SKEW_FAIL = 15 * 60.0  # the API gateway refuses signatures further off (APIGW.0303)
SHOWN = (
    "endpoint",
    "region",
    "project_id",
    "instance_id",
    "backend",
    "iam_endpoint",
    "metadata_endpoint",
    "ca_file",
    "request_timeout",
    "retries",
)
FROM_REGION = ("endpoint", "iam_endpoint")
API_NAMES = {DEMANAGER: "the older API (demanager)", NOTEBOOKS: "the current API (notebooks)"}
# backend -> (method, path under the instance, a body the API must refuse, the IAM action the call needs)
PROBES = {
    DEMANAGER: (
        "PUT",
        "",
        {"spec": {"auto_stop": {"enable": True, "duration": 1}}},
        "modelarts:notebook:update",
    ),
    NOTEBOOKS: (
        "PATCH",
        "/lease",
        {"duration": 1000, "type": "TIMING"},
        "modelarts:notebook:updateStopPolicy",
    ),
}
Clock = Callable[[], float]


class Result(NamedTuple):
    check: str
    status: str
    detail: str
    next: str = ""  # what to do, when not OK


class Reply(NamedTuple):
    """An endpoint's answer to a plain GET: status, ``Date``, and when it was sent and received."""

    status: int
    date: Optional[str]
    sent: float
    received: float
    emulator: bool


def span(seconds: float) -> str:
    """``3 s``, ``20 min 0 s``, ``1 h 59 min``."""
    s = int(round(abs(seconds)))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"


def utc(epoch: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(epoch))


# -- configuration ---------------------------------------------------------------------------


def setting_rows(settings: DevEnv) -> List[Dict[str, str]]:
    """Each setting that matters, its value (none of them is a secret) and where it came from."""
    rows = []
    for name in SHOWN:
        value = getattr(settings, name)
        source = settings.origins.get(name)
        if source is None:
            derived = name in FROM_REGION and value
            source = "default, from the region" if derived else "default" if value != "" else ""
        rows.append({"name": name, "value": str(value) if value != "" else "not set", "source": source})
    return rows


def ca_problem(settings: DevEnv) -> Optional[str]:
    """Why ``ca_file`` cannot be used, or None (unset, or a readable PEM file)."""
    if not settings.ca_file:
        return None
    try:
        settings.checked_ca_file()
    except DevEnvError as error:
        return error.error_msg
    return None


def configuration_check(settings: DevEnv) -> Result:
    gaps = settings.missing()
    if gaps:
        names = "; ".join(setting_names(name) for name in gaps)
        choose = " (or choose the instance with jupyter devenv use)" if "instance_id" in gaps else ""
        return Result(
            "configuration",
            FAIL,
            f"not set: {', '.join(gaps)}",
            f"Set {names} in a Jupyter config file or the environment{choose}, then run the doctor again.",
        )
    problem = ca_problem(settings)
    if problem:
        return Result("configuration", FAIL, problem, "Fix c.DevEnv.ca_file as said.")
    return Result("configuration", OK, "everything needed is set")


# -- credentials -----------------------------------------------------------------------------


def renew_advice(source: str) -> str:
    """What to do about expired or refused credentials, by where they came from."""
    if source.startswith("credentials file "):
        return (
            f"Put fresh credentials in {source[len('credentials file ') :]}, or remove that file so that "
            "the instance's own credentials (metadata service) are used."
        )
    if source == "configuration" or source.startswith("environment"):
        return (
            f"Set fresh credentials where these come from ({source}), or remove them there so that the "
            "instance's own credentials are used."
        )
    return (
        "They came expired from the instance itself: check this machine's clock and that the instance "
        "has an agency, then run the doctor again."
    )


def credentials_result(temporary: bool, source: str, expires_at: Optional[float], now: float) -> Result:
    kind = "temporary AK/SK (with a security token)" if temporary else "permanent AK/SK"
    if expires_at is None:
        untold = "; the source does not say when they expire" if temporary else ""
        return Result("credentials", OK, f"{kind}, from {source}{untold}")
    left = expires_at - now
    if left <= 0:
        return Result(
            "credentials",
            FAIL,
            f"{kind} from {source}: they expired {span(left)} ago ({utc(expires_at)})",
            renew_advice(source),
        )
    return Result(
        "credentials",
        OK,
        f"{kind}, from {source}; they expire in {span(left)} "
        f"({utc(expires_at)}) and are fetched again 40 min before",
    )


async def credentials_check(settings: DevEnv, now: Clock) -> Result:
    scheme, source = settings.auth_scheme(), settings.credential_source()
    if scheme == "token":
        return Result(
            "credentials",
            OK,
            f"an IAM token, from {source}; it cannot be renewed: replace it "
            "when it expires (IAM tokens last 24 hours)",
        )
    if scheme == "iam-password":
        return Result("credentials", OK, f"IAM password login, from {source} (the instance check logs in)")
    try:
        creds = await settings.keyring().get()
    except NoCredentials as exc:
        return Result(
            "credentials",
            FAIL,
            f"no cloud credentials were found ({exc})",
            "Inside ModelArts, check that the instance has an agency and that metadata_endpoint is "
            "right; elsewhere set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or the SDK's "
            "credentials file.",
        )
    return credentials_result(creds.temporary, settings.credential_source(), creds.expires_at, now())


# -- reachability and the clock --------------------------------------------------------------


def _cause(exc: BaseException, kind: type) -> Optional[BaseException]:
    """The first exception of ``kind`` in ``exc``'s chain (httpx wraps httpcore wraps the OS's)."""
    seen: Optional[BaseException] = exc
    while seen is not None and not isinstance(seen, kind):
        seen = seen.__cause__ or seen.__context__
    return seen


def transport_words(exc: BaseException, url: str, timeout: float) -> Tuple[str, str]:
    """What went wrong reaching ``url``, in words, and what to do about it."""
    parsed = httpx.URL(url)
    where = f"{parsed.host}:{parsed.port or (443 if parsed.scheme == 'https' else 80)}"
    untrusted = _cause(exc, ssl.SSLCertVerificationError)
    if isinstance(untrusted, ssl.SSLCertVerificationError):
        words = (
            f"TLS verification failed: the certificate of {parsed.host} is not trusted "
            f"({untrusted.verify_message})"
        )
        return words, (
            "If a proxy or a private CA signs it, set c.DevEnv.ca_file (env "
            "JUPYTER_DEVENV_CA_FILE) to a PEM file of that CA's certificate; otherwise check the "
            "URL."
        )
    if _cause(exc, ssl.SSLError) is not None:
        return (
            f"the TLS handshake with {where} failed",
            "Check the URL's scheme (https) and port, and any proxy in between.",
        )
    if _cause(exc, socket.gaierror) is not None:
        return (
            f"DNS: the name {parsed.host} does not resolve",
            "Check the URL for typos, and this machine's DNS (or HTTPS_PROXY, if a proxy is needed).",
        )
    if _cause(exc, ConnectionRefusedError) is not None:
        return f"{where} refused the connection (nothing listens there)", "Check the URL's host and port."
    if isinstance(exc, httpx.ProxyError):
        return "the proxy failed or refused the connection", "Check HTTPS_PROXY and NO_PROXY."
    if isinstance(exc, httpx.ConnectTimeout):
        return (
            f"no connection to {where} within {timeout:g} s",
            "A firewall or a missing route may block it: check the network, and HTTPS_PROXY if this "
            "network needs a proxy.",
        )
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError)):
        return (
            f"connected, but no answer within {timeout:g} s",
            "Try again; if it persists, check any proxy in between or raise c.DevEnv.request_timeout.",
        )
    reason = getattr(_cause(exc, OSError), "strerror", None) or type(exc).__name__
    return f"the connection failed ({reason})", "Check the URL and the network."


async def probe(routes: Routes, url: str, timeout: float, now: Clock) -> Reply:
    """A plain unauthenticated GET of ``url``: any HTTP answer means reachable, TLS included."""
    request = httpx.Request("GET", url, headers={"User-Agent": f"jupyter-devenv/{__version__} doctor"})
    request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
    sent = now()
    response = await asyncio.wait_for(routes.for_url(request.url).handle_async_request(request), timeout)
    try:
        await read_capped(response)
    finally:
        await response.aclose()
    return Reply(
        response.status_code,
        response.headers.get("Date"),
        sent,
        now(),
        response.headers.get("X-Emulator") == EMULATOR,
    )


def reach_result(check: str, url: str, outcome: Union[Reply, BaseException], timeout: float) -> Result:
    if isinstance(outcome, Reply):
        ms = (outcome.received - outcome.sent) * 1000
        emulator = " (the jupyter-devenv emulator)" if outcome.emulator else ""
        return Result(check, OK, f"{url} answered (HTTP {outcome.status}) in {ms:.0f} ms{emulator}")
    words, advice = transport_words(outcome, url, timeout)
    return Result(check, FAIL, f"{url} cannot be reached: {words}", advice)


def clock_result(reply: Reply, signing: bool) -> Result:
    """This machine's clock against the API's ``Date`` (to the second), at the middle of the call.

    More than 15 minutes off fails when requests are signed (AK/SK); a token does not care.
    """
    server_ms = http_date_ms(reply.date)
    if server_ms is None:
        return Result(
            "clock",
            WARN,
            "the endpoint's answer has no Date header: the clocks cannot be compared",
            "Compare this machine's clock with a time server.",
        )
    skew = (reply.sent + reply.received) / 2 - server_ms / 1000
    if abs(skew) <= SKEW_WARN:
        return Result("clock", OK, f"this machine's clock is {span(skew)} off the API's (its Date header)")
    side = "ahead of" if skew > 0 else "behind"
    words = f"this machine's clock is {span(skew)} {side} the API's (its Date header)"
    rule = "the API gateway refuses AK/SK signatures more than 15 minutes off (APIGW.0303)"
    if abs(skew) > SKEW_FAIL and signing:
        return Result("clock", FAIL, words, f"Set this machine's clock right (NTP): {rule}.")
    return Result(
        "clock", WARN, words, f"Set this machine's clock right (NTP) before it drifts further: {rule}."
    )


# -- the instance, and the permission to change auto-stop ------------------------------------


def api_failure(check: str, error: DevEnvError, source: str, instance_id: str) -> Result:
    """A failed ModelArts call in words, by its code and status."""
    said = f"{error.error_code}: {error.error_msg}"
    if error.status == 401 and error.error_code == CLOCK_SKEW:
        return Result(
            check,
            FAIL,
            f"the API refused the request's time: this machine's clock is more than 15 minutes off ({said})",
            "Set this machine's clock right (NTP).",
        )
    if error.status == 401 and error.error_code == CREDENTIALS_EXPIRED:
        return Result(
            check,
            FAIL,
            f"the temporary credentials expired: the API refused them ({said})",
            renew_advice(source),
        )
    if error.status == 401 and error.error_code in TOKEN_EXPIRED_CODES:
        return Result(
            check, FAIL, f"the credentials expired or are no longer valid ({said})", renew_advice(source)
        )
    if error.status == 401:
        return Result(
            check,
            FAIL,
            f"the API refused the credentials ({said})",
            f"Check the credentials from {source}: an AK with its own SK, and with temporary ones "
            "their security token.",
        )
    if error.error_code == WRONG_PROJECT:
        return Result(
            check,
            FAIL,
            f"the project id does not belong to these credentials ({said})",
            "Set c.DevEnv.project_id to the instance's project, or unset it and set the region.",
        )
    if error.status == 403:
        return Result(
            check,
            FAIL,
            f"this account may not read the instance ({said})",
            "Ask an administrator to grant modelarts:notebook:get (an IAM policy for ModelArts).",
        )
    if error.error_code == INSTANCE_NOT_FOUND or error.status == 404:
        return Result(
            check,
            FAIL,
            f"no instance {instance_id} in this project ({said})",
            "Check c.DevEnv.instance_id, and that region and project_id are the instance's.",
        )
    if error.error_code == NOT_CONFIGURED:
        return Result(check, FAIL, error.error_msg)
    return Result(check, FAIL, said, "Run the doctor again; if it persists, put this report in a bug report.")


def instance_result(data: Dict[str, Any], backend: str, detected: bool, instance_id: str) -> Result:
    """Only the id, name and status: the instance object also holds secrets (OBS keys, tokens)."""
    how = ", found by backend auto" if detected else ""
    return Result(
        "instance",
        OK,
        f'{instance_id} "{data.get("name", "?")}" is {data.get("status", "?")}, on {API_NAMES[backend]}{how}',
    )


def permission_result(
    backend: str, outcome: Union[Answer, DevEnvError], source: str, instance_id: str
) -> Result:
    action = PROBES[backend][3]
    if isinstance(outcome, Answer):
        return Result(
            "permission",
            FAIL,
            f"the API accepted a deliberately invalid auto-stop value (1 s) "
            f"for {action}: the instance's auto-stop may have changed",
            "Look at it now (jupyter devenv status) and set it right; please report this: the "
            "doctor expects the API to refuse that value.",
        )
    if outcome.status == 400:
        return Result(
            "permission",
            OK,
            f"may change auto-stop ({action}): the API refused a deliberately "
            f"invalid value ({outcome.error_code}) after its permission check; nothing was changed",
        )
    if outcome.status == 403:
        return Result(
            "permission",
            FAIL,
            f"this account may not change auto-stop: {action} is missing "
            f"({outcome.error_code}: {outcome.error_msg})",
            f"Ask an administrator to grant {action} (an IAM policy for ModelArts) to this user or "
            "the instance's agency: without it the countdown shows, but auto-stop cannot be "
            "changed.",
        )
    if outcome.status == 401:
        return api_failure("permission", outcome, source, instance_id)
    return Result(
        "permission",
        WARN,
        f"could not tell whether {action} is granted ({outcome.error_code}: {outcome.error_msg})",
        "Run the doctor again in a moment.",
    )


async def permission_outcome(
    client: AsyncModelArtsClient, backend: str, instance_id: str
) -> Union[Answer, DevEnvError]:
    method, tail, body, _action = PROBES[backend]
    family = "demanager/instances" if backend == DEMANAGER else "notebooks"
    try:
        path = f"/v1/{await client.project()}/{family}/{instance_id}{tail}"
        return await client.request(method, path, body)
    except DevEnvError as error:
        return error


async def read_instance(client: AsyncModelArtsClient, settings: DevEnv) -> Tuple[Result, Optional[str]]:
    """The instance check, and the backend the instance is on (None when it could not be read)."""
    instance_id, detected = settings.instance_id, settings.backend == "auto"
    try:
        backend = await backends.detect_backend(client, instance_id) if detected else settings.backend
        answer = await backends.read(client, backend, instance_id)
    except DevEnvError as error:
        return api_failure("instance", error, settings.credential_source(), instance_id), None
    return instance_result(answer.data, backend, detected, instance_id), backend


# -- the run ---------------------------------------------------------------------------------


def skipped(why: str, *checks: str) -> List[Result]:
    return [Result(check, SKIP, f"not checked: {why}") for check in checks]


async def reach(
    routes: Routes, check: str, url: str, timeout: float, now: Clock
) -> Tuple[Result, Optional[Reply]]:
    try:
        reply = await probe(routes, url, timeout, now)
    except (httpx.HTTPError, asyncio.TimeoutError, OSError) as exc:
        return reach_result(check, url, exc, timeout), None
    return reach_result(check, url, reply, timeout), reply


async def diagnose(settings: DevEnv, now: Clock = time.time) -> List[Result]:
    """Every check, in order; a check is skipped when what it needs failed."""
    config, creds = configuration_check(settings), await credentials_check(settings, now)
    results = [config, creds]
    if not settings.endpoint or ca_problem(settings):
        why = "no endpoint is set" if not settings.endpoint else "c.DevEnv.ca_file cannot be used"
        return results + skipped(why, "endpoint", "clock", "instance", "permission")
    timeout, scheme = settings.request_timeout, settings.auth_scheme()
    routes = Routes(settings.checked_ca_file() if settings.ca_file else True)  # as the client's
    client: Optional[AsyncModelArtsClient] = None
    try:
        endpoint, reply = await reach(routes, "endpoint", settings.endpoint, timeout, now)
        results.append(endpoint)
        if settings.iam_endpoint and (scheme == "iam-password" or not settings.project_id):
            results.append((await reach(routes, "IAM endpoint", settings.iam_endpoint, timeout, now))[0])
        if reply is None:
            return results + skipped("the endpoint did not answer", "clock", "instance", "permission")
        results.append(clock_result(reply, signing=scheme not in ("token", "iam-password")))
        if not settings.instance_id:
            return results + skipped("no instance is chosen", "instance", "permission")
        if FAIL in (config.status, creds.status):
            return results + skipped("the configuration or the credentials failed", "instance", "permission")
        client = settings.make_async_client()
        instance, backend = await read_instance(client, settings)
        results.append(instance)
        if backend is None:
            return results + skipped("the instance could not be read", "permission")
        outcome = await permission_outcome(client, backend, settings.instance_id)
        source = settings.credential_source()
        return results + [permission_result(backend, outcome, source, settings.instance_id)]
    finally:
        await routes.aclose()
        if client is not None:
            await client.aclose()


def secrets_of(settings: DevEnv) -> List[str]:
    """Every secret value this process holds, kept out of the report whatever an answer said."""
    values = [
        settings.access_key,
        settings.secret_key,
        settings.security_token,
        settings.token,
        settings.password,
    ]
    current = settings.keyring().current if settings.auth_scheme() not in ("token", "iam-password") else None
    if current is not None:
        values += [current.access_key, current.secret_key, current.security_token]
    return [value for value in values if value]


def scrub(text: str, secrets: List[str]) -> str:
    for value in secrets:
        text = text.replace(value, "***")
    return text


def notes() -> List[str]:
    if not os.environ.get(URL_ENV):
        return []
    return [
        (
            "This terminal belongs to a Jupyter server with jupyter-devenv, which keeps the credentials of "
            "its own environment to itself: credentials set only there are not seen here (those of config "
            "files and of the instance itself are)."
        )
    ]


def report(settings: DevEnv, config_files: List[str], now: Clock = time.time) -> Dict[str, Any]:
    checks = asyncio.run(diagnose(settings, now))
    secrets = secrets_of(settings)
    return {
        "version": __version__,
        "python": platform.python_version(),
        "ok": all(result.status != FAIL for result in checks),
        "notes": notes(),
        "settings": setting_rows(settings),
        "config_files": config_files,
        "checks": [
            {key: scrub(value, secrets) for key, value in result._asdict().items()} for result in checks
        ],
    }


def render(doc: Dict[str, Any]) -> str:
    lines = [f"jupyter-devenv doctor {doc['version']} (Python {doc['python']})", ""]
    lines += [f"note: {note}" for note in doc["notes"]]
    lines.append("Settings")
    for row in doc["settings"]:
        lines.append(f"  {row['name']:<18} {row['value']:<44} {row['source']}".rstrip())
    lines += [f"  Jupyter config files read: {', '.join(doc['config_files']) or 'none'}", "", "Checks"]
    for check in doc["checks"]:
        lines.append(f"  {check['status']:<5} {check['check']:<14} {check['detail']}")
        if check["next"]:
            lines.append(f"  {'':<20} next: {check['next']}")
    failed = [c["check"] for c in doc["checks"] if c["status"] == FAIL]
    warned = [c["check"] for c in doc["checks"] if c["status"] == WARN]
    if failed:
        lines.append(f"\nFAILED: {', '.join(failed)}. jupyter-devenv will not work until that is fixed.")
    elif warned:
        lines.append(f"\nWorks, with warnings: {', '.join(warned)}.")
    else:
        lines.append("\nAll checks passed.")
    return "\n".join(lines)


def run_cli(flags: List[str], as_json: bool) -> int:
    """``jupyter devenv doctor [--json]``: the report on stdout; 1 when a check failed.

    Settings that cannot be read raise ``DEVENV.BAD_CONFIG``, which the CLI reports as for
    every command.
    """
    settings = load_settings(flags)
    if not settings.instance_id:  # as status does: the instance chosen with ``jupyter devenv use``
        store = choice_store()
        settings.instance_id = store.instance_id or ""
        if store.instance_id:
            settings.origins["instance_id"] = f"chosen with jupyter devenv use ({store.path})"
    doc = report(settings, file_config()[1])
    print(json.dumps(doc, indent=2) if as_json else render(doc))
    return 0 if doc["ok"] else 1
