"""The ``Emulator`` (state, credentials, clock, faults, stats) and its tornado application."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping, Optional

from tornado import web

from ..modelarts.errors import DevEnvError
from . import handlers_control, handlers_demanager, handlers_iam, handlers_metadata, handlers_notebooks
from .auth import Authenticator, KeyPair
from .clock import Clock, iso8601
from .faults import Faults
from .handlers_base import NotFoundHandler
from .metadata import MetadataTokens
from .stats import Stats
from .store import BACKENDS, Store

ACCESS_KEY = "EMULATORAK0000000001"
SECRET_KEY = "emulator-secret-key-0001"
PROJECT_ID = "0a1b2c3d4e5f40718293a4b5c6d7e8f9"
DOMAIN_ID = "d78cbac186b744899480f25bd022f468"
TEMP_ACCESS_KEY = "EMULATORTEMPAK000001"
TEMP_SECRET_KEY = "emulator-temp-sk-0001"
SECURITY_TOKEN = "emulator-security-token-0001"
IAM_USER, IAM_PASSWORD, IAM_DOMAIN = "emulator-user", "emulator-password", "emulator-domain"
STATIC_TOKEN = "emulator-static-token-0001"
REGION = "cn-north-4"
CREDENTIALS_LIFETIME = 2 * 3600.0  # seconds: temporary credentials from the metadata service
CREDENTIALS_LIFETIME_MAX = 30 * 86400.0
log = logging.getLogger(__name__)


class Emulator:
    """One emulated ModelArts + IAM endpoint: what it accepts and what it keeps.

    ``seed`` adds the default instances (``seed_ids`` names them); ``stop_in``
    (seconds) puts the running ones' deadlines that close, for the demo.
    ``static_token`` is an IAM token accepted without a login (None: none).
    ``credentials_lifetime`` (seconds of emulator clock) is how long the temporary
    credentials the metadata service issues are valid.
    """

    def __init__(
        self,
        access_key: str = ACCESS_KEY,
        secret_key: str = SECRET_KEY,
        project_id: str = PROJECT_ID,
        temp_access_key: str = TEMP_ACCESS_KEY,
        temp_secret_key: str = TEMP_SECRET_KEY,
        security_token: str = SECURITY_TOKEN,
        iam_user: str = IAM_USER,
        iam_password: str = IAM_PASSWORD,
        iam_domain: str = IAM_DOMAIN,
        static_token: Optional[str] = STATIC_TOKEN,
        region: str = REGION,
        domain_id: str = DOMAIN_ID,
        credentials_lifetime: float = CREDENTIALS_LIFETIME,
        seed: bool = True,
        stop_in: Optional[float] = None,
        clock: Optional[Clock] = None,
    ) -> None:
        self.access_key, self.secret_key, self.project_id = access_key, secret_key, project_id
        self.temp_access_key, self.temp_secret_key = temp_access_key, temp_secret_key
        self.security_token = security_token
        self.iam_user, self.iam_password, self.iam_domain = iam_user, iam_password, iam_domain
        self.static_token = static_token
        self.region, self.domain_id = region, domain_id
        self.credentials_lifetime = credentials_lifetime
        self.clock = clock or Clock()
        self.store = Store(self.clock)
        self.auth = Authenticator(
            self.clock,
            {access_key: KeyPair(secret_key), temp_access_key: KeyPair(temp_secret_key, security_token)},
            [static_token] if static_token else [],
        )
        self.metadata_tokens = MetadataTokens(self.clock)
        self.faults = Faults()
        self.stats = Stats()
        self.seed_ids: Dict[str, str] = self.store.seed_defaults(stop_in) if seed else {}

    def advance(self, seconds: float) -> int:
        """Move the clock forward and stop what is due; the new time in ms."""
        now = self.clock.advance(seconds)
        self.store.expire_due()
        return now

    def seed_instance(self, **spec: Any) -> Dict[str, Any]:
        """Add an instance (see ``Store.seed``); the raw instance object."""
        return self.store.seed(spec)[1]

    def instance(self, instance_id: str) -> Optional[Dict[str, Any]]:
        """The raw stored instance, secrets included, or None."""
        found = self.store.raw(instance_id)
        return found[1] if found else None

    def instances(self) -> Dict[str, List[Dict[str, Any]]]:
        """Raw instances by backend."""
        return {backend: self.store.all(backend) for backend in BACKENDS}

    def issue_credentials(self) -> Dict[str, str]:
        """Fresh temporary credentials, as the metadata service's securitykey gives them."""
        access, secret, token, expires = self.auth.issue_temporary(
            self.region, int(self.credentials_lifetime * 1000)
        )
        return {"access": access, "secret": secret, "securitytoken": token, "expires_at": iso8601(expires)}

    def credentials(self) -> Dict[str, Any]:
        """``{"lifetime": s, "issued": n, "metadata_tokens": n}``: the setting and the counts so far."""
        return {
            "lifetime": self.credentials_lifetime,
            "issued": self.auth.temporary_issued,
            "metadata_tokens": self.metadata_tokens.issued,
        }

    def set_credentials(self, body: Any) -> None:
        """``{"lifetime": seconds}`` (0 < s <= 30 days): the lifetime of credentials issued from now on."""
        lifetime = body.get("lifetime") if isinstance(body, Mapping) and set(body) == {"lifetime"} else None
        if (
            not isinstance(lifetime, (int, float))
            or isinstance(lifetime, bool)
            or not 0 < lifetime <= CREDENTIALS_LIFETIME_MAX
        ):
            raise DevEnvError(
                "EMULATOR.BAD_REQUEST",
                f'Give {{"lifetime": seconds}}, more than 0 and at most {CREDENTIALS_LIFETIME_MAX:.0f}.',
                status=400,
            )
        self.credentials_lifetime = float(lifetime)

    def set_faults(self, body: Any) -> None:
        """Apply a faults body; ``"expire_tokens": true`` revokes every token and issued
        temporary credential so far."""
        if not isinstance(body, Mapping):
            raise DevEnvError("EMULATOR.BAD_REQUEST", "The body must be a JSON object.", status=400)
        switches = dict(body)
        expire = switches.pop("expire_tokens", False)
        if not isinstance(expire, bool):
            raise DevEnvError("EMULATOR.BAD_REQUEST", "expire_tokens must be true or false.", status=400)
        self.faults.configure(switches)
        if expire:
            self.auth.expire_all()


def make_app(emulator: Emulator) -> web.Application:
    """The tornado application serving ``emulator``: ModelArts, IAM, metadata and ``/_emulator/`` paths."""
    routes = (
        handlers_demanager.routes(emulator)
        + handlers_notebooks.routes(emulator)
        + handlers_iam.routes(emulator)
        + handlers_metadata.routes(emulator)
        + handlers_control.routes(emulator)
    )
    return web.Application(
        routes,
        default_handler_class=NotFoundHandler,
        default_handler_args={"emulator": emulator},
        log_function=_log_request,
    )


def _log_request(handler: web.RequestHandler) -> None:
    """Access log at DEBUG: the emulator's 4xx answers are expected, not warnings."""
    request = handler.request
    log.debug(
        "%d %s %s %.1fms", handler.get_status(), request.method, request.uri, 1000 * request.request_time()
    )
