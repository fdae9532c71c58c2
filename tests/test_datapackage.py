"""The Frictionless Data Package at /datapackage.json and /datapackage.zip, validated by frictionless."""

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import validate

from funding.models import Observation, Region
from tests.factories import publish_rows, value_row

live = pytest.mark.django_db(transaction=True)
FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))


def unzip(response, folder):
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(folder)
        return sorted(archive.namelist())


def test_zip_holds_the_descriptor_and_one_csv_a_measure(client, ilo_data, tmp_path):
    response = client.get("/datapackage.zip")

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="tcdash-datapackage.zip"'
    assert unzip(response, tmp_path) == [
        "data/approvals.csv",
        "data/expenditure-share.csv",
        "data/expenditure.csv",
        "data/recipients.csv",
        "datapackage.json",
    ]
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {task.name: task.stats["rows"] for task in report.tasks} == {
        "expenditure": 146,
        "approvals": 4,
        "expenditure-share": 4,
        "recipients": 2,
    }


def test_frictionless_validate_on_the_command_line(client, ilo_data, tmp_path):
    (tmp_path / "tcdash.zip").write_bytes(client.get("/datapackage.zip").content)

    result = subprocess.run(
        [FRICTIONLESS, "validate", "--json", str(tmp_path / "tcdash.zip")], capture_output=True, text=True, check=False
    )

    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stdout
    assert report["valid"] is True
    assert [(t["name"], t["stats"]["rows"]) for t in report["tasks"]] == [
        ("expenditure", 146),
        ("approvals", 4),
        ("expenditure-share", 4),
        ("recipients", 2),
    ]


@live
def test_the_served_descriptor_validates_against_the_live_server(live_server):
    call_command("load_ilo_data", verbosity=0)

    report = validate(f"{live_server.url}/datapackage.json")

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [task.stats["rows"] for task in report.tasks] == [146, 4, 4, 2]


def test_descriptor_names_the_schema_sources_licence_and_release(client, ilo_data):
    package = client.get("/datapackage.json").json()

    assert package["name"] == "ilo-technical-cooperation"
    assert package["licenses"][0]["name"] == "other-at"
    assert "cite the ILO and the document given with each value" in package["licenses"][0]["title"]
    assert package["release"]["id"] == ilo_data.pk
    assert package["release"]["checksum"] == ilo_data.checksum
    assert {
        "title": "GB.270/TC/2 (Nov 1997), para. 19",
        "path": "http://ilo.org/public/english/standards/relm/gb/docs/gb270/tc-2.htm",
    } in package["sources"]
    expenditure = package["resources"][0]
    assert expenditure["path"] == "http://testserver/datapackage/data/expenditure.csv"
    schema = expenditure["schema"]
    assert schema["primaryKey"] == ["measure", "year", "source", "region", "country_group", "input_type"]
    assert schema["missingValues"] == [""]
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["source"]["constraints"]["enum"] == ["_T", "rbtc", "undp", "trust-funds", "unfpa", "multi-bi"]
    assert fields["unit"]["constraints"]["enum"] == ["usd-thousands"]
    assert fields["status"]["constraints"]["enum"] == [
        "published",
        "derived",
        "provisional",
        "rounded",
        "estimated",
        "approximate",
    ]
    assert fields["amount_usd_thousands"]["type"] == "number"
    assert fields["year"]["type"] == "integer"


def test_csv_has_the_published_amounts_exactly(client, ilo_data):
    response = client.get("/datapackage/data/expenditure.csv")

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    cell = {(r["year"], r["source"], r["region"], r["country_group"], r["input_type"]): r for r in rows}
    assert cell[("1995", "_T", "_T", "_T", "_T")]["amount_usd_thousands"] == "112930"
    assert cell[("1996", "undp", "_T", "_T", "_T")]["amount_usd_thousands"] == "23531"
    assert cell[("1991", "_T", "_T", "_T", "_T")]["status"] == "approximate"
    assert cell[("1995", "_T", "_T", "_T", "experts")]["amount_usd_thousands"] == "38044"
    assert cell[("1990", "multi-bi", "_T", "_T", "_T")]["amount_usd_thousands"] == "40000"
    assert {r["unit"] for r in rows} == {"usd-thousands"}
    assert len(rows) == 146


