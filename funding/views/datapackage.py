"""The Frictionless Data Package: its descriptor, each measure's CSV, and all of it as one zip."""

import io
import json
import zipfile

from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import override
from django.views.decorators.http import require_safe

from ..caching import cached_by_release, conditional_by_release
from ..exporters.datapackage import csv_path, descriptor, measure_csv, measure_csv_chunks
from ..forms import FilterError, parse_nothing
from ..selectors import cells, cited_documents, dimension_members, live_release
from ..vocabulary import Measure
from .data import bad_export_request, bad_request


def _in_english(response):
    """A response of the package, which is in English on every site (/fr/datapackage.json too), as its
    files' names and its fields' titles are: it says so, whatever the address's language."""
    response["Content-Language"] = "en"
    return response


def _package(*, base_url, with_files):
    """(descriptor, {measure: CSV bytes}), in English whatever the active language. The served descriptor
    is written without the files (the server writes each CSV when it is asked for), so it costs a few
    small queries however big the data."""
    with override("en"):
        return _written_package(base_url=base_url, with_files=with_files)


def _written_package(*, base_url, with_files):
    members = dimension_members()
    files = {
        measure: measure_csv(cells(measures=[measure]), members, measure=measure) if with_files else None
        for measure in Measure.values
    }
    package = descriptor(
        files=files, members=members, sources=cited_documents(), release=live_release(), base_url=base_url
    )
    return package, files


def _no_parameters(request):
    parse_nothing(request.GET)


@require_safe
@cached_by_release(check=_no_parameters)
def datapackage_json(request):
    try:
        _no_parameters(request)
    except FilterError as error:
        return bad_request(error)
    package, _ = _package(base_url=request.build_absolute_uri("/datapackage/"), with_files=False)
    return _in_english(JsonResponse(package, json_dumps_params={"indent": 2, "ensure_ascii": False}))


def _measure_file_request(request, measure):
    if measure not in Measure.values:
        raise Http404(f"No measure '{measure}'.")
    parse_nothing(request.GET)


@require_safe
@conditional_by_release(check=_measure_file_request)
def measure_file(request, measure):
    try:
        _measure_file_request(request, measure)
    except FilterError as error:
        return bad_export_request(error)
    chunks = measure_csv_chunks(cells(measures=[measure]), dimension_members(), measure=measure)
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{measure}.csv"'
    return _in_english(response)


@require_safe
@conditional_by_release(check=_no_parameters)
def datapackage_zip(request):
    try:
        _no_parameters(request)
    except FilterError as error:
        return bad_export_request(error)
    package, files = _package(base_url="", with_files=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(package, indent=2, ensure_ascii=False))
        for measure, data in files.items():
            archive.writestr(csv_path(measure), data)
    response = HttpResponse(out.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="tcdash-datapackage.zip"'
    return _in_english(response)
