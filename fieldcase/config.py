"""Where projects live and who is working: the user-level settings of fieldcase."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP_NAME = "fieldcase"
PROJECT_ENV = "FIELDCASE_PROJECT"
USER_ENV = "FIELDCASE_USER"


def data_dir() -> Path:
    """The per-user data directory (``$FIELDCASE_DATA_DIR`` overrides it, for tests)."""
    override = os.environ.get("FIELDCASE_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """The per-user configuration directory (``$FIELDCASE_CONFIG_DIR`` overrides it)."""
    override = os.environ.get("FIELDCASE_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME))


def cache_dir() -> Path:
    """The per-user cache: what fieldcase can rebuild (``$FIELDCASE_CACHE_DIR`` overrides it)."""
    override = os.environ.get("FIELDCASE_CACHE_DIR")
    return Path(override) if override else Path(platformdirs.user_cache_dir(APP_NAME))


def default_project_path() -> Path:
    """The project used when neither ``-p`` nor ``$FIELDCASE_PROJECT`` names one."""
    return data_dir() / "default.fieldcase"


def resolve_project_path(explicit: str | os.PathLike[str] | None) -> Path:
    """Pick the project file: the explicit path, then the environment, then the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(PROJECT_ENV)
    if env:
        return Path(env).expanduser()
    return default_project_path()


def resolve_user(explicit: str | None) -> str:
    """Name the person making changes: ``--user``, then ``$FIELDCASE_USER``, then the OS user."""
    if explicit and explicit.strip():
        return explicit.strip()
    env = os.environ.get(USER_ENV, "").strip()
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getuser raises various errors without a login name
        return "unknown"
