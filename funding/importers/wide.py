"""The dashboard's own wide export (`layout=wide`) -> observation rows: export, then upload, changes nothing.

Pure. The wide file is `source,source_name,region,region_name` (and `input_type,input_type_name`
in an export about types of input, `country_group` in one of a country group) then, for each year,
`amount_YEAR` (`countries_YEAR` for the recipient countries: vocabulary.wide_column) and `status_YEAR`
(older exports: the bare year, no status), one row a series, the
TOTAL row last; names are ignored (the codes say it), an empty cell is a year without a figure, and
a status cell left empty is as on record. It does not name its measure: that comes from the form or
the command line, else from what the export itself says (its file name,
`tcdash-expenditure-by-source-ldc-1993-1995-wide`, or the "Reproduce" address on its About sheet, in
the file's language), as does the country group of an older export without its column. Where the
export says its measure and the form chose another, the file is refused: neither is taken on trust.
A file of shares or changes (`value=share`) is refused: those are computed, never uploaded.
"""

import functools
import re
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import MAX_YEAR, MIN_YEAR, TOTAL, Measure
from ..vocabulary import (
    DIMENSION_WORDS,
    REPRODUCE_LABEL,
    TWIN_MEASURES,
    WIDE_UNIT_WORDS,
    crosses_input_type,
    in_every_language,
    unit_of,
    wide_column,
)
from .appendix import MAX_PROBLEMS, AppendixRead, Table, closest_codes, stopped_problem
from .files import Problem, at_cell
from .layouts import YEAR_COLUMN, merged_cell_problems
from .texts import (
    beyond_header_message,
    cell_text,
    input_type_crossed_message,
    read_status,
    summed_members_message,
    unit_column_message,
    width,
    year_outside_message,
)
from .totals import cell_key, check_stated, check_totals, stated_message, total_message

KEY_COLUMNS = ("source", "source_name", "region", "region_name", "input_type", "input_type_name", "country_group")
CODE_COLUMNS = ("source", "region", "input_type", "country_group")
# The measures with data twins (expenditure, approvals, recipients), as a file name or address names them.
_MEASURES = "|".join(re.escape(m) for m in TWIN_MEASURES)
FILE_NAME = re.compile(rf"^tcdash-(?P<measure>{_MEASURES})-(?P<rest>.*?)-(?P<start>\d{{4}})-(?P<end>\d{{4}})(?:\D.*)?$")
EXPORT_PATH = re.compile(rf"/({_MEASURES})\.(?:csv|xlsx)$")
# The unit of the year columns headed by a unit's word (`countries_1995`), for a measure in that unit only;
# `amount_1995` is read for every measure, as earlier exports headed the recipient countries so.
UNIT_OF_WORD = {word: unit for unit, word in WIDE_UNIT_WORDS.items() if word != "amount"}
# Shares and changes are computed, never uploaded: an export of them (its name or About sheet says
# value=share or value=change), or a column of them.
# The form's Status (or --status) is the status of the values whose status cell is empty: with none
# empty it would change nothing, and the preview would say so of a file the editor had just marked.
STATUS_NOT_USED = gettext_lazy(
    "Every value of this file gives its own status (its status_YEAR columns), so the status chosen "
    "(%(status)s) would not be used. Leave the Status empty (--status on the command line), or write the "
    "status in those cells."
)
COMPUTED_EXPORTS = {
    "share": gettext_lazy(
        "This export holds shares (value=share), not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default) instead."
    ),
    "change": gettext_lazy(
        "This export holds changes (value=change), not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default) instead."
    ),
}
COMPUTED_COLUMNS = {
    "share": gettext_lazy(
        "The column '%(column)s' holds shares, not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default)."
    ),
    "change": gettext_lazy(
        "The column '%(column)s' holds changes, not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default)."
    ),
}

# A measure chosen on the form (or the command line) against the one the export says: read as the form
# says, its figures would go live as another measure's, so the file is refused until the two agree.
MEASURE_CONTRADICTED = {
    "name": gettext_lazy(
        "The file's name says it holds %(said)s, but the measure chosen (the Measure field; --measure on the "
        "command line) is %(chosen)s: choose the measure the file says (or none), or rename the file if its "
        "name is wrong."
    ),
    "about": gettext_lazy(
        "The file's About sheet (its Reproduce address) says it holds %(said)s, but the measure chosen (the "
        "Measure field; --measure on the command line) is %(chosen)s: choose the measure the file says (or none)."
    ),
}


