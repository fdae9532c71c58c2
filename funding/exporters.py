"""Exporters: rows -> JSON / CSV / XLSX bytes. Pure: plain data in, plain data out.

A table is a header and an iterable of rows of typed cells: text is `str`, numbers are `int` or
`Decimal`, a missing value is `None`. The CSV and XLSX writers format those cells, so a number is
never mistaken for text (a negative change stays a number) and text is never taken for a formula.
"""

import csv
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .importers.template import TEMPLATE_HEADER

TOTAL = "_T"

# The upload template's columns: an export in the long layout uploads unchanged.
LONG_COLUMNS = TEMPLATE_HEADER
VALUE_COLUMNS = {"share": "share_percent", "change": "change_percent"}
WIDE_KEY_COLUMNS = ("source", "source_name", "region", "region_name")

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (openpyxl refuses them); tab, LF and CR are allowed.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

MEASURE_TITLES = {
    "expenditure": "ILO technical cooperation expenditure",
    "approvals": "ILO extra-budgetary technical cooperation approvals",
}
BREAKDOWN_TITLES = {
    "total": "total",
    "source": "by source of funds",
    "region": "by region",
    "source-region": "by region and source of funds",
}
VALUE_TITLES = {
    "amount": "amount in thousands of US dollars",
    "share": "share of the year's total, per cent",
    "change": "change on the previous year, per cent",
}
STATUS_NOTES = {
    "derived": "computed from published values (a sum of published parts, or a total taken from "
    "a companion table of the same document), not printed as such",
    "provisional": "provisional: the ILO may revise it",
    "rounded": "stated rounded in the text of the document (for example '$2.2 million'), not in a table",
    "estimated": "an estimate",
    "approximate": "stated approximately in the text of the document ('about', 'close to'), not in a table",
}
STANDING_NOTES = (
    "Amounts are in thousands of US dollars, as printed, excluding administrative expenditure.",
    "A year with no data is absent (an empty cell in the wide layout), never zero.",
    "Totals are the published totals; a total can differ from the sum of its parts by rounding.",
    "The by-source and by-region tables are separate views of the same money: never add them together.",
)
SOURCE_STATEMENT = (
    "Source: International Labour Office, Governing Body documents, as cited with each value. "
    "Compiled by tcdash, which adds no figures of its own."
)
LICENCE_STATEMENT = (
    "The figures are those published in ILO Governing Body documents; "
    "cite the ILO and the document given with each value."
)


def json_amount(amount: Decimal):
    """A Decimal as a JSON number without passing through binary floating point for integers.

    Whole amounts (all published ILO figures) become ints; others a float whose shortest repr is
    the same decimal text (at most 3 decimals: amounts are whole dollars in thousands).
    """
    if amount is None:
        return None
    integral = amount.to_integral_value()
    return int(integral) if amount == integral else float(amount)


def json_rows(rows):
    """Selector rows -> JSON-ready dicts (the `rows` of every `.json` twin)."""
    return [
        {
            "year": row["year"],
            "source": row["source"],
            "region": row["region"],
            "amount": json_amount(row["amount"]),
            "status": row["status"],
            "document": row["document"],
            **{key: json_amount(row[key]) for key in ("share", "change") if key in row},
        }
        for row in rows
    ]


# --- Cells -----------------------------------------------------------------------------------


