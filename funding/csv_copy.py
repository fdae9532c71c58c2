"""The long CSV export written by PostgreSQL itself: `COPY (SELECT ...) TO STDOUT WITH CSV`.

The view's aggregate rows (selectors.aggregate_sql) are formatted in SQL (exporters.long_table_sql)
and copied into a temporary file, which the server then sends as it is (gunicorn: sendfile), so
neither Python rows nor the worker's memory grow with the export. The bytes are those the Python
writer (exporters.csv_chunks of long_table) makes of the same view, which SQLite, the wide layout
and shares or changes use; tests/test_csv_copy.py compares the two.
"""

import tempfile

from django.db import connection

from .exporters import csv_chunks, long_table, long_table_sql
from .exporters.csv import DIALECTS
from .selectors import aggregate_sql


def copies(query, options):
    """Whether PostgreSQL writes this CSV export: the long layout of amounts, on PostgreSQL."""
    return connection.vendor == "postgresql" and options.layout == "long" and query.value == "amount"


def long_csv_file(query, *, code_lists, options):
    """The CSV export of `query` (forms.ExportOptions `options`) as an open temporary file at its start:
    the header (and byte order mark) as csv_chunks writes it, then the rows as PostgreSQL writes them."""
    spec = DIALECTS[options.dialect]
    header, _ = long_table([], query=query, code_lists=code_lists, lang=options.lang)
    sql, params, branches = aggregate_sql(query, code_lists=code_lists, once=True)
    select, values = long_table_sql(
        sql, params, branches=branches, query=query, code_lists=code_lists, lang=options.lang, decimal=spec["decimal"]
    )
    file = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    try:
        for block in csv_chunks(header, [], bom=options.writes_bom, dialect=options.dialect):
            file.write(block)
        with connection.cursor() as cursor:
            statement = cursor.mogrify(select, values).decode()
            delimiter = spec["delimiter"]
            cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, DELIMITER '{delimiter}')", _Crlf(file))
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file


class _Crlf:
    """What COPY writes to: it hands over one row at a time, ending in LF; the file gets each ending in
    CRLF, as csv.writer ends its lines (RFC 4180). A line break inside a quoted cell stays as it is."""

    def __init__(self, file):
        self._write = file.write

    def write(self, row):
        self._write(row[:-1] + b"\r\n")
