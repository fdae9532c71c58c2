"""SDMX REST 2.1 under /sdmx/: read by a real client (sdmx1) from the live server, and every error."""

import csv
import io
import json
from decimal import Decimal

import pytest
import requests
import sdmx
from django.core.management import call_command
from sdmx.reader.csv import Reader as CsvReader

from funding.services import create_draft, publish_draft
from tests.markup import body

live = pytest.mark.django_db(transaction=True)
SS = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
JSON = "application/vnd.sdmx.data+json;version=1.0.0"
CSV2 = "application/vnd.sdmx.data+csv;version=2.0.0"
SERIES = ["MEASURE", "SOURCE", "REGION", "COUNTRY_GROUP", "INPUT_TYPE"]


@pytest.fixture
def client_sdmx(live_server):
    """An sdmx1 Client pointed at the live test server, with the real data loaded: the source registered
    as README does, with id "ILO", which sdmx1 sends as the agency of a structure query. Its session's
    kept-alive connection is closed after the test: left open, the server thread answering it closed
    the database connection of a test already over, from the wrong thread (a warning at every run)."""
    call_command("load_ilo_data", verbosity=0)
    sdmx.add_source({"id": "ILO", "url": f"{live_server.url}/sdmx", "name": "tcdash"}, override=True)
    client = sdmx.Client("ILO")
    yield client
    client.session.close()


@pytest.fixture
def dsd(client_sdmx):
    return client_sdmx.datastructure("DSD_TC_FUNDING", agency_id="ILO").structure["DSD_TC_FUNDING"]


def frame(message):
    """A data message -> {(series key, year): (amount, status)}, the key as a URL writes it
    (`MEASURE.SOURCE.REGION.COUNTRY_GROUP.INPUT_TYPE`)."""
    table = sdmx.to_pandas(message, attributes="o", dtype=str).reset_index()
    return {
        (".".join(row[d] for d in SERIES), int(row["TIME_PERIOD"])): (Decimal(row["value"]), row["OBS_STATUS"])
        for _, row in table.iterrows()
    }


def amounts(message):
    return {key: amount for key, (amount, _) in frame(message).items()}


def series(key, amounts):
    """{(key, year): Decimal amount} of one series, from {year: amount as printed}."""
    return {(key, year): Decimal(amount) for year, amount in amounts.items()}


@live
def test_client_reads_the_dataflow_with_its_structure_and_code_lists(client_sdmx):
    message = client_sdmx.dataflow("TC_FUNDING")  # as README's example asks: /sdmx/dataflow/ILO/TC_FUNDING/latest

    assert message.response.url.endswith("/sdmx/dataflow/ILO/TC_FUNDING/latest?references=all")

    flow = message.dataflow["TC_FUNDING"]
    assert str(flow.name) == "ILO technical cooperation: expenditure and extra-budgetary approvals"
    dsd = message.structure["DSD_TC_FUNDING"]
    assert [d.id for d in dsd.dimensions] == [*SERIES, "TIME_PERIOD"]
    assert [a.id for a in dsd.attributes] == [
        "OBS_STATUS",
        "UNIT_MEASURE",
        "UNIT_MULT",
        "DOCUMENT",
        "DOCUMENT_URL",
        "COMMENT_OBS",
    ]
    sources = message.codelist["CL_SOURCE"]
    assert list(sources.items) == ["_T", "rbtc", "undp", "trust-funds", "multi-bi", "unfpa"]
    assert sources["multi-bi"].parent.id == "trust-funds"
    assert sources["multi-bi"].name.localizations == {
        "en": "Multi-bilateral programme",
        "fr": "Programme multi-bilatéral",
        "es": "Programa multibilateral",
    }
    assert sources["undp"].name.localizations == {"en": "UNDP", "fr": "PNUD", "es": "PNUD"}
    assert sources["undp"].parent.id == "_T"
    assert message.codelist["CL_REGION"]["asia-pacific"].name.localizations["fr"] == "Asie et Pacifique"
    assert message.codelist["CL_REGION"]["asia-pacific"].name.localizations["es"] == "Asia y el Pacífico"
    assert list(message.codelist["CL_MEASURE"].items) == ["expenditure", "approvals", "expenditure-share", "recipients"]
    assert list(message.codelist["CL_UNIT"].items) == ["USD", "PT", "COUNTRIES"]
    assert list(message.codelist["CL_OBS_STATUS"].items) == [
        "published",
        "derived",
        "provisional",
        "rounded",
        "estimated",
        "approximate",
    ]
    assert list(message.codelist["CL_INPUT_TYPE"].items)[:3] == ["_T", "experts", "other-personnel"]
    assert list(message.codelist["CL_COUNTRY_GROUP"].items) == ["_T", "ldc"]


