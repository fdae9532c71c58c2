"""Reads: the live figures, aggregated in the database, as plain dicts.

Every read pins each dimension it does not break down to the explicit total member `_T`, or sums
over an explicit list of members the user asked for. A published total is therefore read as
published (1995: 112,930, not the 112,931 its parts add up to), and the by-source and by-region
tables never meet in one sum. Each call is one query whatever the size of the data.
"""

from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from itertools import groupby
from math import prod
from operator import itemgetter

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Concat, Lower

from .caching import KeptInProcess, live_generation
from .models import (
    MAX_YEAR,
    MIN_YEAR,
    TOTAL,
    CountryGroup,
    Dataset,
    InputType,
    LiveCell,
    LiveDocument,
    Observation,
    Region,
    Release,
    ReleaseEvent,
    Source,
    Status,
    release_event_at,
    release_title,
    thousands,
)
from .vocabulary import (
    BREAKDOWNS,
    CELL_DIMENSIONS,
    CHOSEN_FIELDS,
    CITED_RECORD,
    CITED_UNIT,
    DEFAULT_FROM,
    DEFAULT_TO,
    DIMENSIONS,
    OF_WHICH,
    STATED_SHARES,
    chosen,
    cited_pairs,
    code_list,
    documents_text,
    name_field,
    pinned_member,
    row_documents,
    series_members,
)


@dataclass(frozen=True)
class ViewQuery:
    """What a page or an export shows: the parsed, validated query string (see forms.FilterForm)."""

    measure: str = "expenditure"
    year_from: int = DEFAULT_FROM
    year_to: int = DEFAULT_TO
    sources: tuple = ()
    regions: tuple = ()
    input_types: tuple = ()
    by: tuple = ("total",)  # names of BREAKDOWNS, one chart each
    group: str = TOTAL
    focus_year: int | None = None  # the year a drill-down came through (breadcrumbs only)
    value: str = "amount"  # what the charts show: "amount", "share" (% of the year's total) or "change" (%)

    def __post_init__(self):
        # A view of one year alone came through that year: its range says so, so the drill year is no
        # second fact (?from=1994&to=1994&year=1994 is ?from=1994&to=1994: one view, one address).
        if self.focus_year is not None and self.year_from == self.year_to == self.focus_year:
            object.__setattr__(self, "focus_year", None)


# The code lists, in the order code_lists() returns them: (name, dimension, model).
CODE_LISTS = (
    ("sources", "source", Source),
    ("regions", "region", Region),
    ("input_types", "input_type", InputType),
    ("country_groups", "country_group", CountryGroup),
)


def code_lists(*, asked=None):
    """The reference tables for display: {"sources": [...], "regions": [...], "input_types": [...],
    "country_groups": [...]}, in the ILO's order.

    With `asked` ({dimension: codes}, the codes a query string names), only the top level, the
    members asked for and their parts ("of which") are read: what a page can show, whatever the
    number of countries under the regions (a page's cost stays flat as they are loaded). Without it,
    every member.

    Each member is {"id", "code", "name", "name_en", "name_fr", "name_es", "colour", "order",
    "parent__code"} (a country group's colour is ""): "id" is the row's key, which the reads filter by
    (see `member_ids`); "name" is the name in the active language (the English one where the code list
    has none in it), "name_en" the English one. `parent__code` is None at the top level (the ILO's own
    sources and regions); the total members (`_T`) are included first, so callers can name "All
    sources" the same way everywhere. The members are the caller's own: changing one changes no
    other call's.

    Nearly every request parses its query string against these lists, so their rows are kept under
    the live generation (`_code_list_rows`): a look-up of the generation instead of a UNION of four
    tables built by the ORM. A code list changes only through the admin, which moves the generation
    on (services.record_code_list_change): a change made on one server is read at once on every server.
    """
    field = name_field()
    lists = {name: [] for name, _, _ in CODE_LISTS}
    for position, member in _code_list_rows(asked):
        member = dict(member, name_en=member["name"])
        member["name"] = member[field] or member["name_en"]
        lists[CODE_LISTS[position][0]].append(member)
    return lists


# The code lists' rows last read, per process, by live generation and the codes asked for.
KEPT_CODE_LISTS = KeptInProcess(256)


def _code_list_rows(asked):
    """[(list position, member row)] of `code_lists(asked=asked)`, kept under the live generation.

    Kept in the process (KEPT_CODE_LISTS), not in the shared cache: the codes asked for are whatever
    a query string names, and each unknown code would have made an entry of its own there, kept for
    a day. Its key holds the generation, so a change on any server is read at once on every one."""
    if asked is None:
        shape = None
    else:  # the codes asked for, in one order whatever the query string's
        shape = tuple(sorted((dim, tuple(sorted(set(codes)))) for dim, codes in asked.items() if codes))
    return KEPT_CODE_LISTS.get((live_generation()[0], shape), lambda: _read_code_lists(asked))


def _read_code_lists(asked):
    """One query for the lists: a UNION ALL, each branch tagged with its list's position."""
    fields = ("id", "code", "name", "name_fr", "name_es", "colour", "order", "parent__code")
    branches = []
    for position, (_, dim, model) in enumerate(CODE_LISTS):
        members = model.objects.order_by()
        if model is CountryGroup:  # no colour of its own; the branches of a UNION share their columns
            members = members.annotate(colour=Value("", output_field=CharField()))
        if asked is not None:
            codes = asked.get(dim, ())
            shown = Q(parent__isnull=True) | Q(code__in=codes)
            if dim in OF_WHICH:  # a chosen member's own parts are drawn beside it, "of which"
                shown |= Q(parent__code__in=codes)
            members = members.filter(shown)
        branches.append(
            members.annotate(list_position=Value(position, output_field=IntegerField())).values(
                "list_position", *fields
            )
        )
    union = branches[0].union(*branches[1:], all=True).order_by("list_position", "order", "name")
    return [(member.pop("list_position"), member) for member in union]


