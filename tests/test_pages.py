"""The overview page: the four figures, their exact numbers, sources, marks, and bad queries."""

import csv
import io

import pytest

from funding.models import Observation
from funding.vocabulary import status_note
from tests.markup import chart_spec, one, parse, text
from tests.pdfs import pdf_text

ROUNDED, APPROXIMATE = status_note("rounded"), status_note("approximate")


def section(document, panel_id):
    """One figure's section of the parsed page."""
    return one(document, f'.//section[@class="figure"][@id="{panel_id}"]')


def table_row(section, label):
    """The cell texts of the table row whose label is `label` (marks and source refs left out)."""
    rows = [tr for tr in section.xpath(".//tr[th[@scope='row']]") if text(one(tr, "th")) == label]
    assert len(rows) == 1, (label, len(rows))
    return [text(td, leave_out=[".//abbr", ".//sup"]) for td in rows[0].xpath("td")]


@pytest.fixture
def overview(client, ilo_data):
    response = client.get("/")
    assert response.status_code == 200
    return parse(response)


def test_overview_shows_the_four_figures_with_their_titles(overview):
    titles = [text(h2) for h2 in overview.xpath("//h2[substring(@id, string-length(@id) - 5) = '-title']")]
    assert titles == [
        "Figure 1. ILO technical cooperation expenditure, 1990-96",
        "Figure 2. ILO technical cooperation expenditure by source of funds, 1990-96",
        "Figure 3. Extra-budgetary technical cooperation approvals, 1990-96, by source of funds",
        "ILO technical cooperation expenditure by region, 1990-96",
        "Key facts",
    ]
    assert len(overview.xpath("//script[@type='application/json'][contains(@id, '-chart-spec')]")) == 4
    assert text(overview).count("Thousands of US dollars") >= 8  # every chart and every table states it


def test_overview_figure_1_table_has_published_totals_and_no_data_years(overview):
    figure_1 = section(overview, "figure-1")
    assert table_row(figure_1, "Total") == ["no data", "170,000", "no data", "148,670", "113,631", "112,930", "98,167"]
    assert "regular budget resources spent on technical advisory services, research and the like" in text(figure_1)


def test_overview_figure_2_table_has_every_source_and_the_published_total(overview):
    figure_2 = section(overview, "figure-2")
    assert table_row(figure_2, "UNDP") == ["only shares published"] + ["no data"] * 2 + [
        "58,661",
        "38,522",
        "31,211",
        "23,531",
    ]
    assert table_row(figure_2, "All sources") == [
        "no data",
        "170,000",
        "no data",
        "148,670",
        "113,631",
        "112,930",
        "98,167",
    ]
    labels = [text(th) for th in figure_2.xpath(".//th[@scope='row'][.//svg]")]
    assert labels == ["Regular budget (RBTC)", "UNDP", "Trust funds and multi-bi", "UNFPA", "All sources"]


def test_overview_figure_3_shows_approvals_totals_as_marked_and_unsplit(overview):
    figure_3 = section(overview, "figure-3")
    assert table_row(figure_3, "All sources") == [
        "165,600",
        "no data",
        "no data",
        "no data",
        "69,700",
        "114,000",
        "114,000",
    ]
    marks = [(abbr.get("title"), text(abbr)) for abbr in figure_3.xpath(".//abbr[@class='mark']")]
    assert marks == [
        (ROUNDED, "r"),
        (ROUNDED, "r"),
        (APPROXIMATE, "≈"),
        (APPROXIMATE, "≈"),
    ]
    spec = chart_spec(figure_3)
    assert [trace["name"] for trace in spec["data"]] == ["All sources (no split published)"]
    assert spec["data"][0]["y"] == [165600, 69700, 114000, 114000]


def test_overview_region_table_has_the_regions_and_the_1990_europe_value(overview):
    regions = section(overview, "by-region")
    assert table_row(regions, "Africa") == ["no data"] * 3 + ["60,120", "46,594", "42,498", "36,749"]
    assert table_row(regions, "Europe") == ["2,200", "no data", "no data", "6,111", "6,232", "8,814", "6,072"]
    assert table_row(regions, "All regions")[3:] == ["148,670", "113,631", "112,930", "98,167"]