@live
def test_client_reads_the_measures_and_statuses_in_the_three_languages(client_sdmx):
    message = client_sdmx.dataflow("TC_FUNDING")

    measures = message.codelist["CL_MEASURE"]
    statuses = message.codelist["CL_OBS_STATUS"]
    assert measures["expenditure"].name.localizations == {
        "en": "ILO technical cooperation expenditure",
        "fr": "Dépenses de coopération technique du BIT",
        "es": "Gastos de cooperación técnica de la OIT",
    }
    assert statuses["provisional"].name.localizations == {
        "en": "The ILO may revise it",
        "fr": "Le BIT peut la réviser",
        "es": "La OIT puede revisarlo",
    }
    assert statuses["rounded"].name.localizations == {
        "en": "Stated rounded in the text of the document (for example '$2.2 million'), not in a table",
        "fr": "Indiquée arrondie dans le texte du document (par exemple « 2,2 millions de dollars »), pas dans un "
        "tableau",
        "es": "Indicado redondeado en el texto del documento (por ejemplo «2,2 millones de dólares»), no en un cuadro",
    }
    assert statuses["published"].name.localizations["en"] == "Printed in a table of the document"
    assert all(set(code.name.localizations) == {"en", "fr", "es"} for code in [*measures, *statuses])


@live
def test_client_reads_a_single_code_list(client_sdmx):
    message = client_sdmx.codelist("CL_REGION", agency_id="ILO")

    assert list(message.codelist) == ["CL_REGION"]
    assert str(message.codelist["CL_REGION"]["arab-states"].name) == "Arab States, Middle East"


@live
@pytest.mark.parametrize("accept", [None, SS, JSON])
def test_client_reads_the_published_amounts_as_printed(client_sdmx, dsd, accept):
    headers = {"Accept": accept} if accept else {}

    message = client_sdmx.data(
        "TC_FUNDING", key="expenditure.undp+_T._T._T._T", dsd=None if accept == JSON else dsd, headers=headers
    )

    values = frame(message)
    assert values["expenditure.undp._T._T._T", 1996] == (Decimal("23531"), "published")
    # The printed total, not the 112,931 its parts add up to.
    assert values["expenditure._T._T._T._T", 1995] == (Decimal("112930"), "published")
    assert values["expenditure._T._T._T._T", 1991] == (Decimal("170000"), "approximate")
    assert sorted({key for key, _ in values}) == ["expenditure._T._T._T._T", "expenditure.undp._T._T._T"]
    assert len(values) == 11  # 1991 and 1993-97 totals, 1993-97 UNDP


@live
def test_client_reads_the_data_without_a_structure_too(client_sdmx):
    message = client_sdmx.data("TC_FUNDING", key="expenditure.undp._T._T._T")

    assert amounts(message) == series(
        "expenditure.undp._T._T._T", {1993: "58661", 1994: "38522", 1995: "31211", 1996: "23531", 1997: "31225"}
    )


@live
def test_client_wildcards_a_position_and_limits_the_periods(client_sdmx, dsd):
    message = client_sdmx.data(
        "TC_FUNDING", key="expenditure.._T._T._T", params={"startPeriod": "1995", "endPeriod": "1995"}, dsd=dsd
    )

    printed = {"_T": "112930", "rbtc": "12426", "undp": "31211", "trust-funds": "61028", "unfpa": "8266"}
    assert amounts(message) == {(f"expenditure.{source}._T._T._T", 1995): Decimal(a) for source, a in printed.items()}


@live
def test_client_reads_the_least_developed_countries_cross_table(client_sdmx, dsd):
    message = client_sdmx.data("TC_FUNDING", key="expenditure.undp.africa.ldc._T", dsd=dsd)

    assert amounts(message) == series("expenditure.undp.africa.ldc._T", {1993: "18035", 1994: "12639", 1995: "11621"})


@live
def test_client_reads_the_statuses_of_the_stated_approvals(client_sdmx, dsd):
    message = client_sdmx.data("TC_FUNDING", key="approvals....", dsd=dsd)

    assert frame(message) == {
        ("approvals._T._T._T._T", 1990): (Decimal("165600"), "rounded"),
        ("approvals._T._T._T._T", 1994): (Decimal("69700"), "rounded"),
        ("approvals._T._T._T._T", 1995): (Decimal("114000"), "approximate"),
        ("approvals._T._T._T._T", 1996): (Decimal("114000"), "approximate"),
    }


@live
def test_client_reads_sdmx_csv_2(client_sdmx, dsd, live_server):
    response = requests.get(
        f"{live_server.url}/sdmx/data/ILO,TC_FUNDING,1.0/expenditure.undp._T._T._T",
        params={"startPeriod": "1996"},
        headers={"Accept": CSV2},
        timeout=10,
    )

    message = CsvReader().convert(io.BytesIO(response.content), structure=dsd)
    # sdmx1 reads SDMX-CSV into SDMX 3 data sets, which its to_pandas does not convert yet.
    observations = {
        (*(kv.value for kv in o.dimension.values.values()),): (o.value, o.attached_attribute["OBS_STATUS"].value)
        for o in message.data[0].obs
    }
    assert observations == {
        ("expenditure", "undp", "_T", "_T", "_T", "1996"): ("23531", "published"),
        ("expenditure", "undp", "_T", "_T", "_T", "1997"): ("31225", "published"),
    }


