"""Totals: check each published total against the sum of its parts, within the ILO's rounding."""

from decimal import Decimal

from ..models import TOTAL

# Totals may differ from the sum of their parts by the ILO's rounding: 1 thousand US dollars.
TOTAL_TOLERANCE = 1000
CELL_FIELDS = ("measure", "country_group", "year", "source", "region", "input_type")
DIM_INDEX = {"source": 3, "region": 4, "input_type": 5}


def cell_key(row):
    """A row's cell as codes: (measure, country_group, year, source, region, input_type)."""
    return tuple(row[f] for f in CELL_FIELDS)


def describe_cell(row_or_key):
    """A cell in words: 'expenditure 1995, source rbtc, region _T'."""
    key = row_or_key if isinstance(row_or_key, tuple) else cell_key(row_or_key)
    measure, group, year, source, region, input_type = key
    text = f"{measure} {year}, source {source}, region {region}"
    if group != TOTAL:
        text += f", group {group}"
    if input_type != TOTAL:
        text += f", type of input {input_type}"
    return text


def check_totals(amounts, parts, *, touched, tolerance=TOTAL_TOLERANCE):
    """Check each total against the sum of its parts, for every total or part in `touched`.

    `amounts`: {cell key (codes): whole dollars}; `parts`: CodeLists.parts. A total is checked
    along each dimension (source, region, type of input) for which every part is present; with a
    part missing there is nothing to check (missing is not zero). Returns a list of dicts
    {"dimension", "total_cell", "part_cells", "total", "sum", "difference", "ok"}, one per check.
    """
    checks = []
    for key, total in amounts.items():
        for dim, index in DIM_INDEX.items():
            if key[index] != TOTAL or not parts.get(dim):
                continue
            part_cells = [key[:index] + (code,) + key[index + 1 :] for code in parts[dim]]
            if not all(c in amounts for c in part_cells):
                continue
            if key not in touched and not any(c in touched for c in part_cells):
                continue
            parts_sum = sum(amounts[c] for c in part_cells)
            difference = parts_sum - total
            checks.append(
                {
                    "dimension": dim,
                    "total_cell": key,
                    "part_cells": part_cells,
                    "total": total,
                    "sum": parts_sum,
                    "difference": difference,
                    "ok": abs(difference) <= tolerance,
                }
            )
    checks.sort(
        key=lambda c: (c["total_cell"][0], c["total_cell"][2], c["total_cell"][1], c["dimension"], c["total_cell"])
    )
    return checks


def thousands_text(dollars):
    """Whole dollars -> thousands as plain text with thousands separators: 112,930 or 12.426."""
    value = Decimal(dollars) / 1000
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def total_message(check):
    measure, group, year, *_ = check["total_cell"]
    what = {"source": "sources of funds", "region": "regions", "input_type": "types of input"}[check["dimension"]]
    scope = " for least developed countries" if group == "ldc" else ""
    return (
        f"The {measure} figures by {what} for {year}{scope} add up to {thousands_text(check['sum'])}, "
        f"but the total is {thousands_text(check['total'])}: a difference of "
        f"{thousands_text(abs(check['difference']))}, more than the rounding tolerance of "
        f"{thousands_text(TOTAL_TOLERANCE)}."
    )
