"""make backup / make restore: a backup restored into a fresh database holds every row of every table."""

import contextlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg2
import psycopg2.extras
import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import connection

from funding.importers import DEFAULT_NUMBER_FORMAT
from funding.models import LiveCell, Observation
from funding.services import create_draft
from tests.factories import NEW_1992

ROOT = Path(__file__).resolve().parent.parent


def every_table(cursor, tables, quote):
    """{table: its rows, sorted} for `tables`."""
    contents = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 - names from introspection
        contents[table] = sorted(
            (tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()), key=repr
        )
    return contents


def original_tables():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        return every_table(cursor, tables, connection.ops.quote_name)


def restore_into(url, path):
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "manage.py", "restore_database", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextlib.contextmanager
def scratch_database(suffix):
    """A new, empty PostgreSQL database beside the test one, dropped after: (its name, the parameters
    to connect to it)."""
    s = connection.settings_dict
    params = {"host": s["HOST"] or "127.0.0.1", "port": s["PORT"] or 5432, "user": s["USER"], "password": s["PASSWORD"]}
    name = f"{s['NAME']}_{suffix}"
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, params
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


@pytest.fixture
def some_of_everything(ilo_data):
    """The real data, a draft with its file, an editor: rows in most tables."""
    editor = User.objects.create_user("amina", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    create_draft(data=NEW_1992, file_name="new-1992.csv", number_format=DEFAULT_NUMBER_FORMAT, note="é ✓", user=editor)
    return ilo_data


def commands(url, *calls):
    """`calls` ((command name, *arguments) each) run by call_command, one after another, in one Python
    process on the database at `url`: what `manage.py` runs, for one start of Django (about 0.7 s of CPU)."""
    script = "import django; django.setup(); from django.core.management import call_command; " + "; ".join(
        f"call_command(*{list(call)!r})" for call in calls
    )
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "tcdash.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]


def manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup")
@pytest.mark.cost(4)  # three Python processes, one of them migrating a database
def test_a_sqlite_backup_restores_into_a_fresh_database_table_for_table(tmp_path):
    # A server's own SQLite file (the test database lives in memory, in this process's transaction).
    live = f"sqlite:///{tmp_path}/live.sqlite3"
    commands(
        live,
        ("migrate", "--verbosity", "0"),
        ("load_ilo_data", "--verbosity", "0"),
        ("create_editor", "amina", "--password", "tc-figures-2026!"),
    )
    backup = tmp_path / "tcdash.sqlite3"
    assert manage(live, "backup_database", str(backup)).startswith(f"Backed up the database to {backup} (")
    assert backup.read_bytes()[:16] == b"SQLite format 3\x00"
    fresh = tmp_path / "fresh.sqlite3"
    assert manage(f"sqlite:///{fresh}", "restore_database", str(backup)) == f"Restored the database from {backup}."
    original_connection, restored_connection = sqlite3.connect(tmp_path / "live.sqlite3"), sqlite3.connect(fresh)
    tables = [name for (name,) in original_connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    quote = lambda name: f'"{name}"'  # noqa: E731
    original = every_table(original_connection.cursor(), tables, quote)
    assert every_table(restored_connection.cursor(), tables, quote) == original
    assert len(original["funding_observation"]) > 100
    assert len(original["funding_livecell"]) > 100  # the summary of live cells comes back with them
    assert len(original["auth_user"]) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_fresh_database_table_for_table(some_of_everything, tmp_path):
    backup = tmp_path / "tcdash.dump"
    call_command("backup_database", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert backup.read_bytes()[:5] == b"PGDMP"
    s = connection.settings_dict
    with scratch_database("restore") as (fresh, params):
        url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{params['host']}:{params['port']}/{fresh}"
        result = restore_into(url, backup)
        assert result.returncode == 0, result.stderr
        original = original_tables()
        # The same session time zone as Django's connection, so timestamps read back alike.
        restored_connection = psycopg2.connect(dbname=fresh, options="-c timezone=UTC", **params)
        # JSON columns as their text, as Django's connection reads them.
        psycopg2.extras.register_default_jsonb(restored_connection, loads=lambda text: text)
        try:
            restored = every_table(restored_connection.cursor(), list(original), lambda name: f'"{name}"')
        finally:
            restored_connection.close()
        assert restored == original
        assert len(original["funding_observation"]) == Observation.objects.count() > 100
        assert len(original["funding_livecell"]) == LiveCell.objects.count() > 100


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(ilo_data, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a backup")
    before = Observation.objects.count()
    with pytest.raises(CommandError, match="is not a"):
        call_command("restore_database", str(bogus))
    assert Observation.objects.count() == before


def test_backup_never_overwrites_a_file(db, tmp_path):
    existing = tmp_path / "kept.dump"
    existing.write_bytes(b"mine")
    with pytest.raises(CommandError, match="exists already: choose another name."):
        call_command("backup_database", str(existing))
    assert existing.read_bytes() == b"mine"


def _sqlite_file(path, *statements):
    database = sqlite3.connect(path)
    with database:
        for statement in statements:
            database.execute(statement)
    database.close()
    return path


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite file restored")
def test_restore_refuses_a_sqlite_file_that_is_not_a_whole_backup_of_this_tcdash(ilo_data, tmp_path):
    # Each was restored: another application's database replaced every table (the site lost its
    # figures), and a damaged one stopped with sqlite3's traceback.
    migrations = "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT, name TEXT, applied TEXT)"
    other = _sqlite_file(tmp_path / "other.sqlite3", "CREATE TABLE notes (text TEXT)")
    newer = _sqlite_file(
        tmp_path / "newer.sqlite3",
        "CREATE TABLE funding_observation (id INTEGER PRIMARY KEY)",
        migrations,
        "INSERT INTO django_migrations (app, name, applied) VALUES ('funding', '0001_initial', ''), "
        "('funding', '9999_from_the_future', '')",
    )
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)
    before = Observation.objects.count()
    expected = {
        other: f"{other} is not a backup of tcdash: it holds no funding_observation table. Nothing was restored.",
        newer: f"{newer} was made by a newer tcdash (its migration funding.9999_from_the_future is unknown to this "
        "one): restore it with that version. Nothing was restored.",
        damaged: f"{damaged} cannot be read as a SQLite database (file is not a database). Nothing was restored.",
    }
    for path, message in expected.items():
        with pytest.raises(CommandError) as refused:
            call_command("restore_database", str(path))
        assert str(refused.value) == message
    assert Observation.objects.count() == before > 100


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore")
def test_restore_refuses_a_pg_dump_that_is_not_a_backup_of_tcdash(ilo_data, tmp_path):
    with scratch_database("other") as (other, params):
        with psycopg2.connect(dbname=other, **params) as database, database.cursor() as cursor:
            cursor.execute("CREATE TABLE notes (text text)")
        database.close()
        dump = tmp_path / "other.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--file", str(dump), "--host", params["host"], "--port", str(params["port"]),
             "--username", params["user"], other],
            check=True, env={**os.environ, "PGPASSWORD": params["password"] or ""},
        )  # fmt: skip
    cut = tmp_path / "cut.dump"
    cut.write_bytes(dump.read_bytes()[:40])
    before = Observation.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("restore_database", str(dump))
    assert str(refused.value) == (
        f"{dump} is not a backup of tcdash: it holds no funding_observation table. Nothing was restored."
    )
    with pytest.raises(CommandError) as refused:
        call_command("restore_database", str(cut))
    assert str(refused.value).startswith(f"{cut} cannot be read by pg_restore (")
    assert Observation.objects.count() == before > 100


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite online backup writes the file itself")
def test_backup_to_a_place_that_cannot_be_written_says_so_and_leaves_no_file(db, tmp_path):
    # It stopped with sqlite3's traceback ("unable to open database file").
    with pytest.raises(CommandError) as refused:
        call_command("backup_database", "/proc/tcdash.sqlite3")
    assert str(refused.value) == "Cannot write /proc/tcdash.sqlite3: unable to open database file. No backup was made."
    assert not Path("/proc/tcdash.sqlite3").exists()
