"""What the documents state only as shares, "of which" or a count, in Chromium: drawn, marked, linked."""

import re


def test_overview_1990_says_only_shares_and_its_link_opens_the_stated_shares(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#figure-2-chart.is-drawn svg.main-svg", state="attached")
    notes = page.locator("#figure-2-chart .annotation-text").all_text_contents()
    assert notes[0] == "only shares published"
    assert page.locator("#key-facts td", has_text="134").is_visible()
    assert page.locator("#key-facts td", has_text="151").is_visible()

    page.locator("#figure-2-table").get_by_role("link", name="only shares published").first.click()
    page.wait_for_url("**/expenditure/?by=source&value=share")
    page.wait_for_selector("#figure-1-chart.is-drawn .plotly .bars .point path")
    drawn = page.evaluate("Array.from(document.getElementById('figure-1-chart').data, t => [t.name, t.x[0], t.y[0]])")
    assert ["UNDP", "1990", 45.9] in drawn and ["Regular budget (RBTC)", "1990", 8.7] in drawn
    assert "stated as a share" in page.locator("#figure-1-chart .annotation-text").all_text_contents()
    row = re.sub(r"\s+", " ", page.locator("#figure-1-table tr", has_text="UNDP").inner_text())
    assert row.startswith("UNDP rs45.9%")  # its marks: rounded, stated as a share
    mark = page.locator("#figure-1-table tr", has_text="UNDP").locator("abbr.mark--basis").first
    assert mark.get_attribute("title") == "stated as a share (GB.270/TC/2, para. 18)"
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_trust_funds_drill_draws_multi_bi_beside_the_bar_never_on_it(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/?by=source")
    page.wait_for_selector("#figure-1-chart.is-drawn .plotly .bars .point path")
    names = page.evaluate("Array.from(document.getElementById('figure-1-chart').data, t => t.name)")
    assert "of which: Multi-bilateral programme" not in names and "Multi-bilateral programme" not in names

    page.goto(f"{live_server.url}/expenditure/?source=trust-funds&by=total&by=region&year=1995")
    page.wait_for_selector("#figure-1-chart.is-drawn .plotly .scatterlayer .point")
    assert page.locator("#figure-1-chart .scatterlayer .point").count() == 2
    traces = page.evaluate(
        "Array.from(document.getElementById('figure-1-chart').data, t => [t.type, t.name, t.x, t.y])"
    )
    assert ["scatter", "of which: Multi-bilateral programme", ["1990", "1996"], [40000, 52000]] in traces
    assert ["bar", "Trust funds and multi-bi", ["1993", "1994", "1995", "1996"], [63319, 58548, 61028, 61059]] in traces
    row = page.locator("#figure-1-table tr.of-which")
    assert re.sub(r"\s+", " ", row.inner_text()).startswith("of which: Multi-bilateral programme ≈40,000")
    assert page.console_errors == []
