"""Importers: an uploaded file (bytes, name, number format) -> observation rows and the problems in it.

Pure: plain data in, plain data out; no database, no request. The caller passes the code lists
(`CodeLists`) the file's codes and names are checked against, and writes nothing unless the
file has no problem at all: a file is accepted whole or rejected whole.

The layout is the long one every CSV export writes (one row per cell of the cube):

    measure,year,source,source_name,region,region_name,country_group,amount_usd_thousands,status,document,note

`amount` is accepted for `amount_usd_thousands`; `input_type` and `document_url` are optional
columns; `source_name` and `region_name` are ignored (the codes say it). Codes or names are
accepted for every dimension, and `_T`, `all` or `total` (any case) for the total member.

Numbers are never guessed: every amount written as text is read by the number format the user
chose, alone. A text amount that another common format would read differently (`12.426`) is
returned in `ambiguous`, with both readings, for the preview to point out. A cell that a
spreadsheet stores as a number has no format and is read exactly as stored.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .models import MIN_YEAR, TOTAL, Measure, Status

# Display label -> (thousands separators, decimal mark). The label is also the stored value and
# the command-line spelling, so what the user picks is what the history shows.
NUMBER_FORMATS = {
    "1,234.5": ((",",), "."),
    "1.234,5": ((".",), ","),
    # A space, a no-break space or a narrow no-break space (French typography) between thousands.
    "1 234,5": ((" ", "\u00a0", "\u202f"), ","),
    "1'234.5": (("'", "\u2019"), "."),
}
DEFAULT_NUMBER_FORMAT = "1,234.5"
NUMBER_FORMAT_NAMES = {
    "1,234.5": "1,234.5 (comma between thousands, point before decimals)",
    "1.234,5": "1.234,5 (point between thousands, comma before decimals)",
    "1 234,5": "1 234,5 (space between thousands, comma before decimals)",
    "1'234.5": "1'234.5 (apostrophe between thousands, point before decimals)",
}

TOTAL_ALIASES = ("_t", "all", "total")
REQUIRED_COLUMNS = ("measure", "year", "source", "region", "amount_usd_thousands")
OPTIONAL_COLUMNS = ("country_group", "input_type", "status", "document", "document_url", "note")
# Names are for people (the codes say it); percentages are what an export adds for value=share|change.
IGNORED_COLUMNS = (
    "source_name",
    "region_name",
    "country_group_name",
    "input_type_name",
    "share_percent",
    "change_percent",
)
AMOUNT_ALIASES = ("amount",)
DIMENSIONS = ("source", "region", "country_group", "input_type")
DIMENSION_WORDS = {
    "source": "source of funds",
    "region": "region",
    "country_group": "country group",
    "input_type": "type of input",
}
# Totals may differ from the sum of their parts by the ILO's rounding: 1 thousand US dollars.
TOTAL_TOLERANCE = 1000
MAX_AMOUNT_THOUSANDS = Decimal(10**9)  # a trillion dollars: far above any real figure

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# Limits on an XLSX (a zip of XML files) checked before it is parsed, so that a small file cannot
# expand into gigabytes. A real 100,000-row workbook is about 30 MB unpacked, at ratios under 20.
XLSX_MAX_MEMBERS = 200
XLSX_MAX_UNPACKED = 200 * 1024 * 1024
XLSX_MAX_RATIO = 200
XLSX_RATIO_FLOOR = 1024 * 1024  # small members may compress extremely well and harmlessly


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: the row (1 is the header; None for the whole file), the column, a message."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        where = (
            f"Row {self.row}, column {self.column}: "
            if self.row
            else (f"Column {self.column}: " if self.column else "")
        )
        return f"{where}{self.message}"


@dataclass(frozen=True)
class CodeLists:
    """What the file's codes are checked against.

    `aliases[dim]` maps every accepted spelling, lower-cased (code, English or French name, and
    for the total member `_t`/`all`/`total`), to the code; `parts[dim]` lists the codes whose sum
    is the dimension's total (the top-level members other than `_T`).
    """

    aliases: dict
    parts: dict


@dataclass
class ReadResult:
    """What `read_upload` found: rows ready for `services.publish_release`, problems, ambiguous amounts."""

    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems


def code_lists_from(members):
    """{dim: [{"code", "name", "name_fr", "parent_id"}...]} -> CodeLists (measures are added here)."""
    aliases = {}
    parts = {}
    for dim, rows in members.items():
        spellings = {}
        for member in rows:
            for spelling in (member["code"], member.get("name", ""), member.get("name_fr", "")):
                if spelling:
                    spellings[_key(spelling)] = member["code"]
            if member["code"] == TOTAL:
                for alias in TOTAL_ALIASES:
                    spellings[alias] = TOTAL
        aliases[dim] = spellings
        parts[dim] = tuple(m["code"] for m in rows if m["code"] != TOTAL and not m.get("parent_id"))
    aliases["measure"] = {}
    for value, label in Measure.choices:
        aliases["measure"][value] = value
        aliases["measure"][_key(label)] = value
    return CodeLists(aliases=aliases, parts=parts)


def _key(text):
    return " ".join(str(text).split()).lower()


# --- Numbers --------------------------------------------------------------------------------------


def _format_pattern(separators, decimal_mark):
    sep = "|".join(re.escape(s) for s in separators)
    dec = re.escape(decimal_mark)
    return re.compile(rf"^(?:\d{{1,3}}(?:(?:{sep})\d{{3}})+|\d+)(?:{dec}(\d+))?$")


PATTERNS = {name: _format_pattern(*spec) for name, spec in NUMBER_FORMATS.items()}


def read_number(text, number_format):
    """Text -> Decimal read by `number_format` alone, or None when it is not a number in that format.

    Thousands separators must group three digits (`12,34` is not a number in 1,234.5).
    """
    text = text.strip()
    if not PATTERNS[number_format].match(text):
        return None
    separators, decimal_mark = NUMBER_FORMATS[number_format]
    for sep in separators:
        text = text.replace(sep, "")
    return Decimal(text.replace(decimal_mark, "."))


def other_readings(text, number_format):
    """[(format, Decimal)] for every other common format that reads `text` as a different number."""
    mine = read_number(text, number_format)
    readings = []
    for other in NUMBER_FORMATS:
        if other == number_format:
            continue
        value = read_number(text, other)
        if value is not None and value != mine and all(value != v for _, v in readings):
            readings.append((other, value))
    return readings


def _plain(value):
    """A Decimal as plain text, without exponent or trailing zeros: 12.426, 12426."""
    return format(value.normalize(), "f")


# --- Reading the file into a table of text --------------------------------------------------------


class FileRejected(Exception):
    """The file as a whole cannot be read; `problem` says why."""

    def __init__(self, message, column=""):
        super().__init__(message)
        self.problem = Problem(row=None, column=column, message=message)


def _extension(file_name):
    name = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def size_text(size):
    """A number of bytes for people: 812 bytes, 40 KB, 5.0 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _check_size(data, max_bytes):
    if not data:
        raise FileRejected("The file is empty.")
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRejected(f"The file is {size_text(len(data))}; the limit is {size_text(max_bytes)}.")


