"""The explorer in Chromium: click to drill down, back, the share toggle, shared links, the keyboard path."""

import re

BAR = ".plotly .bars .point path"


def click_bar(page, chart_id, index):
    """A real mouse click at the centre of a chart's index-th bar (plotly listens for mouse events)."""
    page.wait_for_selector(f"#{chart_id}.is-drawn {BAR}")
    bar = page.locator(f"#{chart_id} {BAR}").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def bar_of(page, chart_id, trace_name):
    """The index of the bar drawn for a trace's first point (traces are drawn in legend order)."""
    names = page.evaluate(f"Array.from(document.getElementById('{chart_id}').data, trace => trace.name)")
    return names.index(trace_name)


def stacked_totals(page, chart_id):
    """{year: the sum of the bars stacked on it} of a drawn chart, as plotly holds its traces."""
    page.wait_for_selector(f"#{chart_id}.is-drawn")
    return page.evaluate(
        """chartId => {
            const sums = {};
            for (const trace of document.getElementById(chartId).data) {
                trace.x.forEach((year, i) => { sums[year] = (sums[year] || 0) + trace.y[i]; });
            }
            return sums;
        }""",
        chart_id,
    )


def table_text(page, panel_id):
    return re.sub(r"\s+", " ", page.locator(f"#{panel_id} table").inner_text())


