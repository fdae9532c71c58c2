"""The explorer's logic: where each point drills to, the breadcrumbs, the summary sentences and the
"no data" messages of a view. Pure: a ViewQuery, its rows, the code lists and the coverage in, plain
dicts and strings out.

The drill path goes one level deeper per click, and every state lives in the query string:
all years -> one year by source and by region -> one source (or region) across the years, with
its split by the other dimension -> that source in one year by the other dimension -> one cell
across the years.
"""

from collections import Counter
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from math import prod
from urllib.parse import urlencode

from . import charts
from .exporters import file_stem
from .forms import DEFAULT_FROM, DEFAULT_TO
from .models import MAX_YEAR, MIN_YEAR, TOTAL, Measure
from .selectors import BREAKDOWNS, ViewQuery

DIMENSIONS = ("source", "region")
BREAKDOWN_TITLES = {
    "total": "Total",
    "source": "By source of funds",
    "region": "By region",
    "source-region": "By source of funds and region",
}
# "No {noun} of {what}{by} is published": "No regional split of UNDP", "No split of Africa by source of funds".
SPLIT_NOUNS = {
    "source": ("split", " by source of funds"),
    "region": ("regional split", ""),
    "source-region": ("split", " by source of funds and region"),
}
GROUP_PHRASES = {TOTAL: "all countries", "ldc": "the least developed countries"}
VALUE_LABELS = {
    "amount": "Amounts (US$ thousands)",
    "share": "Share of the year's total (%)",
    "change": "Change on the previous year (%)",
}
FOOTNOTES = {
    Measure.EXPENDITURE: "Excluding administrative expenditure; amounts as printed in the Governing Body documents.",
    Measure.APPROVALS: "Extra-budgetary: every source of funds other than the ILO's regular budget.",
}
# Statuses whose figures the text qualifies: the ILO stated them, it did not tabulate them.
QUALIFIED = ("approximate", "rounded", "estimated", "provisional")


# --- URLs -------------------------------------------------------------------------------------------


def querystring(query):
    """The canonical query string of a view ("?by=total", ...): defaults left out, parameters in the
    order of the filter form, so one view has one address."""
    params = []
    if (query.year_from, query.year_to) != (DEFAULT_FROM, DEFAULT_TO):
        params += [("from", query.year_from), ("to", query.year_to)]
    params += [("source", code) for code in query.sources]
    params += [("region", code) for code in query.regions]
    params += [("by", breakdown) for breakdown in query.by]
    if query.group != TOTAL:
        params.append(("group", query.group))
    if query.value != "amount":
        params.append(("value", query.value))
    if query.focus_year is not None:
        params.append(("year", query.focus_year))
    return "?" + urlencode(params)


def _remaining(query):
    """The dimensions not yet pinned to one member: what a drill breaks down next."""
    return tuple(dim for dim in DIMENSIONS if len(_chosen(query, dim)) != 1)


def _chosen(query, dim):
    return query.sources if dim == "source" else query.regions


def reach(query, rows):
    """The years of coverage `query`'s page needs: those its links can lead to (its own, and the default
    range a drill out of a single year returns to), or every year where a breakdown came back empty and
    its message must say where figures do exist."""
    if {row["breakdown"] for row in rows} != set(query.by):
        return MIN_YEAR, MAX_YEAR
    return min(DEFAULT_FROM, query.year_from), max(DEFAULT_TO, query.year_to)


def history_querystring(query):
    """The query string of the record of the view's most specific figure: its drill year (or last
    year), its source and region where one is chosen, its country group."""
    params = [("year", query.focus_year or query.year_to)]
    params += [
        (dim, chosen[0]) for dim, chosen in (("source", query.sources), ("region", query.regions)) if len(chosen) == 1
    ]
    if query.group != TOTAL:
        params.append(("group", query.group))
    return urlencode(params)


def _range_around(query, year):
    # A drill out of a single year goes back to the years around it (the default range, widened to
    # take in that year); a drill within a range keeps it.
    if query.year_from != query.year_to:
        return query.year_from, query.year_to
    return min(DEFAULT_FROM, year), max(DEFAULT_TO, year)