@live
def test_client_reports_a_bad_key_as_a_400(client_sdmx):
    with pytest.raises(requests.HTTPError) as raised:
        client_sdmx.data("TC_FUNDING", key="expenditure.nobody._T._T._T")

    assert raised.value.response.status_code == 400
    assert "'nobody' is not a code of SOURCE" in raised.value.response.text


@live
def test_client_reports_no_results_as_a_404(client_sdmx):
    with pytest.raises(requests.HTTPError) as raised:
        client_sdmx.data("TC_FUNDING", key="approvals.undp._T._T._T")

    assert raised.value.response.status_code == 404
    assert "No results found" in raised.value.response.text


# --- The same service through Django's test client: formats, parameters, errors -----------------


def text_of(response):
    return body(response).decode()


def test_data_answers_sdmx_csv_1_with_exact_amounts(client, ilo_data):
    response = client.get(
        "/sdmx/data/TC_FUNDING/expenditure.undp+_T._T._T._T?startPeriod=1995&endPeriod=1996&format=csv"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8"
    rows = list(csv.reader(io.StringIO(text_of(response))))
    assert rows[0] == [
        "DATAFLOW",
        *SERIES,
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_STATUS",
        "UNIT_MEASURE",
        "UNIT_MULT",
        "DOCUMENT",
        "DOCUMENT_URL",
        "COMMENT_OBS",
    ]
    assert [row[:8] + row[8:11] for row in rows[1:]] == [
        ["ILO:TC_FUNDING(1.0)", "expenditure", "_T", "_T", "_T", "_T", "1995", "112930", "published", "USD", "3"],
        ["ILO:TC_FUNDING(1.0)", "expenditure", "_T", "_T", "_T", "_T", "1996", "98167", "published", "USD", "3"],
        ["ILO:TC_FUNDING(1.0)", "expenditure", "undp", "_T", "_T", "_T", "1995", "31211", "published", "USD", "3"],
        ["ILO:TC_FUNDING(1.0)", "expenditure", "undp", "_T", "_T", "_T", "1996", "23531", "published", "USD", "3"],
    ]
    assert rows[4][11] == "GB.273/TC/1 (Nov 1998) Appendix I table A"


def test_data_takes_every_flow_reference_and_the_all_key(client, ilo_data):
    counts = {}
    for path in ("TC_FUNDING", "ILO,TC_FUNDING", "ILO,TC_FUNDING,1.0", "ILO,TC_FUNDING,latest", "TC_FUNDING/all/all"):
        response = client.get(f"/sdmx/data/{path}?format=csv")
        counts[path] = len(text_of(response).splitlines()) - 1

    assert set(counts.values()) == {156}


def test_data_is_generic_sdmx_ml_by_default(client, ilo_data):
    response = client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=1996&endPeriod=1996")

    assert response["Content-Type"] == "application/vnd.sdmx.genericdata+xml; version=2.1; charset=utf-8"
    assert "Accept" in [v.strip() for v in response["Vary"].split(",")]
    text = text_of(response)
    assert '<gen:ObsDimension value="1996"/><gen:ObsValue value="23531"/>' in text
    assert '<gen:Value id="OBS_STATUS" value="published"/>' in text


@pytest.mark.parametrize("count", ["9223372036854775808", "9" * 5000, "000100"])
def test_data_counts_past_a_series_length_give_every_observation(client, ilo_data, count):
    # 2**63 overflowed the deque the last observations are kept in, after the 200 was sent (a cut-off
    # answer); 5,000 digits are past what Python turns into an int. A series has one value a year.
    every = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?format=csv"))
    for name in ("lastNObservations", "firstNObservations"):
        response = client.get(f"/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?{name}={count}&format=csv")
        assert response.status_code == 200
        assert text_of(response) == every
        assert len(every.splitlines()) == 6  # the header and UNDP's five values (1993-1997)


def test_data_last_observations_and_series_keys_only(client, ilo_data):
    last = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?lastNObservations=2&format=csv"))
    keys = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.._T._T._T?detail=serieskeysonly&format=jsondata"))

    assert [line.split(",")[6:8] for line in last.splitlines()[1:]] == [["1996", "23531"], ["1997", "31225"]]
    # Five series: the total and the four sources (multi-bi, under trust funds, is a series of its own).
    assert '"observations": {}' in keys and keys.count('"observations"') == 6


def test_data_of_an_earlier_release_with_release(client, ilo_data):
    correction = (
        b"measure,year,source,region,amount_usd_thousands,status,document\n"
        b"expenditure,1996,undp,_T,23531,provisional,GB.Y\n"
    )
    check, draft = create_draft(data=correction, file_name="correction.csv")
    assert check.ok, check.problems
    publish_draft(release=draft)
    url = "/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=1996&endPeriod=1996&format=csv"

    now = text_of(client.get(url)).splitlines()[1].split(",")
    then = text_of(client.get(url + f"&release={ilo_data.pk}")).splitlines()[1].split(",")

    assert now[7:9] + now[11:12] == ["23531", "provisional", "GB.Y"]
    assert then[7:9] + then[11:12] == ["23531", "published", "GB.273/TC/1 (Nov 1998) Appendix I table A"]


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/sdmx/data/TC_FUNDING/expenditure.undp", 400, "it has 2 positions, the key has 5"),
        ("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=nineteen", 400, "must be a period"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1997&endPeriod=1995", 400, "startPeriod (1997) is after"),
        # A start after the end whatever the periods' formats: compared as the days they span.
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995-S2&endPeriod=1995-S1", 400, "startPeriod (1995-S2) is after"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995-07&endPeriod=1995-Q2", 400, "startPeriod (1995-07) is after"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995-W27&endPeriod=1995-M06", 400, "startPeriod (1995-W27) is after"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995-13", 400, "must be a period"),
        # A period is read as given: not with a space around it (a + is a space), nor in other digits
        # than ASCII ones (Python's int() reads "١٩٩٥"), nor with a line break after it.
        ("/sdmx/data/TC_FUNDING/all?startPeriod=+1995", 400, "must be a period such as 1995 or 1995-01, not ' 1995'"),
        ("/sdmx/data/TC_FUNDING/all?endPeriod=1995%20", 400, "must be a period such as 1995 or 1995-01, not '1995 '"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=%D9%A1%D9%A9%D9%A9%D9%A5", 400, "must be a period"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995-%D9%A0%D9%A1", 400, "must be a period"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995%0A", 400, "must be a period"),
        (f"/sdmx/data/TC_FUNDING/all?startPeriod={'9' * 5000}", 400, f"not '{'9' * 40}'."),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1995-W53", 400, "must be a period"),
        ("/sdmx/data/TC_FUNDING/all?endPeriod=1995-02-30", 400, "must be a period"),
        ("/sdmx/data/TC_FUNDING/all?colour=red", 400, "Unknown parameter 'colour'"),
        ("/sdmx/data/TC_FUNDING/all?release=99", 400, "Unknown release '99'"),
        ("/sdmx/data/TC_FUNDING/all?format=pdf", 400, "Unknown format 'pdf'"),
        ("/sdmx/data/TC_FUNDING/all?lastNObservations=0", 400, "whole number above 0"),
        ("/sdmx/data/TC_FUNDING/all?firstNObservations=000", 400, "whole number above 0"),
        # A NUL in a key: PostgreSQL refuses it in a query (it was a 500 there).
        ("/sdmx/data/TC_FUNDING/expenditure.%00._T._T._T", 400, "it holds a control character"),
        ("/sdmx/data/TC_FUNDING/expenditure._T.a%00b._T._T", 400, "it holds a control character"),
        ("/sdmx/data/TC_FUNDING/expenditure._T.a%01b._T._T", 400, "it holds a control character"),
        ("/sdmx/data/TC_FUNDING/all?updatedAfter=2020-01-01", 501, "updatedAfter is not served"),
        ("/sdmx/data/OTHER_FLOW/all", 404, "No results found"),
        ("/sdmx/data/TC_FUNDING/all/ESTAT", 404, "No results found"),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=2050", 404, "No results found"),
        ("/sdmx/data/ILO,TC_FUNDING,2.0/all", 404, "No results found"),
        ("/sdmx/dataflow/ESTAT", 404, "No results found"),
        ("/sdmx/codelist/ILO/CL_NOTHING", 404, "No results found"),
        ("/sdmx/categoryscheme", 404, "No results found"),
        ("/sdmx/dataflows", 400, "Unknown structure type 'dataflows'"),
        # SDMX 2.1 resources not served: 501, whatever follows (they were a 400 "Unknown structure type").
        ("/sdmx/availableconstraint/TC_FUNDING", 501, "The SDMX resource 'availableconstraint' is not served here."),
        ("/sdmx/availableconstraint/TC_FUNDING/all/all/all?mode=available", 501, "detail=serieskeysonly"),
        ("/sdmx/availableconstraint", 501, "'availableconstraint' is not served"),
        ("/sdmx/metadata/TC_FUNDING/all/all", 501, "The SDMX resource 'metadata' is not served here."),
        ("/sdmx/schema/dataflow/ILO/TC_FUNDING/1.0", 501, "/sdmx/datastructure/ILO/DSD_TC_FUNDING/1.0"),
        ("/sdmx/availableconstraints/TC_FUNDING", 400, "Unknown structure type 'availableconstraints'"),
        ("/sdmx/schemas/dataflow/ILO/TC_FUNDING/1.0", 404, "is no SDMX resource"),
        ("/sdmx/dataflow?references=cousins", 400, "Unknown references 'cousins'"),
        ("/sdmx/dataflow?detail=allstubs", 501, "only full structures are served"),
        # A value SDMX does not define is a bad request (400); one it defines that tcdash does not serve, a 501.
        ("/sdmx/dataflow?detail=ldc", 400, "Unknown detail 'ldc'. Known: full, allstubs, referencestubs,"),
        (
            "/sdmx/data/TC_FUNDING/all?dimensionAtObservation=_T",
            400,
            "Unknown dimensionAtObservation '_T'. Known: "
            "TIME_PERIOD, AllDimensions, MEASURE, SOURCE, REGION, COUNTRY_GROUP, INPUT_TYPE.",
        ),
        ("/sdmx/data/TC_FUNDING/all?dimensionAtObservation=SOURCE", 501, "only TIME_PERIOD and AllDimensions"),
    ],
)
def test_errors_are_sdmx_error_messages(client, ilo_data, path, status, text):
    response = client.get(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert "<mes:Error" in response.content.decode()
    assert text in response.content.decode()


def test_a_key_with_an_unknown_code_names_every_code_of_its_list(client, ilo_data):
    response = client.get("/sdmx/data/TC_FUNDING/expenditure._T.africa+Nowhere._T._T")

    assert response.status_code == 400
    assert (
        "Bad key 'expenditure._T.africa+Nowhere._T._T': 'Nowhere' is not a code of REGION. Its codes: _T, africa, "
        "asia-pacific, latin-america-caribbean, arab-states, europe, interregional."
    ) in response.content.decode()


def test_a_key_matches_its_codes_in_any_case(client, ilo_data):
    text = text_of(
        client.get("/sdmx/data/TC_FUNDING/EXPENDITURE.UNDP+Rbtc._t._T._T?startPeriod=1996&endPeriod=1996&format=csv")
    )

    assert [line.split(",")[2:8] for line in text.splitlines()[1:]] == [
        ["rbtc", "_T", "_T", "_T", "1996", "6958"],
        ["undp", "_T", "_T", "_T", "1996", "23531"],
    ]


def test_a_data_query_looks_up_only_the_codes_of_its_key(client, ilo_data, django_assert_num_queries):
    # The live generation (the cache's key), then a query a code list the key names (not SOURCE, left
    # empty), the releases, the cells: no code list is read whole (at a million observations the
    # regions are 1,256 members).
    with django_assert_num_queries(6) as queries:
        text = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.._T._T._T?format=csv"))

    assert len(text.splitlines()) == 1 + 28
    assert all("WHERE" in query["sql"] for query in queries.captured_queries[1:4])


def test_sdmx_json_names_only_the_codes_it_used(client, ilo_data, django_assert_num_queries):
    # The live generation, the key's three code lists, the releases, the cells, then the names of the
    # codes the data set used.
    with django_assert_num_queries(10) as queries:
        data = json.loads(
            text_of(
                client.get(
                    "/sdmx/data/TC_FUNDING/expenditure._T.._T._T?startPeriod=1996&endPeriod=1996&format=jsondata"
                )
            )
        )

    regions = data["structure"]["dimensions"]["series"][2]["values"]
    assert len(regions) == 7
    assert regions[:2] == [{"id": "_T", "name": "All regions"}, {"id": "africa", "name": "Africa"}]
    assert all("WHERE" in query["sql"] for query in queries.captured_queries[-4:])


def test_an_error_to_a_json_request_is_json(client, ilo_data):
    response = client.get("/sdmx/data/TC_FUNDING/approvals.undp._T._T._T", HTTP_ACCEPT=JSON)

    assert response.status_code == 404
    assert response.json() == {"errors": [{"code": 100, "title": "No results found", "detail": "No results found"}]}


def test_an_unsupported_accept_is_406(client, ilo_data):
    data = client.get("/sdmx/data/TC_FUNDING/all", HTTP_ACCEPT="application/pdf")
    structure = client.get("/sdmx/dataflow", HTTP_ACCEPT="application/vnd.sdmx.structure+xml;version=3.0.0")

    assert (data.status_code, structure.status_code) == (406, 406)
    assert "This service answers application/vnd.sdmx.genericdata+xml;version=2.1" in data.content.decode()


def vary(response):
    return [value.strip() for value in response["Vary"].split(",")]


@pytest.mark.parametrize(
    ("path", "accept", "status"),
    [
        ("/sdmx/data/TC_FUNDING/all", "text/html", 406),
        ("/sdmx/dataflow", "text/html", 406),
        ("/sdmx/data/TC_FUNDING/all?startPeriod=1997&endPeriod=1995", "application/xml", 400),
        ("/sdmx/data/TC_FUNDING/approvals.undp._T._T._T", "application/json", 404),
        ("/sdmx/data/TC_FUNDING/all?updatedAfter=2020", "application/xml", 501),
        ("/sdmx/dataflow?references=cousins", "application/xml", 400),
        ("/sdmx/codelist/ILO/CL_NOTHING", "application/xml", 404),
        ("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T", "text/csv", 200),
        ("/sdmx/dataflow/ILO/TC_FUNDING/1.0", "application/xml", 200),
        ("/sdmx/", "application/xml", 404),
        ("/sdmx/data/", "application/json", 404),
        ("/sdmx/data/TC_FUNDING/all/ILO/more", "text/html", 404),
    ],
)
def test_every_negotiated_answer_varies_on_accept(client, ilo_data, path, accept, status):
    # A cache in between must not give a 406 (or an error in XML) to a client that asks in another format.
    response = client.get(path, HTTP_ACCEPT=accept)
    again = client.get(path, HTTP_ACCEPT=accept)  # the structures' cached answer too

    text_of(response), text_of(again)  # read to the end: a long data answer streams from a database cursor
    assert (response.status_code, again.status_code) == (status, status)
    assert "Accept" in vary(response)
    assert "Accept" in vary(again)


@pytest.mark.parametrize(
    ("fmt", "lead"), [("csv", ["ILO:TC_FUNDING(1.0)"]), ("csv2", ["dataflow", "ILO:TC_FUNDING(1.0)", "I"])]
)
def test_sdmx_csv_series_keys_only_gives_one_line_a_series_key(client, ilo_data, fmt, lead):
    generic = text_of(client.get("/sdmx/data/TC_FUNDING/all?detail=serieskeysonly"))
    text = text_of(client.get(f"/sdmx/data/TC_FUNDING/all?detail=serieskeysonly&format={fmt}"))

    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header[len(lead) :] == [*SERIES, "TIME_PERIOD", "OBS_VALUE"]
    assert len(lines) == generic.count("<gen:Series>") == 49
    assert {tuple(line[: len(lead)]) for line in lines} == {tuple(lead)}
    assert {tuple(line[len(lead) + 5 :]) for line in lines} == {("", "")}  # no period, no value
    keys = [".".join(line[len(lead) : len(lead) + 5]) for line in lines]
    assert len(set(keys)) == 49
    assert keys[:2] == ["approvals._T._T._T._T", "expenditure._T._T._T._T"]
    assert "recipients._T._T._T._T" in keys


def test_sdmx_csv_without_data_gives_each_series_key_with_empty_attributes(client, ilo_data):
    text = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.._T._T._T?detail=nodata&format=csv"))

    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header[7:9] == ["OBS_VALUE", "OBS_STATUS"]
    assert [line[2] for line in lines] == ["_T", "rbtc", "undp", "trust-funds", "unfpa", "multi-bi"]
    assert {tuple(line[6:]) for line in lines} == {("",) * (len(header) - 6)}


def test_accept_with_q_values_picks_the_best_offered(client, ilo_data):
    response = client.get(
        "/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T",
        HTTP_ACCEPT="application/pdf, text/csv;q=0.5, application/vnd.sdmx.data+json;version=1.0.0;q=0.9",
    )

    assert response["Content-Type"] == "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8"
    assert '"id": "undp"' in text_of(response)


@pytest.mark.parametrize("q", ["nan", "NaN", "abc", "", "2", "-1", "inf", "1e999", "0.5.5"])
def test_accept_with_a_broken_q_value_counts_it_as_1(client, ilo_data, q):
    # RFC 9110 allows 0 to 1 with three decimals; a broken one is no reason to refuse a type on offer.
    response = client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T", HTTP_ACCEPT=f"application/json;q={q}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.sdmx.data+json; version=1.0.0; charset=utf-8"
    assert '"id": "undp"' in text_of(response)


def test_accept_with_a_broken_q_value_ranks_it_as_1_against_the_others(client, ilo_data):
    response = client.get(
        "/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T", HTTP_ACCEPT="application/json;q=0.4, text/csv;q=nan"
    )

    assert response["Content-Type"].startswith("application/vnd.sdmx.data+csv; version=1.0.0")
    # q=0 still says "not this one".
    refused = client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T", HTTP_ACCEPT="application/json;q=0")
    assert refused.status_code == 406
    structure = client.get("/sdmx/dataflow/ILO/TC_FUNDING/1.0", HTTP_ACCEPT="application/xml;q=nan")
    assert structure.status_code == 200
    assert structure["Content-Type"] == "application/vnd.sdmx.structure+xml; version=2.1; charset=utf-8"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405(client, ilo_data, method):
    for path in ("/sdmx/data/TC_FUNDING/all", "/sdmx/dataflow/ILO/TC_FUNDING/1.0"):
        assert getattr(client, method)(path).status_code == 405


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/sdmx/dataflow/ILO/TC_FUNDING/1.0", ["str:Dataflows"]),
        ("/sdmx/dataflow/ILO/TC_FUNDING/1.0?references=children", ["str:Dataflows", "str:DataStructures"]),
        (
            "/sdmx/dataflow/all/all/latest?references=descendants",
            ["str:Dataflows", "str:Codelists", "str:Concepts", "str:DataStructures"],
        ),
        ("/sdmx/datastructure/ILO/DSD_TC_FUNDING/1.0?references=parents", ["str:Dataflows", "str:DataStructures"]),
        ("/sdmx/codelist/ILO/CL_SOURCE?references=datastructure", ["str:Codelists", "str:DataStructures"]),
        ("/sdmx/conceptscheme", ["str:Concepts"]),
    ],
)
def test_structure_references(client, ilo_data, path, expected):
    text = client.get(path).content.decode()

    containers = ["str:Dataflows", "str:Codelists", "str:Concepts", "str:DataStructures"]
    assert [c for c in containers if f"<{c}>" in text] == expected


