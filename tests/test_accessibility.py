"""WCAG 2.1 AA, measured: axe-core on every kind of page, the keyboard path, zoom and phone width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from funding.services import create_draft
from tests.browser import drawn, sign_in
from tests.factories import NEW_1992, PAGE_KINDS

AXE = Axe()
# WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices (landmarks, one h1, region).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}

# Every kind of page, and a bad address (the page that says what is wrong with it).
PUBLIC_PAGES = [*PAGE_KINDS, "/expenditure/?from=1800"]
EDITOR_PAGES = ["/releases/upload/", "/releases/{release}/", "/releases/{draft}/"]
LANGUAGE_PREFIXES = ["", "/fr", "/es"]


def violations(page):
    """axe's violations on the page as "rule: target" lines, so a failure names what to fix."""
    drawn(page)
    results = AXE.run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


@pytest.mark.cost(16)  # 16 pages, axe on each: 14-18 s
@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
def test_accessibility_public_pages_have_no_axe_violations(page, live_server, ilo_data, prefix):
    found = {}
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}{prefix}{path}")
        if problems := violations(page):
            found[path] = problems
    assert found == {}
    # Only the deliberately bad address answers 400; nothing else fails in the console.
    assert [e for e in page.console_errors if "status of 400" not in e] == []


@pytest.mark.cost(3.5)  # four pages, axe on each
@pytest.mark.parametrize("prefix", LANGUAGE_PREFIXES)
def test_accessibility_editor_pages_have_no_axe_violations(page, live_server, ilo_data, editor, prefix):
    sign_in(page, live_server, editor)
    draft = create_draft(data=NEW_1992, file_name="1992.csv", note="GB.X annex", user=editor)[1]
    found = {}
    for path in EDITOR_PAGES:
        path = path.format(release=ilo_data.pk, draft=draft.pk)
        page.goto(f"{live_server.url}{prefix}{path}")
        assert page.locator("h1").count() == 1, path
        if problems := violations(page):
            found[path] = problems
    # The upload form showing its problems is a page of its own.
    page.goto(f"{live_server.url}{prefix}/releases/upload/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "bad.csv", "mimeType": "text/csv", "buffer": b"measure,year\nexpenditure,19x5\n"}],
    )
    with page.expect_navigation():
        page.locator("form.upload-form button[type=submit], main form button[type=submit]").first.click()
    if problems := violations(page):
        found["upload with problems"] = problems
    assert found == {}


def tab_to(page, locator, limit=80):
    """Press Tab until `locator` has the focus; returns how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{locator} is not reachable with Tab in {limit} presses")


def focus_ring(page):
    """The focused element's outline and box-shadow as the browser draws them."""
    return page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )


@pytest.mark.cost(5)  # some sixty key presses, each waited for
def test_accessibility_keyboard_only_overview_to_drill_down_back_and_through_the_filters(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/")
    # The years form comes before the figures on the overview.
    assert tab_to(page, page.get_by_label("From")) <= 12
    link = page.locator("#figure-1 table a", has_text="113,631")
    tab_to(page, link)
    assert focus_ring(page)[:2] == ["solid", "3px"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/expenditure/?from=1994&to=1994&by=source&by=region")
    assert page.locator("h1").inner_text() == "Expenditure, 1994"

    # Back to the overview through the site's navigation, by keyboard.
    tab_to(page, page.get_by_role("navigation", name="Main").get_by_role("link", name="Overview"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")

    # The explorer's filters: the second Tab offers the skip link, which lands in front of the form.
    page.goto(f"{live_server.url}/expenditure/")
    skip = page.get_by_role("link", name="Skip to the filters")
    assert tab_to(page, skip) == 2
    assert skip.is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    year_from = page.locator("#filters select[name=from]")
    assert year_from.evaluate("element => element === document.activeElement")
    page.keyboard.type("1993")
    page.keyboard.press("Tab")
    page.keyboard.type("1995")
    tab_to(page, page.get_by_role("checkbox", name="UNDP"), limit=10)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Show"), limit=30)
    assert focus_ring(page)[:2] == ["solid", "3px"]
    page.keyboard.press("Enter")
    page.wait_for_url("**/expenditure/?from=1993&to=1995&source=undp")  # the canonical address: no defaults
    assert page.locator("h1").inner_text() == "Expenditure from UNDP, 1993-95"
    assert page.console_errors == []


@pytest.mark.parametrize("width", [320, 640])
def test_accessibility_pages_reflow_at_phone_width_and_200_percent_zoom(page, live_server, ilo_data, width):
    # 640 CSS pixels is a 1280-pixel window at 200% zoom; 320 is WCAG's reflow width.
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["/", "/expenditure/?by=source&by=region", "/releases/", "/expenditure/history/?year=1995&source=undp"]:
        page.goto(f"{live_server.url}{path}")
        drawn(page)
        # Wide tables scroll inside their own focusable region; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        charts = page.locator(".chart.is-drawn")
        for index in range(charts.count()):
            box = charts.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, (path, index)


@pytest.mark.parametrize("width", [320, 640])
def test_accessibility_editor_pages_reflow_at_phone_width_and_200_percent_zoom(
    page, live_server, ilo_data, editor, width
):
    sign_in(page, live_server, editor)
    draft = create_draft(data=NEW_1992, file_name="1992.csv", note="GB.X annex", user=editor)[1]
    page.set_viewport_size({"width": width, "height": 800})
    for path in ["/releases/upload/", f"/releases/{draft.pk}/", f"/releases/{ilo_data.pk}/withdraw/", "/fr/releases/"]:
        page.goto(f"{live_server.url}{path}")
        # The wide tables (the totals checked, the values, the release list) scroll in their own regions.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path


def test_accessibility_charts_do_not_move_when_less_motion_is_asked(page, live_server, ilo_data):
    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#figure-1-chart.is-drawn")
    assert page.evaluate("document.getElementById('figure-1-chart').layout.transition") == {"duration": 0}
    chart = page.locator("#figure-1-chart")
    assert chart.get_attribute("role") == "figure"
    assert chart.get_attribute("aria-label").startswith("Chart: Figure 1.")
    note = page.locator("#" + chart.get_attribute("aria-describedby"))
    assert "table below" in note.inner_text()


def test_accessibility_the_records_form_sets_each_field_under_its_label_and_fields_of_a_row_level(
    page, live_server, ilo_data
):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/expenditure/history/?year=1995&source=undp")
    boxes = page.eval_on_selector_all(
        ".cell-form label",
        """labels => labels.map(label => {
            const field = label.querySelector("input, select").getBoundingClientRect();
            const text = label.getBoundingClientRect();
            return {top: text.top, field_top: field.top, field_left: field.left, left: text.left,
                    field_height: Math.round(field.height)};
        })""",
    )
    assert len(boxes) == 5
    # The label's words above its field, flush left with it; the five fields on one line, of one height.
    assert all(box["field_top"] > box["top"] and box["field_left"] == box["left"] for box in boxes)
    assert len({round(box["field_top"]) for box in boxes}) == 1
    assert len({box["field_height"] for box in boxes}) == 1
