"""The OpenAPI 3.1 description of the data API (served at /api/openapi.json), written by hand.

Its enums are read from where each word lives: breakdowns, values, groups and statuses from
`vocabulary`, sources, regions and types of input from the code lists (the admin may add members), export options
from `forms`. Its words are in the active language (`/fr/api/openapi.json` in French, as a page or a JSON
`meta` is); codes, names of parameters and the structure are the same in every language.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .exporters import WIDE_KEY_COLUMNS, long_columns
from .forms import EXPORT_CHOICES
from .models import MAX_YEAR, MIN_YEAR
from .sdmx.formats import DATA_FORMATS as SDMX_DATA_FORMATS
from .sdmx.formats import STRUCTURE_FORMATS as SDMX_STRUCTURE_FORMATS
from .sdmx.query import AT_OBSERVATION as SDMX_AT_OBSERVATION
from .sdmx.query import DETAILS as SDMX_DETAILS
from .sdmx.query import STRUCTURE_DETAILS as SDMX_STRUCTURE_DETAILS
from .sdmx.structure import OTHER_TYPES as SDMX_OTHER_TYPES
from .sdmx.structure import REFERENCES as SDMX_REFERENCES
from .sdmx.structure import TYPES as SDMX_TYPES
from .vocabulary import (
    BREAKDOWNS,
    DEFAULT_FROM,
    DEFAULT_TO,
    GROUPS,
    MEASURE_TITLES,
    MEASURE_UNITS,
    PUBLISHED_MEANING,
    STATUS_MEANINGS,
    TOTAL,
    TWIN_MEASURES,
    VALUES,
    Measure,
    Status,
    code_list,
    in_a_list,
    unit_of,
    wide_column,
)


def _parameter(name, description, schema, *, repeatable=False, array=None):
    parameter = {"name": name, "in": "query", "required": False, "description": description}
    if repeatable:
        parameter.update(schema={"type": "array", "items": schema, **(array or {})}, style="form", explode=True)
    else:
        parameter["schema"] = schema
    return parameter


YEAR = {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR}


def _codes(code_lists, dim):
    """Every code `dim=` accepts: the members of the code list, its total left out."""
    return [member["code"] for member in code_list(code_lists, dim) if member["code"] != TOTAL]


def _not_with_its_parent(code_lists, dim):
    """The array schema's rule that a member and the member it is part of are not chosen together
    (forms: a view of both would count the part twice): {} where no member has a parent."""
    pairs = [
        (member["code"], member["parent__code"])
        for member in code_list(code_lists, dim)
        if member.get("parent__code") and member["parent__code"] != TOTAL
    ]
    rules = [
        {"not": {"allOf": [{"contains": {"const": part}}, {"contains": {"const": whole}}]}} for part, whole in pairs
    ]
    return {"allOf": rules} if rules else {}


def _values(measure):
    """What `value=` takes for `measure`: a count of countries has no share (forms)."""
    return [value for value in VALUES if not (value == "share" and unit_of(measure) == "countries")]


def _filters(code_lists, measure):
    return [
        _parameter(
            "from",
            _("First year shown. After `to`, the range holds no year and the answer has no rows."),
            {**YEAR, "default": DEFAULT_FROM},
        ),
        _parameter(
            "to",
            _("Last year shown. Before `from`, the range holds no year and the answer has no rows."),
            {**YEAR, "default": DEFAULT_TO},
        ),
        _parameter(
            "by",
            _(
                "Breakdowns, one set of rows each: `total` (one row a year), `source`, `region`, `source-region` "
                "(the ILO publishes a region x source table for the least developed countries only), "
                "`input_type` (type of input: expenditure 1994-1995, GB.267/TC/1 Appendix II). "
                "By-source, by-region and by-type-of-input rows are separate tables: never add them together."
            ),
            {"type": "string", "enum": list(BREAKDOWNS), "default": "total"},
            repeatable=True,
        ),
        _parameter(
            "source",
            _("Sources of funds to keep. Without `by=source`, their values are summed (status `derived`)."),
            {"type": "string", "enum": _codes(code_lists, "source")},
            repeatable=True,
            array=_not_with_its_parent(code_lists, "source"),
        ),
        _parameter(
            "region",
            _("Regions to keep. Without `by=region`, their values are summed (status `derived`)."),
            {"type": "string", "enum": _codes(code_lists, "region")},
            repeatable=True,
            array=_not_with_its_parent(code_lists, "region"),
        ),
        _parameter(
            "input_type",
            _(
                "Types of input to keep (experts, training...: expenditure only). Without `by=input_type`, "
                "their values are summed (status `derived`)."
            ),
            {"type": "string", "enum": _codes(code_lists, "input_type")},
            repeatable=True,
            array=_not_with_its_parent(code_lists, "input_type"),
        ),
        _parameter(
            "group",
            _("Countries covered: `all`, or `ldc`, the least developed countries."),
            {"type": "string", "enum": list(GROUPS), "default": "all"},
        ),
        _parameter(
            "value",
            _(
                "`amount`: the amounts only; `share`: adds each row's percentage of the year's published total; "
                "`change`: its percentage change on the previous year."
            ),
            {"type": "string", "enum": _values(measure), "default": "amount"},
        ),
        _parameter("year", _("The year a drill-down came through (breadcrumbs only; no effect on the data)."), YEAR),
    ]


EXPORT_OPTIONS = [
    _parameter(
        "layout",
        gettext_lazy(
            "`long`: one row per value, the columns of the upload template (uploads unchanged). "
            "`wide`: years as columns, like the ILO's printed tables: the long layout's series, one row each, "
            "ending with the TOTAL row when `by` includes `total`; a year without data is an empty cell."
        ),
        {"type": "string", "enum": list(EXPORT_CHOICES["layout"]), "default": "long"},
    ),
    _parameter(
        "lang",
        gettext_lazy(
            "Language of the names of sources, regions and types of input: `en` English, `fr` French, "
            "`es` Spanish. Not given: the address's language."
        ),
        {"type": "string", "enum": list(EXPORT_CHOICES["lang"])},
    ),
]
BOM = _parameter(
    "bom",
    gettext_lazy(
        "`1`: start the file with a UTF-8 byte order mark, so Excel reads accented names correctly; `0`: "
        "without one. Not given: none, except with `dialect=excel-fr`, which has one unless `bom=0`. "
        "CSV only (a 400 on `.xlsx`)."
    ),
    {"type": "string", "enum": list(EXPORT_CHOICES["bom"])},
)
DIALECT = _parameter(
    "dialect",
    gettext_lazy(
        "`plain`: RFC 4180 (comma separator, decimal point, UTF-8). `excel-fr`: for spreadsheets in "
        "comma-decimal locales (French, German, Spanish... Excel or LibreOffice): semicolon separator, "
        "decimal comma, UTF-8 with a byte order mark, so numbers open as numbers and accents stay intact. "
        "CSV only."
    ),
    {"type": "string", "enum": list(EXPORT_CHOICES["dialect"]), "default": "plain"},
)
NUMBER = {"type": ["number", "null"]}


def _statuses():
    """The status enum's description: each code with its meaning."""
    meanings = {"published": PUBLISHED_MEANING, **STATUS_MEANINGS}
    listed = in_a_list(
        pgettext("a status and its meaning", "%(status)s: %(meaning)s")
        % {"status": f"`{code}`", "meaning": meanings[code]}
        for code in Status.labels
    )
    return _("The value's status: %(statuses)s.") % {"statuses": listed}


