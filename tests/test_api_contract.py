"""The API's contract with its OpenAPI description: empty year ranges, the description of itself."""

import io

from openpyxl import load_workbook


def test_from_after_to_is_an_empty_range_in_json(client, ilo_data):
    response = client.get("/expenditure.json?from=1996&to=1990&by=source")
    assert response.status_code == 200
    assert response.json()["rows"] == []


def test_from_after_to_is_an_empty_range_in_csv_and_xlsx(client, ilo_data):
    response = client.get("/approvals.csv?from=1996&to=1990")
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [lines[0]] and lines[0].startswith("measure,year,source,source_name,")
    response = client.get("/approvals.xlsx?from=1996&to=1990")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)["Data"]
    [header] = list(sheet.values)
    assert header[:3] == ("measure", "year", "source")


def test_a_page_still_says_from_is_after_to(client, ilo_data):
    response = client.get("/expenditure/?from=1996&to=1990")
    assert response.status_code == 400
    assert "Parameter &#x27;from&#x27; (1996) is after parameter &#x27;to&#x27; (1990)." in response.content.decode()


def test_the_description_says_what_an_empty_range_gives_and_describes_itself(client, db):
    document = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"]["/expenditure.json"]["get"]["parameters"]}
    assert "After `to`, the range holds no year and the answer has no rows." in parameters["from"]["description"]
    assert "Before `from`, the range holds no year" in parameters["to"]["description"]
    itself = document["paths"]["/api/openapi.json"]["get"]
    assert itself["operationId"] == "openapi"
    assert itself["responses"]["200"]["content"]["application/json"]["schema"]["required"] == [
        "openapi",
        "info",
        "paths",
    ]
    assert "any other method is answered 405" in document["info"]["description"]
    # Not every error is a 400: SDMX's are 404, 406 and 501 too (its operations' responses say so).
    assert "under /sdmx/ an error is an SDMX error message (400, 404, 406 or 501)" in document["info"]["description"]


