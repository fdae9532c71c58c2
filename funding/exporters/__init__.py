"""Exporters: rows -> JSON / CSV / XLSX bytes. Pure: plain data in, plain data out.

A table is a header and an iterable of rows of typed cells: text is `str`, numbers are `int` or
`Decimal`, a missing value is `None`. The CSV and XLSX writers format those cells, so a number is
never mistaken for text (a negative change stays a number) and text is never taken for a formula.

The package: `tables` (selector rows -> JSON rows, the long and wide tables, file names), `csv` and
`xlsx` (the writers), `about` (the facts that travel with the data); every public name is here.
"""

from .about import (
    BREAKDOWN_TITLES,
    LICENCE_STATEMENT,
    MEASURE_TITLES,
    SOURCE_STATEMENT,
    STANDING_NOTES,
    STATUS_NOTES,
    VALUE_TITLES,
    about,
    about_rows,
    title,
)
from .csv import csv_bytes, csv_cell, csv_chunks, plain_number
from .tables import (
    FORMULA_PREFIXES,
    LONG_COLUMNS,
    TOTAL,
    VALUE_COLUMNS,
    WIDE_KEY_COLUMNS,
    file_stem,
    json_amount,
    json_rows,
    long_table,
    neutralise,
    wide_table,
)
from .xlsx import XLSX_ILLEGAL, write_xlsx, xlsx_cell, xlsx_number

__all__ = [
    "BREAKDOWN_TITLES",
    "FORMULA_PREFIXES",
    "LICENCE_STATEMENT",
    "LONG_COLUMNS",
    "MEASURE_TITLES",
    "SOURCE_STATEMENT",
    "STANDING_NOTES",
    "STATUS_NOTES",
    "TOTAL",
    "VALUE_COLUMNS",
    "VALUE_TITLES",
    "WIDE_KEY_COLUMNS",
    "XLSX_ILLEGAL",
    "about",
    "about_rows",
    "csv_bytes",
    "csv_cell",
    "csv_chunks",
    "file_stem",
    "json_amount",
    "json_rows",
    "long_table",
    "neutralise",
    "plain_number",
    "title",
    "wide_table",
    "write_xlsx",
    "xlsx_cell",
    "xlsx_number",
]