def neutralise(text):
    """Text that a spreadsheet will show as text: a leading formula character gets a `'` before it."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def plain_number(number):
    """An int or Decimal as plain decimal text: `23531`, `1234.5`, `-12.40` (no exponent, no separator)."""
    return format(number, "f") if isinstance(number, Decimal) else str(number)


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return plain_number(value)


def xlsx_number(number):
    """An int or Decimal as an XLSX number: int when whole, else the float nearest the exact decimal.

    The float is built from the decimal's text, so 1234.5 is written `1234.5`, never `1234.49999`.
    """
    if isinstance(number, Decimal):
        integral = number.to_integral_value()
        return int(integral) if number == integral else float(str(number))
    return number


def xlsx_cell(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return neutralise(XLSX_ILLEGAL.sub("", value))
    return xlsx_number(value)


# --- Tables ----------------------------------------------------------------------------------


def _names(code_lists, lang):
    """{"source": {code: name}, "region": {code: name}} in English, or in French where one is given."""
    field = "name_fr" if lang == "fr" else "name"
    return {
        dim: {m["code"]: m.get(field) or m["name"] for m in code_lists[key]}
        for dim, key in (("source", "sources"), ("region", "regions"))
    }


def _order(code_lists):
    return {
        dim: {m["code"]: (m["order"], m["name"]) for m in code_lists[key]}
        for dim, key in (("source", "sources"), ("region", "regions"))
    }


def _member(row, dim, query, names):
    """(code, name, note) of one dimension of a selector row.

    A row whose dimension is None covers either all members (the published total, code `_T`) or
    the sum of the several members the user chose (joined with `+`: such a row is not a published
    cell and must not upload as the total).
    """
    code = row[dim]
    if code is not None:
        return code, names[dim].get(code, code), ""
    chosen = query.sources if dim == "source" else query.regions
    if not chosen:
        return TOTAL, names[dim][TOTAL], ""
    plural = "sources" if dim == "source" else "regions"
    return "+".join(chosen), " + ".join(names[dim].get(c, c) for c in chosen), f"sum of {len(chosen)} {plural}"


def long_table(rows, *, query, code_lists, lang="en"):
    """Selector rows -> (header, iterator of rows) in the long layout of the upload template.

    Rows are produced one by one from `rows` (any iterable), so the memory needed does not grow
    with their number. With value share or change the matching `*_percent` column is added last.
    """
    names = _names(code_lists, lang)
    extra = [VALUE_COLUMNS[query.value]] if query.value in VALUE_COLUMNS else []

    def cells():
        for row in rows:
            source, source_name, source_note = _member(row, "source", query, names)
            region, region_name, region_note = _member(row, "region", query, names)
            note = "; ".join(n for n in (row.get("note") or "", source_note, region_note) if n)
            yield [
                query.measure,
                row["year"],
                source,
                source_name,
                region,
                region_name,
                query.group,
                row["amount"],
                row["status"],
                row["document"] or "",
                note,
                *(row.get(query.value) for _ in extra),
            ]

    return [*LONG_COLUMNS, *extra], cells()


def wide_table(rows, *, query, code_lists, lang="en"):
    """Selector rows -> (header, list of rows) with years as columns, like the ILO's printed tables.

    One row per series (source and/or region), in the ILO's order, then the total rows last.
    Each cell holds the value the view shows (amount, share or change); a year without data is
    None (an empty cell), never 0. The caller includes the `total` breakdown's rows to get the
    TOTAL row. Needs every row at once (a pivot), but a view has at most a few dozen series.
    """
    names = _names(code_lists, lang)
    order = _order(code_lists)
    years = list(range(query.year_from, query.year_to + 1))
    position = {b: i for i, b in enumerate(query.by)}
    series = {}
    for row in rows:
        key = (row["breakdown"], row["source"], row["region"])
        if key not in series:
            source, source_name, _ = _member(row, "source", query, names)
            region, region_name, _ = _member(row, "region", query, names)
            series[key] = {"cells": [source, source_name, region, region_name], "values": {}}
        series[key]["values"][row["year"]] = row.get(query.value)

    def sort_key(key):
        breakdown, source, region = key
        return (
            breakdown == "total",
            position.get(breakdown, len(position)),
            order["source"].get(source, (-1, "")),
            order["region"].get(region, (-1, "")),
        )

    body = [
        series[key]["cells"] + [series[key]["values"].get(year) for year in years]
        for key in sorted(series, key=sort_key)
    ]
    return [*WIDE_KEY_COLUMNS, *(str(year) for year in years)], body


class _Echo:
    """A write-only file whose write() returns what it was given: lets csv.writer produce lines lazily."""

    def write(self, value):
        return value


def csv_chunks(header, rows, *, bom=False):
    """(header, rows) -> an iterator of UTF-8 encoded CSV lines (RFC 4180, CRLF), one per row.

    `bom=True` starts the file with a UTF-8 byte order mark, which Excel needs to read accents.
    """
    writer = csv.writer(_Echo())
    first = writer.writerow(header)
    yield (("\ufeff" if bom else "") + first).encode()
    for row in rows:
        yield writer.writerow([csv_cell(value) for value in row]).encode()


def csv_bytes(header, rows, *, bom=False):
    """The whole CSV file as bytes (small tables and tests)."""
    return b"".join(csv_chunks(header, rows, bom=bom))


# --- About: the facts that travel with the data ------------------------------------------------


def title(query, *, code_lists):
    """A one-line title: measure, breakdown, chosen members, countries, value and years."""
    names = _names(code_lists, "en")
    parts = [MEASURE_TITLES.get(query.measure, query.measure)]
    breakdowns = [BREAKDOWN_TITLES[b] for b in query.by if b != "total"]
    if breakdowns:
        parts.append(" and ".join(breakdowns))
    chosen = [names["source"].get(c, c) for c in query.sources] + [names["region"].get(c, c) for c in query.regions]
    text = " ".join(parts)
    if chosen:
        text += f" ({', '.join(chosen)})"
    if query.group != TOTAL:
        text += ", least developed countries"
    if query.value != "amount":
        text += f", {VALUE_TITLES[query.value]}"
    years = str(query.year_from) if query.year_from == query.year_to else f"{query.year_from}-{query.year_to}"
    return f"{text}, {years}"


def _filters(query):
    return {
        "from": query.year_from,
        "to": query.year_to,
        "by": list(query.by),
        "source": list(query.sources),
        "region": list(query.regions),
        "group": "all" if query.group == TOTAL else query.group,
        "value": query.value,
    }


def _describe(filters, code_lists):
    names = _names(code_lists, "en")
    sources = ", ".join(names["source"].get(c, c) for c in filters["source"]) or "all"
    regions = ", ".join(names["region"].get(c, c) for c in filters["region"]) or "all"
    return (
        f"Years {filters['from']}-{filters['to']}; "
        f"breakdown: {', '.join(BREAKDOWN_TITLES[b] for b in filters['by'])}; "
        f"sources: {sources}; regions: {regions}; "
        f"countries: {'least developed countries' if filters['group'] == 'ldc' else 'all'}; "
        f"value: {VALUE_TITLES[filters['value']]}"
    )


def _series_label(row, names):
    parts = [names["source"].get(row["source"]) if row["source"] else None]
    parts.append(names["region"].get(row["region"]) if row["region"] else None)
    label = ", ".join(p for p in parts if p)
    return f"{row['year']} ({label})" if label else str(row["year"])


def _documents(rows):
    seen = {}
    for row in rows:
        if row["document"] and row["document"] not in seen:
            seen[row["document"]] = row.get("document_url") or ""
    return [{"document": document, "url": url} for document, url in seen.items()]


def _status_notes(rows, code_lists):
    names = _names(code_lists, "en")
    by_status = {}
    for row in rows:
        if row["status"] != "published":
            by_status.setdefault(row["status"], []).append(_series_label(row, names))
    notes = []
    for status, labels in by_status.items():
        meaning = STATUS_NOTES.get(status, status)
        count = f"{len(labels)} value{'s' if len(labels) > 1 else ''}"
        notes.append(f"{count} {status}: {', '.join(labels)}. {meaning[0].upper()}{meaning[1:]}.")
    return notes


def about(query, *, code_lists, rows, releases, url, generated_at):
    """The facts that travel with an export (the JSON `meta` block, the XLSX "About" sheet).

    `rows` are the selector rows exported; `releases` the releases their values come from, as
    dicts {"id", "title", "published_at"} (a datetime or None); `url` the absolute URL that gives
    the same file again; `generated_at` an aware datetime. Returns plain JSON types only.
    """
    filters = _filters(query)
    return {
        "title": title(query, code_lists=code_lists),
        "filters": filters,
        "description": _describe(filters, code_lists),
        "unit": "USD thousands" if query.value == "amount" else f"USD thousands; {VALUE_TITLES[query.value]}",
        "releases": [
            {
                "id": release["id"],
                "title": release["title"],
                "published_at": release["published_at"].isoformat() if release["published_at"] else None,
            }
            for release in releases
        ],
        "documents": _documents(rows),
        "notes": [*_status_notes(rows, code_lists), *STANDING_NOTES],
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "url": url,
        "source": SOURCE_STATEMENT,
        "licence": LICENCE_STATEMENT,
    }


def about_rows(meta):
    """The `about` dict as (label, value) rows of the XLSX "About" sheet, one fact per row."""
    yield "Title", meta["title"]
    yield "Filters", meta["description"]
    yield "Unit", meta["unit"]
    yield "Reproduce", meta["url"]
    yield "Generated", meta["generated_at"]
    for release in meta["releases"]:
        published = release["published_at"] or "not published"
        yield "Release", f"{release['id']}: {release['title']} (published {published})"
    for document in meta["documents"]:
        yield "Document", f"{document['document']} {document['url']}".strip()
    for note in meta["notes"]:
        yield "Note", note
    yield "Source", meta["source"]
    yield "Licence", meta["licence"]


# --- XLSX ----------------------------------------------------------------------------------------


def write_xlsx(header, rows, *, meta, file):
    """Write an XLSX workbook to `file` (a binary file object): a "Data" sheet and an "About" sheet.

    openpyxl's write-only mode streams each sheet to a temporary file as rows arrive, so memory
    does not grow with the number of rows. Numbers are numeric cells; text is neutralised.
    """
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("Data")
    bold = Font(bold=True)
    data.freeze_panes = "A2"
    data.append([_bold_cell(data, name, bold) for name in header])
    for row in rows:
        data.append([xlsx_cell(value) for value in row])
    sheet = workbook.create_sheet("About")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 120
    for label, value in about_rows(meta):
        sheet.append([_bold_cell(sheet, label, bold), xlsx_cell(value)])
    workbook.save(file)


def _bold_cell(sheet, text, font):
    cell = WriteOnlyCell(sheet, value=xlsx_cell(text))
    cell.font = font
    return cell


# --- File names ------------------------------------------------------------------------------


def file_stem(query):
    """What a download is called, without extension: `tcdash-expenditure-by-source-1990-1996`.

    Breakdowns (`total`, `by-source`, `by-region`, `by-source-and-region`), then the chosen
    sources and regions, `-ldc` for the least developed countries, the value when not the amount,
    and the years.
    """
    dims = []
    for breakdown in query.by:
        for dim in ("source", "region"):
            if dim in breakdown and dim not in dims:
                dims.append(dim)
    dims.sort(key=("source", "region").index)
    parts = ["tcdash", query.measure, f"by-{'-and-'.join(dims)}" if dims else "total"]
    parts += [*query.sources, *query.regions]
    if query.group != TOTAL:
        parts.append(query.group)
    if query.value != "amount":
        parts.append(query.value)
    parts += [str(query.year_from), str(query.year_to)]
    return "-".join(parts)
