"""Selector rows -> typed tables: the JSON rows, the long (upload template) and wide (years as columns)
tables of the CSV and XLSX files, and the name of a download. Pure: plain data in, plain data out.

A cell is `str` for text, `int` or `Decimal` for a number, `None` for a missing value; the writers
in `csv` and `xlsx` format them.
"""

import re
from decimal import Decimal
from itertools import chain

from django.utils.translation import override

from ..importers.template import FORMULA_PREFIXES, TEMPLATE_HEADER
from ..vocabulary import (
    BREAKDOWNS,
    CITED_RECORD,
    CITED_UNIT,
    DIMENSIONS,
    DOCUMENTS_JOINER,
    OF_WHICH,
    OF_WHICH_NOTE,
    OF_WHICH_WORDS,
    TOTAL,
    Status,
    chosen,
    code_list,
    member_note,
    member_words,
    names,
    row_member,
    series_members,
    unit_column,
    unit_of,
    wide_column,
)

# The upload template's columns: an export in the long layout uploads unchanged.
LONG_COLUMNS = TEMPLATE_HEADER
VALUE_COLUMNS = {"share": "share_percent", "change": "change_percent"}
WIDE_KEY_COLUMNS = ("source", "source_name", "region", "region_name")
# The code and name of a type of input, after the region's, in the files of a view about types of input.
INPUT_TYPE_COLUMNS = ("input_type", "input_type_name")


def json_amount(amount: Decimal):
    """A Decimal as a JSON number without passing through binary floating point for integers.

    Whole amounts (all published ILO figures) become ints; others a float whose shortest repr is
    the same decimal text (at most 3 decimals: amounts are whole dollars in thousands).
    """
    if amount is None:
        return None
    integral = amount.to_integral_value()
    return int(integral) if amount == integral else float(amount)


def json_rows(rows, *, query=None):
    """Selector rows of `query` -> JSON-ready dicts (the `rows` of every `.json` twin). A row's
    `source`, `region` and `input_type` are its member's code, the chosen members' codes joined by "+"
    where it sums several of them (`africa+europe`), or null where it covers all of them."""
    return list(iter_json_rows(rows, query=query))


def _json_member(row, dim, query):
    code = row_member(row, dim, chosen(query, dim) if query else ())
    return None if code == TOTAL else code


def iter_json_rows(rows, *, query=None):
    """json_rows, one row at a time (for a document that streams)."""
    return (
        {
            "measure": row["measure"],
            "year": row["year"],
            **{dim: _json_member(row, dim, query) for dim in DIMENSIONS},
            "amount": json_amount(row["amount"]),
            "unit": unit_of(row["measure"]),
            "status": row["status"],
            "document": row["document"],
            **{key: json_amount(row[key]) for key in ("share", "change") if key in row},
            **({"part_of": row["part_of"]} if row.get("part_of") else {}),
        }
        for row in rows
    )


# --- Cells -----------------------------------------------------------------------------------

