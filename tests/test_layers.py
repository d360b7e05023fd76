"""The layers hold beyond what import-linter sees: SQL only in the store, a core without a terminal.

``lint-imports`` (contracts in ``pyproject.toml``) checks who imports whom; these tests
check the two things an import graph cannot show.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import fieldcase

PACKAGE = Path(fieldcase.__file__).parent
CORE = ["text", "coding", "store", "hubstore", "analysis", "importers", "exchange", "reports"]
BASE = ["fieldcase.errors", "fieldcase.config", "fieldcase.resources"]
UI_PACKAGES = {"textual", "rich", "click"}

# The shapes of SQL statements (upper case, as the store writes them), not English words:
# "select the codes from the list" is no statement, "SELECT id FROM sources" is.
SQL = re.compile(
    r"\bSELECT\b.+?\bFROM\s+[\w(]"
    r"|\bINSERT\s+(?:OR\s+[A-Z]+\s+)?INTO\s+\w"
    r"|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\s+\w"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:UNIQUE\s+|VIRTUAL\s+|TEMP\s+|TEMPORARY\s+)?(?:TABLE|INDEX|TRIGGER|VIEW)\b"
    r"|\bPRAGMA\s+[a-z_]+"
    r"|\bBEGIN\s+(?:IMMEDIATE|EXCLUSIVE|DEFERRED)\b",
    re.DOTALL,
)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes: prose about SQL is allowed anywhere."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal but docstrings, an f-string with its values as ``x``."""
    skip = _docstrings(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "x" for v in node.values]
            out.append((node.lineno, "".join(str(p) for p in parts)))
            skip.update(id(v) for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            out.append((node.lineno, node.value))
    return out


def test_the_sql_pattern_knows_a_statement_from_english() -> None:
    statements = ["SELECT id FROM sources ORDER BY id", "SELECT count(*) FROM codes",
                  "INSERT OR IGNORE INTO suggestions (a) VALUES (?)", "UPDATE drafts SET text = ?",
                  "DELETE FROM drafts WHERE id = ?", "CREATE VIRTUAL TABLE x USING fts5(t)",
                  "PRAGMA data_version", "BEGIN IMMEDIATE", "SELECT x\n FROM (SELECT 1)"]
    english = ["select the codes from the list", "Delete from the project?", "Update the codes",
               "Create a table of codes by case", "SELECT a code (Enter) FROM: the picker",
               "Insert the code into the tree"]
    assert all(SQL.search(s) for s in statements)
    assert not [s for s in english if SQL.search(s)]


def test_no_sql_outside_the_store() -> None:
    """Only ``fieldcase/store/`` (and ``fieldcase/hubstore/`` for the hub) knows tables and
    columns; everything else calls them."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (PACKAGE / "store") in path.parents or (PACKAGE / "hubstore") in path.parents:
            continue  # the project file's SQL, and the hub's
        for line, text in _strings(ast.parse(path.read_text("utf-8"))):
            if SQL.search(text):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text[:80]!r}")
    assert not found, "SQL outside fieldcase/store/:\n" + "\n".join(found)


def _core_modules() -> list[str]:
    names = list(BASE)
    for package in CORE:
        names.append(f"fieldcase.{package}")
        prefix = f"fieldcase.{package}."
        names += [m.name for m in pkgutil.walk_packages([str(PACKAGE / package)], prefix)]
    return names


def test_the_core_imports_without_a_terminal() -> None:
    """Importing every module of the core, in a fresh interpreter, loads no Textual, Rich
    or click: a script, a worker or a server can use it without the UI."""
    modules = _core_modules()
    assert {"fieldcase.store.project", "fieldcase.analysis.search", "fieldcase.reports.exporting",
            "fieldcase.importers"} <= set(modules)
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(UI_PACKAGES)!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_the_headless_check_would_see_textual() -> None:
    """The check above can fail: the TUI's app module does load Textual."""
    script = ("import sys, fieldcase.tui.app\n"
              "print('textual' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"


# ``# type: ignore[code]  # why``: the one exception mypy's strict mode allows, each with its reason.
IGNORE = re.compile(r"#\s*type:\s*ignore(?P<rest>.*)$")
EXPLAINED = re.compile(r"^\[[a-z-]+(?:,\s*[a-z-]+)*\]\s+#\s*\S")


def test_every_type_ignore_names_its_error_and_says_why() -> None:
    """CONTRIBUTING.md: a ``# type: ignore`` names its error code and says why on the same line."""
    assert EXPLAINED.match("[attr-defined]  # our mark on a Textual event")
    assert not EXPLAINED.match("[attr-defined]") and not EXPLAINED.match("")
    bare = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            found = IGNORE.search(line)
            if found and not EXPLAINED.match(found["rest"]):
                bare.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()[:90]}")
    assert not bare, "a type: ignore without its error code or its reason:\n" + "\n".join(bare)


def _thread_workers() -> list[tuple[str, ast.FunctionDef, set[str]]]:
    """Every ``@work(thread=True)`` method of the TUI, with its class's static methods."""
    found = []
    for path in sorted((PACKAGE / "tui").rglob("*.py")):
        for cls in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(cls, ast.ClassDef):
                continue
            static = {f.name for f in cls.body if isinstance(f, ast.FunctionDef)
                      and any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in f.decorator_list)}
            for f in cls.body:
                if isinstance(f, ast.FunctionDef) and any(
                        isinstance(d, ast.Call) and any(k.arg == "thread" and isinstance(k.value, ast.Constant)
                                                        and k.value.value is True for k in d.keywords)
                        for d in f.decorator_list):
                    found.append((f"{path.relative_to(PACKAGE)}:{f.lineno} {cls.name}.{f.name}", f, static))
    return found


def test_thread_workers_call_nothing_of_their_screen_but_post_message():
    """CONTRIBUTING.md: a worker never touches a widget and reports back by messages. Its
    thread calls no method of the screen (``self.query_one``, ``self.notify``, a helper
    reading widgets) but ``post_message``; it may read the project's path, the user and a
    cancel event, and call the class's static methods."""
    workers = _thread_workers()
    assert any(name.startswith("tui/dialogs/import_files.py") for name, _, _ in workers)
    allowed = {"post_message"}
    found = []
    for name, function, static in workers:
        for node in ast.walk(function):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "self"
                    and node.func.attr not in allowed | static):
                found.append(f"{name} calls self.{node.func.attr}()")
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self"
                  and node.attr == "app"):
                found.append(f"{name} reaches self.app")
    assert found == [], "\n".join(found)