def test_overview_names_the_source_document_of_the_numbers_with_links(overview):
    figure_2 = section(overview, "figure-2")
    sources = [
        (li.get("id").removeprefix("figure-2-doc-"), one(li, "a").get("href"), text(one(li, "a")))
        for li in figure_2.xpath(".//li[starts-with(@id, 'figure-2-doc-')]")
    ]
    assert sources == [
        (
            "1",
            "http://ilo.org/public/english/standards/relm/gb/docs/gb270/tc-2.htm",
            "GB.270/TC/2 (Nov 1997), para. 18",
        ),
        (
            "2",
            "http://ilo.org/public/english/standards/relm/gb/docs/gb270/tc-2.htm",
            "GB.270/TC/2 (Nov 1997), para. 17",
        ),
        (
            "3",
            "http://oit.org/public/english/standards/relm/gb/docs/gb267/tc-1-a1.htm",
            "GB.267/TC/1 (Nov 1996) Appendix I table A",
        ),
        (
            "4",
            "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm",
            "GB.273/TC/1 (Nov 1998) Appendix I table A",
        ),
    ]
    # Each year's column points at its document: 1991 -> 2, 1993-94 -> 3, 1995-96 -> 4, and 1990, which
    # has only "only shares published" (no link on paper), at the paragraph that states them (1).
    headers = [
        (text(th, leave_out=[".//sup"]), "".join(text(sup) for sup in th.xpath("sup[@class='ref']")))
        for th in figure_2.xpath(".//th[@scope='col'][@class='num']")
    ]
    assert headers == [
        ("1990", "1"),
        ("1991", "2"),
        ("1992", ""),
        ("1993", "3"),
        ("1994", "3"),
        ("1995", "4"),
        ("1996", "4"),
    ]


def test_overview_drills_from_bars_and_numbers_to_the_explorer(overview):
    figure_1 = chart_spec(section(overview, "figure-1"))
    assert figure_1["data"][0]["customdata"][2] == "/expenditure/?from=1994&to=1994&by=source&by=region"
    figure_2 = {trace["name"]: trace for trace in chart_spec(section(overview, "figure-2"))["data"]}
    assert figure_2["UNDP"]["customdata"][-1] == "/expenditure/?source=undp&by=total&by=region&year=1996"
    regions = {trace["name"]: trace for trace in chart_spec(section(overview, "by-region"))["data"]}
    assert regions["Africa"]["customdata"][0] == "/expenditure/?region=africa&by=total&by=source&year=1993"
    link = one(section(overview, "figure-2"), ".//td/a[@href='/expenditure/?source=undp&by=total&by=region&year=1996']")
    assert text(link) == "23,531"


def test_overview_links_each_figure_to_its_json_twin(overview):
    def links(panel_id):
        return {a.get("href") for a in section(overview, panel_id).xpath(".//a[contains(@href, '.json')]")}

    assert "/expenditure.json?by=source&by=total" in links("figure-2")
    assert "/approvals.json?by=source&by=total" in links("figure-3")
    assert "/expenditure.json" in links("figure-1")  # the default view: no parameter


def test_overview_follows_the_chosen_years(client, ilo_data):
    html = parse(client.get("/?from=1995&to=1996"))
    assert text(one(html, "//h2[@id='figure-1-title']")) == "Figure 1. ILO technical cooperation expenditure, 1995-96"
    assert table_row(section(html, "figure-1"), "Total") == ["112,930", "98,167"]
    spec = chart_spec(section(html, "figure-2"))
    assert spec["layout"]["xaxis"]["categoryarray"] == ["1995", "1996"]
    # Outside the default range, a drill keeps the range the user chose.
    undp = next(trace for trace in spec["data"] if trace["name"] == "UNDP")
    assert undp["customdata"][0] == "/expenditure/?from=1995&source=undp&by=total&by=region&year=1995"


