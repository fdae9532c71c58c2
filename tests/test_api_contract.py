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
    assert "&#x27;from&#x27; (1996) is after &#x27;to&#x27; (1990)." in response.content.decode()


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
