"""Charts: selector rows -> plotly figure dicts and the data tables printed beside them. Pure.

A figure is a plain dict ({"data": [...], "layout": {...}}, JSON types only) that
`static/js/charts.js` hands to `Plotly.newPlot`. It is built by hand rather than through
`plotly.graph_objects`: the tests validate every dict against plotly's schema, and the page does
not pay for validation on each request (about 90 ms for the first figure of a process).

Rules the figures keep, whatever the data:
- the x axis is categorical and shows every year of the range; a year without data is labelled
  "no data", never drawn as a zero bar;
- stacked members follow the ILO's order and colours from `code_lists()`;
- a year where a breakdown has only its total is drawn as that total, in hatched grey and named
  e.g. "All sources (no split published)": never an invented split;
- a value that is not "published" as such (approximate, rounded, derived...) carries its mark on
  the bar, in the hover note and in the table, with a legend;
- each point's `customdata` is the URL a click drills to ("" for none);
- a share the documents state without an amount (1990 by source) is drawn in the share view with
  its status mark and, over its year, "stated as a share" (the document in its hover note and in the
  table's marks); in the amounts view its year says "only shares published", linked to the share
  view, instead of "no data".
"""

from collections import Counter
from decimal import Decimal

from django.utils.formats import get_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .vocabulary import (
    BREAKDOWN_HEADINGS,
    BREAKDOWNS,
    DIMENSIONS,
    DOCUMENTS_JOINER,
    NO_DATA_WORDS,
    NO_DOCUMENT_WORDS,
    OF_WHICH,
    OF_WHICH_WORDS,
    ONLY_SHARES_WORDS,
    STATED_SHARE_MARK,
    STATED_SHARE_WORDS,
    STATUS_MARKS,
    VALUE_UNITS,
    is_stated_share,
    member_words,
    members,
    percent_words,
    pinned_member,
    row_documents,
    row_member,
    series_members,
    share_basis,
    stated_share_note,
    status_note,
)

NO_SPLIT_COLOUR = "#6b7280"
MARK_COLOUR = "#111827"  # on white: contrast 17.7:1
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


def format_value(number, value="amount"):
    """A Decimal as printed in the tables: "23,531", "1,234.5", "24.0%" (share), "+3.2%" (change); None -> ""."""
    if number is None:
        return ""
    if value == "amount":
        return number_format(Decimal(number), force_grouping=True)
    return percent_words(number, signed=value == "change")


def separators():
    """plotly's `separators` for the active language: the decimal mark, then the thousands one."""
    return get_format("DECIMAL_SEPARATOR") + get_format("THOUSAND_SEPARATOR")


def figure(
    rows,
    *,
    breakdown,
    code_lists,
    totals=None,
    value="amount",
    drill=None,
    year_from,
    year_to,
    only_shares=None,
    of_which=(),
    chosen=None,
):
    """Selector rows of one breakdown -> a plotly figure dict.

    `rows`: `selectors.view_rows()` rows of `breakdown` ("total", "source", "region" or
    "source-region"); `totals`: the rows of the same query by total, drawn as a grey bar in the years
    where the breakdown has nothing but its total (ignored when `breakdown` is "total"). `value`:
    "amount", or "share"/"change" to plot that key of each row on a % axis. `drill(row)` returns the URL
    a click on that row's bar goes to. `only_shares` is {(series, year): {"url", "documents"}} of the
    cells whose shares the documents state (explorer.only_shares): a year with nothing drawn where one
    of them is says "only shares published", not "no data". `of_which` are the rows of the members under
    the one member a total is of (vocabulary.OF_WHICH: multi-bi under trust funds), drawn as marks
    beside its bar, never stacked on it. `chosen` is {dimension: codes} of the members the view chose: a
    row summing several of them is named for that sum ("Sum of 2 regions: Africa, Europe",
    vocabulary.member_words), never as the total. Amounts arrive as Decimal; the dict holds plain ints
    and floats only.
    """
    years = list(range(year_from, year_to + 1))
    rows = [row for row in rows if year_from <= row["year"] <= year_to]
    names = members(code_lists)
    chosen = chosen or {}
    series = _series(rows, breakdown, names, chosen)
    traces = [_trace(s["rows"], s["name"], s["colour"], value, drill, breakdown) for s in series]

    fallback = _total_only_rows(rows, totals, breakdown, year_from, year_to)
    if value == "change":
        fallback = [row for row in fallback if row.get("change") is not None]
    if fallback:
        name = _("%(total)s (no split published)") % {"total": _total_name(breakdown, names, chosen)}
        trace = _trace(fallback, name, NO_SPLIT_COLOUR, value, drill, breakdown, total_only=True)
        # "overlay": the grey is the background and the hatching is drawn over it.
        trace["marker"]["pattern"] = {
            "shape": "/",
            "fillmode": "overlay",
            "fgcolor": "#ffffff",
            "fgopacity": 0.45,
            "size": 7,
        }
        traces.append(trace)

    drawn = {x for trace in traces for x in trace["x"]}
    traces += _of_which_traces(of_which, names, year_from, year_to)
    shares_years = {year for _, year in only_shares or {}}
    annotations = [_no_data_note(years, year, year in shares_years) for year in years if str(year) not in drawn]
    annotations += _stack_marks(traces, years)
    annotations += _stated_share_notes(rows, value, years)
    if breakdown != "total" and value != "change":
        annotations += _partial_notes(series, value, years, names)
    return {"data": traces, "layout": _layout(years, value, breakdown, annotations, traces)}


