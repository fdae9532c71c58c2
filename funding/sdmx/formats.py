"""Which SDMX format a request asks for: `format=`, else the `Accept` header (with q-values, a broken
one counting as 1, and the `version` parameter), else SDMX's default; 406 when nothing offered matches."""

from .query import NOT_ACCEPTABLE, SYNTAX, SdmxError

GENERIC = "application/vnd.sdmx.genericdata+xml;version=2.1"
STRUCTURE_SPECIFIC = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
JSON = "application/vnd.sdmx.data+json;version=1.0.0"
CSV = "application/vnd.sdmx.data+csv;version=1.0.0"
CSV2 = "application/vnd.sdmx.data+csv;version=2.0.0"
STRUCTURE = "application/vnd.sdmx.structure+xml;version=2.1"

# (type, version or None, format): what the Accept header may name, in the order of preference
# between equal q-values. Plain XML, JSON and CSV types mean the SDMX format of that kind.
DATA_TYPES = (
    ("application/vnd.sdmx.genericdata+xml", "2.1", GENERIC),
    ("application/vnd.sdmx.structurespecificdata+xml", "2.1", STRUCTURE_SPECIFIC),
    ("application/vnd.sdmx.data+json", "1.0.0", JSON),
    ("application/vnd.sdmx.data+csv", "1.0.0", CSV),
    ("application/vnd.sdmx.data+csv", "2.0.0", CSV2),
    ("application/xml", None, GENERIC),
    ("text/xml", None, GENERIC),
    ("application/json", None, JSON),
    ("text/csv", None, CSV),
)
STRUCTURE_TYPES = (
    ("application/vnd.sdmx.structure+xml", "2.1", STRUCTURE),
    ("application/xml", None, STRUCTURE),
    ("text/xml", None, STRUCTURE),
)
DATA_FORMATS = {
    "genericdata": GENERIC,
    "structurespecificdata": STRUCTURE_SPECIFIC,
    "jsondata": JSON,
    "csv": CSV,
    "csvfile": CSV,
    "csv2": CSV2,
}
STRUCTURE_FORMATS = {"structure": STRUCTURE, "xml": STRUCTURE}


def _quality(text):
    """A q-value -> its weight; one RFC 9110 does not allow (not a number from 0 to 1: `nan`, `abc`, `2`,
    `-1`) counts as 1, as if it were not given: a broken weight is no reason to refuse a type on offer."""
    try:
        q = float(text)
    except ValueError:
        return 1.0
    return q if 0 <= q <= 1 else 1.0  # NaN compares false: 1


def _accepted(header):
    """An Accept header -> [(q, type, params)], best first; a broken q counts as 1, q=0 is left out."""
    found = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        params = {}
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        found.append((-_quality(params.pop("q", "1")), index, pieces[0].lower(), params))
    return [(-q, kind, params) for q, _, kind, params in sorted(found) if q < 0]


def _matches(pattern, kind):
    if pattern in ("*/*", kind):
        return True
    major, _, minor = pattern.partition("/")
    return minor == "*" and kind.startswith(major + "/")


def negotiate(request, *, structure=False, accept_only=False):
    """The media type to answer `request` in. Raises SdmxError (400 for a bad format=, 406). With
    `accept_only`, from the Accept header alone: for a query string that cannot be read."""
    formats = STRUCTURE_FORMATS if structure else DATA_FORMATS
    offered = STRUCTURE_TYPES if structure else DATA_TYPES
    chosen = [] if accept_only else request.GET.getlist("format")
    if len(chosen) > 1:
        raise SdmxError(SYNTAX, "Parameter 'format' is given more than once; give it once.")
    if chosen:
        if chosen[0] not in formats:
            raise SdmxError(SYNTAX, f"Unknown format '{chosen[0]}'. Known: {', '.join(formats)}.")
        return formats[chosen[0]]
    header = request.headers.get("Accept", "").strip()
    if not header:
        return offered[0][2]
    for _, pattern, params in _accepted(header):
        for kind, version, media_type in offered:
            if _matches(pattern, kind) and params.get("version", version) in (version, None):
                return media_type
    names = ", ".join(dict.fromkeys(m for _, _, m in offered))
    raise SdmxError(NOT_ACCEPTABLE, f"Not acceptable: '{header}'. This service answers {names}.")
