"""Statements over many rows at once, the way each engine takes them best (a publish may write 100,000).

`among(column, ids)` is the condition "column is one of ids" as one parameter, however many ids:
an array on PostgreSQL, one JSON text read by `json_each` on SQLite (Django's `__in` sends a
placeholder an id, and SQLite allows a few thousand a statement). `InSubquery(field, subquery)` is
"field IN (subquery)" with the subquery read once before any row on PostgreSQL.
`without_cycle_collection()` holds Python's cycle collector back while a file's rows are made into
objects.
"""

import contextlib
import gc
import json

from django.db import connection
from django.db.models import BooleanField, Func


def among(column, ids):
    """(SQL, params): `column` (a quoted column name) is one of `ids` (a list of integers)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608 - a column name


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


@contextlib.contextmanager
def without_cycle_collection():
    """Python's cycle collector held back inside the block (reference counting frees as ever).

    Comparing a 100,000-row file makes some 500,000 dicts, tuples and lists that all stay alive until
    the end; the collector, started every 700 new ones, walks the survivors again and again: 0.9 s of
    CPU of the comparison's 2.5 s, timed alone (bench/run.py's upload file, at a million observations).
    In a whole upload it saves less (0.2-0.4 s of the check): the collector walks them once after the
    block, and walks the rows the reader made before it (held back over the whole check, 0.9 s went).
    Nothing made there is cyclic garbage, so nothing waits longer to be freed; the collector is back on
    (if it was) when the block ends, whatever happens in it, and runs on its usual schedule from there.
    The switch is the process's: another thread meanwhile only has its cycles collected a little later.
    Also a decorator.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
