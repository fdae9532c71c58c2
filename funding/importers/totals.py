"""Totals: check each published total against the sum of its parts, within the ILO's rounding, each
"of which" figure against the figure it is part of, and each stated share or count of countries against
what it is a share or a count of."""

import operator
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from ..models import TOTAL
from ..vocabulary import ADDITIVE_MEASURES, MEASURE_UNITS, Measure
from .numbers import grouped

# Totals may differ from the sum of their parts by the ILO's rounding: 1 thousand US dollars.
TOTAL_TOLERANCE = 1000
CELL_FIELDS = ("measure", "country_group", "year", "source", "region", "input_type")
DIM_INDEX = {"source": 3, "region": 4, "input_type": 5}
# A share is stored as its per cent x 1000 (vocabulary.MEASURE_UNITS): 100 per cent is 100,000. Each share
# the documents state is rounded to one decimal, so it may be up to 0.05 above its true value.
FULL_SHARE = 100_000
SHARE_ROUNDING = 50
SHARE_MEASURES = frozenset(m.value for m, unit in MEASURE_UNITS.items() if unit == "percent-of-total")
COUNT_MEASURES = frozenset(m.value for m, unit in MEASURE_UNITS.items() if unit == "countries")


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


def _with_member(key, index, code):
    """The cell `key` with `code` in the place `index` (DIM_INDEX) of one dimension."""
    return (*key[:index], code, *key[index + 1 :])


def _in_order(checks, cell):
    """`checks` by their `cell` field's measure, year and country group, then dimension and cell."""
    return sorted(checks, key=lambda c: (c[cell][0], c[cell][2], c[cell][1], c["dimension"], c[cell]))


def check_totals(amounts, parts, *, touched, tolerance=TOTAL_TOLERANCE):
    """Check each total against the sum of its parts, for every total or part in `touched`.

    `amounts`: {cell key (codes): whole dollars}; `parts`: CodeLists.parts (the top-level members: an
    "of which" member such as multi-bi under trust funds is no part of a total). Only money adds up
    (vocabulary.ADDITIVE_MEASURES): shares and counts of countries are check_stated's. A total is checked
    along each dimension (source, region, type of input) for which a part is present:
    - every part present ("complete"): their sum is the total, within `tolerance`;
    - some parts missing: missing is not zero, so a sum below the total says nothing, but no amount is
      negative, so the parts present may add up to at most the total plus `tolerance`: more is certain
      to be wrong whatever the missing parts are.
    Returns a list of dicts {"dimension", "total_cell", "part_cells" (the parts present, in the code
    list's order), "values" (theirs), "total", "sum", "difference", "complete", "ok"}, one per check.
    """
    checks = []
    for key, dim, present, complete in _totals_touched(amounts, parts, touched):
        total = amounts[key]
        values = [amounts[c] for c in present]
        parts_sum = sum(values)
        difference = parts_sum - total
        checks.append(
            {
                "dimension": dim,
                "total_cell": key,
                "part_cells": present,
                "values": values,
                "total": total,
                "sum": parts_sum,
                "difference": difference,
                "complete": complete,
                "ok": abs(difference) <= tolerance if complete else difference <= tolerance,
            }
        )
    return _in_order(checks, "total_cell")