def _csv_table(data):
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise FileRejected(
            "The file is named .csv but is an Excel workbook. Name it .xlsx, or save it as 'CSV UTF-8' in Excel."
        )
    if b"\x00" in data:
        raise FileRejected("The file is not a CSV file: it holds binary data, not text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            "The file is not UTF-8 text. In Excel, use Save As and choose 'CSV UTF-8 (Comma delimited)'."
        ) from None
    if not text.strip():
        raise FileRejected("The file is empty.")
    header_line = text.lstrip("\r\n").split("\n", 1)[0]
    # The header has no numbers in it, so its separator is unambiguous; amounts may hold commas.
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise FileRejected(f"The file is not valid CSV: {exc}.") from None


def _check_zip(data):
    """Refuse an XLSX that is not a real workbook, or would unpack into far more than it weighs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected("The file is not a valid Excel workbook (.xlsx): it is damaged or not a workbook.") from None
    with archive:
        if len(members) > XLSX_MAX_MEMBERS:
            raise FileRejected(f"The workbook holds {len(members)} parts; a real one holds far fewer. It was not read.")
        if "xl/workbook.xml" not in {m.filename for m in members}:
            raise FileRejected("The file is a zip archive but not an Excel workbook (.xlsx).")
        declared = sum(m.file_size for m in members)
        if declared > XLSX_MAX_UNPACKED:
            raise FileRejected(
                f"The workbook would unpack to {size_text(declared)} (limit {size_text(XLSX_MAX_UNPACKED)}); "
                "it was not read."
            )
        for member in members:
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO:
                raise FileRejected(
                    f"The workbook part {member.filename} is compressed {ratio} times; "
                    "the file looks like a zip bomb and was not read."
                )
        # The sizes above are what the archive claims; count what it really unpacks to, in chunks.
        unpacked = 0
        try:
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > XLSX_MAX_UNPACKED:
                            raise FileRejected(
                                f"The workbook unpacks to more than {size_text(XLSX_MAX_UNPACKED)}; "
                                "the file looks like a zip bomb and was not read."
                            )
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
            raise FileRejected("The file is not a valid Excel workbook (.xlsx): it is damaged.") from None


def _xlsx_table(data):
    if data.startswith(OLE2_MAGIC):
        raise FileRejected(
            "The workbook is password-protected (or is an old .xls file). "
            "Remove the password and save it as an Excel Workbook (.xlsx)."
        )
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected("The file is named .xlsx but is not an Excel workbook.")
    _check_zip(data)
    import pandas as pd  # heavy: imported only when a workbook is read

    try:
        # dtype=object, not str: a cell Excel stores as a number has no number format and must
        # not be re-read by one (12.426 stored as a number is 12.426 whatever the user picked).
        # keep_default_na=False: "NA" is a code (Namibia), not a missing value.
        frame = pd.read_excel(
            io.BytesIO(data), engine="calamine", header=None, dtype=object, keep_default_na=False, sheet_name=0
        )
    except Exception:  # calamine raises its own error types for every kind of broken workbook
        raise FileRejected("The file is not a valid Excel workbook (.xlsx): it could not be read.") from None
    return frame.values.tolist()


# --- Rows -----------------------------------------------------------------------------------------


def _header(cells, problems):
    """Header cells -> {column name: index}; problems for unknown, repeated or missing columns."""
    columns = {}
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + IGNORED_COLUMNS
    for index, cell in enumerate(cells):
        name = _key(cell).replace(" ", "_")
        if not name:
            continue
        if name in AMOUNT_ALIASES:
            name = "amount_usd_thousands"
        if name in columns:
            problems.append(Problem(1, str(cell), f"The column '{cell}' appears twice."))
        elif name not in known:
            problems.append(
                Problem(
                    1, str(cell), f"Unknown column '{cell}'. Columns: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}."
                )
            )
        else:
            columns[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(Problem(1, name, f"The column '{name}' is missing."))
    return columns


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _year(value, max_year):
    if isinstance(value, bool):
        return None, "is not a year."
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            year = int(value)
        else:
            return None, f"'{value}' is not a year."
    else:
        text = _text(value)
        if not text:
            return None, "The year is missing."
        if not (text.isascii() and text.isdigit()):
            return None, f"'{text}' is not a year; write it as four digits, such as 1995."
        year = int(text)
    if not MIN_YEAR <= year <= max_year:
        return None, f"The year {year} is outside {MIN_YEAR}-{max_year}."
    return year, None


def _amount(value, number_format, column):
    """Cell -> (whole dollars, problem message, ambiguity or None)."""
    ambiguity = None
    if isinstance(value, bool):
        return None, f"'{value}' is not a number.", None
    if isinstance(value, int):
        thousands = Decimal(value)
    elif isinstance(value, float):
        thousands = Decimal(repr(value))
    else:
        text = _text(value)
        if not text:
            return None, "The amount is empty. Leave out a row that has no figure: a missing year is not a zero.", None
        if text[0] in "-\u2212(":
            return None, f"'{text}' is negative; amounts cannot be negative.", None
        thousands = read_number(text, number_format)
        if thousands is None:
            readers = [f for f in NUMBER_FORMATS if read_number(text, f) is not None]
            hint = f" It would be a number in the format {readers[0]}: choose that format." if readers else ""
            return None, f"'{text}' is not a number in the format {number_format}.{hint}", None
        others = other_readings(text, number_format)
        if others:
            ambiguity = {"text": text, "value": thousands, "others": others}
    if thousands < 0:
        return None, f"'{_plain(thousands)}' is negative; amounts cannot be negative.", None
    if thousands > MAX_AMOUNT_THOUSANDS:
        return None, f"'{_plain(thousands)}' thousand US dollars is too large to be a real figure.", None
    dollars = thousands * 1000
    if dollars != dollars.to_integral_value():
        return (
            None,
            f"'{_plain(thousands)}' has more than 3 decimals; amounts are in thousands of US dollars, "
            "so 3 decimals is one dollar.",
            None,
        )
    return int(dollars), None, ambiguity


STATUSES = {label: label for _, label in Status.choices}


def read_rows(table, *, number_format=DEFAULT_NUMBER_FORMAT, code_lists, max_year=None):
    """A table of cells (the header first) -> ReadResult. Every row is checked; nothing stops early."""
    result = ReadResult()
    problems = result.problems
    max_year = max_year or date.today().year + 1
    if not table or not any(_text(c) for c in table[0]):
        problems.append(Problem(None, "", "The file is empty."))
        return result
    columns = _header(table[0], problems)
    if problems:
        return result
    amount_column = next(
        (str(c).strip() for c in table[0] if _key(c).replace(" ", "_") in ("amount", "amount_usd_thousands")),
        "amount_usd_thousands",
    )
    seen = {}
    for number, cells in enumerate(table[1:], start=2):
        if not any(_text(c) for c in cells):
            continue  # blank lines between blocks are harmless

        def cell(name, cells=cells):
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        row = {"line": number}
        bad = False
        measure_text = _text(cell("measure"))
        measure = code_lists.aliases["measure"].get(_key(measure_text))
        if measure is None:
            bad = True
            problems.append(
                Problem(number, "measure", f"Unknown measure '{measure_text}'. Use expenditure or approvals.")
                if measure_text
                else Problem(number, "measure", "The measure is missing; use expenditure or approvals.")
            )
        row["measure"] = measure
        year, message = _year(cell("year"), max_year)
        if message:
            bad = True
            problems.append(Problem(number, "year", message))
        row["year"] = year
        for dim in DIMENSIONS:
            text = _text(cell(dim)) if dim in columns else ""
            if not text and dim in ("country_group", "input_type"):
                row[dim] = TOTAL
                continue
            code = code_lists.aliases[dim].get(_key(text))
            if code is None:
                bad = True
                known = ", ".join(c for c in code_lists.parts[dim]) + ", or _T for all"
                what = DIMENSION_WORDS[dim]
                if "+" in text:
                    message = (
                        f"'{text}' is a sum of several members the export was filtered to, not a published "
                        f"figure. Export the view without choosing several of them."
                    )
                elif text:
                    message = f"Unknown {what} '{text}'. Known codes: {known}."
                else:
                    message = f"The {what} is missing; write _T for the total."
                problems.append(Problem(number, dim, message))
            row[dim] = code
        dollars, message, ambiguity = _amount(cell("amount_usd_thousands"), number_format, amount_column)
        if message:
            bad = True
            problems.append(Problem(number, amount_column, message))
        row["amount"] = dollars
        status_text = _text(cell("status")).lower() or Status.PUBLISHED.label
        if status_text not in STATUSES:
            bad = True
            problems.append(
                Problem(number, "status", f"Unknown status '{status_text}'. Use one of: {', '.join(STATUSES)}.")
            )
        row["status"] = status_text
        row["document"] = _text(cell("document"))[:255]
        row["document_url"] = _text(cell("document_url"))[:500]
        row["note"] = _text(cell("note"))
        if bad:
            continue
        key = cell_key(row)
        if key in seen:
            problems.append(
                Problem(
                    number,
                    amount_column,
                    f"This is the same figure as row {seen[key]} ({describe_cell(row)}); give each figure once.",
                )
            )
            continue
        seen[key] = number
        if ambiguity:
            result.ambiguous.append(
                {"row": number, "column": amount_column, **ambiguity, "number_format": number_format}
            )
        result.rows.append(row)
    if not result.rows and not problems:
        problems.append(Problem(None, "", "The file has a header but no rows of figures."))
    if not problems:
        amounts = {cell_key(r): r["amount"] for r in result.rows}
        lines = {cell_key(r): r["line"] for r in result.rows}
        for check in check_totals(amounts, code_lists.parts, touched=amounts):
            if not check["ok"]:
                row_number = lines.get(check["total_cell"]) or min(lines[c] for c in check["part_cells"] if c in lines)
                problems.append(Problem(row_number, amount_column, total_message(check)))
    if problems:
        result.rows = []
        result.ambiguous = []
    return result


def read_upload(data, *, file_name, number_format=DEFAULT_NUMBER_FORMAT, code_lists, max_bytes=None, max_year=None):
    """File bytes + name + number format -> ReadResult (rows, problems, ambiguous amounts).

    `rows` are dicts in the form `services.publish_release` takes (measure, year, source, region,
    country_group, input_type codes; amount in whole US dollars; status label; document,
    document_url, note; and `line`, the row of the file). When there is any problem, `rows` is empty.
    """
    if number_format not in NUMBER_FORMATS:
        return ReadResult(problems=[Problem(None, "", f"Unknown number format '{number_format}'.")])
    try:
        _check_size(data, max_bytes)
        extension = _extension(file_name)
        if extension == "csv":
            table = _csv_table(data)
        elif extension == "xlsx":
            table = _xlsx_table(data)
        else:
            shown = f".{extension}" if extension else "a file without an extension"
            raise FileRejected(f"Upload a .csv or .xlsx file, not {shown}.")
    except FileRejected as rejected:
        return ReadResult(problems=[rejected.problem])
    return read_rows(table, number_format=number_format, code_lists=code_lists, max_year=max_year)


# --- Parts and totals -----------------------------------------------------------------------------

CELL_FIELDS = ("measure", "country_group", "year", "source", "region", "input_type")
DIM_INDEX = {"source": 3, "region": 4, "input_type": 5}


def cell_key(row):
    """A row's cell as codes: (measure, country_group, year, source, region, input_type)."""
    return tuple(row[f] for f in CELL_FIELDS)


