"""A project and its team hub together: attaching one to the other, and how far apart they
are. The sync itself (push and pull through the merge rules) builds on these."""

from __future__ import annotations

from typing import Any

from fieldcase.errors import FieldcaseError, InputError
from fieldcase.hubstore import groups
from fieldcase.hubstore.connection import PasswordAsker, refuse_password, shown, translating
from fieldcase.hubstore.errors import HubUnreachableError
from fieldcase.hubstore.schema import hub_version, open_hub
from fieldcase.store import hub_link
from fieldcase.store.project import Project


def connect_project(project: Project, url: str, ask: PasswordAsker | None = None) -> dict[str, Any]:
    """Attach ``project`` to the hub at ``url`` once the hub answers and is a hub; its whole
    history goes to the hub at the next sync. A URL holding a password is refused."""
    refuse_password(url)
    with open_hub(url, ask) as conn, translating(url):
        version = hub_version(conn, url)
        on_hub = groups.group_count(conn)
    hub_link.set_hub_url(project, url)
    return {"hub": shown(url), "version": version, "hub_groups": on_hub,
            "to_push": len(hub_link.group_uuids(project))}


def hub_status(project: Project, ask: PasswordAsker | None = None) -> dict[str, Any]:
    """The project's hub and how far apart the two are. An unreachable hub is a status, not
    an error: ``reachable`` is False and ``error`` says why in one line."""
    url = hub_link.hub_url(project)
    if url is None:
        raise InputError(f"{project.path}: not attached to a hub (`fieldcase hub connect URL -p …`)")
    status: dict[str, Any] = {"hub": shown(url), "reachable": False, "error": None,
                              "version": None, "hub_groups": None, "to_push": None,
                              "to_pull": None, "open_conflicts": hub_link.open_conflict_count(project)}
    try:
        with open_hub(url, ask) as conn, translating(url):
            status.update(
                reachable=True, version=hub_version(conn, url),
                hub_groups=groups.group_count(conn),
                to_push=groups.lacking(conn, hub_link.group_uuids(project)),
                to_pull=groups.missing_from(conn, hub_link.seen_group_uuids(project)))
    except FieldcaseError as err:
        status["reachable"] = not isinstance(err, HubUnreachableError)
        status["error"] = str(err)
    return status