def _totals_touched(amounts, parts, touched):
    """The totals of money among `amounts` with a part along a dimension (CodeLists.parts) there too,
    that are in `touched` or have a part in it (given or not): [(total cell, dimension, the parts' cells
    given, whether every part is given)]. Looked for from the parts, in one pass over `amounts`: most
    cells are no part of a total."""
    given = {}
    orders = {dim: {code: n for n, code in enumerate(parts.get(dim, ()))} for dim in DIM_INDEX}
    by_source, by_region, by_input_type = orders["source"], orders["region"], orders["input_type"]
    # Each dimension written out (DIM_INDEX's places, its order), the key unpacked once: this runs
    # for every cell a file touches and every live one around them, 200,000 in a large file.
    for key in amounts:
        measure, group, year, source, region, input_type = key
        if measure not in ADDITIVE_MEASURES:
            continue
        if source in by_source:
            given.setdefault(((measure, group, year, TOTAL, region, input_type), "source", 3), []).append(key)
        if region in by_region:
            given.setdefault(((measure, group, year, source, TOTAL, input_type), "region", 4), []).append(key)
        if input_type in by_input_type:
            given.setdefault(((measure, group, year, source, region, TOTAL), "input_type", 5), []).append(key)
    found = []
    for (key, dim, index), cells in given.items():
        if key not in amounts:
            continue
        codes = parts[dim]
        complete = len(cells) == len(codes)
        if not _touched(key, index, cells, codes, touched, complete=complete):
            continue
        if len(cells) > 1:
            cells.sort(key=lambda c, i=index, o=orders[dim]: o[c[i]])
        found.append((key, dim, cells, complete))
    return found


def _touched(key, index, cells, codes, touched, *, complete):
    """Whether the total `key`, one of its parts given (`cells`) or, when some are missing, one of those
    (a withdrawal's cell that no longer has a value) is in `touched`."""
    if key in touched or any(c in touched for c in cells):
        return True
    return not complete and any(_with_member(key, index, code) in touched for code in codes)


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
    # The dimensions with members under a parent: most cells of a file have none in the others.
    dims = [(dim, index, parents[dim]) for dim, index in DIM_INDEX.items() if parents.get(dim)]
    for key, part in amounts.items():
        measure, group, year, source, region, input_type = key
        if measure not in ADDITIVE_MEASURES:
            continue
        for dim, index, parent_of in dims:
            parent = parent_of.get(key[index])
            if parent is None:
                continue
            # _with_member written out (DIM_INDEX's places): a file of countries has a parent in every row.
            if index == 3:
                whole_cell = (measure, group, year, parent, region, input_type)
            elif index == 4:
                whole_cell = (measure, group, year, source, parent, input_type)
            else:
                whole_cell = (measure, group, year, source, region, parent)
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
    return _in_order(checks, "part_cell")


def of_which_message(check, names=None):
    """An "of which" figure larger than the figure it is part of, both cells and amounts in words: each cell
    by its measure's name, its year and its members' names (`names`: CodeLists.names, else codes), as
    total_message names them."""
    return _(
        "%(part_cell)s (%(part)s) is more than %(whole_cell)s (%(whole)s), which it is part of: "
        'an "of which" figure cannot be larger than the figure it is part of.'
    ) % {
        "part_cell": _cell_words(check["part_cell"], names),
        "part": thousands_text(check["part"]),
        "whole_cell": _cell_words(check["whole_cell"], names),
        "whole": thousands_text(check["whole"]),
    }


def _cell_words(key, names):
    """A cell by its measure's name, its year and the name of each member that is not the total:
    "Expenditure 1996, Multi-bilateral programme"."""
    measure, group, year = key[:3]
    words = [f"{Measure(measure).label} {year}"]
    words += [_name(dim, key[index], names) for dim, index in DIM_INDEX.items() if key[index] != TOTAL]
    if group != TOTAL:
        words.append(_name("country_group", group, names))
    return pgettext("between the parts of a cell in words", ", ").join(words)


