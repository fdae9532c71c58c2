"""Appendix tables as the ILO prints them -> observation rows, problems and the cross-checks of the table.

Pure. A sheet may hold several tables, one under the other (GB.267/TC/1 Appendix I prints tables
A and B on one page); a workbook may hold one table a sheet. A table is:

- title lines (the measure is read from them, in any of the app's languages: "Expenditure...",
  "Dépenses...", "Gastos..." or "Approvals...", "Approbations...", "Aprobaciones...");
- a header row of years, found wherever it sits, and optionally a second row under it naming each
  column (`$`, `% share`, `% change`); a year heads the columns to its right until the next year;
- one row a member of one code list (sources of funds, regions or types of input), matched by code
  or by name in any of the app's languages, ignoring footnote markers such as `(1)`, case and
  spacing; a TOTAL row; notes below (text only) are not read.

Amounts are stored; the TOTAL row is the published total and is checked against its parts. Shares
and changes are never stored: each printed one is compared with the one computed from the amounts,
to the precision it is printed with (in a workbook, what its cell's number format shows). Those
comparisons (and the totals) are `mismatches`: the preview still shows the table against the live
values, but such a file is not published.
"""

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import MIN_YEAR, TOTAL, Measure
from ..vocabulary import DIMENSION_WORDS
from .files import Problem, at_cell
from .numbers import as_shown, grouped, read_number
from .texts import cell_text, folded
from .totals import DIM_INDEX, cell_key, check_stated, check_totals, stated_message, thousands_text, total_message

TABLE_DIMENSIONS = ("source", "region", "input_type")
# The words of a code list in a problem (the same words as the long template's problems).
# Words in a title or a label header that say which code list a table's rows come from.
DIMENSION_HINTS = {
    "source": ("source", "fonds", "funds"),
    "region": ("region", "région"),
    "input_type": ("input", "apport"),
}
# (Compared without accents: "aprobacion" is "Aprobaciones" and "aprobación".)
MEASURE_HINTS = {
    "expenditure": ("expenditure", "dépenses", "spent", "delivery", "gastos"),
    "approvals": ("approval", "approbation", "aprobacion"),
}
TITLE_CONTRADICTED = gettext_lazy(
    "The table's title (“%(title)s”) says it holds %(said)s, but the measure chosen (the Measure field; "
    "--measure on the command line) is %(chosen)s: choose the measure the title says (or none)."
)
TOTAL_WORDS = ("total", "totals", "grand total", "total général", "total general", "_t", "all")
# Footnote markers printed after (or inside) a label: "UNDP (1)", "Trust Funds (2) and Multi-bi (3)".
FOOTNOTE = re.compile(
    r"\(\s*\d{1,2}\s*\)|\[\s*\d{1,2}\s*\]|[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+|\*+|(?<=\s)\d{1,2}/"
)
# What a table prints where it has no figure; read as "not given", never as zero.
NO_FIGURE = {"", "-", "\u2013", "\u2014", "..", "...", "\u2026", "n.a.", "n/a", "n.d."}
YEAR_CELL = re.compile(r"^(\d{4})(?:\s+(.*))?$")
RANGE = re.compile(r"(\d{4})\s*[-\u2013/]\s*(\d{2}|\d{4})")


def label_key(text):
    """A label as compared: without footnote markers, trailing colons or dots, case and spacing."""
    text = FOOTNOTE.sub(" ", str(text))
    return " ".join(text.split()).strip(" :.").casefold()


def member_key(text):
    """A member's spelling as the loosest of the readers compares it (an appendix table's labels: case,
    spacing, accents, footnote marks and a trailing colon aside). Two spellings with one key would be
    read as one member; the admin refuses them (forms.CodeListMemberForm)."""
    return folded(label_key(text))


def label_index(code_lists):
    """{dim: {label key: code}} for every spelling a table may print: code, English and French name,
    each also without accents, and a name's parts around a parenthesis ("Regular budget", "RBTC")
    where no other member claims them."""
    index = {}
    for dim in TABLE_DIMENSIONS:
        spellings = {}
        derived = {}
        for spelling, code in code_lists.aliases.get(dim, {}).items():
            key = label_key(spelling)
            spellings[key] = code
            spellings[folded(key)] = code
            match = re.match(r"^(.*?)\s*\((.+)\)$", key)
            if match:
                for part in match.groups():
                    for variant in (part.strip(), folded(part.strip())):
                        derived.setdefault(variant, set()).add(code)
        for variant, codes in derived.items():
            if variant and len(codes) == 1 and variant not in spellings:
                spellings[variant] = codes.pop()
        if TOTAL in spellings.values() or code_lists.aliases.get(dim):
            for word in TOTAL_WORDS:
                spellings[word] = TOTAL
        index[dim] = spellings
    return index