def describe_cell(row_or_key):
    """A cell in words: 'expenditure 1995, source rbtc, region _T'."""
    key = row_or_key if isinstance(row_or_key, tuple) else cell_key(row_or_key)
    measure, group, year, source, region, input_type = key
    text = f"{measure} {year}, source {source}, region {region}"
    if group != TOTAL:
        text += f", group {group}"
    if input_type != TOTAL:
        text += f", type of input {input_type}"
    return text


def check_totals(amounts, parts, *, touched, tolerance=TOTAL_TOLERANCE):
    """Check each total against the sum of its parts, for every total or part in `touched`.

    `amounts`: {cell key (codes): whole dollars}; `parts`: CodeLists.parts. A total is checked
    along each dimension (source, region, type of input) for which every part is present; with a
    part missing there is nothing to check (missing is not zero). Returns a list of dicts
    {"dimension", "total_cell", "part_cells", "total", "sum", "difference", "ok"}, one per check.
    """
    checks = []
    for key, total in amounts.items():
        for dim, index in DIM_INDEX.items():
            if key[index] != TOTAL or not parts.get(dim):
                continue
            part_cells = [key[:index] + (code,) + key[index + 1 :] for code in parts[dim]]
            if not all(c in amounts for c in part_cells):
                continue
            if key not in touched and not any(c in touched for c in part_cells):
                continue
            parts_sum = sum(amounts[c] for c in part_cells)
            difference = parts_sum - total
            checks.append(
                {
                    "dimension": dim,
                    "total_cell": key,
                    "part_cells": part_cells,
                    "total": total,
                    "sum": parts_sum,
                    "difference": difference,
                    "ok": abs(difference) <= tolerance,
                }
            )
    checks.sort(
        key=lambda c: (c["total_cell"][0], c["total_cell"][2], c["total_cell"][1], c["dimension"], c["total_cell"])
    )
    return checks


