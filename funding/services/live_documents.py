"""Writes the documents the live values cite (`LiveDocument`), inside the caller's transaction.

A withdrawal calls `replace_live_documents` with the observations that stopped being live and those
that became live again, next to `live_cells.replace_live_cells`: the documents of each are counted in
the database (one GROUP BY each), and the differences applied to the few rows of the table. A publish
knows both already (the retired values' documents as its UPDATE returns them, the new values it
writes) and gives the differences to `apply_document_counts`. Either way the counts are of the rows
as written, however they were written (bulk_create, COPY). `rebuild_live_documents` counts everything
again (the migration that made the table).
"""

from collections import Counter

from django.db import connection
from django.db.models import Count

from ..models import LiveDocument, Observation
from .bulk import among, listed


def _counted(observations):
    """Counter {(document, address): observations} of a queryset of observations, in one GROUP BY."""
    rows = observations.exclude(document="").values_list("document", "document_url").annotate(n=Count("pk"))
    return Counter({(document, url): n for document, url, n in rows.order_by()})


def _counted_ids(ids):
    """_counted of the observations `ids` (whether live or not now), the ids sent as one parameter."""
    if not ids:
        return Counter()
    quote = connection.ops.quote_name
    table = quote(Observation._meta.db_table)
    document, url = (quote(Observation._meta.get_field(name).column) for name in ("document", "document_url"))
    condition, params = among(quote(Observation._meta.pk.column), ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {document}, {url}, COUNT(*) FROM {table}"  # noqa: S608 - names from the model
            f" WHERE {condition} AND {document} <> '' GROUP BY {document}, {url}",
            params,
        )
        return Counter({(d, u): n for d, u, n in cursor.fetchall()})


def replace_live_documents(*, gone=(), came=None, came_ids=()):
    """The cited documents follow a change of live values: the observations `gone` (ids of values no
    longer live) are taken off their documents' counts, then the live ones of `came` (a queryset of
    observations) or `came_ids` added to theirs. A pair whose count comes to nothing is deleted."""
    change = Counter()
    change.subtract(_counted_ids(list(gone)))
    if came is not None:
        change.update(_counted(came.filter(is_current=True)))
    if came_ids := list(came_ids):
        change.update(_counted(Observation.objects.filter(pk__in=listed(came_ids), is_current=True)))
    apply_document_counts(change)


def apply_document_counts(change):
    """Add `change` (Counter {(document, address): a difference of count}) to the table; a publish
    gives it from the values it retired and wrote (publishing._write_values)."""
    change = {pair: n for pair, n in change.items() if n}
    if not change:
        return
    documents = {pair[0] for pair in change}
    kept = {(row.document, row.document_url): row for row in LiveDocument.objects.filter(document__in=documents)}
    new, changed, emptied = [], [], []
    for (document, url), difference in change.items():
        row = kept.get((document, url))
        count = (row.observations if row else 0) + difference
        if count < 0:
            raise ValueError(f"{document!r} would be cited by {count} live values: the table has drifted")
        if row is None:
            new.append(LiveDocument(document=document, document_url=url, observations=count))
        elif count == 0:
            emptied.append(row.pk)
        else:
            row.observations = count
            changed.append(row)
    LiveDocument.objects.filter(pk__in=emptied).delete()
    LiveDocument.objects.bulk_update(changed, ["observations"])
    LiveDocument.objects.bulk_create(new)


def rebuild_live_documents():
    """The table counted again from every live observation."""
    LiveDocument.objects.all().delete()
    counted = _counted(Observation.objects.current())
    LiveDocument.objects.bulk_create(
        [LiveDocument(document=d, document_url=u, observations=n) for (d, u), n in sorted(counted.items())]
    )


def live_documents_drift():
    """The (document, address, count) rows on which the table and a fresh count of the live
    observations disagree: empty when they are equal (what the tests hold after every write)."""
    fresh = {(d, u, n) for (d, u), n in _counted(Observation.objects.current()).items()}
    kept = set(LiveDocument.objects.values_list("document", "document_url", "observations"))
    return sorted(fresh ^ kept)