def test_the_stated_shares_and_counts_are_files_of_their_own_with_their_unit(client, ilo_data):
    def rows(measure):
        response = client.get(f"/datapackage/data/{measure}.csv")
        return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert [(r["year"], r["source"], r["value"], r["unit"], r["status"]) for r in rows("expenditure-share")] == [
        ("1990", "rbtc", "8.7", "percent-of-total", "derived"),
        ("1990", "undp", "45.9", "percent-of-total", "rounded"),
        ("1990", "trust-funds", "37.8", "percent-of-total", "rounded"),
        ("1990", "unfpa", "7.6", "percent-of-total", "rounded"),
    ]
    assert [(r["year"], r["countries"], r["unit"], r["document"]) for r in rows("recipients")] == [
        ("1990", "134", "countries", "GB.270/TC/2 (Nov 1997), para. 20"),
        ("1995", "151", "countries", "GB.270/TC/2 (Nov 1997), para. 20"),
    ]
    package = client.get("/datapackage.json").json()
    share = next(r for r in package["resources"] if r["name"] == "expenditure-share")
    fields = {f["name"]: f for f in share["schema"]["fields"]}
    assert fields["value"]["title"] == "Share of the year's total (per cent)"
    assert fields["unit"]["constraints"]["enum"] == ["percent-of-total"]


@pytest.mark.parametrize("site", ["/fr", "/es"])
def test_the_package_is_in_english_on_every_site_as_its_files_are(client, ilo_data, site):
    # /fr/datapackage.json mixed languages: the package's title and every field in English (and the
    # files' names: "All sources"), its description, licence and resources' titles in French.
    english = client.get("/datapackage.json").json()
    response = client.get(f"{site}/datapackage.json")
    assert response["Content-Language"] == "en"
    assert response.json() == english
    assert english["resources"][0]["title"] == "ILO technical cooperation expenditure"
    assert english["licenses"][0]["title"].startswith("The figures are those published in ILO Governing Body")
    with zipfile.ZipFile(io.BytesIO(client.get(f"{site}/datapackage.zip").content)) as archive:
        packed = json.loads(archive.read("datapackage.json"))
    assert (
        packed["description"] == english["description"]
        and packed["resources"][0]["title"] == english["resources"][0]["title"]
    )
    response = client.get(f"{site}/datapackage/data/expenditure.csv")
    assert response["Content-Language"] == "en"
    assert b",All sources," in b"".join(response.streaming_content)


def test_an_unknown_measure_file_is_404(client, ilo_data):
    assert client.get("/datapackage/data/salaries.csv").status_code == 404


@pytest.mark.parametrize("path", ["/datapackage.json", "/datapackage.zip", "/datapackage/data/expenditure.csv"])
def test_datapackage_urls_refuse_other_methods(client, ilo_data, path):
    assert client.post(path).status_code == 405


