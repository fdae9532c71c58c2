"""Static assets and compression: plotly.js's basic bundle at the Python package's version, gzip on
public pages only (never beside a CSRF token), static files compressed once by collectstatic."""

import gzip
import re
from pathlib import Path

import brotli
import plotly
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders

from funding.compression import KEPT_BODIES, PublicGZipMiddleware
from funding.services import publish_release
from funding.static_storage import KeptCompressor
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


def test_collectstatic_keeps_the_compressed_copies_of_a_file_and_makes_a_bad_one_again(tmp_path):
    script = tmp_path / "charts.abc123.js"
    script.write_bytes(b"function draw(chart) { return chart; }\n" * 200)
    compressor = KeptCompressor(quiet=True)
    made = compressor.compress(str(script))
    assert sorted(made) == [f"{script}.br", f"{script}.gz"]
    written = {name: Path(name).stat().st_ctime_ns for name in made}
    # Collected again: the copies are of the same bytes, so they stay as they are.
    assert sorted(compressor.compress(str(script))) == sorted(made)
    assert {name: Path(name).stat().st_ctime_ns for name in made} == written
    # A copy cut short (a collectstatic stopped while writing it) is made again, whole.
    brotli_copy = Path(f"{script}.br")
    brotli_copy.write_bytes(brotli_copy.read_bytes()[:20])
    compressor.compress(str(script))
    assert brotli.decompress(brotli_copy.read_bytes()) == script.read_bytes()
    # So is a copy of other bytes (the file changed under the same name).
    script.write_bytes(b"function draw(chart) { return null; }\n" * 200)
    compressor.compress(str(script))
    assert gzip.decompress(Path(f"{script}.gz").read_bytes()) == script.read_bytes()
    assert brotli.decompress(brotli_copy.read_bytes()) == script.read_bytes()
