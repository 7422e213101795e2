"""A 403 from ModelArts in plain words: which IAM action the account lacks, and who grants it."""

from __future__ import annotations

from .errors import DevEnvError

# The IAM action each call needs (ModelArts' "DevEnviron Permissions" page) and what it lets a person do.
GET, LIST, UPDATE, RENEW = (
    "modelarts:notebook:get",
    "modelarts:notebook:list",
    "modelarts:notebook:update",
    "modelarts:notebook:updateStopPolicy",
)
DOES = {
    GET: "read the instance",
    LIST: "list the project's instances",
    UPDATE: "change the instance's auto-stop settings and description",
    RENEW: "extend the instance's running time",
    "modelarts:notebook:start": "start the instance",
    "modelarts:notebook:stop": "stop the instance",
    "modelarts:notebook:restart": "restart the instance",
}


def denied(error: DevEnvError, action: str) -> DevEnvError:
    """``error`` (a 403) reworded: the missing action, and that an administrator grants it."""
    return DevEnvError(
        error.error_code,
        f"This account may not {DOES.get(action, action)}: it lacks the IAM "
        f"permission {action}. An administrator grants it in IAM (a policy allowing {action} "
        f"on ModelArts). ModelArts said: {error.error_msg}",
        status=403,
        field=error.field,
    )
