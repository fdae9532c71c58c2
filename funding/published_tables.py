"""Reads the ILO's published tables (the layouts of `fixtures/ilo/`) into observation rows.

Pure: files in, plain dicts out. Each row is one cell of the cube in the codes of the reference
tables, with its value x 1000 as an integer: whole US dollars for an amount in thousands, 45,900
for a share of 45.9%, 134,000 for 134 countries (the unit is the measure's own,
vocabulary.MEASURE_UNITS). The same cell printed by several tables (the grand total appears in four
of them) becomes one row; the published value wins over a derived one, and two different values
for one cell are an error, never a silent pick.
"""

import hashlib
from decimal import Decimal
from pathlib import Path

import pandas as pd

from .vocabulary import MEASURE_UNITS, TOTAL

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "ilo"

# Labels as the ILO's tables print them -> codes of the reference tables.
SOURCE_LABELS = {
    "regular budget (rbtc)": "rbtc",
    "ilo regular budget": "rbtc",
    "undp": "undp",
    "trust funds and multi-bi": "trust-funds",
    "multi-bi and trust funds": "trust-funds",
    "unfpa": "unfpa",
    "multi-bilateral programme": "multi-bi",
    "total": TOTAL,
}
REGION_LABELS = {
    "africa": "africa",
    "asia and the pacific": "asia-pacific",
    "latin america and the caribbean": "latin-america-caribbean",
    "arab states, middle east": "arab-states",
    "europe": "europe",
    "interregional and global": "interregional",
    "total": TOTAL,
}
INPUT_LABELS = {
    "experts": "experts",
    "other personnel": "other-personnel",
    "training": "training",
    "equipment": "equipment",
    "subcontracting": "subcontracting",
    "miscellaneous": "miscellaneous",
    "total": TOTAL,
}
# The LDC table's own labels for its all-regions rows.
LDC_REGION_LABELS = {"total (ldcs)": (TOTAL, "ldc"), "ilo global expenditure": (TOTAL, TOTAL)}
STATUS_RANK = {"published": 0, "derived": 1}

TABLES = [
    "expenditure_by_source.csv",
    "expenditure_by_region.csv",
    "expenditure_by_type_of_input.csv",
    "ldc_expenditure_by_region_and_source.csv",
    "stated_in_text.csv",
]


def _read(path):
    # Everything as text: amounts are parsed exactly below, never through float.
    return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")


def _dollars(thousands_text):
    return int(Decimal(thousands_text) * 1000)


def _code(labels, label, table):
    try:
        return labels[label.strip().lower()]
    except KeyError:
        raise ValueError(f"{table}: unknown label {label!r}") from None


def _row(
    *,
    year,
    amount,
    status,
    document,
    url,
    note,
    source=TOTAL,
    region=TOTAL,
    group=TOTAL,
    input_type=TOTAL,
    measure="expenditure",
):
    return {
        "measure": measure,
        "year": int(year),
        "source": source,
        "region": region,
        "country_group": group,
        "input_type": input_type,
        "amount": _dollars(amount),
        "status": status,
        "document": document,
        "document_url": url,
        "note": note,
    }


def _marginal(directory, name, dim, labels):
    """One of the ILO's marginal tables: by source of funds or by region, with its TOTAL row."""
    for r in _read(directory / name):
        yield _row(
            year=r["year"],
            **{dim: _code(labels, r[dim], name)},
            amount=r["amount_usd_thousands"],
            status=r["status"],
            document=r["document"],
            url=r["document_url"],
            note=r["note"],
        )


def _by_source(directory):
    return _marginal(directory, "expenditure_by_source.csv", "source", SOURCE_LABELS)


def _by_region(directory):
    return _marginal(directory, "expenditure_by_region.csv", "region", REGION_LABELS)


def _by_input(directory):
    for r in _read(directory / "expenditure_by_type_of_input.csv"):
        yield _row(
            year=r["year"],
            input_type=_code(INPUT_LABELS, r["type_of_input"], "by type of input"),
            amount=r["amount_usd_thousands"],
            status="published",
            document=r["source_doc"],
            url=r["source_url"],
            note=r["note"],
        )


def _ldc(directory):
    for r in _read(directory / "ldc_expenditure_by_region_and_source.csv"):
        label = r["region"].strip().lower()
        region, group = LDC_REGION_LABELS.get(label) or (_code(REGION_LABELS, label, "LDC table"), "ldc")
        yield _row(
            year=r["year"],
            region=region,
            group=group,
            source=_code(SOURCE_LABELS, r["source"], "LDC table"),
            amount=r["amount_usd_thousands"],
            status="published",
            document=r["source_doc"],
            url=r["source_url"],
            note=r["note"],
        )


def _stated(directory):
    """Single values stated in the text, each in its measure's unit (`value`, `unit`): thousands of US
    dollars, a percentage of the year's total, a number of countries. The unit is the measure's own
    (vocabulary.MEASURE_UNITS); a row naming another is refused, so a share can never load as an amount."""
    for line, r in enumerate(_read(directory / "stated_in_text.csv"), start=2):
        if MEASURE_UNITS.get(r["measure"]) != r["unit"]:
            raise ValueError(
                f"stated_in_text.csv, line {line}: the unit of {r['measure']!r} is "
                f"{MEASURE_UNITS.get(r['measure'], 'unknown')!r}, not {r['unit']!r}"
            )
        yield _row(
            measure=r["measure"],
            year=r["year"],
            source=_code(SOURCE_LABELS, r["source"], "stated in text"),
            region=_code(REGION_LABELS, r["region"], "stated in text"),
            amount=r["value"],
            status=r["qualifier"],
            document=r["document"],
            url=r["document_url"],
            note=r["note"],
        )


def read_published_tables(directory=FIXTURES_DIR):
    """All observation rows of the ILO tables in `directory`, one per cell, in table order.

    Raises ValueError when a label is unknown or two tables print different values for one cell.
    """
    directory = Path(directory)
    cells = {}
    for reader in (_by_source, _by_region, _by_input, _ldc, _stated):
        for row in reader(directory):
            key = tuple(row[k] for k in ("measure", "country_group", "year", "source", "region", "input_type"))
            seen = cells.get(key)
            if seen is None:
                cells[key] = row
            elif seen["amount"] != row["amount"]:
                where = f"{row['measure']} {row['year']} ({row['source']}, {row['region']}, {row['country_group']})"
                raise ValueError(
                    f"{where}: {seen['document']} prints {Decimal(seen['amount']) / 1000}, "
                    f"{row['document']} prints {Decimal(row['amount']) / 1000}"
                )
            elif STATUS_RANK.get(row["status"], 9) < STATUS_RANK.get(seen["status"], 9):
                cells[key] = row
    return list(cells.values())


def tables_checksum(directory=FIXTURES_DIR):
    """SHA-256 over the table files, in a fixed order: the identity of one load of the fixtures."""
    digest = hashlib.sha256()
    for name in TABLES:
        digest.update(name.encode())
        digest.update((Path(directory) / name).read_bytes())
    return digest.hexdigest()