def figure_table(
    rows,
    *,
    breakdown,
    code_lists,
    totals=None,
    value="amount",
    drill=None,
    year_from,
    year_to,
    only_shares=None,
    of_which=(),
    chosen=None,
):
    """The data table of a figure: the exact published numbers, their marks and source documents.

    Same inputs as `figure()`. Returns {"unit", "heading", "years": [{"year", "ref"}], "rows": [{"label",
    "colour", "is_total", "cells": [{"year", "text", "mark", "status", "note", "basis", "basis_mark", "ref", "url",
    "missing"}]}], "documents": [{"ref", "document", "url"}], "marks": [{"mark", "status",
    "meaning"}]}. One row per member in the ILO's order, then the published total (never re-added
    from the parts: `totals`, with their "change" in a view of changes, as explorer.assembly gives
    them); a missing value reads "no data", or "only shares published" with the share view's
    URL where `only_shares` has its cell (its row's series and year), in a member's row and the total
    line alike, citing the document that states the share (a column of such cells names it in its
    header): the same cell reads the same wherever it is shown, and on paper its source is in sight.
    A stated share's `basis` is "stated as a share (GB.270/TC/2, para. 18)", its mark "s" beside its
    status mark. The `of_which` rows
    follow the total, each labelled "of which: ..." (`is_of_which`), never summed into it. A year's
    `ref` names the document of every number in its column, unless a cell carries a `ref` of its own.
    """
    years = list(range(year_from, year_to + 1))
    rows = [row for row in rows if year_from <= row["year"] <= year_to]
    names = members(code_lists)
    chosen = chosen or {}
    table_rows = _table_rows(rows, totals, breakdown=breakdown, value=value, names=names, years=years, chosen=chosen)
    table_rows = _with_stated_only_rows(table_rows, only_shares or {}, breakdown=breakdown, names=names)
    for table_row in table_rows:
        table_row["is_of_which"] = False
    table_rows += _of_which_table_rows(of_which, names, year_from, year_to)
    documents = _Documents()
    column_refs = _column_refs(table_rows, years, documents, only_shares or {})
    by_years = [table_row.pop("by_year") for table_row in table_rows]
    for table_row, by_year in zip(table_rows, by_years, strict=True):
        table_row["cells"] = [
            _table_cell(by_year.get(year), year, value, table_row["is_total"], column_refs.get(year), documents, drill)
            for year in years
        ]
        _link_only_shares(table_row, only_shares or {}, column_refs, documents)
    return {
        "unit": str(VALUE_UNITS[value]),
        "heading": str(BREAKDOWN_HEADINGS[breakdown]),
        "years": [{"year": year, "ref": column_refs.get(year)} for year in years],
        "rows": table_rows,
        "documents": documents.listed(),
        "marks": _table_marks(by_years, years),
    }