def test_explorer_click_drills_down_twice_and_back_returns(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/")
    # The bars of Figure 1 are 1991, 1993, 1994, 1995, 1996: 1994 is the third.
    click_bar(page, "figure-1-chart", 2)
    page.wait_for_url("**/expenditure/?from=1994&to=1994&by=source&by=region")
    assert page.locator("h1").inner_text() == "Expenditure, 1994"
    assert page.locator(".breadcrumbs").inner_text().split() == ["All", "years", "1994"]

    click_bar(page, "figure-1-chart", bar_of(page, "figure-1-chart", "UNDP"))
    page.wait_for_url("**/expenditure/?source=undp&by=total&by=region&year=1994")
    assert page.locator("h1").inner_text() == "Expenditure from UNDP, 1990-96"
    assert "No regional split of UNDP is published for 1990-1996 for all countries" in page.content()

    page.go_back()
    page.wait_for_url("**/expenditure/?from=1994&to=1994&by=source&by=region")
    assert page.locator("h1").inner_text() == "Expenditure, 1994"
    page.go_back()
    page.wait_for_url(f"{live_server.url}/expenditure/")
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_explorer_breadcrumb_goes_back_up(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/?source=undp&by=total&by=region&year=1994")
    page.get_by_role("navigation", name="Drill-down path").get_by_role("link", name="1994").click()
    page.wait_for_url("**/expenditure/?from=1994&to=1994&by=source&by=region")
    assert page.console_errors == []


def test_explorer_share_toggle_turns_the_axis_into_percentages_summing_to_100(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/?from=1993&to=1996&by=source")
    page.get_by_role("link", name="Share of the year's total (%)").click()
    page.wait_for_url("**/expenditure/?from=1993&by=source&value=share")
    page.wait_for_selector("#figure-1-chart.is-drawn")
    ticks = page.locator("#figure-1-chart .ytick text").evaluate_all("texts => texts.map(t => t.textContent)")
    assert ticks and all(tick.endswith("%") for tick in ticks)
    sums = stacked_totals(page, "figure-1-chart")
    assert set(sums) == {"1993", "1994", "1995", "1996"}
    for total in sums.values():
        assert abs(total - 100) <= 0.1
    assert page.console_errors == []


def test_explorer_copied_address_reproduces_the_view_in_a_fresh_page(page, live_server, ilo_data, chromium):
    page.goto(f"{live_server.url}/expenditure/")
    click_bar(page, "figure-1-chart", 2)
    page.wait_for_url("**/expenditure/?from=1994&to=1994&by=source&by=region")
    click_bar(page, "figure-2-chart", bar_of(page, "figure-2-chart", "Africa"))
    page.wait_for_url("**/expenditure/?region=africa&by=total&by=source&year=1994")
    copied = page.url

    context = chromium.new_context()
    try:
        fresh = context.new_page()
        fresh.goto(copied)
        assert fresh.locator("h1").inner_text() == page.locator("h1").inner_text()
        assert table_text(fresh, "figure-1") == table_text(page, "figure-1")
        assert "46,594" in table_text(fresh, "figure-1")
    finally:
        context.close()


def test_explorer_keyboard_path_reaches_the_same_pages_as_the_clicks(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/")
    link = page.locator("#figure-1 table a", has_text="113,631")
    # Tab from the top of the page until the 1994 number has the focus, then Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the 1994 number is not reachable with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/expenditure/?from=1994&to=1994&by=source&by=region")

    undp = page.locator("#figure-1 table a", has_text="38,522")
    undp.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/expenditure/?source=undp&by=total&by=region&year=1994")
    assert page.console_errors == []


def test_explorer_filter_form_opens_the_canonical_address_without_defaults(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/?from=1993&to=1996&by=source")
    form = page.locator("form.filters")
    form.locator('select[name="from"]').select_option("1990")
    form.locator('input[name="value"][value="share"]').check()
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}/expenditure/?by=source&value=share")
    form = page.locator("form.filters")
    form.locator('input[name="by"][value="source"]').uncheck()
    form.locator('input[name="by"][value="total"]').check()
    form.locator('input[name="value"][value="amount"]').check()
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}/expenditure/")
    assert page.locator("h1").inner_text() == "Expenditure, 1990-96"
    assert page.console_errors == []


def test_overview_year_form_opens_the_canonical_address(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/?from=1995&to=1996")
    form = page.locator("form.range-form")
    form.locator('input[name="from"]').fill("1990")
    form.get_by_role("button", name="Show years").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.console_errors == []


def test_cell_history_form_opens_the_canonical_address_of_the_record(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/history/?year=1995&source=undp&region=africa&group=ldc")
    form = page.locator("form.cell-form")
    form.locator('select[name="source"]').select_option("unfpa")
    form.locator('select[name="region"]').select_option("_T")
    form.locator('select[name="group"]').select_option("all")
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}/expenditure/history/?year=1995&source=unfpa")
    assert page.locator("caption").inner_text() == (
        "Expenditure, 1995, UNFPA: values on record, newest first (thousands of US dollars)"
    )
    assert page.console_errors == []


def test_explorer_input_view_chooses_types_of_input_in_the_form_and_a_bar_opens_the_record(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure/?from=1994&to=1995")
    form = page.locator("form.filters")
    form.locator('input[name="by"][value="total"]').uncheck()
    form.locator('input[name="by"][value="input_type"]').check()
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}/expenditure/?from=1994&to=1995&by=input_type")
    assert page.locator("#figure-1-title").inner_text() == "Figure 1. Expenditure by type of input, 1994-95"
    page.wait_for_selector(f"#figure-1-chart.is-drawn {BAR}")
    # Six types of input, two years each: twelve bars, stacked to the published totals.
    assert page.locator(f"#figure-1-chart {BAR}").count() == 12
    sums = stacked_totals(page, "figure-1-chart")
    assert sums == {"1994": 113631, "1995": 112930}
    table = table_text(page, "figure-1")
    assert "Experts 43,865 38,044 Other personnel 28,803 29,388" in table
    assert "All types of input 113,631" in table and "112,930" in table  # each with its document's number

    # Choosing types of input the way sources and regions are chosen.
    form = page.locator("form.filters")
    form.locator('input[name="input_type"][value="training"]').check()
    form.locator('input[name="input_type"][value="experts"]').check()
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(
        f"{live_server.url}/expenditure/?from=1994&to=1995&input_type=experts&input_type=training&by=input_type"
    )
    page.wait_for_selector(f"#figure-1-chart.is-drawn {BAR}")
    names = page.evaluate("Array.from(document.getElementById('figure-1-chart').data, trace => trace.name)")
    assert names == ["Experts", "Training"]

    # A bar of one type of input in one year opens the record of that cell.
    click_bar(page, "figure-1-chart", 2)  # Training's 1994 bar, after the two of Experts
    page.wait_for_url("**/expenditure/history/?year=1994&input_type=training")
    assert "19,706" in page.locator("table").inner_text()
    assert page.console_errors == []
