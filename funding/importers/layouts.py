"""Layouts: which shape an uploaded file has (the long template, the app's wide export, an appendix
table as the ILO prints it), and the sheets of a file as grids of cells with their addresses.

Pure: bytes and tables in, plain data out. Each layout's reader (`wide`, `appendix`) turns sheets
into the same rows and problems as the long template's (`read_rows`), so checks, preview and
publish do not depend on the layout.
"""

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..vocabulary import VALUES, WIDE_UNIT_WORDS
from .files import FileRejected, Problem, _check_zip, at_cell
from .numbers import grouped
from .texts import cell_text
from .workbook import MAX_COLUMNS, MAX_ROWS

LONG, WIDE, APPENDIX = "long", "wide", "appendix"
LAYOUT_NAMES = {
    LONG: gettext_lazy("the upload template (one figure a row)"),
    WIDE: gettext_lazy("the dashboard's wide export (years as columns)"),
    APPENDIX: gettext_lazy("an appendix table as printed (years as columns, a TOTAL row)"),
}
# Columns only the long template has: a first row holding one of them is a long file, so its
# problems are the template's (an unknown column, a missing one), never a guess at another layout.
LONG_MARKERS = {"measure", "amount_usd_thousands", "amount", "country_group", "input_type", "status"}
WIDE_KEYS = {"source", "source_name", "region", "region_name"}


@dataclass(frozen=True)
class ReadOptions:
    """What the form or the command line says about a file that does not say it itself.

    `measure` (a Measure value), `status` (a status label), `document` and `document_url`: empty
    means "not given". They fill in what the file does not carry; what it carries (a wide export's
    status of each value) stays as the file says.
    """

    measure: str = ""
    status: str = ""
    document: str = ""
    document_url: str = ""

    def as_dict(self):
        return {k: v for k, v in self.__dict__.items() if v}

    @classmethod
    def from_dict(cls, values):
        return cls(**{k: str(v) for k, v in (values or {}).items() if k in cls.__dataclass_fields__})


@dataclass
class Sheet:
    """One sheet as a grid: `cells[r][c]` is the cell at row `row0 + r + 1`, column `col0 + c + 1`.

    `merged` lists merged ranges as (first row, first column, last row, last column), 0-based in
    the sheet's own coordinates. `formats` gives a workbook cell's number format (CellFormats); a CSV
    file is one sheet named "", whose cells have none.
    """

    name: str
    cells: list
    row0: int = 0
    col0: int = 0
    merged: list = field(default_factory=list)
    formats: object = None

    def number_format(self, r, c):
        """The number format of grid cell (r, c) when it is a number a workbook stores ("0.0%"), else None."""
        return self.formats(self.row0 + r, self.col0 + c) if self.formats else None

    def address(self, r, c):
        """The spreadsheet address of grid cell (r, c): 'B7'."""
        return f"{column_letter(self.col0 + c)}{self.row0 + r + 1}"

    def where(self, r, c):
        """The address with its sheet when the file has named sheets: "sheet 'By region', B7"."""
        if not self.name:
            return self.address(r, c)
        return _("sheet '%(sheet)s', %(address)s") % {"sheet": self.name, "address": self.address(r, c)}

    def row_number(self, r):
        return self.row0 + r + 1

    def merged_spans(self, first, end=None):
        """The merged ranges reaching rows `first` to `end` (excluded; None: the sheet's last) ->
        [(first row, first column, "B3:C3")] in reading order: a table's merged cells, which its readers refuse."""
        return [
            (r0, c0, f"{self.address(r0, c0)}:{self.address(r1, c1)}")
            for r0, c0, r1, c1 in sorted(self.merged)
            if r1 >= first and (end is None or r0 < end)
        ]

    def problem(self, r, c, message):
        """A Problem at grid cell (r, c): its row, its column's letter, and the message after the cell."""
        return Problem(self.row_number(r), self.address(r, c).rstrip("0123456789"), at_cell(self.where(r, c), message))


def merged_cell_problems(sheet, first, end=None):
    """A Problem at each merged range of `sheet` reaching rows `first` to `end` (Sheet.merged_spans), naming
    it: a spreadsheet shows a merged cell's figure in every cell it covers, but only the first holds it, and
    the others read as empty. The upload template's and the wide export's readers refuse them so (an
    appendix table's reader says where a year heading goes)."""
    return [
        sheet.problem(
            r0,
            c0,
            _("%(span)s is a merged cell: only its first cell holds what it shows. Unmerge it, one figure a cell.")
            % {"span": span},
        )
        for r0, c0, span in sheet.merged_spans(first, end)
    ]


class CellFormats:
    """The number formats of one workbook sheet's number cells, (row, column) 0-based -> "0.0%" or None.

    calamine reads values only; openpyxl reads the formats, when first asked and only as far down the
    sheet as asked: the shares of a printed appendix ask (what a cell shows is what the table prints),
    most uploads never do."""

    def __init__(self, data, name):
        self.data, self.name = data, name
        self.rows, self.read, self.found = None, 0, {}

    def __call__(self, row, column):
        if self.rows is None:
            from openpyxl import load_workbook  # only a workbook whose shares are numbers needs it

            # data_only: a formula's cell (=B7/B11) is the number it saved, with its format.
            sheet = load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)[self.name]
            sheet.reset_dimensions()  # every row the sheet has, not the extent it declares
            self.rows = sheet.iter_rows()
        while self.read <= row and (cells := next(self.rows, None)) is not None:
            for cell in cells:
                if cell.value is not None and cell.data_type == "n" and cell.number_format != "General":
                    self.found[cell.row - 1, cell.column - 1] = cell.number_format
            self.read += 1
        return self.found.get((row, column))