ENUMERATION = re.compile(r"^(?:[a-z]|\d{1,2}|[ivx]{1,4})[.)]\s+")
PARENTHESES = re.compile(r"\([^)]*\)")


def match_label(spellings, text):
    """The code a printed label names in one code list's `spellings` (label_index), or None.

    Tried in turn: the label as compared (label_key), without accents, without what it adds in
    parentheses ("Total (excluding administrative expenditure)", "Africa (incl. North Africa)"),
    and without a leading enumeration ("A. Regular budget", "2) UNDP").
    """
    key = label_key(text)
    if not key:
        return None
    bare = " ".join(PARENTHESES.sub(" ", key).split())
    for candidate in (key, bare, ENUMERATION.sub("", key), ENUMERATION.sub("", bare)):
        code = spellings.get(candidate) or spellings.get(folded(candidate))
        if code:
            return code
    return None


def closest_codes(dim, text, code_lists, labels=None):
    """'Closest: undp (UNDP), unfpa (UNFPA).': the codes whose spellings are nearest `text` (difflib),
    or every code of the list when none is near."""
    labels = labels or label_index(code_lists)
    key = folded(label_key(text))
    names = code_lists.names.get(dim, {})
    spellings = {k: c for k, c in labels.get(dim, {}).items() if c != TOTAL}
    codes = []
    for spelling in difflib.get_close_matches(key, list(spellings), n=6, cutoff=0.6):
        if spellings[spelling] not in codes:
            codes.append(spellings[spelling])
    shown = codes[:3] or list(code_lists.codes.get(dim, ()))
    listed = ", ".join(f"{code} ({names.get(code, code)})" for code in shown)
    return (_("Closest: %(codes)s.") if codes else _("Known codes: %(codes)s.")) % {"codes": listed}


def _named_year(text, max_year):
    """The one year a heading names anywhere in it ('% share 1995' -> 1995), else None."""
    years = {int(y) for y in re.findall(r"(?<!\d)(\d{4})(?!\d)", FOOTNOTE.sub(" ", text))}
    years = {y for y in years if MIN_YEAR <= y <= max_year}
    return years.pop() if len(years) == 1 else None


def change_against(cell, amount, base):
    """(the change in % from `base` to `amount`, its explanation) for a printed change `cell`."""
    computed = (Decimal(amount) - Decimal(base)) * 100 / Decimal(base)
    return (
        computed,
        _("the change from %(base)s in %(base_year)s to %(amount)s in %(year)s")
        % {
            "base": thousands_text(base),
            "base_year": cell["base_year"],
            "amount": thousands_text(amount),
            "year": cell["year"],
        },
    )


def compare_percent(cell, computed, explain):
    """Compare a printed share or change with the one computed, to the precision printed.

    Sets cell["computed"] (rounded as printed) and cell["ok"]; returns the problem's message or None.
    """
    decimals = cell["decimals"]
    unit = Decimal(1).scaleb(-decimals)
    cell["computed"] = computed.quantize(unit) if abs(computed) < 10**12 else computed
    cell["ok"] = abs(computed - cell["printed"]) <= unit / 2
    cell.pop("why", None)
    if cell["ok"]:
        return None
    if cell["kind"] == "share":
        message = ngettext(
            "the printed share %(printed)s%% does not match %(computed)s%%, %(explain)s "
            "(to %(count)s decimal, as printed).",
            "the printed share %(printed)s%% does not match %(computed)s%%, %(explain)s "
            "(to %(count)s decimals, as printed).",
            decimals,
        )
    else:
        message = ngettext(
            "the printed change %(printed)s%% does not match %(computed)s%%, %(explain)s "
            "(to %(count)s decimal, as printed).",
            "the printed change %(printed)s%% does not match %(computed)s%%, %(explain)s "
            "(to %(count)s decimals, as printed).",
            decimals,
        )
    return message % {
        "printed": grouped(cell["printed"]),
        "computed": grouped(cell["computed"]),
        "explain": explain,
        "count": decimals,
    }