def test_overview_of_one_year_names_it_once_as_its_figures_do(client, ilo_data):
    # The heading and the title wrote "1995-1995" where every figure of the page says "1995".
    html = parse(client.get("/?from=1995&to=1995"))
    assert text(one(html, "//h1")) == "ILO technical cooperation, 1995"
    assert text(one(html, "//title")) == "Overview, 1995 · tcdash"
    assert text(one(html, "//h2[@id='figure-1-title']")) == "Figure 1. ILO technical cooperation expenditure, 1995"
    html = parse(client.get("/fr/?from=1993&to=1996"))
    assert text(one(html, "//h1")) == "Coopération technique de l'OIT, 1993-1996"
    assert text(one(html, "//title")) == "Vue d'ensemble, 1993-1996 · tcdash"


def test_overview_without_data_says_no_data(client, db):
    html = parse(client.get("/"))
    assert table_row(section(html, "figure-1"), "Total") == ["no data"] * 7
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=abc", "Parameter 'from' must be a year such as 1990, not 'abc'."),
        ("from=1997&to=1990", "Parameter 'from' (1997) is after parameter 'to' (1990)."),
        ("colour=red", "Unknown parameter 'colour'."),
        ("source=undp", "Parameter 'source' does not apply to the overview"),
    ],
)
def test_overview_rejects_a_bad_query_with_a_message(client, ilo_data, query, message):
    response = client.get(f"/?{query}")
    assert response.status_code == 400
    assert message in text(parse(response))


def test_overview_runs_a_fixed_number_of_queries(client, ilo_data, django_assert_num_queries):
    # The live generation, the code lists (one UNION ALL, once a generation: the generation is read for
    # them again, caching.read_by_release), then one UNION ALL per measure, whatever the range or the
    # data, the cells stated only as shares, the recipient countries, the live release (the print line),
    # and for the footer the generation again and, once a generation, the papers the live values cite
    # (provenance.cited_papers).
    with django_assert_num_queries(10):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(8):
        assert client.get("/?from=1950&to=2049").status_code == 200
    # Asked again, from the cache: only the generation is read.
    with django_assert_num_queries(1):
        assert client.get("/?from=1950&to=2049").status_code == 200


def test_unknown_page_is_a_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_overview_figure_2_says_1990_has_only_shares_and_links_to_the_share_view(overview):
    figure_2 = section(overview, "figure-2")
    share_view = figure_2.xpath(".//a[@href='/expenditure/?by=source&value=share']")
    assert [text(a) for a in share_view] == ["only shares published"] * 4  # one a source; no 1990 total
    assert table_row(figure_2, "All sources")[0] == "no data"
    notes = [a for a in chart_spec(figure_2)["layout"]["annotations"] if a.get("textangle") == -90]
    assert [(n["x"], n["text"]) for n in notes] == [(0, "only shares published"), (2, "no data")]


def test_overview_of_1990_alone_has_a_row_for_each_source_with_only_its_share_stated(client, ilo_data):
    # Not the total's "no data" alone under a chart saying "only shares published".
    figure_2 = section(parse(client.get("/?from=1990&to=1990")), "figure-2")
    rows = [(text(tr.xpath("th")[0]), [text(td) for td in tr.xpath("td")]) for tr in figure_2.xpath(".//tbody/tr")]
    sources = ["Regular budget (RBTC)", "UNDP", "Trust funds and multi-bi", "UNFPA"]
    assert rows == [(name, ["only shares published"]) for name in sources] + [("All sources", ["no data"])]
    links = figure_2.xpath(".//td[contains(@class, 'only-shares')]/a/@href")
    assert links == ["/expenditure/?to=1990&by=source&value=share"] * 4
    assert [text(th) for th in figure_2.xpath(".//thead/tr/th")][1] == "19901"
    assert [text(li) for li in figure_2.xpath(".//div[@class='sources']//li")] == ["GB.270/TC/2 (Nov 1997), para. 18"]


def test_overview_key_facts_give_the_recipient_countries_with_their_document(overview):
    facts = one(overview, "//section[contains(@class, 'key-facts')]")
    assert table_row(facts, "1990")[:1] == ["134"] and table_row(facts, "1995")[:1] == ["151"]
    assert text(facts).count("GB.270/TC/2 (Nov 1997), para. 20") == 2
    assert facts.xpath(".//a[@href='/recipients.json']")
    assert facts.xpath(".//a[@download='tcdash-recipients-total-1990-1996.csv']")


