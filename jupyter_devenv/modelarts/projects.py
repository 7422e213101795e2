"""The project id of a region, from IAM (``GET /v3/projects?name={region}``), for a client without one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .codes import NOT_CONFIGURED
from .errors import DevEnvError

if TYPE_CHECKING:
    from .client import AsyncModelArtsClient, FindProject


def region_project(iam_endpoint: str, region: str) -> "FindProject":
    """A ``find_project`` for ``AsyncModelArtsClient``: the one project IAM names after ``region``."""
    url = iam_endpoint.rstrip("/") + "/v3/projects"

    async def find(client: "AsyncModelArtsClient") -> str:
        projects = (await client.request("GET", url, params={"name": region})).data.get("projects")
        ids = [p.get("id") for p in projects or [] if isinstance(p, dict) and p.get("id")]
        if len(ids) != 1:
            found = "none" if not ids else f"{len(ids)}"
            raise DevEnvError(
                NOT_CONFIGURED,
                f"IAM lists {found} projects named {region!r}, so the project id "
                "cannot be found from the region: set c.DevEnv.project_id "
                "(HUAWEICLOUD_SDK_PROJECT_ID).",
                status=503,
                field="project_id",
            )
        return str(ids[0])

    return find
