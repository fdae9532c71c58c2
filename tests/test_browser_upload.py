"""An editor in Chromium: sign in, upload a file with two errors, fix it, preview, publish, see it on Figure 1."""

from tests.appendix_tables import GB273_A, GB273_B, csv_bytes, edited
from tests.browser import check_file, sign_in_with_the_form
from tests.factories import NEW_1992

FIXED = NEW_1992.decode()
# Two mistakes: a misspelt source on row 3 and a year typed with a letter on row 6.
WITH_ERRORS = FIXED.replace("1992,undp", "1992,unpd").replace("1992,_T,_T", "199Z,_T,_T")


def test_browser_editor_uploads_fixes_previews_publishes_and_sees_figure_1(page, live_server, ilo_data, editor):
    sign_in_with_the_form(page, live_server, editor)

    check_file(page, WITH_ERRORS)
    problems = page.locator("tr.problem")
    problems.first.wait_for()
    assert [row.locator("td").all_inner_texts() for row in problems.all()] == [
        [
            "3",
            "source",
            "Unknown source of funds 'unpd'. Known codes: rbtc, undp, trust-funds, unfpa, multi-bi, or _T for all.",
        ],
        ["6", "year", "'199Z' is not a year; write it as four digits, such as 1995."],
    ]
    assert page.get_by_text("Nothing was changed.").is_visible()

    check_file(page, FIXED)
    page.get_by_text("Preview against the live figures").wait_for()
    summary = page.locator("p.summary").inner_text()
    assert "5 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 0 unchanged values." in summary
    assert page.locator("tr.change--new").count() == 5

    page.get_by_role("button", name="Publish these figures").click()
    page.wait_for_url(f"{live_server.url}/releases/")
    assert page.get_by_text("5 new values and 0 changed values are live.").is_visible()
    assert page.get_by_role("link", name="expenditure-1992.csv").is_visible()

    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#figure-1-chart.is-drawn svg.main-svg", state="attached")
    assert page.locator("#figure-1 td", has_text="156,000").is_visible()
    # 1992 is drawn now: six bars (1991-1996), and only 1990 is left without data.
    assert page.locator("#figure-1-chart .point").count() == 6
    assert page.locator("#figure-1-chart .annotation-text").all_text_contents() == ["no data"]
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_browser_editor_uploads_the_printed_appendix_and_sees_it_as_read(page, live_server, ilo_data, editor):
    sign_in_with_the_form(page, live_server, editor)

    altered = edited(GB273_A, {(7, 3): "25'531"})  # UNDP 1996, printed 23'531
    check_file(page, csv_bytes(altered, GB273_B), name="gb273-appendix-i.csv", number_format="1'234.5")
    page.locator("tr.problem").first.wait_for()
    problems = [row.locator("td").all_inner_texts()[:2] for row in page.locator("tr.problem").all()]
    assert problems == [["11", "D"], ["8", "E"], ["8", "H"]]
    # The table as read says where: the altered cell against its live value, its share flagged.
    assert page.locator("td[data-address='D8']").get_attribute("data-state") == "changed"
    assert "live 23,531" in page.locator("td[data-address='D8']").inner_text()
    assert page.locator("td[data-address='E8']").get_attribute("data-state") == "mismatch"
    assert "computed 26.0%" in page.locator("td[data-address='E8']").inner_text()

    check_file(page, csv_bytes(GB273_A, GB273_B), name="gb273-appendix-i.csv", number_format="1'234.5")
    page.get_by_text("Preview against the live figures").wait_for()
    assert (
        "0 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 33 unchanged values."
        in page.locator("p.summary").inner_text()
    )
    assert page.locator("p.layout").inner_text() == (
        "Read as an appendix table as printed (years as columns, a TOTAL row): 2 tables."
    )
    assert page.locator("p.share-summary").inner_text() == (
        "48 printed shares and changes compared with the amounts: all consistent."
    )
    tables = page.locator("table.as-read-table")
    assert tables.count() == 2
    assert tables.nth(0).locator("thead th").all_inner_texts()[3:6] == ["1995 $", "1995 % share", "1996 $"]
    first = page.locator("td[data-address='B7']").inner_text().split()
    assert first == ["12'426", "live", "12,426", "unchanged"]
    assert page.locator("td[data-address='C7']").inner_text().split() == ["11.0%", "✓", "computed", "11.0%"]
    assert page.locator("td[data-state='mismatch']").count() == 0
    assert page.get_by_text(
        "Nothing to publish: every value in this file, with its status, document, document URL and note, "
        "is already live."
    ).is_visible()
    assert page.console_errors == []


JAVASCRIPT_URL = (
    "measure,year,source,region,amount_usd_thousands,status,document,document_url\n"
    "expenditure,1995,rbtc,_T,12426,published,GB.273/TC/1,javascript:alert(document.domain)\n"
)


def test_browser_a_javascript_url_is_refused_and_no_page_links_to_one(page, live_server, ilo_data, editor):
    sign_in_with_the_form(page, live_server, editor)

    check_file(page, JAVASCRIPT_URL, name="hostile.csv")
    problems = page.locator("tr.problem")
    problems.first.wait_for()
    assert [row.locator("td").all_inner_texts() for row in problems.all()] == [
        [
            "2",
            "document_url",
            "'javascript:alert(document.domain)' is not a web address: a document URL starts with http:// or "
            "https:// (for example https://www.ilo.org/...).",
        ]
    ]
    for path in ("/", "/expenditure/", "/approvals/", "/expenditure/history/?year=1995&source=rbtc", "/releases/"):
        page.goto(f"{live_server.url}{path}")
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        assert hrefs and not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]
        documents = page.locator("a[href^='http://oit.org'], a[href^='http://ilo.org']")
        for rel in documents.evaluate_all("links => links.map(a => a.rel)"):
            assert rel == "noopener noreferrer"
    assert page.console_errors == []