def test_codelist_all_lists_every_code_list(client, ilo_data):
    text = client.get("/sdmx/codelist/ILO").content.decode()

    assert text.count("<str:Codelist ") == 8
    assert (
        '<str:Code id="trust-funds" urn="urn:sdmx:org.sdmx.infomodel.codelist.Code=ILO:CL_SOURCE(1.0).trust-funds">'
        in text
    )
    assert '<com:Name xml:lang="fr">Fonds de dépôt et financement multi-bilatéral</com:Name>' in text


@live
@pytest.mark.parametrize("accept", [None, SS, JSON])
def test_client_reads_all_dimensions_at_observation_level(client_sdmx, dsd, accept):
    message = client_sdmx.data(
        "TC_FUNDING",
        key="expenditure.undp._T._T._T",
        params={"startPeriod": "1996", "endPeriod": "1996", "dimensionAtObservation": "AllDimensions"},
        dsd=dsd if accept == SS else None,
        headers={"Accept": accept} if accept else {},
    )

    assert frame(message) == {("expenditure.undp._T._T._T", 1996): (Decimal("23531"), "published")}


def test_each_observation_carries_its_measures_unit(client, ilo_data):
    shares = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure-share.undp._T._T._T?format=csv"))
    recipients = text_of(client.get("/sdmx/data/TC_FUNDING/recipients.._T._T._T?format=csv"))
    amounts = text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=1996&format=csv"))

    def observations(text):
        reader = csv.DictReader(io.StringIO(text))
        return [(r["TIME_PERIOD"], r["OBS_VALUE"], r["UNIT_MEASURE"], r["UNIT_MULT"], r["OBS_STATUS"]) for r in reader]

    assert observations(shares) == [("1990", "45.9", "PT", "0", "rounded")]
    assert observations(recipients) == [
        ("1990", "134", "COUNTRIES", "0", "published"),
        ("1995", "151", "COUNTRIES", "0", "published"),
    ]
    assert observations(amounts)[0] == ("1996", "23531", "USD", "3", "published")