# The years one printed table shows across an A4 page beside its labels (the pack's, and a page's
# printed from the browser), each number whole on one
# line ("148,670 r" with its source); a longer range is set as several tables, one under another.
YEARS_A_TABLE = 8


def year_blocks(table, size=YEARS_A_TABLE):
    """A figure's table (figure_table) -> [{"years", "rows", "padding"}]: its year columns
    `size` at a time, each block with every row (label, total or not, its cells of those years).
    A range longer than `size` pads its last block with empty columns (`padding`), so every block's
    columns have the same width."""
    years = table["years"]
    blocks = []
    for start in range(0, max(len(years), 1), size):
        shown = years[start : start + size]
        padding = range(size - len(shown) if len(years) > size else 0)
        rows = [{**row, "cells": row["cells"][start : start + size]} for row in table["rows"]]
        blocks.append({"years": shown, "rows": rows, "padding": padding})
    return blocks


def _of_which_table_rows(of_which, names, year_from, year_to):
    """The table's "of which: ..." rows, after the total and never summed into it, each with its values
    by year."""
    return [
        {
            "label": s["name"],
            "colour": s["colour"],
            "is_total": False,
            "is_of_which": True,
            "by_year": {r["year"]: r for r in s["rows"]},
        }
        for s in _of_which_series(of_which, names, year_from, year_to)
    ]


def _link_only_shares(table_row, only_shares, column_refs, documents):
    """A cell with no amount whose share the documents state reads "only shares published", linked to
    the share view and citing the share's document (`only_shares`: {(series, year): {"url",
    "documents"}}; its ref where it is not the column's), whichever row it is in."""
    for cell in table_row["cells"]:
        stated = only_shares.get((table_row.get("series"), cell["year"]))
        if cell["missing"] and stated:
            ref = documents.ref_of_documents(stated["documents"])
            cell.update(
                text=str(ONLY_SHARES_WORDS),
                url=stated["url"],
                ref=ref if ref != column_refs.get(cell["year"]) else None,
            )


def _table_marks(by_years, years):
    """The legend of the marks the table's cells carry: each status mark used, in STATUS_MARKS' order,
    then the stated-share mark with each basis it stands for."""
    used_statuses, stated = set(), {}
    for by_year in by_years:
        used_statuses |= {by_year[year]["status"] for year in years if year in by_year}
        stated.update({share_basis(by_year[year])[1]: None for year in years if share_basis(by_year.get(year, {}))[0]})
    return [
        {"mark": mark, "status": status, "meaning": status_note(status)}
        for status, mark in STATUS_MARKS.items()
        if status in used_statuses
    ] + [{"mark": STATED_SHARE_MARK, "status": "", "meaning": note} for note in stated]


def _table_rows(rows, totals, *, breakdown, value, names, years, chosen):
    """A table's rows before their cells: one per member in the ILO's order, then the published total
    (never re-added from the parts) or the sum of the chosen members, each with its values by year."""
    table_rows = [
        {
            "label": s["name"],
            "colour": s["colour"],
            "is_total": False,
            "series": series_members(s["rows"][0]),
            "by_year": {r["year"]: r for r in s["rows"]},
        }
        for s in _series(rows, breakdown, names, chosen)
    ]
    if breakdown != "total" and totals is not None:
        # A share the documents state without an amount is, in an amounts view, a cell without one, as
        # it is in the members' rows (which the amounts view reads without the stated shares).
        total_rows = [
            row
            for row in totals
            if years[0] <= row["year"] <= years[-1] and not (value == "amount" and row["amount"] is None)
        ]
        if total_rows or not rows:
            table_rows.append(
                {
                    "label": _total_name(breakdown, names, chosen),
                    "colour": NO_SPLIT_COLOUR,
                    "is_total": True,
                    "series": _total_series(chosen),
                    "by_year": {row["year"]: row for row in total_rows},
                }
            )
    if breakdown == "total" and not table_rows:
        table_rows = [
            {
                "label": _total_name(breakdown, names, chosen),
                "colour": NO_SPLIT_COLOUR,
                "is_total": True,
                "series": _total_series(chosen),
                "by_year": {},
            }
        ]
    return table_rows


