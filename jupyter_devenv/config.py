"""``DevEnv``: the one configuration of the server extension, the CLI and ``connect()``.

Every trait is settable as ``c.DevEnv.<name>`` and defaults from the environment
(the official SDK's names where it has one); ``origins`` says where each value came
from. AK/SK credentials not given that way are looked for as the official SDK does:
its credentials file, ``modelarts.session.Session()``, then the metadata service.
A region without a project id gives the project id through IAM.
"""

from __future__ import annotations

import logging
import os
import ssl
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

from traitlets import (
    Bool,
    Enum,
    Float,
    Int,
    TraitError,
    TraitType,
    Unicode,
    default,
    validate,
)
from traitlets import (
    List as ListTrait,
)
from traitlets.config import Configurable

from .modelarts.auth import AkSkAuth, IamPasswordAuth, TokenAuth
from .modelarts.client import AsyncModelArtsClient, ModelArtsClient
from .modelarts.codes import BAD_CONFIG, NOT_CONFIGURED
from .modelarts.credential_sources import (
    Chain,
    credentials_file_path,
    file_fetch,
    metadata_fetch,
    session_fetch,
)
from .modelarts.credentials import Credentials, Keyring
from .modelarts.errors import DevEnvError
from .modelarts.projects import region_project

# Every setting's environment variable (the official SDK's names where it has one).
ENV_NAMES = {
    "region": "HUAWEICLOUD_SDK_REGION",
    "endpoint": "JUPYTER_DEVENV_ENDPOINT",
    "project_id": "HUAWEICLOUD_SDK_PROJECT_ID",
    "instance_id": "JUPYTER_DEVENV_INSTANCE_ID",
    "backend": "JUPYTER_DEVENV_BACKEND",
    "access_key": "HUAWEICLOUD_SDK_AK",
    "secret_key": "HUAWEICLOUD_SDK_SK",
    "security_token": "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "token": "JUPYTER_DEVENV_IAM_TOKEN",
    "user": "JUPYTER_DEVENV_IAM_USER",
    "password": "JUPYTER_DEVENV_IAM_PASSWORD",
    "domain": "JUPYTER_DEVENV_IAM_DOMAIN",
    "iam_endpoint": "JUPYTER_DEVENV_IAM_ENDPOINT",
    "poll_interval": "JUPYTER_DEVENV_POLL_INTERVAL",
    "cache_ttl": "JUPYTER_DEVENV_CACHE_TTL",
    "request_timeout": "JUPYTER_DEVENV_REQUEST_TIMEOUT",
    "retries": "JUPYTER_DEVENV_RETRIES",
    "reminder_thresholds": "JUPYTER_DEVENV_REMINDER_THRESHOLDS",
    "save_before_stop": "JUPYTER_DEVENV_SAVE_BEFORE_STOP",
    "ca_file": "JUPYTER_DEVENV_CA_FILE",
    "allowed_instances": "JUPYTER_DEVENV_ALLOWED_INSTANCES",
    "metadata_endpoint": "JUPYTER_DEVENV_METADATA_ENDPOINT",
    "hold_while_busy": "JUPYTER_DEVENV_HOLD_WHILE_BUSY",
    "hold_while_busy_max": "JUPYTER_DEVENV_HOLD_WHILE_BUSY_MAX",
    "hold_check_interval": "JUPYTER_DEVENV_HOLD_CHECK_INTERVAL",
}
# The secrets among them: the server extension removes these from its environment once read, so
# kernels and terminals it starts do not inherit them.
SECRET_ENV = tuple(
    ENV_NAMES[name] for name in ("access_key", "secret_key", "security_token", "token", "password")
)
# Settings that end up in an HTTP header or URL: a CR or LF would split it.
ONE_LINE = (
    "region",
    "endpoint",
    "iam_endpoint",
    "project_id",
    "instance_id",
    "access_key",
    "secret_key",
    "security_token",
    "token",
    "user",
    "password",
    "domain",
)
ONE_LINE_RULE = (
    "must be one line with no control characters; a value read from a file keeps its trailing "
    "newline: strip it"
)
# Settings that ``modelarts.session.Session()`` can fill, and its attribute names (its keys
# come through the credential chain, which fetches them again when they are temporary).
SESSION_ATTRS = {"region": "region_name", "project_id": "project_id"}
CHAIN = "aksk-chain"  # the auth scheme when no credential is set: the SDK's sources are searched


