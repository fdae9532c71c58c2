"""Exporters: rows -> JSON / CSV / XLSX bytes. Pure: plain data in, plain data out.

A table is a header and an iterable of rows of typed cells: text is `str`, numbers are `int` or
`Decimal`, a missing value is `None`. The CSV and XLSX writers format those cells, so a number is
never mistaken for text (a negative change stays a number) and text is never taken for a formula.

The package: `tables` (selector rows -> JSON rows, the long and wide tables, file names), `csv` and
`xlsx` (the writers), `about` (the facts that travel with the data); what callers use is re-exported
here. The words of titles and notes (measures, breakdowns, statuses) are in `funding.vocabulary`.
"""

from .about import about
from .csv import csv_chunks
from .json_stream import about_witnesses, json_bytes, json_chunks
from .tables import (
    LONG_COLUMNS,
    WIDE_KEY_COLUMNS,
    file_stem,
    json_rows,
    long_columns,
    long_table,
    long_table_sql,
    wide_table,
)
from .xlsx import write_xlsx

__all__ = [
    "LONG_COLUMNS",
    "WIDE_KEY_COLUMNS",
    "about",
    "about_witnesses",
    "csv_chunks",
    "file_stem",
    "json_bytes",
    "json_chunks",
    "json_rows",
    "long_columns",
    "long_table",
    "long_table_sql",
    "wide_table",
    "write_xlsx",
]