def _status_label(worst, expected):
    if expected > 1 and worst == Status.PUBLISHED:
        return Status.DERIVED.label
    return Status(worst).label


# Shares and changes keep six decimals, cut (not rounded) from the exact fraction: rounding the kept
# value to one decimal, as the ILO prints its shares, then gives the same figure as rounding the exact
# fraction (1995 Asia: 25.049...% prints 25.0, where a value first rounded to 25.05 would print 25.1).
PERCENT = Decimal("0.000001")


def view_rows(query, *, code_lists=None):
    """The rows of every breakdown `query` asks for, in its order: one query whatever the filters.

    Each breakdown gives one row per year (and per member it splits by), ordered by year then by the
    ILO's order of sources and regions: {"breakdown", "year", "source", "region", "amount", "status",
    "document", "document_url", "cited"}. `source`/`region` is a code, or None where the row covers all
    of them. `amount` is a Decimal in thousands of US dollars, exact. A year with no data is absent.
    "cited" is every (document, address) pair of the cells a row sums, sorted; "document" and
    "document_url" list them as a file does (vocabulary.documents_text: "A; B").
    Where the user filtered several sources (or regions) and did not break them down, their values
    are summed in the database and a year is shown only if every one of them is published for it
    (status "derived"; the weakest status of the parts wins).

    With value="share" each row also has "share": its percentage of the published total cell, as the
    ILO computes its shares (see `share_whole`): never of the sum of the members a view chose, so a
    member's share is the same whichever other members are chosen beside it, and a row summing the
    chosen members has the share of that sum (UNDP and trust funds in 1993: 82.0%, never 100%). With
    value="change", "change": its
    percentage change on the previous year of the same series (None where that year is missing); the
    year before `year_from` is read for it, then dropped. Every breakdown (and the denominators of
    shares) is one branch of a single UNION ALL, so a page costs the same whatever it asks for.

    With value="share", a year where a breakdown has no amounts but the documents state its shares
    (the measure `vocabulary.STATED_SHARES` names: 1990 by source of funds) has those rows instead,
    read from the same cells of that measure: "measure" is the share measure, "amount" None (no
    amount is ever made up from a share), "share" the stated value, with its own status and document;
    a row summing the stated shares of several chosen members also has "summed": True (the sum is not
    stated in the document: vocabulary.share_basis).
    Computed shares win wherever a year has amounts.

    An amounts view that chose exactly one source (or region) also gets, after its own rows, the
    members under it ("of which": multi-bi under trust funds; every figure's table shows them under
    the total it ends with, a split's as its total's, so its download holds them too), breakdown
    vocabulary.OF_WHICH[dimension], each with "part_of" (the chosen code): never added to anything.

    `code_lists`: the page's `code_lists()` (holding the members the query chose, as
    forms.parse_filters gives them), which say whether a chosen member sits below the top level
    without asking the database (see `live_values`).
    """
    branches = view_branches(query)
    by_branch = _read_once(branches, code_lists=code_lists)
    rows, wholes, stated_rows = _shaped(branches, by_branch, query)
    if query.value == "change":
        return with_change(rows, year_from=query.year_from)
    if query.value == "share":
        return _with_stated_shares(_with_shares(rows, wholes), stated_rows, query.by)
    return rows


def share_whole(query, breakdown):
    """The view whose total is the denominator of `breakdown`'s shares in `query`: the published total
    cell (`_T`) along each dimension the breakdown splits, the other dimensions as `query` pins them.

    - By source (or region, type of input): a member's share of the published total of all sources,
      whichever sources are chosen (UNDP in 1996: 24.0% alone or beside trust funds), in the regions,
      types of input and country group the view pins. A pinned dimension with several chosen members
      is their sum, as the rows are: a source's share in Africa and Europe is of the two regions'
      published totals added (the least developed countries in 1993: UNDP 66.6% of Africa's and Asia
      and the Pacific's totals together).
    - The total: of the published total of every dimension (the year's total of the country group),
      so a view of chosen members gives their share of all expenditure (UNDP and RBTC in 1996: 31.1%),
      and a view of everything 100%.
    The stated shares (1990 by source) are of that same total, as the document states them."""
    along = DIMENSIONS if breakdown == "total" else BREAKDOWNS[breakdown]
    return replace(query, **{CHOSEN_FIELDS[dim]: () for dim in along})


def view_branches(query):
    """The (breakdown, query) pairs view_rows reads, in the order it gives its rows: each breakdown
    `query` asks for (from the year before for changes), the "of which" members, then for shares the
    stated shares' measure and each breakdown's denominator (`_whole_of`, read by `share_whole`)."""
    read = replace(query, year_from=query.year_from - 1) if query.value == "change" else query
    branches = [(breakdown, read) for breakdown in query.by] + _of_which_branches(query)
    if query.value != "share":
        return branches
    stated = STATED_SHARES.get(query.measure)
    if stated:
        branches += [(breakdown, replace(query, measure=stated)) for breakdown in query.by]
    # Branches reading the same cells are read once (_read_once): with nothing chosen, every
    # breakdown's denominator is the one published total.
    return branches + [(_whole_of(breakdown), share_whole(query, breakdown)) for breakdown in query.by]


