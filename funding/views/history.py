"""The record of one cell: every value any release gave it, the live one marked, withdrawn ones kept."""

from django.shortcuts import render

from ..caching import cached_by_release
from ..forms import FilterError, parse_cell
from ..models import Measure, Release, Status, thousands
from ..selectors import cell_history
from ..vocabulary import STATUS_NAMES


@cached_by_release
def cell_history_page(request, measure):
    context = {"measure": measure, "measure_label": Measure(measure).label, "nav": measure}
    try:
        cell, lists = parse_cell(request.GET, measure=measure)
    except FilterError as error:
        return render(request, "funding/cell_history.html", {**context, "errors": error.messages}, status=400)
    context["code_lists"] = lists
    if cell is not None:
        context["cell"] = cell
        context["values"] = [
            {
                **value,
                "amount": thousands(value["amount"]),
                "status": Status(value["status"]).label,
                "status_label": STATUS_NAMES[Status(value["status"]).label],
                "withdrawn": value["release__state"] == Release.State.WITHDRAWN,
            }
            for value in cell_history(**cell)
        ]
    return render(request, "funding/cell_history.html", context)
