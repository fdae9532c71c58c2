"""Importers: an uploaded file (bytes, name, number format) -> observation rows and the problems in it.

Pure: plain data in, plain data out; no database, no request. The caller passes the code lists
(`CodeLists`) the file's codes and names are checked against, and writes nothing unless the
file has no problem at all: a file is accepted whole or rejected whole.

The layout is the long one every CSV export writes (one row per cell of the cube):

    measure,year,source,source_name,region,region_name,country_group,amount_usd_thousands,status,document,note

`amount` is accepted for `amount_usd_thousands`, and so is a column named for the measure's unit as the
exports name it (`countries` for the recipient countries); `input_type` and `document_url` are optional
columns; `source_name` and `region_name` are ignored (the codes say it). Codes or names are
accepted for every dimension, and `_T`, `all` or `total` (any case) for the total member.

Numbers are never guessed: every amount written as text is read by the number format the user
chose, alone. A text amount that another common format would read differently (`12.426`) is
returned in `ambiguous`, with both readings, for the preview to point out. A cell that a
spreadsheet stores as a number has no format and is read exactly as stored.

The package: `files` (what the upload really is, read into a table), `numbers` (number formats),
`totals` (totals against their parts; stated shares and counts of countries against what they are
of), `template` (the upload template); rows are checked here.
"""

import functools
import itertools
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import MAX_AMOUNT, MIN_YEAR, TOTAL, Measure, Status
from ..vocabulary import (
    CELL_DIMENSIONS,
    DIMENSION_WORDS,
    STATED_SHARES,
    UNIT_COLUMNS,
    crosses_input_type,
    in_a_list,
    in_every_language,
    name_field,
    unit_column,
    unit_of,
)
from .appendix import TOTAL_WORDS, member_key
from .files import (
    FileRejected,
    Problem,
    at_cell,
    counted,
    hidden_sheets_with_values,
    read_table,
    too_large_message,
)
from .layouts import (
    APPENDIX,
    LAYOUT_NAMES,
    LONG,
    WIDE,
    ReadOptions,
    Sheet,
    column_letter,
    detect_layout,
    merged_cell_problems,
    plain_key,
    read_layout,
)
from .numbers import (
    DEFAULT_NUMBER_FORMAT,
    NUMBER_FORMAT_NAMES,
    NUMBER_FORMATS,
    foreign_digits,
    grouped,
    other_readings,
    plain,
    read_number,
)
from .template import TEMPLATE_HEADER, template_csv, template_xlsx
from .texts import (
    PROVENANCE_COLUMNS,
    SpreadsheetError,
    beyond_header_message,
    cell_text,
    input_type_crossed_message,
    own_note,
    provenance_problem,
    read_status,
    summed_members_message,
    unguarded,
    unit_column_message,
    width,
    year_outside_message,
)
from .totals import (
    TOTAL_TOLERANCE,
    cell_key,
    check_of_which,
    check_stated,
    check_totals,
    describe_cell,
    of_which_message,
    parts_words,
    stated_message,
    thousands_text,
    total_message,
)
from .workbook import figures_hidden_message, sheet_names

TOTAL_ALIASES = ("_t", "all", "total")
# Every word a reader takes for the total (a file's codes, an appendix table's labels), as member_key
# writes it: no member of a code list may be spelt so.
TOTAL_KEYS = frozenset(map(member_key, (*TOTAL_ALIASES, *TOTAL_WORDS)))
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
    "unit",  # the measure's unit, which the measure fixes (vocabulary.MEASURE_UNITS)
)
# The value column may be named for its measure's unit, as the exports name it (vocabulary.UNIT_COLUMNS:
# `countries` for the recipient countries, `value` for a stated share in the data package); `amount` too.
AMOUNT_ALIASES = ("amount", *(column for column in UNIT_COLUMNS.values() if column != "amount_usd_thousands"))
# A column named for one unit holds that unit's values only: a `countries` column is never an amount.
# `amount_usd_thousands` and `value` also held the recipient countries in earlier exports and data
# packages, which upload back as they are, so they are read for any measure.
ANY_MEASURE_COLUMNS = ("amount_usd_thousands", "value")
UNIT_OF_COLUMN = {column: unit for unit, column in UNIT_COLUMNS.items() if column not in ANY_MEASURE_COLUMNS}
MAX_AMOUNT_THOUSANDS = Decimal(MAX_AMOUNT) / 1000  # models.MAX_AMOUNT, in thousands
# A share is of the year's total, so at most all of it; a count of countries is whole, and the world has
# fewer than 250 countries: a count above 300 is a typing slip (or an amount given the wrong measure).
MAX_PERCENT = Decimal(100)
MAX_COUNTRIES = 300
MAX_PROBLEMS = 200  # listed; past that the rows with problems are counted
# Past this many rows with problems beyond those listed, the rest of a file is counted, not checked:
# a file of junk costs milliseconds a thousand rows, not minutes.
MAX_COUNTED_ROWS = 10_000
LAYOUT_ROWS = 50  # the first rows of a file, enough to tell its layout (layouts.detect_layout)
# The columns that are part of a value besides its amount: a file without one keeps what is on record.
VALUE_COLUMNS = ("status", *PROVENANCE_COLUMNS)


@dataclass(frozen=True)
class CodeLists:
    """What the file's codes are checked against.

    `aliases[dim]` maps every accepted spelling, lower-cased (code, English, French or Spanish name, and
    for the total member `_t`/`all`/`total`), to the code, and `aliases["measure"]` each measure's code
    and name in each of the site's languages to its code; `parts[dim]` lists the codes whose sum
    is the dimension's total (the top-level members other than `_T`); `names[dim]` maps each code to
    its English name (for messages); `parents[dim]` maps each member under a parent (the
    multi-bilateral programme under trust funds) to its parent's code: a part of it, never added to it;
    `codes[dim]` lists every code the dimension's column accepts but the total, in the code list's
    order (members under a parent and those an administrator added included): the known codes a
    problem offers.
    """

    aliases: dict
    parts: dict
    names: dict = field(default_factory=dict)
    parents: dict = field(default_factory=dict)
    codes: dict = field(default_factory=dict)


