"""The explorer pages `/expenditure/` and `/approvals/`: drill down from any figure, every view a link."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .. import explorer
from ..addresses import downloads, history_url, view_url
from ..caching import cached_by_release
from ..forms import FilterError, parse_filters
from ..models import Measure
from ..selectors import ViewQuery, code_lists, coverage, stated_share_cells, view_rows, year_span
from .briefing import print_line


def _filters_request(request, measure):
    return parse_filters(request.GET, measure=measure)


@require_safe
@cached_by_release(check=_filters_request)
def explorer_page(request, measure):
    base = reverse(f"funding:{measure}")
    context = {"measure": measure, "measure_label": Measure(measure).label, "base": base, "nav": measure}
    try:
        query, lists = _filters_request(request, measure)
    except FilterError as error:
        # The page still offers the form (with its defaults), under a message naming each bad parameter;
        # its years are the years with data, as a good page's are (not only the default range).
        query, lists = ViewQuery(measure=measure), code_lists(asked={})
        span = year_span(measure=measure, code_lists=lists)
        form = explorer.filter_form(query, code_lists=lists, coverage=set(), data_span=span)
        context.update(errors=error.messages, form=form, downloads=downloads(query))
        return render(request, "funding/explorer.html", context, status=400)
    # The code lists hold the chosen members: each read knows from them which table to read.
    rows = view_rows(query, code_lists=lists)
    summary_rows = view_rows(explorer.summary_query(query), code_lists=lists)
    year_from, year_to = explorer.reach(query, rows)
    cells = coverage(
        measure=measure,
        year_from=year_from,
        year_to=year_to,
        sources=query.sources,
        regions=query.regions,
        input_types=query.input_types,
        code_lists=lists,
    )
    context.update(
        explorer.page(
            query,
            rows,
            summary_rows=summary_rows,
            code_lists=lists,
            coverage=cells,
            data_span=year_span(measure=measure, code_lists=lists),
            stated_cells=stated_share_cells(query, code_lists=lists),
        )
    )
    context["downloads"] = downloads(query)
    context["history_url"] = history_url(query)
    context["canonical_url"] = view_url(query)
    context.update(print_line(request, context["canonical_url"]))
    return render(request, "funding/explorer.html", context)