def _year_of(value, max_year):
    """A header cell -> (year, the rest of its text) when it starts with a year, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if float(value).is_integer() and MIN_YEAR <= int(value) <= max_year:
            return int(value), ""
        return None
    text = FOOTNOTE.sub(" ", cell_text(value)).strip()
    match = YEAR_CELL.match(text)
    if match and MIN_YEAR <= int(match.group(1)) <= max_year:
        return int(match.group(1)), (match.group(2) or "").strip()
    return None


def column_kind(text):
    """What a column holds, from its heading: 'amount', 'share', 'change', '' (nothing said) or None."""
    key = folded(" ".join(str(text).split()).casefold())
    if not key:
        return ""
    if any(word in key for word in ("change", "variation", "var.", "growth", "evolution", "increase")):
        return "change"
    if "%" in key or any(word in key for word in ("share", "part", "percent", "pourcentage")):
        return "share"
    if any(word in key for word in ("$", "usd", "amount", "montant", "thousand", "millier", "000", "value")):
        return "amount"
    return None


def _range(text, max_year):
    """'% change 1996-97' -> (1996, 1997), else None."""
    match = RANGE.search(str(text))
    if not match:
        return None
    first, second = match.groups()
    start = int(first)
    end = int(first[:2] + second) if len(second) == 2 else int(second)
    if MIN_YEAR <= start < end <= max_year:
        return start, end
    return None


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _percent(value, number_format):
    """A printed share or change -> (Decimal, decimals printed) or None when it is not a percentage. A
    number is read as stored, to the decimals stored (a General cell's; one with a number format is read
    as the format shows it: _printed_percent)."""
    if isinstance(value, bool):
        return None
    if _is_number(value):
        if float(value).is_integer():
            return Decimal(int(value)), 0
        number = Decimal(repr(float(value)))
        return number, max(0, -number.as_tuple().exponent)
    text = cell_text(value).replace("%", "").strip()
    negative = text[:1] in ("-", "\u2212")
    if negative or text[:1] == "+":
        text = text[1:].strip()
    number = read_number(text, number_format)
    if number is None:
        return None
    exponent = number.as_tuple().exponent
    return (-number if negative else number), max(0, -exponent)


MAX_TABLES = 100
MAX_PROBLEMS = 200
MAX_TITLE_LINES = 10
# A second column for the same year and kind.
SECOND_COLUMNS = {
    "amount": gettext_lazy("A second amount column for %(year)s: %(first)s is the first. Give each column once."),
    "share": gettext_lazy("A second share column for %(year)s: %(first)s is the first. Give each column once."),
    "change": gettext_lazy("A second change column for %(year)s: %(first)s is the first. Give each column once."),
}
NOT_A_PERCENTAGE = {
    "share": gettext_lazy(
        "'%(text)s' is not a percentage in the number format %(format)s (a share column for %(year)s)."
    ),
    "change": gettext_lazy(
        "'%(text)s' is not a percentage in the number format %(format)s (a change column for %(year)s)."
    ),
}

# No table prints a share or a change of a billion per cent: such a cell is a figure typed in the wrong
# column (or 1e300), refused as such and not printed digit by digit in a comparison.
MAX_PERCENT = 10**9
TOO_LARGE_A_PERCENTAGE = {
    "share": gettext_lazy(
        "'%(text)s' is too large for a percentage (a share column for %(year)s): is it a figure typed in the "
        "wrong column?"
    ),
    "change": gettext_lazy(
        "'%(text)s' is too large for a percentage (a change column for %(year)s): is it a figure typed in the "
        "wrong column?"
    ),
}


def stopped_problem():
    """The line that closes the problems of a wide or appendix file with too many to read on."""
    message = ngettext(
        "Reading stopped after %(count)s problem; correct it and upload again.",
        "Reading stopped after %(count)s problems; correct these and upload again.",
        MAX_PROBLEMS,
    ) % {"count": grouped(MAX_PROBLEMS)}
    return Problem(None, "", message, closing=True)


class _Stop(Exception):
    """Reading stops: the file has too many problems or tables to be worth reading on."""


@dataclass
class Column:
    index: int
    year: int
    kind: str  # amount, share, change
    base_year: int | None = None  # the year a change is from


@dataclass
class _Headings:
    """A header read left to right: the year the next columns are under, and whether a bad heading left
    them under none."""

    year: int | None = None
    after_bad: bool = False


@dataclass
class Table:
    """One table read from a sheet, as the preview shows it."""

    sheet: str
    title: str
    header_address: str
    dimension: str = ""
    measure: str = ""
    columns: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # {"row", "label", "code", "name", "is_total", "cells": [...]}
    notes: list = field(default_factory=list)


@dataclass
class AppendixRead:
    """What `read_appendix` found; `found` is False when no sheet has a header row of years."""

    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    share_checks: list = field(default_factory=list)
    found: bool = False

    def add_ambiguous(self, sheet, r, c, ambiguity, number_format):
        """A number the file's number format reads one way and another format another (`1.234`): listed
        in the preview with where it is, for the uploader to confirm."""
        self.ambiguous.append(
            {"row": sheet.row_number(r), "column": sheet.where(r, c), **ambiguity, "number_format": number_format}
        )


class _Reader:
    def __init__(self, *, number_format, code_lists, options, max_year, amount_reader):
        self.number_format = number_format
        self.code_lists = code_lists
        self.options = options
        self.max_year = max_year
        self.read_amount = amount_reader
        self.labels = label_index(code_lists)
        self.result = AppendixRead()
        self.seen = {}  # cell key -> (amount, where)

    # --- one sheet -----------------------------------------------------------------------------

    def sheet(self, sheet):
        cells = sheet.cells
        r = 0
        text_rows = []
        while r < len(cells):
            if self._is_header(cells[r]):
                self.result.found = True
                if len(self.result.tables) >= MAX_TABLES:
                    self._problem(
                        sheet,
                        r,
                        0,
                        _("More than %(limit)s tables: a file of figures holds a few. Not read.")
                        % {"limit": grouped(MAX_TABLES)},
                    )
                    raise _Stop
                r, table = self._table(sheet, r, text_rows)
                # Text below a table's last figures is its notes, and the next table's title lines.
                last = max((line["row"] for line in table.rows), default=0)
                text_rows = [(n["row"], [n["text"]]) for n in table.notes if n["row"] > last]
                continue
            texts = [cell_text(c) for c in cells[r] if cell_text(c)]
            if texts:
                text_rows = [*text_rows[-(MAX_TITLE_LINES - 1) :], (r, texts)]
            r += 1
        return text_rows

    def _matches_member(self, value):
        return any(match_label(self.labels[d], cell_text(value)) for d in TABLE_DIMENSIONS)

    def _heads_a_year(self, value, *, first=False):
        """A heading of a year's column: '1995', '1995 $', or a short column name with one year
        ('% share 1995'), which a title line ('Expenditure in $, 1995') in the row's first cell is not."""
        if _year_of(value, self.max_year):
            return True
        text = cell_text(value)
        if first or _is_number(value) or len(text) > 30 or not column_kind(text):
            return False
        return _named_year(text, self.max_year) is not None

    def _is_header(self, row):
        start = next((i for i, c in enumerate(row) if cell_text(c)), 0)
        years = [c for i, c in enumerate(row) if self._heads_a_year(c, first=i == start)]
        if not years:
            return False
        first = next((c for c in row if cell_text(c)), "")
        return not (not _year_of(first, self.max_year) and self._matches_member(first))

    def _units_row(self, row, start):
        """Is `row` the second header row (names of columns, no figures)?"""
        cells = row[start:]
        if any(_is_number(c) for c in cells):
            return False
        texts = [cell_text(c) for c in cells if cell_text(c)]
        if not texts or any(read_number(t.replace("%", "").strip(), self.number_format) is not None for t in texts):
            return False
        return any(column_kind(t) for t in texts)

    # --- one table -----------------------------------------------------------------------------

    def _table(self, sheet, h, text_rows):
        cells = sheet.cells
        header = cells[h]
        start = next((i for i, c in enumerate(header) if cell_text(c)), 0)
        first_year = next(i for i, c in enumerate(header) if self._heads_a_year(c, first=i == start))
        units = cells[h + 1] if h + 1 < len(cells) and self._units_row(cells[h + 1], first_year) else None
        body_start = h + (2 if units is not None else 1)
        end = body_start
        while end < len(cells) and not self._is_header(cells[end]):
            end += 1
        title_lines = [" ".join(texts) for _, texts in text_rows]
        label_header = " ".join(cell_text(c) for c in header[:first_year] if cell_text(c))
        if units is not None:
            label_header += " " + " ".join(cell_text(c) for c in units[:first_year] if cell_text(c))
        table = Table(sheet=sheet.name, title=" / ".join(title_lines), header_address=sheet.where(h, first_year))
        self._merged(sheet, h, end)
        width = max(len(row) for row in cells[h:end])
        columns = self._columns(sheet, h, header, units, first_year, width, cells[body_start:end])
        table.columns = columns
        body = [(r, cells[r]) for r in range(body_start, end)]
        table.dimension = self._dimension(body, first_year, title_lines + [label_header])
        table.measure = self._measure(sheet, h, first_year, title_lines + [sheet.name])
        self._body(sheet, table, body, first_year, columns)
        self._checks(sheet, table)
        self.result.tables.append(table)
        return end, table

    def _merged(self, sheet, h, end):
        for r0, c0, span in sheet.merged_spans(h, end):
            self._problem(
                sheet,
                r0,
                c0,
                _(
                    "%(span)s is a merged cell. Unmerge it: write a year once, in the first column it heads, "
                    "and one figure a cell."
                )
                % {"span": span},
            )

    def _columns(self, sheet, h, header, units, first_year, width, body):
        """The table's columns of figures, left to right, each with its year and kind; a problem for each
        heading that names neither, for figures under no heading and for a column given twice."""
        columns = []
        headings = _Headings()
        seen = {}  # (year, kind, base year) -> where its heading is
        for c in range(first_year, width):
            head = header[c] if c < len(header) else ""
            unit = cell_text(units[c]) if units is not None and c < len(units) else ""
            # The first cell under the heading holding anything: a column without a heading names it.
            has_figures = next(
                ((i, row[c]) for i, row in enumerate(body) if c < len(row) and cell_text(row[c]) not in NO_FIGURE),
                None,
            )
            if has_figures is not None:
                has_figures = (sheet.address(h + 1 + (units is not None) + has_figures[0], c), has_figures[1])
            heading = self._heading(sheet, h, c, head, unit, has_figures, headings)
            if heading is None:
                continue
            year, kind, base, where = heading
            if kind is None:
                self._problem(sheet, *where, self._not_a_column(unit or cell_text(head)))
                continue
            kind = kind or "amount"
            if kind == "change" and base is None:
                base = year - 1
            key = (year, kind, base)
            if key in seen:
                self._problem(sheet, *where, SECOND_COLUMNS[kind] % {"year": year, "first": sheet.address(*seen[key])})
                continue
            seen[key] = where
            columns.append(Column(index=c, year=year, kind=kind, base_year=base if kind == "change" else None))
        return columns

    def _heading(self, sheet, h, c, head, unit, has_figures, headings):
        """(year, kind, base year, where the heading is) that column `c`'s heading (`head`, and `unit` in the
        second header row) gives it, or None for a column not read. A year heads the columns to its right
        until the next year; a bad heading leaves the columns under it under no year."""
        head_text = cell_text(head)
        where = (h + 1, c) if unit else (h, c)
        year_cell = _year_of(head, self.max_year)
        if year_cell:
            return self._year_heading(sheet, h, c, head_text, year_cell, unit, where, headings)
        if head_text:
            return self._text_heading(sheet, h, c, head_text, unit, where, headings)
        if headings.year is None and headings.after_bad:
            return None
        if unit and headings.year is not None:
            year = headings.year
            kind = column_kind(unit)
            base = None
            span = _range(unit, self.max_year)
            if span and kind == "change":
                base, year = span
            return year, kind, base, where
        if has_figures:
            cell, value = has_figures
            message = _(
                "This column has no heading, but %(cell)s under it holds '%(value)s': give the column a year "
                "(and $ or %% share), or clear it."
            ) % {"cell": cell, "value": cell_text(value)[:40]}
            self._problem(sheet, h, c, message)
        return None

    def _year_heading(self, sheet, h, c, head_text, year_cell, unit, where, headings):
        """A heading that starts with a year ('1995', '1995 $'): the year, and the kind its rest or unit says."""
        year, rest = year_cell
        headings.year = year
        kind = column_kind(rest or unit)
        if kind is None and rest:
            self._bad_heading(
                sheet,
                h,
                c,
                _(
                    "The heading '%(heading)s' is the year %(year)s followed by '%(rest)s', which is neither "
                    "$ nor %% share nor %% change: write the year alone (a status is chosen when uploading)."
                )
                % {"heading": head_text, "year": year, "rest": rest},
                headings,
            )
            return None
        return year, kind, None, where

    def _text_heading(self, sheet, h, c, head_text, unit, where, headings):
        """A heading in words: a percentage over a span of years ('% change 1996-97'), a kind with a year
        ('% share 1995'), or a kind under the year to its left ('% share')."""
        span = _range(head_text, self.max_year)
        kind = column_kind(head_text)
        if span and (kind in ("change", "share") or column_kind(unit) in ("change", "share")):
            # A percentage over a span of years is the change between them.
            return span[1], "change", span[0], where
        named_year = _named_year(head_text, self.max_year)
        if kind and named_year:  # "% share 1995", "US$ 1995"
            headings.year = named_year
            return named_year, kind, None, (h, c)
        if kind and headings.year is not None:
            return headings.year, kind, None, (h, c)
        if re.search(r"\d", head_text) and not kind:
            message = _("The heading '%(heading)s' is not a year; write the year as four digits, such as 1995.") % {
                "heading": head_text
            }
            self._bad_heading(sheet, h, c, message, headings)  # the columns under it belong to no year
            return None
        self._bad_heading(sheet, h, c, self._not_a_column(head_text), headings)
        return None

    def _bad_heading(self, sheet, h, c, message, headings):
        """A heading that names no column: its problem, and the columns to its right are under no year."""
        self._problem(sheet, h, c, message)
        headings.year, headings.after_bad = None, True

    @staticmethod
    def _not_a_column(text):
        return _(
            "The column '%(column)s' is neither an amount ($) nor a share (%% share) nor a change (%% change); "
            "remove it or name it as one of them."
        ) % {"column": text}

    def _dimension(self, body, first_year, hints):
        counts = dict.fromkeys(TABLE_DIMENSIONS, 0)
        for _row_index, row in body:
            for value in row[:first_year]:
                for dim in TABLE_DIMENSIONS:
                    code = match_label(self.labels[dim], cell_text(value))
                    if code and code != TOTAL:
                        counts[dim] += 1
        best = max(counts.values())
        if best:
            return next(d for d in TABLE_DIMENSIONS if counts[d] == best)
        text = folded(" ".join(hints).casefold())
        return next((d for d in TABLE_DIMENSIONS if any(w in text for w in DIMENSION_HINTS[d])), "source")

    def _measure(self, sheet, h, first_year, hints):
        """The table's measure: the one its title names, or the one chosen on the form when the
        title names none. A title naming one measure and a form choosing the other is refused:
        read as the form says, its figures would go live as the other measure's."""
        said, line, found = self._title_measure(hints)
        chosen = self.options.measure
        if chosen and said and said != chosen:
            words = {"said": Measure(said).label, "chosen": Measure(chosen).label, "title": line}
            self._problem(sheet, h, first_year, TITLE_CONTRADICTED % words)
            return ""
        if chosen or said:
            return chosen or said
        self._problem(
            sheet,
            h,
            first_year,
            _(
                "This table does not say whether it holds expenditure or approvals (its title names neither, "
                "or both): choose the measure when uploading (the Measure field; --measure on the command line)."
            )
            if found
            else _(
                "This table does not say whether it holds expenditure or approvals (its title names neither): "
                "choose the measure when uploading (the Measure field; --measure on the command line)."
            ),
        )
        return ""

    @staticmethod
    def _title_measure(hints):
        """(measure, the line that names it, every measure named): the first title line that names
        one measure says it (an approvals table may add "(excluding administrative expenditure)"
        below its title); ("", "", named) when none names exactly one."""
        found = []
        for line in hints:
            text = folded(line.casefold())
            named = [m for m, words in MEASURE_HINTS.items() if any(folded(w) in text for w in words)]
            if len(named) == 1:
                return named[0], line.strip(), found + named
            found += named
        return "", "", found

    def _match(self, dim, value):
        return match_label(self.labels[dim], cell_text(value))

    def _closest(self, dim, value):
        return closest_codes(dim, cell_text(value), self.code_lists, self.labels)

    def _body(self, sheet, table, body, first_year, columns):
        dim = table.dimension
        names = self.code_lists.names.get(dim, {})
        labels_seen = {}
        for r, row in body:
            label_cells = [(c, row[c]) for c in range(min(first_year, len(row))) if cell_text(row[c])]
            value_cells = [
                c for c in range(first_year, len(row)) if cell_text(row[c]) not in NO_FIGURE or _is_number(row[c])
            ]
            code, label_column = None, (label_cells[0][0] if label_cells else 0)
            for c, value in label_cells:
                code = self._match(dim, value)
                if code:
                    label_column = c
                    break
            label = cell_text(row[label_column]) if label_cells else ""
            if not value_cells and (code is None or not any(cell_text(v) for v in row[first_year:])):
                if label:
                    table.notes.append(
                        {"row": sheet.row_number(r), "text": " ".join(cell_text(v) for _, v in label_cells)}
                    )
                continue
            what = DIMENSION_WORDS[dim]
            if not label:
                message = _("This row has figures but no label: name its %(what)s or write TOTAL.")
                self._problem(sheet, r, 0, message % {"what": what})
                continue
            if code is None:
                message = _("'%(label)s' is neither a %(what)s nor the TOTAL.") % {"label": label, "what": what}
                self._problem(sheet, r, label_column, f"{message} {self._closest(dim, label)}")
                continue
            if code in labels_seen:
                message = _("'%(label)s' is the same %(what)s as row %(row)s; give each row once.")
                self._problem(
                    sheet, r, label_column, message % {"label": label, "what": what, "row": labels_seen[code]}
                )
                continue
            labels_seen[code] = sheet.row_number(r)
            line = {
                "row": sheet.row_number(r),
                "label": label,
                "code": code,
                "name": names.get(code, code),
                "is_total": code == TOTAL,
                "cells": [],
            }
            for column in columns:
                value = row[column.index] if column.index < len(row) else ""
                line["cells"].append(self._cell(sheet, table, r, column, value, code))
            table.rows.append(line)

    def _cell(self, sheet, table, r, column, value, code):
        """One cell of a row as the preview shows it: a printed share or change is kept to be checked, an
        amount joins the rows (when the table's measure is known); what cannot be read is a problem."""
        c = column.index
        text = cell_text(value)
        cell = {
            "address": sheet.address(r, c),
            "where": sheet.where(r, c),
            "text": text,
            "kind": column.kind,
            "year": column.year,
            "base_year": column.base_year,
            "dollars": None,
            "key": None,
        }
        if text in NO_FIGURE and not _is_number(value):
            # No figure: the amount's cell, for the preview to say a live value there stays as on record.
            cell["missing"] = True
            if column.kind == "amount" and table.measure:
                cell["empty_key"] = cell_key(_figure(table, column, code))
            return cell
        if column.kind != "amount":
            self._printed_percent(sheet, r, column, value, cell)
            return cell
        dollars, message, ambiguity = self.read_amount(
            value, self.number_format, sheet.address(r, c), measure=table.measure or None
        )
        if message:
            self._problem(sheet, r, c, message)
            return cell
        cell["dollars"] = dollars
        if ambiguity:
            self.result.add_ambiguous(sheet, r, c, ambiguity, self.number_format)
        if table.measure:
            self._add_figure(sheet, table, r, column, cell, code)
        return cell

    def _printed_percent(self, sheet, r, column, value, cell):
        """A printed share or change: its number and decimals kept in `cell`, or a problem when it is not a
        percentage."""
        # What the table shows is what it prints: a number in a cell formatted `0.0%` is printed as the
        # format shows it (0.12345: 12.3, to 1 decimal), not to the digits stored.
        shown = as_shown(value, sheet.number_format(r, column.index)) if _is_number(value) else None
        reading = shown or _percent(value, self.number_format)
        if shown:
            cell["text"] = f"{shown[0]:f}%"
        if reading is None or abs(reading[0]) >= MAX_PERCENT:
            said = NOT_A_PERCENTAGE if reading is None else TOO_LARGE_A_PERCENTAGE
            self._problem(
                sheet,
                r,
                column.index,
                said[column.kind] % {"text": cell["text"], "format": self.number_format, "year": column.year},
            )
        else:
            cell["printed"], cell["decimals"] = reading
            # A number as stored may be a fraction of one (0.276 for 27.6%: _percent_fractions).
            cell["numeric"] = _is_number(value) and not shown

    def _add_figure(self, sheet, table, r, column, cell, code):
        """The cell's amount as an observation row. The same figure printed again (the TOTAL of a by-source
        and of a by-region table) is kept once, and a mismatch when the two amounts differ."""
        c = column.index
        dollars = cell["dollars"]
        row = {
            **_figure(table, column, code),
            "amount": dollars,
            "status": self.options.status or None,
            "document": self.options.document or None,
            "document_url": self.options.document_url or None,
            "note": None,
            "line": sheet.row_number(r),
            "cell": sheet.where(r, c),
        }
        key = cell_key(row)
        cell["key"] = key
        if key in self.seen:
            amount, where = self.seen[key]
            if amount != dollars:
                self._mismatch(sheet, r, c, _same_figure_message(dollars, column.year, where, amount, code == TOTAL))
            cell["same_as"] = where
            return
        self.seen[key] = (dollars, sheet.where(r, c))
        self.result.rows.append(row)

    # --- cross-checks --------------------------------------------------------------------------

    def _checks(self, sheet, table):
        if not table.measure:
            return
        dim = table.dimension
        parts = self.code_lists.parts.get(dim, ())
        amounts = {}  # (code, year) -> dollars
        where = {}
        for line in table.rows:
            for cell in line["cells"]:
                if cell["kind"] == "amount" and cell["dollars"] is not None:
                    amounts[(line["code"], cell["year"])] = cell["dollars"]
                    where[(line["code"], cell["year"])] = cell
        years = sorted({year for _, year in amounts})
        for year in years:
            keyed = {}
            for (code, y), dollars in amounts.items():
                if y == year:
                    row = {"measure": table.measure, "country_group": TOTAL, "year": year}
                    row.update(dict.fromkeys(TABLE_DIMENSIONS, TOTAL))
                    row[dim] = code
                    keyed[cell_key(row)] = dollars
            for check in check_totals(keyed, {dim: parts}, touched=keyed):
                if not check["ok"]:
                    cell = where[(TOTAL, year)]
                    self._mismatch_at(cell, total_message(check, self.code_lists.names))
            for check in check_stated(keyed, {dim: parts}, touched=keyed):
                if not check["ok"]:
                    first = next(c for c in (*check["part_cells"], check["total_cell"]) if c in keyed)
                    cell = where[(first[DIM_INDEX[dim]], year)]
                    self._mismatch_at(cell, stated_message(check, self.code_lists.names))
        self._percent_fractions(table)
        for line in table.rows:
            for cell in line["cells"]:
                if "printed" in cell:
                    self._percent_check(table, line, cell, amounts, parts)

    @staticmethod
    def _percent_fractions(table):
        """Excel stores `12.4%` typed in a cell as 0.124: a share column of such numbers (its TOTAL
        at 1, or its rows adding up to about 1, not 100) is read as percentages, and so are the
        change columns of the same table."""
        by_column = {}
        for line in table.rows:
            for index, cell in enumerate(line["cells"]):
                if "printed" in cell:
                    by_column.setdefault(index, []).append((line, cell))
        fractions = False
        for cells in by_column.values():
            if cells[0][1]["kind"] != "share" or not all(cell.get("numeric") for _, cell in cells):
                continue
            totals = [cell["printed"] for line, cell in cells if line["is_total"]]
            parts = sum(cell["printed"] for line, cell in cells if not line["is_total"])
            if (totals and totals[0] == 1) or (not totals and 0 < parts <= Decimal("1.5")):
                fractions = True
        if not fractions:
            return
        for cells in by_column.values():
            for _line, cell in cells:
                if cell.get("numeric"):
                    cell["printed"] = (cell["printed"] * 100).normalize()
                    cell["decimals"] = max(0, cell["decimals"] - 2)
                    cell["text"] = f"{cell['printed']:f}%"

    def _percent_check(self, table, line, cell, amounts, parts):
        year, code = cell["year"], line["code"]
        amount = amounts.get((code, year))
        if cell["kind"] == "share":
            total = amounts.get((TOTAL, year))
            explain = _("the share of %(amount)s in the TOTAL %(total)s")
            if total is None and parts and all((p, year) in amounts for p in parts):
                total = sum(amounts[(p, year)] for p in parts)
                explain = _("the share of %(amount)s in the sum of the rows %(total)s")
            if amount is None or not total:
                cell["why"] = (
                    _("not checked: no amount for %(year)s") % {"year": year}
                    if amount is None
                    else _("not checked: no total")
                )
                return
            computed = Decimal(amount) * 100 / Decimal(total)
            explain %= {"amount": thousands_text(amount), "total": thousands_text(total)}
        else:
            base = amounts.get((code, cell["base_year"]))
            if amount is not None and base is None and table.measure:
                # The year before is not in the table: the caller compares with the live value.
                key = {"measure": table.measure, "country_group": TOTAL, "year": cell["base_year"]}
                key.update(dict.fromkeys(TABLE_DIMENSIONS, TOTAL))
                key[table.dimension] = code
                cell["base_key"], cell["amount"] = cell_key(key), amount
            if amount is None or not base:
                cell["why"] = _("not checked: no amount for %(year)s in the table") % {
                    "year": cell["base_year"] if amount is not None else year
                }
                return
            computed, explain = change_against(cell, amount, base)
        message = compare_percent(cell, computed, explain)
        self.result.share_checks.append(cell)
        if message:
            self._mismatch_at(cell, message)

    # --- problems ------------------------------------------------------------------------------

    def _problem(self, sheet, r, c, message):
        self.result.problems.append(sheet.problem(r, c, message))
        if len(self.result.problems) >= MAX_PROBLEMS:
            self.result.problems.append(stopped_problem())
            raise _Stop

    def _mismatch(self, sheet, r, c, message):
        self.result.mismatches.append(sheet.problem(r, c, message))

    def _mismatch_at(self, cell, message):
        address = cell["address"]
        column = address.rstrip("0123456789")
        self.result.mismatches.append(Problem(int(address[len(column) :]), column, at_cell(cell["where"], message)))