def thousands_text(dollars):
    """Whole dollars -> thousands as plain text with thousands separators: 112,930 or 12.426."""
    value = Decimal(dollars) / 1000
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def total_message(check):
    measure, group, year, *_ = check["total_cell"]
    what = {"source": "sources of funds", "region": "regions", "input_type": "types of input"}[check["dimension"]]
    scope = " for least developed countries" if group == "ldc" else ""
    return (
        f"The {measure} figures by {what} for {year}{scope} add up to {thousands_text(check['sum'])}, "
        f"but the total is {thousands_text(check['total'])}: a difference of "
        f"{thousands_text(abs(check['difference']))}, more than the rounding tolerance of "
        f"{thousands_text(TOTAL_TOLERANCE)}."
    )


# --- The upload template --------------------------------------------------------------------------

TEMPLATE_HEADER = (
    "measure",
    "year",
    "source",
    "source_name",
    "region",
    "region_name",
    "country_group",
    "amount_usd_thousands",
    "status",
    "document",
    "note",
)
# Real figures (1995 expenditure by source of funds, GB.273/TC/1 Appendix I table A), so that a
# template uploaded unchanged restates what is published and changes nothing.
TEMPLATE_DOCUMENT = "GB.273/TC/1 (Nov 1998) Appendix I table A"
TEMPLATE_ROWS = (
    ("expenditure", 1995, "rbtc", "Regular budget (RBTC)", "_T", "All regions", "_T", "12426"),
    ("expenditure", 1995, "undp", "UNDP", "_T", "All regions", "_T", "31211"),
    ("expenditure", 1995, "trust-funds", "Trust funds and multi-bi", "_T", "All regions", "_T", "61028"),
    ("expenditure", 1995, "unfpa", "UNFPA", "_T", "All regions", "_T", "8266"),
    ("expenditure", 1995, "_T", "All sources", "_T", "All regions", "_T", "112930"),
)
TEMPLATE_NOTES = (
    "One row per figure. Amounts in thousands of US dollars, at most 3 decimals.",
    "measure: expenditure or approvals. Codes or names are accepted; _T (or all, total) is the total.",
    "Leave out a figure you do not have: a missing year is not a zero.",
    "Optional columns: input_type (experts, training...), document_url. source_name and region_name are ignored.",
)