@dataclass
class ReadResult:
    """What `read_upload` found: rows ready for `services.publish_release`, problems, ambiguous amounts,
    the optional value columns the file has (`columns`) and, for a workbook, the sheet read."""

    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)
    # The layout read (layouts.LONG, WIDE, APPENDIX); for wide and appendix files, the tables as
    # read (appendix.Table), the cross-checks that failed (`mismatches`: printed shares, changes and
    # totals that do not match the amounts; the rows are kept for the preview, nothing is published),
    # every printed share or change compared, and the sheets read and the hidden ones left out.
    layout: str = "long"
    tables: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)
    share_checks: list = field(default_factory=list)
    sheets: list = field(default_factory=list)
    hidden_sheets: list = field(default_factory=list)
    # The optional value columns a long file has (one it lacks keeps what is on record), and for a
    # workbook the sheet its first table was read from: {"name", "hidden"}.
    columns: tuple = ()
    sheet: dict | None = None
    # The row of a long file's header (its first row with anything in it), once found.
    header_row: int | None = None
    # The value column as a long file names it (`amount`, `countries`, `value`...), for the problems
    # found against the live values; a wide or appendix file's are at their cells.
    amount_column: str = "amount_usd_thousands"

    @property
    def ok(self):
        return not self.problems and not self.mismatches


def code_lists_from(members):
    """{dim: [{"code", "name", "name_fr", "name_es", "parent__code"}...]} -> CodeLists (measures are added here)."""
    aliases = {}
    parts = {}
    parents = {}
    codes = {}
    for dim, rows in members.items():
        spellings = {}
        for member in rows:
            for spelling in (
                member["code"],
                member.get("name", ""),
                member.get("name_fr", ""),
                member.get("name_es", ""),
            ):
                if spelling:
                    spellings[plain_key(spelling)] = member["code"]
            if member["code"] == TOTAL:
                for alias in TOTAL_ALIASES:
                    spellings[alias] = TOTAL
        aliases[dim] = spellings
        parts[dim] = tuple(m["code"] for m in rows if m["code"] != TOTAL and not m.get("parent__code"))
        parents[dim] = {m["code"]: m["parent__code"] for m in rows if m.get("parent__code")}
        codes[dim] = tuple(m["code"] for m in rows if m["code"] != TOTAL)
    # A measure by its code or its name in any of the site's languages, as a member by its names.
    aliases["measure"] = {}
    for value, label in Measure.choices:
        aliases["measure"][value] = value
        for name in in_every_language(label).values():
            aliases["measure"][plain_key(name)] = value
    # Names in the active language, as a problem or the preview shows them (the English name where there is none).
    field = name_field()
    names = {
        dim: {m["code"]: m.get(field) or m.get("name") or m["code"] for m in rows} for dim, rows in members.items()
    }
    return CodeLists(aliases=aliases, parts=parts, names=names, parents=parents, codes=codes)


def _header(cells, problems, row=1):
    """Header cells (of row `row` of the file) -> {column name: index}; problems for unknown, repeated or
    missing columns."""
    columns = {}
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS + IGNORED_COLUMNS
    for index, cell in enumerate(cells):
        name = plain_key(cell).replace(" ", "_")
        if not name:
            continue
        if name in AMOUNT_ALIASES:
            name = "amount_usd_thousands"
        if name in columns:
            problems.append(Problem(row, str(cell), _("The column '%(column)s' appears twice.") % {"column": cell}))
        elif name not in known:
            problems.append(
                Problem(
                    row,
                    str(cell),
                    _("Unknown column '%(column)s'. Columns: %(known)s.")
                    % {"column": cell, "known": ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)},
                )
            )
        else:
            columns[name] = index
    for name in REQUIRED_COLUMNS:
        if name not in columns:
            problems.append(Problem(row, name, _("The column '%(column)s' is missing.") % {"column": name}))
    return columns


def _text(value):
    return unguarded(cell_text(value))


def _not_finite(value):
    """A float NaN or infinity (a workbook may hold `<v>NaN</v>`) -> its words, else None."""
    if isinstance(value, float) and not math.isfinite(value):
        return _("NaN (not a number)") if math.isnan(value) else _("infinity")
    return None


def _date_year_message(value, max_year):
    """A workbook's year cell formatted as a date: the year typed into it is stored as that day's serial
    number (1995 shows as 17/06/1905), so the problem says what the cell holds and how to show it."""
    serial = (value - datetime(1899, 12, 30)).days if isinstance(value, datetime) else None
    if serial is not None and MIN_YEAR <= serial <= max_year:
        return _(
            "The cell is formatted as a date, so the year %(serial)s typed into it reads as the date %(date)s: "
            "format the column as Number (or General) and write the year as four digits, such as 1995."
        ) % {"serial": serial, "date": value.date().isoformat()}
    return _(
        "The cell holds the date %(date)s, not a year: format the column as Number (or General) and write the "
        "year as four digits, such as 1995."
    ) % {"date": value.date().isoformat() if isinstance(value, datetime) else value.isoformat()}


def _year(value, max_year):
    if isinstance(value, bool):
        return None, _("'%(value)s' is not a year.") % {"value": value}
    if _not_finite(value):
        return None, _("The cell holds %(words)s, not a year; write it as four digits, such as 1995.") % {
            "words": _not_finite(value)
        }
    if isinstance(value, date):
        return None, _date_year_message(value, max_year)
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            year = int(value)
        else:
            return None, _("'%(value)s' is not a year.") % {"value": value}
    else:
        text = _text(value)
        if not text:
            return None, _("The year is missing.")
        script = foreign_digits(text)
        if script:
            return None, _(
                "'%(text)s' is written in %(script)s digits; write the year with the digits 0-9, such as 1995."
            ) % {"text": text, "script": script}
        if not (text.isascii() and text.isdigit()):
            return None, _("'%(text)s' is not a year; write it as four digits, such as 1995.") % {"text": text}
        year = int(text)
    if not MIN_YEAR <= year <= max_year:
        return None, year_outside_message(year, max_year)
    return year, None