def _read_once(branches, *, code_lists=None):
    """{position in `branches`: its aggregate rows}, from one UNION ALL in which branches that read
    the same cells (a share's denominator is the total itself where nothing is filtered) are one."""
    read_as, unique = [], {}
    for breakdown, q in branches:
        cells = view_cells(q, breakdown)
        key = (cells.measure, cells.group, cells.year_from, cells.year_to, cells.split, cells.under)
        key += tuple(cells.chosen.items())
        read_as.append(unique.setdefault(key, len(unique)))
    first = {index: position for position, index in reversed(list(enumerate(read_as)))}
    by_read = {index: [] for index in first}
    for row in _union([branches[first[index]] for index in sorted(first)], code_lists=code_lists):
        by_read[row["position"]].append(row)
    return {position: by_read[index] for position, index in enumerate(read_as)}


def _shaped(branches, by_branch, query):
    """The branches' rows as view_rows gives them, sorted three ways: (rows of `query`'s own measure,
    {denominator: {year: amount}}, rows of the stated shares' measure)."""
    rows, wholes, stated_rows = [], {}, []
    for position, (breakdown, q) in enumerate(branches):
        shaped = _shape(by_branch[position], q, breakdown)
        if breakdown in _WHOLES:
            wholes[_WHOLES[breakdown]] = {row["year"]: row["amount"] for row in shaped}
        elif q.measure != query.measure:
            # A sum of several stated shares (UNDP and trust funds in 1990: 83.7%) is not stated itself.
            summed = view_cells(q, breakdown).expected > 1
            stated_rows.extend({**row, "summed": True} if summed else row for row in shaped)
        else:
            rows.extend(shaped)
    return rows, wholes, stated_rows


def _with_shares(rows, wholes):
    """`rows` each with its "share" of its breakdown's denominator (`wholes`: {breakdown: {year:
    amount}}, see `share_whole`)."""
    return [{**row, "share": _percent(row["amount"], wholes[row["breakdown"]].get(row["year"]))} for row in rows]


def _with_stated_shares(rows, stated_rows, by):
    """`rows` with, for each cell (breakdown, series, year) they lack, the share the documents state
    for it (an amount of None, the stated value as the share), in the order of `by`, then year, then
    the ILO's. A cell of its own: UNDP's stated 1990 share stays beside the multi-bilateral programme's
    1990 amount."""
    computed = {_stated_key(row) for row in rows}
    stated = [
        {**row, "amount": None, "share": row["amount"]} for row in stated_rows if _stated_key(row) not in computed
    ]
    if not stated:
        return rows
    position = {breakdown: index for index, breakdown in enumerate(by)}
    return sorted(rows + stated, key=lambda row: (position[row["breakdown"]], row["year"]))


def _stated_key(row):
    return row["breakdown"], series_members(row), row["year"]


def stated_share_cells(query, *, code_lists=None):
    """{breakdown: {(series, year): documents}} of `query`'s breakdowns and of its total ("total": the
    line every table of a split ends with), the cells whose share the documents state (the measure that
    vocabulary.STATED_SHARES names for the query's), whatever they have in amounts; `series` is
    vocabulary.series_members of the cell's row, `documents` the (document, address) pairs its share
    cites (vocabulary.row_documents). Where an amounts view has no amount for such a cell, it says
    "only shares published", links to the share view and cites where the share is stated, in whichever
    row or figure shows it. One query; {} for a measure without stated shares. `code_lists` as for
    view_rows."""
    stated = STATED_SHARES.get(query.measure)
    if not stated:
        return {}
    shares = replace(query, measure=stated, value="amount")
    branches = [(breakdown, shares) for breakdown in dict.fromkeys((*query.by, "total"))]
    cells = {}
    for position, values in groupby(_union(branches, code_lists=code_lists), key=itemgetter("position")):
        breakdown = branches[position][0]
        cells[breakdown] = {
            (series_members(row), row["year"]): tuple(map(tuple, row_documents(row)))
            for row in _shape(values, shares, breakdown)
        }
    return cells


def iter_view_rows(query, *, code_lists=None, once=False):
    """view_rows(query) as an iterator read from the database in chunks, for exports that stream:
    memory stays flat however many rows a view has. Shares and changes need the whole view (a
    denominator, the year before), so for those it is view_rows itself. `once`: a file's rows, each
    value once (without the rows of `repeated_breakdowns`)."""
    if query.value != "amount":
        repeated = repeated_breakdowns(query) if once else set()
        yield from (r for r in view_rows(query, code_lists=code_lists) if r["breakdown"] not in repeated)
        return
    branches = _amount_branches(query, once=once)
    for position, values in groupby(_union(branches, chunked=True, code_lists=code_lists), key=itemgetter("position")):
        yield from _shape(values, query, branches[position][0])


