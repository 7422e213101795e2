"""ListNotebooks (``GET /v1/{project_id}/notebooks``): its query's filters, order and paging.

The answer's fields are those of the official SDK's ``ListNotebooksResponse``:
``current`` (page number from 1), ``data``, ``pages``, ``size`` (the page size, i.e.
``limit``) and ``total`` (instances matching the filters). ``offset`` counts instances,
as the SDK describes it ("start position of the paged records").
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional

from ..modelarts.codes import INCORRECT_PROPERTY
from ..modelarts.errors import DevEnvError
from .notebook_object import FEATURE
from .notebooks import STATUSES

LIMIT_DEFAULT, LIMIT_MAX = 10, 50
SORT_KEYS = ("create_at", "update_at", "name", "status")
FEATURES = ("NOTEBOOK", "DEFAULT")
FIELD_NOT_SORTABLE = "ModelArts.6303"


def _bad(msg: str, code: str = INCORRECT_PROPERTY) -> DevEnvError:
    return DevEnvError(code, msg, status=400)


def _whole(query: Mapping[str, str], name: str, default: int, low: int, high: Optional[int] = None) -> int:
    text = query.get(name)
    if text is None:
        return default
    value = int(text) if text.isascii() and text.isdigit() else -1
    if value < low or (high is not None and value > high):
        bound = f" and <= {high}" if high is not None else ""
        raise _bad(f"{name} must be a whole number >= {low}{bound}.")
    return value


def _choice(query: Mapping[str, str], name: str, allowed: tuple, default: Optional[str]) -> Optional[str]:
    value = query.get(name, default)
    if value is not None and value not in allowed:
        raise _bad(f"{name} must be one of {', '.join(allowed)}.")
    return value


def page(instances: List[Dict[str, Any]], query: Mapping[str, str]) -> Dict[str, Any]:
    """One page of ``instances`` (stored copies, in creation order) for a query's single values.

    The page's ``data`` holds the stored copies, for the caller to render: sort keys
    create_at and update_at are the instances' hidden times (``notebooks.HIDDEN``).

    Filters: ``feature`` (default NOTEBOOK), ``name`` (substring, case-insensitive),
    ``status`` (exact). Order: ``sort_key`` (comma-separated among SORT_KEYS, default
    create_at), ``sort_dir`` (ASC or DESC, default DESC); ties keep creation order.
    Other query parameters are accepted and filter nothing.
    """
    limit = _whole(query, "limit", LIMIT_DEFAULT, 1, LIMIT_MAX)
    offset = _whole(query, "offset", 0, 0)
    feature = _choice(query, "feature", FEATURES, FEATURE)
    status = _choice(query, "status", STATUSES, None)
    descending = _choice(query, "sort_dir", ("ASC", "DESC"), "DESC") == "DESC"
    keys = query.get("sort_key", "create_at").split(",")
    if any(key not in SORT_KEYS for key in keys):
        raise _bad(
            f"The field does not support sorting: sort_key must be among {', '.join(SORT_KEYS)}.",
            FIELD_NOT_SORTABLE,
        )
    name = query.get("name", "").lower()
    found = [
        i
        for i in instances
        if i["feature"] == feature and name in i["name"].lower() and status in (None, i["status"])
    ]
    found.sort(key=lambda i: tuple(i[key] for key in keys), reverse=descending)
    return {
        "current": offset // limit + 1,
        "data": found[offset : offset + limit],
        "pages": -(-len(found) // limit),
        "size": limit,
        "total": len(found),
    }
