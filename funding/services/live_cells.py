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
from .bulk import InSubquery, listed


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
    """The summary follows a change of live values: the observations of `gone` (ids no longer live)
    leave it, then the live top-level ones of `came` (a queryset of observations) or `came_ids` enter it.

    What leaves is every summary row whose observation is no longer live, found by joining the summary
    to the observations, not by sending `gone`: the summary is the size of the ILO's own tables, and a
    large file's ids (100,000 of them, mostly countries that were never in it) cost 0.2-0.3 s to send
    and parse on PostgreSQL, for rows that are not there. `gone` only says whether anything left."""
    if list(gone):
        _drop_retired()
    if came is not None:
        _copy(came.filter(is_current=True))
    if came_ids := list(came_ids):
        _copy(Observation.objects.filter(pk__in=listed(came_ids), is_current=True))


def _drop_retired():
    """DELETE FROM the summary the rows whose observation is no longer live: one statement, which both
    engines run as one primary-key look-up of the observations a summary row (EXISTS)."""
    quote = connection.ops.quote_name
    summary, observations = quote(LiveCell._meta.db_table), quote(Observation._meta.db_table)
    key, observation = quote(LiveCell._meta.pk.column), quote(Observation._meta.pk.column)
    current = quote(Observation._meta.get_field("is_current").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {summary} WHERE EXISTS (SELECT 1 FROM {observations} o"  # noqa: S608 - names from the models
            f" WHERE o.{observation} = {summary}.{key} AND o.{current} = %s)",
            [False],
        )


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