def _amount(value, number_format, column, measure=None):
    """Cell -> (whole dollars, problem message, ambiguity or None). Whole dollars are 1,000 times the
    value in its measure's unit (vocabulary.MEASURE_UNITS), which `measure` (when known) bounds."""
    if isinstance(value, bool):
        return None, _("'%(value)s' is not a number.") % {"value": value}, None
    if isinstance(value, SpreadsheetError):
        message = _(
            "The cell holds the spreadsheet error %(error)s, not an amount. Correct the formula or write the figure."
        )
        return None, message % {"error": value}, None
    if _not_finite(value):
        words = _not_finite(value)
        message = _("The cell holds %(words)s, not an amount. Write the figure, or leave out the row.")
        return None, message % {"words": words}, None
    if isinstance(value, int):
        thousands, ambiguity = Decimal(value), None
    elif isinstance(value, float):
        thousands, ambiguity = Decimal(repr(value)), None
    else:
        thousands, message, ambiguity = _thousands_of_text(_text(value), number_format)
        if message:
            return None, message, None
    # The unit's own bounds first: a count or a share out of range is told in countries or per cent,
    # never in the thousands of US dollars _out_of_range speaks of.
    message = _outside_unit(thousands, measure) or _out_of_range(thousands)
    if message:
        return None, message, None
    return int(thousands * 1000), None, ambiguity


def _thousands_of_text(text, number_format):
    """An amount written as text -> (thousands, problem message, ambiguity or None), read by
    `number_format` alone; another format's reading of it is the ambiguity."""
    if not text:
        return (
            None,
            _("The amount is empty. Leave out a row that has no figure: a missing year is not a zero."),
            None,
        )
    script = foreign_digits(text)
    if script:
        message = _("'%(text)s' is written in %(script)s digits; write amounts with the digits 0-9.")
        return None, message % {"text": text, "script": script}, None
    negative = text[0] in "-\u2212("
    unsigned = text.lstrip("-\u2212") if text[0] != "(" else text
    thousands = read_number(unsigned, number_format)
    if negative:
        # "-0" is a zero with a sign, not a negative amount.
        if thousands is None or thousands != 0:
            return None, _("'%(text)s' is negative; amounts cannot be negative.") % {"text": text}, None
        return thousands, None, None
    if thousands is None:
        return None, _not_in_the_format(text, number_format), None
    others = other_readings(text, number_format)
    return thousands, None, {"text": text, "value": thousands, "others": others} if others else None


def _not_in_the_format(text, number_format):
    """The problem of a text that `number_format` does not read, naming a format that would."""
    readers = [f for f in NUMBER_FORMATS if read_number(text, f) is not None]
    message = _("'%(text)s' is not a number in the format %(format)s.") % {
        "text": text,
        "format": number_format,
    }
    if readers:
        message += " " + _("It would be a number in the format %(format)s: choose that format.") % {
            "format": readers[0]
        }
    return message


def _out_of_range(thousands):
    """The problem of an amount (in thousands) that cannot be a figure: negative, too large, or finer
    than a dollar; else None."""
    if thousands < 0:
        return _("'%(text)s' is negative; amounts cannot be negative.") % {"text": plain(thousands)}
    if thousands > MAX_AMOUNT_THOUSANDS:
        # Not quoted: the cell is named, and 1e300 written out is 301 digits.
        message = _(
            "The amount is more than %(limit)s thousand US dollars (a trillion dollars), the largest accepted: "
            "no real figure comes near it."
        )
        return message % {"limit": grouped(MAX_AMOUNT_THOUSANDS)}
    dollars = thousands * 1000
    if dollars != dollars.to_integral_value():
        return _(
            "'%(amount)s' has more than 3 decimals; amounts are in thousands of US dollars, "
            "so 3 decimals is one dollar."
        ) % {"amount": plain(thousands)}
    return None


def _outside_unit(value, measure):
    """The problem of a value its measure's unit cannot hold (a share above 100 per cent or finer than
    0.001 per cent, a count of countries that is fractional or above MAX_COUNTRIES); else None, and None
    when the measure is not known."""
    unit = unit_of(measure) if measure else None
    if unit == "percent-of-total" and value > MAX_PERCENT:
        message = _("'%(value)s' per cent is more than 100: a share of the year's total is between 0 and 100 per cent.")
        return message % {"value": _quoted(value)}
    if unit == "percent-of-total" and value * 1000 != (value * 1000).to_integral_value():
        message = _("'%(value)s' has more than 3 decimals; a share is kept to 3 decimals of a per cent.")
        return message % {"value": _quoted(value)}
    if unit == "countries" and value != value.to_integral_value():
        message = _("'%(value)s' is not a whole number: recipient countries are counted in whole countries.")
        return message % {"value": _quoted(value)}
    if unit == "countries" and value > MAX_COUNTRIES:
        message = _(
            "'%(value)s' countries is more than %(max)s: there are fewer than 250 countries, so a count of "
            "recipient countries cannot be larger."
        )
        return message % {"value": _quoted(value), "max": MAX_COUNTRIES}
    return None


def _quoted(value):
    """A value as a problem quotes it: as written, but never as the hundreds of digits of 1e300 (1.000e+300).
    Made only for a problem: every amount of a file passes through _outside_unit."""
    text = plain(value)
    return text if len(text) <= 20 else f"{value:.3e}"


class _Problems(list):
    """The problems of a file, listed up to MAX_PROBLEMS; past that only the rows are counted, so a
    file of junk costs little memory, and the list ends with "and N more rows with problems"."""

    def __init__(self, limit=MAX_PROBLEMS):
        super().__init__()
        self.limit = limit
        self.more_rows = 0
        self.unchecked_rows = 0
        self._last_row = None
        self._listed_rows = set()

    def append(self, problem):
        if len(self) < self.limit:
            super().append(problem)
            self._listed_rows.add(problem.row)
        elif problem.row not in self._listed_rows and problem.row != self._last_row:
            self.more_rows += 1
            self._last_row = problem.row

    @property
    def full(self):
        """True once enough rows with problems are counted: the rest of the file need not be checked."""
        return self.more_rows >= MAX_COUNTED_ROWS

    def close(self):
        """Add the count of the rows with problems that are not listed (and of those not checked)."""
        if self.more_rows:
            words = ngettext(
                "... and %(count)s more row with problems (not listed)",
                "... and %(count)s more rows with problems (not listed)",
                self.more_rows,
            ) % {"count": grouped(self.more_rows)}
            if self.unchecked_rows:
                words += ngettext(
                    ", then %(count)s row not checked", ", then %(count)s rows not checked", self.unchecked_rows
                ) % {"count": grouped(self.unchecked_rows)}
            words += _(". Correct the first %(limit)s and upload again to see the rest.") % {"limit": self.limit}
            super().append(Problem(None, "", words, closing=True))
        return list(self)