ROW = {
    "type": "object",
    "required": ["measure", "year", "source", "region", "amount", "unit", "status", "document"],
    "properties": {
        "measure": {
            "type": "string",
            "enum": list(MEASURE_UNITS),
            "description": gettext_lazy(
                "The row's measure: the page's, or expenditure-share for a share the documents "
                "state where they give no amount (value=share, 1990 by source)."
            ),
        },
        "year": {"type": "integer"},
        "source": {
            "type": ["string", "null"],
            "description": gettext_lazy(
                "Source code; the chosen codes joined by + where the row sums several chosen sources (undp+rbtc); "
                "null where the row covers all sources."
            ),
        },
        "region": {
            "type": ["string", "null"],
            "description": gettext_lazy(
                "Region code; the chosen codes joined by + where the row sums several chosen regions (africa+europe); "
                "null where the row covers all regions."
            ),
        },
        "input_type": {
            "type": ["string", "null"],
            "description": gettext_lazy(
                "Type-of-input code; the chosen codes joined by + where the row sums several chosen types of "
                "input (experts+training); "
                "null where the row covers all types of input."
            ),
        },
        "amount": {
            "type": ["number", "null"],
            "description": gettext_lazy(
                "In the row's unit, exact (whole numbers as integers): thousands of US dollars, or "
                "a number of countries; null for a share stated without an amount."
            ),
        },
        "unit": {
            "type": "string",
            "enum": sorted(set(MEASURE_UNITS.values())),
            "description": gettext_lazy("The measure's unit."),
        },
        "status": {"type": "string", "enum": list(Status.labels)},
        "document": {
            "type": "string",
            "description": gettext_lazy(
                "The ILO document that prints the value; a sum of values from several documents names each once, "
                "joined by “; ”."
            ),
        },
        "share": {
            **NUMBER,
            "description": gettext_lazy(
                "With value=share: per cent of the published total along the breakdown's dimension (of the "
                "year's total for the total breakdown), never of the sum of the chosen members."
            ),
        },
        "change": {**NUMBER, "description": gettext_lazy("With value=change: per cent change on the previous year.")},
        "part_of": {
            "type": "string",
            "description": gettext_lazy(
                "An 'of which' row (the multi-bilateral programme, with source=trust-funds): the "
                "code it is part of. Never add it to that row."
            ),
        },
    },
}
META = {
    "type": "object",
    "description": gettext_lazy("The facts that travel with the data (also the About sheet of the XLSX twin)."),
    "properties": {
        "title": {"type": "string"},
        "filters": {"type": "object", "description": gettext_lazy("The parsed query parameters.")},
        "description": {"type": "string", "description": gettext_lazy("The filters in words.")},
        "unit": {"type": "string"},
        "releases": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "published_at": {"type": ["string", "null"], "format": "date-time"},
                },
            },
        },
        "documents": {
            "type": "array",
            "items": {"type": "object", "properties": {"document": {"type": "string"}, "url": {"type": "string"}}},
        },
        "notes": {
            "type": "array",
            "items": {"type": "string"},
            "description": gettext_lazy("Values that are not as printed."),
        },
        "generated_at": {"type": "string", "format": "date-time"},
        "url": {
            "type": "string",
            "format": "uri",
            "description": gettext_lazy("The URL that gives this response again."),
        },
        "source": {"type": "string"},
        "licence": {"type": "string"},
    },
}
ERROR_TEXT = {
    "description": gettext_lazy("A bad parameter; the message names it."),
    "content": {"text/plain": {"schema": {"type": "string"}}},
}


