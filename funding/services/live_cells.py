"""Writes the summary of live top-level cells (`LiveCell`), inside the caller's transaction.

The summary is the live observations at the top level of every code list, copied field for field.
Each change of live values calls `replace_live_cells` with the observations that stopped being live
and those that became live; it deletes the first and copies the second in the database (one
INSERT ... SELECT), so it holds however the observations were written (bulk_create, COPY) and for
any field the observation and the summary share. `rebuild_live_cells` copies everything again
(the migration that made the table, and a code list whose parents changed).
"""

from django.db import connection
from django.db.models import F, Subquery

from ..models import DimensionMember, LiveCell, Observation
from .bulk import InSubquery, among

BATCH = 2000


def _copied_fields():
    """The observation's fields that the summary keeps, by name: every field of LiveCell but its key."""
    return [field for field in LiveCell._meta.concrete_fields if field.name != "observation"]


def top_level():
    """The conditions on Observation (a list for filter()) of a cell whose every member (of every code
    list it refers to) has no parent: the cells a summary keeps. Written over the model's fields, so a dimension added
    to the cube is covered without touching this."""
    return [
        InSubquery(F(field.attname), Subquery(model.objects.filter(parent__isnull=True).values("id")))
        for field in Observation._meta.concrete_fields
        for model in (field.related_model,)
        if model is not None and issubclass(model, DimensionMember)
    ]


def _copy(observations):
    """INSERT INTO the summary the top-level ones of `observations` (a queryset of live ones)."""
    fields = _copied_fields()
    select = observations.filter(*top_level()).values_list("pk", *(f.attname for f in fields))
    sql, params = select.query.sql_with_params()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [LiveCell._meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(LiveCell._meta.db_table)} ({columns}) {sql}", params)


def replace_live_cells(*, gone=(), came=None, came_ids=()):
    """The summary follows a change of live values: `gone` (observation ids no longer live) leave it,
    then the live top-level ones of `came` (a queryset of observations) or `came_ids` enter it.
    The ids of `gone` go in one statement (bulk.among), however many."""
    gone = list(gone)
    if gone:
        quote = connection.ops.quote_name
        condition, params = among(quote(LiveCell._meta.pk.column), gone)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {quote(LiveCell._meta.db_table)} WHERE {condition}", params)  # noqa: S608
    if came is not None:
        _copy(came.filter(is_current=True))
    came_ids = list(came_ids)
    for start in range(0, len(came_ids), BATCH):
        _copy(Observation.objects.filter(pk__in=came_ids[start : start + BATCH], is_current=True))


def rebuild_live_cells():
    """The summary made again from every live observation (code-list parents changed)."""
    LiveCell.objects.all().delete()
    _copy(Observation.objects.current())


def live_cells_drift():
    """The cells on which the summary and a fresh read of the live observations disagree: a list of
    field tuples, empty when they are equal (what the tests hold after every write)."""
    names = [f.attname for f in _copied_fields()]
    fresh = set(Observation.objects.current().filter(*top_level()).values_list("pk", *names))
    kept = set(LiveCell.objects.values_list("pk", *names))
    return sorted(fresh ^ kept, key=repr)
