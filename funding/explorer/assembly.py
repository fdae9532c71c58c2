"""The explorer page put together: the filter form, the value toggle, and one panel per breakdown with
its figure, table, downloads or message. Pure: rows, code lists and coverage in, the template's context out."""

from dataclasses import replace

from django.utils.translation import gettext as _

from .. import charts
from ..addresses import DEFAULTS, downloads, view_url
from ..selectors import with_change
from ..vocabulary import (
    BREAKDOWN_TITLES,
    DEFAULT_FROM,
    DEFAULT_TO,
    DIMENSIONS,
    GROUP_LABELS,
    MEASURE_FOOTNOTES,
    OF_WHICH,
    VALUE_LABELS,
    breakdown_words,
    chosen,
    group_param,
    split_footnotes,
    title_years,
    top_level,
    years_in_words,
)
from .drill import drill_links
from .signposts import breadcrumbs, gap_messages, no_data_sentence, why_none
from .words import filter_label, subject, summary, year_list


def filter_form(query, *, code_lists, coverage, data_span=None):
    """The state of the filter form (a GET form: submitting it is just another address). The years it
    offers run over `data_span` (selectors.year_span), or else the years of `coverage`."""
    data_years = {year for _, year, *_ in coverage} | {DEFAULT_FROM, DEFAULT_TO, query.year_from, query.year_to}
    data_years |= set(data_span or ())
    names = {dim: top_level(code_lists, dim) for dim in DIMENSIONS}
    return {
        "defaults": DEFAULTS,  # what the form leaves out of the address it opens (static/js/filters.js)
        "year_from": query.year_from,
        "year_to": query.year_to,
        "years": list(range(min(data_years), max(data_years) + 1)),
        "sources": [
            {"code": m["code"], "name": m["name"], "checked": m["code"] in query.sources} for m in names["source"]
        ],
        "regions": [
            {"code": m["code"], "name": m["name"], "checked": m["code"] in query.regions} for m in names["region"]
        ],
        "input_types": [
            {"code": m["code"], "name": m["name"], "checked": m["code"] in query.input_types}
            for m in names["input_type"]
        ],
        "by": [{"code": code, "label": label, "checked": code in query.by} for code, label in BREAKDOWN_TITLES.items()],
        "group": [
            {"code": group_param(code), "label": label, "checked": code == query.group}
            for code, label in GROUP_LABELS.items()
        ],
        "value": [
            {"code": code, "label": label, "checked": code == query.value} for code, label in VALUE_LABELS.items()
        ],
    }


def value_links(query):
    """The amount / share / change toggle: one link per value, the current one marked."""
    return [
        {"label": label, "url": view_url(replace(query, value=code)), "current": code == query.value}
        for code, label in VALUE_LABELS.items()
    ]


def only_shares(query, breakdowns, stated_cells):
    """{(series, year): {"url": the share view's address, "documents": where the share is stated}} of
    the cells of `breakdowns` in the view's years whose share the documents state
    (selectors.stated_share_cells), which an amounts view without their amount says; {} in any other
    view. A figure's own breakdown and "total" for its table's total line."""
    if query.value != "amount":
        return {}
    url = view_url(replace(query, value="share", focus_year=None))
    cells = {}
    for breakdown in breakdowns:
        cells.update((stated_cells or {}).get(breakdown, {}))
    return {
        cell: {"url": url, "documents": documents}
        for cell, documents in cells.items()
        if query.year_from <= cell[1] <= query.year_to
    }