def _figure(table, column, code):
    """The members of the figure of a row's amount column (its cell: totals.cell_key): the row's member
    in the table's dimension, every other dimension at its total."""
    members = {"measure": table.measure, "year": column.year, "country_group": TOTAL}
    members.update(dict.fromkeys(TABLE_DIMENSIONS, TOTAL))
    members[table.dimension] = code
    return members


def _same_figure_message(amount, year, other, other_amount, is_total):
    """Why a figure printed twice (here `amount`, at `other` `other_amount`) cannot be stored."""
    message = (
        _(
            "%(amount)s for %(year)s, but %(other)s gives the same figure as %(other_amount)s "
            "(both are the total of the year)."
        )
        if is_total
        else _("%(amount)s for %(year)s, but %(other)s gives the same figure as %(other_amount)s.")
    )
    return message % {
        "amount": thousands_text(amount),
        "year": year,
        "other": other,
        "other_amount": thousands_text(other_amount),
    }


def read_appendix(sheets, *, number_format, code_lists, options, max_year, amount_reader):
    """Sheets -> AppendixRead: the rows of every table of every sheet, problems, mismatches, tables.

    `amount_reader(value, number_format, column, measure=...)` reads one amount cell as the long template does
    (whole dollars, problem message, ambiguity). The same cell printed by two tables (the TOTAL of a
    by-source and of a by-region table) is stored once and the two must agree.
    """
    reader = _Reader(
        number_format=number_format,
        code_lists=code_lists,
        options=options,
        max_year=max_year,
        amount_reader=amount_reader,
    )
    try:
        for sheet in sheets:
            reader.sheet(sheet)
    except _Stop:
        pass
    result = reader.result
    if result.found and not result.problems and not result.rows:
        result.problems.append(Problem(None, "", _("The tables have headers of years but no figures under them.")))
    return result


__all__ = [
    "AppendixRead",
    "Table",
    "change_against",
    "closest_codes",
    "compare_percent",
    "label_index",
    "label_key",
    "read_appendix",
    "stopped_problem",
]
