"""Type of input (GB.267/TC/1 Appendix II, 1994-95) served like the other breakdowns: the explorer's
`by=input_type` and `input_type=` filter, its shares and changes, drill-down to the record of a cell,
the "not published" messages, canonical addresses, and the .json/.csv/.xlsx twins, every cell exactly
as printed in fixtures/ilo/expenditure_by_type_of_input.csv."""

import csv
import io

import openpyxl
import pytest
from django.utils import translation

from funding.addresses import view_url
from funding.importers.template import TEMPLATE_HEADER
from funding.published_tables import FIXTURES_DIR
from funding.selectors import ViewQuery
from tests.markup import body, chart_spec, chart_specs, one, parse, text

CODES = {
    "Experts": "experts",
    "Other personnel": "other-personnel",
    "Training": "training",
    "Equipment": "equipment",
    "Subcontracting": "subcontracting",
    "Miscellaneous": "miscellaneous",
    "TOTAL": "_T",
}


def printed():
    """{(year, code): amount text} as the fixture prints it (the TOTAL row as `_T`)."""
    with open(FIXTURES_DIR / "expenditure_by_type_of_input.csv", encoding="utf-8") as file:
        return {
            (int(row["year"]), CODES[row["type_of_input"]]): row["amount_usd_thousands"] for row in csv.DictReader(file)
        }


def explore(client, querystring, status=200):
    """The parsed explorer page of `querystring` (which must answer `status`)."""
    response = client.get(f"/expenditure/?{querystring}")
    assert response.status_code == status
    return parse(response)


