"""Reads provenance: the releases a view's live values come from (cited by every export), and the papers
all the live values cite (named by every page's footer)."""

from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from .caching import read_by_release
from .models import Release, release_title
from .selectors import live_values, member_ids, summary_documents, view_branches, view_cells
from .vocabulary import is_gb_paper, paper_of


def cited_papers():
    """{"papers": the Governing Body papers the pages' figures cite ("GB.270/TC/2"), "others": any other
    document they cite ("Programme and Budget for 1998-99")}, each in order (vocabulary.paper_of each of
    their documents): the source of the figures, as the data says it, never a list kept by hand. Read
    once a generation (caching.read_by_release) from the summary of live cells
    (selectors.summary_documents): every live value's documents took 130 ms at a million observations,
    the summary's 0.4 ms."""

    def read():
        cited = sorted({paper_of(document) for document in summary_documents()} - {""})
        return {
            "papers": [paper for paper in cited if is_gb_paper(paper)],
            "others": [paper for paper in cited if not is_gb_paper(paper)],
        }

    return read_by_release("cited-papers", read)


def sources(request):
    """Context processor: `cited_papers` for the footer of every page, read when a page shows it."""
    return {"cited_papers": SimpleLazyObject(cited_papers)}


def releases_behind(query, *, code_lists=None):
    """The releases whose live values a view shows, oldest (by publication) first, in one query (on the summary of
    live top-level cells where it can; see selectors.live_values, which `code_lists` saves a look-up).

    Returns [{"id", "title", "published_at"}]: the releases of the current observations of every cell
    the view reads (selectors.view_branches, as view_rows reads them): its breakdowns, the "of which"
    members, and for shares the stated shares (1990 by source: no amount) and the totals they are of.
    """
    ids = member_ids(code_lists)
    cells_by_table = {}  # by the members chosen: the live values read for them (summary or observations)
    for breakdown, branch in view_branches(query):
        cells = view_cells(branch, breakdown)
        key = tuple(cells.chosen.items())
        cells_by_table[key] = cells_by_table.get(key, Q()) | cells.q(ids)
    behind = Q(pk__in=[])
    for key, cells in cells_by_table.items():
        observations = live_values(dict(key), code_lists=code_lists).filter(cells)
        behind |= Q(pk__in=observations.values("release_id"))
    releases = Release.objects.with_dates().filter(behind)
    found = releases.order_by("published_seq", "id").values("id", "title", "file_name", "published_at")
    return [
        {"id": r["id"], "title": release_title(r["title"], r["file_name"]), "published_at": r["published_at"]}
        for r in found
    ]
