"""The machine-readable twins of every page: same query parameters, same rows, sources cited."""

import functools
import tempfile
from dataclasses import asdict
from itertools import chain, islice

from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_safe

from .. import csv_copy, exporters
from ..addresses import export_url
from ..caching import cached_by_release, conditional_by_release
from ..forms import FilterError, parse_export, parse_json, parse_nothing
from ..openapi import openapi_description
from ..provenance import releases_behind
from ..selectors import code_lists, iter_view_rows, view_rows
from ..vocabulary import unit_of

# Views with fewer rows are answered (and cached) in one piece; larger ones stream.
JSON_IN_ONE_PIECE = 5000
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bad_request(error):
    return JsonResponse({"error": error.text, "errors": error.messages}, status=400)


def bad_export_request(error):
    text = _("Bad request:") + "\n" + "".join(f"- {message}\n" for message in error.messages)
    return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")


def _about(url, query, lists, rows):
    """What an export says about itself; `url` is its canonical address, made absolute (the one that
    gives the same file again, whatever order or defaults the request wrote)."""
    return exporters.about(
        query,
        code_lists=lists,
        rows=rows,
        releases=releases_behind(query, code_lists=lists),
        url=url,
        generated_at=timezone.now(),
    )


def _export_table(query, lists, options, *, kept=None):
    """A parsed export -> (rows, (header, table rows)). The long layout is read from the database
    cursor in chunks, so memory stays flat whatever the view's size; with `kept` (a list) given,
    the rows that `about()` reads are appended to it as they stream (exporters.about_witnesses). The
    wide layout is a pivot of the same rows and always reads every row (its TOTAL row is the `total`
    breakdown's, which the pages' download links add, as in the long layout)."""
    if options.layout == "wide":
        rows = view_rows(query, code_lists=lists)
        if kept is not None:  # what the About sheet cites and notes: the values the file shows (a share
            # that cannot be worked out, with no total that year, is an empty cell, not its amount)
            kept.extend(r for r in rows if query.value == "amount" or r.get(query.value) is not None)
        return rows, exporters.wide_table(rows, query=query, code_lists=lists, lang=options.lang)
    rows = iter_view_rows(query, code_lists=lists, once=True)
    if kept is not None:
        rows = exporters.about_witnesses(rows, kept)
    return rows, exporters.long_table(rows, query=query, code_lists=lists, lang=options.lang)


def _json_request(request, measure):
    return parse_json(request.GET, measure=measure)


@require_safe
@cached_by_release(check=_json_request)
def figures_json(request, measure):
    try:
        query, lists = _json_request(request, measure)
    except FilterError as error:
        return bad_request(error)
    head = {"measure": measure, "unit": unit_of(measure)}
    rows = iter_view_rows(query, code_lists=lists, once=True)
    first = list(islice(rows, JSON_IN_ONE_PIECE))
    meta = functools.partial(_about, request.build_absolute_uri(export_url(query, twin="json")), query, lists)
    if len(first) < JSON_IN_ONE_PIECE:  # the whole view: one response, which the cache keeps
        return HttpResponse(exporters.json_bytes(head, first, meta, query=query), content_type="application/json")
    # A large view streams from the database cursor: memory stays flat whatever its size.
    chunks = exporters.json_chunks(head, chain(first, rows), meta, query=query)
    return StreamingHttpResponse(chunks, content_type="application/json")


def _csv_request(request, measure):
    return parse_export(request.GET, measure=measure, fmt="csv")


@require_safe
@conditional_by_release(check=_csv_request)
def figures_csv(request, measure):
    try:
        query, lists, options = _csv_request(request, measure)
    except FilterError as error:
        return bad_export_request(error)
    name = f"{exporters.file_stem(query, **asdict(options))}.csv"
    if csv_copy.copies(query, options):  # PostgreSQL writes it, into a file the server sends as it is
        file = csv_copy.long_csv_file(query, code_lists=lists, options=options)
        return _in_its_language(FileResponse(file, as_attachment=True, filename=name, content_type=CSV_TYPE), options)
    _, (header, rows) = _export_table(query, lists, options)
    chunks = exporters.csv_chunks(header, rows, bom=options.writes_bom, dialect=options.dialect)
    response = StreamingHttpResponse(chunks, content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return _in_its_language(response, options)


def _in_its_language(response, options):
    """A file says the language its names and words are in (`lang=`, else the address's), which the
    address's language alone would say wrongly for /expenditure.csv?lang=fr."""
    response["Content-Language"] = options.lang
    return response


def _xlsx_request(request, measure):
    return parse_export(request.GET, measure=measure, fmt="xlsx")


@require_safe
@conditional_by_release(check=_xlsx_request)
def figures_xlsx(request, measure):
    try:
        query, lists, options = _xlsx_request(request, measure)
    except FilterError as error:
        return bad_export_request(error)
    kept = []
    _, (header, table) = _export_table(query, lists, options, kept=kept)
    # The workbook is written to a temporary file on disk as the rows stream from the database, its
    # About sheet last (from the rows that sheet cites), and sent from there.
    file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    url = request.build_absolute_uri(export_url(query, twin="xlsx", options=options))  # the address's language
    with override(options.lang):  # the About sheet in the file's language, as its Data sheet's names
        exporters.write_xlsx(header, table, meta=lambda: _about(url, query, lists, kept), file=file)
    file.seek(0)
    name = f"{exporters.file_stem(query, **asdict(options))}.xlsx"
    return _in_its_language(FileResponse(file, as_attachment=True, filename=name, content_type=XLSX_TYPE), options)


@require_safe
def openapi_json(request):
    try:
        parse_nothing(request.GET)
    except FilterError as error:
        return bad_request(error)
    # In the address's language, as the pages and the twins' `meta` are: /fr/api/openapi.json is French
    # and its server is the French site, whose twins answer with a French `meta`.
    server = request.build_absolute_uri(reverse("funding:overview"))
    return JsonResponse(openapi_description(server=server, code_lists=code_lists()))