def aggregate_sql(query, *, code_lists=None, once=False):
    """The SQL of the aggregate rows behind iter_view_rows(query), for a database to format itself
    (PostgreSQL's COPY writes the long CSV from it: funding/csv_copy.py): (sql, params, branches),
    where `branches` has, for each value of the `position` column, (cells, template): the branch's
    Cells and the row view_rows makes of its aggregate rows with the dimensions it splits set to None
    (what every row of the branch shares: the members it does not split, "part_of"). A value="amount"
    query only.

    Each row has the columns "position", "year", "<dimension>_code" and "<dimension>_order" (None and 0
    where the branch does not split the dimension), "total" (the sum of whole dollars), "cells" (how many
    cells it sums: a row is a value only when that is its Cells' `expected`), "worst" (the weakest
    status), "cited" (the (document, address) pairs of its cells: vocabulary.cited_pairs; NULL in a
    branch of single cells, which gives "own_document" and "own_url" instead), "note"; ordered
    as view_rows' rows.
    `once` as for iter_view_rows."""
    branches = _amount_branches(query, once=once)
    sql, params = _union(branches, code_lists=code_lists).query.sql_with_params()
    shared = []
    for breakdown, q in branches:
        cells = view_cells(q, breakdown)
        blank = {f"{dim}_code": None for dim in DIMENSIONS}
        blank.update(cells=cells.expected, year=0, total=0, worst=Status.PUBLISHED, note="")
        blank.update(cited="", own_document=None, own_url=None)
        shared.append((cells, next(_shape([blank], q, breakdown))))
    return sql, params, shared


def _amount_branches(query, *, once=False):
    """The (breakdown, query) branches of an amounts view: its breakdowns, then its "of which";
    with `once`, not those of `repeated_breakdowns`."""
    repeated = repeated_breakdowns(query) if once else set()
    return [(b, query) for b in query.by if b not in repeated] + _of_which_branches(query)


def repeated_breakdowns(query):
    """The breakdowns of a view whose rows an earlier breakdown of it already gives, value for value.
    Splitting a dimension in which exactly one member is chosen gives that member's one row, the same
    cells as not splitting it: `by=source&by=total&source=undp` (UNDP's row of the sources is the
    view's total), `by=source&by=region&source=undp&region=africa`, `by=source&by=source-region` with
    one region chosen. Two breakdowns give the same rows when every dimension one splits and the other
    does not has exactly one member chosen. A page draws each (a figure each); a file (the long
    layout, JSON) gives such a value once, as the first breakdown's row, so that it uploads back (a
    file may give a cell once). The wide layout keeps one row, the total's (vocabulary.series_members)."""

    def same_rows(one, other):
        differ = set(BREAKDOWNS[one]) ^ set(BREAKDOWNS[other])
        return all(len(chosen(query, dim)) == 1 for dim in differ)

    return {b for i, b in enumerate(query.by) if any(same_rows(b, earlier) for earlier in query.by[:i])}


def _of_which_branches(query):
    """The "of which" branches of an amounts view that chose exactly one member of a dimension, whether
    it shows that member's split or its total (a split's table ends with the total too): the members
    under it (multi-bi under trust funds), as rows of breakdown vocabulary.OF_WHICH[dimension], after
    the view's own rows. Never summed into anything."""
    if query.value != "amount":
        return []
    return [(OF_WHICH[dim], query) for dim in DIMENSIONS if dim in OF_WHICH and len(chosen(query, dim)) == 1]


def _union(branches, *, chunked=False, code_lists=None):
    """One UNION ALL of every (breakdown, query) branch, ordered by branch, year and the ILO's order."""
    tables = {}  # live_values once per choice of members, not once per branch
    ids = member_ids(code_lists)
    querysets = []
    for position, (breakdown, q) in enumerate(branches):
        chosen = view_cells(q, breakdown).chosen
        key = tuple(chosen.items())
        if key not in tables:
            tables[key] = live_values(chosen, code_lists=code_lists)
        querysets.append(_breakdown_values(q, breakdown, position, tables[key], ids))
    union = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    union = union.order_by("position", "year", *(f"{dim}_order" for dim in DIMENSIONS))
    return union.iterator(chunk_size=2000) if chunked else union


# Branch names of the share denominators in view_rows, one a breakdown (never a breakdown a user can
# ask for: view_cells reads each as a total).
def _whole_of(breakdown):
    return f"whole-of-{breakdown}"


_WHOLES = {_whole_of(breakdown): breakdown for breakdown in BREAKDOWNS}


def _percent(part, whole):
    if whole in (None, 0) or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT, rounding=ROUND_DOWN)


def with_change(rows, *, year_from):
    """`rows` (ordered by year within each breakdown, read from the year before `year_from`) from
    `year_from` on, each with "change": its percentage change on the previous year of the same series,
    None where either year has no amount (missing, or a share stated without one)."""
    previous = {}
    result = []
    for row in rows:
        series = (row["breakdown"], *(row[dim] for dim in DIMENSIONS))
        before = previous.get((series, row["year"] - 1))
        change = None
        if before and row["amount"] is not None:
            change = _percent(row["amount"] - before, before)
        if row["year"] >= year_from:
            result.append({**row, "change": change})
        previous[(series, row["year"])] = row["amount"]
    return result


