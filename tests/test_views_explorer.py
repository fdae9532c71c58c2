"""The explorer pages: every filter, every kind of bad value, and a fixed number of queries."""

import pytest

from funding.vocabulary import status_note
from tests import markup
from tests.markup import chart_spec, chart_specs, one, parse, words


def text_of(response):
    return markup.text(parse(response))


def links_of(response):
    return parse(response).xpath("//@href")


def link_texts(response):
    """{address: text} of every link on a page."""
    return {link.get("href"): markup.text(link) for link in parse(response).xpath("//a[@href]")}


def test_explorer_default_view_shows_figure_1_its_summary_and_table(client, ilo_data):
    response = client.get("/expenditure/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Figure 1. Expenditure, 1990-96" in text
    assert "Expenditure fell from a peak of about $170 million in 1991 (approximate, stated in GB.270/TC/2)" in text
    assert "170,000" in text and "112,930" in text  # the published 1995 total, not 112,931
    assert "/expenditure/?from=1994&to=1994&by=source&by=region" in links_of(response)


def test_explorer_year_view_links_every_number_to_its_drill_target(client, ilo_data):
    response = client.get("/expenditure/?from=1994&to=1994&by=source&by=region")
    links = link_texts(response)
    assert links["/expenditure/?source=undp&by=total&by=region&year=1994"] == "38,522"
    assert links["/expenditure/?region=africa&by=total&by=source&year=1994"] == "46,594"
    assert "Figure 2. Expenditure by region, 1994" in text_of(response)


def test_explorer_breadcrumbs_link_back_up(client, ilo_data):
    response = client.get("/expenditure/?source=undp&by=total&by=region&year=1994")
    crumbs = one(parse(response), '//nav[@class="breadcrumbs"]')
    assert markup.text(crumbs) == "All years 1994 UNDP"
    assert crumbs.xpath(".//a/@href") == ["/expenditure/", "/expenditure/?from=1994&to=1994&by=source&by=region"]
    assert markup.text(one(crumbs, './/span[@aria-current="page"]')) == "UNDP"


def test_explorer_says_in_words_where_no_split_is_published(client, ilo_data):
    response = client.get("/expenditure/?source=undp&by=total&by=region&year=1994")
    assert response.status_code == 200
    assert (
        "No regional split of UNDP is published for 1990-1996 for all countries; "
        "the least developed countries table has one for 1993-1995." in text_of(response)
    )
    assert "/expenditure/?source=undp&by=total&by=region&group=ldc&year=1994" in links_of(response)
    assert len(chart_specs(parse(response))) == 1  # no empty chart for the split


def test_explorer_says_where_no_split_is_published_with_the_languages_punctuation(client, ilo_data):
    response = client.get("/fr/expenditure/?source=undp&by=total&by=region&year=1994")
    assert "pour tous les pays ; le tableau des pays les moins avancés en a une pour 1993-1995." in text_of(response)
    response = client.get("/es/expenditure/?source=undp&by=total&by=region&year=1994")
    assert "para todos los países; el cuadro de los países menos adelantados tiene uno para 1993-1995." in (
        text_of(response)
    )


def test_explorer_ldc_view_draws_the_source_by_region_table(client, ilo_data):
    response = client.get("/expenditure/?source=undp&by=total&by=region&group=ldc")
    text = text_of(response)
    assert "Figure 2. Expenditure from UNDP for the least developed countries by region, 1990-96" in text
    assert "18,035" in text  # UNDP in Africa, 1993
    assert len(chart_specs(parse(response))) == 2


def test_explorer_years_without_data_are_a_normal_page_that_says_so(client, ilo_data):
    response = client.get("/expenditure/?from=1980&to=1985")
    assert response.status_code == 200
    assert "No data for 1980-1985; there are figures for 1991 and 1993-1997." in text_of(response)
    assert chart_specs(parse(response)) == {}


def test_explorer_approvals_by_source_says_none_is_published(client, ilo_data):
    response = client.get("/approvals/?by=total&by=source")
    assert response.status_code == 200
    text = text_of(response)
    assert "Figure 1. Extra-budgetary approvals, 1990-96" in text
    assert (
        "No split of extra-budgetary approvals by source of funds is published for 1990-1996 for all countries." in text
    )


def test_explorer_share_view_shows_percentages(client, ilo_data):
    response = client.get("/expenditure/?from=1993&to=1993&by=source&value=share")
    text = text_of(response)
    for share in ("12.4%", "39.5%", "42.6%", "5.6%"):
        assert share in text
    current = parse(response).xpath('//*[@aria-current="true"]')
    assert "Share of the year's total (%)" in [markup.text(element) for element in current]


def test_explorer_change_view_shows_change_on_the_previous_year(client, ilo_data):
    response = client.get("/expenditure/?from=1994&to=1996&value=change")
    text = text_of(response)
    assert "-23.6%" in text and "-0.6%" in text and "-13.1%" in text


def test_explorer_value_toggle_keeps_the_filters(client, ilo_data):
    links = links_of(client.get("/expenditure/?source=undp&by=total&by=region&year=1994"))
    assert "/expenditure/?source=undp&by=total&by=region&value=share&year=1994" in links
    assert "/expenditure/?source=undp&by=total&by=region&value=change&year=1994" in links


def test_explorer_filter_form_is_a_get_form_with_the_current_values(client, ilo_data):
    response = client.get("/expenditure/?from=1993&to=1995&region=africa&by=source&group=ldc")
    form = one(parse(response), '//form[@class="filters"][@method="get"][@action="/expenditure/"]')
    assert [select.xpath("option[@selected]/@value") for select in form.xpath(".//select")][:2] == [["1993"], ["1995"]]
    state = response.context["form"]
    assert [option["code"] for option in state["regions"] if option["checked"]] == ["africa"]
    assert [option["code"] for option in state["by"] if option["checked"]] == ["source"]
    assert [option["code"] for option in state["group"] if option["checked"]] == ["ldc"]
    by_source = one(form, './/input[@type="checkbox"][@name="by"][@value="source"]')
    assert by_source.get("data-default") == "total" and "checked" in by_source.attrib


def test_explorer_includes_the_download_links_of_the_view(client, ilo_data):
    links = links_of(client.get("/expenditure/?from=1994&to=1994&by=source&by=region"))
    assert "/expenditure.json?from=1994&to=1994&by=source&by=region" in links
    # Each figure's own: its split and the published total its table ends with, as the overview's.
    assert "/expenditure.json?from=1994&to=1994&by=source&by=total" in links
    assert "/expenditure.csv?from=1994&to=1994&by=region&by=total" in links
    rows = client.get("/expenditure.json?from=1994&to=1994&by=source&by=total").json()["rows"]
    assert [(row["source"], row["amount"]) for row in rows] == [
        ("rbtc", 9294),
        ("undp", 38522),
        ("trust-funds", 58548),
        ("unfpa", 7267),
        (None, 113631),  # the total's row: all sources
    ]


def test_explorer_json_twin_returns_what_the_page_draws(client, ilo_data):
    page = text_of(client.get("/expenditure/?from=1995&to=1995&by=source"))
    rows = client.get("/expenditure.json?from=1995&to=1995&by=source").json()["rows"]
    assert [row["amount"] for row in rows] == [12426, 31211, 61028, 8266]
    for amount in ("12,426", "31,211", "61,028", "8,266"):
        assert amount in page


@pytest.mark.parametrize(
    ("querystring", "message"),
    [
        ("source=imf", "Unknown source 'imf'."),
        ("region=mars", "Unknown region 'mars'."),
        ("by=country", "Unknown by 'country'."),
        ("from=nineteen", "Parameter 'from' must be a year such as 1990, not 'nineteen'."),
        ("to=96", "Parameter 'to' must be a year"),
        ("year=last", "Parameter 'year' must be a year"),
        ("from=1996&to=1990", "Parameter 'from' (1996) is after parameter 'to' (1990)."),
        (
            "source=undp&by=total&by=region&year=1980",
            "Parameter 'year' (1980) is not one of the years shown, 1990-1996: it names the year a drill-down "
            "came through.",
        ),
        ("from=1993&to=1995&year=1996", "Parameter 'year' (1996) is not one of the years shown, 1993-1995"),
        ("from=1990&from=1991", "Parameter 'from' is given 2 times; give it once."),
        ("group=oecd", "Unknown group 'oecd'."),
        ("value=ratio", "Unknown value 'ratio'."),
        ("colour=red", "Unknown parameter 'colour'."),
        ("from=3000", "Parameter 'from' must be a year between 1950 and 2100, not 3000."),
    ],
)
def test_explorer_rejects_a_bad_filter_with_400_naming_it(client, ilo_data, querystring, message):
    response = client.get(f"/expenditure/?{querystring}")
    assert response.status_code == 400
    assert message in text_of(response)
    assert chart_specs(parse(response)) == {}
    assert parse(response).xpath('//form[@class="filters"]')  # a way on, with the defaults


@pytest.mark.parametrize("measure", ["expenditure", "approvals"])
def test_explorer_400_offers_the_years_a_good_page_offers(client, ilo_data, measure):
    # The 400 page's picker stopped at 1996 (the default range) while a good page offered 1997.
    def years(response, name):
        options = parse(response).xpath(f'//form[@class="filters"]//select[@name="{name}"]/option/@value')
        return [int(option) for option in options]

    good = client.get(f"/{measure}/?from=1993")
    assert good.status_code == 200
    for querystring in ("from=1997&to=1990", "foo=1"):
        bad = client.get(f"/{measure}/?{querystring}")
        assert bad.status_code == 400
        assert years(bad, "from") == years(bad, "to") == years(good, "from") == years(good, "to")
    assert years(client.get("/expenditure/?foo=1"), "to") == list(range(1990, 1998))


def test_explorer_names_every_bad_parameter_at_once(client, ilo_data):
    text = text_of(client.get("/approvals/?source=imf&by=country"))
    assert "Unknown source 'imf'." in text and "Unknown by 'country'." in text


@pytest.mark.parametrize(
    "querystring",
    [
        "",
        "from=1994&to=1994&by=source&by=region",
        "source=undp&by=total&by=region&year=1994",
        "source=undp&source=rbtc&region=africa&by=total&by=source&by=region&by=source-region&group=ldc",
        "from=1980&to=1985&value=share",
        "by=source&by=region&value=change",
    ],
)
def test_explorer_runs_a_fixed_number_of_queries_whatever_the_filters(
    client, ilo_data, django_assert_num_queries, querystring
):
    # The live generation, the code lists (one UNION ALL, kept under the generation, which is read for
    # them again: caching.read_by_release), every breakdown in one UNION ALL, the summary's
    # read, the coverage, the span of years with data, the cells stated only as shares, the live release
    # (the print line), and for the footer the generation and the papers the live values cite (once a
    # generation: provenance.cited_papers); asked again, the generation only (the cache). Chosen members
    # cost nothing more: the code lists read first say whether one sits below the top level (then the
    # observations are read, not the summary).
    with django_assert_num_queries(11):
        assert client.get(f"/expenditure/?{querystring}").status_code == 200
    with django_assert_num_queries(1):
        assert client.get(f"/expenditure/?{querystring}").status_code == 200


def cells_of(response, label):
    """The cells of the table row labelled `label` in the page's first table: (mark titles, text)."""
    headers = parse(response).xpath('//th[@scope="row"]')
    row = next(th.getparent() for th in headers if markup.text(th, leave_out=(".//abbr",)).endswith(label))
    return [
        (cell.xpath('.//abbr[starts-with(@class, "mark")]/@title'), markup.text(cell, leave_out=(".//abbr", ".//sup")))
        for cell in row.xpath("td")
    ]


def figure_rows(response, figure):
    """[(row label, [(cell text, its link or "")])] of one figure's table, in order (marks and refs left out)."""
    return [
        (
            markup.text(one(row, "th"), leave_out=(".//svg",)),
            [
                (markup.text(cell, leave_out=(".//abbr", ".//sup")), "".join(cell.xpath("./a/@href")))
                for cell in row.xpath("td")
            ],
        )
        for row in parse(response).xpath(f'//table[@id="figure-{figure}-table"]/tbody/tr')
    ]


ONLY_SHARES_OF_UNDP = ("only shares published", "/expenditure/?source=undp&by=source&by=total&value=share")


def test_explorer_total_line_of_a_chosen_source_reads_1990_as_its_own_row_does(client, ilo_data):
    # UNDP is the source shown and the view's total: its 1990 is one cell, in the same words everywhere.
    response = client.get("/expenditure/?by=source&by=total&source=undp")
    (member, member_cells), (total, total_cells) = figure_rows(response, 1)
    assert member == total == "UNDP"
    assert member_cells[0] == total_cells[0] == ONLY_SHARES_OF_UNDP
    assert member_cells[1:3] == total_cells[1:3] == [("no data", ""), ("no data", "")]
    [(_, figure_2_cells)] = figure_rows(response, 2)
    assert figure_2_cells[0] == ONLY_SHARES_OF_UNDP
    # A split asked for alone ends with the same total line.
    (_, alone), (_, alone_total) = figure_rows(client.get("/expenditure/?by=source&source=undp"), 1)
    assert alone[0] == alone_total[0] == ("only shares published", "/expenditure/?source=undp&by=source&value=share")


def test_explorer_total_line_of_several_sources_reads_1990_as_their_total_figure_does(client, ilo_data):
    response = client.get("/expenditure/?by=source&by=total&source=undp&source=unfpa")
    share_view = "/expenditure/?source=undp&source=unfpa&by=source&by=total&value=share"
    figure_1 = figure_rows(response, 1)
    assert [(label, cells[0]) for label, cells in figure_1] == [
        ("UNDP", ("only shares published", share_view)),
        ("UNFPA", ("only shares published", share_view)),
        ("Sum of 2 sources: UNDP, UNFPA", ("only shares published", share_view)),
    ]
    assert figure_rows(response, 2)[0][1][0] == ("only shares published", share_view)
    # Where it leads, that cell is the sum of the stated shares.
    assert figure_rows(client.get(share_view), 1)[2][1][0][0] == "53.5%"
    # The total of all sources has no share of its own in any document: it reads "no data" in both views.
    assert figure_rows(client.get("/expenditure/?by=source"), 1)[-1][1][0] == ("no data", "")
    assert figure_rows(client.get("/expenditure/?by=source&value=share"), 1)[-1][1][0] == ("no data", "")


def test_explorer_only_shares_is_said_of_the_cells_whose_share_is_stated_not_of_the_year(client, ilo_data):
    from funding.models import Source
    from funding.services import publish_release

    trust_funds = Source.objects.get(code="trust-funds")
    Source.objects.create(code="ipec", name="IPEC", parent=trust_funds, order=40, colour="#000000")
    row = {"measure": "expenditure", "year": 1995, "source": "ipec", "region": "_T", "amount": 10_000_000}
    publish_release(title="IPEC", rows=[row], checksum="i" * 64)
    response = client.get("/expenditure/?by=source&source=undp&source=ipec")
    assert [(label, cells[0]) for label, cells in figure_rows(response, 1)] == [
        ("UNDP", ("only shares published", "/expenditure/?source=undp&source=ipec&by=source&value=share")),
        ("IPEC", ("no data", "")),  # no document states IPEC's share of 1990
        ("Sum of 2 sources: UNDP, IPEC", ("no data", "")),
    ]


def test_explorer_share_view_keeps_a_stated_share_beside_another_members_amount(client, ilo_data):
    # The multi-bilateral programme has a 1990 amount (about $40 million) and no stated share; UNDP has a
    # stated 1990 share and no amount. The amounts view sends UNDP's 1990 to the share view, which shows it.
    amounts = client.get("/expenditure/?by=source&source=undp&source=multi-bi")
    undp, multi_bi = figure_rows(amounts, 1)[:2]
    share_view = "/expenditure/?source=undp&source=multi-bi&by=source&value=share"
    assert undp[1][0] == ("only shares published", share_view)
    assert multi_bi[1][0][0] == "40,000"
    assert cells_of(client.get(share_view), "UNDP")[0] == (
        [status_note("rounded"), "stated as a share (GB.270/TC/2, para. 18)"],
        "45.9%",
    )


def test_explorer_share_view_shows_1990_from_the_stated_shares_marked_so(client, ilo_data):
    response = client.get("/expenditure/?by=source&value=share")
    rounded, derived = status_note("rounded"), status_note("derived")
    stated = "stated as a share (GB.270/TC/2, para. 18)"
    residual = "not stated: what the shares stated in GB.270/TC/2, para. 18 leave of 100%"
    assert cells_of(response, "UNDP")[0] == ([rounded, stated], "45.9%")
    assert cells_of(response, "UNFPA")[0] == ([rounded, stated], "7.6%")
    assert cells_of(response, "Trust funds and multi-bi")[0] == ([rounded, stated], "37.8%")
    assert cells_of(response, "Regular budget (RBTC)")[0] == ([derived, residual], "8.7%")
    assert cells_of(response, "UNDP")[3] == ([], "39.5%")  # 1993, computed from the amounts
    text = text_of(response)
    assert f"s {stated}" in text  # the mark's legend
    assert "For 1990 only shares of the total are published, not amounts." in text
    assert "No figures are available for 1990" not in text
    spec = chart_spec(parse(response), "figure-1-chart")
    undp = next(trace for trace in spec["data"] if trace["name"] == "UNDP")
    assert (undp["x"][0], undp["y"][0]) == ("1990", 45.9)
    assert "stated as a share (GB.270/TC/2, para. 18); no amount is published" in undp["hovertext"][0]
    notes = [a for a in spec["layout"]["annotations"] if a["text"] == "stated as a share"]
    assert [(n["x"], n["y"], n["hovertext"]) for n in notes] == [(0, 100, stated)]


def test_explorer_amounts_view_says_1990_has_only_shares_with_a_link(client, ilo_data):
    response = client.get("/expenditure/?by=source")
    assert cells_of(response, "UNDP")[0] == ([], "only shares published")
    assert link_texts(response)["/expenditure/?by=source&value=share"] == "only shares published"
    assert "No figures are available for 1990" not in text_of(response)


def test_explorer_share_of_one_source_starts_from_its_stated_1990_share(client, ilo_data):
    response = client.get("/expenditure/?source=undp&by=total&value=share")
    assert "UNDP's share of all expenditure fell from 45.9% in 1990 to 24.0% in 1996." in text_of(response)


def test_explorer_json_and_csv_carry_the_stated_shares_with_their_unit(client, ilo_data):
    rows = client.get("/expenditure.json?by=source&from=1990&to=1990&value=share").json()["rows"]
    assert [(r["measure"], r["source"], r["amount"], r["share"], r["unit"], r["status"]) for r in rows] == [
        ("expenditure-share", "rbtc", None, 8.7, "percent-of-total", "derived"),
        ("expenditure-share", "undp", None, 45.9, "percent-of-total", "rounded"),
        ("expenditure-share", "trust-funds", None, 37.8, "percent-of-total", "rounded"),
        ("expenditure-share", "unfpa", None, 7.6, "percent-of-total", "rounded"),
    ]
    assert {r["document"] for r in rows} == {"GB.270/TC/2 (Nov 1997), para. 18"}
    notes = client.get("/expenditure.json?by=source&from=1990&to=1990&value=share").json()["meta"]["notes"]
    assert (
        "1990 (UNDP), 1990 (Trust funds and multi-bi), 1990 (UNFPA): stated as a share (GB.270/TC/2, para. 18); "
        "no amount is published (measure expenditure-share, unit percent-of-total)." in notes
    )
    lines = b"".join(client.get("/expenditure.csv?by=source&from=1990&to=1990&value=share").streaming_content)
    lines = lines.decode().splitlines()
    assert lines[0].endswith(",note,unit,share_percent")
    assert lines[2].startswith("expenditure-share,1990,undp,UNDP,_T,All regions,_T,,rounded,")
    assert lines[2].endswith(",percent-of-total,45.9")
    wide = b"".join(
        client.get("/expenditure.csv?by=source&from=1990&to=1991&value=share&layout=wide").streaming_content
    )
    assert "undp,UNDP,_T,All regions,45.9,rounded,," in wide.decode()


def test_explorer_trust_funds_show_the_multi_bilateral_programme_as_of_which(client, ilo_data):
    response = client.get("/expenditure/?source=trust-funds&by=total&by=region&year=1995")
    approximate = status_note("approximate")
    of_which = cells_of(response, "of which: Multi-bilateral programme")
    assert of_which[0] == ([approximate], "40,000") and of_which[6] == ([approximate], "52,000")
    assert [text for _, text in of_which[1:6]] == ["no data"] * 5  # never a remainder of the parent
    # The parent's own row is its published value, nothing added: 1996 is 61,059, not 113,059.
    assert [text for _, text in cells_of(response, "Trust funds and multi-bi")[3:]] == [
        "63,319",
        "58,548",
        "61,028",
        "61,059",
    ]
    assert parse(response).xpath('//tr[@class="of-which"]')
    spec = chart_spec(parse(response), "figure-1-chart")
    marks = next(t for t in spec["data"] if t["name"] == "of which: Multi-bilateral programme")
    assert (marks["type"], marks["x"], marks["y"], marks["text"]) == (
        "scatter",
        ["1990", "1996"],
        [40000, 52000],
        ["≈", "≈"],
    )
    assert "Part of the total, not added to it." in marks["hovertext"][0]


def test_a_split_of_trust_funds_shows_the_of_which_rows_its_download_holds(client, ilo_data):
    # The figure's download adds its total (by=source&by=total), and with it the "of which" rows; the page
    # showed them nowhere, so its CSV, JSON and XLSX held two figures its table did not.
    response = client.get("/expenditure/?source=trust-funds&by=source")
    rows = parse(response).xpath('//table[@id="figure-1-table"]/tbody/tr')
    table = [
        [markup.text(one(row, "th"))] + [markup.text(cell, leave_out=(".//abbr", ".//sup")) for cell in row.xpath("td")]
        for row in rows
    ]
    trust_funds = ["only shares published", "no data", "no data", "63,319", "58,548", "61,028", "61,059"]
    assert table == [
        ["Trust funds and multi-bi", *trust_funds],
        ["Trust funds and multi-bi", *trust_funds],  # the total line: the chosen source's own total
        ["of which: Multi-bilateral programme", "40,000", *["no data"] * 5, "52,000"],
    ]
    download = one(parse(response), '//nav[@class="downloads"]//a[@data-format="json"]').get("href")
    assert download == "/expenditure.json?source=trust-funds&by=source&by=total"
    twin = client.get(download).json()["rows"]
    assert [(r["year"], r["source"], r["amount"]) for r in twin if r.get("part_of")] == [
        (1990, "multi-bi", 40000),
        (1996, "multi-bi", 52000),
    ]


def test_the_breakdown_by_source_never_has_the_multi_bilateral_programme_as_a_slice(client, ilo_data):
    response = client.get("/expenditure/?by=source")
    assert "Multi-bilateral programme" not in response.content.decode()  # not in the table, the chart or the notes
    rows = client.get("/expenditure.json?by=source&from=1990&to=1996").json()["rows"]
    assert "multi-bi" not in {r["source"] for r in rows}
    assert sum(r["amount"] for r in rows if r["year"] == 1996) == 98167  # the four sources, the published total


def test_the_twins_of_trust_funds_carry_multi_bi_as_part_of_it(client, ilo_data):
    rows = client.get("/expenditure.json?source=trust-funds").json()["rows"]
    assert [
        (r["year"], r["source"], r["amount"], r["status"], r.get("part_of")) for r in rows if r["source"] == "multi-bi"
    ] == [
        (1990, "multi-bi", 40000, "approximate", "trust-funds"),
        (1996, "multi-bi", 52000, "approximate", "trust-funds"),
    ]
    assert all("part_of" not in r for r in rows if r["source"] == "trust-funds")
    long = b"".join(client.get("/expenditure.csv?source=trust-funds").streaming_content).decode().splitlines()
    assert long[-1].startswith(
        "expenditure,1996,multi-bi,Multi-bilateral programme,_T,All regions,_T,52000,approximate,"
    )
    assert "of which: part of Trust funds and multi-bi, not added to it" in long[-1]
    wide = b"".join(client.get("/expenditure.csv?source=trust-funds&layout=wide").streaming_content).decode()
    assert wide.splitlines()[1:] == [
        "trust-funds,Trust funds and multi-bi,_T,All regions,,,,,,,"
        "63319,published,58548,published,61028,published,61059,published",
        "multi-bi,of which: Multi-bilateral programme,_T,All regions,40000,approximate,,,,,,,,,,,52000,approximate",
    ]


def test_explorer_1990_by_source_in_amounts_says_only_shares_and_leads_to_them(client, ilo_data):
    response = client.get("/expenditure/?from=1990&to=1990&by=source")
    assert response.status_code == 200
    assert "For 1990 only shares of the total are published, not amounts; see the shares." in text_of(response)
    assert "/expenditure/?to=1990&by=source&value=share" in links_of(response)
    shares = client.get("/expenditure/?to=1990&by=source&value=share")
    assert cells_of(shares, "UNDP") == [
        ([status_note("rounded"), "stated as a share (GB.270/TC/2, para. 18)"], "45.9%")
    ]


def table_rows(response, figure):
    """{row label: [cell texts]} of one figure's table (marks and document refs left out)."""
    rows = parse(response).xpath(f'//table[@id="figure-{figure}-table"]/tbody/tr')
    return {
        markup.text(one(row, "th"), leave_out=(".//svg",)): [
            markup.text(cell, leave_out=(".//abbr", ".//sup")) for cell in row.xpath("td")
        ]
        for row in rows
    }


def test_explorer_share_of_a_chosen_source_is_the_same_in_its_split_and_its_total(client, ilo_data):
    # Figure 1 (by source) once showed trust funds at 100.0% where Figure 2 showed 42.6.
    response = client.get("/expenditure/?by=source&value=share&source=trust-funds&by=total")
    shares = ["37.8%", "no data", "no data", "42.6%", "51.5%", "54.0%", "62.2%"]
    assert table_rows(response, 1) == {"Trust funds and multi-bi": shares}
    assert table_rows(response, 2) == {"Trust funds and multi-bi": shares}


def test_explorer_share_of_a_chosen_region_is_of_all_regions(client, ilo_data):
    response = client.get("/expenditure/?by=region&region=africa&value=share")
    assert table_rows(response, 1)["Africa"][3:] == ["40.4%", "41.0%", "37.6%", "37.4%"]


def test_explorer_sum_of_chosen_sources_has_its_share_of_the_total_as_the_files_do(client, ilo_data):
    response = client.get("/expenditure/?by=source&value=share&source=trust-funds&source=undp")
    rows = table_rows(response, 1)
    assert rows["UNDP"] == ["45.9%", "no data", "no data", "39.5%", "33.9%", "27.6%", "24.0%"]
    label = "Sum of 2 sources: Trust funds and multi-bi, UNDP"
    assert rows[label] == ["83.7%", "no data", "no data", "82.0%", "85.4%", "81.7%", "86.2%"]
    # 1990 is two stated shares added: rounded as they are, but not itself stated (no "s" mark).
    assert cells_of(response, label)[0] == (
        [status_note("rounded"), "the sum of shares stated in GB.270/TC/2, para. 18, not stated as such"],
        "83.7%",
    )
    files = client.get("/expenditure.json?by=source&value=share&source=trust-funds&source=undp&by=total").json()
    summed = [(r["year"], r["source"], r["share"]) for r in files["rows"] if r["source"] == "trust-funds+undp"]
    assert summed[:2] == [(1990, "trust-funds+undp", 83.7), (1993, "trust-funds+undp", 82.047487)]


def test_explorer_names_a_sum_of_chosen_members_for_them_never_as_the_total(client, ilo_data):
    regions = client.get("/expenditure/?by=region&region=africa&region=europe")
    rows = table_rows(regions, 1)
    assert "All regions" not in rows
    assert rows["Sum of 2 regions: Africa, Europe"][3:] == ["66,231", "52,826", "51,312", "42,821"]
    legend = [trace["name"] for trace in chart_spec(parse(regions), "figure-1-chart")["data"]]
    assert legend == ["Africa", "Europe"]
    total = client.get("/expenditure/?region=africa&region=europe")
    assert [t["name"] for t in chart_spec(parse(total), "figure-1-chart")["data"]] == [
        "Sum of 2 regions: Africa, Europe"
    ]
    # One source chosen in the least developed countries: its line is that source, not "All sources".
    undp = client.get("/expenditure/?group=ldc&source=undp&by=source&by=total")
    labels = [
        markup.text(th, leave_out=(".//svg",)) for th in parse(undp).xpath('//table[@id="figure-1-table"]//tbody//th')
    ]
    assert labels == ["UNDP", "UNDP"] and table_rows(undp, 1)["UNDP"][3:6] == ["31,471", "20,383", "18,513"]
    french = table_rows(client.get("/fr/expenditure/?by=region&region=africa&region=europe"), 1)
    assert "Somme de 2 régions : Afrique, Europe" in french


def test_explorer_summary_speaks_of_each_share_of_the_published_total(client, ilo_data):
    text = text_of(client.get("/expenditure/?source=undp&source=rbtc"))
    # Not UNDP's share of UNDP and RBTC (76.2% to 77.2%): of all expenditure, and it fell.
    assert (
        "The largest source of funds in 1996 was UNDP, whose share of all expenditure fell from 39.5% in 1993 "
        "to 24.0%." in text
    )
    assert (
        "Its share of all expenditure fell from 54.6% (derived, not stated in GB.270/TC/2) in 1990 to 31.1% in 1996."
        in text
    )


def test_explorer_summary_qualifies_a_derived_share_as_not_stated(client, ilo_data):
    text = text_of(client.get("/expenditure/?source=rbtc&by=total&by=region"))
    assert (
        "Regular budget (RBTC)'s share of all expenditure fell from 8.7% (derived, not stated in GB.270/TC/2) "
        "in 1990 to 7.1% in 1996." in text
    )
    # A share the document states is given as stated.
    assert "UNDP's share of all expenditure fell from 45.9% in 1990 to 24.0% in 1996." in text_of(
        client.get("/expenditure/?source=undp&by=total&value=share")
    )


def test_a_change_table_says_no_figure_for_the_year_before_where_the_amount_has_none_to_compare_with(client, ilo_data):
    # Approvals 1990 (165,600) and 1994 (69,700) are published, the years before them are not: 1993 is
    # a column of the table, so the cell says its figure is missing, not the year.
    table = parse(client.get("/approvals/?value=change&from=1990&to=1997")).xpath('//table[@id="figure-1-table"]')[0]
    cells = [words(cell) for cell in table.xpath(".//tbody//td")]
    assert cells == [
        "no figure for the year before",
        "no data",
        "no data",
        "no data",
        "no figure for the year before",
        "≈ +63.6%",
        "≈ 0.0%",
        "no data",
    ]
    french = parse(client.get("/fr/approvals/?value=change&from=1993&to=1995")).xpath('//table[@id="figure-1-table"]')[
        0
    ]
    assert [words(cell) for cell in french.xpath(".//tbody//td")] == [
        "pas de données",
        "aucun chiffre l'année précédente",
        "≈ +63,6\u00a0%",
    ]


@pytest.mark.parametrize(("breakdown", "total"), [("source", "All sources"), ("region", "All regions")])
def test_a_change_table_ends_with_the_total_line_its_downloads_give(client, ilo_data, breakdown, total):
    url = f"/expenditure/?by={breakdown}&value=change&from=1993&to=1996"
    rows = table_rows(client.get(url), 1)
    assert list(rows)[-1] == total
    assert rows[total] == ["no figure for the year before", "-23.6%", "-0.6%", "-13.1%"]
    # The figure's own JSON download (its split and the total) gives the same changes.
    download = client.get(f"/expenditure.json?by={breakdown}&by=total&value=change&from=1993&to=1996").json()
    changes = [row["change"] for row in download["rows"] if row[breakdown] is None]  # the total's rows
    assert changes == [None, -23.568305, -0.616909, -13.072699]


def footnotes(response):
    return [words(note) for note in parse(response).xpath('//p[@class="footnote"]')]


def test_a_split_by_type_of_input_or_by_source_prints_what_the_documents_say_its_members_hold(client, ilo_data):
    # GB.267/TC/1 Appendix II's notes 1 and 2, and Figure 2's definitions of the sources, were printed
    # only with the overview's Figure 2: the explorer's views by type of input or source left them out.
    by_input = footnotes(client.get("/expenditure/?from=1994&to=1995&by=input_type"))
    assert by_input == [
        "Note: Excluding administrative expenditure; amounts as printed in the Governing Body documents. Other "
        "personnel: national experts, external collaborators, local project staff, UNVs and other staff costs. "
        "Training: mainly fellowships, seminars and in-service training (GB.267/TC/1, Appendix II, notes 1 and "
        "2). Thousands of US dollars."
    ]
    by_source = footnotes(client.get("/expenditure/?by=source&by=region"))
    assert [
        note.count("UNDP includes projects in which the ILO acts as an associated agency") for note in by_source
    ] == [
        1,
        0,
    ]
    assert all("UNDP includes" not in note for note in footnotes(client.get("/approvals/?by=source")))
    french = footnotes(client.get("/fr/expenditure/?from=1994&to=1995&by=input_type"))[0]
    assert "Formation : principalement bourses, séminaires et formation en cours d'emploi" in french
