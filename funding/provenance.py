"""Reads the provenance of a view: the releases its live values come from (cited by every export)."""

from django.db.models import Q

from .models import Observation, Release
from .selectors import view_cells


def releases_behind(query):
    """The releases whose live values a view shows, oldest first, in one query.

    Returns [{"id", "title", "published_at"}]: the releases of the current observations of every
    cell the view's breakdowns read (same measure, years, country group and pinned dimensions).
    """
    cells = Q()
    for breakdown in query.by:
        cells |= view_cells(query, breakdown).q()
    observations = Observation.objects.current().filter(cells)
    return list(
        Release.objects.with_dates()
        .filter(pk__in=observations.values("release_id"))
        .order_by("id")
        .values("id", "title", "published_at")
    )
