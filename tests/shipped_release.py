"""The `ilo_data` fixture's rows: `load_ilo_data` run once a worker, what it wrote written back after.

Loading the shipped figures reads the ILO's tables (pandas) and publishes them (compares, prepares,
records): about 20 ms of CPU for 156 values, paid by some 900 tests. What the load writes is the
same each time it starts from the same database: one release, its observations and live cells, its
publish event, and the dataset's version moved on. So the first load of a worker runs the command
and notes every row it changed (a comparison of every table before and after, not a list of ours
that could fall behind what publishing writes); a later test whose tables are as they were then gets
those rows written back (one INSERT a table, about 5 ms), stamped with its own time, as the command would.

The rows are written back only where they can be the command's own: when the tables it added to are
empty again (in a test that rolls back, or in a flushing test after the flush, where they commit with
the publish's after-commit work, as the command's rows do). When the load changes a table in any other
way than adding to an empty one or moving a count or a time of a row on, nothing is noted and the test
runs the command (tests/test_load_ilo_data.py says so then: the write-back pins what the load writes today).
"""

import datetime

from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import AutoField, BigAutoField, F
from django.utils import timezone

# The publish's after-commit work, run by the write-back as by the command.
from funding.services.publishing import _refresh_statistics


class Load:
    """What one `load_ilo_data` wrote: rows `added` to empty tables, and fields `moved` on rows that were there."""

    def __init__(self, added, moved):
        self.added = added  # [(model, [row values])], each model after the ones it refers to
        self.moved = moved  # [(model, pk, {field: (before, after)})]

    def applies(self):
        """Whether the database is as the noted load found it: the tables it added to are empty."""
        return not any(model.objects.exists() for model, _ in self.added)

    def write(self):
        now = timezone.now()
        for model, rows in self.added:
            _insert(model, rows, now)
            _sequence_past(model, max(row[model._meta.concrete_fields.index(model._meta.pk)] for row in rows))
        for model, pk, fields in self.moved:
            moved = {name: _moved_on(name, before, after, now) for name, (before, after) in fields.items()}
            model.objects.filter(pk=pk).update(**moved)


NOTED = {}


def load_ilo_data(request):
    """The shipped release, for the `ilo_data` fixture: the command's rows, written by it or again.

    Written again as the command's publish writes them: in one transaction, with the work the publish
    leaves until it commits (SQLite's ANALYZE). In a test that rolls back, neither ever commits; in a
    flushing test both do, and the live server's pages are planned with the statistics either way."""
    load = NOTED.get("load")
    if load is not None and load.applies():
        with transaction.atomic():
            load.write()
            transaction.on_commit(_refresh_statistics)
        return
    if load is not None:
        call_command("load_ilo_data", verbosity=0)
        return
    # Noted once a worker; a load that cannot be noted (see _difference) is tried again by the next test.
    before = every_table()
    call_command("load_ilo_data", verbosity=0)
    if (noted := _difference(before, every_table())) is not None:
        NOTED["load"] = noted


def every_table():
    """{model: {pk: row values}} of every model's table."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables[model] = {row[model._meta.pk.attname]: row for row in model.objects.values()}
    return tables


def _difference(before, after):
    """The Load that took `before` to `after`, or None when it did more than add rows to empty tables
    and move fields of rows that stayed (then nothing is written back: every test runs the command)."""
    added, moved = [], []
    for model, rows in after.items():
        old = before[model]
        if rows == old:
            continue
        if not old:
            added.append((model, [_database_values(model, row) for row in rows.values()]))
        elif rows.keys() == old.keys():
            for pk, row in rows.items():
                fields = {name: (old[pk][name], value) for name, value in row.items() if old[pk][name] != value}
                if fields:
                    moved.append((model, pk, fields))
        else:
            return None
    if not all(_can_move(old, new) for _, _, fields in moved for old, new in fields.values()):
        return None
    return Load(_referred_first(added), moved)


def _insert(model, rows, now):
    """`rows` (database values) into `model`'s table in one statement; a field an insert stamps with
    its time (auto_now_add) is given `now`, the time of this write."""
    fields = model._meta.concrete_fields
    times = {i: field.get_db_prep_save(now, connection) for i, field in enumerate(fields) if stamped(field)}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
            [[times.get(i, value) for i, value in enumerate(row)] for row in rows],
        )


def _database_values(model, row):
    """A row's values as its INSERT sends them, in the order of the model's concrete fields."""
    return [field.get_db_prep_save(row[field.attname], connection) for field in model._meta.concrete_fields]


def stamped(field):
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


def _can_move(old, new):
    return isinstance(new, datetime.datetime) or (isinstance(new, int) and isinstance(old, int))


def _moved_on(name, before, after, now):
    """A field's new value: a count moved on by as much again (the dataset's version), a time to now."""
    if isinstance(after, datetime.datetime):
        return now
    return F(name) + (after - before)


def _referred_first(added):
    """`added` ordered so that a model comes after every model of `added` it has a foreign key to."""
    pending, ordered = dict(added), []
    while pending:
        ready = [model for model in pending if not _targets(model) & (pending.keys() - {model})]
        if not ready:
            raise ValueError(f"foreign keys in a cycle: {sorted(str(model) for model in pending)}")
        for model in ready:
            ordered.append((model, pending.pop(model)))
    return ordered


def _targets(model):
    return {field.related_model for field in model._meta.concrete_fields if field.is_relation}


def _sequence_past(model, largest):
    """On PostgreSQL, the id sequence moved past the rows written with their ids (never back: a sequence
    is outside the transaction, and a row a later test adds must not be given one of these ids)."""
    if connection.vendor != "postgresql" or not isinstance(model._meta.pk, (AutoField, BigAutoField)):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, model._meta.pk.column])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT setval(%s, GREATEST(%s, last_value)) FROM {sequence}", [sequence, largest])  # noqa: S608