@dataclass(frozen=True)
class Cells:
    """Which cells of the cube one breakdown of a view reads: the one definition that the page's
    query (`view_rows`), its provenance (`provenance.releases_behind`) and the explorer's drill
    (`explorer.drill.years_with_data`, on `coverage()`) share.

    The measure, country group and years of the view; and per dimension (source, region, type of
    input): the members chosen, or else, where the breakdown splits that dimension, its top level (a
    country or a single donor sits under its region or source, and adding it to its parent's
    published value would double count), and where it does not, the total member `_T`.
    """

    measure: str
    group: str
    year_from: int
    year_to: int
    split: tuple  # the dimensions the breakdown splits
    chosen: dict  # dimension -> the codes chosen, () for none
    under: tuple = ()  # the dimensions read one level below their chosen members ("of which")

    @property
    def expected(self):
        """How many cells one value sums: the chosen members of the dimensions not split (a year
        missing one of them has no value, since a partial sum would be a wrong number)."""
        return prod(len(codes) for dim, codes in self.chosen.items() if dim not in self.split and codes)

    def q(self, ids=None):
        """The cells as a condition on Observation (live or not: callers add `current()`) or LiveCell.

        With `ids` (`member_ids` of the page's code lists), the same cells by the members' keys, so the
        SQL joins no code list: PostgreSQL spent most of a page planning joins on the code columns, the
        more the larger the code lists grew. A code `ids` does not hold is matched by code."""
        condition = Q(measure=self.measure, year__gte=self.year_from, year__lte=self.year_to)
        condition &= _among("country_group", (self.group,), ids)
        for dim in DIMENSIONS:
            if dim in self.under:
                parents = ids.of(dim, self.chosen[dim]) if ids else None
                if parents is None:
                    condition &= Q(**{f"{dim}__parent__code__in": self.chosen[dim]})
                else:
                    condition &= Q(**{f"{dim}__parent_id__in": parents})
            elif self.chosen[dim]:
                condition &= _among(dim, self.chosen[dim], ids)
            elif dim in self.split:
                if ids:
                    condition &= Q(**{f"{dim}_id__in": ids.top[dim]})
                else:
                    condition &= ~Q(**{f"{dim}__code": TOTAL}) & Q(**{f"{dim}__parent__isnull": True})
            else:
                condition &= _among(dim, (TOTAL,), ids)
        return condition

    def live(self, values=None, *, ids=None):
        """The live values of these cells, as a queryset (see `live_values`): from the summary of live
        top-level cells (`LiveCell`, the size of the ILO's tables), or from the observations where
        the view chose a member below the top level (a country) or reads the members under the chosen
        ones ("of which"). `values`: live_values(self.chosen), when the caller has it already; `ids`
        as for `q`."""
        if self.under:  # the members under the chosen ones sit below the top level
            return Observation.objects.current().filter(self.q(ids))
        return (live_values(self.chosen) if values is None else values).filter(self.q(ids))

    def contains(self, *, group, year, codes, top):
        """Whether the cell (group, year, {dimension: code}) is one of these; `top` is {dimension:
        set of top-level codes}, as vocabulary.top_level gives them. Pure: for reading `coverage()`."""
        if group != self.group or not self.year_from <= year <= self.year_to:
            return False
        for dim in DIMENSIONS:
            code, chosen = codes[dim], self.chosen[dim]
            if chosen:
                member = code in chosen
            elif dim in self.split:
                member = code in top[dim]
            else:
                member = code == TOTAL
            if not member:
                return False
        return True


@dataclass(frozen=True)
class MemberIds:
    """The keys of the members a page's code lists hold (see `member_ids`): `codes` is {dimension:
    {code: id}} for vocabulary.DIMENSIONS and "country_group", `top` {dimension: the ids of its top
    level, the total left out}, `names` {dimension: {id: code}}."""

    codes: dict
    top: dict
    names: dict

    def of(self, dim, codes):
        """The ids of `codes` of `dim`, or None when one of them is not in the lists."""
        known = self.codes[dim]
        return [known[code] for code in codes] if all(code in known for code in codes) else None


def member_ids(code_lists):
    """The MemberIds of `code_lists()` (which always hold every top-level member), or None without them."""
    if code_lists is None or "country_groups" not in code_lists:
        return None
    codes, top, names = {}, {}, {}
    for dim in (*DIMENSIONS, "country_group"):
        members = code_list(code_lists, dim)
        if any("id" not in member for member in members):
            return None
        codes[dim] = {member["code"]: member["id"] for member in members}
        names[dim] = {member["id"]: member["code"] for member in members}
        top[dim] = [m["id"] for m in members if m["code"] != TOTAL and not m.get("parent__code")]
    return MemberIds(codes=codes, top=top, names=names)


def _among(dim, codes, ids):
    """The condition that a cell's `dim` is one of `codes`: by key where `ids` holds them, else by code."""
    known = ids.of(dim, codes) if ids else None
    if known is None:
        return Q(**{f"{dim}__code__in": codes}) if len(codes) > 1 else Q(**{f"{dim}__code": codes[0]})
    return Q(**{f"{dim}_id__in": known}) if len(known) > 1 else Q(**{f"{dim}_id": known[0]})


def live_values(chosen, *, code_lists=None):
    """Where the live values of a view choosing `chosen` ({dimension: codes}) are read: the summary of
    live top-level cells (`LiveCell`), or, when a chosen member sits below the top level (a country,
    which the summary does not keep), the observations' live values. Both have the same fields.

    `code_lists` (`code_lists()` as a page has it, with each member's `parent__code`) answers that
    without a query when it holds every chosen member; otherwise it is one look-up by code in the
    code lists when members are chosen, none when none are. (Deciding inside the page's SQL instead,
    with both tables guarded, made PostgreSQL plan the unread branch: 0.36 s.)"""
    below = _chosen_below_top_level(chosen, code_lists) if code_lists is not None else None
    if below is None:
        condition = Q()
        for dim, codes in chosen.items():
            if codes:
                model = LiveCell._meta.get_field(dim).related_model
                condition |= Q(Exists(model.objects.filter(code__in=codes, parent__isnull=False)))
        below = bool(condition) and Dataset.objects.filter(condition).exists()
    return Observation.objects.current() if below else LiveCell.objects.all()