def check_stated(values, parts, *, touched, derived=()):
    """Check the stated shares and counts of countries for every one of them, or its total, in `touched`.

    `values`: {cell key (codes): value x 1000}; `parts`: CodeLists.parts; `derived`: the keys among
    `values` whose status is (or, once the file is published, will be) "derived": a residual, what the
    stated shares beside it leave of 100 per cent (the regular budget's 8.7 in 1990).
    - Shares (unit percent-of-total) are of the year's total: the parts of one dimension (CodeLists.parts,
      never `_T` nor a member below the top level), every other member of their key the same, add up to
      at most 100 per cent plus SHARE_ROUNDING for each share given (each is stated to one decimal).
    - Where those shares have a derived residual beside stated ones (kind "residual"), the residual is
      exactly what the stated shares leave of 100: all of them add up to 100 per cent, no more, no less.
      It is never recomputed: the file that changes a stated share restates it (the one rule for an
      upload, a publish and a withdrawal; a value no document gives is never published).
    - A count of countries (unit countries) of a member is at most its total's (the `_T` count, where one
      is given), along each dimension; the parts need not add up to it (a country receives from several
      sources, and the documents state no count by region).
    Returns one dict per check, {"kind" ("shares", "residual" or "count"), "dimension", "total_cell",
    "part_cells", "values" (of the parts), "sum" (of the shares, or the part's count), "limit" (the most
    the sum may be; for a residual, what it must be), "derived" (the cells of `derived` among the parts),
    "ok"}, in check_totals's order; a residual's also has "stated" (the sum of the stated shares) and
    "needed" (what they leave of 100, negative when they pass it).
    """
    checks = []
    shares = {}
    for key, value in values.items():
        if key[0] in SHARE_MEASURES:
            for dim, index in DIM_INDEX.items():
                if key[index] in parts.get(dim, ()):
                    shares.setdefault((dim, _with_member(key, index, TOTAL)), []).append(key)
        elif key[0] in COUNT_MEASURES:
            for dim, index in DIM_INDEX.items():
                total_cell = _with_member(key, index, TOTAL)
                if key[index] == TOTAL or total_cell not in values:
                    continue
                if key not in touched and total_cell not in touched:
                    continue
                limit = values[total_cell]
                checks.append(_stated("count", dim, total_cell, {key: value}, limit, derived=()))
    for (dim, total_cell), cells in shares.items():
        if not any(c in touched for c in cells):
            continue
        order = parts[dim]
        cells.sort(key=lambda c, i=DIM_INDEX[dim]: order.index(c[i]))
        part_values = {c: values[c] for c in cells}
        residuals = [c for c in cells if c in derived]
        if residuals and len(residuals) < len(cells):
            checks.append(_residual(dim, total_cell, part_values, residuals))
            continue
        limit = FULL_SHARE + SHARE_ROUNDING * len(cells)
        checks.append(_stated("shares", dim, total_cell, part_values, limit, derived=derived))
    return _in_order(checks, "total_cell")


def _stated(kind, dim, total_cell, part_values, limit, *, derived):
    value = sum(part_values.values())
    return {
        "kind": kind,
        "dimension": dim,
        "total_cell": total_cell,
        "part_cells": list(part_values),
        "values": list(part_values.values()),
        "sum": value,
        "limit": limit,
        "derived": [c for c in part_values if c in derived],
        "ok": value <= limit,
    }


def _residual(dim, total_cell, part_values, residuals):
    """The check of shares with a derived residual: they add up to exactly 100 per cent."""
    check = _stated("residual", dim, total_cell, part_values, FULL_SHARE, derived=residuals)
    stated = sum(value for cell, value in part_values.items() if cell not in residuals)
    check.update(stated=stated, needed=FULL_SHARE - stated, ok=check["sum"] == FULL_SHARE)
    return check


def thousands_text(dollars):
    """Whole dollars -> thousands as text, grouped the reader's way: 112,930 or 12.426 (112 930 and
    12,426 in French, 112.930 and 12,426 in Spanish)."""
    value = Decimal(f"{Decimal(dollars) / 1000:.3f}".rstrip("0").rstrip("."))
    return grouped(value)


def _name(dim, code, names):
    return (names or {}).get(dim, {}).get(code, code)


