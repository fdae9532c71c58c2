"""The Frictionless Data Package: every live cell of each measure as a long CSV, with its Table
Schema (types, code lists as enums, missing values, primary key), the documents cited, the licence
statement and the release. Pure: cells and code lists in, a descriptor and CSV bytes out."""

import csv
import hashlib
import io

from ..models import MAX_YEAR, MIN_YEAR
from ..vocabulary import MEASURE_TITLES, UNIT_NAMES, Measure, Status, unit_column, unit_of
from .about import LICENCE_STATEMENT, SOURCE_STATEMENT, STANDING_NOTES
from .tables import neutralise

# The upload template's columns, with its two optional ones (input_type, document_url) in place, and
# the unit of the measure after the value: a file of the package uploads unchanged. The value column
# is named for its unit (vocabulary.unit_column): `amount_usd_thousands` for money, `countries` for the
# recipient countries, `value` for a stated share (which an upload reads as it reads an amount: see
# importers.AMOUNT_ALIASES).
COLUMNS = (
    "measure",
    "year",
    "source",
    "source_name",
    "region",
    "region_name",
    "country_group",
    "input_type",
    "amount_usd_thousands",
    "unit",
    "status",
    "document",
    "document_url",
    "note",
)


def columns(measure):
    """The columns of `measure`'s CSV."""
    return tuple(unit_column(measure) if c == "amount_usd_thousands" else c for c in COLUMNS)


PRIMARY_KEY = ["measure", "year", "source", "region", "country_group", "input_type"]
NAME = "ilo-technical-cooperation"
TITLE = "ILO technical cooperation: expenditure, extra-budgetary approvals, stated shares and recipient countries"
DIMENSION_TITLES = {
    "source": "Source of funds",
    "region": "Region",
    "country_group": "Country group",
    "input_type": "Type of input",
}


def csv_path(measure):
    return f"data/{measure}.csv"


def measure_csv_chunks(cells, members, *, measure, block=65536):
    """The long CSV (UTF-8, comma separated, CRLF) of `measure`'s `cells` (selectors.cells), English
    names, as byte blocks of about `block` bytes: the served file streams, its memory flat whatever its size."""
    names = {dim: {m["code"]: m["name"] for m in lst} for dim, lst in members.items()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns(measure))
    unit = unit_of(measure)
    for cell in cells:
        writer.writerow(
            [
                cell["measure"],
                cell["year"],
                cell["source"],
                neutralise(names["source"].get(cell["source"], "")),
                cell["region"],
                neutralise(names["region"].get(cell["region"], "")),
                cell["country_group"],
                cell["input_type"],
                f"{cell['amount']:f}",
                unit,
                cell["status"],
                neutralise(cell["document"]),
                cell["document_url"],
                neutralise(cell["note"]),
            ]
        )
        if out.tell() >= block:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def measure_csv(cells, members, *, measure):
    """measure_csv_chunks as one bytes object (the zip's files, hashed in the descriptor)."""
    return b"".join(measure_csv_chunks(cells, members, measure=measure))


def _enum_field(name, title, codes, description):
    return {
        "name": name,
        "title": title,
        "type": "string",
        "description": description,
        "constraints": {"required": True, "enum": codes},
    }


VALUE_FIELDS = {
    "usd-thousands": (
        "Amount (thousands of US dollars)",
        "As printed, exact; a total is the printed total, never re-added from its parts.",
    ),
    "percent-of-total": (
        "Share of the year's total (per cent)",
        "As the document states it, where it gives a share and no amount; never turned into an amount.",
    ),
    "countries": ("Number of countries", "As the document states it."),
}


def table_schema(members, measure=Measure.EXPENDITURE):
    """The Table Schema of `measure`'s CSV: codes as enums from the code lists, `_T` the total member,
    the value named for the measure's unit, and the unit itself (one value: the measure fixes it)."""
    unit = unit_of(measure)
    title, description = VALUE_FIELDS[unit]
    fields = [
        _enum_field("measure", "Measure", [measure], ", ".join(Measure.values)),
        {
            "name": "year",
            "title": "Year",
            "type": "integer",
            "constraints": {"required": True, "minimum": MIN_YEAR, "maximum": MAX_YEAR},
        },
    ]
    for dim in ("source", "region"):
        fields.append(
            _enum_field(
                dim, DIMENSION_TITLES[dim], [m["code"] for m in members[dim]], f"{DIMENSION_TITLES[dim]}: _T is all"
            )
        )
        fields.append({"name": f"{dim}_name", "title": f"{DIMENSION_TITLES[dim]} (name)", "type": "string"})
    for dim in ("country_group", "input_type"):
        fields.append(
            _enum_field(
                dim, DIMENSION_TITLES[dim], [m["code"] for m in members[dim]], f"{DIMENSION_TITLES[dim]}: _T is all"
            )
        )
    fields += [
        {
            "name": unit_column(measure),
            "title": title,
            "type": "number",
            "description": description,
            "constraints": {"required": True, "minimum": 0},
        },
        _enum_field("unit", "Unit", [unit], f"{UNIT_NAMES[unit]}: the unit of every value of the measure"),
        _enum_field("status", "Status", list(Status.labels), "How far the value is the document's printed number"),
        {"name": "document", "title": "Document", "type": "string", "description": "Where the value is published"},
        {"name": "document_url", "title": "Address of the document", "type": "string", "format": "uri"},
        {"name": "note", "title": "Note", "type": "string"},
    ]
    return {"fields": fields, "missingValues": [""], "primaryKey": PRIMARY_KEY}


def descriptor(*, files, members, sources, release, base_url=""):
    """The datapackage.json: `files` is {measure: CSV bytes, or None where the file is not at hand};
    `sources` the (document, address) pairs cited; `release` the live release (or None); `base_url`
    prefixes the CSVs' paths (the served descriptor points at the server's CSVs, the zip's at its
    own files). A file at hand gets its `bytes` and SHA-256 `hash`, which a validator checks."""
    resources = [
        {
            "name": measure,
            "title": str(MEASURE_TITLES.get(measure, measure)),
            "description": "Every live value, one a row: the published marginal tables as cells of one cube.",
            "path": base_url + csv_path(measure),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            **({"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()} if data else {}),
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
            "schema": table_schema(members, measure),
        }
        for measure, data in files.items()
    ]
    package = {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": " ".join(str(text) for text in (SOURCE_STATEMENT, *STANDING_NOTES)),
        "licenses": [{"name": "other-at", "title": str(LICENCE_STATEMENT)}],
        "sources": [{"title": document, **({"path": url} if url else {})} for document, url in sources],
        "resources": resources,
    }
    if release is not None:
        package["version"] = f"{release.pk}.0.0"
        package["created"] = release.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        package["release"] = {
            "id": release.pk,
            "title": release.shown_title,
            "published_at": package["created"],
            "checksum": release.checksum,
        }
    return package