# An address that takes no parameter answers any with a 400 naming it (forms.parse_nothing).
NO_PARAMETER_JSON = {
    "description": gettext_lazy("A parameter given; this address takes none, and `errors` names it."),
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
NO_PARAMETER_TEXT = {
    "description": gettext_lazy("A parameter given; this address takes none, and the message names it."),
    "content": {"text/plain": {"schema": {"type": "string"}}},
}


ATTACHMENT = {"Content-Disposition": {"schema": {"type": "string"}, "description": "attachment; filename=..."}}


def _operations(measure, description, filters):
    """A measure's three twins: `/{measure}.json`, `.csv` and `.xlsx`, each taking the page's filters."""
    base = f"/{measure}"
    return {
        f"{base}.json": _json_operation(measure, description, filters),
        f"{base}.csv": _csv_operation(measure, description, filters),
        f"{base}.xlsx": _xlsx_operation(measure, description, filters),
    }


def _json_operation(measure, description, filters):
    """The JSON twin: the page's rows with their meta, or a 400 whose `errors` name each bad parameter."""
    return {
        "get": {
            "operationId": f"{measure}Json",
            "summary": _("%(title)s: rows and their sources as JSON") % {"title": description},
            "parameters": filters,
            "responses": {
                "200": {
                    "description": _("The rows the page shows."),
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "measure": {"const": measure},
                                    "unit": {"const": MEASURE_UNITS[measure]},
                                    "meta": {"$ref": "#/components/schemas/Meta"},
                                    "rows": {"type": "array", "items": {"$ref": "#/components/schemas/Row"}},
                                },
                            }
                        }
                    },
                },
                "400": {
                    "description": _("A bad parameter; `errors` names each one."),
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            },
        }
    }