def _with_stated_only_rows(table_rows, only_shares, *, breakdown, names):
    """The table's rows with a row for each member that the years shown give only as a stated share
    (`only_shares`: by source in 1990 alone), which reads "only shares published" as it does beside
    years with amounts, rather than have the table show its total's "no data" alone while the chart
    says the shares are published. Members in the ILO's order, as _series sorts them, then the total."""
    dims = BREAKDOWNS[breakdown]
    shown = {table_row["series"] for table_row in table_rows}
    added = []
    for series in dict.fromkeys(series for series, _year in only_shares):
        codes = dict(zip(DIMENSIONS, series, strict=True))
        found = [names[dim].get(codes[dim]) for dim in dims]
        if series in shown or not dims or None in found or any(codes[d] for d in DIMENSIONS if d not in dims):
            continue  # a total line, or a cell this breakdown does not split
        added.append(
            {
                "label": " / ".join(member["name"] for member in found),
                "colour": found[0]["colour"],
                "is_total": False,
                "series": series,
                "by_year": {},
            }
        )
    if not added:
        return table_rows

    def order(table_row):
        codes = dict(zip(DIMENSIONS, table_row["series"], strict=True))
        return tuple((names[dim].get(codes[dim], {}).get("order", 999), codes[dim] or "") for dim in dims)

    parts = sorted([r for r in table_rows if not r["is_total"]] + added, key=order)
    return parts + [r for r in table_rows if r["is_total"]]


def _total_series(chosen):
    """The series (vocabulary.series_members) of a view's total: the chosen members it is of."""
    return tuple(pinned_member(chosen.get(dim, ())) for dim in DIMENSIONS)


class _Documents:
    """The documents a table cites, numbered in reading order: the (document, url) pairs a number rests
    on -> ref. A sum of cells from several documents has one ref, whose entry names each of them with
    its own address ("parts")."""

    def __init__(self):
        self.refs = {}

    def ref_of(self, row):
        return self.ref_of_documents(_document_of(row))

    def ref_of_documents(self, pairs):
        return self.refs.setdefault(tuple(map(tuple, pairs)), len(self.refs) + 1)

    def listed(self):
        # A value published without a document is numbered too, and its entry says so.
        return [
            {
                "ref": ref,
                "document": DOCUMENTS_JOINER.join(part["document"] for part in parts),
                "url": parts[0]["url"] if len(parts) == 1 else "",
                "parts": parts,
            }
            for pairs, ref in self.refs.items()
            for parts in [[{"document": document or str(NO_DOCUMENT_WORDS), "url": url} for document, url in pairs]]
        ]


def _document_of(row):
    return tuple(row_documents(row))


def _column_refs(table_rows, years, documents, only_shares):
    """{year: ref} of the document most numbers of a year's column come from (printed once, in the
    header); in a column without numbers, of the shares its "only shares published" cells stand for."""
    column_refs = {}
    for year in years:
        present = [r["by_year"][year] for r in table_rows if year in r["by_year"]]
        if present:
            common = Counter(_document_of(row) for row in present).most_common(1)[0][0]
            column_refs[year] = documents.ref_of(next(row for row in present if _document_of(row) == common))
            continue
        stated = [only_shares[key]["documents"] for r in table_rows if (key := (r.get("series"), year)) in only_shares]
        if stated:
            column_refs[year] = documents.ref_of_documents(Counter(stated).most_common(1)[0][0])
    return column_refs


# A change needs a figure the year before; "no year before" read as if the year itself did not exist.
NO_CHANGE = gettext_lazy("no figure for the year before")


def _table_cell(row, year, value, is_total, column_ref, documents, drill):
    """One cell of a table: its text, mark, note, document ref (where not the column's) and link."""
    if row is None:
        missing = {"text": str(NO_DATA_WORDS), "mark": "", "status": "", "note": "", "basis": "", "basis_mark": ""}
        missing.update(ref=None, url="")
        return {"year": year, **missing, "missing": True}
    number = _value_of(row, value)
    mark, meaning = _mark(row["status"])
    ref = documents.ref_of(row)
    return {
        "year": year,
        # A change needs the year before: the first year of a series has an amount but no change.
        "text": format_value(number, value)
        if number is not None
        else NO_CHANGE
        if value == "change"
        else str(NO_DATA_WORDS),
        "mark": mark,
        "status": row["status"],
        "note": meaning,
        "basis": share_basis(row)[1],
        "basis_mark": share_basis(row)[0],
        "ref": ref if ref != column_ref else None,
        "url": drill(row) if drill else "",
        "missing": number is None,
    }


