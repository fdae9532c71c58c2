"""The CSV writer: a typed table -> UTF-8 CSV lines, streamed one row at a time."""

import csv
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


class _Echo:
    """A write-only file whose write() returns what it was given: lets csv.writer produce lines lazily."""

    def write(self, value):
        return value


def csv_chunks(header, rows, *, bom=False, dialect="plain"):
    """(header, rows) -> an iterator of UTF-8 encoded CSV lines (CRLF), one per row.

    `bom=True` starts the file with a UTF-8 byte order mark, which Excel needs to read accents.
    `dialect` "plain" is RFC 4180; "excel-fr" separates with `;` and writes decimals with a comma,
    as spreadsheets in comma-decimal locales read them (its callers also ask for the BOM).
    """
    spec = DIALECTS[dialect]
    writer = csv.writer(_Echo(), delimiter=spec["delimiter"])
    first = writer.writerow(header)
    yield (("\ufeff" if bom else "") + first).encode()
    for row in rows:
        yield writer.writerow([csv_cell(value, decimal=spec["decimal"]) for value in row]).encode()


def csv_bytes(header, rows, *, bom=False, dialect="plain"):
    """The whole CSV file as bytes (small tables and tests)."""
    return b"".join(csv_chunks(header, rows, bom=bom, dialect=dialect))