def test_the_description_gives_every_sdmx_data_parameter_and_the_provider_segment(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/sdmx/data/{flow}", "/sdmx/data/{flow}/{key}", "/sdmx/data/{flow}/{key}/{provider}"):
        parameters = {p["name"]: p for p in paths[path]["get"]["parameters"]}
        assert parameters["detail"]["schema"]["enum"] == ["full", "dataonly", "serieskeysonly", "nodata"]
        assert parameters["dimensionAtObservation"]["schema"]["enum"] == ["TIME_PERIOD", "AllDimensions"]
        assert parameters["firstNObservations"]["schema"] == {"type": "integer", "minimum": 1}
        assert parameters["lastNObservations"]["schema"] == {"type": "integer", "minimum": 1}
    provider = {p["name"]: p for p in paths["/sdmx/data/{flow}/{key}/{provider}"]["get"]["parameters"]}["provider"]
    assert (provider["in"], provider["required"], provider["schema"]) == (
        "path",
        True,
        {"type": "string"},
    )


def test_the_description_gives_each_shorter_sdmx_address_the_server_answers(client, ilo_data):
    # A required path segment had a `default` (`key`: all; `version`: latest), and the addresses that
    # leave it out, which the server answers, were not described.
    paths = client.get("/api/openapi.json").json()["paths"]
    shorter = {
        "/sdmx/data/{flow}": ("/sdmx/data/TC_FUNDING", ["flow"]),
        "/sdmx/{structure}": ("/sdmx/codelist", ["structure"]),
        "/sdmx/{structure}/{agency}": ("/sdmx/codelist/ILO", ["structure", "agency"]),
        "/sdmx/{structure}/{agency}/{id}": ("/sdmx/codelist/ILO/CL_SOURCE", ["structure", "agency", "id"]),
    }
    for path, (address, segments) in shorter.items():
        parameters = [p for p in paths[path]["get"]["parameters"] if p["in"] == "path"]
        assert [p["name"] for p in parameters] == segments
        assert all("default" not in p["schema"] for p in parameters)
        assert client.get(address).status_code == 200, address


def test_the_description_gives_the_400_of_every_address_that_takes_no_parameter(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path, media_type in (
        ("/datapackage.json", "application/json"),
        ("/datapackage.zip", "text/plain"),
        ("/api/openapi.json", "application/json"),
    ):
        response = client.get(f"{path}?colour=red")
        assert response.status_code == 400
        assert response["Content-Type"].split(";")[0] == media_type
        assert list(paths[path]["get"]["responses"]["400"]["content"]) == [media_type]


def test_the_sdmx_provider_segment_answers_as_described(client, ilo_data):
    response = client.get("/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T/ILO?format=csv")
    lines = response.content.decode().splitlines()  # a short answer is kept whole (caching.KEPT_WHOLE)
    assert (response.status_code, len(lines)) == (200, 6)  # the header and UNDP's five years
    assert client.get("/sdmx/data/TC_FUNDING/all/ESTAT").status_code == 404


def _known_sdmx_parameters(client, address):
    # The server names the parameters it takes in the 400 of one it does not: "Known: detail, format, ...".
    message = client.get(f"{address}?colour=red").content.decode()
    return set(message.split("Known: ", 1)[1].split(".<", 1)[0].split(", "))


def test_the_sdmx_structure_parameters_are_the_ones_the_server_takes(client, ilo_data):
    # The description left out `format` and `detail`, which the server takes, and its `references` enum
    # refused the structure types the server accepts (references=codelist); its errors promised JSON,
    # which a structure query never answers (it has no JSON format: Accept JSON is a 406 in SDMX-ML).
    operation = client.get("/api/openapi.json").json()["paths"]["/sdmx/{structure}/{agency}/{id}/{version}"]["get"]
    query = {p["name"]: p["schema"] for p in operation["parameters"] if p["in"] == "query"}
    address = "/sdmx/codelist/ILO/CL_SOURCE/1.0"
    assert set(query) == _known_sdmx_parameters(client, address) == {"detail", "format", "references"}
    for name, value, status in (
        ("references", "none", 200),
        ("references", "descendants", 200),
        ("references", "codelist", 200),
        ("references", "dataflow", 200),
        ("format", "structure", 200),
        ("format", "xml", 200),
        ("detail", "full", 200),
    ):
        assert value in query[name]["enum"]
        assert client.get(f"{address}?{name}={value}").status_code == status
    # SDMX's other details are valid queries the server does not serve: a 501, so not offered.
    assert query["detail"]["enum"] == ["full"] and client.get(f"{address}?detail=allstubs").status_code == 501
    assert "genericdata" not in query["format"]["enum"]
    assert client.get(f"{address}?format=genericdata").status_code == 400
    response = client.get(address, HTTP_ACCEPT="application/json")
    assert (response.status_code, response["Content-Type"]) == (406, "application/xml; charset=utf-8")
    for status in ("400", "404", "406", "501"):
        assert list(operation["responses"][status]["content"]) == ["application/xml"]
    assert list(operation["responses"]["200"]["content"]) == ["application/vnd.sdmx.structure+xml;version=2.1"]


def test_the_sdmx_data_formats_are_the_ones_the_server_answers_in(client, ilo_data):
    operation = client.get("/api/openapi.json").json()["paths"]["/sdmx/data/{flow}/{key}"]["get"]
    formats = {p["name"]: p["schema"] for p in operation["parameters"]}["format"]["enum"]
    answered = set()
    for name in formats:
        response = client.get(f"/sdmx/data/TC_FUNDING/expenditure.undp._T._T._T?format={name}")
        assert response.status_code == 200
        answered.add(response["Content-Type"].replace("; ", ";").removesuffix(";charset=utf-8"))
    assert set(operation["responses"]["200"]["content"]) == answered
    assert len(answered) == 5  # generic, structure-specific, JSON, CSV 1.0 and 2.0 (csvfile is CSV 1.0)


def test_the_description_gives_each_data_package_file_the_descriptor_points_to(client, ilo_data):
    # The descriptor's resources point to /datapackage/data/{measure}.csv, which the description left out.
    operation = client.get("/api/openapi.json").json()["paths"]["/datapackage/data/{measure}.csv"]["get"]
    [measure] = operation["parameters"]
    package = client.get("/datapackage.json").json()
    paths = [resource["path"] for resource in package["resources"]]
    assert paths == [f"http://testserver/datapackage/data/{name}.csv" for name in measure["schema"]["enum"]]
    assert measure["schema"]["enum"] == ["expenditure", "approvals", "expenditure-share", "recipients"]
    response = client.get("/datapackage/data/recipients.csv")
    assert (response.status_code, response["Content-Type"]) == (200, "text/csv; charset=utf-8")
    assert list(operation["responses"]["200"]["content"]) == ["text/csv"]
    assert client.get("/datapackage/data/recipients.csv?x=1")["Content-Type"] == "text/plain; charset=utf-8"
    assert list(operation["responses"]["400"]["content"]) == ["text/plain"]
    response = client.get("/datapackage/data/nothing.csv")
    assert (response.status_code, response["Content-Type"]) == (404, "text/html; charset=utf-8")
    assert list(operation["responses"]["404"]["content"]) == ["text/html"]
