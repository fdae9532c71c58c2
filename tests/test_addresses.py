"""One address per view: the canonical URL of every view, and the pages that link to it."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from funding.addresses import briefing_url, export_url, history_url, overview_url, querystring, view_url
from funding.forms import ExportOptions
from funding.selectors import ViewQuery
from tests.markup import body, chart_specs, one, parse


@pytest.mark.parametrize(
    ("query", "address"),
    [
        (ViewQuery(), "/expenditure/"),
        (ViewQuery(measure="approvals", by=("source",)), "/approvals/?by=source"),
        (ViewQuery(year_from=1993), "/expenditure/?from=1993"),
        (ViewQuery(year_to=1997, by=("source", "total")), "/expenditure/?to=1997&by=source&by=total"),
        (
            ViewQuery(year_from=1994, year_to=1994, regions=("africa",), sources=("undp", "rbtc"), group="ldc"),
            "/expenditure/?from=1994&to=1994&source=undp&source=rbtc&region=africa&group=ldc",
        ),
        (
            ViewQuery(value="share", focus_year=1994, by=("total", "region")),
            "/expenditure/?by=total&by=region&value=share&year=1994",
        ),
    ],
)
def test_view_url_names_parameters_in_the_form_order_and_leaves_out_defaults(query, address):
    assert view_url(query) == address


def test_twins_and_the_other_pages_have_one_address_each():
    query = ViewQuery(year_from=1995, by=("region",))
    assert [view_url(query, twin=twin) for twin in ("json", "csv", "xlsx")] == [
        "/expenditure.json?from=1995&by=region",
        "/expenditure.csv?from=1995&by=region",
        "/expenditure.xlsx?from=1995&by=region",
    ]
    assert querystring(ViewQuery()) == ""
    assert overview_url(ViewQuery()) == "/"
    assert overview_url(ViewQuery(year_from=1995, year_to=1996, by=("source",))) == "/?from=1995"
    assert history_url(ViewQuery(sources=("undp",), group="ldc", focus_year=1994)) == (
        "/expenditure/history/?year=1994&source=undp&group=ldc"
    )


@pytest.mark.parametrize(
    ("twin", "options", "address"),
    [
        ("json", None, "/expenditure.json?from=1995&by=region"),
        ("csv", ExportOptions(), "/expenditure.csv?from=1995&by=region"),
        (
            "csv",
            ExportOptions(bom=False, dialect="excel-fr"),
            "/expenditure.csv?from=1995&by=region&bom=0&dialect=excel-fr",
        ),
        ("csv", ExportOptions(bom=True, dialect="excel-fr"), "/expenditure.csv?from=1995&by=region&dialect=excel-fr"),
        ("csv", ExportOptions(bom=False), "/expenditure.csv?from=1995&by=region"),
        (
            "csv",
            ExportOptions(layout="wide", bom=True, lang="fr"),
            "/expenditure.csv?from=1995&by=region&layout=wide&bom=1&lang=fr",
        ),
        ("xlsx", ExportOptions(lang="en"), "/expenditure.xlsx?from=1995&by=region"),
    ],
)
def test_an_export_names_its_options_after_the_view_and_leaves_out_what_the_address_gives(twin, options, address):
    assert export_url(ViewQuery(year_from=1995, by=("region",)), twin=twin, options=options) == address


def test_the_briefing_pack_has_the_overviews_years_and_nothing_else():
    assert briefing_url(ViewQuery()) == "/briefing.pdf"
    assert briefing_url(ViewQuery(year_from=1993, by=("source",), sources=("undp",))) == "/briefing.pdf?from=1993"


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("/expenditure.json?by=region&to=1996&from=1995&group=all", "/expenditure.json?from=1995&by=region"),
        ("/fr/approvals.json?source=UNDP&by=total&value=amount", "/fr/approvals.json?source=undp"),
    ],
)
def test_the_json_cites_its_canonical_address_and_that_address_gives_the_same_rows(
    client, ilo_data, address, canonical
):
    payload = client.get(address).json()
    assert payload["meta"]["url"] == f"http://testserver{canonical}"
    again = client.get(canonical).json()
    assert again["rows"] == payload["rows"] and again["meta"]["url"] == payload["meta"]["url"]


@pytest.mark.parametrize(
    ("address", "label", "canonical"),
    [
        ("/expenditure.xlsx?lang=en&by=source&layout=long&to=1995", "Reproduce", "/expenditure.xlsx?to=1995&by=source"),
        ("/expenditure.xlsx?lang=FR&layout=WIDE", "Reproduire", "/expenditure.xlsx?layout=wide&lang=fr"),
        ("/es/expenditure.xlsx?lang=es&from=1994", "Reproducir", "/es/expenditure.xlsx?from=1994"),
    ],
)
def test_the_workbook_cites_its_canonical_address_in_the_address_language(client, ilo_data, address, label, canonical):
    book = load_workbook(BytesIO(body(client.get(address))))
    assert dict(book["About"].iter_rows(values_only=True))[label] == f"http://testserver{canonical}"


def test_a_pages_download_links_are_the_addresses_and_names_their_files_cite_in_its_language(client, ilo_data):
    # The French explorer links French files: the links need no lang=, and each name is the server's.
    # The figure's links add the published total its table ends with.
    page = parse(client.get("/fr/expenditure/?by=region&from=1994&to=1995"))
    links = page.xpath('(//nav[@class="downloads"])[1]//a')
    assert [(a.get("data-format"), a.get("href"), a.get("download")) for a in links] == [
        (
            "csv",
            "/fr/expenditure.csv?from=1994&to=1995&by=region&by=total",
            "tcdash-expenditure-by-region-1994-1995-fr.csv",
        ),
        (
            "csv-excel",
            "/fr/expenditure.csv?from=1994&to=1995&by=region&by=total&bom=1",
            "tcdash-expenditure-by-region-1994-1995-fr-bom.csv",
        ),
        (
            "csv-excel-fr",
            "/fr/expenditure.csv?from=1994&to=1995&by=region&by=total&dialect=excel-fr",
            "tcdash-expenditure-by-region-1994-1995-fr-excel-fr.csv",
        ),
        (
            "xlsx",
            "/fr/expenditure.xlsx?from=1994&to=1995&by=region&by=total",
            "tcdash-expenditure-by-region-1994-1995-fr.xlsx",
        ),
        ("json", "/fr/expenditure.json?from=1994&to=1995&by=region&by=total", None),
    ]
    for link in links[:4]:
        response = client.get(link.get("href"))
        assert response.status_code == 200
        assert f'filename="{link.get("download")}"' in response["Content-Disposition"]


def test_the_overview_links_the_briefing_pack_of_its_years(client, ilo_data):
    links = parse(client.get("/?to=1996&from=1993")).xpath('//p[@class="briefing-link"]/a/@href')
    assert links == ["/briefing.pdf?from=1993"]
    assert parse(client.get("/fr/?from=1990")).xpath('//p[@class="briefing-link"]/a/@href') == ["/fr/briefing.pdf"]


def canonical_of(response):
    return one(parse(response), '//link[@rel="canonical"]').get("href")


@pytest.mark.parametrize(
    ("address", "canonical"),
    [
        ("/expenditure/?from=1990&to=1996&by=total&group=all&value=amount", "/expenditure/"),
        ("/expenditure/?by=region&to=1996&from=1994&value=share", "/expenditure/?from=1994&by=region&value=share"),
        ("/approvals/?source=UNDP&by=total", "/approvals/?source=undp"),
    ],
)
def test_a_page_names_its_canonical_address_whatever_address_it_was_reached_by(client, ilo_data, address, canonical):
    response = client.get(address)
    assert response.status_code == 200
    assert canonical_of(response) == canonical


def test_the_overview_names_its_canonical_address(client, ilo_data):
    assert canonical_of(client.get("/?from=1990&to=1996")) == "/"
    assert canonical_of(client.get("/?to=1997&from=1993")) == "/?from=1993&to=1997"


def drills_of(response):
    """{figure id: {(trace name, year): link}} of every chart on a page."""
    return {
        target: {
            (trace["name"], x): url
            for trace in spec["data"]
            for x, url in zip(trace["x"], trace["customdata"], strict=True)
        }
        for target, spec in chart_specs(parse(response)).items()
    }


@pytest.mark.parametrize(
    ("panel", "explorer"),
    [
        ("figure-1-chart", "/expenditure/"),
        ("figure-2-chart", "/expenditure/?by=source"),
        ("by-region-chart", "/expenditure/?by=region"),
    ],
)
def test_the_overview_and_the_explorer_give_the_same_link_for_the_same_bar(client, ilo_data, panel, explorer):
    overview = drills_of(client.get("/"))[panel]
    same_view = drills_of(client.get(explorer))["figure-1-chart"]
    assert overview == same_view
    assert any(overview.values())  # the bars do drill


def test_the_overview_does_not_drill_a_total_into_a_page_without_its_split(client, ilo_data):
    # 1991 has a total only (stated in the text): there is no split to show, so no link, as in the explorer.
    drills = drills_of(client.get("/"))
    assert drills["figure-1-chart"][("Total", "1991")] == ""
    assert drills["figure-2-chart"][("All sources (no split published)", "1991")] == ""
    assert drills["figure-1-chart"][("Total", "1994")] == "/expenditure/?from=1994&to=1994&by=source&by=region"
    # Approvals are published as totals only in 1990-1996: neither page links them anywhere.
    assert set(drills["figure-3-chart"].values()) == {""}
    assert set(drills_of(client.get("/approvals/"))["figure-1-chart"].values()) == {""}