def drill_target(query, row):
    """The view one level below the point `row` of `query`, or None where nothing is deeper.

    A point of a total series drills into its year (broken down by every dimension not yet pinned);
    a point of a breakdown drills into its member (that source or region across the years, split by
    the remaining dimension).
    """
    if row["breakdown"] == "total":
        remaining = _remaining(query)
        if not remaining:
            return None
        filtered = bool(query.sources or query.regions)
        return replace(
            query,
            year_from=row["year"],
            year_to=row["year"],
            by=tuple(remaining),
            focus_year=row["year"] if filtered else None,
        )
    split = BREAKDOWNS[row["breakdown"]]
    sources = (row["source"],) if "source" in split else query.sources
    regions = (row["region"],) if "region" in split else query.regions
    year_from, year_to = _range_around(query, row["year"])
    target = replace(query, sources=sources, regions=regions, year_from=year_from, year_to=year_to)
    return replace(target, by=("total", *_remaining(target)), focus_year=row["year"])


def drill_url(query, row, *, base, coverage, code_lists):
    """The address a click on `row` (or Enter on its table cell) opens; "" where no deeper data exists."""
    target = drill_target(query, row)
    if target is None or target == query or not has_data(target, coverage=coverage, code_lists=code_lists):
        return ""  # nothing deeper (a total in a chart of its parts leads to the page it is on)
    return base + querystring(target)


# --- What the data has ------------------------------------------------------------------------------


def years_with_data(query, breakdown, *, coverage, code_lists):
    """The years figures(query, breakdown=...) would return, read from `coverage` (selectors.coverage)."""
    split = BREAKDOWNS[breakdown]
    top = {
        dim: {m["code"] for m in code_lists[dim + "s"] if m["code"] != TOTAL and not m.get("parent__code")}
        for dim in DIMENSIONS
    }
    counts = Counter()
    for group, year, source, region in coverage:
        if group != query.group or not query.year_from <= year <= query.year_to:
            continue
        key = [year]
        for dim, code in (("source", source), ("region", region)):
            chosen = _chosen(query, dim)
            if dim in split:
                wanted = code != TOTAL and (code in chosen if chosen else code in top[dim])
                key.append(code)
            else:
                wanted = code in chosen if chosen else code == TOTAL
            if not wanted:
                break
        else:
            counts[tuple(key)] += 1
    expected = prod(len(_chosen(query, dim)) for dim in DIMENSIONS if dim not in split and _chosen(query, dim))
    return sorted({key[0] for key, cells in counts.items() if cells == expected})


def has_data(query, *, coverage, code_lists):
    """Whether any breakdown of `query` has a row."""
    return any(years_with_data(query, b, coverage=coverage, code_lists=code_lists) for b in query.by)


# --- Words ------------------------------------------------------------------------------------------


def _names(code_lists):
    return {dim: {m["code"]: m["name"] for m in code_lists[dim + "s"]} for dim in DIMENSIONS}


def filter_label(query, code_lists):
    """The chosen members in words ("UNDP", "UNDP, Africa"), or "" when nothing is chosen."""
    names = _names(code_lists)
    parts = [
        " + ".join(names["source"][c] for c in query.sources),
        " + ".join(names["region"][c] for c in query.regions),
    ]
    return ", ".join(part for part in parts if part)


def subject(query, code_lists):
    """What the figures measure, in words: "Expenditure from UNDP in Africa for the least developed countries"."""
    names = _names(code_lists)
    text = "Expenditure" if query.measure == Measure.EXPENDITURE else Measure(query.measure).label
    if query.sources:
        text += " from " + " and ".join(names["source"][c] for c in query.sources)
    if query.regions:
        text += " in " + " and ".join(names["region"][c] for c in query.regions)
    if query.group != TOTAL:
        text += " for " + GROUP_PHRASES[query.group]
    return text


def year_span(year_from, year_to):
    return str(year_from) if year_from == year_to else f"{year_from}-{year_to}"


def year_list(years):
    """[1990, 1991, 1992, 1995] -> "1990-1992 and 1995": runs of years joined the way prose does."""
    runs = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    spans = [year_span(a, b) for a, b in runs]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