# What XML 1.0 cannot hold, escaped or not: left out of what is written as XML (an XLSX sheet, an
# SDMX-ML message). Tab, line feed and carriage return are allowed. Uploads refuse these characters in
# what they store; a value stored before that rule is written without them, never a broken file.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def neutralise(text):
    """Text that a spreadsheet will show as text: a leading formula character gets a `'` before it."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


# --- Tables ----------------------------------------------------------------------------------


def _order(code_lists):
    return {dim: {m["code"]: (m["order"], m["name"]) for m in code_list(code_lists, dim)} for dim in DIMENSIONS}


def _member(row, dim, query, named, lang="en"):
    """(code, name, note) of one dimension of a selector row (vocabulary.row_member): a member, the
    published total (code `_T`), or the sum of the several members the user chose (codes joined with
    `+`, named "Sum of 2 sources: ...", noted "sum of 2 sources": such a row is not a published cell
    and must not upload as the total)."""
    code = row_member(row, dim, chosen(query, dim))
    note = member_note(code, dim)
    if not note:  # a member or the total: its name, without switching language for every cell
        return code, named[dim].get(code, code), ""
    with override(lang):
        return code, member_words(code, dim, named[dim]), note


def involves_input_type(query):
    """Whether a view is about types of input (broken down by them, or some chosen): its files then
    carry the `input_type` columns, so that they upload back to the same cells. Other views leave
    them out, as the upload template does (absent: the total)."""
    return bool(query.input_types) or any("input_type" in BREAKDOWNS[b] for b in query.by)


def _part_of(row, code_lists):
    """ "of which: part of Trust funds and multi-bi, not added to it" for an "of which" row, else "": in
    English, its parent's name too, whatever the file's language, as every note in the files is."""
    if not row.get("part_of"):
        return ""
    english = names(code_lists, "en")
    dim = "source" if row["part_of"] in english["source"] else "region"
    return OF_WHICH_NOTE % {"name": english[dim].get(row["part_of"], row["part_of"])}


def long_table(rows, *, query, code_lists, lang="en"):
    """Selector rows -> (header, iterator of rows) in the long layout of the upload template.

    Rows are produced one by one from `rows` (any iterable), so the memory needed does not grow
    with their number. After the template's columns, `unit` names the unit of the row's measure
    (an upload ignores it: the measure fixes it); with value share or change the matching
    `*_percent` column is added last. A share the documents state without an amount (measure
    `expenditure-share`) has an empty amount and its share. The value column is named for the unit of
    the view's measure (vocabulary.unit_column: `amount_usd_thousands`, or `countries` for the
    recipient countries), as the upload reads it back. A view about types of input has
    `input_type` and `input_type_name` after `region_name`.
    """
    named = names(code_lists, lang)
    extra = [VALUE_COLUMNS[query.value]] if query.value in VALUE_COLUMNS else []
    with_input = involves_input_type(query)
    header = long_columns(query.measure, with_input_type=with_input)

    def cells():
        for row in rows:
            source, source_name, source_note = _member(row, "source", query, named, lang)
            region, region_name, region_note = _member(row, "region", query, named, lang)
            input_type, input_type_name, input_type_note = _member(row, "input_type", query, named, lang)
            part = _part_of(row, code_lists)
            notes = (part, row.get("note") or "", source_note, region_note, input_type_note)
            note = "; ".join(n for n in notes if n)
            yield [
                row["measure"],
                row["year"],
                source,
                source_name,
                region,
                region_name,
                *((input_type, input_type_name) if with_input else ()),
                query.group,
                row["amount"],
                row["status"],
                row["document"] or "",
                row.get("document_url") or "",
                note,
                unit_of(row["measure"]),
                *(row.get(query.value) for _ in extra),
            ]

    return [*header, "unit", *extra], cells()


def long_columns(measure, *, with_input_type=False):
    """The long layout's columns for `measure` (the upload template's, before `unit`): the value column
    named for the measure's unit (vocabulary.unit_column: `countries` for the recipient countries), and
    `input_type`, `input_type_name` after `region_name` in a view about types of input."""
    header = [unit_column(measure) if c == "amount_usd_thousands" else c for c in LONG_COLUMNS]
    if with_input_type:
        at = header.index("region_name") + 1
        header[at:at] = INPUT_TYPE_COLUMNS
    return header


def wide_table(rows, *, query, code_lists, lang="en"):
    """Selector rows -> (header, list of rows) with years as columns, like the ILO's printed tables.

    One row per series (source and/or region), in the ILO's order, then the total rows last: the rows
    of the long layout, pivoted (a view without the `total` breakdown has no TOTAL row). A series two
    breakdowns both show (the total of `source=undp` is UNDP's row of `by=source`) is one row, the
    total's (vocabulary.series_members). The type of input's code and name in a view about types of
    input, and `country_group` in a view of one country group (the least developed countries), after
    the region's. Each year has two columns: `{value}_{year}` (`amount_1995`, `share_1995`,
    `change_1995`), the value the view shows, its amounts named for the measure's unit as the long
    layout's value column is (`countries_1995` for the recipient countries: vocabulary.wide_column),
    and `status_{year}`, its status (`published`, `approximate`, `rounded`, `derived`...), so no value
    loses its mark; a year without data leaves both empty, never 0.
    The columns are named for what they hold, not by the bare year, so that a reader (or
    `csv.Sniffer`) can tell the header from the data, and pandas' `wide_to_long(df, ["amount",
    "status"], i=..., j="year", sep="_")` turns the file back into one value a row.
    Needs every row at once (a pivot), but a view has at most a few dozen series.
    """
    named = names(code_lists, lang)
    order = _order(code_lists)
    years = list(range(query.year_from, query.year_to + 1))
    position = {b: i for i, b in enumerate(query.by)}
    dims = DIMENSIONS if involves_input_type(query) else ("source", "region")
    # A view of one country group names it on every row, as the long layout does: the file alone
    # says which cells it holds, whatever it is called once downloaded.
    group = [query.group] if query.group != TOTAL else []
    series = {}
    # The total's rows last, so that a series the total also shows is the total's row, with its values.
    for row in sorted(rows, key=lambda row: row["breakdown"] == "total"):
        key = series_members(row)
        if key in series:
            if row["breakdown"] == "total":
                series[key]["breakdown"] = "total"
        else:
            cells = {dim: list(_member(row, dim, query, named, lang)[:2]) for dim in dims}
            if row.get("part_of"):  # an "of which" row: its name says so, as the ILO's tables print it
                with override(lang):
                    of_which = str(OF_WHICH_WORDS)
                for dim in ("source", "region"):
                    if row[dim]:
                        cells[dim][1] = of_which % {"name": cells[dim][1]}
            series[key] = {
                "breakdown": row["breakdown"],
                "cells": [cell for dim in dims for cell in cells[dim]] + group,
                "values": {},
            }
        value = row.get(query.value)
        if value is not None:
            series[key]["values"][row["year"]] = (value, row["status"])

    def sort_key(key):
        breakdown, codes = series[key]["breakdown"], key
        return (
            2 if breakdown in OF_WHICH.values() else breakdown == "total",  # "of which" under the total
            position.get(breakdown, len(position)),
            *(order[dim].get(code, (-1, "")) for dim, code in zip(DIMENSIONS, codes, strict=True)),
        )

    body = []
    for key in sorted(series, key=sort_key):
        cells = list(series[key]["cells"])
        for year in years:
            cells += list(series[key]["values"].get(year, (None, None)))
        body.append(cells)
    header = [
        *WIDE_KEY_COLUMNS,
        *(INPUT_TYPE_COLUMNS if "input_type" in dims else ()),
        *(["country_group"] if group else []),
    ]
    for year in years:
        header += [wide_column(query.measure, query.value, year), f"status_{year}"]
    return header, body


# --- File names ------------------------------------------------------------------------------


def file_stem(query, *, layout="long", lang="en", bom=False, dialect="plain"):
    """What a download is called, without extension: `tcdash-expenditure-by-source-1990-1996`.

    Breakdowns (`total`, `by-source`, `by-region`, `by-source-and-region`), then the chosen
    sources and regions, `-ldc` for the least developed countries, the value when not the amount,
    and the years; then each file option (forms.ExportOptions) that is not the default, so two
    different files never share a name: `-wide`, `-fr`, `-bom`, `-excel-fr`.
    """
    dims = []
    for breakdown in query.by:
        for dim in BREAKDOWNS[breakdown]:
            if dim not in dims:
                dims.append(dim)
    dims.sort(key=DIMENSIONS.index)
    words = [dim.replace("_", "-") for dim in dims]  # by-input-type
    parts = ["tcdash", query.measure, f"by-{'-and-'.join(words)}" if words else "total"]
    parts += [code for dim in DIMENSIONS for code in chosen(query, dim)]
    if query.group != TOTAL:
        parts.append(query.group)
    if query.value != "amount":
        parts.append(query.value)
    parts += [str(query.year_from), str(query.year_to)]
    parts += [layout] if layout != "long" else []
    parts += [lang] if lang != "en" else []
    parts += ["bom"] if bom else []
    parts += [dialect] if dialect != "plain" else []
    return "-".join(parts)


# --- The long table written by the database ----------------------------------------------------


def long_table_sql(sql, params, *, branches, query, code_lists, lang="en", decimal="."):
    """The body of long_table as one SELECT over `sql` (selectors.aggregate_sql's aggregate rows, with
    `branches` its (cells, template) by position), for PostgreSQL's COPY ... WITH CSV to write: each
    cell the text that long_table and csv_cell make of the same row (members, names, notes, documents,
    amounts; text neutralised against formulas). An empty cell is NULL, since COPY writes '' as "" and
    NULL as nothing, as csv.writer writes ''. A value="amount" view; `decimal` is the dialect's
    decimal mark. Pure: SQL text in, (sql, params) out.
    """
    named = names(code_lists, lang)
    # The cells of one row before they are written, over the rows `v`, and the names of the members a
    # branch splits by as tables to join: (sql, params) each.
    derived = [_by_branch("expected", [(str(int(cells.expected)), []) for cells, _ in branches])]
    joins = []
    for dim in DIMENSIONS:
        if any(dim in cells.split for cells, _ in branches) and named[dim]:
            joins.append(_names_join(dim, named[dim]))
        derived += _member_columns(dim, branches, query, named, lang)
    part_notes = [("%s", [_part_of(template, code_lists) or None]) for _, template in branches]
    derived.append(_by_branch("part_note", part_notes))
    derived += _row_columns(decimal)
    # The row's note: its parts joined as long_table joins them, the empty ones left out.
    parts = ", ".join(f"f.{name}" for name in ("part_note", "own_note", *(f"{dim}_note" for dim in DIMENSIONS)))
    written = list(_long_cells_sql(query, f"concat_ws('; ', {parts})"))
    order = ", ".join(f"f.{dim}_order" for dim in DIMENSIONS)
    statement = (  # every value is a parameter; the text is ours and the selectors'
        f"SELECT {', '.join(expr for expr, _ in written)} FROM (SELECT v.*, {', '.join(expr for expr, _ in derived)}"  # noqa: S608
        f" FROM ({sql}) v {' '.join(expr for expr, _ in joins)}) f"
        f" WHERE f.cells = f.expected ORDER BY f.position, f.year, {order}"
    )
    return statement, [*_parameters(written), *_parameters(derived), *params, *_parameters(joins)]


def _parameters(parts):
    """The parameters of (sql, params) parts, in their order."""
    return [value for _, values in parts for value in values]


def _by_branch(alias, per_branch):
    """A column of `per_branch` ((sql, params) for each position) as (sql, params): one CASE on the
    position, unless every branch has the same."""
    if all(expr == per_branch[0] for expr in per_branch):
        text, values = per_branch[0]
    else:
        text = "CASE v.position " + " ".join(f"WHEN {n} THEN {t}" for n, (t, _) in enumerate(per_branch)) + " END"
        values = _parameters(per_branch)
    return f"{text} AS {alias}", values


def _names_join(dim, named):
    """The names of `dim`'s members (`named`: {code: name}) as a table joined on the rows' codes."""
    rows = ", ".join("(%s, %s)" for _ in named)
    join = f"LEFT JOIN (VALUES {rows}) AS {dim}_names (code, name) ON {dim}_names.code = v.{dim}_code"
    return join, [*chain(*named.items())]


def _member_columns(dim, branches, query, named, lang):
    """`dim`'s code, name and note columns: the row's member where a branch splits by `dim`, else the
    member the branch's template names (and its note)."""
    codes, texts, notes = [], [], []
    for cells, template in branches:
        if dim in cells.split:
            codes.append((f"v.{dim}_code", []))
            texts.append((f"COALESCE({dim}_names.name, v.{dim}_code)" if named[dim] else f"v.{dim}_code", []))
            notes.append(("NULL", []))
        else:
            code, name, note = _member(template, dim, query, named, lang)
            codes.append(("%s", [code]))
            texts.append(("%s", [name]))
            notes.append(("%s", [note or None]))
    return [
        _by_branch(f"{dim}_text", codes),
        _by_branch(f"{dim}_name_text", texts),
        _by_branch(f"{dim}_note", notes),
    ]


def _row_columns(decimal):
    """The row's status (derived where it sums several published cells), its amount in thousands with
    the dialect's `decimal` mark, its documents and its own note (of a single cell)."""
    labels = " ".join(f"WHEN {status.value} THEN %s" for status in Status)
    status = (
        f"CASE WHEN v.worst = %s AND v.cells > 1 THEN %s ELSE CASE v.worst {labels} END END AS status_text",
        [Status.PUBLISHED.value, Status.DERIVED.label, *(status.label for status in Status)],
    )
    # As thousands() makes it: exact, no trailing zeros.
    amount, amount_params = "trim_scale(v.total::numeric / 1000)::text", []
    if decimal != ".":
        amount, amount_params = f"replace({amount}, '.', %s)", [decimal]
    return [
        status,
        (f"{amount} AS amount_text", amount_params),
        _cited_column(1, "document_text"),
        _cited_column(2, "document_url_text"),
        ("CASE WHEN v.cells = 1 THEN NULLIF(v.note, '') END AS own_note", []),
    ]


def _cited_column(part, alias):
    """The row's documents (`part` 1) or their addresses (2) from its cited pairs, as
    vocabulary.documents_text writes them: each distinct non-empty one once, in code-point order
    (COLLATE "C": UTF-8's byte order), joined; NULL where there is none."""
    # A branch of single cells gives each row's own document and address (most rows of a long file,
    # by country); a row of an aggregate of one cell cites one pair, read off directly.
    own = ("v.own_document", "v.own_url")[part - 1]
    one = f"NULLIF(btrim(split_part(v.cited, %s, {part}), %s), '')"
    listed = (  # the text is ours; the marks are parameters
        f'(SELECT string_agg(t, %s ORDER BY t) FROM (SELECT DISTINCT split_part(p, %s, {part}) COLLATE "C" AS t'  # noqa: S608
        " FROM unnest(string_to_array(v.cited, %s)) AS p WHERE strpos(p, %s) > 0) AS pieces WHERE t <> '')"
    )
    return (
        f"CASE WHEN v.cited IS NULL THEN NULLIF({own}, '') WHEN v.cells = 1 THEN {one} ELSE {listed} END AS {alias}",
        [CITED_UNIT, CITED_RECORD, DOCUMENTS_JOINER, CITED_UNIT, CITED_RECORD, CITED_UNIT],
    )


def _long_cells_sql(query, note):
    """(sql, params) of each cell of a long_table row, over long_table_sql's derived columns `f`."""

    def text(expr):  # csv_cell of a text: a formula character neutralised; '' as NULL
        prefixes = ", ".join("%s" for _ in FORMULA_PREFIXES)
        neutral = f"CASE WHEN left({expr}, 1) IN ({prefixes}) THEN '''' || {expr} ELSE {expr} END"
        return f"NULLIF({neutral}, '')", [*FORMULA_PREFIXES]

    def constant(value):
        return "%s", [neutralise(value) or None]

    yield constant(query.measure)
    yield "f.year", []
    for dim in DIMENSIONS if involves_input_type(query) else ("source", "region"):
        yield text(f"f.{dim}_text")
        yield text(f"f.{dim}_name_text")
    yield constant(query.group)
    yield "f.amount_text", []
    yield "f.status_text", []
    yield text("f.document_text")
    yield text("f.document_url_text")
    yield text(note)
    yield constant(unit_of(query.measure))
