"""/healthz, and the 400 Django answers before any view runs, in the format the URL promises."""

import json
import os
import socket
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.contrib.auth.models import User
from django.test import Client

from funding.views import health
from tests.markup import parse, text


def test_healthz_says_ok_when_the_database_and_the_cache_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-store" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    # A real server process whose database cannot be opened (a folder that does not exist).
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz'); print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "tcdash.settings",
    }
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok"}}
    # The reason goes to the log, not to the public.
    assert "unable to open database file" in result.stderr
    assert "healthz: the database check failed" in result.stderr


def test_healthz_answers_503_in_seconds_when_the_database_server_hangs(tmp_path):
    # A PostgreSQL that accepts connections and answers nothing (a host gone behind a proxy, a server
    # stuck): libpq waited for ever, and so did every request, /healthz included.
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / ".s.PGSQL.5432"))  # where libpq looks for a server in that folder
    listener.listen(8)
    script = (
        "import time, django; django.setup(); from django.test import Client; started = time.monotonic(); "
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz'); "
        "print(r.status_code, round(time.monotonic() - started), r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@{quote(str(tmp_path), safe='')}/tcdash",
        "DJANGO_SETTINGS_MODULE": "tcdash.settings",
    }
    try:
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    finally:
        listener.close()
    status, seconds, body = result.stdout.strip().split(" ", 2)
    assert status == "503"
    assert int(seconds) <= 10  # the connection's 5 s, and not a second time in the same request
    assert json.loads(body) == {"status": "unavailable", "checks": {"database": "unavailable", "cache": "ok"}}
    assert "timeout expired" in result.stderr