def money(amount, status="published"):
    """Thousands of US dollars in words: Decimal("148670") -> "$148.7 million"; stated figures keep
    their stated precision ("about $170 million")."""
    if amount >= 1000:
        millions = (Decimal(amount) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        text = f"${millions:,} million"
        if status in ("approximate", "rounded") and millions == millions.to_integral_value():
            text = f"${millions.to_integral_value():,} million"
    else:
        text = f"${Decimal(amount) * 1000:,.0f}"
    return f"about {text}" if status == "approximate" else text


def percent(value):
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def short_document(document):
    """ "GB.270/TC/2 (Nov 1997), para. 17" -> "GB.270/TC/2": the paper a reader would look up."""
    return document.split(" (")[0].split(",")[0].split(";")[0].strip()


class _Mentions:
    """Writes "$X in YEAR", qualifying a stated figure the first time the text mentions it."""

    def __init__(self):
        self.seen = set()

    def __call__(self, row, template="{money} in {year}"):
        text = template.format(money=money(row["amount"], row["status"]), year=row["year"])
        key = (row["breakdown"], row["source"], row["region"], row["year"])
        if row["status"] in QUALIFIED and key not in self.seen:
            text += f" ({row['status']}, stated in {short_document(row['document'])})"
        self.seen.add(key)
        return text


def _moved(before, after):
    return "rose" if after > before else "fell" if after < before else "stayed"


def summary(query, rows, *, code_lists):
    """The sentences above the charts, as the Governing Body papers put them.

    `rows` are view_rows() of summary_query(query): the total series with its share of all
    sources and regions, the split by source with shares of that total, and the year before the range
    (for "down x% from" in a one-year view). Every figure in the text is one of these rows.
    """
    totals = [r for r in rows if r["breakdown"] == "total" and r["year"] >= query.year_from]
    before = {r["year"]: r for r in rows if r["breakdown"] == "total" and r["year"] < query.year_from}
    by_source = [r for r in rows if r["breakdown"] == "source" and r["year"] >= query.year_from]
    if not totals:
        return []
    names = _names(code_lists)
    mention = _Mentions()
    who = subject(query, code_lists)
    sentences = []
    first, last = totals[0], totals[-1]
    if len(totals) == 1:
        text = f"In {first['year']} {who[0].lower()}{who[1:]} was {mention(first, '{money}')}"
        previous = before.get(first["year"] - 1)
        if previous and previous["amount"]:
            change = (first["amount"] - previous["amount"]) * 100 / previous["amount"]
            direction = "down" if change < 0 else "up"
            text += f", {direction} {percent(abs(change))} from {mention(previous)}"
        sentences.append(text + ".")
    else:
        peak = max(totals, key=lambda r: r["amount"])  # the earliest of equal peaks
        moved = _moved(first["amount"], last["amount"])
        if moved == "stayed":
            sentence = f"{who} was {mention(first)} and {mention(last)}"
        elif peak is first and moved == "fell":
            sentence = f"{who} fell from {mention(first, 'a peak of {money} in {year}')} to {mention(last)}"
        elif peak is last and moved == "rose":
            sentence = f"{who} rose from {mention(first)} to {mention(last, 'a peak of {money} in {year}')}"
        else:
            sentence = f"{who} {moved} from {mention(first)} to {mention(last)}"
            sentence += f"; it peaked at {mention(peak)}" if peak not in (first, last) else ""
        trough = min(totals, key=lambda r: r["amount"])
        if trough not in (first, last, peak):
            sentence += f"; its low point was {mention(trough)}"
        sentences.append(sentence + ".")

    shares = [r for r in totals if r.get("share") is not None] if query.sources or query.regions else []
    if shares:
        of_all = f"of all {subject(ViewQuery(measure=query.measure, group=query.group), code_lists).lower()}"
        whose = "Its"
        if len(query.sources) + len(query.regions) == 1:
            whose = f"{filter_label(query, code_lists)}'s"
        a, b = shares[0], shares[-1]
        moved = _moved(a["share"], b["share"])
        if a is b:
            sentences.append(f"{whose} share {of_all} was {percent(a['share'])} in {a['year']}.")
        elif moved == "stayed":
            sentences.append(f"{whose} share {of_all} was {percent(a['share'])} in {a['year']} and {b['year']}.")
        else:
            sentences.append(
                f"{whose} share {of_all} {moved} from {percent(a['share'])} in {a['year']} "
                f"to {percent(b['share'])} in {b['year']}."
            )
    if len(query.sources) != 1 and by_source:
        last_year = by_source[-1]["year"]
        largest = max((r for r in by_source if r["year"] == last_year), key=lambda r: r["amount"])
        name = names["source"][largest["source"]]
        own = [r for r in by_source if r["source"] == largest["source"] and r.get("share") is not None]
        if len(own) > 1 and own[0]["year"] != last_year:
            moved = _moved(own[0]["share"], own[-1]["share"])
            trend = (
                "stayed at" if moved == "stayed" else f"{moved} from {percent(own[0]['share'])} in {own[0]['year']} to"
            )
            share = percent(own[-1]["share"])
            sentences.append(f"The largest source of funds in {last_year} was {name}, whose share {trend} {share}.")
        elif own:
            sentences.append(
                f"The largest source of funds in {last_year} was {name}, with {mention(largest, '{money}')} "
                f"({percent(own[-1]['share'])} of the total)."
            )

    missing = [y for y in range(query.year_from, query.year_to + 1) if y not in {r["year"] for r in totals}]
    if missing and len(totals) > 1:
        sentences.append(f"No figures are available for {year_list(missing)}.")
    return sentences


def summary_query(query):
    """The read behind summary(): the total and the split by source of the same filters, as shares,
    from the year before the range."""
    return replace(query, by=("total", "source"), value="share", year_from=query.year_from - 1)


# --- Where the reader is, and what is not there ------------------------------------------------------


def breadcrumbs(query, *, base, code_lists):
    """The drill path to `query`: [{"label", "url"}], from "All years" down; the last is the page
    itself (url None). Each crumb keeps the group and the value shown."""
    keep = {"group": query.group, "value": query.value, "measure": query.measure}
    focus = query.focus_year
    if focus is None and query.year_from == query.year_to:
        focus = query.year_from
    crumbs = [("All years", ViewQuery(**keep))]
    if focus is not None:
        crumbs.append((str(focus), ViewQuery(**keep, year_from=focus, year_to=focus, by=DIMENSIONS)))
    label = filter_label(query, code_lists)
    if label:
        year_from, year_to = _range_around(query, focus) if focus is not None else (DEFAULT_FROM, DEFAULT_TO)
        if query.year_from != query.year_to:
            year_from, year_to = query.year_from, query.year_to
        series = replace(query, year_from=year_from, year_to=year_to, focus_year=focus)
        crumbs.append((label, replace(series, by=("total", *_remaining(series)))))
        if query.year_from == query.year_to:
            crumbs.append((f"{label} in {query.year_from}", query))
    result = [{"label": text, "url": base + querystring(target)} for text, target in crumbs]
    result[-1]["url"] = None
    return result


def gap_messages(query, rows, *, base, coverage, code_lists):
    """A message for each breakdown of `query` without a row, so the page says in words what is not
    published rather than drawing an empty chart: {"breakdown", "text", "link_text", "link_url"}
    (the link points to the other country group where that one has the breakdown)."""
    drawn = {row["breakdown"] for row in rows}
    span = year_span(query.year_from, query.year_to)
    label = filter_label(query, code_lists)
    messages = []
    for breakdown in query.by:
        if breakdown in drawn:
            continue
        if breakdown == "total":
            text = f"No data for {label + ' for ' if label else ''}{span}"
        else:
            what = label or subject(replace(query, sources=(), regions=(), group=TOTAL), code_lists).lower()
            noun, by = SPLIT_NOUNS[breakdown]
            text = f"No {noun} of {what}{by} is published for {span} for {GROUP_PHRASES[query.group]}"
        message = {"breakdown": breakdown, "text": text, "link_text": "", "link_url": ""}
        everywhere = replace(query, year_from=1, year_to=9999)
        same_group = years_with_data(everywhere, breakdown, coverage=coverage, code_lists=code_lists)
        other = "ldc" if query.group == TOTAL else TOTAL
        other_group = years_with_data(
            replace(everywhere, group=other), breakdown, coverage=coverage, code_lists=code_lists
        )
        if same_group:
            # The breakdown exists, in other years: offer those.
            target = replace(query, year_from=same_group[0], year_to=same_group[-1], focus_year=None)
            message["link_text"] = f"there are figures for {year_list(same_group)}"
        elif other_group:
            inside = any(query.year_from <= y <= query.year_to for y in other_group)
            target = replace(query, group=other)
            if not inside:
                target = replace(target, year_from=other_group[0], year_to=other_group[-1], focus_year=None)
            table = (
                "the least developed countries table has" if other == "ldc" else "the figures for all countries have"
            )
            message["link_text"] = f"{table} one for {year_list(other_group)}"
        if message["link_text"]:
            message["link_url"] = base + querystring(target)
        messages.append(message)
    return messages


# --- The page ---------------------------------------------------------------------------------------


def filter_form(query, *, code_lists, coverage, data_span=None):
    """The state of the filter form (a GET form: submitting it is just another address). The years it
    offers run over `data_span` (selectors.year_span), or else the years of `coverage`."""
    data_years = {year for _, year, _, _ in coverage} | {DEFAULT_FROM, DEFAULT_TO, query.year_from, query.year_to}
    data_years |= set(data_span or ())
    names = {
        dim: [m for m in code_lists[dim + "s"] if m["code"] != TOTAL and not m.get("parent__code")]
        for dim in DIMENSIONS
    }
    return {
        "year_from": query.year_from,
        "year_to": query.year_to,
        "years": list(range(min(data_years), max(data_years) + 1)),
        "sources": [
            {"code": m["code"], "name": m["name"], "checked": m["code"] in query.sources} for m in names["source"]
        ],
        "regions": [
            {"code": m["code"], "name": m["name"], "checked": m["code"] in query.regions} for m in names["region"]
        ],
        "by": [{"code": code, "label": label, "checked": code in query.by} for code, label in BREAKDOWN_TITLES.items()],
        "group": [
            {
                "code": "all" if code == TOTAL else code,
                "label": phrase.removeprefix("the ").capitalize(),
                "checked": code == query.group,
            }
            for code, phrase in GROUP_PHRASES.items()
        ],
        "value": [
            {"code": code, "label": label, "checked": code == query.value} for code, label in VALUE_LABELS.items()
        ],
    }


def value_links(query, *, base):
    """The amount / share / change toggle: one link per value, the current one marked."""
    return [
        {"label": label, "url": base + querystring(replace(query, value=code)), "current": code == query.value}
        for code, label in VALUE_LABELS.items()
    ]


def page(query, rows, *, summary_rows, code_lists, coverage, base, data_span=None):
    """Everything the explorer template shows of `query`: {"title", "span", "breadcrumbs", "summary",
    "panels", "value_links", "form", "querystring", "nav"}.

    `rows` are view_rows(query), `summary_rows` view_rows(summary_query(query)), `coverage` the
    cells of selectors.coverage(), `base` the page's path. Each panel is one breakdown, in the
    context templates/funding/_figure.html takes ({"id", "title", "footnote", "figure", "table",
    "downloads"}) plus "breakdown" and "message": a figure and table where it has rows, a message
    in words (and where it helps, a link to where the breakdown exists) where it has none.
    """
    totals = [r for r in summary_rows if r["breakdown"] == "total"]
    if query.value == "share":
        # In a chart of parts, the total is all of the parts (100%), whatever its share of the whole.
        totals = [{k: v for k, v in r.items() if k != "share"} for r in totals]
    messages = {
        m["breakdown"]: m for m in gap_messages(query, rows, base=base, coverage=coverage, code_lists=code_lists)
    }
    who = subject(query, code_lists)
    span = charts.year_span(query.year_from, query.year_to)

    def drill(row):
        return drill_url(query, row, base=base, coverage=coverage, code_lists=code_lists)

    panels = []
    for number, breakdown in enumerate(query.by, start=1):
        own = [r for r in rows if r["breakdown"] == breakdown]
        title = BREAKDOWN_TITLES[breakdown]
        by = "" if breakdown == "total" else " " + title[0].lower() + title[1:]
        panel = {
            "id": f"figure-{number}",
            "breakdown": breakdown,
            "title": f"Figure {number}. {who}{by}, {span}",
            "footnote": FOOTNOTES[query.measure],
            "message": messages.get(breakdown),
            "figure": None,
            "table": None,
            "downloads": {
                "measure": query.measure,
                "querystring": querystring(replace(query, by=(breakdown,)))[1:],
                "stem": file_stem(replace(query, by=(breakdown,))),
            },
        }
        if own:
            arguments = {
                "breakdown": breakdown,
                "code_lists": code_lists,
                "totals": totals if breakdown != "total" else None,
                "value": query.value,
                "drill": drill,
                "year_from": query.year_from,
                "year_to": query.year_to,
            }
            panel["figure"] = _with_focus(charts.figure(own, **arguments), query)
            panel["table"] = charts.figure_table(own, **arguments)
        panels.append(panel)
    if not rows and all(not m["link_url"] for m in messages.values()):
        # Nothing at all: one plain sentence rather than one per chart.
        label = filter_label(query, code_lists)
        text = f"No data for {label + ' for ' if label else ''}{year_span(query.year_from, query.year_to)}"
        only = {"breakdown": "", "text": text, "link_text": "", "link_url": ""}
        panels = [{**panels[0], "title": f"{who}, {span}", "message": only}]
    return {
        "title": who,
        "span": span,
        "breadcrumbs": breadcrumbs(query, base=base, code_lists=code_lists),
        "summary": summary(query, summary_rows, code_lists=code_lists),
        "panels": panels,
        "value_links": value_links(query, base=base),
        "form": filter_form(query, code_lists=code_lists, coverage=coverage, data_span=data_span),
        "querystring": querystring(query)[1:],
        "nav": query.measure,
    }


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