def _columns(measure):
    """The columns of a measure's files in words, as the exporters name them: the long layout's (its value
    column named for the measure's unit, `countries` for the recipient countries) and the wide layout's
    (`countries_YEAR`)."""
    long = _(
        "Long layout columns: %(columns)s, unit (+ share_percent or change_percent with "
        "value=share|change; input_type and input_type_name after region_name with by=input_type "
        "or input_type=)."
    ) % {"columns": ", ".join(long_columns(measure))}
    wide = _(
        "Wide layout columns (layout=wide): %(keys)s (+ input_type and input_type_name with by=input_type or "
        "input_type=, country_group with group=ldc), then for each year %(value)s and status_YEAR "
        "(%(share)s or %(change)s with value=share|change)."
    ) % {
        "keys": ", ".join(WIDE_KEY_COLUMNS),
        "value": wide_column(measure, "amount", "YEAR"),
        "share": wide_column(measure, "share", "YEAR"),
        "change": wide_column(measure, "change", "YEAR"),
    }
    return f"{long} {wide}"


def _csv_operation(measure, description, filters):
    """The CSV twin: the long and wide layouts' columns, the export options, the byte order mark and the dialect."""
    return {
        "get": {
            "operationId": f"{measure}Csv",
            "summary": _("%(title)s as CSV (UTF-8, streamed)") % {"title": description},
            "description": _columns(measure)
            + " "
            + _("Text cells starting with = + - @ tab or CR get a leading ' so that spreadsheets never run them."),
            "parameters": [*filters, *EXPORT_OPTIONS, BOM, DIALECT],
            "responses": {
                "200": {"description": _("A CSV file."), "headers": ATTACHMENT, "content": {"text/csv": {}}},
                "400": ERROR_TEXT,
            },
        }
    }


def _xlsx_operation(measure, description, filters):
    """The Excel twin: a workbook of a Data sheet and an About sheet, with the export options."""
    return {
        "get": {
            "operationId": f"{measure}Xlsx",
            "summary": _("%(title)s as an Excel workbook: a Data sheet and an About sheet") % {"title": description},
            "description": _("The Data sheet's columns are the CSV's.") + " " + _columns(measure),
            "parameters": [*filters, *EXPORT_OPTIONS],
            "responses": {
                "200": {
                    "description": _("An XLSX workbook; numbers are numeric cells."),
                    "headers": ATTACHMENT,
                    "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
                },
                "400": ERROR_TEXT,
            },
        }
    }


def _path_parameter(name, description, *, enum=None):
    # A path segment is required where it stands: its default is the shorter address's (see paths).
    schema = {"type": "string"}
    if enum is not None:
        schema["enum"] = list(enum)
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def _sdmx_errors(*, json=True):
    # SDMX-ML, or SDMX-JSON when a data query asked for JSON (format=jsondata or Accept); a structure
    # query has no JSON format, so its errors are SDMX-ML (`json=False`).
    content = {"application/xml": {}, **({"application/json": {}} if json else {})}
    return {
        status: {"description": text, "content": content}
        for status, text in (
            ("400", _("SDMX error message: a bad key or parameter, named")),
            ("404", _("SDMX error message: No results found")),
            ("406", _("SDMX error message: no format offered matches Accept")),
            ("501", _("SDMX error message: not served (updatedAfter, includeHistory, stubs)")),
        )
    }


def _media_types(formats):
    """The media types the formats of `format=` answer in, each once ({type: {}}, OpenAPI's content)."""
    return {media_type: {} for media_type in formats.values()}


def _open_data_paths():
    """The data package and the SDMX REST 2.1 service, described briefly: their own standards say the rest."""
    sdmx_errors = _sdmx_errors()
    return {
        **_data_package_paths(),
        # Each shorter address too, as SDMX's REST paths stop where their defaults begin (the key `all`,
        # the provider `all`; the agency `all`, the id `all`, the version `latest`).
        "/sdmx/data/{flow}": _sdmx_data_operation(sdmx_errors, segments=1),
        "/sdmx/data/{flow}/{key}": _sdmx_data_operation(sdmx_errors, segments=2),
        "/sdmx/data/{flow}/{key}/{provider}": _sdmx_data_operation(sdmx_errors, segments=3),
        "/sdmx/{structure}": _sdmx_structure_operation(_sdmx_errors(json=False), segments=1),
        "/sdmx/{structure}/{agency}": _sdmx_structure_operation(_sdmx_errors(json=False), segments=2),
        "/sdmx/{structure}/{agency}/{id}": _sdmx_structure_operation(_sdmx_errors(json=False), segments=3),
        "/sdmx/{structure}/{agency}/{id}/{version}": _sdmx_structure_operation(_sdmx_errors(json=False), segments=4),
    }