def _mark(status):
    """(mark, note) of a value's status: ("r", "rounded: stated rounded ..."), or ("", "") if published."""
    return STATUS_MARKS.get(status, ""), status_note(status)


def _total_name(breakdown, names, chosen):
    """What the total line of a split stands for along the dimensions it splits: the published total
    ("All sources"), the one member the view chose ("UNDP") or the sum of the several it chose ("Sum
    of 2 sources: ...")."""
    if breakdown == "total":
        return _("Total")
    return " / ".join(_member_name({}, dim, names, chosen) for dim in BREAKDOWNS[breakdown])


def _member_name(row, dim, names, chosen):
    """The name of what `row` stands for along `dim` (vocabulary.row_member and member_words)."""
    named = {code: member["name"] for code, member in names[dim].items()}
    return member_words(row_member(row, dim, chosen.get(dim, ())), dim, named)


def _series(rows, breakdown, names, chosen=None):
    """The rows grouped into the series that are drawn (one per member, in the ILO's order); the total
    of a view that chose members is named for them ("UNDP", "Sum of 2 regions: Africa, Europe")."""
    chosen = chosen or {}
    dims = BREAKDOWNS[breakdown]
    grouped = {}
    for row in rows:
        key = tuple(row[dim] for dim in dims)
        grouped.setdefault(key, []).append(row)

    def member(dim, code):
        return names[dim].get(code) or {"code": code, "name": code, "colour": NO_SPLIT_COLOUR, "order": 999}

    def sort_key(key):
        return tuple((member(dim, code)["order"], code) for dim, code in zip(dims, key, strict=True))

    result = []
    for key in sorted(grouped, key=sort_key):
        members = [member(dim, code) for dim, code in zip(dims, key, strict=True)]
        if not dims:
            # A total filtered to some members is named for them ("UNDP", "Africa", "Sum of 2 ...").
            first = grouped[key][0]
            shown = [dim for dim in DIMENSIONS if first.get(dim) or chosen.get(dim)]
            named = [_member_name(first, dim, names, chosen) for dim in shown]
            name = " / ".join(named) if named else _("Total")
            single = [member(dim, first[dim]) for dim in DIMENSIONS if first.get(dim)]
            colour = single[0]["colour"] if len(single) == 1 and len(named) == 1 else "#1e2dbe"
        else:
            name = " / ".join(m["name"] for m in members)
            # source x region keeps the source's colour, so a source looks the same in every region.
            colour = members[0]["colour"]
        result.append({"key": key, "name": name, "colour": colour, "rows": sorted(grouped[key], key=_year)})
    return result


def _year(row):
    return row["year"]


def _of_which_series(rows, names, year_from, year_to):
    """The "of which" rows as series, one per member, each named "of which: ...": for each dimension,
    its rows are that dimension's split (vocabulary.OF_WHICH)."""
    result = []
    for dim, name in OF_WHICH.items():
        own = [row for row in rows if row["breakdown"] == name and year_from <= row["year"] <= year_to]
        for s in _series(own, dim, names):
            result.append({**s, "name": _(OF_WHICH_WORDS) % {"name": s["name"]}})
    return result


def _of_which_traces(rows, names, year_from, year_to):
    """Each "of which" series as diamonds beside its parent's bar (a scatter, so never stacked on it)."""
    traces = []
    for s in _of_which_series(rows, names, year_from, year_to):
        marks = [_mark(row["status"])[0] for row in s["rows"]]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": s["name"],
                "x": [str(row["year"]) for row in s["rows"]],
                "y": [_plain(row["amount"]) for row in s["rows"]],
                "marker": {
                    "symbol": "diamond",
                    "size": 12,
                    "color": s["colour"],
                    "line": {"width": 1, "color": MARK_COLOUR},
                },
                "text": marks,
                "textposition": "middle right",
                "textfont": {"size": 14, "color": MARK_COLOUR},
                "cliponaxis": False,
                "customdata": ["" for _ in s["rows"]],
                "hovertext": [_of_which_hover(row, s["name"]) for row in s["rows"]],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        )
    return traces


