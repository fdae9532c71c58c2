"""The overview in Chromium: charts drawn, tables shown, no errors, nothing fetched from elsewhere."""

import re

CHARTS = ["figure-1-chart", "figure-2-chart", "figure-3-chart", "by-region-chart"]


def open_overview(page, live_server, width=1280):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/")
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart}.is-drawn svg.main-svg", state="attached")


def test_browser_overview_draws_all_four_charts_and_their_tables(page, live_server, ilo_data):
    open_overview(page, live_server)
    for chart in CHARTS:
        assert page.locator(f"#{chart} svg.main-svg").count() >= 1
        assert page.locator(f"#{chart} .point").count() >= 1
    assert page.locator("table.data-table").count() == 5  # the four figures and the key facts
    assert page.get_by_role("cell", name="23,531").is_visible()
    assert page.locator("#figure-1 td", has_text="112,930").is_visible()
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_browser_overview_labels_missing_years_no_data_in_the_chart(page, live_server, ilo_data):
    open_overview(page, live_server)
    notes = page.locator("#figure-1-chart .annotation-text").all_text_contents()
    assert notes == ["no data", "no data"]


def test_browser_overview_fits_a_phone_screen(page, live_server, ilo_data):
    open_overview(page, live_server, width=375)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width == 375
    chart_width = page.evaluate("document.querySelector('#figure-2-chart .main-svg').getBoundingClientRect().width")
    assert chart_width <= 375
    assert page.console_errors == []


def test_browser_clicking_the_1994_bar_of_figure_1_drills_into_1994(page, live_server, ilo_data):
    open_overview(page, live_server)
    # Figure 1 draws 1991, 1993, 1994, 1995, 1996: the 1994 bar is the third. Plotly takes clicks on
    # the layer above the bars, so click where the bar is drawn.
    box = page.locator("#figure-1-chart .point path").nth(2).bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert re.search(r"/expenditure/\?from=1994&to=1994&by=source&by=region$", page.url)
