"""The upload template: the long layout of every CSV export, with real example rows, as CSV and XLSX."""

import csv
import io

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
