"""The XLSX writer: a typed table and its About facts -> a workbook with a "Data" and an "About" sheet.

openpyxl makes the workbook: its parts, styles, the frozen header, the About sheet. The Data sheet's
rows, the one part that grows with the view, are written here, as the same XML openpyxl writes
for them (an inline string, or a number, per cell), straight into the sheet's part of the zip as
they stream from the database. openpyxl's write-only mode builds a cell object and an lxml element
for every value: about 7 µs a cell, 5 s for 50,000 rows of 14 columns; the text written here is the
same in a fifth of the time, and memory stays flat either way.

Every text cell of the workbook, openpyxl's too (text_cell), is an inline string (`t="inlineStr"`):
never a formula nor a formula's result (`t="str"`). Excel and Calc show it as it is, `=2+2` included,
so it is written without the `'` a CSV needs before a formula character (exporters.tables.neutralise).
"""

import functools
import tempfile
import zipfile
from decimal import Decimal
from io import BytesIO
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .about import about_rows
from .csv import BLOCK
from .tables import NOT_XML

DATA_PART = "xl/worksheets/sheet1.xml"  # the first sheet openpyxl writes: "Data"
# zlib's level 3 for the Data sheet: its 49 MB of XML for 76,000 rows compress in 0.24 s to 4.05 MB,
# where the default level 6 takes 0.65 s for 3.70 MB (level 1: 0.19 s, 4.51 MB).
DATA_COMPRESSION = 3
# Besides &, < and >: a carriage return as a reference, which a parser would otherwise read as a line feed.
TEXT_ENTITIES = {"\r": "&#13;"}


def xlsx_number(number):
    """An int or Decimal as an XLSX number: int when whole, else the float nearest the exact decimal.

    The float is built from the decimal's text, so 1234.5 is written `1234.5`, never `1234.49999`.
    """
    if isinstance(number, Decimal):
        integral = number.to_integral_value()
        return int(integral) if number == integral else float(str(number))
    return number


def xlsx_cell(value):
    """A value as a workbook holds it: text without the characters XML cannot hold (`=2+2` as it is: an
    inline string is never a formula), a number as xlsx_number, None and booleans as they are."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    return xlsx_number(value)


def text_cell(sheet, value, font=None):
    """A cell of an openpyxl write-only `sheet`: xlsx_cell(value), text always a string. openpyxl would
    make text starting with `=` a formula; a string it writes inline, as the Data sheet's rows."""
    cell = WriteOnlyCell(sheet, value=xlsx_cell(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def cell_xml(reference, value):
    """One cell of sheetData as openpyxl writes it: text inline (spaces kept where they lead or
    trail), a number in the `%.16g` openpyxl uses, a boolean as 1 or 0; an empty text an empty cell,
    and nothing for no value."""
    body = _cell_body(value)
    return f'<c r="{reference}"{body}' if body else ""


def _cell_body(value):
    """What follows `<c r="A1"` in cell_xml, or None for no value (no cell)."""
    if isinstance(value, str):
        return _text_body(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return f' t="b"><v>{int(value)}</v></c>'
    return f' t="n"><v>{xlsx_number(value):.16g}</v></c>'


@functools.lru_cache(maxsize=8192)
def _text_body(text):
    # An export's texts repeat from row to row (codes, names, statuses, documents, notes): each is
    # cleaned and escaped once, a third of the Data sheet's time before.
    text = xlsx_cell(text)
    if text == "":
        return ' t="inlineStr"></c>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f' t="inlineStr"><is><t{space}>{escape(text, TEXT_ENTITIES)}</t></is></c>'


def _rows_xml(rows, first, out):
    """Write `rows` as <row> elements numbered from `first` to the text file `out`, in blocks."""
    letters = []
    parts, size = [], 0
    for number, row in enumerate(rows, start=first):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        cells = "".join(
            [
                f'<c r="{column}{number}"{body}'
                for column, value in zip(letters, row, strict=False)
                if (body := _cell_body(value))
            ]
        )
        text = f'<row r="{number}">{cells}</row>'
        parts.append(text)
        size += len(text)
        if size >= BLOCK:
            out.write("".join(parts))
            parts, size = [], 0
    out.write("".join(parts))


def write_xlsx(header, rows, *, meta, file):
    """Write an XLSX workbook to `file` (a binary file object): a "Data" sheet and an "About" sheet.

    The rows go to a temporary file as they arrive, so memory does not grow with their number.
    Numbers are numeric cells; text is inline strings, as it is. `meta`: the About facts, or a function giving
    them, called once every row is written (facts that cite the rows' documents can then be read
    off rows streamed from the database: about_witnesses).
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8") as data_rows:
        _rows_xml(rows, 2, data_rows)
        if callable(meta):
            meta = meta()
        frame = BytesIO()
        _frame(header, meta).save(frame)
        data_rows.seek(0)
        _splice(frame, data_rows, file)


def _frame(header, meta):
    """The workbook openpyxl makes: the Data sheet with its header row only, and the About sheet."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("Data")
    bold = Font(bold=True)
    data.freeze_panes = "A2"
    data.append([text_cell(data, name, bold) for name in header])
    sheet = workbook.create_sheet("About")
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 120
    for label, value in about_rows(meta):
        sheet.append([text_cell(sheet, label, bold), text_cell(sheet, value)])
    return workbook


def _splice(frame, data_rows, file):
    """Copy the workbook `frame` to `file`, with the rows in `data_rows` after the Data sheet's header."""
    with (
        zipfile.ZipFile(frame) as source,
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED, compresslevel=DATA_COMPRESSION) as target,
    ):
        for info in source.infolist():
            if info.filename != DATA_PART:
                target.writestr(info, source.read(info))
                continue
            head, end, tail = source.read(info).decode().partition("</sheetData>")
            # Named, not a ZipInfo, so that it is compressed at the target's level (openpyxl's parts,
            # copied with their own ZipInfo, keep zlib's default).
            with target.open(DATA_PART, "w", force_zip64=True) as part:
                part.write(head.encode())
                while block := data_rows.read(BLOCK):
                    part.write(block.encode())
                part.write((end + tail).encode())