def export_facts(*, file_name, about=None):
    """{"measure", "group", "value"} as far as the export's file name or About sheet says them, and
    "measure_from" ("name" or "about"): which of the two said the measure."""
    facts = {}
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0].strip()
    match = FILE_NAME.match(stem)
    if match:
        facts["measure"], facts["measure_from"] = match["measure"], "name"
        words = match["rest"].split("-")
        if "ldc" in words:
            facts["group"] = "ldc"
        for value in ("share", "change"):
            if value in words:
                facts["value"] = value
    reproduce = _reproduce_labels()
    for label, value in about or ():
        if cell_text(label).lower() not in reproduce:
            continue
        parts = urlsplit(cell_text(value))
        path = EXPORT_PATH.search(parts.path)
        if path:
            facts["measure"], facts["measure_from"] = path.group(1), "about"
        query = parse_qs(parts.query)
        if query.get("group", [""])[0] == "ldc":
            facts["group"] = "ldc"
        if query.get("value", ["amount"])[0] in ("share", "change"):
            facts["value"] = query["value"][0]
    return facts


@functools.cache
def _reproduce_labels():
    """The About sheet's "Reproduce" label in each of the site's languages, lower-cased: the sheet is in
    the export's language (`lang=`), and a French file says "Reproduire"."""
    return {label.lower() for label in in_every_language(REPRODUCE_LABEL).values()}


def read_wide(sheet, *, number_format, code_lists, options, max_year, amount_reader, facts):
    """The wide export's sheet -> AppendixRead (rows, problems, mismatches, the table as read)."""
    cells = sheet.cells
    h = next(i for i, row in enumerate(cells) if any(cell_text(c) for c in row))
    measure = options.measure or facts.get("measure", "")
    reader = _WideReader(
        sheet,
        number_format=number_format,
        code_lists=code_lists,
        options=options,
        amount_reader=amount_reader,
        measure=measure,
        group=facts.get("group", TOTAL),
        max_year=max_year,
    )
    result = reader.result
    if facts.get("value"):
        reader.problem(h, 0, COMPUTED_EXPORTS[facts["value"]])
        return result
    said = facts.get("measure")
    if options.measure and said and said != options.measure:
        words = {"said": Measure(said).label, "chosen": Measure(options.measure).label}
        reader.problem(h, 0, MEASURE_CONTRADICTED[facts["measure_from"]] % words)
        return result
    if not measure:
        reader.problem(
            h,
            0,
            _(
                "The file does not say which measure it holds (expenditure, approvals or recipient countries): "
                "choose the measure when uploading (the Measure field; --measure on the command line)."
            ),
        )
    result.problems += merged_cell_problems(sheet, h)
    reader.header(h)
    table = Table(sheet=sheet.name, title="", header_address=sheet.where(h, 0), dimension="", measure=measure)
    table.columns = [{"index": c, "year": year, "kind": "amount"} for c, year in reader.years]
    for r in range(h + 1, len(cells)):
        if len(result.problems) >= MAX_PROBLEMS:
            result.problems.append(stopped_problem())
            break
        line = reader.series(r)
        if line is not None:
            table.rows.append(line)
    result.tables.append(table)
    if not result.problems:
        result.mismatches += _total_mismatches(result.rows, code_lists)
        if not result.rows:
            result.problems.append(Problem(None, "", _("The file has a header but no figures.")))
        elif options.status and not reader.chosen_status_used:
            result.problems.append(Problem(None, "", STATUS_NOT_USED % {"status": options.status}))
    return result


