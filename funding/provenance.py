"""Reads the provenance of a view: the releases its live values come from (cited by every export)."""

from django.db.models import Q

from .models import Release, release_title
from .selectors import live_values, member_ids, view_cells


def releases_behind(query, *, code_lists=None):
    """The releases whose live values a view shows, oldest (by publication) first, in one query (on the summary of
    live top-level cells; see selectors.live_values, which `code_lists` saves a look-up).

    Returns [{"id", "title", "published_at"}]: the releases of the current observations of every
    cell the view's breakdowns read (same measure, years, country group and pinned dimensions).
    """
    cells, ids = Q(), member_ids(code_lists)
    for breakdown in query.by:
        cells |= view_cells(query, breakdown).q(ids)
    chosen = {"source": query.sources, "region": query.regions}
    observations = live_values(chosen, code_lists=code_lists).filter(cells)
    releases = Release.objects.with_dates().filter(pk__in=observations.values("release_id"))
    found = releases.order_by("published_seq", "id").values("id", "title", "file_name", "published_at")
    return [
        {"id": r["id"], "title": release_title(r["title"], r["file_name"]), "published_at": r["published_at"]}
        for r in found
    ]