def _remembered(function):
    """`function` of one cell, computed once per distinct cell (by type and value) of a file."""
    memo = {}

    def remembered(value):
        key = (type(value), value)
        try:
            return memo[key]
        except KeyError:
            memo[key] = function(value)
            return memo[key]
        except TypeError:  # an unhashable cell: computed each time
            return function(value)

    return remembered


def _each_distinct(function, keys, wrong):
    """[function(key) for key in keys()], computed once per distinct key, where `function` gives (value,
    the problem's message or None, ...); the places of the keys with a problem are added to `wrong`.
    `keys` makes the keys afresh each time it is called (an iterator): a key is held only while it is
    looked up, so reading a column makes no object per cell for the garbage collector to walk."""
    try:
        found = dict.fromkeys(keys())
    except TypeError:  # an unhashable cell: every row is read()'s
        wrong.update(range(sum(1 for _ in keys())))
        return []
    bad = set()
    for key in found:
        found[key] = read = function(key)
        if read[1] is not None:
            bad.add(key)
    if bad:
        wrong.update(i for i, key in enumerate(keys()) if key in bad)
    return list(map(found.__getitem__, keys()))


def read_rows(table, *, number_format=DEFAULT_NUMBER_FORMAT, code_lists, max_year=None):
    """A table of cells (the header first, after any blank rows; any iterable of rows) -> ReadResult.

    Every row is checked; the first MAX_PROBLEMS problems are listed, then the rows with more are
    counted. `ReadResult.columns` names the optional value columns the file has: a row carries
    `status`, `document`, `document_url` and `note` only when its file has that column, so that a
    file without one keeps what is on record (services fills them in from the live value).
    """
    result = ReadResult()
    problems = _Problems()
    rows = iter(table)
    # The header is the first row with anything in it, as layouts.detect_layout reads it: Excel's CSV
    # of a sheet whose first row is empty starts with `,,,,`. Rows keep their numbers in the file.
    header_row, header = 0, None
    for cells in rows:
        header_row += 1
        if any(_text(c) for c in cells):
            header = cells
            break
    if header is None:
        result.problems = [Problem(None, "", _("The file is empty."))]
        return result
    result.header_row = header_row
    columns = _header(header, problems, row=header_row)
    if problems:
        result.problems = problems.close()
        return result
    result.columns = tuple(c for c in VALUE_COLUMNS if c in columns)
    result.amount_column = _amount_column(header)
    reader = _RowReader(
        columns,
        width=width(header),
        amount_column=result.amount_column,
        number_format=number_format,
        code_lists=code_lists,
        max_year=max_year or date.today().year + 1,
    )
    seen = _read_every_row(reader, rows, header_row + 1, problems, result, number_format)
    if not seen and not problems:
        problems.append(Problem(None, "", _("The file has a header but no rows of figures.")))
    if not problems:
        _check_row_totals(result.rows, seen, code_lists, reader.amount_column, problems)
    if problems:
        for problem in pointed_out(result.ambiguous, layout=LONG):
            problems.append(problem)
    result.problems = problems.close()
    if result.problems:
        result.rows = []
        result.ambiguous = []
    return result


# The rows read at a time (_RowReader.read_many): enough for its columns to pay, few for the memory.
CHUNK_ROWS = 5000


def _read_every_row(reader, rows, first, problems, result, number_format):
    """Read the rows after the header (the first is the file's row `first`) into `result.rows`,
    `result.ambiguous` and `problems`, as read_rows says; returns {cell key: its row's number} of the
    cells given."""
    seen = {}
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
        clean, read = reader.read_many(first, chunk)
        if clean is not None and _given_once_each(clean, read, seen, result, reader.amount_column, number_format):
            if not problems:
                result.rows += clean
        else:
            read = read if clean is None else [(row, [], ambiguity) for row, ambiguity in zip(clean, read, strict=True)]
            for offset, found in enumerate(read):
                if found is None:
                    continue  # blank lines between blocks are harmless
                row, row_problems, ambiguity = found
                for problem in row_problems:
                    problems.append(problem)
                if row_problems:
                    if problems.full:
                        # Counted as quickly as a row can be: a cell of spaces makes a row count as not blank.
                        rest = itertools.chain(chunk[offset + 1 :], rows)
                        problems.unchecked_rows = sum(1 for cells in rest if any(cells))
                        return seen
                    continue
                if not _given_once(row, seen, problems, reader.amount_column):
                    continue
                _note_ambiguity(result, ambiguity, row["line"], reader.amount_column, number_format)
                if problems:
                    continue  # the file is refused: keeping its rows would only cost memory
                result.rows.append(row)
        first += len(chunk)
    return seen


def _given_once_each(rows, ambiguities, seen, result, amount_column, number_format):
    """What the row by row loop of _read_every_row does with `rows` read clean, done at once when each
    gives a cell no row before it gave: True then, else False with nothing done (the loop says which
    rows repeat a cell)."""
    given = dict(zip(map(cell_key, rows), (row["line"] for row in rows), strict=True))
    if len(given) < len(rows) or not seen.keys().isdisjoint(given):
        return False
    seen.update(given)
    for row, ambiguity in zip(rows, ambiguities, strict=True):
        if ambiguity:
            _note_ambiguity(result, ambiguity, row["line"], amount_column, number_format)
    return True


