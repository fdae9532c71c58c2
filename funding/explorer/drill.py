"""Where each point of the explorer leads: the view one level below a point, its address (built by
`funding.addresses`), and which years the coverage has figures for. Pure: a ViewQuery and plain data in."""

from collections import Counter
from dataclasses import replace

from ..addresses import cell_url, view_url
from ..models import MAX_YEAR, MIN_YEAR
from ..selectors import view_cells
from ..vocabulary import (
    BREAKDOWNS,
    CHOSEN_FIELDS,
    DEFAULT_FROM,
    DEFAULT_TO,
    DIMENSIONS,
    DRILL_DIMENSIONS,
    TOTAL,
    chosen,
    top_level,
)

# --- Where a point leads ---------------------------------------------------------------------------


def _remaining(query):
    """The dimensions of the drill path not yet pinned to one member: what a drill breaks down next
    (none once a type of input is chosen: the ILO splits it no further)."""
    if query.input_types:
        return ()
    return tuple(dim for dim in DRILL_DIMENSIONS if len(chosen(query, dim)) != 1)


def _is_one_cell(query, row):
    """Whether `row` of `query` is a single cell of the type-of-input table: the end of its drill path."""
    if row["breakdown"] == "input_type":
        return not (query.sources or query.regions)
    return row["breakdown"] == "total" and len(query.input_types) == 1 and not (query.sources or query.regions)


def reach(query, rows):
    """The years of coverage `query`'s page needs: those its links can lead to (its own, and the default
    range a drill out of a single year returns to), or every year where a breakdown came back empty and
    its message must say where figures do exist."""
    if {row["breakdown"] for row in rows if row["breakdown"] in query.by} != set(query.by):
        return MIN_YEAR, MAX_YEAR
    return min(DEFAULT_FROM, query.year_from), max(DEFAULT_TO, query.year_to)


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
    if row["breakdown"] not in BREAKDOWNS:
        return None  # an "of which" row is read beside its parent's total; nothing lies below it here
    if row["breakdown"] == "total":
        remaining = _remaining(query)
        if not remaining:
            return None
        # A view of that one year: its range names the year (ViewQuery), no drill year is kept.
        return replace(query, year_from=row["year"], year_to=row["year"], by=tuple(remaining), focus_year=None)
    pinned = {CHOSEN_FIELDS[dim]: (row[dim],) for dim in BREAKDOWNS[row["breakdown"]]}
    year_from, year_to = _range_around(query, row["year"])
    target = replace(query, **pinned, year_from=year_from, year_to=year_to)
    return replace(target, by=("total", *_remaining(target)), focus_year=row["year"])


def drill_links(query, *, coverage, code_lists):
    """drill_url of `query`'s rows as one function of a row, each point's address worked out once: a
    chart and its table ask for the links of the same points (each took a third of the overview)."""
    links = {}

    def link(row):
        key = (row["breakdown"], row["year"], *(row.get(dim) for dim in DIMENSIONS))
        if key not in links:
            links[key] = drill_url(query, row, coverage=coverage, code_lists=code_lists)
        return links[key]

    return link


def drill_url(query, row, *, coverage, code_lists):
    """The address a click on `row` (or Enter on its table cell) opens; "" where no deeper data exists.

    The one drill-link builder: the explorer and the overview both draw their links with it, so the
    same bar leads to the same address on either page."""
    if _is_one_cell(query, row):
        # A type of input in one year: nothing below it, so its bar opens the record of its cell.
        codes = {dim: row[dim] for dim in DIMENSIONS}
        return cell_url(query.measure, year=row["year"], codes=codes, group=query.group)
    target = drill_target(query, row)
    if target is None or target == query or not has_data(target, coverage=coverage, code_lists=code_lists):
        return ""  # nothing deeper (a total in a chart of its parts leads to the page it is on)
    return view_url(target)


# --- What the data has ------------------------------------------------------------------------------


def years_with_data(query, breakdown, *, coverage, code_lists):
    """The years view_rows would return for one breakdown of `query`, read from `coverage`
    (selectors.coverage): the cells of selectors.view_cells, counted per value."""
    cells = view_cells(query, breakdown)
    top = {dim: {m["code"] for m in top_level(code_lists, dim)} for dim in DIMENSIONS}
    counts = Counter()
    for group, year, *members in coverage:
        codes = dict(zip(DIMENSIONS, members, strict=True))
        if cells.contains(group=group, year=year, codes=codes, top=top):
            counts[(year, *(codes[dim] for dim in cells.split))] += 1
    return sorted({key[0] for key, count in counts.items() if count == cells.expected})


def rows_coverage(rows):
    """The cells that view rows of all countries, with no member chosen, have: the coverage of a page
    (the overview) whose own rows include every breakdown its drill links lead to."""
    return {(TOTAL, row["year"], *(row.get(dim) or TOTAL for dim in DIMENSIONS)) for row in rows}


def has_data(query, *, coverage, code_lists):
    """Whether any breakdown of `query` has a row."""
    return any(years_with_data(query, b, coverage=coverage, code_lists=code_lists) for b in query.by)