def _chosen_below_top_level(chosen, code_lists):
    """Whether a member of `chosen` has a parent, read from `code_lists`; None when the lists lack one
    of the chosen members (then only the database can say)."""
    parents = {}
    for dim, codes in chosen.items():
        listed = {member["code"]: member.get("parent__code") for member in code_list(code_lists, dim)}
        for code in codes:
            if code not in listed:
                return None
            parents[code] = listed[code]
    return any(parent is not None for parent in parents.values())


def view_cells(query, breakdown):
    """The Cells that one breakdown of `query` reads (the share denominators read as totals; an "of
    which" breakdown, the members under the chosen one, split by them)."""
    under = tuple(dim for dim, name in OF_WHICH.items() if name == breakdown)
    return Cells(
        measure=query.measure,
        group=query.group,
        year_from=query.year_from,
        year_to=query.year_to,
        split=under or BREAKDOWNS.get(breakdown, ()),
        chosen={dim: chosen(query, dim) for dim in DIMENSIONS},
        under=under,
    )


def _breakdown_values(query, breakdown, position, values, ids=None):
    """The aggregate queryset of one breakdown (see view_rows), with the same columns for every breakdown
    so that several of them can be read as one UNION ALL. `ids` as for Cells.q: only the code lists
    the breakdown splits by are joined (for their codes and order)."""
    cells = view_cells(query, breakdown)
    split = {}
    for dim in DIMENSIONS:
        if dim in cells.split:
            split[f"{dim}_code"] = F(f"{dim}__code")
            split[f"{dim}_order"] = F(f"{dim}__order")
        else:
            split[f"{dim}_code"] = Value(None, output_field=CharField())
            split[f"{dim}_order"] = Value(0, output_field=IntegerField())
    keys = ("position", "year", *(f"{dim}_{key}" for dim in DIMENSIONS for key in ("code", "order")))
    live = cells.live(values, ids=ids).annotate(position=Value(position, output_field=IntegerField()), **split)
    if cells.expected == 1:
        # Every dimension the breakdown does not split is pinned to one member, so each row is one live
        # cell: its own fields, without a GROUP BY (76,000 cells of countries: a second of hashing,
        # spilled to disk on PostgreSQL).
        return live.annotate(
            total=F("amount"),
            cells=Value(1, output_field=IntegerField()),
            worst=F("status"),
            cited=Value(None, output_field=TextField()),
            own_document=F("document"),
            own_url=F("document_url"),
        ).values(*keys, "total", "cells", "worst", "cited", "own_document", "own_url", "note")
    return live.values(*keys).annotate(
        total=Sum("amount"),
        cells=Count("pk"),
        worst=Max("status"),
        cited=CitedPairs(_cited_pair()),
        own_document=Value(None, output_field=CharField()),
        own_url=Value(None, output_field=CharField()),
        note=Min("note"),
    )


def _cited_pair():
    """A cell's (document, address) as vocabulary.CITED_RECORD describes it."""
    record, unit = Value(CITED_RECORD), Value(CITED_UNIT)
    return Concat(record, "document", unit, "document_url", record, output_field=TextField())


def _documents_of(row):
    """An aggregate row's cited pairs and, as a file writes them, its documents and addresses: a row
    of one cell (no GROUP BY: `cited` is NULL) has its own, read as they are."""
    if row["cited"] is None:
        document, url = row["own_document"], row["own_url"]
        return [(document, url)], document, url
    pairs = cited_pairs(row["cited"])
    return (pairs, *documents_text(pairs))


class CitedPairs(Aggregate):
    """The distinct (document, address) pairs of the cells an aggregate row sums, as one text
    (vocabulary.cited_pairs reads it): every document a sum of several cells rests on, each with its
    own address. PostgreSQL's STRING_AGG; SQLite's GROUP_CONCAT, whose comma between the pairs (it
    takes no other separator beside DISTINCT) falls outside them."""

    function = "STRING_AGG"
    template = "%(function)s(DISTINCT %(expressions)s, '')"
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(DISTINCT %(expressions)s)"
        )


def _shape(values, query, breakdown):
    """Aggregate rows of one breakdown -> the documented row dicts (see view_rows), one at a time."""
    cells = view_cells(query, breakdown)
    by, expected = cells.split, cells.expected
    single = {dim: pinned_member(chosen(query, dim)) for dim in DIMENSIONS}
    for row in values:
        if row["cells"] != expected:
            continue  # a part is missing that year: a partial sum would be a wrong number
        pairs, document, document_url = _documents_of(row)
        yield {
            "breakdown": breakdown,
            "measure": query.measure,
            "year": row["year"],
            **{dim: row[f"{dim}_code"] if dim in by else single[dim] for dim in DIMENSIONS},
            "amount": thousands(row["total"]),
            "status": _status_label(row["worst"], expected),
            "document": document,
            "document_url": document_url,
            "cited": pairs,
            # A cell's own note; a sum of several cells has none of its own.
            "note": row["note"] if row["cells"] == 1 else "",
            # An "of which" row names the member it is part of (and is never added to).
            **({"part_of": query.sources[0] if "source" in cells.under else query.regions[0]} if cells.under else {}),
        }