def _note_ambiguity(result, ambiguity, number, column, number_format):
    """An amount of row `number` that another number format reads differently, listed (up to MAX_PROBLEMS)."""
    if ambiguity and len(result.ambiguous) < MAX_PROBLEMS:
        result.ambiguous.append({"row": number, "column": column, **ambiguity, "number_format": number_format})


def pointed_out(ambiguous, *, layout):
    """The other readings of a refused file's ambiguous amounts (ReadResult.ambiguous), as problems: a
    file refused for a total that does not add up may be one read in the wrong number format, and the
    preview that would point them out is not shown for a refused file. `layout` says how an item names
    its cell (the column of a long file; the address of a wide or appendix one)."""
    problems = []
    for item in ambiguous:
        others = in_a_list(
            _("%(value)s in the format %(format)s") % {"value": grouped(Decimal(str(v))), "format": f}
            for f, v in item["others"]
        )
        message = _(
            "'%(text)s' is read as %(value)s in the number format chosen (%(format)s); it would be %(others)s. "
            "If the file is written that way, choose that format."
        ) % {
            "text": item["text"],
            "value": grouped(Decimal(str(item["value"]))),
            "format": item["number_format"],
            "others": others,
        }
        if layout == LONG:
            problems.append(Problem(item["row"], item["column"], message))
        else:
            where = item["column"]
            column = where.rsplit(" ", 1)[-1].rstrip("0123456789")
            problems.append(Problem(item["row"], column, at_cell(where, message)))
    return problems


def _amount_column(header):
    """The amount column as the file names it (`amount`, `countries`, `amount_usd_thousands`...), for its
    problems."""
    return next(
        (str(c).strip() for c in header if plain_key(c).replace(" ", "_") in (*AMOUNT_ALIASES, "amount_usd_thousands")),
        "amount_usd_thousands",
    )


def _unit_problem(column, measure):
    """The problem of a value column named for another unit than `measure`'s (`countries` for an amount
    of expenditure); else None."""
    unit = UNIT_OF_COLUMN.get(plain_key(column).replace(" ", "_"))
    if unit is None or not measure or unit_of(measure) == unit:
        return None
    return unit_column_message(column, unit=unit, measure=measure, name=unit_column(measure))


# What a spreadsheet user writes beside a sum added under a table (English, French, Spanish).
HAND_MADE_TOTAL_WORDS = {"total", "totals", "grand total", "sum", "subtotal", "sub-total", "totaux", "total général"}
HAND_MADE_TOTAL_WORDS |= {"somme", "sous-total", "total general", "suma", "subtotal general"}


