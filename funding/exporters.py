"""Exporters: rows -> JSON / CSV / XLSX bytes. Pure: plain data in, plain data out."""

from decimal import Decimal


def json_amount(amount: Decimal):
    """A Decimal as a JSON number without passing through binary floating point for integers.

    Whole amounts (all published ILO figures) become ints; others a float whose shortest repr is
    the same decimal text (at most 3 decimals: amounts are whole dollars in thousands).
    """
    if amount is None:
        return None
    integral = amount.to_integral_value()
    return int(integral) if amount == integral else float(amount)


def json_rows(rows):
    """Selector rows -> JSON-ready dicts (the `rows` of every `.json` twin)."""
    return [
        {
            "year": row["year"],
            "source": row["source"],
            "region": row["region"],
            "amount": json_amount(row["amount"]),
            "status": row["status"],
            "document": row["document"],
            **{key: json_amount(row[key]) for key in ("share", "change") if key in row},
        }
        for row in rows
    ]