def parts_words(dimension, key, names=None):
    """What the parts of `key` along `dimension` are, pinned to the member of each other dimension that
    is not the total: "sources of funds", "sources of funds in Africa" (`names`: CodeLists.names, else
    the members' codes). The problems and the preview's table of totals both say it so."""
    what = {"source": _("sources of funds"), "region": _("regions"), "input_type": _("types of input")}
    pinned = {
        "source": _("%(what)s from %(name)s"),
        "region": _("%(what)s in %(name)s"),
        "input_type": _("%(what)s on %(name)s"),
    }
    words = what[dimension]
    for dim, index in DIM_INDEX.items():
        code = key[index]
        if dim != dimension and code != TOTAL:
            words = pinned[dim] % {"what": words, "name": _name(dim, code, names)}
    return words


def total_message(check, names=None):
    """Why a total does not add up to its parts, or the parts given add up to more than it (a check of
    check_totals, complete or not: the message names the parts given then). The figures are named by
    measure, dimension, year and group, and by the member each other dimension is pinned to (the
    sources of funds of Africa's total): `names` (CodeLists.names) names it, else its code does."""
    measure, group, year = check["total_cell"][:3]
    words = parts_words(check["dimension"], check["total_cell"], names)
    figures = {
        ("expenditure", False): _("The expenditure figures by %(what)s for %(year)s"),
        ("expenditure", True): _("The expenditure figures by %(what)s for %(year)s for least developed countries"),
        ("approvals", False): _("The approvals figures by %(what)s for %(year)s"),
        ("approvals", True): _("The approvals figures by %(what)s for %(year)s for least developed countries"),
    }[measure, group == "ldc"] % {"what": words, "year": year}
    numbers = {
        "figures": figures,
        "sum": thousands_text(check["sum"]),
        "total": thousands_text(check["total"]),
        "difference": thousands_text(abs(check["difference"])),
        "tolerance": thousands_text(TOTAL_TOLERANCE),
    }
    if not check["complete"]:
        dim = check["dimension"]
        numbers["cells"] = _with_values(dim, zip(check["part_cells"], check["values"], strict=True), names)
        return (
            _(
                "%(figures)s given (%(cells)s) add up to %(sum)s, more than the total of %(total)s: a difference "
                "of %(difference)s, more than the rounding tolerance of %(tolerance)s. No figure is below zero, so "
                "the parts not given cannot make up for it."
            )
            % numbers
        )
    return (
        _(
            "%(figures)s add up to %(sum)s, but the total is %(total)s: a difference of %(difference)s, "
            "more than the rounding tolerance of %(tolerance)s."
        )
        % numbers
    )


def stated_message(check, names=None):
    """Why stated shares or a count of countries cannot be (a failed check of check_stated), in the words
    of total_message: the cells by their members' names (`names`: CodeLists.names, else codes), the sum
    and the limit; for a derived residual, the value the file must give it."""
    if check["kind"] == "count":
        return _count_message(check, names)
    dim = check["dimension"]
    group, year = check["total_cell"][1:3]
    figures = {
        False: _("The stated shares of expenditure by %(what)s for %(year)s"),
        True: _("The stated shares of expenditure by %(what)s for %(year)s for least developed countries"),
    }[group == "ldc"] % {"what": parts_words(dim, check["total_cell"], names), "year": year}
    if check["kind"] == "residual":
        return _residual_message(check, figures, names)
    cells = _with_values(dim, zip(check["part_cells"], check["values"], strict=True), names)
    # More than 100 takes two shares at least: a share alone above 100 is refused as such.
    return _(
        "%(figures)s (%(cells)s) add up to %(sum)s per cent, more than the limit of %(limit)s per cent: 100 "
        "plus %(rounding)s for each of the %(count)s shares, as each is stated to one decimal."
    ) % {
        "figures": figures,
        "cells": cells,
        "sum": thousands_text(check["sum"]),
        "limit": thousands_text(check["limit"]),
        "rounding": thousands_text(SHARE_ROUNDING),
        "count": len(check["part_cells"]),
    }