def _of_which_hover(row, name):
    lines = [f"<b>{name}</b>, {row['year']}"]
    lines.append(_("%(amount)s thousand US$") % {"amount": format_value(row["amount"], "amount")})
    lines.append(_("Part of the total, not added to it."))
    mark, meaning = _mark(row["status"])
    if mark:
        lines.append(f"{mark} {meaning}")
    lines.append(_("Source: %(document)s") % {"document": row["document"]})
    return "<br>".join(lines)


def _total_only_rows(rows, totals, breakdown, year_from, year_to):
    if breakdown == "total" or not totals:
        return []
    split_years = {row["year"] for row in rows}
    return [row for row in totals if year_from <= row["year"] <= year_to and row["year"] not in split_years]


def _value_of(row, value):
    # A total's share is the row's own (selectors.share_whole), never an assumed 100%.
    if value == "amount":
        return row["amount"]
    return row.get(value)


def _plain(number):
    """Decimal -> int when whole, else float: the only numbers a figure dict holds."""
    if number is None:
        return None
    number = Decimal(number)
    integral = number.to_integral_value()
    return int(integral) if number == integral else float(number)


def _hover(row, name, value, total_only):
    amount = format_value(row["amount"], "amount")
    lines = [f"<b>{name}</b>, {row['year']}"]
    if is_stated_share(row):
        share = format_value(row.get("share"), "share")
        lines.append(_("%(share)s of the year's total") % {"share": share})
        lines.append(_("%(note)s; no amount is published") % {"note": share_basis(row)[1]})
    elif value == "amount":
        lines.append(_("%(amount)s thousand US$") % {"amount": amount})
    elif value == "share":
        share = format_value(_value_of(row, value), value)
        lines.append(_("%(share)s of the year's total (%(amount)s thousand US$)") % {"share": share, "amount": amount})
    else:
        change = format_value(row.get("change"), value)
        lines.append(
            _("%(change)s on the previous year (%(amount)s thousand US$)") % {"change": change, "amount": amount}
        )
    mark, meaning = _mark(row["status"])
    if mark:
        lines.append(f"{mark} {meaning}")
    if total_only:
        lines.append(_("No split of this total is published."))
    lines.append(_("Source: %(document)s") % {"document": row["document"]})
    return "<br>".join(lines)


