"""SDMX REST 2.1: structure and data queries under /sdmx/, answered in the format asked for.

Every answer of these views is negotiated on `Accept` (a message, or an error in the format asked
for, or a 406 when nothing offered matches), so each one says `Vary: Accept`, whatever its status.
None depends on the address's language (/fr/sdmx/ answers as /sdmx/ does): data and errors are in
English and a structure names each code in the three languages, which `Content-Language` says (the
locale middleware would say the address's)."""

import uuid
from itertools import chain

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from .. import sdmx
from ..caching import cached_by_release, whole_or_streamed
from ..models import Release
from ..selectors import cells, dimension_members

IN_ENGLISH = "en"
IN_EVERY_LANGUAGE = "en, fr, es"  # a structure's names


def _error(error, media_type=None):
    body, content_type = sdmx.error_message(error, media_type=media_type)
    response = HttpResponse(body, status=error.status, content_type=content_type)
    response["Content-Language"] = IN_ENGLISH
    return response


def _message():
    return {"message_id": f"TCDASH-{uuid.uuid4().hex[:12].upper()}", "prepared": timezone.now()}


def _content_type(media_type):
    return media_type.replace(";", "; ") + "; charset=utf-8"


def _structure_request(request, kind, agency="all", artefact_id="all", version="latest"):
    """A structure query -> (media type, references, code lists, the structures matched); raises SdmxError."""
    media_type = sdmx.negotiate(request, structure=True)
    references = sdmx.parse_structure(kind, request.GET)
    lists = sdmx.codelists(dimension_members())
    matched = sdmx.select(kind, agency=agency, artefact_id=artefact_id, version=version, lists=lists)
    if not matched:
        raise sdmx.no_results()
    return media_type, references, lists, matched


@require_safe
@vary_on_headers("Accept")
@cached_by_release(check=_structure_request, by_accept=True)
def structure(request, kind, agency="all", artefact_id="all", version="latest"):
    try:
        media_type, references, lists, matched = _structure_request(request, kind, agency, artefact_id, version)
    except sdmx.SdmxError as error:
        return _error(error)
    keys = sdmx.resolve(matched, references, lists)
    body = sdmx.structure_message(keys, lists=lists, **_message())
    response = HttpResponse(body, content_type=_content_type(media_type))
    response["Content-Language"] = IN_EVERY_LANGUAGE
    return response


@vary_on_headers("Accept")
def not_found(request):
    """Any other address under /sdmx/ (`/sdmx/`, `/sdmx/data/`, one segment too many): SDMX's 404, an error
    message in the format asked for (SDMX-JSON for JSON, else SDMX-ML), as every other SDMX error is,
    and varying on Accept like them, rather than the site's HTML page. Whatever the method: there is
    nothing at the address to allow or refuse it."""
    try:
        media_type = sdmx.negotiate(request)
    except sdmx.SdmxError:  # a format not offered (406) or a bad format= (400): the address is still not there
        media_type = None
    return _error(sdmx.no_resource(request.path), media_type)


@vary_on_headers("Accept")
def bad_request(request, text):
    """Django's 400 under /sdmx/ (too many parameters, found before a view could read them): SDMX's 400,
    an error message in the format the Accept header asks for (format= is in the query string that could
    not be read), as every other SDMX error is, rather than the site's HTML page."""
    try:
        media_type = sdmx.negotiate(request, accept_only=True)
    except sdmx.SdmxError:  # nothing offered matches: the request is still bad
        media_type = None
    return _error(sdmx.bad_request(text), media_type)


@require_safe
@vary_on_headers("Accept")
def not_served(request, resource):
    """An SDMX 2.1 resource tcdash does not serve (`availableconstraint`, `metadata`, `schema`), at any
    depth: SDMX's 501, an error message in the format asked for, as the other SDMX errors are."""
    try:
        media_type = sdmx.negotiate(request)
    except sdmx.SdmxError:  # a format not offered (406) or a bad format= (400): the resource is still not served
        media_type = None
    return _error(sdmx.not_served(resource), media_type)


def _read_lists(codes):
    """The SDMX code lists of the members `codes` names ({the app's dimension: codes, or None for all})."""
    return sdmx.codelists(dimension_members(codes=codes))


def _data_request(request, flow, key="all", provider="all"):
    """A data query -> (the query, its cells: an iterator holding at least one); raises SdmxError
    (a 404 when no cell matches). Called once the media type is negotiated."""
    sdmx.parse_flow(flow)
    if provider not in ("all", "ILO"):
        raise sdmx.no_results()
    members = sdmx.parse_key(key, _read_lists)
    released = Release.objects.exclude(published_seq=None)  # published, or published once and withdrawn
    options = sdmx.parse_data_params(request.GET, releases=set(released.values_list("id", flat=True)))
    query = sdmx.DataQuery(members=members, **options)
    found = cells(
        measures=members.pop("measure", ()),
        members=members,
        year_from=query.year_from,
        year_to=query.year_to,
        release=released.get(pk=query.release) if query.release else None,
    )
    first = next(found, None)
    if first is None:
        raise sdmx.no_results()
    return query, chain([first], found)


def _data_check(request, *args, **kwargs):
    """What refuses a data query (caching's `check`): its media type, then its parameters and cells."""
    sdmx.negotiate(request)
    _data_request(request, *args, **kwargs)


@require_safe
@vary_on_headers("Accept")
@cached_by_release(check=_data_check, by_accept=True)
def data(request, flow, key="all", provider="all"):
    """A data message, kept in the cache like the pages while it is at most caching.KEPT_WHOLE bytes,
    and streamed from the cursor (revalidated, not kept) when it is longer."""
    media_type = None
    try:
        media_type = sdmx.negotiate(request)
        query, found = _data_request(request, flow, key, provider)
    except sdmx.SdmxError as error:
        return _error(error, media_type)
    chunks = sdmx.WRITERS[media_type](found, query, read_lists=_read_lists, **_message())
    response = whole_or_streamed((chunk.encode() for chunk in chunks), content_type=_content_type(media_type))
    response["Content-Language"] = IN_ENGLISH
    if request.GET.get("format") == "csvfile":  # named by its key, so that two downloads do not collide
        response["Content-Disposition"] = f'attachment; filename="{sdmx.FLOW}.{key}.csv"'
    return response
