"""A Jupyter server extension for the load runs only: ``GET /load-probe/tasks`` answers
``{"tasks": N}``, the number of asyncio tasks not yet done on the server's event loop.

Loaded by ``ProcessStack(extensions={"task_probe": <this folder>})``, never by the product.
The count includes the probe request's own tasks (tornado runs each connection and each
request handler as a task), the same at every reading.
"""

from __future__ import annotations

import asyncio
import json

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

PATH = "/load-probe/tasks"


class TasksHandler(APIHandler):
    @web.authenticated
    def get(self) -> None:
        self.finish(json.dumps({"tasks": len(asyncio.all_tasks())}))


def _jupyter_server_extension_points():
    return [{"module": "task_probe"}]


def _load_jupyter_server_extension(serverapp) -> None:
    route = url_path_join(serverapp.web_app.settings["base_url"], PATH)
    serverapp.web_app.add_handlers(".*$", [(route, TasksHandler)])