def page(query, rows, *, summary_rows, code_lists, coverage, data_span=None, stated_cells=None):
    """Everything the explorer template shows of `query`: {"title", "span", "breadcrumbs", "summary",
    "panels", "value_links", "form", "nav"}.

    `rows` are view_rows(query), `summary_rows` view_rows(summary_query(query)), `coverage` the
    cells of selectors.coverage(), `stated_cells` selectors.stated_share_cells(query). Each panel is
    one breakdown, in the context that templates/funding/_figure.html takes ({"id", "title",
    "footnote", "figure", "table", "downloads"}) plus "breakdown" and "message": a figure and table
    where it has rows, a message in words (and where it helps, a link to where the breakdown exists)
    where it has none.
    """
    messages = {m["breakdown"]: m for m in gap_messages(query, rows, coverage=coverage, code_lists=code_lists)}
    _lead_to_stated_shares(messages, query, stated_cells)
    of_which = [r for r in rows if r["breakdown"] in OF_WHICH.values()]
    who = subject(query, code_lists)
    span = title_years(query.year_from, query.year_to)
    arguments = {
        "code_lists": code_lists,
        "totals": _totals(summary_rows, query),
        "value": query.value,
        "drill": drill_links(query, coverage=coverage, code_lists=code_lists),
        "year_from": query.year_from,
        "year_to": query.year_to,
        "chosen": {dim: chosen(query, dim) for dim in DIMENSIONS},
    }
    panels = [
        _panel(
            query,
            number=number,
            breakdown=breakdown,
            rows=[r for r in rows if r["breakdown"] == breakdown],
            title=_("Figure %(number)s. %(subject)s%(by)s, %(years)s")
            % {"number": number, "subject": who, "by": _by_words(breakdown), "years": span},
            message=messages.get(breakdown),
            arguments={
                **arguments,
                "only_shares": only_shares(query, (breakdown, "total"), stated_cells),
                # Every table ends with the published total, and the "of which" rows follow it, as they
                # follow it in the figure's download (which adds the total: by=source&by=total).
                "of_which": of_which,
            },
        )
        for number, breakdown in enumerate(query.by, start=1)
    ]
    if not rows and not arguments["totals"] and all(not m["link_url"] for m in messages.values()):
        # Nothing at all, not even a total: one plain sentence rather than one per chart. (Where the
        # total exists, each breakdown says that its split is not published: Africa by type of input.)
        label = filter_label(query, code_lists)
        text = no_data_sentence(label, years_in_words(query.year_from, query.year_to))
        only = {"breakdown": "", "text": text, "link_text": "", "link_url": "", "why": why_none(query)}
        panels = [{**panels[0], "title": f"{who}, {span}", "message": only}]
    return {
        "title": who,
        "span": span,
        "breadcrumbs": breadcrumbs(query, code_lists=code_lists),
        "summary": summary(query, summary_rows, code_lists=code_lists),
        "panels": panels,
        "value_links": value_links(query),
        "form": filter_form(query, code_lists=code_lists, coverage=coverage, data_span=data_span),
        "nav": query.measure,
    }


def _lead_to_stated_shares(messages, query, stated_cells):
    """A breakdown with no amounts whose shares the documents state says so, and leads there."""
    for breakdown, message in messages.items():
        shares_only = only_shares(query, (breakdown,), stated_cells)
        if shares_only:
            years = year_list(sorted({year for _, year in shares_only}))
            message.update(
                text=_("For %(years)s only shares of the total are published, not amounts") % {"years": years},
                link_text=_("see the shares"),
                link_url=next(iter(shares_only.values()))["url"],
            )


def _totals(summary_rows, query):
    """The total series the breakdowns' charts and tables show beside their parts: the total breakdown's
    rows, with the share the JSON and the files give them (selectors.share_whole: of the year's
    published total, so a sum of chosen members is its share of it, never 100%) and, in a view of
    changes, the change the files give them (the summary is read from the year before for it)."""
    totals = [r for r in summary_rows if r["breakdown"] == "total"]
    return with_change(totals, year_from=query.year_from) if query.value == "change" else totals


def _by_words(breakdown):
    return "" if breakdown == "total" else " " + breakdown_words(breakdown)


def panel_downloads(query, breakdown):
    """The downloads of one breakdown's panel (the explorer's and the overview's): its rows and, beside
    a split, the published total its table shows on its last line, so a file holds what the reader sees."""
    view = replace(query, by=("total",) if breakdown == "total" else (breakdown, "total"))
    return downloads(view)


def _panel(query, *, number, breakdown, rows, title, message, arguments):
    """One breakdown's panel: its figure and table when it has rows, its downloads, its message."""
    panel = {
        "id": f"figure-{number}",
        "breakdown": breakdown,
        "title": title,
        "footnote": " ".join(map(str, [MEASURE_FOOTNOTES[query.measure], *split_footnotes(query.measure, breakdown)])),
        "message": message,
        "figure": None,
        "table": None,
        "downloads": panel_downloads(query, breakdown),
    }
    if rows:
        arguments = {**arguments, "breakdown": breakdown}
        if breakdown == "total":
            arguments["totals"] = None
        panel["figure"] = _with_focus(charts.figure(rows, **arguments), query)
        panel["table"] = charts.figure_table(rows, **arguments)
    return panel


def _with_focus(figure, query):
    """Shade the year a drill-down came through, so the reader sees where she came from."""
    years = list(range(query.year_from, query.year_to + 1))
    if query.focus_year in years and len(years) > 1:
        index = years.index(query.focus_year)
        shade = {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": index - 0.5,
            "x1": index + 0.5,
            "y0": 0,
            "y1": 1,
            "fillcolor": "#fde68a",
            "opacity": 0.35,
            "layer": "below",
            "line": {"width": 0},
        }
        figure["layout"]["shapes"] = [*figure["layout"].get("shapes", []), shade]
    return figure
