"""The machine-readable twins of every page: same query parameters, same rows."""

from django.http import JsonResponse

from ..exporters import json_rows
from ..forms import FilterError, parse_filters
from ..selectors import view_rows


def bad_request(error):
    return JsonResponse({"error": "; ".join(error.messages), "errors": error.messages}, status=400)


def figures_json(request, measure):
    try:
        query, _ = parse_filters(request.GET, measure=measure)
    except FilterError as error:
        return bad_request(error)
    return JsonResponse({"measure": measure, "unit": "USD thousands", "rows": json_rows(view_rows(query))})
