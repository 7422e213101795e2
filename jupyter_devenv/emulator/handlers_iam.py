"""IAM: ``POST /v3/auth/tokens`` (password login scoped to the emulator's project) and
``GET /v3/projects`` (the project listing)."""

from __future__ import annotations

from typing import Any, Mapping

from ..modelarts.errors import DevEnvError
from .clock import iso8601
from .handlers_base import ApiHandler


def _dig(body: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(body, Mapping):
            return None
        body = body.get(key)
    return body


class TokensHandler(ApiHandler):
    """Answers 201 with the token in ``X-Subject-Token``; 401 IAM.0004 on a wrong login.

    The scope must be the emulator's project, by id or by name (any name is taken
    for the region's project); a malformed body answers 400 IAM.0001.
    """

    auth = False

    def post(self) -> None:
        body = self.json_body()
        user = _dig(body, "auth", "identity", "password", "user")
        project = _dig(body, "auth", "scope", "project")
        if (
            "password" not in (_dig(body, "auth", "identity", "methods") or [])
            or not isinstance(user, Mapping)
            or not isinstance(project, Mapping)
        ):
            raise DevEnvError(
                "IAM.0001",
                "The request body is malformed: a password identity and a project scope are required.",
                status=400,
            )
        emulator = self.emulator
        if (user.get("name"), user.get("password"), _dig(user, "domain", "name")) != (
            emulator.iam_user,
            emulator.iam_password,
            emulator.iam_domain,
        ):
            raise DevEnvError("IAM.0004", "The username or password is wrong.", status=401)
        if project.get("id", emulator.project_id) != emulator.project_id:
            raise DevEnvError(
                "IAM.0004", "The project in the scope is not accessible to this user.", status=401
            )
        token, issued, expires = emulator.auth.issue_token()
        self.set_header("X-Subject-Token", token)
        self.send(
            {
                "token": {
                    "expires_at": iso8601(expires),
                    "issued_at": iso8601(issued),
                    "methods": ["password"],
                    "project": {
                        "id": emulator.project_id,
                        "name": emulator.region,
                        "domain": {"name": emulator.iam_domain},
                    },
                    "user": {"name": emulator.iam_user, "domain": {"name": emulator.iam_domain}},
                }
            },
            status=201,
        )


class ProjectsHandler(ApiHandler):
    """KeystoneListProjects: the emulator's one project (named after its region), or none
    when ``name`` is another; other filters are accepted and filter nothing. Authenticated
    and faulted like any call; no ``deny`` switch applies.
    """

    def get(self) -> None:
        emulator = self.emulator
        base = f"{self.request.protocol}://{self.request.host}/v3/projects"
        project = {
            "id": emulator.project_id,
            "name": emulator.region,
            "domain_id": emulator.domain_id,
            "parent_id": emulator.domain_id,
            "description": "",
            "enabled": True,
            "is_domain": False,
            "links": {"self": f"{base}/{emulator.project_id}"},
        }
        name = self.get_query_argument("name", None)
        self.send(
            {
                "projects": [project] if name in (None, emulator.region) else [],
                "links": {
                    "self": base + (f"?{self.request.query}" if self.request.query else ""),
                    "previous": None,
                    "next": None,
                },
            }
        )


def routes(emulator) -> list:
    kw = {"emulator": emulator}
    return [(r"/v3/auth/tokens", TokensHandler, kw), (r"/v3/projects", ProjectsHandler, kw)]
