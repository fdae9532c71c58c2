"""Backups of the whole database, and restoring one: `make backup`, `make restore FILE=...`.

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` (PostgreSQL's own tools,
which must be installed where the command runs, at the server's major version or newer).
SQLite: the online backup API of the sqlite3 module, page by page under SQLite's own locks, so
the server may keep running (a publish waits while a backup or restore holds the database).
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


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
    return path.stat().st_size


def restore(path):
    """Replace every table of the database with those in the backup at `path`."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if _engine() == "postgresql":
        if path.read_bytes()[:5] != b"PGDMP":
            raise BackupError(f"{path} is not a pg_dump custom-format file (make backup on PostgreSQL writes one).")
        args, env = _pg_command("pg_restore")
        _run([*args, "--clean", "--if-exists", "--single-transaction", "--exit-on-error", str(path)], env)
    elif _engine() == "sqlite":
        if path.read_bytes()[:16] != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not a SQLite database (make backup on SQLite writes one).")
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        raise BackupError(f"No restore for the {_engine()} engine.")
    connection.close()
