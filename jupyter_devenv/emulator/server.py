"""Serving an Emulator on 127.0.0.1: on the running event loop, in a thread, or blocking."""

from __future__ import annotations

import asyncio
import errno
import logging
import sys
import threading
from typing import Any, List, Optional, TextIO

from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.netutil import bind_sockets

from ..modelarts.errors import DevEnvError
from .app import Emulator, make_app
from .banner import banner

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PORT_IN_USE = "EMULATOR.PORT_IN_USE"


class EmulatorServer:
    """An Emulator's HTTP server on the running event loop (``await start()``, ``await stop()``).

    ``port=0`` picks a free port. While it runs, deadlines are also checked every
    second, so an instance stops on time even when nobody asks about it.
    """

    def __init__(self, emulator: Optional[Emulator] = None, port: int = 0) -> None:
        self.emulator = emulator or Emulator()
        self.port = port
        self._server: Optional[HTTPServer] = None
        self._ticker: Optional[PeriodicCallback] = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    async def start(self) -> "EmulatorServer":
        sockets = bind_sockets(self.port, HOST)
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(make_app(self.emulator))
        self._server.add_sockets(sockets)
        self._ticker = PeriodicCallback(self.emulator.store.expire_due, 1000)
        self._ticker.start()
        return self

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
        self._server = self._ticker = None


class EmulatorThread:
    """An EmulatorServer on its own event loop in a daemon thread, for sync code and tests.

    ``EmulatorThread().start()`` returns once it listens; then ``.url``,
    ``.emulator``, ``.stop()``. Also a context manager.
    """

    def __init__(self, emulator: Optional[Emulator] = None, port: int = 0) -> None:
        self.server = EmulatorServer(emulator, port)
        self.emulator = self.server.emulator
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> "EmulatorThread":
        ready = threading.Event()
        failure: List[BaseException] = []

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.server.start())
            except BaseException as exc:  # handed to the starting thread
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.server.stop())
            loop.close()

        self._thread = threading.Thread(target=run, name="modelarts-emulator", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive() and self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> "EmulatorThread":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def serve(port: int = DEFAULT_PORT, out: Optional[TextIO] = None, **options: Any) -> None:
    """Serve an Emulator on 127.0.0.1:``port`` until interrupted (the CLI's ``emulator``).

    ``options`` are Emulator arguments (``access_key``, ``secret_key``,
    ``project_id``, ``stop_in``...); None means the default. Prints the seeded
    instances, the URL and the accepted credentials as shell ``export`` lines, then
    a comment line each time an instance stops at its deadline. A port another process
    listens on raises DevEnvError ``EMULATOR.PORT_IN_USE``: "port N is in use: pass --port".
    """
    emulator = Emulator(**{k: v for k, v in options.items() if v is not None})
    out = out or sys.stdout
    logging.basicConfig(level=logging.INFO, format="# %(asctime)s %(message)s")  # deadline stops

    async def main() -> None:
        try:
            server = await EmulatorServer(emulator, port).start()
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            raise DevEnvError(PORT_IN_USE, f"port {port} is in use: pass --port", status=409) from None
        out.write(banner(emulator, server.url))
        out.flush()
        try:
            await asyncio.Event().wait()
        finally:
            await server.stop()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