def _data_package_paths():
    """The Frictionless Data Package, as its descriptor and as one zip."""
    return {
        "/datapackage.json": {
            "get": {
                "summary": _("Frictionless Data Package: one CSV a measure, its Table Schema, sources, licence"),
                "responses": {
                    "200": {"description": "datapackage.json", "content": {"application/json": {}}},
                    "400": NO_PARAMETER_JSON,
                },
            }
        },
        "/datapackage/data/{measure}.csv": {
            "get": {
                "summary": _("One measure's CSV of the data package: every live value, one a row"),
                "parameters": [
                    _path_parameter("measure", _("The measure (a resource of the descriptor)"), enum=Measure.values)
                ],
                "responses": {
                    "200": {"description": "CSV", "content": {"text/csv": {}}},
                    "400": NO_PARAMETER_TEXT,
                    "404": {
                        "description": _("No such measure: the site's page saying so"),
                        "content": {"text/html": {}},
                    },
                },
            }
        },
        "/datapackage.zip": {
            "get": {
                "summary": _("The data package as one zip: datapackage.json and data/*.csv"),
                "responses": {
                    "200": {"description": "zip", "content": {"application/zip": {}}},
                    "400": NO_PARAMETER_TEXT,
                },
            }
        },
    }


def _sdmx_data_operation(sdmx_errors, *, segments):
    """SDMX REST 2.1 data at an address of `segments` path segments (the flow; its key; its provider):
    periods, how much of each series, a release and a format instead of Accept."""
    period = {"type": "string", "examples": ["1995", "1995-01", "1995-S2"]}
    count = {"type": "integer", "minimum": 1}
    path = [
        _path_parameter("flow", _("TC_FUNDING, ILO,TC_FUNDING or ILO,TC_FUNDING,1.0")),
        _path_parameter("key", _("Dot-separated codes, empty for any, + between several")),
        _path_parameter("provider", _("The data provider: ILO or all (any other: 404)")),
    ]
    return {
        "get": {
            "summary": _("SDMX REST 2.1 data: key MEASURE.SOURCE.REGION.COUNTRY_GROUP.INPUT_TYPE"),
            "parameters": [
                *path[:segments],
                _parameter("startPeriod", _("First period (years it overlaps)."), period),
                _parameter("endPeriod", _("Last period (years it overlaps); before startPeriod: a 400."), period),
                _parameter("firstNObservations", _("At most this many observations a series, the first."), count),
                _parameter("lastNObservations", _("At most this many observations a series, the last."), count),
                _parameter(
                    "detail",
                    _(
                        "`full`: observations and attributes; `dataonly`: observations without attributes; "
                        "`serieskeysonly`: the series keys alone; `nodata`: the series without observations."
                    ),
                    {"type": "string", "enum": list(SDMX_DETAILS), "default": "full"},
                ),
                _parameter(
                    "dimensionAtObservation",
                    _("`TIME_PERIOD`: observations in series; `AllDimensions`: each keyed by every dimension."),
                    {"type": "string", "enum": list(SDMX_AT_OBSERVATION), "default": SDMX_AT_OBSERVATION[0]},
                ),
                _parameter("release", _("The values as that release left them (see /releases/)."), {"type": "integer"}),
                _parameter(
                    "format",
                    _("Instead of Accept."),
                    {"type": "string", "enum": list(SDMX_DATA_FORMATS)},
                ),
            ],
            "responses": {
                "200": {"description": _("SDMX data message"), "content": _media_types(SDMX_DATA_FORMATS)},
                **sdmx_errors,
            },
        }
    }