def column_letter(index):
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def plain_key(text):
    """A header cell or a member's spelling as the readers compare it: case and spacing aside."""
    return " ".join(str(text).split()).lower()


def first_row(table):
    """The first row of a table that holds anything, as lower-case names with `_` for spaces."""
    for row in table:
        names = [plain_key(cell_text(c)).replace(" ", "_") for c in row]
        if any(names):
            return names
    return []


# A year column of the wide export (vocabulary.wide_column): `amount_1995` (`countries_1995` for the
# recipient countries, `value_1995` for stated shares), `share_1995`, `change_1995`, and `status_1995`;
# older exports headed the amounts with the bare year. Group 1 is the word, group 2 the year.
_YEAR_WORDS = (*dict.fromkeys(WIDE_UNIT_WORDS.values()), *(v for v in VALUES if v != "amount"), "status")
YEAR_COLUMN = re.compile(rf"(?:({'|'.join(_YEAR_WORDS)})_)?([0-9]{{4}})")


def detect_layout(table):
    """The first sheet's table -> LONG, WIDE or APPENDIX.

    Wide: its first row is the wide export's (source and/or region columns first, and columns of
    years), whatever other code columns it has (a view about types of input or of one country group
    has them too). Long: its first row names a column only the template has. Anything else is tried
    as an appendix table, whose reader falls back to the template's problems when it finds no header
    of years.
    """
    names = first_row(table)
    keys = [n for n in names if n]
    years = any(YEAR_COLUMN.fullmatch(n) for n in keys)
    if keys and keys[0] in WIDE_KEYS and ({"source", "region"} & set(keys)) and years:
        return WIDE
    if any(name in LONG_MARKERS for name in names):
        return LONG
    if "year" in names:
        return LONG
    return APPENDIX


def csv_sheets(table):
    return [Sheet(name="", cells=table)]


def xlsx_sheets(data, *, visible_only=True):
    """An XLSX file's worksheets -> (list of Sheet, list of names of hidden sheets not read).

    The workbook's size has been checked (`files.read_table`) before this is called; each sheet's
    extent is checked here before its cells are read, so a stray far-away cell cannot make the
    reader build an enormous grid.
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    _check_zip(data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = list(workbook.sheets_metadata)
    except Exception:  # calamine raises its own error types for every kind of broken workbook
        raise FileRejected(_("The file is not a valid Excel workbook (.xlsx): it could not be read.")) from None
    sheets, hidden = [], []
    for meta in metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        if visible_only and meta.visible != SheetVisibleEnum.Visible:
            hidden.append(meta.name)
            continue
        try:
            sheet = workbook.get_sheet_by_name(meta.name)
            if sheet.start is None:
                sheets.append(Sheet(name=meta.name, cells=[]))
                continue
            (top, left), (bottom, right) = sheet.start, sheet.end
            # The upload's limits (workbook.inspect_workbook held every visible sheet to them already), again
            # as the reader sees the sheet: a table with years as columns may be as wide as a long file.
            if bottom - top + 1 > MAX_ROWS or right - left + 1 > MAX_COLUMNS:
                raise FileRejected(
                    _(
                        "The sheet '%(sheet)s' spans %(span)s, more than %(rows)s rows or %(columns)s columns; "
                        "it was not read."
                    )
                    % {
                        "sheet": meta.name,
                        "span": f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}",
                        "rows": grouped(MAX_ROWS),
                        "columns": grouped(MAX_COLUMNS),
                    }
                )
            cells = sheet.to_python(skip_empty_area=True)
            merged = [
                (r0 - top, c0 - left, r1 - top, c1 - left) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
            ]
        except FileRejected:
            raise
        except Exception:
            raise FileRejected(
                _("The sheet '%(sheet)s' could not be read: the workbook is damaged.") % {"sheet": meta.name}
            ) from None
        sheets.append(
            Sheet(name=meta.name, cells=cells, row0=top, col0=left, merged=merged, formats=CellFormats(data, meta.name))
        )
    return sheets, hidden


def read_layout(layout, *, data, file_name, first_table, number_format, code_lists, options, max_year, amount_reader):
    """A wide or appendix file -> (AppendixRead, sheet names read, hidden sheet names not read).

    The first sheet's `first_table` is what `files.read_table` read. A wide export is its first
    sheet (its About sheet says what it holds); an appendix file is every visible sheet, each read
    for tables. Returns None for the AppendixRead when no sheet has a header row of years.
    """
    from .appendix import read_appendix
    from .wide import export_facts, read_wide

    is_xlsx = file_name.lower().endswith(".xlsx")
    sheets, hidden = xlsx_sheets(data) if is_xlsx else (csv_sheets(first_table), [])
    sheets = [s for s in sheets if s.cells]
    if layout == WIDE:
        about = next((s.cells for s in sheets[1:] if s.name.lower() == "about"), None)
        facts = export_facts(file_name=file_name, about=about)
        first = sheets[0] if sheets else Sheet(name="", cells=first_table)
        result = read_wide(
            first,
            number_format=number_format,
            code_lists=code_lists,
            options=options,
            max_year=max_year,
            amount_reader=amount_reader,
            facts=facts,
        )
        return result, [first.name], hidden
    result = read_appendix(
        sheets,
        number_format=number_format,
        code_lists=code_lists,
        options=options,
        max_year=max_year,
        amount_reader=amount_reader,
    )
    if not result.found:
        return None, [], hidden
    read = list(dict.fromkeys(t.sheet for t in result.tables))
    return result, read, hidden