class _WideReader:
    """One wide sheet being read: what the upload chose, what its header says, and what is read so far."""

    def __init__(self, sheet, *, number_format, code_lists, options, amount_reader, measure, group, max_year):
        self.sheet = sheet
        self.number_format = number_format
        self.code_lists = code_lists
        self.options = options
        self.read_amount = amount_reader
        self.measure = measure
        self.group = group
        self.result = AppendixRead(found=True)
        self.keys, self.years, self.statuses = {}, [], {}  # code column, (amount column, year), status column
        self.max_year = max_year  # the last year a figure may be given for (the header's columns may go on)
        self.seen = {}  # cell key -> the address that gave the figure first
        self.width = 0  # the header's cells: a row's cells beyond them would be lost
        self.chosen_status_used = False  # whether any value's status is the form's (its status cell empty)

    def problem(self, r, c, message):
        self.result.problems.append(self.sheet.problem(r, c, message))

    def header(self, h):
        """Which column holds each code, each year's amount and each year's status; a problem for any other
        column (shares and changes included: they are computed, never uploaded)."""
        heads = self.sheet.cells[h]
        self.width = width(heads)
        value_years = set()  # the years with a column of values (amounts, shares...), read or refused
        for c, name in enumerate(cell_text(v).lower().replace(" ", "_") for v in heads):
            column = YEAR_COLUMN.fullmatch(name)
            if name in KEY_COLUMNS:
                self.keys[name] = c
            elif column and MIN_YEAR <= int(column[2]) <= MAX_YEAR:
                # Any year the explorer exports is a column; a figure given for one after `max_year` is a
                # problem at its cell, so an export of years to come, their cells empty, uploads back.
                kind, year = column[1] or "amount", int(column[2])
                unit = UNIT_OF_WORD.get(kind)
                if kind != "status":
                    value_years.add(year)
                if kind == "status":
                    self.statuses[year] = c
                elif kind in COMPUTED_COLUMNS:
                    self.problem(h, c, COMPUTED_COLUMNS[kind] % {"column": cell_text(heads[c])})
                elif unit and self.measure and unit_of(self.measure) != unit:
                    name = wide_column(self.measure, "amount", year)
                    words = {"unit": unit, "measure": self.measure, "name": name, "chosen": True}
                    self.problem(h, c, unit_column_message(cell_text(heads[c]), **words))
                else:
                    self.years.append((c, year))
            elif name:
                self.problem(
                    h,
                    c,
                    _("The column '%(column)s' is neither a code column of the wide export nor a year.")
                    % {"column": cell_text(heads[c])},
                )
        for year, c in self.statuses.items():
            if year not in value_years:  # its statuses would belong to no value, and be dropped unread
                amounts = wide_column(self.measure, "amount", year) if self.measure else f"amount_{year}"
                self.problem(
                    h,
                    c,
                    _(
                        "The column '%(column)s' has no column of values for %(year)s (%(amounts)s), so its "
                        "statuses would not be read: add that column, or remove this one."
                    )
                    % {"column": cell_text(heads[c]), "year": year, "amounts": amounts},
                )

    def series(self, r):
        """Row `r` -> its line in the preview, its figures added to the rows; None for an empty row or one
        whose codes are not all known."""
        row = self.sheet.cells[r]
        if not any(cell_text(v) for v in row):
            return None
        if width(row) > self.width:
            self.problem(r, self.width, beyond_header_message(width(row), self.width))
        codes = self.codes(row, r)
        if codes is None:
            return None
        line = self.line(r, codes)
        for c, year in self.years:
            line["cells"].append(self.year_cell(row, r, c, year, codes))
        return line

    def codes(self, row, r):
        """The row's code in each code list (the TOTAL where the file has no such column), or None once
        each code not known has its problem."""
        codes = {}
        bad = False
        for dim in CODE_COLUMNS:
            c = self.keys.get(dim)
            if c is None:  # the country group of an export without the column: what its name says
                codes[dim] = self.group if dim == "country_group" else TOTAL
                continue
            text = cell_text(row[c]) if c < len(row) else ""
            code = self.code_lists.aliases[dim].get(" ".join(text.split()).lower())
            if code is None:
                bad = True
                self.problem(r, c, _unknown_code_message(dim, text, self.code_lists))
            codes[dim] = code
        if not bad and crosses_input_type(codes):
            bad = True
            self.problem(r, self.keys["input_type"], input_type_crossed_message())
        return None if bad else codes

    def line(self, r, codes):
        """A series as the preview shows it: its codes and names joined by ' / ' (the type of input only
        when the file has that column)."""
        shown = [dim for dim in CODE_COLUMNS if dim in ("source", "region") or dim in self.keys]
        names = [self.code_lists.names.get(dim, {}).get(codes[dim], codes[dim]) for dim in shown]
        return {
            "row": self.sheet.row_number(r),
            "label": " / ".join(names),
            "code": " / ".join(codes[dim] for dim in shown),
            "name": " / ".join(names),
            # The TOTAL row of its group: the country group is the file's, not a series of it.
            "is_total": all(codes[dim] == TOTAL for dim in CODE_COLUMNS if dim != "country_group"),
            "cells": [],
        }

    def year_cell(self, row, r, c, year, codes):
        """One year's cell of a series as the preview shows it; its figure joins the rows unless its amount
        or status has a problem (an empty cell is a year without a figure)."""
        sheet = self.sheet
        value = row[c] if c < len(row) else ""
        cell = {"address": sheet.address(r, c), "where": sheet.where(r, c), "text": cell_text(value)}
        cell.update(kind="amount", year=year, dollars=None, key=None)
        if not cell_text(value):
            # No figure: the cell it would be, for the preview to say a live value there stays as on record.
            cell["missing"] = True
            if self.measure:
                cell["empty_key"] = cell_key(self.figure(codes, year))
            return cell
        if year > self.max_year:
            self.problem(r, c, year_outside_message(year, self.max_year))
            return cell
        dollars, message, ambiguity = self.read_amount(
            value, self.number_format, sheet.address(r, c), measure=self.measure or None
        )
        if message:
            self.problem(r, c, message)
            return cell
        status = self.options.status or None
        if year in self.statuses:
            s = self.statuses[year]
            status, message = _year_status(row, s, default=status)
            if message:
                self.problem(r, s, message)
                return cell
            self.chosen_status_used |= not cell_text(row[s] if s < len(row) else "")
        else:
            self.chosen_status_used = True
        cell["dollars"] = dollars
        if ambiguity:
            self.result.add_ambiguous(sheet, r, c, ambiguity, self.number_format)
        if self.measure:
            self.add_figure(cell, r, c, codes, year=year, dollars=dollars, status=status)
        return cell

    def figure(self, codes, year):
        """The members of a year's figure of a series (its cell: totals.cell_key)."""
        return {"measure": self.measure, "year": year, **{dim: codes[dim] for dim in CODE_COLUMNS}}

    def add_figure(self, cell, r, c, codes, *, year, dollars, status):
        """The cell's figure as an observation row, unless the file gave the same figure already."""
        sheet = self.sheet
        out = {
            **self.figure(codes, year),
            "amount": dollars,
            "status": status,
            "document": self.options.document or None,
            "document_url": self.options.document_url or None,
            "note": None,
            "line": sheet.row_number(r),
            "cell": sheet.where(r, c),
        }
        key = cell_key(out)
        cell["key"] = key
        if key in self.seen:
            self.problem(
                r, c, _("This is the same figure as %(cell)s; give each figure once.") % {"cell": self.seen[key]}
            )
            return
        self.seen[key] = sheet.address(r, c)
        self.result.rows.append(out)


