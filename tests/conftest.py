"""Shared fixtures: every test runs with its own data and config folders and user."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from fieldcase.store.project import Project, init_project

if TYPE_CHECKING:
    from sqlite_utils import Database


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point fieldcase's data, config and cache folders at a temp dir, never the machine's own."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("FIELDCASE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("FIELDCASE_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("FIELDCASE_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("FIELDCASE_USER", "tester")
    monkeypatch.delenv("FIELDCASE_PROJECT", raising=False)
    return base


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "study.fieldcase"


@pytest.fixture
def project(project_path: Path):
    with init_project(project_path, user="tester", framework="none") as opened:
        yield opened


@pytest.fixture
def cli(project_path: Path):
    """Run ``fieldcase ARGS -p PROJECT``; returns the click result."""
    from fieldcase.cli import cli as command

    runner = CliRunner()

    def run(*args: str, project: bool = True, **kwargs):
        full = [*args, "-p", str(project_path)] if project else list(args)
        return runner.invoke(command, full, catch_exceptions=False, **kwargs)

    return run


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` in ``encoding``, creating folders; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def bare_database(path: Path) -> Database:
    """``path`` opened as the store opens it but with no schema made: for building a project
    of an older version with ``migrations.migrate(db, upto=…)``."""
    from sqlite_utils import Database

    from fieldcase.store.db import open_connection

    return Database(open_connection(path))


def count(project: Project, table: str) -> int:
    return project.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


from hypothesis import settings as _hypothesis_settings  # noqa: E402

# Property tests run 300 examples each; HYPOTHESIS_PROFILE=stress runs many more.
_hypothesis_settings.register_profile("default", max_examples=300, deadline=None)
_hypothesis_settings.register_profile("stress", max_examples=5000, deadline=None)
_hypothesis_settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "default"))


INTERVIEW_TEXT = (
    "访谈者：您是哪一年回村的？\n"
    "H：2012年。那时候杭州的生意不好做，父母年纪也大了。\n"
    "访谈者：回来以后做了什么？\n"
    "H：先搞土地流转，后来办了合作社，村民都来入股。土地流转以后，大家收入高了。\n"
)


@pytest.fixture
def coded(project, tmp_path):
    """A project with one interview source and a small codebook."""
    from fieldcase.importers import import_paths
    from fieldcase.store import codes

    path = write(tmp_path / "h.txt", INTERVIEW_TEXT)
    (result,) = import_paths(project, [path])
    codes.add(project, key="talent", name_zh="人才回流", name_en="Talent return")
    codes.add(project, key="talent.motive", name_zh="返乡动因", name_en="Return motives", parent="talent")
    codes.add(project, key="land", name_zh="土地要素", name_en="Land", keywords=["土地流转"])
    return project, result.id


@pytest.fixture
def tui_project(tmp_path):
    """A project with the built-in framework and one interview, for driving the workspace."""
    from fieldcase.importers import import_paths

    path = tmp_path / "tui.fieldcase"
    with init_project(path, user="tester") as project:
        import_paths(project, [write(tmp_path / "h.txt", INTERVIEW_TEXT)])
    return path


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory) -> Path:
    """The bundled sample project, built once; copy it (``sample``) before changing it."""
    from fieldcase.importers.sample import build_sample

    path = tmp_path_factory.mktemp("sample") / "demo.fieldcase"
    built, _ = build_sample(path, user="tester")
    built.close()
    return path


@pytest.fixture
def sample(sample_template, tmp_path) -> Path:
    """A fresh copy of the sample project, at a stable file name."""
    import shutil

    target = tmp_path / "demo.fieldcase"
    shutil.copy(sample_template, target)
    return target


@pytest.fixture
def pg_db():
    """A fresh PostgreSQL database for a hub test (see tests/pg.py): skipped without a
    server, failed instead under FIELDCASE_REQUIRE_PG=1; dropped afterwards with its roles."""
    from pg import fresh_database

    with fresh_database() as (database, _admin):
        yield database


@pytest.fixture
def pg_role(pg_db):
    """Makes login roles for one test (``pg_role("pw")`` gives a new role's name); dropped
    at the end. Their names end in the test database's name, so they never collide."""
    from pg import unique_name

    def make(password: str) -> str:
        from psycopg import sql

        name = f"{unique_name('fcuser')}_{pg_db.name}"
        pg_db.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(password)))
        return name

    yield make


@pytest.fixture(autouse=True)
def lasting_toasts(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In snapshot tests a notification stays until the picture is taken: on a loaded
    machine more than Textual's 5 seconds can pass between a toast and the snapshot."""
    if request.module.__name__.startswith("test_snapshots"):
        from textual.app import App

        monkeypatch.setattr(App, "NOTIFICATION_TIMEOUT", 3600.0)