def region_endpoint(region: str) -> str:
    suffix = "myhuaweicloud.cn" if region == "ap-southeast-1" else "myhuaweicloud.com"
    return f"https://modelarts.{region}.{suffix}" if region else ""


def setting_names(name: str) -> str:
    """How a user sets ``name``: ``c.DevEnv.token (env JUPYTER_DEVENV_IAM_TOKEN)``."""
    return f"c.DevEnv.{name} (env {ENV_NAMES[name]})"


def from_text(trait: TraitType, raw: str) -> Any:
    """A setting's value from text (an environment variable, a flag); a list is comma-separated."""
    if isinstance(trait, ListTrait):
        return [trait.item_from_string(part) for part in raw.replace(" ", "").split(",") if part]
    return trait.from_string(raw)


class Secret(Unicode):
    """A string setting whose value never appears in an error message."""

    def validate(self, obj: Any, value: Any) -> str:
        if not isinstance(value, str):
            raise TraitError(f"{setting_names(self.name)} must be a string, not {type(value).__name__}.")
        return value


def is_one_line(value: str) -> bool:
    return not any(ord(c) < 0x20 or ord(c) == 0x7F for c in value)


def environment_default(name: str) -> Any:
    """The ``@default`` of setting ``name``: ``DevEnv._outside``, else the trait's own default."""
    return default(name)(lambda self: self._outside(name, self.traits()[name].default))


def _session() -> Any:
    """``modelarts.session.Session()`` where the ModelArts SDK is installed, else None."""
    try:
        from modelarts.session import Session  # type: ignore[import-not-found]

        return Session()
    except Exception:  # not installed, or not inside ModelArts
        return None