def test_healthz_answers_503_when_the_cache_loses_what_it_was_given(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


def test_healthz_takes_get_and_head_only(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert health.CHECKS.keys() == {"database", "cache"}


def test_healthz_answers_a_probe_by_the_servers_address_which_pages_refuse(client, db, settings):
    # A load balancer or a container's probe asks by address; ALLOWED_HOSTS names the site's host only,
    # and /healthz answered those probes 400 (Invalid HTTP_HOST header), marking the server down.
    settings.ALLOWED_HOSTS = ["tcdash.example.org"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert client.post("/healthz", HTTP_HOST="10.0.0.5:8000").status_code == 405
    assert client.get("/", HTTP_HOST="10.0.0.5:8000").status_code == 400
    assert client.get("/healthz/", HTTP_HOST="10.0.0.5:8000").status_code == 400


TOO_MANY = "&".join(f"by=total&x{i}=1" for i in range(600))


def test_too_many_parameters_on_a_json_twin_is_a_json_400(client, db):
    response = client.get(f"/expenditure.json?{TOO_MANY}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    message = "Too many parameters: at most 1000 are accepted."
    assert response.json() == {"error": message, "errors": [message]}


def test_too_many_parameters_on_a_csv_twin_is_plain_text_and_on_a_page_html(client, db):
    response = client.get(f"/expenditure.csv?{TOO_MANY}")
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content == b"Bad request:\n- Too many parameters: at most 1000 are accepted.\n"
    response = client.get(f"/expenditure/?{TOO_MANY}")
    assert response.status_code == 400
    assert "<li>Too many parameters: at most 1000 are accepted.</li>" in response.content.decode()
    # The data package's zip says a bad parameter in plain text; too many of them were the site's page.
    response = client.get(f"/datapackage.zip?{TOO_MANY}")
    assert (response.status_code, response["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert response.content == b"Bad request:\n- Too many parameters: at most 1000 are accepted.\n"


def test_too_many_parameters_under_sdmx_is_an_sdmx_error_message(client, db):
    # An SDMX client got the site's HTML page (with a 500 where the page could not be drawn) for a
    # query string too long to read, where every other SDMX error is an SDMX message varying on Accept.
    message = "Too many parameters: at most 1000 are accepted."
    for address in ("/sdmx/data/TC_FUNDING/all", "/sdmx/codelist/ILO/CL_SOURCE/1.0", "/fr/sdmx/data/TC_FUNDING"):
        response = client.get(f"{address}?{TOO_MANY}")
        assert (response.status_code, response["Content-Type"]) == (400, "application/xml; charset=utf-8")
        assert f'<mes:ErrorMessage code="140"><com:Text xml:lang="en">{message}</com:Text>' in response.content.decode()
        assert "Accept" in response["Vary"]
    response = client.get(f"/sdmx/data/TC_FUNDING/all?{TOO_MANY}", HTTP_ACCEPT="application/vnd.sdmx.data+json")
    assert (response.status_code, response["Content-Type"]) == (400, "application/json; charset=utf-8")
    assert response.json() == {"errors": [{"code": 140, "title": message, "detail": message}]}


def test_a_400_before_any_view_is_in_the_addresss_language(client, db):
    # Django's 400s (too many parameters, a host not allowed) answered in English on /fr/ and /es/,
    # the French page's title over an English sentence.
    response = client.get(f"/fr/expenditure.json?{TOO_MANY}")
    message = "Trop de paramètres : au plus 1000 sont acceptés."
    assert response.json() == {"error": message, "errors": [message]}
    response = client.get(f"/es/expenditure.csv?{TOO_MANY}")
    assert response.content.decode() == "Solicitud incorrecta:\n- Demasiados parámetros: se aceptan como máximo 1000.\n"
    response = client.get(f"/fr/expenditure/?{TOO_MANY}")
    assert response.status_code == 400
    assert "<li>Trop de paramètres : au plus 1000 sont acceptés.</li>" in response.content.decode()
    response = client.get("/fr/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert "<li>La requête n&#x27;a pas été comprise.</li>" in response.content.decode()


def test_a_form_sent_with_an_expired_token_gets_the_sites_page_in_the_readers_language(db, editor):
    # Signing in (or out) in another tab rotates the token a page kept open holds: Django's own page then
    # said "CSRF verification failed" and spoke of DEBUG, unstyled, whatever the editor was doing.
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/fr/releases/upload/", {"number_format": "1,234.5"})
    assert response.status_code == 403
    page = text(parse(response))
    assert "Le formulaire a expiré" in page
    assert "Revenez en arrière, rechargez la page et envoyez à nouveau le formulaire." in page
    assert "DEBUG" not in page and "CSRF" not in page


@pytest.mark.parametrize(
    "address",
    [
        # The admin's list filters passed it to PostgreSQL, which refuses it in any text: a 500 there.
        "/admin/funding/release/?state__exact=%00",
        "/admin/funding/observation/?measure=x%00",
        "/admin/auth/user/?username__exact=%00",
        "/admin/funding/source/?q=a&x%00=1",
    ],
)
def test_an_admin_address_holding_a_nul_character_is_a_400(client, ilo_data, address):
    # The site's own views name the parameter holding one (tests/test_data_views.py, test_sdmx.py).
    client.force_login(User.objects.create_superuser("root", email=""))
    response = client.get(address)
    assert response.status_code == 400
    message = "The address holds a NUL character, which no address of this site takes."
    assert f"<li>{message}</li>" in response.content.decode()


@pytest.mark.parametrize("key", ["abcdefghijklmnop\x00q", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "é" * 32, "a" * 5000])
def test_a_session_cookie_the_site_never_issued_is_no_session(client, ilo_data, key):
    # A key holding a NUL went to PostgreSQL, which refuses one: every page answered 500.
    client.cookies["sessionid"] = key
    assert client.get("/").status_code == 200
    assert client.get("/releases/upload/").status_code == 302  # signed out: to the sign-in page
    editor = User.objects.create_user("amina")
    client.force_login(editor)  # a session the site issues works as ever
    assert client.get("/releases/").context["user"] == editor
