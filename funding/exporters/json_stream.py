"""The JSON writer: a `.json` twin's document, streamed in blocks of about 64 KB.

The rows come first and the `meta` object last, because `meta` cites the documents and notes the
statuses of the rows: while the rows stream, only the rows `meta` needs are kept (the first row of
each document, and every row whose status is not "published"), so memory does not grow with the
number of rows. Rows are written as `json_rows` makes them (exact decimals, never a float of a
whole amount).
"""

from django.core.serializers.json import DjangoJSONEncoder

from .csv import BLOCK
from .tables import iter_json_rows


def about_witnesses(rows, kept):
    """Pass `rows` through, appending to `kept` the rows that `about()` reads: the first row citing each
    document and every row that is not plainly published. about(rows=kept) equals about(rows=rows)."""
    documents = set()
    for row in rows:
        if row["status"] != "published" or row["document"] not in documents:
            documents.add(row["document"])
            kept.append(row)
        yield row


def json_chunks(head, rows, meta, *, query=None):
    """{**head, "rows": [...], "meta": meta(kept rows)} as UTF-8 blocks: `rows` is any iterable of
    selector rows (of `query`, which names a sum of chosen members: see json_rows), `meta` a function
    of the rows that `about()` needs (see about_witnesses)."""
    encoder = DjangoJSONEncoder()  # as JsonResponse writes it
    kept = []
    opening = encoder.encode(head)[:-1]
    parts = [opening + (', "rows": [' if head else '"rows": [')]
    size, first = 0, True
    for row in iter_json_rows(about_witnesses(rows, kept), query=query):
        text = encoder.encode(row) if first else ", " + encoder.encode(row)
        parts.append(text)
        first = False
        size += len(text)
        if size >= BLOCK:
            yield "".join(parts).encode()
            parts, size = [], 0
    parts.append('], "meta": ' + encoder.encode(meta(kept)) + "}")
    yield "".join(parts).encode()


def json_bytes(head, rows, meta, *, query=None):
    """The whole document at once (small views, and the cache)."""
    return b"".join(json_chunks(head, rows, meta, query=query))
