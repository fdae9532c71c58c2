"""Undeclared methods get 405 before CSRF could answer 403; the security headers are on every response."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from funding.middleware import declared_methods
from funding.views import data, health
from funding.views import releases as release_views


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_declared_methods_reads_djangos_decorators_and_class_based_views():
    from django.contrib.auth import views as auth_views

    assert declared_methods(data.figures_json) == {"GET", "HEAD"}
    assert declared_methods(health.healthz) == {"GET", "HEAD"}
    assert declared_methods(release_views.publish) == {"POST"}
    assert declared_methods(release_views.upload) == {"GET", "HEAD", "POST"}
    assert declared_methods(auth_views.LogoutView.as_view()) == {"POST", "OPTIONS"}


@pytest.mark.parametrize("method", ["QUERY", "PUT", "DELETE", "PATCH", "POST", "OPTIONS"])
def test_an_api_twin_answers_an_undeclared_method_405_in_json(strict_client, db, method):
    response = strict_client.generic(method, "/expenditure.json?by=source")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json"
    message = f"The method {method} is not allowed here; this URL answers GET, HEAD."
    assert response.json() == {"error": message, "errors": [message]}


def test_a_csv_twin_answers_post_405_in_plain_text(strict_client, db):
    response = strict_client.post("/expenditure.csv")
    assert response.status_code == 405
    assert response.content == b"The method POST is not allowed here; this URL answers GET, HEAD.\n"


def test_a_405_is_in_the_addresss_language_as_a_400_is(strict_client, db):
    # Every other refusal of a /fr/ or /es/ address is in its language; the 405 was English there.
    response = strict_client.post("/fr/expenditure.csv")
    assert response.status_code == 405
    assert response.content.decode() == ("La méthode POST n'est pas acceptée ici ; cette adresse répond à GET, HEAD.\n")
    message = "El método PUT no se admite aquí; esta dirección responde a GET, HEAD."
    assert strict_client.put("/es/expenditure.json").json() == {"error": message, "errors": [message]}


def test_a_page_answers_put_405_even_when_it_takes_posts(strict_client, db):
    editor = User.objects.create_user("amina")
    editor.groups.add(Group.objects.get(name="Editors"))
    strict_client.force_login(editor)
    assert strict_client.put("/releases/upload/").status_code == 405
    assert strict_client.generic("QUERY", "/releases/upload/")["Allow"] == "GET, HEAD, POST"
    # A declared POST without its CSRF token is still refused by the CSRF middleware.
    assert strict_client.post("/releases/upload/").status_code == 403


@pytest.mark.parametrize("path", ["/", "/fr/expenditure/", "/approvals/history/?year=1995", "/briefing.pdf"])
def test_a_page_answers_post_405_not_a_csrf_403(strict_client, ilo_data, path):
    # Pages that only show declare it (require_safe), so a POST is told the methods, not a missing token.
    response = strict_client.post(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", ["/releases/", "/releases/template.csv", "/releases/template.xlsx"])
def test_head_is_answered_wherever_get_is(client, ilo_data, path):
    get, head = client.get(path), client.head(path)
    assert get.status_code == head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]


def test_an_admin_page_answers_delete_405(strict_client, db):
    response = strict_client.delete("/admin/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"


def test_every_response_carries_the_security_headers(client, db):
    for path in ["/", "/expenditure.json", "/healthz", "/no-such-page/", "/admin/login/"]:
        response = client.get(path)
        csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert csp["script-src"] == "'self'", path
        assert csp["style-src"] == "'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", path
        assert csp["default-src"] == csp["frame-ancestors"] == csp["object-src"] == "'none'", path
        assert csp["img-src"] == "'self' data:", path
        assert csp["style-src-attr"] == "'unsafe-hashes' 'sha256-wkY2X5hecQzbhnFCqvTpwrUJ1f4X8LH5WFjYUzv1wmU='", path
        assert response["Permissions-Policy"].startswith("accelerometer=(), camera=()"), path
        assert "geolocation=()" in response["Permissions-Policy"], path
        assert response["Cross-Origin-Resource-Policy"] == "same-origin", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["X-Frame-Options"] == "DENY", path


def test_the_page_has_one_style_element_and_it_is_empty(client, db):
    html = client.get("/").content.decode()
    assert html.count("<style") == 1
    assert '<style id="plotly.js-style-global"></style>' in html


def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(client, db, settings):
    from csp.utils import build_policy

    def directives(policy):  # django-csp writes them in no fixed order
        return sorted(policy.split("; "))

    expected = directives(build_policy(config=settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]))
    assert len(expected) == 12
    assert directives(client.get("/healthz").headers["Content-Security-Policy"]) == expected
    assert directives(client.get("/expenditure.json").headers["Content-Security-Policy"]) == expected
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    assert client.get("/healthz").headers["Content-Security-Policy"] == "default-src 'self'"
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'none'"]},
        "EXCLUDE_URL_PREFIXES": ["/healthz"],
    }
    assert "Content-Security-Policy" not in client.get("/healthz").headers
    assert client.get("/expenditure.json").headers["Content-Security-Policy"] == "default-src 'none'"