def test_descriptor_and_zip_revalidate_by_the_live_release(client, ilo_data):
    first = client.get("/datapackage.zip")

    again = client.get("/datapackage.zip", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"]
    assert again.status_code == 304


def _descriptor_queries(client):
    """The SQL of /datapackage.json computed afresh (nothing cached)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/datapackage.json").status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_descriptor_reads_no_observation_however_many_are_published(client, ilo_data):
    # What keeps it flat in the number of observations (bench/run.py's N / 10,000): its sources come
    # from LiveDocument, its code lists and release from their own small tables.
    parent = Region.objects.get(code="africa")
    Region.objects.bulk_create(
        [
            Region(code=f"country-{n}", name=f"Country {n}", order=100 + n, colour="#999999", parent=parent)
            for n in (1, 2)
        ]
    )
    before = _descriptor_queries(client)
    publish_rows(
        [
            value_row(year=year, source="rbtc", region=f"country-{n}", amount=1000 * year, document="Country report")
            for n in (1, 2)
            for year in range(1950, 2050)
        ]
    )

    after = _descriptor_queries(client)

    assert Observation.objects.filter(region__code__startswith="country-").count() == 200
    assert not [sql for sql in after if Observation._meta.db_table in sql]
    assert after == before and len(after) == 7  # the generation, 4 code lists, the documents, the release


def test_the_zip_gives_each_file_its_size_and_sha256(client, ilo_data, tmp_path):
    unzip(client.get("/datapackage.zip"), tmp_path)

    package = json.loads((tmp_path / "datapackage.json").read_text())
    data = (tmp_path / "data" / "expenditure.csv").read_bytes()
    expenditure = package["resources"][0]
    assert expenditure["path"] == "data/expenditure.csv"
    assert expenditure["bytes"] == len(data)
    assert expenditure["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert "hash" not in client.get("/datapackage.json").json()["resources"][0]


def test_the_served_csv_is_the_zips_file_byte_for_byte(client, ilo_data, tmp_path):
    unzip(client.get("/datapackage.zip"), tmp_path)

    served = b"".join(client.get("/datapackage/data/expenditure.csv").streaming_content)

    assert served == (tmp_path / "data" / "expenditure.csv").read_bytes()


def test_csv_blocks_join_to_the_same_file_whatever_their_size(ilo_data):
    from funding.exporters.datapackage import measure_csv, measure_csv_chunks
    from funding.selectors import cells, dimension_members

    members = dimension_members()
    small = list(measure_csv_chunks(cells(measures=["expenditure"]), members, measure="expenditure", block=1000))

    assert len(small) > 20
    assert b"".join(small) == measure_csv(cells(measures=["expenditure"]), members, measure="expenditure")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/datapackage.json?v=2", b'{"error": "Unknown parameter \'v\'.", "errors": ["Unknown parameter \'v\'."]}'),
        ("/api/openapi.json?v=2&x=", b'{"error": "Unknown parameter \'v\'. Unknown parameter \'x\'.", "errors": '
         b'["Unknown parameter \'v\'.", "Unknown parameter \'x\'."]}'),
        ("/datapackage.zip?v=2", b"Bad request:\n- Unknown parameter 'v'.\n"),
        ("/datapackage/data/expenditure.csv?v=2", b"Bad request:\n- Unknown parameter 'v'.\n"),
    ],
)  # fmt: skip
def test_addresses_that_take_no_parameter_refuse_one_by_name(client, ilo_data, path, body):
    # Ignored, each was also a cache entry of its own: a way to make the server compute afresh at will.
    response = client.get(path)
    assert response.status_code == 400
    assert response.content == body


FORMULA_NOTE = "=cmd|' /C calc'!A0"


def test_every_csv_of_the_data_package_and_sdmx_writes_a_formula_like_text_as_text(client, ilo_data):
    # A note or document an editor typed starting with =, +, - or @ is a formula to a spreadsheet
    # that opens the file; the page's own CSV exports put a ' before it, and so do these now.
    from funding.services import create_draft, publish_draft

    data = (
        "measure,year,source,region,amount_usd_thousands,document,note\r\n"
        f'expenditure,1995,unfpa,_T,8266,+SUM(1),"{FORMULA_NOTE}"\r\n'
    ).encode()
    check, draft = create_draft(data=data, file_name="formula.csv")
    assert check.problems == []
    publish_draft(release=draft, expected_fingerprint=check.fingerprint)
    package = b"".join(client.get("/datapackage/data/expenditure.csv").streaming_content).decode()
    row = next(r for r in csv.DictReader(io.StringIO(package)) if r["year"] == "1995" and r["source"] == "unfpa")
    assert (row["document"], row["note"]) == ("'+SUM(1)", "'" + FORMULA_NOTE)
    for fmt in ("csv", "csv2", "csvfile"):
        sdmx = client.get(
            f"/sdmx/data/TC_FUNDING/expenditure.unfpa._T._T._T?startPeriod=1995&endPeriod=1995&format={fmt}"
        )
        assert sdmx.status_code == 200, fmt
        (obs,) = csv.DictReader(io.StringIO(sdmx.content.decode()))  # a short answer is kept whole (caching.KEPT_WHOLE)
        assert (obs["DOCUMENT"], obs["COMMENT_OBS"]) == ("'+SUM(1)", "'" + FORMULA_NOTE), fmt
    # The package's file uploads back as it is: the ' comes off again, nothing to publish.
    again, _ = create_draft(data=package.encode(), file_name="expenditure.csv")
    assert again.problems == [] and again.nothing_to_publish