class _RowReader:
    """Reads the rows of one long file: each row's cells -> (row, its problems, an ambiguous amount).

    A file repeats its codes, years, statuses and documents on every row: each distinct cell is
    read once (the same text always reads the same way).
    """

    def __init__(self, columns, *, width, amount_column, number_format, code_lists, max_year):
        self.columns = columns
        self.width = width  # the header's cells: a row's cells beyond them would be lost
        self.amount_column = amount_column
        self.code_lists = code_lists
        self.text_of = _remembered(_text)
        # The sources and regions an "of which" note of an export names its member by.
        members = {**code_lists.aliases["source"], **code_lists.aliases["region"]}
        self.note_of = _remembered(functools.partial(own_note, spellings=members))
        self.year_of = _remembered(functools.partial(_year, max_year=max_year))
        # One reader per measure (and one for a measure not known), as the unit bounds the value.
        self.amount_of = {
            measure: _remembered(
                functools.partial(_amount, number_format=number_format, column=amount_column, measure=measure)
            )
            for measure in (None, *Measure.values)
        }
        self.provenance_problems = {
            column: _remembered(functools.partial(provenance_problem, column)) for column in columns
        }
        # Each distinct cell of a code column read once: (code or None, its problem's message or None).
        self.measure_of = _remembered(self._read_measure)
        self.member_of = {dim: _remembered(functools.partial(self._read_member, dim)) for dim in CELL_DIMENSIONS}
        self.unit_problem_of = {measure: _unit_problem(amount_column, measure) for measure in (None, *Measure.values)}
        self.span = max(columns.values(), default=-1) + 1  # the cells a row must have for every column
        self.provenance_of = {
            column: _remembered(functools.partial(self._provenance_of, column)) for column in PROVENANCE_COLUMNS
        }

    def read_many(self, first, chunk):
        """The rows `first`, `first + 1`... of the file (their cells: `chunk`) -> (rows, ambiguous
        amounts) when every row is clean, else (None, for each row None when it is blank, else (row,
        its problems, an ambiguous amount)), exactly as blank() and read() say.

        Read column by column: each column's distinct cells once, then every row from them, with no
        Python call per cell (a large file is 100,000 rows of the same few codes). A row in which this
        finds anything wrong, or with fewer or more cells than its header, is read again by read(), so
        its problems are read()'s own, in read()'s order: a row found clean here is one read() finds
        clean, with the same row (the same functions of the same cells)."""
        fitting = [i for i, cells in enumerate(chunk) if self.span <= len(cells) <= self.width]
        every = len(fitting) == len(chunk)
        rows, ambiguities, wrong = self._read_fitting(first, chunk if every else [chunk[i] for i in fitting], fitting)
        if every and not wrong:
            return rows, ambiguities
        clean = {
            fitting[place]: (row, [], ambiguity)
            for place, (row, ambiguity) in enumerate(zip(rows, ambiguities, strict=True))
            if place not in wrong
        }
        results = []
        for i, cells in enumerate(chunk):
            found = clean.get(i)
            if found is None and not self.blank(cells):
                found = self.read(first + i, cells)
            results.append(found)
        return None, results

    def _read_fitting(self, first, cells, places):
        """read_many's reading by columns of the rows `cells` (each with a cell for every column and none
        beyond the header; the file's rows `first` + each of `places`) -> (their rows as read, their
        ambiguous amounts, the places in `cells` of the rows with a problem, whose rows are not read()'s)."""
        columns = self.columns
        wrong = set()
        if not cells:
            return [], [], wrong

        def column(name, function):
            index = columns.get(name)
            if index is None:  # no such column: each of its cells is empty
                value, message = function("")
                if message:
                    wrong.update(range(len(cells)))
                return [value] * len(cells)
            values = [row[index] for row in cells]
            if set(map(type, values)) == {str}:  # a CSV's cells: a text is its own key
                found = _each_distinct(function, lambda: iter(values), wrong)
            else:  # 1, 1.0 and True are equal keys, but not the same cell
                found = _each_distinct(
                    lambda key: function(key[1]), lambda: zip(map(type, values), values, strict=True), wrong
                )
            return [value for value, _ in found] if found else [None] * len(cells)

        fields = {"line": [first + i for i in places]}
        fields["measure"] = measures = column("measure", self.measure_of)
        fields["year"] = column("year", self.year_of)
        for dim in CELL_DIMENSIONS:
            fields[dim] = column(dim, self.member_of[dim])
        # An amount is read by its measure's reader (the unit bounds it): by measure, type and cell.
        index = columns["amount_usd_thousands"]
        amounts = [row[index] for row in cells]
        found = _each_distinct(
            self._amount_of_cell, lambda: zip(measures, map(type, amounts), amounts, strict=True), wrong
        )
        fields["amount"] = [dollars for dollars, _, _ in found] or [None] * len(cells)
        ambiguities = [ambiguity for _, _, ambiguity in found] or [None] * len(cells)
        if "status" in columns:
            fields["status"] = column("status", self._status_of)
        for name in PROVENANCE_COLUMNS:
            if name in columns:
                fields[name] = column(name, self.provenance_of[name])
        if set(fields["input_type"]) != {TOTAL}:  # the total type of input crosses nothing (crosses_input_type)
            dims = [fields[dim] for dim in CELL_DIMENSIONS]
            crossing = _each_distinct(self._crossed, lambda: zip(*dims, strict=True), wrong)
            wrong.update(i for i, (crossed, _) in enumerate(crossing) if crossed)
        names = tuple(fields)
        rows = [dict(zip(names, values, strict=True)) for values in zip(*fields.values(), strict=True)]
        return rows, ambiguities, wrong

    def _amount_of_cell(self, key):
        """(measure, the amount cell's type, the cell) -> (whole dollars, the problem's message or None,
        an ambiguity), as _amount reads it. An empty amount is a message, so a stated share with none
        (which read() may take from its share column) is read() again."""
        measure, _, value = key
        dollars, message, ambiguity = self.amount_of[measure](value)
        return dollars, self.unit_problem_of[measure] or message, ambiguity

    def _crossed(self, codes):
        """Whether (source, region, group, type of input) crosses a type of input: a problem read() says."""
        return crosses_input_type(dict(zip(CELL_DIMENSIONS, codes, strict=True))), None

    def _status_of(self, value):
        """A status cell -> (its label, the problem's message or None), as _status reads it."""
        problems = []
        status = self._status(None, lambda name: value, problems)
        return status, problems[0].message if problems else None

    def _provenance_of(self, column, value):
        """A document, URL or note cell -> (its text, the problem's message or None), as _provenance
        reads it; a note without the words an export added to it (read())."""
        text = self.text_of(value)
        message = self.provenance_problems[column](text)
        if column == "note" and text:
            text = self.note_of(text)
        return text, message

    def blank(self, cells):
        for c in cells:  # noqa: SIM110 - a loop, not any(): it runs for every row and most end at their first cell
            if self.text_of(c):
                return False
        return True

    def read(self, number, cells):
        if len(cells) < self.span:  # a short row: its missing cells are empty
            cells = [*cells, *[""] * (self.span - len(cells))]
        columns = self.columns

        def cell(name):
            index = columns.get(name)
            return "" if index is None else cells[index]

        row = {"line": number}
        problems = []
        if len(cells) > self.width and width(cells) > self.width:
            problems.append(Problem(number, column_letter(self.width), beyond_header_message(width(cells), self.width)))
        row["measure"] = self._measure(number, cell, problems)
        row["year"] = self._year(number, cell, problems)
        for dim in CELL_DIMENSIONS:
            code, message = self.member_of[dim](cell(dim))
            if message:
                problems.append(Problem(number, dim, message))
            row[dim] = code
        if None not in (row[dim] for dim in CELL_DIMENSIONS) and crosses_input_type(row):
            problems.append(Problem(number, "input_type", input_type_crossed_message()))
        row["amount"], ambiguity = self._amount(row["measure"], number, cell, problems)
        if "status" in self.columns:
            row["status"] = self._status(number, cell, problems)
        for column in PROVENANCE_COLUMNS:
            if column in self.columns:
                row[column] = self._provenance(column, number, cell, problems)
        if row.get("note"):
            row["note"] = self.note_of(row["note"])
        if problems:
            problems = self._hand_made_total(number, cell, cells) or problems
        return row, problems, ambiguity

    def _hand_made_total(self, number, cell, cells):
        """[the one problem] of a row a spreadsheet user added under the figures to sum them (`Total`
        beside a SUM, no measure, year nor source), which read() would refuse for each cell it lacks; else
        None."""

        def total_word(text):
            return text.casefold().rstrip(":").strip() in HAND_MADE_TOTAL_WORDS

        if self.text_of(cell("year")) or any(
            self.text_of(cell(name)) and not total_word(self.text_of(cell(name))) for name in ("measure", "source")
        ):
            return None
        for index, value in enumerate(cells):
            word = self.text_of(value)
            if total_word(word):
                name = next((n for n, i in self.columns.items() if i == index), column_letter(index))
                message = _(
                    "This row looks like a total added under the figures ('%(word)s'): the template has one "
                    "figure a row, each with its measure, year, source and region. Remove the row; a published "
                    "total is a row of its own, with _T as its source or region."
                ) % {"word": word}
                return [Problem(number, name, message)]
        return None

    def _measure(self, number, cell, problems):
        measure, message = self.measure_of(cell("measure"))
        if message:
            problems.append(Problem(number, "measure", message))
        return measure

    def _read_measure(self, value):
        """A measure cell -> (measure or None, the problem's message or None)."""
        measure_text = self.text_of(value)
        measure = self.code_lists.aliases["measure"].get(plain_key(measure_text))
        if measure is not None:
            return measure, None
        known = {"known": ", ".join(Measure.values)}
        if measure_text:
            message = _("Unknown measure '%(measure)s'. Use one of: %(known)s (or the measure's name).")
            return None, message % {"measure": measure_text, **known}
        return None, _("The measure is missing; use one of: %(known)s.") % known

    def _year(self, number, cell, problems):
        year, message = self.year_of(cell("year"))
        if message:
            problems.append(Problem(number, "year", message))
        return year

    def _read_member(self, dim, value):
        """A cell of `dim`'s column ("" where the file has none) -> (code or None, the problem's message
        or None)."""
        text = self.text_of(value)
        if not text and dim in ("country_group", "input_type"):
            return TOTAL, None
        code = self.code_lists.aliases[dim].get(plain_key(text))
        return (code, None) if code is not None else (None, self._unknown_member_message(dim, text))

    def _unknown_member_message(self, dim, text):
        known = _("%(codes)s, or _T for all") % {"codes": ", ".join(self.code_lists.codes[dim])}
        what = DIMENSION_WORDS[dim]
        if "+" in text:
            return summed_members_message(text)
        if text:
            return _("Unknown %(what)s '%(text)s'. Known codes: %(known)s.") % {
                "what": what,
                "text": text,
                "known": known,
            }
        return _("The %(what)s is missing; write _T for the total.") % {"what": what}

    def _amount(self, measure, number, cell, problems):
        amount_text = cell("amount_usd_thousands")
        if measure in STATED_SHARES.values() and not self.text_of(amount_text) and self.text_of(cell("share_percent")):
            # A share export's stated share (no amount is published): its value is the share, in its
            # measure's unit, so the export uploads back unchanged.
            amount_text = cell("share_percent")
        dollars, message, ambiguity = self.amount_of[measure](amount_text)
        message = self.unit_problem_of[measure] or message
        if message:
            problems.append(Problem(number, self.amount_column, message))
        return dollars, ambiguity

    def _status(self, number, cell, problems):
        status_text = self.text_of(cell("status")) or Status.PUBLISHED.label
        status, message = read_status(status_text)
        if message:
            problems.append(Problem(number, "status", message))
        return status or status_text.lower()

    def _provenance(self, column, number, cell, problems):
        # Inner line breaks stay (a note may have several lines); spaces around are trimmed.
        text = self.text_of(cell(column))
        message = self.provenance_problems[column](text)
        if message:
            problems.append(Problem(number, column, message))
        return text


