"""What the browser tests do the same way: wait for a page's charts, sign an editor in, choose a file."""

from django.test import Client

# Every chart spec of the page (Django's json_script) has its chart drawn: charts.js marks it is-drawn.
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('script[id$="-chart-spec"]')).every(
    spec => document.getElementById(spec.id.replace(/-spec$/, ""))?.classList.contains("is-drawn"))"""


def drawn(page):
    """Wait until the page has loaded and drawn every chart it has (no fixed idle time)."""
    page.wait_for_load_state("load")
    page.wait_for_function(CHARTS_DRAWN)


def sign_in(page, live_server, user):
    """`user`'s session cookie in the browser context: the pages behind sign-in, as they see them."""
    client = Client()
    client.force_login(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    page.context.add_cookies([cookie])
    return user


def sign_in_with_the_form(page, live_server, user, password="tc-figures-2026!"):
    """Open the upload page, get sent to sign in, sign in with the form and land on the upload page."""
    user.set_password(password)
    user.save()
    page.goto(f"{live_server.url}/releases/upload/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/releases/upload/")


def check_file(page, data, name="expenditure-1992.csv", number_format=None):
    """Choose `data` (bytes or text) as the upload and press "Check and preview"."""
    data = data.encode() if isinstance(data, str) else data
    page.set_input_files("input[type=file]", files=[{"name": name, "mimeType": "text/csv", "buffer": data}])
    if number_format:
        page.select_option("#id_number_format", number_format)
    page.get_by_role("button", name="Check and preview").click()
