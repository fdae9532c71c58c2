"""Records several test modules share: a selector row."""

from decimal import Decimal


def make_row(
    year,
    amount,
    *,
    breakdown="total",
    source=None,
    region=None,
    status="published",
    document="Doc A",
    document_url="",
    **extra,
):
    """A row as selectors.view_rows() returns it; `extra` adds the "share", "change" or "note" of a view."""
    return {
        "breakdown": breakdown,
        "year": year,
        "source": source,
        "region": region,
        "amount": Decimal(amount),
        "status": status,
        "document": document,
        "document_url": document_url,
        **extra,
    }