def cell_history(*, measure, year, source=TOTAL, region=TOTAL, group=TOTAL, input_type=TOTAL, code_lists=None):
    """Every value any release gave one cell, newest by publication first (Release.published_seq, not
    the order of upload), withdrawn ones included (for the record). The cell's members are matched by
    key where `code_lists` (the page's) hold them."""
    ids = member_ids(code_lists)
    members = {"source": source, "region": region, "country_group": group, "input_type": input_type}
    cell = Q(measure=measure, year=year)
    for dim, code in members.items():
        cell &= _among(dim, (code,), ids)
    values = (
        Observation.objects.filter(cell)
        .order_by(F("release__published_seq").desc(nulls_last=True), "-release_id")
        .values(
            "amount",
            "status",
            "document",
            "document_url",
            "note",
            "is_current",
            "release_id",
            "release__title",
            "release__file_name",
            "release__state",
            published_at=release_event_at(ReleaseEvent.Action.PUBLISH, "release_id"),
        )
    )
    return [
        {**value, "release__title": release_title(value["release__title"], value["release__file_name"])}
        for value in values
    ]


def coverage(*, measure, year_from=MIN_YEAR, year_to=MAX_YEAR, sources=(), regions=(), input_types=(), code_lists=None):
    """Which cells the live data has for `measure` between two years: a set of (group, year, source,
    region, input_type) codes (the dimensions in vocabulary.DIMENSIONS' order), `_T` for a total
    member. One query, on the summary of live top-level cells unless a chosen member is below the top
    level (see `live_values`, which `code_lists` saves a look-up).

    Only top-level members count, plus the `sources`/`regions`/`input_types` the view chose: a country under a
    region is not a cell of any view that did not ask for it, and leaving those out keeps the answer
    (and its cost) the size of the ILO's own tables however many countries are loaded. The explorer
    reads it to know, before drawing, where a deeper breakdown exists (the least developed
    countries' source x region table) and to say in words where it does not.
    """
    values = live_values({"source": sources, "region": regions, "input_type": input_types}, code_lists=code_lists)
    chosen = {"source": sources, "region": regions, "input_type": input_types}
    ids = member_ids(code_lists)
    if ids and any(ids.of(dim, codes) is None for dim, codes in chosen.items()):
        ids = None  # a chosen member the lists do not hold: read by code
    members = {}
    if values.model is not LiveCell:  # the summary keeps the top level only: nothing to leave out there
        if ids:  # the top level and the chosen members, by key
            members = {f"{dim}__in": [*ids.top[dim], *ids.of(dim, (TOTAL, *chosen[dim]))] for dim in chosen}
        else:  # as id sub-selects (not joins), so the cube's indexes are walked member by member
            in_view = Q(parent__isnull=True) | Q(code__in=(*sources, *regions, *input_types))
            members = {
                f"{dim}__in": model.objects.filter(in_view).values("id")
                for dim, model in (("source", Source), ("region", Region), ("input_type", InputType))
            }
    cells = values.filter(measure=measure, year__gte=year_from, year__lte=year_to, **members)
    if ids is None:
        # Fewer relations also spare PostgreSQL's planner, which took 50 ms over the nine of a join on
        # the summary with every code list also as a sub-select (for a 2 ms run).
        return set(cells.values_list("country_group__code", "year", *(f"{dim}__code" for dim in DIMENSIONS)).distinct())
    # With the page's code lists, the members' keys, named by code here: every one read is in the lists
    # (the top level, or chosen). The country groups (two rows) stay a join: any of them is read.
    keys = cells.values_list("country_group__code", "year", *(f"{dim}_id" for dim in DIMENSIONS)).distinct()
    names = [ids.names[dim] for dim in DIMENSIONS]
    return {(group, year, *(named[key] for named, key in zip(names, rest, strict=True))) for group, year, *rest in keys}


def year_span(*, measure, code_lists=None):
    """(first, last) year of the live all-sources, all-regions totals of `measure`, or None: the range
    a year picker offers. Two index-endpoint look-ups in the summary, in one query (by the total
    members' keys where `code_lists` gives them)."""
    ids = member_ids(code_lists)
    totals = Q(measure=measure)
    for dim in ("country_group", "input_type", "source", "region"):
        totals &= _among(dim, (TOTAL,), ids)
    span = LiveCell.objects.filter(totals).aggregate(first=Min("year"), last=Max("year"))
    return (span["first"], span["last"]) if span["first"] is not None else None


def dimension_members(*, codes=None):
    """Every code list of the cube, in the ILO's order: {"source", "region", "country_group",
    "input_type"} -> [{"code", "name", "name_fr"..., "order", "parent__code"}], total members (`_T`)
    included, with a `name_xx` for every language the model has names in. Four small queries. For
    the SDMX code lists and the data package's enums.

    With `codes` ({dimension: codes, or None for all of them}), only the members whose code is one
    of them in any case (codes are ASCII slugs, which LOWER folds as Python does), and none of a
    dimension it does not name: a query a dimension named, whatever the number of members (what
    checking an SDMX key needs)."""
    lists = {}
    for dim, model in (
        ("source", Source),
        ("region", Region),
        ("country_group", CountryGroup),
        ("input_type", InputType),
    ):
        members = model.objects.all()
        if codes is not None and codes.get(dim, ()) is not None:
            wanted = {code.lower() for code in codes.get(dim, ())}
            if not wanted:
                lists[dim] = []
                continue
            members = members.alias(code_lower=Lower("code")).filter(code_lower__in=wanted)
        names = [f.name for f in model._meta.fields if f.name.startswith("name_")]
        lists[dim] = list(members.values("code", "name", *names, "order", "parent__code"))
    return lists


