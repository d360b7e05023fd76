"""A project and its team hub together: attaching one to the other, and how far apart they
are. The sync itself (push and pull through the merge rules) builds on these."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldcase.errors import FieldcaseError, InputError
from fieldcase.hubstore import groups
from fieldcase.hubstore.connection import PasswordAsker, refuse_password, shown, translating, where
from fieldcase.hubstore.errors import HubUnreachableError
from fieldcase.hubstore.schema import hub_version, open_hub
from fieldcase.store import hub_link
from fieldcase.store.project import Project

if TYPE_CHECKING:
    from fieldcase.exchange.sync import SyncReport


def connect_project(project: Project, url: str, ask: PasswordAsker | None = None) -> dict[str, Any]:
    """Attach ``project`` to the hub at ``url`` once the hub answers and is a hub; its whole
    history goes to the hub at the next sync. A URL holding a password is refused."""
    refuse_password(url)
    with open_hub(url, ask) as conn, translating(url):
        version = hub_version(conn, url)
        on_hub = groups.group_count(conn)
        to_push = groups.lacking(conn, hub_link.group_uuids(project))  # a project moved to the hub's new address lacks none
    hub_link.set_hub_url(project, url)
    return {"hub": shown(url), "version": version, "hub_groups": on_hub, "to_push": to_push}


def hub_status(project: Project, ask: PasswordAsker | None = None) -> dict[str, Any]:
    """The project's hub and how far apart the two are. An unreachable hub is a status, not
    an error: ``reachable`` is False and ``error`` says why in one line. ``open_conflicts``
    counts the team's, on the hub; ``local_open_conflicts`` those listed here."""
    url = hub_link.hub_url(project)
    if url is None:
        raise InputError(f"{project.path}: not attached to a hub (`fieldcase hub connect URL -p …`)")
    status: dict[str, Any] = {"hub": shown(url), "reachable": False, "error": None,
                              "version": None, "hub_groups": None, "to_push": None,
                              "to_pull": None, "open_conflicts": None,
                              "local_open_conflicts": hub_link.open_conflict_count(project)}
    try:
        with open_hub(url, ask) as conn, translating(url):
            status.update(
                reachable=True, version=hub_version(conn, url),
                hub_groups=groups.group_count(conn),
                to_push=groups.lacking(conn, hub_link.group_uuids(project)),
                to_pull=groups.missing_from(conn, hub_link.seen_group_uuids(project)),
                open_conflicts=groups.open_conflicts(conn))
    except FieldcaseError as err:
        status["reachable"] = not isinstance(err, HubUnreachableError)
        status["error"] = str(err)
    return status


def sync_project(project: Project, ask: PasswordAsker | None = None, *,
                 stage: Callable[[str], None] | None = None) -> SyncReport:
    """Sync ``project`` with its hub (see :mod:`fieldcase.exchange.sync`); ``stage`` hears
    each step as it starts (``connecting``, ``pulling``, ``merging``, ``pushing``). The
    outcome is noted in the project (:func:`hub_link.note_sync`) for a status line that
    need not ask the hub."""
    from fieldcase.exchange.sync import sync

    url = hub_link.hub_url(project)
    if url is None:
        raise InputError(f"{project.path}: not attached to a hub (`fieldcase hub connect URL -p …`)")
    if stage is not None:
        stage("connecting")
    try:
        with open_hub(url, ask) as conn, translating(url):
            report = sync(project, conn, where(url), stage=stage)
    except HubUnreachableError:
        hub_link.note_sync(project, reached=False)
        raise
    hub_link.note_sync(project, reached=True, pushed=not report.read_only)
    return report


def clone(url: str, path: Path, user: str | None, ask: PasswordAsker | None = None) -> tuple[Project, SyncReport]:
    """A new project at ``path`` holding the hub's work: attached to the hub, then synced.
    It starts with no codebook of its own: the team's comes from the hub."""
    from fieldcase.store.project import init_project, refuse_existing

    refuse_password(url)
    refuse_existing(path)
    with open_hub(url, ask) as conn, translating(url):
        hub_version(conn, url)  # a hub this fieldcase can use, before a file is made
    project = init_project(path, user=user, framework="none")
    try:
        hub_link.set_hub_url(project, url)
        return project, sync_project(project, ask)
    except BaseException:
        project.close()
        raise
