"""The cache in front of Django (funding.front_cache): the WSGI application a server calls, called as a
server calls it. A repeated anonymous GET is answered with the finished response, without Django's
request handling (no request_started), and nothing a visitor, an editor or a publish changes is ever
answered from an older or another visitor's response."""

import gzip
import importlib
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client, RequestFactory

from funding.caching import FRONT_CACHEABLE
from funding.front_cache import FrontCache, storable
from funding.services import withdraw_release
from tests.test_caching import TOTAL_1995, restate_1995


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def header(self, name):
        found = [value for key, value in self.headers if key.lower() == name.lower()]
        return found[0] if found else None

    def json(self):
        return json.loads(gzip.decompress(self.body) if self.header("Content-Encoding") == "gzip" else self.body)


class Server:
    """The WSGI application as gunicorn calls it, counting the requests Django itself handled."""

    def __init__(self):
        self.application = FrontCache(WSGIHandler())
        self.handled_by_django = 0

    def started(self, **kwargs):
        self.handled_by_django += 1

    def get(self, url, method="GET", **headers):
        environ = RequestFactory().generic(method, url, headers=headers).environ
        seen = []
        # As Django's test client does: the test's transaction must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            body = self.application(environ, lambda status, headers, exc_info=None: seen.append((status, headers)))
            content = b"".join(body)
            getattr(body, "close", lambda: None)()  # as a server does: Django's request_finished
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        status, headers = seen[0]
        return Answer(status, headers, content)


@pytest.fixture
def server(db):
    server = Server()
    request_started.connect(server.started)
    yield server
    request_started.disconnect(server.started)


def test_a_repeated_anonymous_get_is_answered_whole_before_django_with_one_query(
    server, ilo_data, django_assert_num_queries
):
    first = server.get("/expenditure/?by=source&from=1993&to=1996", accept_encoding="gzip")
    assert first.status == "200 OK" and server.handled_by_django == 1
    with django_assert_num_queries(1):  # the live generation
        again = server.get("/expenditure/?by=source&from=1993&to=1996", accept_encoding="gzip")
    assert server.handled_by_django == 1
    assert (again.status, again.headers, again.body) == (first.status, first.headers, first.body)
    # Every header the middleware gave the first answer is in the second.
    assert again.header("Content-Encoding") == "gzip"
    assert again.header("X-Content-Type-Options") == "nosniff"
    assert "default-src" in again.header("Content-Security-Policy")
    assert ">UNDP<" in gzip.decompress(again.body).decode()


def test_a_publish_and_a_withdrawal_are_seen_at_the_next_request(server, ilo_data):
    assert server.get(TOTAL_1995).json()["rows"][0]["amount"] == 112930
    assert server.get(TOTAL_1995).json()["rows"][0]["amount"] == 112930
    assert server.handled_by_django == 1
    restated = restate_1995(120_000)
    assert server.get(TOTAL_1995).json()["rows"][0]["amount"] == 120000
    withdraw_release(release=restated)
    assert server.get(TOTAL_1995).json()["rows"][0]["amount"] == 112930
    assert server.handled_by_django == 3


def test_a_repeated_sdmx_data_query_is_answered_before_django_and_moves_on_with_a_publish(
    server, ilo_data, django_assert_num_queries
):
    url = "/sdmx/data/TC_FUNDING/expenditure._T._T._T._T?startPeriod=1995&endPeriod=1995&format=csv"
    first = server.get(url, accept_encoding="gzip")
    assert first.status == "200 OK" and server.handled_by_django == 1
    with django_assert_num_queries(1):  # the live generation
        again = server.get(url, accept_encoding="gzip")
    assert server.handled_by_django == 1 and again.body == first.body
    assert again.header("Vary") == first.header("Vary") and "Accept" in again.header("Vary")
    assert b",1995,112930," in gzip.decompress(again.body)
    restated = restate_1995(120_000)
    assert b",1995,120000," in server.get(url).body
    withdraw_release(release=restated)
    assert b",1995,112930," in server.get(url).body
    assert server.handled_by_django == 3


def test_each_language_encoding_and_media_type_has_its_own_answer(server, ilo_data):
    page = {"accept": "text/html"}
    asked = {
        "plain": ("/expenditure/?from=1995&to=1995", {}),
        "gzip": ("/expenditure/?from=1995&to=1995", {"accept_encoding": "gzip"}),
        "fr": ("/fr/expenditure/?from=1995&to=1995", {}),
        "es": ("/es/expenditure/?from=1995&to=1995", {}),
        "browser, English chosen": ("/expenditure/?from=1995&to=1995", {**page, "cookie": "django_language=en"}),
    }
    answers = {}
    for _ in range(2):
        for name, (url, headers) in asked.items():
            answers[name] = server.get(url, **headers)
    assert server.handled_by_django == len(asked)  # each once, then each from its own kept answer
    languages = {name: answer.header("Content-Language") for name, answer in answers.items()}
    assert languages == {"plain": "en", "gzip": "en", "fr": "fr", "es": "es", "browser, English chosen": "en"}
    assert answers["gzip"].header("Content-Encoding") == "gzip"
    assert answers["plain"].header("Content-Encoding") is None
    assert '<html lang="fr"' in answers["fr"].body.decode() and '<html lang="es"' in answers["es"].body.decode()
    # The same page asked for by a French browser on its first visit is not the English one kept above.
    first_visit = server.get("/expenditure/?from=1995&to=1995", **page, accept_language="fr")
    assert first_visit.status == "302 Found" and first_visit.header("Location") == "/fr/expenditure/?from=1995&to=1995"

    structure = "/sdmx/dataflow/ILO/TC_FUNDING/1.0?references=all"
    xml = server.get(structure, accept="application/vnd.sdmx.structure+xml;version=2.1")
    again = server.get(structure, accept="application/vnd.sdmx.structure+xml;version=2.1")
    not_offered = server.get(structure, accept="application/vnd.sdmx.structure+json;version=1.0")
    assert xml.status == "200 OK" and b"<str:DataStructures>" in xml.body and again.body == xml.body
    assert not_offered.status == "406 Not Acceptable" and b"<mes:Error" in not_offered.body