def _given_once(row, seen, problems, amount_column):
    """True the first time a file gives a cell (noting its row in `seen`); else a problem naming both rows."""
    key = cell_key(row)
    if key in seen:
        problems.append(
            Problem(
                row["line"],
                amount_column,
                _("This is the same figure as row %(row)s (%(cell)s); give each figure once.")
                % {"row": seen[key], "cell": describe_cell(row)},
            )
        )
        return False
    seen[key] = row["line"]
    return True


def _check_row_totals(rows, lines, code_lists, amount_column, problems):
    """A problem for each total among `rows` that does not add up to its parts, on the total's row
    (or the first of its parts' rows when the file does not give the total); and for each set of
    stated shares that adds up to more than 100 per cent, or count of countries above its total's
    (totals.check_stated), on the first row of its shares or on the part's (else its total's) row.
    `lines`: {cell key: row number} of `rows`, in their order (_read_every_row's)."""
    amounts = dict(zip(lines, (r["amount"] for r in rows), strict=True))
    for check in check_totals(amounts, code_lists.parts, touched=amounts):
        if not check["ok"]:
            row_number = lines.get(check["total_cell"]) or min(lines[c] for c in check["part_cells"] if c in lines)
            problems.append(Problem(row_number, amount_column, total_message(check, code_lists.names)))
    for check in check_stated(amounts, code_lists.parts, touched=amounts):
        if not check["ok"]:
            parts = [lines[c] for c in check["part_cells"] if c in lines]
            row_number = min(parts) if parts else lines[check["total_cell"]]
            problems.append(Problem(row_number, amount_column, stated_message(check, code_lists.names)))


def read_upload(
    data, *, file_name, number_format=DEFAULT_NUMBER_FORMAT, code_lists, max_bytes=None, max_year=None, options=None
):
    """File bytes + name + number format -> ReadResult (rows, problems, ambiguous amounts, sheet read).

    The layout is recognised from the file (`layouts.detect_layout`): the long template, the wide
    export or appendix tables; `options` (layouts.ReadOptions) gives what the file does not say
    (measure, status, document and its URL). Rows a wide or appendix file does not give a status,
    document, URL or note have None there: the caller keeps what is on record.

    `rows` are dicts in the form `services.publish_release` takes (measure, year, source, region,
    country_group, input_type codes; amount in whole US dollars; status label, document,
    document_url and note when the file has those columns; and `line`, the row of the file).
    When there is any problem, `rows` is empty. For a workbook, `sheet` says which sheet was read.
    """
    if number_format not in NUMBER_FORMATS:
        return ReadResult(
            problems=[Problem(None, "", _("Unknown number format '%(format)s'.") % {"format": number_format})]
        )
    try:
        table = read_table(data, file_name=file_name, max_bytes=max_bytes)
    except FileRejected as rejected:
        return ReadResult(problems=[rejected.problem])
    result = _read_table(
        data,
        table,
        file_name=file_name,
        number_format=number_format,
        code_lists=code_lists,
        max_year=max_year,
        options=options,
    )
    return _figures_on_hidden_sheets(result, data)


