"""Every page with data under the site's Content-Security-Policy, in Chromium: no violation, charts drawn."""

import re

import pytest
from django.contrib.auth.models import Group, User

from funding.importers import DEFAULT_NUMBER_FORMAT
from funding.services import create_draft
from tests.factories import NEW_1992

# Records every CSP violation the page reports, from the first byte on.
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__csp.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sample || ""));
});
"""

PUBLIC_PAGES = {
    "/": 4,
    "/?from=1993&to=1995": 4,
    "/expenditure/": 1,
    "/expenditure/?by=source": 1,
    "/expenditure/?by=region&value=share": 1,
    "/expenditure/?by=source&value=change": 1,
    "/expenditure/?group=ldc&by=source-region": 1,
    "/expenditure/?source=undp&by=region&year=1994": 0,
    "/expenditure/?by=region&from=1993&to=1996": 1,
    "/approvals/": 1,
    "/approvals/?by=source&value=share": 0,
    "/expenditure/history/?year=1995&source=undp": 0,
    "/approvals/history/?year=1995": 0,
    "/releases/": 0,
    "/accounts/login/": 0,
    "/admin/login/": 0,
    "/no-such-page/": 0,
}


def visit(page, url, charts):
    page.goto(url)
    page.wait_for_load_state("load")
    if charts:
        page.locator(".is-drawn svg.main-svg").nth(charts - 1).wait_for(state="attached")
    return page.evaluate("window.__csp")


def csp_console_messages(page):
    return [text for text in page.console_errors if "Content Security Policy" in text]


@pytest.mark.cost(6)  # 17 pages, their charts drawn
def test_browser_public_pages_draw_under_the_csp_without_a_violation(page, live_server, ilo_data):
    page.add_init_script(LISTEN)
    violations = {path: visit(page, live_server.url + path, charts) for path, charts in PUBLIC_PAGES.items()}
    assert violations == {path: [] for path in PUBLIC_PAGES}
    # plotly.js wrote its rules into the page's one empty <style>, not into a new element.
    page.goto(live_server.url + "/")
    page.wait_for_selector("#figure-1-chart.is-drawn svg.main-svg", state="attached")
    assert page.evaluate("document.getElementById('plotly.js-style-global').sheet.cssRules.length") > 50
    assert page.evaluate("document.querySelectorAll('style').length") == 1
    # The modebar is styled by those rules: positioned, not in the flow of the page.
    assert page.evaluate("getComputedStyle(document.querySelector('.modebar-container')).position") == "absolute"
    assert csp_console_messages(page) == []
    assert page.foreign_requests == []


def test_browser_hover_and_click_on_a_bar_stay_within_the_csp(page, live_server, ilo_data):
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/expenditure/")
    bar = page.locator("#figure-1-chart .plotly .bars .point path").nth(2)
    bar.wait_for(state="attached")
    bar.scroll_into_view_if_needed()  # the summary above may push the chart below the fold
    box = bar.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    # The hover label, with its bold first line (a <tspan style="font-weight:bold">).
    label = page.locator("#figure-1-chart .hovertext tspan[style]").first
    label.wait_for(state="attached")
    assert page.evaluate("getComputedStyle(document.querySelector('.hovertext tspan[style]')).fontWeight") == "700"
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(re.compile(r"from=1994&to=1994"), wait_until="commit")
    page.locator(".is-drawn svg.main-svg").first.wait_for(state="attached")
    assert page.evaluate("window.__csp") == []
    assert csp_console_messages(page) == []


def test_browser_editor_pages_draw_under_the_csp_without_a_violation(page, live_server, ilo_data):
    editor = User.objects.create_user("amina", password="tc-figures-2026!")
    editor.groups.add(Group.objects.get(name="Editors"))
    _, draft = create_draft(
        data=NEW_1992, file_name="new-1992.csv", number_format=DEFAULT_NUMBER_FORMAT, note="", user=editor
    )
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "amina")
    page.fill("#id_password", "tc-figures-2026!")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/", wait_until="commit")

    pages = ["/releases/upload/", f"/releases/{draft.pk}/", "/releases/", f"/releases/{ilo_data.pk}/withdraw/"]
    violations = {path: visit(page, live_server.url + path, 0) for path in pages}
    assert violations == {path: [] for path in pages}
    assert page.get_by_role("button", name="Withdraw").count() == 1
    assert csp_console_messages(page) == []