def template_table():
    """The upload template as a table of cells: the header, then example rows (real 1995 figures)."""
    return [list(TEMPLATE_HEADER)] + [
        [*row, "published", TEMPLATE_DOCUMENT, "example row: replace with your figures"] for row in TEMPLATE_ROWS
    ]


def template_csv():
    """The upload template as CSV bytes (UTF-8, comma separated), the layout of every CSV export."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(template_table())
    return out.getvalue().encode("utf-8")


def template_xlsx(code_rows=()):
    """The upload template as XLSX bytes: the figures sheet first (the one read), then the notes
    and `code_rows` ((dimension, code, name) triples) on a second sheet."""
    from openpyxl import Workbook  # writing a small file: openpyxl's speed is no concern here

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    for row in template_table():
        # Amounts as numbers: a cell Excel stores as a number is read exactly, whatever the format.
        sheet.append([int(cell) if index == 7 and str(cell).isdigit() else cell for index, cell in enumerate(row)])
    for column, width in zip("ABCDEFGHIJK", (12, 6, 12, 26, 12, 22, 13, 21, 11, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    help_sheet = workbook.create_sheet("Codes and notes")
    for note in TEMPLATE_NOTES:
        help_sheet.append([note])
    help_sheet.append([])
    help_sheet.append(["column", "code", "name"])
    for row in code_rows:
        help_sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