def _trace(rows, name, colour, value, drill, breakdown, *, total_only=False):
    points = [(row, _value_of(row, value)) for row in rows]
    points = [(row, number) for row, number in points if number is not None]
    marks = [_mark(row["status"])[0] for row, _ in points]
    return {
        "type": "bar",
        "name": name,
        "x": [str(row["year"]) for row, _ in points],
        "y": [_plain(number) for _, number in points],
        "marker": {"color": colour, "line": {"width": 0}},
        "text": marks,
        # A mark sits above a bar that stands alone in its year, in dark text on the white page. In a
        # stack it is drawn by _stack_marks instead: a bar 3 pixels high, or white text on a pale
        # colour, would hide it.
        "textposition": "outside" if _stands_alone(breakdown, value, total_only) else "none",
        "outsidetextfont": {"size": 14, "color": MARK_COLOUR},
        "cliponaxis": False,
        "customdata": [drill(row) if drill else "" for row, _ in points],
        "hovertext": [_hover(row, name, value, total_only) for row, _ in points],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def _stands_alone(breakdown, value, total_only):
    return breakdown == "total" or value == "change" or total_only


def _stack_marks(traces, years):
    """The marks of stacked segments as annotations: each in dark text on a white box at the middle of
    its segment, readable (contrast above 15:1) whatever the bar's colour and however thin it is."""
    notes = []
    base = {}
    for trace in traces:
        if trace["textposition"] != "none":
            continue
        for x, y, mark in zip(trace["x"], trace["y"], trace["text"], strict=True):
            bottom = base.get(x, 0)
            base[x] = bottom + (y or 0)
            if mark:
                notes.append(
                    {
                        "x": years.index(int(x)),
                        "y": bottom + (y or 0) / 2,
                        "yref": "y",
                        "text": mark,
                        "showarrow": False,
                        "font": {"size": 13, "color": MARK_COLOUR},
                        "bgcolor": "#ffffff",
                        "bordercolor": MARK_COLOUR,
                        "borderwidth": 1,
                        "borderpad": 1,
                        "hovertext": f"{trace['name']}, {x}: {mark}",
                    }
                )
    return notes


def _stated_share_notes(rows, value, years):
    """ "stated as a share" over each year whose bars are shares the documents state (no amount)."""
    if value != "share":
        return []
    notes, seen = [], set()
    for row in rows:
        if not is_stated_share(row) or row["year"] in seen:
            continue
        seen.add(row["year"])
        top = sum(_value_of(r, value) or 0 for r in rows if r["year"] == row["year"])
        notes.append(
            {
                "x": years.index(row["year"]),
                "y": _plain(top),
                "yref": "y",
                "yanchor": "bottom",
                "text": str(STATED_SHARE_WORDS),
                "hovertext": stated_share_note(row["document"]),
                "showarrow": False,
                "font": {"size": 11, "color": "#374151"},
            }
        )
    return notes


def _no_data_note(years, year, only_shares=False):
    return {
        # On a category axis an annotation is placed by the category's index, not its name.
        "x": years.index(year),
        "y": 0,
        "yref": "y",
        "yanchor": "bottom",
        "text": str(ONLY_SHARES_WORDS) if only_shares else str(NO_DATA_WORDS),
        "textangle": -90,
        "showarrow": False,
        "font": {"size": 11, "color": "#6b7280"},
    }


def _partial_notes(series, value, years, names):
    """A "partial" note over a year that has some members of the chart but not all of them."""
    notes = []
    for year in years:
        present = [s for s in series if any(r["year"] == year for r in s["rows"])]
        if not present or len(present) == len(series):
            continue
        top = sum((_value_of(r, value) or 0) for s in present for r in s["rows"] if r["year"] == year)
        listed = ", ".join(s["name"] for s in present)
        notes.append(
            {
                "x": years.index(year),
                "y": _plain(top),
                "yref": "y",
                "yanchor": "bottom",
                "text": _("partial"),
                "hovertext": _("%(year)s: only %(members)s published; no data for the others")
                % {"year": year, "members": listed},
                "showarrow": False,
                "font": {"size": 11, "color": "#6b7280"},
            }
        )
    return notes


def _layout(years, value, breakdown, annotations, traces):
    axis_title = str(VALUE_UNITS[value])
    yaxis = {
        "title": {"text": axis_title, "font": {"size": 12}},
        "rangemode": "tozero",
        "gridcolor": "#e5e7eb",
        "zerolinecolor": "#9ca3af",
        "fixedrange": True,
        "automargin": True,
    }
    if value == "amount":
        yaxis["tickformat"] = ",d"
    else:
        yaxis["ticksuffix"] = "%"
    if not traces:
        yaxis["range"] = [0, 1]  # an empty chart still shows its years and their "no data"
        yaxis["showticklabels"] = False
    return {
        # Changes side by side: stacked percentages of different bases would add up to nonsense.
        "barmode": "group" if value == "change" else "stack",
        # Numbers on the axis and in hover labels as the language writes them (112,930 / 112 930 / 112.930).
        "separators": separators(),
        "bargap": 0.3,
        "font": {"family": FONT, "size": 13, "color": "#1f2937"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "height": 380,
        "showlegend": breakdown != "total" or len(traces) > 1,
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 1.02,
            "yanchor": "bottom",
            "traceorder": "normal",
        },
        "hovermode": "closest",
        "hoverlabel": {"align": "left", "bgcolor": "#ffffff", "font": {"family": FONT, "size": 12}},
        "dragmode": False,
        "xaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": [str(year) for year in years],
            "range": [-0.5, len(years) - 0.5],
            "fixedrange": True,
            "automargin": True,
            "ticks": "",
        },
        "yaxis": yaxis,
        "annotations": annotations,
    }
