"""Files: check what an upload really is (size, type, encoding, zip bomb) and read it into a table of cells."""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from .numbers import grouped
from .texts import SpreadsheetError
from .workbook import MAX_COLUMNS, MAX_ROWS, WorkbookRefused, hidden_with_values, inspect_workbook

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
    """One thing wrong with a file: the row (1 is the header; None for the whole file), the column, a message.

    `closing`: the line that ends a list cut short (how many more rows have problems, or where reading
    stopped), which is listed with the problems but is not one of them (`counted`)."""

    row: int | None
    column: str
    message: str
    closing: bool = False

    def __str__(self):
        if self.row:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.column:
            return _("Column %(column)s: %(message)s") % {"column": self.column, "message": self.message}
        return str(self.message)


class Tally(NamedTuple):
    """A list of problems as its heading counts them: how many, and whether there are more unlisted."""

    count: int
    cut_short: bool


def counted(problems):
    """The Tally of `problems`: its closing lines are not problems of their own."""
    closing = sum(problem.closing for problem in problems)
    return Tally(len(problems) - closing, bool(closing))


def at_cell(where, message):
    """A problem's message with the cell it is about first: "B7: ..." ("B7 : ..." in French)."""
    return pgettext("a cell and its problem", "%(cell)s: %(message)s") % {"cell": where, "message": message}


class FileRejected(Exception):
    """The file as a whole cannot be read; `problem` says why (and where, when it is one row)."""

    def __init__(self, message, column="", row=None):
        super().__init__(message)
        self.problem = Problem(row=row, column=column, message=message)


@dataclass
class Table:
    """A file read as rows of cells (the header first; a CSV is an iterator, read as it is checked)
    and, for a workbook, the sheet read: {"name", "hidden": [names of hidden sheets not read]}, and its
    merged ranges as layouts.Sheet keeps them (0-based (first row, first column, last row, last column)),
    which the reader refuses: the cells they cover but the first read as empty."""

    rows: object
    sheet: dict | None = None
    merged: list = field(default_factory=list)


def _extension(file_name):
    name = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def size_text(size):
    """A number of bytes for people: 812 bytes, 40 KB, 5.0 MB, 10.0 GB."""
    from django.utils.formats import number_format
    from django.utils.translation import ngettext

    if size < 1024:
        return ngettext("%(count)s byte", "%(count)s bytes", size) % {"count": size}
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": number_format(round(size / 1024))}
    if size < 1024**3:
        return _("%(size)s MB") % {"size": number_format(size / 1024**2, decimal_pos=1)}
    return _("%(size)s GB") % {"size": number_format(size / 1024**3, decimal_pos=1, force_grouping=True)}


def too_large_message(size, limit):
    """The words for a file over the size limit, exact to the byte: rounded, both may read "5.0 MB"."""
    if limit < 1024:
        return _("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {
            "size": grouped(size),
            "limit": grouped(limit),
        }
    return _("The file is %(size)s bytes (%(size_text)s); the limit is %(limit)s bytes (%(limit_text)s).") % {
        "size": grouped(size),
        "size_text": size_text(size),
        "limit": grouped(limit),
        "limit_text": size_text(limit),
    }


def _check_size(data, max_bytes):
    if not data:
        raise FileRejected(_("The file is empty."))
    if max_bytes is not None and len(data) > max_bytes:
        raise FileRejected(too_large_message(len(data), max_bytes))


def _wide_encoding(data):
    """ "UTF-32" or "UTF-16" when the bytes look like text in that encoding (a byte order mark, or zero
    bytes where latin text has them in it), else None. UTF-32's little-endian mark (FF FE 00 00) begins
    with UTF-16's (FF FE), so UTF-32 is told first."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = data[:4096]
    if len(sample) < 16:
        return None

    def zeros(part):
        return part.count(0) / len(part)

    # Without a mark, latin text in UTF-32 has three zero bytes of every four (the last three, or the
    # first three), and in UTF-16 one of every two; the other bytes are almost never zero.
    quarters = [zeros(sample[i::4]) for i in range(4)]
    if (quarters[0] <= 0.1 and min(quarters[1:]) >= 0.9) or (quarters[3] <= 0.1 and min(quarters[:3]) >= 0.9):
        return "UTF-32"
    even, odd = zeros(sample[0::2]), zeros(sample[1::2])
    if (even >= 0.9 and odd <= 0.1) or (odd >= 0.9 and even <= 0.1):
        return "UTF-16"
    return None


def _csv_error(exc, row):
    """csv.Error -> words a person can act on, for the record starting at `row`."""
    text = str(exc)
    if "field larger than field limit" in text:
        return _huge_cell(row)
    if "unexpected end of data" in text or "EOF" in text:
        return _(
            'A quote (") opened in row %(row)s is never closed, so the rest of the file would read as one cell. '
            "Close the quote, or remove it."
        ) % {"row": row}
    return _('Row %(row)s is not valid CSV (%(error)s). A quote inside a cell must be doubled ("").') % {
        "row": row,
        "error": text,
    }


# No cell of a file of figures comes near this; csv's own limit is process-wide and others may raise it.
MAX_CELL_CHARACTERS = 131_072


def _huge_cell(row):
    return _(
        "Row %(row)s holds a cell of more than %(limit)s characters, which no figure needs. "
        'Is a quote (") opened there and never closed?'
    ) % {"row": row, "limit": grouped(MAX_CELL_CHARACTERS)}


def _csv_rows(text, delimiter):
    """Rows of a CSV text, one at a time; a broken record raises FileRejected naming its row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0  # the records read: a broken one is the next
    try:
        for row, cells in enumerate(reader, start=1):
            if sum(map(len, cells)) > MAX_CELL_CHARACTERS and max(map(len, cells)) > MAX_CELL_CHARACTERS:
                raise FileRejected(_huge_cell(row), row=row)
            yield cells
    except csv.Error as exc:
        raise FileRejected(_csv_error(exc, row + 1), row=row + 1) from None