def test_a_signed_in_editor_or_any_other_cookie_is_never_answered_from_the_front(server, ilo_data):
    server.get("/")
    server.get("/")
    assert server.handled_by_django == 1
    client = Client()
    client.force_login(User.objects.create_user("amina"))
    session = f"sessionid={client.cookies['sessionid'].value}"
    signed_in = server.get("/", cookie=session)
    assert "amina" in signed_in.body.decode() and "Sign in" not in signed_in.body.decode()
    for cookie in (session, "csrftoken=abc", "messages=pending", f"django_language=en; {session}"):
        server.get("/", cookie=cookie)
    assert server.handled_by_django == 6


def test_a_first_visit_given_its_language_cookie_is_not_kept(server, ilo_data):
    for _ in range(2):
        visit = server.get("/expenditure/", accept="text/html")
        assert visit.status == "200 OK"
        assert visit.header("Set-Cookie").strip().startswith("django_language=en;")
    assert server.handled_by_django == 2
    # A browser's first visit in another language is redirected to it, every time.
    for _ in range(2):
        redirected = server.get("/expenditure/", accept="text/html", accept_language="fr")
        assert redirected.status == "302 Found" and redirected.header("Location") == "/fr/expenditure/"
    assert server.handled_by_django == 4


def test_conditional_head_and_refused_requests_go_to_django(server, ilo_data):
    first = server.get("/expenditure/")
    server.get("/expenditure/")
    assert server.handled_by_django == 1
    revalidated = server.get("/expenditure/", if_none_match=first.header("ETag"))
    assert revalidated.status == "304 Not Modified" and revalidated.body == b""
    assert server.get("/expenditure/", method="HEAD").status == "200 OK"
    assert server.handled_by_django == 3
    for _ in range(2):
        assert server.get("/expenditure/?from=1996&to=1990").status == "400 Bad Request"
        assert server.get("/expenditure/", host="evil.example").status == "400 Bad Request"
    assert server.handled_by_django == 7


def test_a_head_gets_the_status_and_headers_of_its_get_and_no_body(server, ilo_data):
    # Django leaves the body to the server to drop; gunicorn logged a warning at each HEAD, and a
    # streamed export was written whole for nothing.
    page = server.get("/expenditure/")
    head = server.get("/expenditure/", method="HEAD")
    assert (head.status, head.body) == ("200 OK", b"")
    assert head.header("Content-Type") == page.header("Content-Type") == "text/html; charset=utf-8"
    assert head.header("Content-Language") == "en"
    export = server.get("/expenditure.csv?by=source", method="HEAD")
    assert (export.status, export.body) == ("200 OK", b"")
    assert export.header("Content-Disposition") == 'attachment; filename="tcdash-expenditure-by-source-1990-1996.csv"'
    assert server.get("/healthz", method="HEAD").body == b""
    assert server.get("/no-such-page/", method="HEAD").status == "404 Not Found"


def test_pages_still_answer_when_the_cache_server_is_down(server, settings, ilo_data, caplog):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    for _ in range(2):
        answer = server.get(TOTAL_1995)
        assert answer.status == "200 OK" and answer.json()["rows"][0]["amount"] == 112930
    assert server.handled_by_django == 2
    assert "serving without the cache" in caplog.text


@pytest.mark.parametrize(
    ("status", "headers", "kept"),
    [
        ("200 OK", [("Vary", "Accept-Encoding, Cookie, Accept-Language")], True),
        ("200 OK", [("Vary", "Accept, Origin")], False),  # Origin is not in the key
        ("200 OK", [("Vary", "*")], False),
        ("200 OK", [("Set-Cookie", "django_language=fr; Path=/")], False),
        ("404 Not Found", [], False),
    ],
)
def test_only_a_200_that_varies_on_the_keyed_headers_and_sets_no_cookie_is_kept(status, headers, kept):
    response = HttpResponse(b"{}")
    setattr(response, FRONT_CACHEABLE, True)
    assert storable(response, status, headers) is kept
    assert storable(HttpResponse(b"{}"), "200 OK", []) is False  # a response the view did not keep


def test_the_served_application_is_behind_the_front_cache(settings, monkeypatch):
    settings.SECRET_KEY_FROM_ENVIRONMENT = True
    monkeypatch.delitem(__import__("sys").modules, "tcdash.wsgi", raising=False)
    wsgi = importlib.import_module("tcdash.wsgi")
    assert isinstance(wsgi.application, FrontCache)
    assert isinstance(wsgi.application.application, WSGIHandler)


def test_the_scheme_a_proxy_names_and_the_host_are_in_the_key(server, settings, ilo_data):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_SCHEME", "https")  # a name of the deployment's choosing
    settings.ALLOWED_HOSTS = ["testserver", "tcdash.example"]
    asked = {"https": {"x_scheme": "https"}, "http": {}, "other host": {"host": "tcdash.example"}}
    printed = {}
    for _ in range(2):
        for name, headers in asked.items():
            body = server.get("/expenditure/", **headers).body.decode()
            printed[name] = re.findall(r'(https?://[^/"]+)/expenditure/', body)
    assert server.handled_by_django == 3
    # The printed address (the print line) begins with the scheme and host each request was made with.
    assert printed == {
        "https": ["https://testserver:80"],
        "http": ["http://testserver"],
        "other host": ["http://tcdash.example"],
    }