def _read_table(data, table, *, file_name, number_format, code_lists, max_year, options):
    """The cells of a file read in its layout -> ReadResult."""
    reading = {"number_format": number_format, "code_lists": code_lists, "max_year": max_year}
    try:
        # A CSV is read row by row as it is checked; only its first rows are needed to tell its layout.
        rows = iter(table.rows)
        head = list(itertools.islice(rows, LAYOUT_ROWS))
        layout = detect_layout(head)
        if layout == LONG:
            unused = _options_unused(options)
            if unused:
                return ReadResult(problems=[unused], sheet=table.sheet)
            return _measure_kept(_read_long(itertools.chain(head, rows), table, reading), options)
        first_table = [*head, *rows]
    except FileRejected as rejected:  # a CSV that breaks off part way
        return ReadResult(problems=[rejected.problem], sheet=table.sheet)
    try:
        found, sheets, hidden = read_layout(
            layout,
            data=data,
            file_name=file_name,
            first_table=first_table,
            number_format=number_format,
            code_lists=code_lists,
            options=options or ReadOptions(),
            max_year=max_year or date.today().year + 1,
            amount_reader=_amount,
        )
    except FileRejected as rejected:
        return ReadResult(problems=[rejected.problem])
    if found is None:  # no header of years anywhere: the template's own problems say what is wrong
        return _read_long(first_table, table, reading)
    return _layout_result(found, layout=layout, sheets=sheets, hidden=hidden, sheet=table.sheet)


# What the form (or the command line) may give of a value's provenance for a file that does not carry it.
PROVENANCE_OPTIONS = ("status", "document", "document_url")


def _options_unused(options):
    """The problem of a status, document or URL given with a file in the upload template's layout (the
    form's fields, or import_figures' options), or None. Its columns give each value's, or keep what is
    on record: what was given would not be used, and the preview would say the record is kept of the
    document the editor had just typed in. (A measure chosen is no value's provenance: the file's
    measure column says it, and a file of the same figures may be uploaded with or without it.)"""
    given = [(name, value) for name, value in ((n, getattr(options, n, "")) for n in PROVENANCE_OPTIONS) if value]
    if not given:
        return None
    message = ngettext(
        "The file is in the upload template's layout, whose status, document and document_url columns give "
        "each value's own (a column it leaves out keeps what is on record): %(given)s would not be used. "
        "Leave it empty for this file, or write it in its column.",
        "The file is in the upload template's layout, whose status, document and document_url columns give "
        "each value's own (a column it leaves out keeps what is on record): %(given)s would not be used. "
        "Leave them empty for this file, or write them in its columns.",
        len(given),
    ) % {"given": in_a_list(f"{name} '{value}'" for name, value in given)}
    return Problem(None, "", message)


def _measure_kept(result, options):
    """A long file's rows with the measure the form (or --measure) chose, when one was: the file's own
    measure column says each row's, so a choice it contradicts is refused, naming both, rather than
    left unused (a file of the same figures may be uploaded with the choice or without it)."""
    if options is None or not options.measure or result.problems:
        return result
    others = sorted({row["measure"] for row in result.rows} - {options.measure})
    if not others:
        return result
    message = _(
        "The measure chosen, %(chosen)s, is not the file's: its measure column gives %(given)s. Choose the "
        "file's measure, or leave the measure as the file says."
    ) % {"chosen": Measure(options.measure).label, "given": in_a_list(Measure(m).label for m in others)}
    return ReadResult(problems=[Problem(None, "", message)], sheet=result.sheet, columns=result.columns)


def _figures_on_hidden_sheets(result, data):
    """A workbook refused for what its visible sheet lacks while hidden sheets hold values -> refused
    with one problem naming those sheets (which are never read) instead. What the sheet lacks: it is
    read as the upload template and every problem is about the whole file or its header row (it is
    empty, or has a header, a title or another table's header, and no row of figures)."""
    sheet = result.sheet
    if sheet is None or not sheet["hidden"] or not result.problems or result.layout != LONG:
        return result
    if any(problem.row not in (None, result.header_row) for problem in result.problems):
        return result
    hidden = hidden_sheets_with_values(data)
    if hidden:
        result.problems = [Problem(None, "", figures_hidden_message(sheet["name"], hidden))]
    return result


def _read_long(rows, table, reading):
    """The rows of a file in the long layout -> ReadResult, naming the sheet they were read from.

    A workbook with a merged range from its header down is refused naming each range, and only them
    (layouts.merged_cell_problems, as the wide export's reader does): the cells a range covers but its
    first read as empty, so what the rows would say of them ("The measure is missing") would mislead,
    and an empty cell in a column that is there clears a document address or a note."""
    result = read_rows(rows, **reading)
    result.sheet = table.sheet
    if table.merged and result.header_row:
        sheet = Sheet(name=table.sheet["name"], cells=[], merged=table.merged)
        merged = _Problems()
        for problem in merged_cell_problems(sheet, result.header_row - 1):
            merged.append(problem)
        if merged:
            result.problems, result.rows, result.ambiguous = merged.close(), [], []
    return result


def _layout_result(found, *, layout, sheets, hidden, sheet):
    """What a wide or appendix reader found (appendix.AppendixRead) -> ReadResult; no rows when it
    found a problem."""
    result = ReadResult(
        rows=found.rows,
        problems=found.problems,
        ambiguous=found.ambiguous,
        layout=layout,
        tables=found.tables,
        mismatches=found.mismatches,
        share_checks=found.share_checks,
        sheets=sheets,
        hidden_sheets=hidden,
        sheet=sheet,
    )
    if result.problems:
        result.problems = [*result.problems, *pointed_out(result.ambiguous, layout=layout)]
        result.rows, result.ambiguous, result.mismatches = [], [], []
    return result


# What callers outside the package use (the rest is imported from its module).
__all__ = [
    "APPENDIX",
    "DEFAULT_NUMBER_FORMAT",
    "LAYOUT_NAMES",
    "LONG",
    "NUMBER_FORMATS",
    "NUMBER_FORMAT_NAMES",
    "TEMPLATE_HEADER",
    "TOTAL_KEYS",
    "TOTAL_TOLERANCE",
    "VALUE_COLUMNS",
    "WIDE",
    "Problem",
    "ReadOptions",
    "cell_key",
    "check_of_which",
    "check_stated",
    "check_totals",
    "code_lists_from",
    "counted",
    "member_key",
    "pointed_out",
    "of_which_message",
    "parts_words",
    "stated_message",
    "read_number",
    "read_upload",
    "sheet_names",
    "template_csv",
    "template_xlsx",
    "thousands_text",
    "too_large_message",
    "total_message",
]
