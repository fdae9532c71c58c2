"""Totals: check each published total against the sum of its parts, within the ILO's rounding, and each
"of which" figure against the figure it is part of."""

import operator
from decimal import Decimal

from django.utils.translation import gettext as _

from ..models import TOTAL
from ..vocabulary import ADDITIVE_MEASURES
from .numbers import grouped

# Totals may differ from the sum of their parts by the ILO's rounding: 1 thousand US dollars.
TOTAL_TOLERANCE = 1000
CELL_FIELDS = ("measure", "country_group", "year", "source", "region", "input_type")
DIM_INDEX = {"source": 3, "region": 4, "input_type": 5}


# A row's cell as codes: (measure, country_group, year, source, region, input_type). An itemgetter:
# a 100k-row upload asks for it half a million times.
cell_key = operator.itemgetter(*CELL_FIELDS)


def describe_cell(row_or_key):
    """A cell in words: 'expenditure 1995, source rbtc, region _T'."""
    key = row_or_key if isinstance(row_or_key, tuple) else cell_key(row_or_key)
    measure, group, year, source, region, input_type = key
    text = _("%(measure)s %(year)s, source %(source)s, region %(region)s") % {
        "measure": measure,
        "year": year,
        "source": source,
        "region": region,
    }
    if group != TOTAL:
        text += _(", group %(group)s") % {"group": group}
    if input_type != TOTAL:
        text += _(", type of input %(input_type)s") % {"input_type": input_type}
    return text


def check_totals(amounts, parts, *, touched, tolerance=TOTAL_TOLERANCE):
    """Check each total against the sum of its parts, for every total or part in `touched`.

    `amounts`: {cell key (codes): whole dollars}; `parts`: CodeLists.parts. Only money adds up
    (vocabulary.ADDITIVE_MEASURES): shares and counts of countries are not checked. A total is checked
    along each dimension (source, region, type of input) for which every part is present; with a
    part missing there is nothing to check (missing is not zero). Returns a list of dicts
    {"dimension", "total_cell", "part_cells", "total", "sum", "difference", "ok"}, one per check.
    """
    checks = []
    for key, total in amounts.items():
        if key[0] not in ADDITIVE_MEASURES:
            continue
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


def check_of_which(amounts, parents, *, touched):
    """Check each "of which" figure against the figure it is part of, for every one of the two in `touched`.

    An "of which" figure is the cell of a member under a parent in its code list (`parents`:
    CodeLists.parents; the multi-bilateral programme under trust funds); the cell it is part of is the
    same cell with the parent instead. `amounts`: {cell key (codes): whole dollars}. Only money
    (vocabulary.ADDITIVE_MEASURES) is checked: a part of an amount is never larger than it, exactly (one
    figure rounded is never larger than a larger one rounded alike). With the parent's cell missing there
    is nothing to check (missing is not zero). Returns a list of dicts {"dimension", "part_cell",
    "whole_cell", "part", "whole", "ok"}, one per check.
    """
    checks = []
    for key, part in amounts.items():
        if key[0] not in ADDITIVE_MEASURES:
            continue
        for dim, index in DIM_INDEX.items():
            parent = parents.get(dim, {}).get(key[index])
            if parent is None:
                continue
            whole_cell = key[:index] + (parent,) + key[index + 1 :]
            if whole_cell not in amounts or (key not in touched and whole_cell not in touched):
                continue
            whole = amounts[whole_cell]
            checks.append(
                {
                    "dimension": dim,
                    "part_cell": key,
                    "whole_cell": whole_cell,
                    "part": part,
                    "whole": whole,
                    "ok": part <= whole,
                }
            )
    checks.sort(key=lambda c: (c["part_cell"][0], c["part_cell"][2], c["part_cell"][1], c["dimension"], c["part_cell"]))
    return checks


def of_which_message(check):
    """An "of which" figure larger than the figure it is part of, both cells and amounts in words."""
    return _(
        "%(part_cell)s (%(part)s) is more than %(whole_cell)s (%(whole)s), which it is part of: "
        'an "of which" figure cannot be larger than the figure it is part of.'
    ) % {
        "part_cell": describe_cell(check["part_cell"]),
        "part": thousands_text(check["part"]),
        "whole_cell": describe_cell(check["whole_cell"]),
        "whole": thousands_text(check["whole"]),
    }


def thousands_text(dollars):
    """Whole dollars -> thousands as text, grouped the reader's way: 112,930 or 12.426 (112 930 and
    12,426 in French, 112.930 and 12,426 in Spanish)."""
    value = Decimal(f"{Decimal(dollars) / 1000:.3f}".rstrip("0").rstrip("."))
    return grouped(value)


def total_message(check, names=None):
    """Why a total does not add up to its parts (a check of check_totals). The figures are named by
    measure, dimension, year and group, and by the member each other dimension is pinned to (the
    sources of funds of Africa's total): `names` (CodeLists.names) names it, else its code does."""
    measure, group, year = check["total_cell"][:3]
    what = {"source": _("sources of funds"), "region": _("regions"), "input_type": _("types of input")}
    pinned = {
        "source": _("%(what)s from %(name)s"),
        "region": _("%(what)s in %(name)s"),
        "input_type": _("%(what)s on %(name)s"),
    }
    words = what[check["dimension"]]
    for dim, index in DIM_INDEX.items():
        code = check["total_cell"][index]
        if dim != check["dimension"] and code != TOTAL:
            words = pinned[dim] % {"what": words, "name": (names or {}).get(dim, {}).get(code, code)}
    figures = {
        ("expenditure", False): _("The expenditure figures by %(what)s for %(year)s"),
        ("expenditure", True): _("The expenditure figures by %(what)s for %(year)s for least developed countries"),
        ("approvals", False): _("The approvals figures by %(what)s for %(year)s"),
        ("approvals", True): _("The approvals figures by %(what)s for %(year)s for least developed countries"),
    }[measure, group == "ldc"] % {"what": words, "year": year}
    return _(
        "%(figures)s add up to %(sum)s, but the total is %(total)s: a difference of %(difference)s, "
        "more than the rounding tolerance of %(tolerance)s."
    ) % {
        "figures": figures,
        "sum": thousands_text(check["sum"]),
        "total": thousands_text(check["total"]),
        "difference": thousands_text(abs(check["difference"])),
        "tolerance": thousands_text(TOTAL_TOLERANCE),
    }
