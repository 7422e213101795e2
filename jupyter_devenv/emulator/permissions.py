"""The ``deny`` switches: which ModelArts call each one refuses, and the IAM action it names.

A denied call answers what ModelArts answers when the caller's IAM policy lacks the
action: HTTP 403 ``{"error_code": "ModelArts.0203", "error_msg": "Policy doesn't allow
<action> to be performed."}``.
"""

from __future__ import annotations

from ..modelarts.errors import DevEnvError

# switch -> the IAM action named in the answer. ``action`` (demanager start/stop/restart)
# names the action of the request's body: modelarts:notebook:<start|stop|restart>.
IAM_ACTIONS = {
    "list": "modelarts:notebook:list",  # GET demanager/instances and GET notebooks
    "detail": "modelarts:notebook:get",  # GET demanager/instances/{id} and notebooks/{id}
    "update": "modelarts:notebook:update",  # PUT demanager/instances/{id}
    "delete": "modelarts:notebook:delete",  # DELETE demanager/instances/{id}
    "action": "modelarts:notebook:{action}",  # POST demanager/instances/{id}/action
    "start": "modelarts:notebook:start",  # POST notebooks/{id}/start
    "stop": "modelarts:notebook:stop",  # POST notebooks/{id}/stop
    "renew_lease": "modelarts:notebook:updateStopPolicy",  # PATCH notebooks/{id}/lease
}
DENIED_CODE = "ModelArts.0203"


def denied(iam_action: str) -> DevEnvError:
    return DevEnvError(DENIED_CODE, f"Policy doesn't allow {iam_action} to be performed.", status=403)