def _sdmx_structure_operation(sdmx_errors, *, segments):
    """SDMX REST 2.1 structures at an address of `segments` path segments (a structure type; its agency,
    id and version), and what it refers to."""
    path = [
        _path_parameter(
            "structure",
            _("dataflow, datastructure, conceptscheme, codelist or structure (any SDMX structure type)"),
            enum=sorted({*SDMX_TYPES, *SDMX_OTHER_TYPES}),
        ),
        _path_parameter("agency", _("ILO or all")),
        _path_parameter("id", _("TC_FUNDING, DSD_TC_FUNDING, CS_TC_FUNDING, CL_SOURCE... or all")),
        _path_parameter("version", _("1.0, latest or all")),
    ]
    return {
        "get": {
            "summary": _("SDMX REST 2.1 structures: dataflow, datastructure, conceptscheme, codelist"),
            "parameters": [
                *path[:segments],
                _parameter(
                    "references",
                    _("Also the structures it refers to or that refer to it, or those of one structure type."),
                    {
                        "type": "string",
                        "enum": [*SDMX_REFERENCES, *sorted({*SDMX_TYPES, *SDMX_OTHER_TYPES})],
                        "default": SDMX_REFERENCES[0],
                    },
                ),
                _parameter(
                    "detail",
                    _("Only `full` is served; the others are a 501."),
                    # Only the one served: SDMX's other details are valid queries the server answers 501.
                    {"type": "string", "enum": [SDMX_STRUCTURE_DETAILS[0]], "default": SDMX_STRUCTURE_DETAILS[0]},
                ),
                _parameter("format", _("Instead of Accept."), {"type": "string", "enum": list(SDMX_STRUCTURE_FORMATS)}),
            ],
            "responses": {
                "200": {
                    "description": _("SDMX-ML 2.1 structure message"),
                    "content": _media_types(SDMX_STRUCTURE_FORMATS),
                },
                **sdmx_errors,
            },
        }
    }


def _resolved(value):
    """`value` with every lazy translation turned into text in the active language."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {key: _resolved(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item) for item in value]
    return value


def openapi_description(*, server, code_lists):
    """The OpenAPI 3.1 document as a dict of plain JSON types, in the active language; `server` is the
    site's base URL (in that language) and `code_lists` those of selectors.code_lists(), whose members
    the `source` and `region` enums list."""
    paths = {}
    for measure in TWIN_MEASURES:
        paths.update(_operations(measure, MEASURE_TITLES[measure], _filters(code_lists, measure)))
    paths.update(_open_data_paths())
    paths["/api/openapi.json"] = _self_operation()
    row = {**ROW, "properties": {**ROW["properties"], "status": {**ROW["properties"]["status"]}}}
    row["properties"]["status"]["description"] = _statuses()
    return _resolved(
        {
            "openapi": "3.1.0",
            "info": _info(),
            "servers": [{"url": server}],
            "paths": paths,
            "components": {
                "schemas": {
                    "Row": row,
                    "Meta": META,
                    "Error": {
                        "type": "object",
                        "properties": {
                            "error": {
                                "type": "string",
                                "description": _("The messages of `errors` as one text, one sentence after another."),
                            },
                            "errors": {
                                "type": "array",
                                "items": {"type": "string"},
                                "description": _("One message for each bad parameter, each a sentence."),
                            },
                        },
                    },
                }
            },
        }
    )


def _self_operation():
    """`/api/openapi.json`: this document, described in itself."""
    return {
        "get": {
            "operationId": "openapi",
            "summary": _("This description of the API (OpenAPI 3.1)"),
            "responses": {
                "400": NO_PARAMETER_JSON,
                "200": {
                    "description": _("The OpenAPI document."),
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["openapi", "info", "paths"],
                                "properties": {"openapi": {"const": "3.1.0"}, "info": {"type": "object"}},
                            }
                        }
                    },
                },
            },
        }
    }


def _info():
    """The document's title and the promises every endpoint keeps: units, absent years, methods, errors."""
    return {
        "title": _("tcdash data API"),
        "version": "1",
        "summary": _("The ILO's published technical cooperation figures, as shown on the dashboard's pages."),
        "description": _(
            "Every page with data has `.json`, `.csv` and `.xlsx` twins taking the page's query "
            "parameters. Amounts are in thousands of US dollars, exact. A year without data is absent, "
            "never 0. GET and HEAD only: any other method is answered 405. Every error of a twin is a 400 in "
            "the format asked for (JSON with `error` and `errors` for `.json`, plain text for `.csv` and "
            "`.xlsx`); under /sdmx/ an error is an SDMX error message (400, 404, 406 or 501)."
        ),
    }