def csv_rows(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8"))))


def table_rows(page, panel="figure-1"):
    """The data table of a panel as [label, cell, cell...] rows, as a reader sees them (without the
    documents' reference numbers)."""
    table = one(page, f'//table[@class="data-table"][@id="{panel}-table"]')
    return [
        [text(cell, leave_out=('.//sup[@class="ref"]',)) for cell in row.xpath("th|td")] for row in table.xpath(".//tr")
    ]


def rows_by_label(page):
    """The data table's rows below its heading, as {label: [cell, cell...]}."""
    return {row[0]: row[1:] for row in table_rows(page)[1:]}


def test_fixture_prints_six_types_of_input_and_the_total_for_1994_and_1995():
    cells = printed()
    assert len(cells) == 14
    assert cells[(1994, "experts")] == "43865" and cells[(1995, "_T")] == "112930"


def test_page_table_shows_every_cell_as_printed_and_the_published_total(client, ilo_data):
    page = explore(client, "from=1994&to=1995&by=input_type")
    assert "Figure 1. Expenditure by type of input, 1994-95" in text(page)
    rows = table_rows(page)
    assert rows[0] == ["Type of input", "1994", "1995"]
    cells = printed()
    expected = [
        [name, f"{int(cells[(1994, code)]):,}", f"{int(cells[(1995, code)]):,}"]
        for name, code in CODES.items()
        if code != "_T"
    ]
    assert rows[1:7] == expected
    # The published total, read as printed (GB.267/TC/1 Appendix II), not re-added from its parts.
    assert rows[7] == ["All types of input", "113,631", "112,930"]
    assert sum(int(cells[(1995, code)]) for code in CODES.values() if code != "_T") == 112930
    assert sum(int(cells[(1994, code)]) for code in CODES.values() if code != "_T") == 113631
    assert "GB.267/TC/1 (Nov 1996) Appendix II" in text(page)
    assert len(chart_specs(page)) == 1


def test_page_of_the_default_years_says_no_data_for_years_not_published(client, ilo_data):
    rows = table_rows(explore(client, "by=input_type"))
    assert rows[0][1:] == [str(year) for year in range(1990, 1997)] or rows[0][1].startswith("1990")
    experts = next(row for row in rows if row[0] == "Experts")
    assert experts[1:] == ["no data", "no data", "no data", "no data", "43,865", "38,044", "no data"]


def test_share_view_gives_each_type_of_input_its_share_of_the_published_total(client, ilo_data):
    rows = rows_by_label(explore(client, "from=1994&to=1995&by=input_type&value=share"))
    # The shares GB.267/TC/1 Appendix II prints beside each amount (the fixture's notes).
    assert rows["Experts"] == ["38.6%", "33.7%"]
    assert rows["Other personnel"] == ["25.3%", "26.0%"]
    assert rows["Training"] == ["17.3%", "19.0%"]
    assert rows["Equipment"] == ["7.1%", "6.9%"]
    assert rows["Subcontracting"] == ["4.9%", "8.8%"]
    assert rows["Miscellaneous"] == ["6.7%", "5.7%"]
    assert rows["All types of input"] == ["100.0%", "100.0%"]


def test_change_view_gives_the_printed_changes_on_1994(client, ilo_data):
    rows = rows_by_label(explore(client, "from=1995&to=1995&by=input_type&value=change"))
    assert rows["Experts"] == ["-13.3%"]
    assert rows["Other personnel"] == ["+2.0%"]
    # 1,744 / 19,706 = 8.850096...%: one decimal, half up, is 8.9 (GB.267/TC/1 prints 8.8, computed
    # from its unrounded dollars); every other change is the printed one.
    assert rows["Training"] == ["+8.9%"]
    assert rows["Equipment"] == ["-3.7%"]
    assert rows["Subcontracting"] == ["+78.0%"]
    assert rows["Miscellaneous"] == ["-16.4%"]


def test_filter_by_type_of_input_sums_the_chosen_ones_as_derived(client, ilo_data):
    page = explore(client, "from=1994&to=1995&input_type=training&input_type=experts")
    assert "Expenditure on Training and Experts, 1994-95" in text(page)
    # 19,706 + 43,865 and 21,450 + 38,044, marked derived (a sum, not a printed figure).
    rows = table_rows(page)
    assert rows[1] == ["Training / Experts", "d63,571", "d59,494"] or rows[1][1:] == ["d63,571", "d59,494"]


def test_filter_form_offers_types_of_input_like_sources_and_regions(client, ilo_data):
    form = one(explore(client, "input_type=training&by=total"), '//form[@class="filters"]')
    boxes = {
        (box.get("name"), box.get("value")): (box, box.tail.strip()) for box in form.xpath('.//input[@type="checkbox"]')
    }
    training, experts, by_input_type = (
        boxes[key] for key in (("input_type", "training"), ("input_type", "experts"), ("by", "input_type"))
    )
    assert ("checked" in training[0].attrib, training[1]) == (True, "Training")
    assert ("checked" in experts[0].attrib, experts[1]) == (False, "Experts")
    assert (by_input_type[0].get("data-default"), by_input_type[1]) == ("total", "By type of input")
    # In the form's order: regions, then types of input, then the charts.
    names = [name for name, _ in boxes]
    assert names.index("region") < names.index("input_type") < names.index("by")


def test_a_bar_of_one_type_of_input_opens_the_record_of_its_cell(client, ilo_data):
    page = explore(client, "from=1994&to=1995&by=input_type")
    assert text(one(page, '//a[@href="/expenditure/history/?year=1995&input_type=training"]')) == "21,450"
    spec = chart_spec(page, "figure-1-chart")
    training = next(trace for trace in spec["data"] if trace["name"] == "Training")
    assert training["x"] == ["1994", "1995"] and training["y"] == [19706, 21450]
    assert training["customdata"] == [
        "/expenditure/history/?year=1994&input_type=training",
        "/expenditure/history/?year=1995&input_type=training",
    ]
    record = client.get("/expenditure/history/?year=1995&input_type=training")
    assert record.status_code == 200
    record_text = text(parse(record))
    assert "21,450" in record_text and "GB.267/TC/1 (Nov 1996) Appendix II" in record_text


def test_the_record_of_a_cell_refuses_an_unknown_type_of_input(client, ilo_data):
    response = client.get("/expenditure/history/?year=1995&input_type=robots")
    assert response.status_code == 400
    assert "Unknown input_type 'robots'. Known codes: all, experts, other-personnel" in text(parse(response))


@pytest.mark.parametrize(
    ("querystring", "sentence"),
    [
        (
            "region=africa&by=input_type",
            "No split of Africa by type of input is published for 1990-1996 for all countries.",
        ),
        (
            "source=undp&by=input_type",
            "No split of UNDP by type of input is published for 1990-1996 for all countries.",
        ),
        (
            "input_type=experts&by=region",
            "No regional split of Experts is published for 1990-1996 for all countries.",
        ),
        (
            "by=input_type&group=ldc",
            "No split of expenditure by type of input is published for 1990-1996 for the least developed countries",
        ),
        ("input_type=experts&region=africa", "No data for Africa, Experts for 1990-1996"),
        (
            "input_type=experts&group=ldc",
            "No data for Experts for 1990-1996; the figures for all countries have one for 1994-1995.",
        ),
    ],
)
def test_a_combination_that_is_not_published_says_so_and_never_fails(client, ilo_data, querystring, sentence):
    page = explore(client, querystring)
    assert sentence in text(page)
    assert "No split" not in sentence or len(chart_specs(page)) <= 1


NOT_CROSSED = (
    "Types of input are published for all sources of funds, all regions and all countries only (GB.267/TC/1 "
    "Appendix II): no document gives a type of input by source of funds, by region or for the least developed "
    "countries."
)


@pytest.mark.parametrize(
    "querystring",
    [
        "by=input_type&group=ldc",
        "input_type=experts&group=ldc",
        "input_type=training&region=africa",
        "by=input_type&region=africa",
        "source=undp&by=input_type",
        "input_type=experts&by=region",
        "input_type=experts&by=source-region",
    ],
)
def test_the_twins_of_a_combination_not_published_have_no_rows_and_say_why(client, ilo_data, querystring):
    # The page says why in the same words, after what it does not show.
    messages = [text(p) for p in explore(client, querystring).xpath('//p[@class="no-deeper-data"]')]
    assert messages and all(message.endswith(f". {NOT_CROSSED}") for message in messages)
    response = client.get(f"/expenditure.json?{querystring}")
    assert response.status_code == 200
    assert response.json()["rows"] == []
    assert NOT_CROSSED in response.json()["meta"]["notes"]
    workbook = openpyxl.load_workbook(io.BytesIO(body(client.get(f"/expenditure.xlsx?{querystring}"))))
    assert ("Note", NOT_CROSSED) in [(row[0].value, row[1].value) for row in workbook["About"].iter_rows()]
    assert csv_rows(body(client.get(f"/expenditure.csv?{querystring}")))[1:] == []


@pytest.mark.parametrize("querystring", ["by=input_type", "input_type=experts", "by=input_type&by=source&by=region"])
def test_the_twins_of_the_published_table_of_types_of_input_do_not_say_it_is_not_published(
    client, ilo_data, querystring
):
    meta = client.get(f"/expenditure.json?from=1994&to=1995&{querystring}").json()["meta"]
    assert NOT_CROSSED not in meta["notes"]
    assert NOT_CROSSED not in text(explore(client, f"from=1994&to=1995&{querystring}"))


def test_ldc_view_by_type_of_input_links_to_the_figures_for_all_countries(client, ilo_data):
    page = explore(client, "by=input_type&group=ldc")
    assert "the figures for all countries have one for 1994-1995" in text(page)
    assert page.xpath('//a[@href="/expenditure/?by=input_type"]')


def test_an_unknown_type_of_input_is_a_400_naming_it(client, ilo_data):
    for url in ("/expenditure/?input_type=robots", "/expenditure.json?input_type=robots"):
        response = client.get(url)
        assert response.status_code == 400
    assert response.json()["errors"] == [
        "Unknown input_type 'robots'. Known codes: experts, other-personnel, training, equipment, "
        "subcontracting, miscellaneous."
    ]


def test_canonical_address_orders_types_of_input_after_regions_and_leaves_defaults_out(db):
    query = ViewQuery(input_types=("training", "experts"), regions=("africa",), by=("input_type",))
    with translation.override("en"):
        assert view_url(query) == ("/expenditure/?region=africa&input_type=training&input_type=experts&by=input_type")
        assert view_url(ViewQuery(by=("input_type",), value="share"), twin="csv") == (
            "/expenditure.csv?by=input_type&value=share"
        )


def test_page_names_its_canonical_address_and_downloads(client, ilo_data):
    page = explore(client, "value=share&by=input_type&to=1995&from=1994")
    canonical = one(page, '//link[@rel="canonical"]').get("href")
    assert canonical == "/expenditure/?from=1994&to=1995&by=input_type&value=share"
    # The figure's own download: its split and the total its table ends with.
    assert page.xpath('//a[@href="/expenditure.csv?from=1994&to=1995&by=input_type&by=total&value=share"]')


def test_json_gives_every_cell_as_printed(client, ilo_data):
    response = client.get("/expenditure.json?from=1994&to=1995&by=input_type&by=total")
    assert response.status_code == 200
    rows = response.json()["rows"]
    cells = printed()
    by_type = [row for row in rows if row["input_type"] is not None]
    assert {(row["year"], row["input_type"]): row["amount"] for row in by_type} == {
        key: int(amount) for key, amount in cells.items() if key[1] != "_T"
    }
    assert {row["status"] for row in by_type} == {"published"}
    assert by_type[0] == {
        "measure": "expenditure",
        "year": 1994,
        "source": None,
        "region": None,
        "input_type": "experts",
        "amount": 43865,
        "status": "published",
        "unit": "usd-thousands",
        "document": "GB.267/TC/1 (Nov 1996) Appendix II",
    }
    totals = [(row["year"], row["amount"]) for row in rows if row["input_type"] is None]
    assert totals == [(1994, 113631), (1995, 112930)]  # the published totals
    meta = response.json()["meta"]
    assert meta["title"] == "ILO technical cooperation expenditure by type of input, 1994-1995"
    assert meta["filters"]["by"] == ["input_type", "total"]


def test_json_share_values_are_exact_fractions_of_the_published_total(client, ilo_data):
    rows = client.get("/expenditure.json?from=1994&to=1995&by=input_type&value=share").json()["rows"]
    shares = {(row["year"], row["input_type"]): row["share"] for row in rows}
    assert shares[(1994, "experts")] == 38.603022  # 43,865 / 113,631, cut at six decimals
    assert shares[(1995, "subcontracting")] == 8.773576  # 9,908 / 112,930
    assert shares[(1995, "other-personnel")] == 26.0232  # 29,388 / 112,930 = 26.023200...


def test_csv_long_carries_the_type_of_input_columns_and_every_cell(client, ilo_data):
    response = client.get("/expenditure.csv?from=1994&to=1995&by=input_type")
    assert response["Content-Disposition"] == ('attachment; filename="tcdash-expenditure-by-input-type-1994-1995.csv"')
    rows = csv_rows(body(response))
    # The upload template's columns, the type of input's after the region's, and the unit last.
    assert rows[0] == [*TEMPLATE_HEADER[:6], "input_type", "input_type_name", *TEMPLATE_HEADER[6:], "unit"]
    cells = printed()
    assert {(int(row[1]), row[6]): row[9] for row in rows[1:]} == {k: v for k, v in cells.items() if k[1] != "_T"}
    assert rows[1][:11] == [
        "expenditure",
        "1994",
        "_T",
        "All sources",
        "_T",
        "All regions",
        "experts",
        "Experts",
        "_T",
        "43865",
        "published",
    ]


def test_csv_wide_ends_with_the_published_total_and_uploads_back_unchanged(client, ilo_data, editor):
    content = body(client.get("/expenditure.csv?from=1994&to=1995&by=input_type&by=total&layout=wide"))
    rows = csv_rows(content)
    assert rows[0] == [
        "source",
        "source_name",
        "region",
        "region_name",
        "input_type",
        "input_type_name",
        "amount_1994",
        "status_1994",
        "amount_1995",
        "status_1995",
    ]
    assert rows[1] == [
        "_T",
        "All sources",
        "_T",
        "All regions",
        "experts",
        "Experts",
        "43865",
        "published",
        "38044",
        "published",
    ]
    assert rows[-1] == [
        "_T",
        "All sources",
        "_T",
        "All regions",
        "_T",
        "All types of input",
        "113631",
        "published",
        "112930",
        "published",
    ]
    assert len(rows) == 8
    assert csv.Sniffer().has_header(content.decode("utf-8"))


def test_xlsx_has_every_cell_as_a_number(client, ilo_data):
    response = client.get("/expenditure.xlsx?from=1994&to=1995&by=input_type&lang=fr")
    assert response["Content-Disposition"] == (
        'attachment; filename="tcdash-expenditure-by-input-type-1994-1995-fr.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    data = list(book["Data"].iter_rows(values_only=True))
    header = data[0]
    year, code, name, amount = (
        header.index(c) for c in ("year", "input_type", "input_type_name", "amount_usd_thousands")
    )
    cells = printed()
    assert {(row[year], row[code]): row[amount] for row in data[1:]} == {
        key: int(value) for key, value in cells.items() if key[1] != "_T"
    }
    assert {row[name] for row in data[1:]} == {
        "Experts",
        "Autre personnel",
        "Formation",
        "Matériel",
        "Sous-traitance",
        "Divers",
    }
    assert all(isinstance(row[amount], int) for row in data[1:])


def test_openapi_lists_the_types_of_input_from_the_code_list(client, db):
    spec = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in spec["paths"]["/expenditure.json"]["get"]["parameters"]}
    assert parameters["input_type"]["schema"]["items"]["enum"] == [
        "experts",
        "other-personnel",
        "training",
        "equipment",
        "subcontracting",
        "miscellaneous",
    ]
    assert "input_type" in parameters["by"]["schema"]["items"]["enum"]


def test_french_and_spanish_pages_name_the_breakdown_in_the_ilo_words(client, ilo_data):
    french = text(parse(client.get("/fr/expenditure/?from=1994&to=1995&by=input_type")))
    assert "Par type d'apport" in french and "Formation" in french and "Tous types d'apport" in french
    spanish = text(parse(client.get("/es/expenditure/?from=1994&to=1995&by=input_type")))
    assert "Por tipo de insumo" in spanish and "Formación" in spanish and "Todos los tipos de insumo" in spanish


def test_sdmx_data_and_the_data_package_carry_every_cell_of_type_of_input(client, ilo_data):
    cells = printed()
    key = "expenditure._T._T._T." + "+".join(code for code in CODES.values())
    response = client.get(f"/sdmx/data/TC_FUNDING/{key}?format=csv")
    assert response.status_code == 200
    rows = csv_rows(body(response))
    header = rows[0]
    at = {name: header.index(name) for name in ("INPUT_TYPE", "TIME_PERIOD", "OBS_VALUE", "OBS_STATUS")}
    got = {(int(row[at["TIME_PERIOD"]]), row[at["INPUT_TYPE"]]): row[at["OBS_VALUE"]] for row in rows[1:]}
    assert {k: v for k, v in got.items() if k[0] in (1994, 1995)} == cells
    package = client.get("/datapackage/data/expenditure.csv")
    table = list(csv.DictReader(io.StringIO(body(package).decode("utf-8"))))
    stored = {
        (int(r["year"]), r["input_type"]): r["amount_usd_thousands"]
        for r in table
        if r["source"] == "_T" and r["region"] == "_T" and r["country_group"] == "_T" and r["year"] in ("1994", "1995")
    }
    assert stored == cells


def test_a_type_of_input_restated_is_checked_against_the_live_types_and_total_beside_it(ilo_data):
    # The comparison reads the types of input beside a file's cells only where they can be live (all
    # sources, regions and countries: publishing._widen); here they are, and the total is held to them.
    from funding.services import check_upload

    data = b"measure,year,source,region,input_type,amount_usd_thousands\nexpenditure,1995,_T,_T,experts,99999\n"
    [problem] = check_upload(data=data, file_name="experts.csv").problems
    assert problem.message == (
        "The expenditure figures by types of input for 1995 add up to 174,885, but the total is 112,930: a "
        "difference of 61,955, more than the rounding tolerance of 1. (Values not in the file are the live ones.)"
    )
