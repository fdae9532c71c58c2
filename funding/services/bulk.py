"""Statements over many rows at once, the way each engine takes them best (a publish may write 100,000).

`among(column, ids)` is the condition "column is one of ids" as one parameter, however many ids
(`listed(ids)` the same ids as a subquery, for a queryset's `__in`):
an array's text cast to an array on PostgreSQL, one JSON text read by `json_each` on SQLite (Django's
`__in` sends a placeholder an id, and SQLite allows a few thousand a statement). `InSubquery(field, subquery)` is
"field IN (subquery)" with the subquery read once before any row on PostgreSQL.
`without_cycle_collection()` holds Python's cycle collector back while a file's rows are made into
objects (its check, its comparison with the live values, its publish). `fetched_by_index(cursor, sql,
params)` runs a statement whose rows PostgreSQL finds through an index (the ids of `among`: the primary key).
"""

import contextlib
import gc
import json
import threading

from django.db import connection
from django.db.models import BooleanField, Func
from django.db.models.expressions import RawSQL


def among(column, ids):
    """(SQL, params): `column` (a quoted column name) is one of `ids` (a list of integers).

    On PostgreSQL the ids go as the text of an array ('{1,2,3}'), cast by the server: a Python list
    is sent by psycopg2 as ARRAY[1, 2, 3], which it writes element by element and the server parses
    as one expression an element (a 100,000-row publish's retired ids: 0.16-0.23 s of the client's CPU
    and about 0.2 s of the server's to read them, against 0.02 s and 0.03-0.1 s as text)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [_ids_text(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [_ids_text(ids)]  # noqa: S608 - a column name


def listed(ids):
    """`ids` (a list of integers) as a subquery of one id a row, for the ORM's `__in`
    (`filter(pk__in=listed(ids))`): the ids go as one parameter, as in `among`, however many there are
    (a withdrawal's 100,000 values came back in 50 statements of 2,000 placeholders each)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [_ids_text(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [_ids_text(ids)])


def _ids_text(ids):
    """`ids` as the one text parameter that carries them: an array's ('{1,2,3}') on PostgreSQL, JSON's
    ('[1, 2, 3]') on SQLite."""
    ids = [int(value) for value in ids]
    if connection.vendor == "postgresql":
        return "{" + ",".join(map(str, ids)) + "}"
    return json.dumps(ids)


class InSubquery(Func):
    """`field IN (subquery)`, as a condition for filter(). On PostgreSQL it is written
    `field = ANY(ARRAY(subquery))`: the subquery (a code list's few top-level ids) is read once,
    before any row, whatever the planner estimates of the rows it filters. A release just written
    is not in the table's statistics yet: estimated at one row, its 100,000 values were joined
    row by row with every code list (3.8 s; now 0.05 s)."""

    output_field = BooleanField()
    arg_joiner = " IN "
    template = "%(expressions)s"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)")


def fetched_by_index(cursor, sql, params):
    """`cursor.execute(sql, params)`, then its rows (fetchall). On PostgreSQL the statement is planned
    without sequential or bitmap scans (SET LOCAL, sent with it), and the two settings are put back
    after it (to their defaults, as the transaction began with them: the app sets them nowhere else),
    for a write of rows named by their ids (`among`), found through the primary key.

    A publish's retiring UPDATE of 100,000 ids among 2.7 million rows was planned as a sequential scan
    (the planner counts each of the array's ids as a random read of the index), which read the whole
    table's 370 MB to find rows that lie in 2,700 of its pages: the UPDATE took 2.0 s (median of six),
    against 1.6 s by the primary key, in id order (the order they were written in). Only for a statement
    that has such an index: a disabled scan is still taken when there is no other. One round trip more;
    an error inside rolls the settings back with the transaction (or savepoint)."""
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return cursor.fetchall()
    cursor.execute(f"SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; {sql}", params)
    rows = cursor.fetchall()
    cursor.execute("SET LOCAL enable_seqscan TO DEFAULT; SET LOCAL enable_bitmapscan TO DEFAULT")
    return rows


_held = {"blocks": 0, "was_enabled": False}
_held_lock = threading.Lock()


@contextlib.contextmanager
def without_cycle_collection():
    """Python's cycle collector held back inside the block (reference counting frees as ever): around
    a file's check (services.uploads), its comparison with the live values and its preparation
    (services.publishing), and a publish from a draft.

    Checking and comparing a 100,000-row file makes about a million small objects (rows, cell keys,
    live values, changes) that all stay alive until the end; the collector, started every 700 new
    ones, walked the survivors again and again and found almost nothing to free: a fifth of a check's
    CPU (0.9 s of 3.7 s), a third of the comparison's timed alone (0.9 s of 2.5 s). Nothing made there
    is cyclic garbage, so nothing waits longer to be freed. The switch is the process's: blocks in
    several threads at once are counted, and the collector is back on (if it was on when the first
    began) when the last one ends, whatever happens in it; another thread meanwhile only has its
    cycles collected a little later. Also a decorator."""
    with _held_lock:
        if _held["blocks"] == 0:
            _held["was_enabled"] = gc.isenabled()
            gc.disable()
        _held["blocks"] += 1
    try:
        yield
    finally:
        with _held_lock:
            _held["blocks"] -= 1
            if _held["blocks"] == 0 and _held["was_enabled"]:
                gc.enable()
