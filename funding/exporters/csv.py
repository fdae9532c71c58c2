"""The CSV writer: a typed table -> UTF-8 CSV, streamed in blocks of about 64 KB."""

import csv
import io
from decimal import Decimal

from .tables import neutralise


def plain_number(number):
    """An int or Decimal as plain decimal text: `23531`, `1234.5`, `-12.40` (no exponent, no separator)."""
    return format(number, "f") if isinstance(number, Decimal) else str(number)


def csv_cell(value, *, decimal="."):
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    text = plain_number(value)
    return text.replace(".", decimal) if decimal != "." else text


# What each `dialect` writes: the separator and the decimal mark (see forms.ExportOptions).
DIALECTS = {"plain": {"delimiter": ",", "decimal": "."}, "excel-fr": {"delimiter": ";", "decimal": ","}}


# Bytes gathered before a block is handed to the server: one socket write per ~64 KB, not per row.
BLOCK = 64 * 1024


def csv_chunks(header, rows, *, bom=False, dialect="plain"):
    """(header, rows) -> an iterator of UTF-8 encoded CSV blocks (CRLF lines), about 64 KB each.

    `bom=True` starts the file with a UTF-8 byte order mark, which Excel needs to read accents.
    `dialect` "plain" is RFC 4180; "excel-fr" separates with `;` and writes decimals with a comma,
    as spreadsheets in comma-decimal locales read them (its callers also ask for the BOM).
    Memory stays one block whatever the number of rows.
    """
    spec = DIALECTS[dialect]
    decimal = spec["decimal"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=spec["delimiter"])
    if bom:
        buffer.write("\ufeff")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value, decimal=decimal) for value in row])
        if buffer.tell() >= BLOCK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def csv_bytes(header, rows, *, bom=False, dialect="plain"):
    """The whole CSV file as bytes (small tables and tests)."""
    return b"".join(csv_chunks(header, rows, bom=bom, dialect=dialect))
