"""The overview page: Figures 1-3 of GB.270/TC/2 and expenditure by region."""

from dataclasses import dataclass, replace

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ..addresses import DEFAULTS, briefing_url, downloads, overview_url
from ..caching import cached_by_release
from ..charts import figure, figure_table
from ..explorer import drill_links, only_shares, panel_downloads, rows_coverage
from ..forms import FilterError, parse_overview
from ..selectors import live_release, stated_share_cells, view_rows
from ..vocabulary import (
    MEASURE_TITLES,
    SPLIT_FOOTNOTES,
    STATUS_MARKS,
    UNIT_NAMES,
    Measure,
    row_documents,
    status_note,
    title_years,
    unit_of,
    years_in_words,
)
from .briefing import briefing_document, print_line

EXCLUDING_ADMIN = _("Excluding administrative expenditure.")
NO_SPLIT = _("Where only a total is published for a year, the bar shows that total in grey; no split is invented.")


@dataclass(frozen=True)
class Panel:
    """One figure of the overview: what it reads and how the paper words it."""

    slug: str
    measure: str
    breakdown: str
    title: str  # "%(years)s" becomes the chosen range, as the ILO writes it ("1990-96")
    footnote: tuple  # sentences, translated when the page is drawn


PANELS = (
    Panel(
        "figure-1",
        "expenditure",
        "total",
        _("Figure 1. ILO technical cooperation expenditure, %(years)s"),
        (
            _(
                "The figures do not include regular budget resources spent on technical advisory services, "
                "research and the like in support of technical cooperation."
            ),
            EXCLUDING_ADMIN,
        ),
    ),
    Panel(
        "figure-2",
        "expenditure",
        "source",
        _("Figure 2. ILO technical cooperation expenditure by source of funds, %(years)s"),
        (SPLIT_FOOTNOTES[Measure.EXPENDITURE, "source"], EXCLUDING_ADMIN, NO_SPLIT),
    ),
    Panel(
        "figure-3",
        "approvals",
        "source",
        _("Figure 3. Extra-budgetary technical cooperation approvals, %(years)s, by source of funds"),
        (_("Extra-budgetary: every source of funds other than the ILO's regular budget."), NO_SPLIT),
    ),
    Panel(
        "by-region",
        "expenditure",
        "region",
        _("ILO technical cooperation expenditure by region, %(years)s"),
        (
            _(
                "Asia and the Pacific includes Afghanistan and the Islamic Republic of Iran; Europe includes "
                "Israel in 1994. The table by region has its own published total; it is never added to the "
                "table by source."
            ),
            EXCLUDING_ADMIN,
            NO_SPLIT,
        ),
    ),
)


def _overview_request(request):
    return parse_overview(request.GET)


@require_safe
@cached_by_release(check=_overview_request)
def overview(request):
    """GET / : the four figures for `from`-`to` (default 1990-1996), each with its table and sources."""
    try:
        query, lists = _overview_request(request)
    except FilterError as error:
        return render(request, "400.html", {"errors": error.messages}, status=400)
    panels = _panels(query, lists)
    context = {"panels": panels, "query": query, "nav": "overview", "defaults": DEFAULTS}
    context["years"] = years_in_words(query.year_from, query.year_to)
    context["key_facts"] = _key_facts(query, lists)
    context["briefing_url"] = briefing_url(query)
    context.update(print_line(request, overview_url(query)))
    return render(request, "funding/overview.html", {**context, "canonical_url": overview_url(query)})


@require_safe
@cached_by_release(check=_overview_request)
def briefing_pdf(request):
    """GET /briefing.pdf?from=&to= : the overview's four figures as an A4 PDF in the address's language."""
    try:
        query, lists = _overview_request(request)
    except FilterError as error:
        return render(request, "400.html", {"errors": error.messages}, status=400)
    panels = _panels(query, lists)
    url = request.build_absolute_uri(briefing_url(query))
    pdf = briefing_document(
        panels=panels,
        key_facts=_key_facts(query, lists),
        query=query,
        release=live_release(),
        url=url,
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"tcdash-briefing-{query.year_from}-{query.year_to}-{get_language()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _panels(query, lists):
    # Two reads whatever the range: every breakdown of a measure is one UNION ALL; a third says
    # which years of expenditure the documents give only as shares.
    rows = {}
    for measure in ("expenditure", "approvals"):
        breakdowns = sorted({p.breakdown for p in PANELS if p.measure == measure} | {"total"})
        for row in view_rows(replace(query, measure=measure, by=tuple(breakdowns)), code_lists=lists):
            rows.setdefault((measure, row["breakdown"]), []).append(row)
    stated = stated_share_cells(replace(query, measure="expenditure", by=("source",)), code_lists=lists)
    return [_panel(panel, rows, lists, query, stated if panel.measure == "expenditure" else {}) for panel in PANELS]


def _key_facts(query, lists):
    """The counts the paper states beside its figures (GB.270/TC/2, para. 20: the countries receiving
    technical cooperation) in the chosen years, each with its mark and document, and the twins of
    their measure: {"title", "unit", "facts": [{"year", "text", "mark", "note", "document", "url", "parts"}],
    "downloads"}. One query."""
    view = replace(query, measure="recipients", by=("total",))
    facts = []
    for row in view_rows(view, code_lists=lists):
        mark, note = STATUS_MARKS.get(row["status"], ""), status_note(row["status"])
        text = number_format(row["amount"], force_grouping=True)
        facts.append({"year": row["year"], "text": text, "mark": mark, "note": note, **_document(row)})
    return {
        "title": MEASURE_TITLES["recipients"],
        "unit": UNIT_NAMES[unit_of("recipients")],
        "facts": facts,
        "downloads": downloads(view),
    }


def _document(row):
    """A row's documents: as a file writes them, and each with its address ("parts", as the tables
    list a source: a sum of cells from two documents links each to its own)."""
    parts = [{"document": document, "url": url} for document, url in row_documents(row)]
    return {"document": row["document"], "url": row["document_url"], "parts": parts}


def _panel(panel, rows, lists, query, stated_cells):
    # The panel is the explorer's view of the same measure and breakdown: its bars drill where the
    # explorer's do, and its rows (every breakdown a drill from it reaches) say where figures exist.
    view = replace(query, measure=panel.measure, by=(panel.breakdown,))
    totals = rows.get((panel.measure, "total"), [])
    cells = rows_coverage([row for (measure, _), own in rows.items() if measure == panel.measure for row in own])
    arguments = {
        "breakdown": panel.breakdown,
        "code_lists": lists,
        "totals": totals,
        "drill": drill_links(view, coverage=cells, code_lists=lists),
        "year_from": query.year_from,
        "year_to": query.year_to,
        "only_shares": only_shares(view, (panel.breakdown, "total"), stated_cells),
    }
    parts = totals if panel.breakdown == "total" else rows.get((panel.measure, panel.breakdown), [])
    return {
        "id": panel.slug,
        "title": panel.title % {"years": title_years(query.year_from, query.year_to)},
        "footnote": " ".join(str(sentence) for sentence in panel.footnote),
        "figure": figure(parts, **arguments),
        "table": figure_table(parts, **arguments),
        "downloads": panel_downloads(view, panel.breakdown),
    }
