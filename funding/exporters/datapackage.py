"""The Frictionless Data Package: every live cell of each measure as a long CSV, with its Table
Schema (types, code lists as enums, missing values, primary key), the documents cited, the licence
statement and the release. Pure: cells and code lists in, a descriptor and CSV bytes out."""

import csv
import hashlib
import io

from ..models import MAX_YEAR, MIN_YEAR
from ..vocabulary import MEASURE_TITLES, Measure, Status
from .about import LICENCE_STATEMENT, SOURCE_STATEMENT, STANDING_NOTES

# The upload template's columns, with its two optional ones (input_type, document_url) in place:
# a file of the package uploads unchanged.
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
    "status",
    "document",
    "document_url",
    "note",
)
PRIMARY_KEY = ["measure", "year", "source", "region", "country_group", "input_type"]
NAME = "ilo-technical-cooperation"
TITLE = "ILO technical cooperation: expenditure and extra-budgetary approvals"
DIMENSION_TITLES = {
    "source": "Source of funds",
    "region": "Region",
    "country_group": "Country group",
    "input_type": "Type of input",
}


def csv_path(measure):
    return f"data/{measure}.csv"


def measure_csv_chunks(cells, members, *, block=65536):
    """The long CSV (UTF-8, comma separated, CRLF) of `cells` (selectors.cells), English names, as
    byte blocks of about `block` bytes: the served file streams, its memory flat whatever its size."""
    names = {dim: {m["code"]: m["name"] for m in lst} for dim, lst in members.items()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cell in cells:
        writer.writerow(
            [
                cell["measure"],
                cell["year"],
                cell["source"],
                names["source"].get(cell["source"], ""),
                cell["region"],
                names["region"].get(cell["region"], ""),
                cell["country_group"],
                cell["input_type"],
                f"{cell['amount']:f}",
                cell["status"],
                cell["document"],
                cell["document_url"],
                cell["note"],
            ]
        )
        if out.tell() >= block:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def measure_csv(cells, members):
    """measure_csv_chunks as one bytes object (the zip's files, hashed in the descriptor)."""
    return b"".join(measure_csv_chunks(cells, members))


def _enum_field(name, title, codes, description):
    return {
        "name": name,
        "title": title,
        "type": "string",
        "description": description,
        "constraints": {"required": True, "enum": codes},
    }


def table_schema(members):
    """The Table Schema of every CSV: codes as enums from the code lists, `_T` the total member."""
    fields = [
        _enum_field("measure", "Measure", list(Measure.values), "expenditure or approvals"),
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
            "name": "amount_usd_thousands",
            "title": "Amount (thousands of US dollars)",
            "type": "number",
            "description": "As printed, exact; a total is the printed total, never re-added from its parts.",
            "constraints": {"required": True, "minimum": 0},
        },
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
    schema = table_schema(members)
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
            "schema": schema,
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
            "title": release.title,
            "published_at": package["created"],
            "checksum": release.checksum,
        }
    return package
