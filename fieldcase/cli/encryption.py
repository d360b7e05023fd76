"""Encrypted projects on the command line: a new passphrase, ``encrypt`` and ``decrypt``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from fieldcase.cli.common import open_from_options, project_options
from fieldcase.errors import ProjectError
from fieldcase.store import cipher, drafts
from fieldcase.store.backups import list_backups
from fieldcase.store.encryption import convert

KEEP_SAFE = "Keep the passphrase safe: without it nobody, you included, can open the project or its backups."


def new_passphrase(path: Path) -> str:
    """The passphrase to encrypt ``path`` with: ``$FIELDCASE_PASSPHRASE``, else asked twice."""
    given = os.environ.get(cipher.PASSPHRASE_ENV)
    if given:
        if len(given) < SHORTEST:
            raise ProjectError(f"{path}: ${cipher.PASSPHRASE_ENV} is too short to protect interviews: "
                               f"use {SHORTEST} characters or more (a few words are easy to remember)")
        return given
    if not sys.stdin.isatty():
        raise ProjectError(f"{path}: give the passphrase to encrypt it with in ${cipher.PASSPHRASE_ENV}, "
                           "or run the command at a terminal to be asked for it")
    return click.prompt(f"New passphrase for {path} ({SHORTEST} characters or more)", hide_input=True, err=True,
                        confirmation_prompt="Repeat the passphrase", value_proc=_long_enough)


SHORTEST = 8  # characters of a new passphrase: a guess at a shorter one is cheap even through SQLCipher's KDF


def _long_enough(value: str) -> str:
    """A new passphrase, refused (and asked again) when it is shorter than :data:`SHORTEST`."""
    if len(value) < SHORTEST:
        raise click.BadParameter(f"too short: {len(value)} characters; use {SHORTEST} or more")
    return value


@click.command()
@project_options
def encrypt(project_path: str | None, user: str | None) -> None:
    """Encrypt a project in place (SQLCipher), with a passphrase asked twice or $FIELDCASE_PASSPHRASE.

    Without the passphrase the project cannot be opened, by you or anyone: keep it safe.
    """
    path = _checked(project_path, user, want_encrypted=False)
    convert(path, new_passphrase(path))
    click.echo(f"Encrypted {path}; every command now asks for its passphrase (or reads ${cipher.PASSPHRASE_ENV}).")
    click.echo(KEEP_SAFE)
    _note_backups(path, "were made before it and may be readable by anyone who can read the files; "
                        "delete them if nobody else should")
    kept = sorted(drafts.kept_folder_beside(path).glob("*.txt"))
    if kept:
        click.echo("Edits set aside earlier as text files still hold their words unencrypted "
                   "(copy what you need, then delete them):")
        for file in kept:
            click.echo(f"  {file}")


@click.command()
@project_options
def decrypt(project_path: str | None, user: str | None) -> None:
    """Store an encrypted project as a plain SQLite file again (asks for its passphrase)."""
    path = _checked(project_path, user, want_encrypted=True)
    convert(path, None)
    click.echo(f"Decrypted {path}: it is a plain SQLite file again, readable by anyone who can read the file.")
    _note_backups(path, "keep the encryption they were made with")


def _checked(project_path: str | None, user: str | None, *, want_encrypted: bool) -> Path:
    """Open the project once (asking for its passphrase if needed), refuse if it is already
    as wanted, and return its path."""
    with open_from_options(project_path, user) as project:
        path, is_encrypted = project.path, cipher.encrypted(project.conn)
    if is_encrypted != want_encrypted:
        raise ProjectError(f"{path}: {'not' if want_encrypted else 'already'} encrypted")
    return path


def _note_backups(path: Path, what: str) -> None:
    """Say which backups the conversion left as they were."""
    found = list_backups(path)
    if found:
        click.echo(f"{len(found)} earlier backup{'s' if len(found) != 1 else ''} {what}:")
        for backup in found:
            click.echo(f"  {backup}")


def register(cli: click.Group) -> None:
    """Add this module's commands to the ``fieldcase`` group."""
    for command in (encrypt, decrypt):
        cli.add_command(command)