def _csv_table(data):
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise FileRejected(
            _("The file is named .csv but is an Excel workbook. Name it .xlsx, or save it as 'CSV UTF-8' in Excel.")
        )
    encoding = _wide_encoding(data)
    if encoding == "UTF-32":
        raise FileRejected(
            _(
                "The file is UTF-32 text; tcdash reads UTF-8. Save it as UTF-8 (in Excel: Save As, "
                "'CSV UTF-8 (Comma delimited)'), then upload that file."
            )
        )
    if encoding == "UTF-16":
        raise FileRejected(
            _(
                "The file is UTF-16 text (Excel's 'Unicode Text'); tcdash reads UTF-8. In Excel, use Save As and "
                "choose 'CSV UTF-8 (Comma delimited)', then upload that file."
            )
        )
    if b"\x00" in data:
        raise FileRejected(_("The file is not a CSV file: it holds binary data, not text."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRejected(
            _("The file is not UTF-8 text. In Excel, use Save As and choose 'CSV UTF-8 (Comma delimited)'.")
        ) from None
    if not text.strip():
        raise FileRejected(_("The file is empty."))
    # The header is the first line with anything but separators in it (Excel writes `,,,,` for an
    # empty first row); read lazily, as a file may be large.
    header_line = next((line for line in io.StringIO(text) if line.strip(" \t\r\n,;")), "")
    # The header has no numbers in it, so its separator is unambiguous (amounts may hold commas): a
    # comma, a semicolon (Excel's CSV where the comma is the decimal mark) or a tab (Excel's "Text").
    delimiter = max((",", ";", "\t"), key=header_line.count)
    # A header wider than any file's is refused before its rows are parsed (two million columns took
    # 8.6 s and 100 MB to be refused cell by cell); a workbook's sheet is held to the same width.
    if (columns := header_line.count(delimiter) + 1) > MAX_COLUMNS:
        raise FileRejected(
            ngettext(
                "The file's header has %(count)s column; a file has at most %(limit)s. It was not read.",
                "The file's header has %(count)s columns; a file has at most %(limit)s. It was not read.",
                columns,
            )
            % {"count": grouped(columns), "limit": grouped(MAX_COLUMNS)}
        )
    _check_csv_length(text, delimiter)
    return Table(rows=_csv_rows(text, delimiter))


def _check_csv_length(text, delimiter):
    """Refuse a CSV longer than a workbook's sheet may be (MAX_ROWS records, the header and empty rows
    included, as a sheet's extent counts them), before a cell of it is checked: 16 MB is some 2.6
    million short rows, which took 6.6 s to be checked and refused, or 16 million empty ones, read in
    11.5 s. Counting is csv's C reader alone, and only for a file with more lines than the limit."""
    if text.count("\n") < MAX_ROWS:
        return
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = sum(1 for _ in records)
    except csv.Error:
        return  # a broken record: _csv_rows names its row
    if rows > MAX_ROWS:
        raise FileRejected(
            _("The file has %(count)s rows; a file has at most %(limit)s. It was not read.")
            % {"count": grouped(rows), "limit": grouped(MAX_ROWS)}
        )


# Spreadsheets saved in another format than the one read: the problem says how to save the one read.
OTHER_SPREADSHEETS = {
    "xls": gettext_lazy("an Excel 97-2003 workbook (.xls)"),
    "xlsm": gettext_lazy("an Excel workbook with macros (.xlsm)"),
    "xlsb": gettext_lazy("an Excel binary workbook (.xlsb)"),
    "ods": gettext_lazy("an OpenDocument spreadsheet (.ods)"),
    "numbers": gettext_lazy("a Numbers spreadsheet (.numbers)"),
}
SAVE_AS_XLSX = gettext_lazy(
    "The file is %(kind)s. Save it as an Excel Workbook (.xlsx), or as CSV UTF-8, and upload that "
    "(in Excel or LibreOffice: File, Save As, then choose the type)."
)


def _small_member(archive, name):
    """The first bytes of a zip member (an OpenDocument file's `mimetype`), b"" when there is none."""
    try:
        with archive.open(name) as member:
            return member.read(100)
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return b""


def _check_zip(data):
    """Refuse an XLSX that is not a real workbook, would unpack into far more than it weighs, or whose
    sheet could not be read safely (workbook.inspect_workbook) -> the sheet to read, {"name", "hidden", "held",
    "merged"}."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise FileRejected(
            _("The file is not a valid Excel workbook (.xlsx): it is damaged or not a workbook.")
        ) from None
    with archive:
        if len(members) > XLSX_MAX_MEMBERS:
            raise FileRejected(
                _("The workbook holds %(count)s parts; a real one holds far fewer. It was not read.")
                % {"count": grouped(len(members))}
            )
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            if "content.xml" in names and b"opendocument.spreadsheet" in _small_member(archive, "mimetype"):
                raise FileRejected(SAVE_AS_XLSX % {"kind": OTHER_SPREADSHEETS["ods"]})
            raise FileRejected(_("The file is a zip archive but not an Excel workbook (.xlsx)."))
        declared = sum(m.file_size for m in members)
        if declared > XLSX_MAX_UNPACKED:
            raise FileRejected(
                _("The workbook would unpack to %(size)s (limit %(limit)s); it was not read.")
                % {"size": size_text(declared), "limit": size_text(XLSX_MAX_UNPACKED)}
            )
        for member in members:
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > XLSX_RATIO_FLOOR and ratio > XLSX_MAX_RATIO:
                raise FileRejected(
                    _(
                        "The workbook part %(part)s is compressed %(ratio)s times; "
                        "the file looks like a zip bomb and was not read."
                    )
                    % {"part": member.filename, "ratio": grouped(ratio)}
                )
        # The sizes above are what the archive claims; count what it really unpacks to, in chunks.
        unpacked = 0
        sizes = {}
        try:
            for member in members:
                size = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        size += len(chunk)
                        unpacked += len(chunk)
                        if unpacked > XLSX_MAX_UNPACKED:
                            raise FileRejected(
                                _(
                                    "The workbook unpacks to more than %(limit)s; "
                                    "the file looks like a zip bomb and was not read."
                                )
                                % {"limit": size_text(XLSX_MAX_UNPACKED)}
                            )
                sizes[member.filename] = size
            return inspect_workbook(archive, sizes)
        except WorkbookRefused as refused:
            raise FileRejected(str(refused)) from None
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, KeyError):
            raise FileRejected(_("The file is not a valid Excel workbook (.xlsx): it is damaged.")) from None


def _xlsx_table(data):
    if data.startswith(OLE2_MAGIC):
        raise FileRejected(
            _(
                "The workbook is password-protected (or is an old .xls file). "
                "Remove the password and save it as an Excel Workbook (.xlsx)."
            )
        )
    if not data.startswith(ZIP_MAGIC):
        raise FileRejected(_("The file is named .xlsx but is not an Excel workbook."))
    sheet = _check_zip(data)
    held = sheet.pop("held", {})
    merged = sheet.pop("merged", [])
    import pandas as pd  # heavy: imported only when a workbook is read

    try:
        # dtype=object, not str: a cell Excel stores as a number has no number format and must
        # not be re-read by one (12.426 stored as a number is 12.426 whatever the user picked).
        # keep_default_na=False: "NA" is a code (Namibia), not a missing value.
        frame = pd.read_excel(
            io.BytesIO(data),
            engine="calamine",
            header=None,
            dtype=object,
            keep_default_na=False,
            sheet_name=sheet["name"],
        )
    except Exception:  # calamine raises its own error types for every kind of broken workbook
        raise FileRejected(_("The file is not a valid Excel workbook (.xlsx): it could not be read.")) from None
    rows = frame.values.tolist()
    # The reader sees an error cell, or a number saved without digits, as empty: each is put back as what
    # it holds, for its problem to say so (an empty amount is "no figure", an error is not).
    for (row, column), text in held.items():
        if 0 < row <= len(rows) and 0 < column <= len(rows[row - 1]):
            rows[row - 1][column - 1] = float("nan") if text == "NaN" else SpreadsheetError(text)
    return Table(rows=rows, sheet=sheet, merged=merged)


def hidden_sheets_with_values(data):
    """The hidden sheets of a workbook (bytes read_table has already inspected) that hold any value."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return hidden_with_values(archive)


def read_table(data, *, file_name, max_bytes=None):
    """File bytes + name -> Table (rows of cells, the header first; the sheet read). Raises FileRejected
    saying why not.

    The extension says what the file should be and its first bytes must agree: a .csv is UTF-8 text
    (with or without a BOM, separated by commas, semicolons or tabs), a .xlsx a real, reasonably sized workbook.
    """
    _check_size(data, max_bytes)
    extension = _extension(file_name)
    if extension == "csv":
        return _csv_table(data)
    if extension == "xlsx":
        return _xlsx_table(data)
    if extension in OTHER_SPREADSHEETS:
        raise FileRejected(SAVE_AS_XLSX % {"kind": OTHER_SPREADSHEETS[extension]})
    if extension:
        raise FileRejected(_("Upload a .csv or .xlsx file, not .%(extension)s.") % {"extension": extension})
    raise FileRejected(_("Upload a .csv or .xlsx file, not a file without an extension."))
