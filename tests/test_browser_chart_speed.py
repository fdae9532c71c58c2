"""What the charts' speed rests on (bench/run.py --only charts measures it): charts.js gives every
chart margins that already hold its legend and labels, so plotly.js's automargin keeps them and draws
each chart once, and each chart leaves one "tcdash:chart-drawn" mark without any timeout."""

import pytest

from tests.browser import drawn

KEPT_MARGINS = """() => Array.from(document.querySelectorAll(".chart.is-drawn")).map(gd => {
    const given = gd.layout.margin, kept = gd._fullLayout._size;
    return [gd.id, [given.l, given.t, given.b], [kept.l, kept.t, kept.b]];
})"""

MARKS = """() => performance.getEntriesByName("tcdash:chart-drawn").map(m => m.detail).sort()"""

PAGES = [
    "/",
    "/fr/",
    "/expenditure/?by=source&by=region",
    "/expenditure/?by=region&value=share",
    "/fr/expenditure/?by=region&value=change",  # a y title in two lines
]


@pytest.mark.parametrize("width", [1280, 400])
def test_plotly_keeps_the_margins_charts_js_gives_so_it_draws_each_chart_once(page, live_server, ilo_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        page.goto(f"{live_server.url}{path}")
        drawn(page)
        charts = page.evaluate(KEPT_MARGINS)
        assert len(charts) >= 1, path
        for chart, given, kept in charts:
            assert given == kept, (path, chart)
            assert given[0] > 10, (path, chart)  # room for the y labels and title, not plotly's default
        assert page.evaluate(MARKS) == sorted(chart for chart, _, _ in charts), path
    assert page.console_errors == []