def _unknown_code_message(dim, text, code_lists):
    """Why a code cell names no member of its code list: a sum of filtered members, a code not known
    (with the closest ones), or nothing at all."""
    what = DIMENSION_WORDS[dim]
    if "+" in text:
        return summed_members_message(text)
    if text:
        message = _("Unknown %(what)s '%(text)s'.") % {"what": what, "text": text}
        return message + " " + closest_codes(dim, text, code_lists)
    return _("The %(what)s is missing; write _T for the total.") % {"what": what}


def _year_status(row, column, *, default):
    """(the status a year's status cell names, or `default` when it is empty, None) or (None, the problem's
    message) when it names no status."""
    text = cell_text(row[column]) if column < len(row) else ""
    return read_status(text) if text else (default, None)


def _total_mismatches(rows, code_lists):
    """A mismatch, at the TOTAL's cell, for each total the rows' parts do not add up to; and, at the
    first of their cells, for stated shares or a count of countries that cannot be (totals.check_stated)."""
    amounts = {cell_key(row): row["amount"] for row in rows}
    where = {cell_key(row): row["cell"] for row in rows}
    failed = [
        (where[check["total_cell"]], total_message(check, code_lists.names))
        for check in check_totals(amounts, code_lists.parts, touched=amounts)
        if not check["ok"]
    ]
    for check in check_stated(amounts, code_lists.parts, touched=amounts):
        if not check["ok"]:
            first = next(where[c] for c in (*check["part_cells"], check["total_cell"]) if c in where)
            failed.append((first, stated_message(check, code_lists.names)))
    mismatches = []
    for address, words in failed:
        column = address.rsplit(" ", 1)[-1].rstrip("0123456789")
        message = at_cell(address, words)
        mismatches.append(Problem(int(address.rsplit(" ", 1)[-1][len(column) :]), column, message))
    return mismatches
