"""The XLSX writer: a typed table and its About facts -> a workbook with a "Data" and an "About" sheet."""

import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .about import about_rows
from .tables import neutralise

# Control characters an XLSX file cannot hold (openpyxl refuses them); tab, LF and CR are allowed.
XLSX_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def write_xlsx(header, rows, *, meta, file):
    """Write an XLSX workbook to `file` (a binary file object): a "Data" sheet and an "About" sheet.

    openpyxl's write-only mode streams each sheet to a temporary file as rows arrive, so memory
    does not grow with the number of rows. Numbers are numeric cells; text is neutralised. `meta`:
    the About facts, or a function giving them, called once every row is written (facts that cite
    the rows' documents can then be read off rows streamed from the database: about_witnesses).
    """
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet("Data")
    bold = Font(bold=True)
    data.freeze_panes = "A2"
    data.append([_bold_cell(data, name, bold) for name in header])
    for row in rows:
        data.append([xlsx_cell(value) for value in row])
    if callable(meta):
        meta = meta()
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
