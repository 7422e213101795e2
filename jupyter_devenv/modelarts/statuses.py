"""Every instance status of both API generations, as a phase a person understands.

The phase decides what is shown (a countdown only while ``running``) and which auto-stop
actions are offered: only those the API would accept in that status. Labels are the
front end's and the CLI's (translated there); this table is the one place that sorts
statuses.
"""

from __future__ import annotations

from typing import Dict

RUNNING, STARTING, STOPPING, SAVING, STOPPED, FAILED, FROZEN, DELETED, UNKNOWN = (
    "running",
    "starting",
    "stopping",
    "saving",
    "stopped",
    "failed",
    "frozen",
    "deleted",
    "unknown",
)

PHASES: Dict[str, str] = {
    # both generations
    "RUNNING": RUNNING,
    "STOPPED": STOPPED,
    "CREATING": STARTING,
    "STARTING": STARTING,
    "STOPPING": STOPPING,
    "DELETED": DELETED,
    "CREATE_FAILED": FAILED,
    "START_FAILED": FAILED,
    # the older (demanager) API
    "RESTARTING": STARTING,
    "RESIZING": STARTING,
    "RESIZE_FAILED": FAILED,
    "UNAVAILABLE": FAILED,
    # the current (notebooks) API
    "INIT": STARTING,
    "DELETING": STOPPING,
    "SNAPSHOTTING": SAVING,
    "DELETE_FAILED": FAILED,
    "ERROR": FAILED,
    "FROZEN": FROZEN,
}

# The older API takes auto-stop settings for a running or a stopped instance (ModelArts.6347
# otherwise); the current API renews a lease only while the instance runs.
SETTINGS_PHASES = (RUNNING, STOPPED)


def phase_of(status: object) -> str:
    return PHASES.get(str(status), UNKNOWN) if status else UNKNOWN