def cells(*, measures=(), members=None, year_from=None, year_to=None, release=None):
    """Observations as cells of the cube, one dict each, read from the database in chunks (an iterator).

    Unlike the views' reads this neither sums nor pins: every cell whose codes match is returned,
    totals (`_T`) and members under a parent included, as SDMX and the data package exchange them.
    `measures` and `members` ({dimension: codes}) restrict the cells; an empty or absent restriction
    is every code. Each dict is {"measure", "year", "source", "region", "country_group",
    "input_type", "amount" (Decimal, thousands of USD), "status" (label), "document",
    "document_url", "note", "release"}, ordered by measure, each dimension's code-list order, year.

    The live values unless `release` (a published or withdrawn Release) is given: then the values as
    they stood once it was published, for each cell the newest of the releases published by then
    and not yet withdrawn (see `releases_as_of`).
    """
    qs = observations_matching(
        _as_of(release), measures=measures, members=members, year_from=year_from, year_to=year_to
    )
    order = (f"{dim}__{key}" for dim in CELL_DIMENSIONS for key in ("order", "code"))
    rows = qs.order_by("measure", *order, "year").values_list(*_CELL_COLUMNS)
    labels = dict(Status.choices)
    for measure, year, source, region, group, input_type, amount, status, document, url, note, rel in rows.iterator(
        chunk_size=2000
    ):
        yield {
            "measure": measure,
            "year": year,
            "source": source,
            "region": region,
            "country_group": group,
            "input_type": input_type,
            "amount": thousands(amount),
            "status": labels[status],
            "document": document,
            "document_url": url,
            "note": note,
            "release": rel,
        }


# What `cells` reads of an observation, in the order it unpacks them.
_CELL_COLUMNS = (
    "measure",
    "year",
    *(f"{dim}__code" for dim in CELL_DIMENSIONS),
    "amount",
    "status",
    "document",
    "document_url",
    "note",
    "release_id",
)


def _as_of(release):
    """The observations live now (`release` None), or as they stood once `release` was published:
    for each cell the newest by publication (Release.published_seq) of the releases published by
    then and not yet withdrawn."""
    if release is None:
        return Observation.objects.current()
    eligible = releases_as_of(release)
    newer = Observation.objects.filter(
        release__in=eligible,
        release__published_seq__gt=OuterRef("release__published_seq"),
        **{field: OuterRef(field) for field in Observation.CELL},
    )
    return Observation.objects.filter(release__in=eligible).exclude(Exists(newer))


# The columns a series key fixes that lead an index of the live observations (models.Observation:
# observation_current_by_region, one_current_value_per_cell), before the member it leaves open.
SERIES_PREFIXES = (
    {"measure", "country_group", "input_type", "region"},
    {"measure", "country_group", "input_type", "source"},
)


def observations_matching(qs, *, measures, members, year_from, year_to):
    """`qs` restricted to `measures`, `members` ({dimension: codes}) and the years between
    `year_from` and `year_to`; an empty or absent restriction is every code or year.

    When the codes fix the leading columns of an index of the live observations (SERIES_PREFIXES: an
    SDMX series key such as `expenditure.._T._T._T`), the years are compared as `year + 0`, which no
    index can serve, so the database finds the rows by the codes and keeps those years: SQLite's
    planner otherwise chose the index led by (measure, year) from its sampled statistics and read every
    country's values of those years (9-15 ms at a million observations, 0.2-0.5 ms by the codes; at
    ten thousand both are quick), and PostgreSQL's averages cannot tell that `_T` is rare among
    sources either. A key that fixes fewer codes keeps the year in the index, which then narrows it
    most."""
    if measures:
        qs = qs.filter(measure__in=measures)
    pinned = {"measure"} if measures else set()
    for dim, codes in (members or {}).items():
        if codes:
            qs = qs.filter(**{f"{dim}__code__in": codes})
            pinned.add(dim)
    year = "year"
    if (year_from is not None or year_to is not None) and any(prefix <= pinned for prefix in SERIES_PREFIXES):
        qs = qs.alias(year_by_codes=ExpressionWrapper(F("year") + 0, output_field=IntegerField()))
        year = "year_by_codes"
    if year_from is not None:
        qs = qs.filter(**{f"{year}__gte": year_from})
    if year_to is not None:
        qs = qs.filter(**{f"{year}__lte": year_to})
    return qs


def releases_as_of(release):
    """The releases whose values were live right after `release` was published: published by then
    (it included) and not withdrawn by then, by their places in the sequence of publishes and
    withdrawals (never by the clock). A queryset, for `cells(release=...)`."""
    place = release.published_seq
    return Release.objects.filter(Q(withdrawn_seq=None) | Q(withdrawn_seq__gt=place), published_seq__lte=place)


def live_release():
    """The newest published release (by publication), or None: the release a download is of."""
    releases = Release.objects.with_dates().filter(state=Release.State.PUBLISHED)
    # Not the file's bytes or a draft's rows as checked: what is shown of it is its title and dates.
    return releases.without_contents().order_by(F("published_seq").desc(nulls_last=True), "-id").first()


def summary_documents():
    """The distinct documents the live top-level cells cite (models.LiveCell): those of every figure the
    pages draw, read from a table the size of the published tables, not of every country loaded."""
    documents = LiveCell.objects.exclude(document="").values_list("document", flat=True)
    return list(documents.distinct().order_by("document"))


def cited_documents():
    """The (document, address) pairs the live values cite, in order: the data package's sources. Read
    from the table of live documents (models.LiveDocument, kept by every publish and withdrawal), the
    size of the documents cited: the live observations' own took 158 ms at a million."""
    return list(LiveDocument.objects.values_list("document", "document_url").order_by("document", "document_url"))
