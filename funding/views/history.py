"""The record of one cell: every value any release gave it, the live one marked, withdrawn ones kept."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.views.decorators.http import require_safe

from ..addresses import CELL_DEFAULTS, cell_url
from ..caching import cached_by_release
from ..forms import FilterError, parse_cell
from ..models import Measure, Release, Status, thousands
from ..selectors import cell_history
from ..vocabulary import DIMENSIONS, GROUP_PHRASES, STATED_SHARES, STATUS_NAMES, TOTAL, names
from .briefing import print_line


def _cell_request(request, measure):
    return parse_cell(request.GET, measure=measure)


@require_safe
@cached_by_release(check=_cell_request)
def cell_history_page(request, measure):
    context = {
        "measure": measure,
        "measure_label": Measure(measure).label,
        "nav": measure,
        "base": reverse(f"funding:{measure}-history"),
        "defaults": CELL_DEFAULTS,
    }
    try:
        cell, lists = _cell_request(request, measure)
    except FilterError as error:
        return render(request, "funding/cell_history.html", {**context, "errors": error.messages}, status=400)
    context["code_lists"] = lists
    if cell is not None:
        context["cell"] = cell
        context["cell_words"] = _cell_words(cell, lists)
        context["canonical_url"] = _address(cell)
        context.update(print_line(request, context["canonical_url"]))
        values = cell_history(**cell, code_lists=lists)
        if not values and (stated := STATED_SHARES.get(measure)):
            # A year the documents give only as shares (expenditure by source, 1990): the record is of
            # the share stated, as the explorer's "only shares published" says.
            values = cell_history(**{**cell, "measure": stated}, code_lists=lists)
            context["shares_only"] = bool(values)
        context["values"] = [_value(value) for value in values]
    return render(request, "funding/cell_history.html", context)


def _cell_words(cell, lists):
    """Which figure the record is of, in the reader's language: its members that are not the total
    ("UNDP, Africa, the least developed countries"); "" for the year's total of all countries."""
    named = names(lists)
    words = [named[dim].get(cell[dim], cell[dim]) for dim in DIMENSIONS if cell[dim] != TOTAL]
    if cell["group"] != TOTAL:
        words.append(str(GROUP_PHRASES.get(cell["group"], cell["group"])))
    return ", ".join(words)


def _value(value):
    """One value on record, as the table shows it: the amount in thousands (a share: in per cent) in the
    reader's number format, the status in words, whether its release was withdrawn."""
    amount = thousands(value["amount"])
    status = Status(value["status"]).label
    return {
        **value,
        "amount": amount,
        "amount_text": number_format(amount, force_grouping=True),
        "status": status,
        "status_label": STATUS_NAMES[status],
        "withdrawn": value["release__state"] == Release.State.WITHDRAWN,
    }


def _address(cell):
    codes = {dim: cell[dim] for dim in DIMENSIONS}
    return cell_url(cell["measure"], year=cell["year"], codes=codes, group=cell["group"])