def test_overview_key_facts_follow_the_chosen_years(client, ilo_data):
    facts = one(parse(client.get("/?from=1993&to=1996")), "//section[contains(@class, 'key-facts')]")
    assert table_row(facts, "1995")[:1] == ["151"]
    assert [text(th) for th in facts.xpath(".//th[@scope='row']") if text(th).startswith("1990")] == []


def test_recipients_twins_give_the_counts_in_countries(client, ilo_data):
    payload = client.get("/recipients.json").json()
    assert payload["unit"] == "countries" and payload["meta"]["unit"] == "Countries"
    assert [(r["year"], r["amount"], r["unit"], r["status"]) for r in payload["rows"]] == [
        (1990, 134, "countries", "published"),
        (1995, 151, "countries", "published"),
    ]
    lines = b"".join(client.get("/recipients.csv").streaming_content).decode().splitlines()
    assert lines[1].startswith("recipients,1990,_T,All sources,_T,All regions,_T,134,published,")
    assert lines[2].endswith(",countries") and ",151,published," in lines[2]


def footer_source(client, path):
    """The footer's sentence about the source of the figures."""
    return text(parse(client.get(path)).xpath("//footer//p")[0])


def test_footer_names_the_papers_the_live_values_come_from(client, ilo_data):
    # GB.270/TC/1 charts expenditure by region too, but no value shown comes from it: it is not named.
    assert footer_source(client, "/") == (
        "Data source: documents of the Governing Body of the International Labour Office (GB.267/TC/1, "
        "GB.270/TC/2, GB.273/TC/1), cited beside every number. Amounts in thousands of US dollars, as printed."
    )
    assert footer_source(client, "/fr/expenditure/") == (
        "Source des données : documents du Conseil d'administration du Bureau international du Travail "
        "(GB.267/TC/1, GB.270/TC/2, GB.273/TC/1), cités à côté de chaque chiffre. Montants en milliers de dollars "
        "des États-Unis, tels que publiés."
    )
    assert "(GB.267/TC/1, GB.270/TC/2, GB.273/TC/1)" in footer_source(client, "/es/releases/")


def test_footer_follows_the_data_a_publish_and_a_withdrawal_change(client, ilo_data, editor):
    from funding.services import publish_release, withdraw_release

    # A year's total from a paper of its own. (The footer names the papers of the figures the pages draw,
    # the summary of live cells: a country's value cites its paper in its own view, provenance.cited_papers.)
    row = {"measure": "expenditure", "year": 1999, "source": "_T", "region": "_T", "amount": 1_000_000}
    row.update(document="GB.280/TC/3 (Mar 2001), Appendix I")
    release, _ = publish_release(title="1999", rows=[row], checksum="k" * 64)
    assert "(GB.267/TC/1, GB.270/TC/2, GB.273/TC/1, GB.280/TC/3)" in footer_source(client, "/")
    withdraw_release(release=release, user=editor, note="")
    assert "(GB.267/TC/1, GB.270/TC/2, GB.273/TC/1)" in footer_source(client, "/")


def test_footer_names_a_document_that_is_no_governing_body_paper_as_such_and_whole(client, ilo_data, editor):
    from funding.services import publish_release, withdraw_release

    row = {"measure": "expenditure", "year": 1999, "source": "_T", "region": "_T", "amount": 1_000_000}
    other = {**row, "source": "unfpa", "amount": 1_000}
    row.update(document="Programme and Budget for 1998-99 (Mar 1997)")
    other.update(document="Report of the Director-General, 2001 edition, table 4")
    release, _ = publish_release(title="1999", rows=[row, other], checksum="k" * 64)
    assert footer_source(client, "/") == (
        "Data source: documents of the Governing Body of the International Labour Office (GB.267/TC/1, "
        "GB.270/TC/2, GB.273/TC/1), cited beside every number. Amounts in thousands of US dollars, as printed. "
        "Other documents cited: Programme and Budget for 1998-99; Report of the Director-General, 2001 edition, "
        "table 4."
    )
    withdraw_release(release=release, user=editor, note="")
    assert "Other documents" not in footer_source(client, "/")


