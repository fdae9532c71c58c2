"""The upload template: the long layout of every CSV export, with real example rows, as CSV and XLSX."""

import csv
import io

from django.utils.translation import gettext, gettext_lazy

# Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV injection"): the
# writers of the template's layout put a `'` before them, and the importer takes it off again.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

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
    "document_url",
    "note",
)
# Real figures (1995 expenditure by source of funds, GB.273/TC/1 Appendix I table A) with their
# document, link and note as published, so that a template uploaded unchanged restates what is
# published and changes nothing (provenance is part of a value).
TEMPLATE_DOCUMENT = "GB.273/TC/1 (Nov 1998) Appendix I table A"
TEMPLATE_DOCUMENT_URL = "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm"
_SAME = "identical value in GB.267/TC/1 App I (Nov 1996)"
TEMPLATE_ROWS = (
    ("expenditure", 1995, "rbtc", "Regular budget (RBTC)", "_T", "All regions", "_T", "12426",
     f"published table; share 11.0%; {_SAME}"),
    ("expenditure", 1995, "undp", "UNDP", "_T", "All regions", "_T", "31211",
     f"published table; share 27.6%; {_SAME}; UNDP row incl. projects where ILO is associated agency and "
     "TSS-1/SPPD projects; excl. TSS-2/STS projects (footnote 1)"),
    ("expenditure", 1995, "trust-funds", "Trust funds and multi-bi", "_T", "All regions", "_T", "61028",
     f"published table; share 54.0%; {_SAME}; incl. funds-in-trust from beneficiary govts, reimbursable "
     "UNEP/UNICEF/UNHCR etc., development banks (fn 2); multi-bilateral incl. associate experts (fn 3)"),
    ("expenditure", 1995, "unfpa", "UNFPA", "_T", "All regions", "_T", "8266",
     f"published table; share 7.3%; {_SAME}; United Nations Fund for Population Activities (fn 4)"),
    ("expenditure", 1995, "_T", "All sources", "_T", "All regions", "_T", "112930",
     f"published table; share 100.0%; {_SAME}; excluding administrative expenditure"),
)  # fmt: skip
# In the reader's language (the column names and codes stay as they are: they are what is read).
TEMPLATE_NOTES = (
    gettext_lazy("One row per figure. Amounts in thousands of US dollars, at most 3 decimals."),
    gettext_lazy("measure: expenditure or approvals. Codes or names are accepted; _T (or all, total) is the total."),
    gettext_lazy("Leave out a figure you do not have: a missing year is not a zero."),
    gettext_lazy("Required columns: measure, year, source, region, amount_usd_thousands."),
    gettext_lazy(
        "Optional columns: country_group, input_type, status, document, document_url, note. A file without an "
        "optional column keeps what is on record for it; an empty cell in a column that is there clears it."
    ),
    gettext_lazy(
        "document_url: an http:// or https:// address of at most 500 characters. "
        "source_name and region_name are ignored."
    ),
)


def template_table(names=None):
    """The upload template as a table of cells: the header, then example rows (real 1995 figures).
    `names` ({"source": {code: name}, "region": {...}}) gives `source_name` and `region_name` in a
    language (they are for people; the importer ignores them); without it, the English ones."""
    names = names or {}

    def name(dim, code, english):
        return names.get(dim, {}).get(code) or english

    return [list(TEMPLATE_HEADER)] + [
        [*row[:3], name("source", row[2], row[3]), row[4], name("region", row[4], row[5]), *row[6:8], "published",
         TEMPLATE_DOCUMENT, TEMPLATE_DOCUMENT_URL, row[8]]
        for row in TEMPLATE_ROWS
    ]  # fmt: skip


def template_csv(names=None):
    """The upload template as CSV bytes (UTF-8, comma separated), the layout of every CSV export."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(template_table(names))
    return out.getvalue().encode("utf-8")


def template_xlsx(code_rows=(), names=None):
    """The upload template as XLSX bytes: the figures sheet first (the one read), then the notes
    and `code_rows` ((dimension, code, name) triples) on a second sheet, in the active language."""
    from openpyxl import Workbook  # writing a small file: openpyxl's speed is no concern here

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    for row in template_table(names):
        # Amounts as numbers: a cell Excel stores as a number is read exactly, whatever the format.
        sheet.append([int(cell) if index == 7 and str(cell).isdigit() else cell for index, cell in enumerate(row)])
    for column, width in zip("ABCDEFGHIJKL", (12, 6, 12, 26, 12, 22, 13, 21, 11, 40, 40, 40), strict=True):
        sheet.column_dimensions[column].width = width
    help_sheet = workbook.create_sheet(gettext("Codes and notes"))
    for note in TEMPLATE_NOTES:
        help_sheet.append([str(note)])
    help_sheet.append([])
    help_sheet.append([gettext("column"), gettext("code"), gettext("name")])
    for row in code_rows:
        help_sheet.append([str(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