def test_data_stay_well_formed_xml_with_a_control_character_stored_before_uploads_refused_it(client, ilo_data):
    from lxml import etree

    from funding.models import LiveCell, Observation

    cell = Observation.objects.current().get(
        measure="expenditure", year=1995, source__code="undp", region__code="_T", country_group__code="_T",
        input_type__code="_T",
    )  # fmt: skip
    for model, key in ((Observation, "pk"), (LiveCell, "observation_id")):
        model.objects.filter(**{key: cell.pk}).update(document="GB.1\x07\x1b bell")
    for fmt in ("genericdata", "structurespecificdata"):
        response = client.get(f"/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=1995&format={fmt}")
        assert response.status_code == 200
        tree = etree.fromstring(text_of(response).encode())  # raises on ill-formed XML
        assert b"GB.1 bell" in etree.tostring(tree)


@pytest.mark.parametrize(
    "path",
    [
        "/sdmx",
        "/sdmx/",
        "/sdmx/data/",
        "/sdmx/data/TC_FUNDING/",
        "/sdmx/data/TC_FUNDING/all/ILO/more",
        "/sdmx/dataflow/",
        "/sdmx/dataflow/ILO/TC_FUNDING/1.0/more",
        "/fr/sdmx/",
        "/es/sdmx/data/",
    ],
)
def test_an_address_under_sdmx_that_names_nothing_is_an_sdmx_404(client, ilo_data, path):
    xml = client.get(path)
    assert xml.status_code == 404
    assert xml["Content-Type"] == "application/xml; charset=utf-8"
    assert "Accept" in vary(xml)
    assert '<mes:ErrorMessage code="100">' in xml.content.decode()
    assert f"No results found: '{path}' is no SDMX resource." in xml.content.decode()
    assert "e.g. /sdmx/dataflow/ILO/TC_FUNDING/1.0." in xml.content.decode()

    asked_json = client.get(path, HTTP_ACCEPT=JSON)  # in the format asked for, as every SDMX error
    assert asked_json.status_code == 404
    assert "Accept" in vary(asked_json)
    [error] = asked_json.json()["errors"]
    assert error["code"] == 100 and error["title"].startswith(f"No results found: '{path}' is no SDMX resource.")

    # A format not offered, or another method: still the 404, for there is nothing there.
    assert client.get(path, HTTP_ACCEPT="text/html").status_code == 404
    assert client.head(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/sdmx/availableconstraint/TC_FUNDING", "/fr/sdmx/metadata/", "/sdmx/schema/dataflow/ILO/TC_FUNDING"]
)
def test_an_sdmx_resource_not_served_is_an_sdmx_501(client, ilo_data, path):
    # README: 501 for what is not served; `availableconstraint` was a 400 "Unknown structure type".
    xml = client.get(path)
    assert xml.status_code == 501
    assert xml["Content-Type"] == "application/xml; charset=utf-8"
    assert "Accept" in vary(xml)
    assert '<mes:ErrorMessage code="501">' in xml.content.decode()
    resource = path.removeprefix("/fr").split("/")[2]
    asked_json = client.get(path, HTTP_ACCEPT=JSON)
    assert asked_json.status_code == 501
    [error] = asked_json.json()["errors"]
    assert error["code"] == 501 and error["title"].startswith(f"The SDMX resource '{resource}' is not served here.")
    assert client.get(path, HTTP_ACCEPT="text/html").status_code == 501  # whatever the format, not served
    assert client.head(path).status_code == 501
    refused = client.post(path)
    assert (refused.status_code, refused["Allow"]) == (405, "GET, HEAD")


