"""AK/SK credentials and ``Keyring``, which keeps temporary ones fresh.

Credentials with a security token are temporary (an instance's agency, the metadata
service): they are fetched again from their source ``REFRESH_AHEAD`` seconds before
they expire, as the official SDK does, and once more when an answer says they expired.
Concurrent callers share one fetch. Permanent credentials are fetched once.
"""

from __future__ import annotations

import asyncio
import time
from typing import Awaitable, Callable, NamedTuple, Optional

REFRESH_AHEAD = 40 * 60.0  # the official SDK renews temporary credentials 40 minutes before expiry


class Credentials(NamedTuple):
    access_key: str
    secret_key: str
    security_token: str = ""
    expires_at: Optional[float] = None  # epoch seconds, when the source says

    @property
    def temporary(self) -> bool:
        return bool(self.security_token)

    def __repr__(self) -> str:  # never the keys
        return f"Credentials(temporary={self.temporary}, expires_at={self.expires_at})"


Fetch = Callable[[], Awaitable[Credentials]]


class Keyring:
    """The current credentials of one source, named ``source`` (e.g. ``metadata service``)."""

    def __init__(
        self,
        source: str,
        fetch: Fetch,
        clock: Callable[[], float] = time.time,
        on_fetch: Optional[Callable[["Keyring"], None]] = None,
    ) -> None:
        self.source = source
        self._fetch = fetch
        self._on_fetch = on_fetch
        self._clock = clock
        self._current: Optional[Credentials] = None
        self._fetching: Optional["asyncio.Future[Credentials]"] = None
        self.fetches = 0  # how many times the source was asked (for diagnostics and tests)

    @classmethod
    def of(cls, creds: Credentials, source: str) -> "Keyring":
        """A keyring that already holds ``creds`` (given keys: fetching gives them again)."""

        async def again() -> Credentials:
            return creds

        keyring = cls(source, again)
        keyring._current = creds
        return keyring

    @property
    def current(self) -> Optional[Credentials]:
        return self._current

    def _stale(self, creds: Optional[Credentials]) -> bool:
        if creds is None:
            return True
        if not creds.temporary or creds.expires_at is None:
            return False
        return self._clock() >= creds.expires_at - REFRESH_AHEAD

    async def get(self) -> Credentials:
        """Credentials good for a while yet: fetched again when temporary and near expiry."""
        if not self._stale(self._current):
            assert self._current is not None
            return self._current
        return await self._refresh()

    async def renew(self, used: Credentials) -> Credentials:
        """After an answer said ``used`` expired: fetch again, unless another call already did."""
        if self._current is not used and self._current is not None:
            return self._current
        return await self._refresh()

    async def _refresh(self) -> Credentials:
        if self._fetching is not None:
            return await asyncio.shield(self._fetching)
        future: "asyncio.Future[Credentials]" = asyncio.get_running_loop().create_future()
        self._fetching = future
        try:
            self.fetches += 1
            creds = await self._fetch()
            self._current = creds
            self.source = getattr(self._fetch, "source", None) or self.source
            if self._on_fetch is not None:
                self._on_fetch(self)
            future.set_result(creds)
            return creds
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # callers that wait re-raise it themselves
            raise
        finally:
            self._fetching = None
