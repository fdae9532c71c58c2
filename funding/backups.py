"""Backups of the whole database, and restoring one: `make backup`, `make restore FILE=...`.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` (PostgreSQL's own tools,
which must be installed where the command runs, at the server's major version or newer).
SQLite: the online backup API of the sqlite3 module, page by page under SQLite's own locks, so
the server may keep running (a publish waits while a backup or restore holds the database).
"""

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader


class BackupError(Exception):
    pass


def _engine():
    return connection.vendor


def default_name(now):
    extension = "dump" if _engine() == "postgresql" else "sqlite3"
    return f"backups/tcdash-{now:%Y%m%d-%H%M%S}.{extension}"


def _pg_command(tool):
    path = shutil.which(tool)
    if path is None:
        raise BackupError(f"{tool} is not installed: apt-get install postgresql-client")
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = [path, "--no-owner", "--no-privileges", "--dbname", settings["NAME"]]
    if settings.get("HOST"):
        args += ["--host", settings["HOST"]]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", settings["USER"]]
    return args, env


def _run(args, env):
    result = subprocess.run(args, env=env, capture_output=True, text=True)  # noqa: S603 - our own arguments
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{args[0]} failed ({result.returncode})")


def backup(path):
    """Write the whole database to `path` (a new file); returns its size in bytes."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose another name.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if _engine() == "postgresql":
            args, env = _pg_command("pg_dump")
            _run([*args, "--format=custom", "--file", str(path)], env)
        elif _engine() == "sqlite":
            connection.ensure_connection()
            target = sqlite3.connect(path)
            try:
                with target:
                    connection.connection.backup(target)
            finally:
                target.close()
        else:
            raise BackupError(f"No backup for the {_engine()} engine.")
    except (OSError, sqlite3.Error) as exc:  # a folder that cannot be written, a full disk
        path.unlink(missing_ok=True)  # no half-written file left to be taken for a backup
        raise BackupError(f"Cannot write {path}: {exc}. No backup was made.") from None
    return path.stat().st_size


def _head(path, size):
    with path.open("rb") as file:
        return file.read(size)


def _known_migrations():
    return {name for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations if app == "funding"}


def _check_holds_tcdash(path, tables, applied):
    """Refuse a backup that is not tcdash's (a restore would replace every table with it), or that a
    newer tcdash made (its tables are not the ones this code reads)."""
    if "funding_observation" not in tables:
        raise BackupError(
            f"{path} is not a backup of tcdash: it holds no funding_observation table. Nothing was restored."
        )
    if applied is not None and (newer := sorted(applied - _known_migrations())):
        raise BackupError(
            f"{path} was made by a newer tcdash (its migration funding.{newer[-1]} is unknown to this one): "
            "restore it with that version. Nothing was restored."
        )


def _sqlite_contents(path):
    """(tables, applied migrations of the app) of the SQLite file at `path`, after SQLite's own check of
    its pages; a damaged file is refused before a table of ours is touched."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            check = [row[0] for row in source.execute("PRAGMA quick_check(5)")]
            if check != ["ok"]:
                raise BackupError(f"{path} is a damaged SQLite database ({'; '.join(check)}). Nothing was restored.")
            tables = {name for (name,) in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            applied = set()
            if "django_migrations" in tables:
                query = "SELECT name FROM django_migrations WHERE app = 'funding'"
                applied = {name for (name,) in source.execute(query)}
            return tables, applied
        finally:
            source.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database ({exc}). Nothing was restored.") from None


def _pg_tables(path):
    """The tables a pg_dump archive holds, from its table of contents (`pg_restore --list`)."""
    args, env = _pg_command("pg_restore")
    result = subprocess.run([args[0], "--list", str(path)], env=env, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{path} cannot be read by pg_restore ({result.stderr.strip()}). Nothing was restored.")
    # An entry reads "221; 1259 16403 TABLE public funding_observation postgres".
    return set(re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", result.stdout, re.MULTILINE))


def restore(path):
    """Replace every table of the database with those in the backup at `path`: a backup of tcdash made
    by `make backup` on the engine in use, checked before anything is replaced (a file that is not
    one, a damaged one, or one of a newer tcdash is refused and changes nothing)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if _engine() == "postgresql":
        if _head(path, 5) != b"PGDMP":
            raise BackupError(f"{path} is not a pg_dump custom-format file (make backup on PostgreSQL writes one).")
        _check_holds_tcdash(path, _pg_tables(path), None)
        args, env = _pg_command("pg_restore")
        _run([*args, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(path)], env)
    elif _engine() == "sqlite":
        if _head(path, 16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not a SQLite database (make backup on SQLite writes one).")
        _check_holds_tcdash(path, *_sqlite_contents(path))
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"No restore for the {_engine()} engine.")
    connection.close()


def unapplied_migrations():
    """How many of this code's migrations the database (just restored from an older backup) lacks."""
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
