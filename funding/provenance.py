"""Reads the provenance of a view: the releases its live values come from (cited by every export)."""

from django.db.models import Q

from .models import Observation, Release
from .vocabulary import BREAKDOWNS, TOTAL


def _cells_of(query, breakdown):
    """The cells `figures(query, breakdown=...)` reads, as a Q over Observation (same pinning rules)."""
    condition = Q()
    by = BREAKDOWNS[breakdown]
    for dim, chosen in (("source", query.sources), ("region", query.regions)):
        if chosen:
            condition &= Q(**{f"{dim}__code__in": chosen})
        elif dim in by:
            # The top level only, as figures() reads it: a country under a region is not in the view.
            condition &= ~Q(**{f"{dim}__code": TOTAL}) & Q(**{f"{dim}__parent__isnull": True})
        else:
            condition &= Q(**{f"{dim}__code": TOTAL})
    return condition


def releases_behind(query):
    """The releases whose live values a view shows, oldest first, in one query.

    Returns [{"id", "title", "published_at"}]: the releases of the current observations of every
    cell the view's breakdowns read (same measure, years, country group and pinned dimensions).
    """
    cells = Q()
    for breakdown in query.by:
        cells |= _cells_of(query, breakdown)
    observations = Observation.objects.current().filter(
        cells,
        measure=query.measure,
        country_group__code=query.group,
        input_type__code=TOTAL,
        year__gte=query.year_from,
        year__lte=query.year_to,
    )
    return list(
        Release.objects.filter(pk__in=observations.values("release_id"))
        .order_by("id")
        .values("id", "title", "published_at")
    )
