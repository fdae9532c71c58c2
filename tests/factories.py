"""Records and files several test modules share: a selector row, and a small upload of new 1992 figures."""

from dataclasses import replace
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


HEADER = "measure,year,source,region,amount_usd_thousands,status,document\n"
# 1992 expenditure by source of funds, with its total: not in the shipped data (new values).
NEW_1992 = (
    HEADER + "expenditure,1992,rbtc,_T,17000,published,GB.X\n"
    "expenditure,1992,undp,_T,70000,published,GB.X\n"
    "expenditure,1992,trust-funds,_T,60000,published,GB.X\n"
    "expenditure,1992,unfpa,_T,9000,published,GB.X\n"
    "expenditure,1992,_T,_T,156000,published,GB.X\n"
).encode()


def rows_of(query, breakdown="total"):
    """The live rows of one breakdown of `query`, as the page reads them (selectors.view_rows)."""
    from funding.selectors import view_rows

    return view_rows(replace(query, by=(breakdown,)))