def test_an_address_beside_sdmx_is_still_the_sites_404_page(client, ilo_data):
    response = client.get("/sdmxdata/")
    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"


ATTRIBUTE_COLUMNS = ["OBS_STATUS", "UNIT_MEASURE", "UNIT_MULT", "DOCUMENT", "DOCUMENT_URL", "COMMENT_OBS"]


@pytest.mark.parametrize(("fmt", "lead"), [("csv", ["DATAFLOW"]), ("csv2", ["STRUCTURE", "STRUCTURE_ID", "ACTION"])])
@pytest.mark.parametrize(
    ("detail", "attributes", "observations"),
    [("full", True, True), ("dataonly", False, True), ("serieskeysonly", False, False), ("nodata", True, False)],
)
def test_sdmx_csv_has_the_attribute_columns_that_its_detail_asks_for(
    client, ilo_data, fmt, lead, detail, attributes, observations
):
    # SDMX-CSV 1.0: a column for every attribute of the DSD, used or not, unless `detail` disables the
    # attributes (SDMX REST: dataonly and serieskeysonly do). funding/sdmx/data.py, sdmx_csv, says why.
    path = f"/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?startPeriod=1995&endPeriod=1996&detail={detail}"
    header, *lines = list(csv.reader(io.StringIO(text_of(client.get(f"{path}&format={fmt}")))))
    generic = text_of(client.get(path))

    assert header == [*lead, *SERIES, "TIME_PERIOD", "OBS_VALUE", *(ATTRIBUTE_COLUMNS if attributes else [])]
    assert {len(line) for line in lines} == {len(header)}
    rows = [dict(zip(header, line, strict=True)) for line in lines]
    if observations:
        assert [(r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows] == [("1995", "31211"), ("1996", "23531")]
    else:
        assert [(r["TIME_PERIOD"], r["OBS_VALUE"]) for r in rows] == [("", "")]  # the series key alone
    if attributes and observations:
        assert {(r["OBS_STATUS"], r["UNIT_MEASURE"], r["UNIT_MULT"]) for r in rows} == {("published", "USD", "3")}
    elif attributes:
        assert {r[a] for r in rows for a in ATTRIBUTE_COLUMNS} == {""}
    # The SDMX-ML answer to the same detail carries the attributes exactly when the CSV has their columns.
    assert ("<gen:Attributes>" in generic) == (attributes and observations)


def test_sdmx_answers_say_their_own_language_not_the_addresss(client, ilo_data):
    # /fr/sdmx/ said Content-Language: fr over the same English bytes as /sdmx/.
    data = client.get("/fr/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?format=csv")
    assert (data.status_code, data["Content-Language"]) == (200, "en")
    assert text_of(data) == text_of(client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?format=csv"))
    structure = client.get("/es/sdmx/codelist/ILO/CL_SOURCE")
    assert (structure.status_code, structure["Content-Language"]) == (200, "en, fr, es")
    assert 'xml:lang="es">PNUD<' in text_of(structure)
    error = client.get("/fr/sdmx/data/TC_FUNDING/expenditure.nowhere._T._T._T")
    assert (error.status_code, error["Content-Language"]) == (400, "en")  # an unknown code
    download = client.get("/sdmx/data/TC_FUNDING/expenditure.undp+rbtc._T._T._T?format=csvfile")
    assert download["Content-Disposition"] == 'attachment; filename="TC_FUNDING.expenditure.undp+rbtc._T._T._T.csv"'