def _residual_message(check, figures, names):
    """Why a derived residual is not what the stated shares beside it leave of 100 per cent: the stated
    shares, what they leave, and the value the residual must be given in the same file (or, when they pass
    100, that they leave nothing for it)."""
    dim = check["dimension"]
    values = dict(zip(check["part_cells"], check["values"], strict=True))
    derived = check["derived"]
    words = {
        "figures": figures,
        "cells": _with_values(dim, ((c, v) for c, v in values.items() if c not in derived), names),
        "names": pgettext("between the members listed with their values", "; ").join(
            _name(dim, cell[DIM_INDEX[dim]], names) for cell in derived
        ),
        "year": check["total_cell"][2],
        "stated": thousands_text(check["stated"]),
        "needed": thousands_text(max(check["needed"], 0)),
        "value": thousands_text(sum(values[cell] for cell in derived)),
    }
    if check["needed"] < 0:
        return (
            ngettext(
                "%(figures)s (%(cells)s) add up to %(stated)s per cent, more than 100: they leave nothing for the "
                "share of %(names)s, derived as what they leave of 100 per cent. Lower the stated shares in the same "
                "file, or give the share of %(names)s for %(year)s as a document states it, with a status other than "
                "derived.",
                "%(figures)s (%(cells)s) add up to %(stated)s per cent, more than 100: they leave nothing for the "
                "shares of %(names)s, derived as what they leave of 100 per cent. Lower the stated shares in the same "
                "file, or give the shares of %(names)s for %(year)s as a document states them, with a status other "
                "than derived.",
                len(derived),
            )
            % words
        )
    return (
        ngettext(
            "%(figures)s (%(cells)s) leave %(needed)s of 100 per cent, but the share of %(names)s, derived as what "
            "they leave, is %(value)s. A file that changes a stated share restates the residual in the same file: "
            "give the share of %(names)s for %(year)s as %(needed)s.",
            "%(figures)s (%(cells)s) leave %(needed)s of 100 per cent, but the shares of %(names)s, derived as what "
            "they leave, add up to %(value)s. A file that changes a stated share restates the residuals in the same "
            "file: give the shares of %(names)s for %(year)s as %(needed)s in all.",
            len(derived),
        )
        % words
    )


def _with_values(dim, cells_and_values, names):
    """The members of `dim` of some cells, each with its value: "UNDP: 45.9; UNFPA: 7.6"."""
    return pgettext("between the members listed with their values", "; ").join(
        pgettext("a member and its value", "%(name)s: %(value)s")
        % {"name": _name(dim, cell[DIM_INDEX[dim]], names), "value": thousands_text(value)}
        for cell, value in cells_and_values
    )


def _count_message(check, names):
    """Why a count of countries of a member cannot be: it is more than its total's."""
    dim = check["dimension"]
    (part,) = check["part_cells"]
    group, year = part[1:3]
    member = {"source": _("funded by %(name)s"), "region": _("in %(name)s"), "input_type": _("on %(name)s")}
    every = {
        "source": _("funded by any source"),
        "region": _("in all regions"),
        "input_type": _("on all types of input"),
    }
    pinned = ""
    for other, index in DIM_INDEX.items():
        if other != dim and part[index] != TOTAL:
            pinned += " " + member[other] % {"name": _name(other, part[index], names)}
    figures = {
        False: _("The recipient countries for %(year)s"),
        True: _("The recipient countries for %(year)s among least developed countries"),
    }[group == "ldc"] % {"year": year}
    return _(
        "%(figures)s %(part)s, %(count)s, are more than those %(every)s, %(total)s: no part can count more "
        "countries than its total, though the parts need not add up to it."
    ) % {
        "figures": figures,
        "part": member[dim] % {"name": _name(dim, part[DIM_INDEX[dim]], names)} + pinned,
        "count": thousands_text(check["sum"]),
        "every": every[dim] + pinned,
        "total": thousands_text(check["limit"]),
    }
