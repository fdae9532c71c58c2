"""Static assets and compression: plotly.js's basic bundle at the Python package's version, gzip on
public pages only (never beside a CSRF token)."""

import gzip
import re
from pathlib import Path

import plotly
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders

from funding.compression import KEPT_BODIES, PublicGZipMiddleware
from funding.services import publish_release
from funding.staticfinders import PLOTLY_JS

VERSION = re.compile(rb"plotly\.js (?:\(basic - minified\) )?v(\d+\.\d+\.\d+)")


def test_the_basic_bundle_is_the_plotly_js_that_the_python_package_bundles():
    served = Path(finders.find(PLOTLY_JS)).read_bytes()
    bundled = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_bytes()
    assert VERSION.search(served[:300]).group(1) == VERSION.search(bundled[:300]).group(1)
    assert b"(basic - minified)" in served[:300]
    assert len(served) < len(bundled) / 3


def test_pages_load_the_basic_bundle(client, ilo_data):
    for url in ("/", "/expenditure/"):
        html = client.get(url).content.decode()
        assert '<script src="/static/vendor/plotly-basic.min.js" defer></script>' in html


def test_public_pages_and_json_are_gzipped(client, ilo_data):
    for url in ("/", "/expenditure.json?by=source"):
        response = client.get(url, headers={"accept-encoding": "gzip, br"})
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        plain = client.get(url).content
        assert gzip.decompress(response.content) == plain
        assert len(response.content) < len(plain) / 3


def test_a_page_is_compressed_once_until_it_changes(client, ilo_data):
    # Django pads each compressed body with random bytes; a public page is compressed once and kept, so
    # every visitor gets the same bytes until the page changes (here: a publish changes `/`).
    first, second = (client.get("/", headers={"accept-encoding": "gzip"}).content for _ in range(2))
    assert first == second
    assert b"987,654" not in gzip.decompress(first)
    restated = {"measure": "expenditure", "year": 1995, "source": "_T", "region": "_T", "amount": 987_654_000}
    publish_release(title="1995 restated", rows=[restated], checksum="c" * 64)
    third = client.get("/", headers={"accept-encoding": "gzip"})
    assert third["Content-Encoding"] == "gzip"
    assert gzip.decompress(third.content) == client.get("/").content
    assert b"987,654" in gzip.decompress(third.content)


def test_the_compressed_bodies_kept_are_bounded():
    middleware = PublicGZipMiddleware(lambda request: None)
    bodies = [f"body {n} ".encode() * 40 for n in range(KEPT_BODIES + 10)]
    for body in bodies:
        assert gzip.decompress(middleware.compressed(body)) == body
    assert len(middleware._compressed) == KEPT_BODIES
    assert gzip.decompress(middleware.compressed(bodies[-1])) == bodies[-1]


def test_pages_with_a_csrf_token_or_a_signed_in_user_are_never_compressed(client, ilo_data):
    sign_in = client.get("/accounts/login/", headers={"accept-encoding": "gzip"})
    assert b"csrfmiddlewaretoken" in sign_in.content
    assert "Content-Encoding" not in sign_in
    client.force_login(User.objects.create_user("amina"))
    page = client.get("/", headers={"accept-encoding": "gzip"})
    assert b"amina" in page.content
    assert "Content-Encoding" not in page


def test_streamed_exports_are_not_compressed(client, ilo_data):
    response = client.get("/expenditure.csv?by=source", headers={"accept-encoding": "gzip"})
    assert response.streaming and "Content-Encoding" not in response