class DevEnv(Configurable):
    """Where the instance is and how to reach it."""

    endpoint = Unicode(
        help="ModelArts base URL, e.g. https://modelarts.cn-north-4.myhuaweicloud.com. "
        "Env JUPYTER_DEVENV_ENDPOINT; default derived from region."
    ).tag(config=True)
    region = Unicode(help="Huawei Cloud region, e.g. cn-north-4. Env HUAWEICLOUD_SDK_REGION.").tag(
        config=True
    )
    project_id = Unicode(help="Project id. Env HUAWEICLOUD_SDK_PROJECT_ID.").tag(config=True)
    instance_id = Unicode(
        help="The instance whose auto-stop is shown (DE-... or a UUID); 'current' in the "
        "REST API. Env JUPYTER_DEVENV_INSTANCE_ID."
    ).tag(config=True)
    backend = Enum(
        ["auto", "demanager", "notebooks"],
        default_value="auto",
        help="API generation: demanager (the older API), notebooks (the current one, leases) or "
        "auto (from the instance id and what the endpoint answers). Env JUPYTER_DEVENV_BACKEND.",
    ).tag(config=True)
    access_key = Secret(help="AK for request signing. Env HUAWEICLOUD_SDK_AK.").tag(config=True)
    secret_key = Secret(help="SK for request signing. Env HUAWEICLOUD_SDK_SK.").tag(config=True)
    security_token = Secret(
        help="Security token of temporary AK/SK. Env HUAWEICLOUD_SDK_SECURITY_TOKEN."
    ).tag(config=True)
    token = Secret(help="A ready IAM token (X-Auth-Token). Env JUPYTER_DEVENV_IAM_TOKEN.").tag(config=True)
    user = Unicode(help="IAM user for password login. Env JUPYTER_DEVENV_IAM_USER.").tag(config=True)
    password = Secret(help="IAM password for password login. Env JUPYTER_DEVENV_IAM_PASSWORD.").tag(
        config=True
    )
    domain = Unicode(help="IAM account (domain) name for password login. Env JUPYTER_DEVENV_IAM_DOMAIN.").tag(
        config=True
    )
    iam_endpoint = Unicode(help="IAM base URL. Env JUPYTER_DEVENV_IAM_ENDPOINT; default from region.").tag(
        config=True
    )
    poll_interval = Float(
        30.0, help="Seconds between the browser's reads of the instance. Env JUPYTER_DEVENV_POLL_INTERVAL."
    ).tag(config=True)
    cache_ttl = Float(
        5.0, help="Seconds an upstream read is reused for every client. Env JUPYTER_DEVENV_CACHE_TTL."
    ).tag(config=True)
    request_timeout = Float(
        10.0,
        help="Seconds one upstream call may take in all, its retries included. Env "
        "JUPYTER_DEVENV_REQUEST_TIMEOUT.",
    ).tag(config=True)
    retries = Int(
        3, help="Retries of a retryable upstream failure (429, 503, timeouts...). Env JUPYTER_DEVENV_RETRIES."
    ).tag(config=True)
    reminder_thresholds = ListTrait(
        Int(),
        default_value=[900, 300, 60],
        help="Seconds before the stop at which the user is reminded. Env "
        "JUPYTER_DEVENV_REMINDER_THRESHOLDS=900,300,60.",
    ).tag(config=True)
    save_before_stop = Int(
        60,
        help="Seconds before the stop at which open documents are saved; 0: never. "
        "Env JUPYTER_DEVENV_SAVE_BEFORE_STOP.",
    ).tag(config=True)
    metadata_endpoint = Unicode(
        "http://169.254.169.254",
        help="Base URL of the metadata service that gives "
        "an instance's temporary credentials when none are set. Env "
        "JUPYTER_DEVENV_METADATA_ENDPOINT.",
    ).tag(config=True)
    ca_file = Unicode(
        help="PEM file of the CA certificates that sign the ModelArts and IAM endpoints' TLS "
        "certificates; default: the system's (certifi's). Env JUPYTER_DEVENV_CA_FILE."
    ).tag(config=True)
    allowed_instances = ListTrait(
        Unicode(),
        default_value=[],
        help="Instance ids the REST API (browser and kernels) may act on besides "
        'the chosen one; ["*"]: every instance of the project. Env '
        "JUPYTER_DEVENV_ALLOWED_INSTANCES=id1,id2.",
    ).tag(config=True)
    hold_while_busy = Bool(
        False,
        help="Keep the instance running while a kernel is busy (executing), as if "
        "it held a hold, for at most hold_while_busy_max hours per busy spell. Env "
        "JUPYTER_DEVENV_HOLD_WHILE_BUSY=1.",
    ).tag(config=True)
    hold_while_busy_max = Float(
        12.0,
        help="Hours a busy kernel keeps the instance running at most (with "
        "hold_while_busy). Env JUPYTER_DEVENV_HOLD_WHILE_BUSY_MAX.",
    ).tag(config=True)
    hold_check_interval = Float(
        30.0,
        help="Seconds between the server's checks of the holds (renewing the "
        "lease, ending holds of kernels gone). Env "
        "JUPYTER_DEVENV_HOLD_CHECK_INTERVAL.",
    ).tag(config=True)

    # Each setting's default, in traitlets' way: its environment variable, else (region, project_id)
    # what ``modelarts.session.Session()`` says, else the trait's own default (``_outside``).
    # Configuration and keyword arguments set values, so they never reach these.
    _region_from_env = environment_default("region")
    _project_id_from_env = environment_default("project_id")
    _instance_id_from_env = environment_default("instance_id")
    _backend_from_env = environment_default("backend")
    _access_key_from_env = environment_default("access_key")
    _secret_key_from_env = environment_default("secret_key")
    _security_token_from_env = environment_default("security_token")
    _token_from_env = environment_default("token")
    _user_from_env = environment_default("user")
    _password_from_env = environment_default("password")
    _domain_from_env = environment_default("domain")
    _poll_interval_from_env = environment_default("poll_interval")
    _cache_ttl_from_env = environment_default("cache_ttl")
    _request_timeout_from_env = environment_default("request_timeout")
    _retries_from_env = environment_default("retries")
    _reminder_thresholds_from_env = environment_default("reminder_thresholds")
    _save_before_stop_from_env = environment_default("save_before_stop")
    _metadata_endpoint_from_env = environment_default("metadata_endpoint")
    _ca_file_from_env = environment_default("ca_file")
    _allowed_instances_from_env = environment_default("allowed_instances")
    _hold_while_busy_from_env = environment_default("hold_while_busy")
    _hold_while_busy_max_from_env = environment_default("hold_while_busy_max")
    _hold_check_interval_from_env = environment_default("hold_check_interval")

    @default("endpoint")
    def _endpoint_from_env(self) -> str:
        return self._outside("endpoint", lambda: region_endpoint(self.region))

    @default("iam_endpoint")
    def _iam_endpoint_from_env(self) -> str:
        return self._outside(
            "iam_endpoint", lambda: f"https://iam.{self.region}.myhuaweicloud.com" if self.region else ""
        )

    def __init__(self, **kwargs: Any) -> None:
        self.origins: Dict[str, str] = {}  # "configuration", "environment (VAR)" or "modelarts.session"
        self._keyring: Optional[Keyring] = None
        super().__init__(**kwargs)  # configuration and keyword arguments set values: they win
        for name in ENV_NAMES:
            if self.trait_has_value(name):
                self.origins.setdefault(name, "configuration")
        for name in ENV_NAMES:  # the environment is read now, so that a bad value fails here
            if not self.trait_has_value(name):
                value = self.trait_defaults(name)
                if name in self.origins:  # from the environment or the session: kept
                    self.set_trait(name, value)
                # else the trait's own default, computed again when first read (endpoint follows region)

    def _outside(self, name: str, fallback: Callable[[], Any]) -> Any:
        """``name``'s value from its environment variable or ``modelarts.session.Session()`` (noted in
        ``origins``), else ``fallback()``. A bad environment value is a ValueError naming the variable."""
        variable = ENV_NAMES[name]
        raw = os.environ.get(variable, "")
        if raw:
            value = self._from_env(name, variable, raw)
            self.origins[name] = f"environment ({variable})"
            return value
        found = getattr(self._session, SESSION_ATTRS[name], None) if name in SESSION_ATTRS else None
        if found:
            self.origins[name] = "modelarts.session"
            return str(found)
        return fallback()

    def _from_env(self, name: str, variable: str, raw: str) -> Any:
        trait = self.traits()[name]
        try:
            value = trait.validate(self, from_text(trait, raw))
            if name in ONE_LINE and not is_one_line(value):
                raise ValueError(name)
        except (TraitError, ValueError):
            if name in ONE_LINE:  # their only rule; and the value may be a secret
                raise ValueError(f"{variable} (c.DevEnv.{name}) {ONE_LINE_RULE}.") from None
            raise ValueError(f"{variable}={raw!r} is not a valid {name}: {trait.help}") from None
        return value

    @validate(*ONE_LINE)
    def _one_line(self, proposal: Any) -> str:
        value = proposal["value"]
        if not is_one_line(value):
            raise TraitError(f"{setting_names(proposal['trait'].name)} {ONE_LINE_RULE}.")
        return value

    @property
    def _session(self) -> Any:
        if not hasattr(self, "_session_cache"):
            explicit = any(
                os.environ.get(n)
                for n in ("HUAWEICLOUD_SDK_AK", "JUPYTER_DEVENV_IAM_TOKEN", "JUPYTER_DEVENV_IAM_USER")
            )
            self._session_cache = None if explicit else _session()
        return self._session_cache

    def auth_scheme(self) -> str:
        if self.access_key and self.secret_key:
            return "aksk+security-token" if self.security_token else "aksk"
        if self.token:
            return "token"
        if self.user and self.password and self.domain:
            return "iam-password"
        return CHAIN

    def credential_source(self) -> str:
        """Where the credentials come from, in words (never a value)."""
        scheme = self.auth_scheme()
        if scheme.startswith("aksk+") or scheme == "aksk":
            return self.origins.get("access_key", "configuration")
        if scheme == "token":
            return self.origins.get("token", "configuration")
        if scheme == "iam-password":
            return self.origins.get("password", "configuration")
        found = self._keyring.source if self._keyring is not None else None
        return found or "searched at first use (credentials file, modelarts.session, metadata service)"

    def missing(self, instance: bool = True) -> List[str]:
        """Names of the settings still needed, in the order a user should set them.

        ``instance=False``: only those needed to reach the project (to list its instances).
        A region stands in for the project id (found through IAM) except for an IAM
        password login, which needs the project to scope its token.
        """
        gaps = [
            name
            for name in (("endpoint", "instance_id") if instance else ("endpoint",))
            if not getattr(self, name)
        ]
        if not self.project_id and not (self.region and self.auth_scheme() != "iam-password"):
            gaps.insert(1, "project_id")
        if self.auth_scheme() == "iam-password" and not self.iam_endpoint:
            gaps.append("iam_endpoint")
        return gaps

    def not_configured(self, instance: bool = True) -> DevEnvError:
        names = ", ".join(self.missing(instance))
        return DevEnvError(
            NOT_CONFIGURED,
            f"jupyter-devenv is not configured: set {names} (c.DevEnv.* or "
            "the environment variables in the README).",
            status=503,
        )

    def describe(self) -> str:
        """One log line of what is used; never a secret."""
        if self.missing():
            return f"jupyter-devenv not configured; missing: {', '.join(self.missing())}"
        return (
            f"jupyter-devenv: backend={self.backend} endpoint={self.endpoint} "
            f"project={self.project_id or 'from region ' + self.region} instance={self.instance_id} "
            f"auth={self.auth_scheme()} credentials from {self.credential_source()}"
        )

    def make_auth(self) -> Any:
        if self.missing(instance=False):
            raise self.not_configured(instance=False)
        scheme = self.auth_scheme()
        if scheme == "token":
            return TokenAuth(self.token)
        if scheme == "iam-password":
            return IamPasswordAuth(self.iam_endpoint, self.user, self.password, self.domain, self.project_id)
        return AkSkAuth(project_id=self.project_id, keyring=self.keyring())

    def _log_fetch(self, keyring: Keyring) -> None:
        creds = keyring.current
        expiry = ""
        if creds is not None and creds.expires_at is not None:
            expiry = time.strftime(", temporary until %Y-%m-%d %H:%M:%S UTC", time.gmtime(creds.expires_at))
        # the server's log, when in one
        log = getattr(self.parent, "log", None) or logging.getLogger("jupyter_devenv")
        log.info("jupyter-devenv: credentials from %s%s", keyring.source, expiry)

    def keyring(self) -> Keyring:
        """The AK/SK credentials' keyring: the keys set, or the SDK's chain of sources (made once)."""
        if self._keyring is None:
            if self.access_key and self.secret_key:
                creds = Credentials(self.access_key, self.secret_key, self.security_token)
                self._keyring = Keyring.of(creds, self.credential_source())
            else:
                path = credentials_file_path()
                self._keyring = Keyring(
                    "SDK chain",
                    Chain(
                        [
                            (f"credentials file {path}", file_fetch(path)),
                            ("modelarts.session", session_fetch),
                            (
                                f"metadata service {self.metadata_endpoint}",
                                metadata_fetch(self.metadata_endpoint),
                            ),
                        ]
                    ),
                    on_fetch=self._log_fetch,
                )
        return self._keyring

    def checked_ca_file(self) -> str:
        """``ca_file``, once it is known to hold CA certificates; else a ``DEVENV.BAD_CONFIG`` error."""
        try:
            ssl.create_default_context(cafile=self.ca_file)
        except ssl.SSLError:
            reason = "it holds no PEM certificate"
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
        else:
            return self.ca_file
        raise DevEnvError(
            BAD_CONFIG,
            f"{setting_names('ca_file')} is {self.ca_file}, which cannot be "
            f"used: {reason}. Point it at a readable PEM file of CA certificates, or unset it "
            "to use the system's.",
            status=503,
            field="ca_file",
        )

    def client_kwargs(self) -> Dict[str, Any]:
        kwargs: Dict[str, Any] = {"timeout": self.request_timeout, "retries": self.retries}
        if not self.project_id and self.region:
            kwargs["find_project"] = region_project(self.iam_endpoint, self.region)
        if self.ca_file:
            kwargs["verify"] = self.checked_ca_file()
        return kwargs

    def client_args(self) -> Tuple[Any, ...]:
        return (self.endpoint, self.project_id, self.make_auth())

    def make_async_client(self) -> AsyncModelArtsClient:
        return AsyncModelArtsClient(*self.client_args(), **self.client_kwargs())

    def make_client(self) -> ModelArtsClient:
        return ModelArtsClient(*self.client_args(), **self.client_kwargs())