def test_a_value_published_without_a_document_is_listed_as_such_among_the_sources(client, ilo_data, tmp_path):
    from funding.services import publish_release

    row = {"measure": "expenditure", "year": 1992, "source": "_T", "region": "_T", "amount": 150_000_000}
    publish_release(title="1992", rows=[row], checksum="n" * 64)
    for path, words in (
        ("/", "No document given"),
        ("/fr/", "Aucun document indiqué"),
        ("/es/", "Ningún documento indicado"),
    ):
        page = parse(client.get(path))
        sources = [text(item) for item in page.xpath('//*[@id="figure-1"]//div[@class="sources"]//li')]
        assert words in sources and all(sources)  # numbered in reading order: 1992 comes second
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(client.get("/briefing.pdf").content)
    assert "No document given" in pdf_text(pdf)


def test_a_qualified_value_without_a_document_is_qualified_without_naming_one(client, ilo_data):
    from funding.services import publish_release

    row = {"measure": "expenditure", "year": 1998, "source": "_T", "region": "_T", "amount": 160_000_000}
    publish_release(title="1998", rows=[{**row, "status": "approximate"}], checksum="n" * 64)
    summary = text(parse(client.get("/expenditure/?from=1993&to=1998")).xpath('//*[@class="summary"]/p')[0])
    assert summary.startswith(
        "Expenditure rose from $148.7 million in 1993 to a peak of about $160 million in 1998 (approximate); "
    )


def test_footer_names_no_paper_before_any_figure_is_published(client, db):
    assert footer_source(client, "/releases/") == (
        "Data source: documents of the Governing Body of the International Labour Office; no figures are published yet."
    )


GB270 = ("GB.270/TC/2 (Nov 1997), para. 18", "http://ilo.org/public/english/standards/relm/gb/docs/gb270/tc-2.htm")
GB273 = (
    "GB.273/TC/1 (Nov 1998) Appendix I table A",
    "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm",
)


def test_a_sum_of_cells_from_two_papers_links_each_paper_to_its_own_address(client, ilo_data):
    # 1996: RBTC's expenditure is from GB.273/TC/1, multi-bi's from GB.270/TC/2 (para. 18); their sum
    # used to cite "GB.270...; GB.273..." behind GB.270/TC/2's address alone.
    page = parse(client.get("/expenditure/?source=rbtc&source=multi-bi&from=1996&to=1996"))
    entries = page.xpath('//div[@class="sources"]//li')
    assert len(entries) == 1
    assert [(text(a), a.get("href")) for a in entries[0].xpath(".//a")] == [GB270, GB273]
    assert text(entries[0]) == f"{GB270[0]}; {GB273[0]}"


def test_a_sum_of_cells_from_three_documents_cites_all_three(client, ilo_data):
    from funding.services import publish_release

    cells = [("africa", "Doc C", "https://example.org/c"), ("asia-pacific", "Doc A", ""), ("europe", "Doc B", "")]
    rows = [
        {"measure": "expenditure", "year": 1999, "source": "_T", "region": region, "amount": 1_000_000, **cited}
        for region, document, url in cells
        for cited in [{"document": document, "document_url": url}]
    ]
    publish_release(title="1999", rows=rows, checksum="d" * 64)
    address = "/expenditure/?region=africa&region=asia-pacific&region=europe&from=1999&to=1999"
    entries = parse(client.get(address)).xpath('//div[@class="sources"]//li')
    assert [text(entry) for entry in entries] == ["Doc A; Doc B; Doc C"]
    assert [(text(a), a.get("href")) for a in entries[0].xpath(".//a")] == [("Doc C", "https://example.org/c")]
    data = client.get(address.replace("/expenditure/", "/expenditure.json")).json()
    assert [(row["year"], row["amount"], row["document"]) for row in data["rows"]] == [
        (1999, 3000, "Doc A; Doc B; Doc C")
    ]
    assert [d["document"] for d in data["meta"]["documents"]] == ["Doc A", "Doc B", "Doc C"]
    served = b"".join(client.get(address.replace("/expenditure/", "/expenditure.csv")).streaming_content)
    [row] = csv.DictReader(io.StringIO(served.decode()))
    assert (row["amount_usd_thousands"], row["document"], row["document_url"]) == (
        "3000",
        "Doc A; Doc B; Doc C",
        "https://example.org/c",
    )
