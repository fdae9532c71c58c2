"""The three languages: addresses, the first visit, the switcher, and catalogues with nothing left out."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}


def switcher(html):
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)


def test_languages_english_stays_at_todays_addresses_and_french_and_spanish_have_their_own(client, ilo_data):
    for path, lang in [("/expenditure/?by=source", "en"), ("/fr/expenditure/?by=source", "fr"), ("/es/", "es")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert f'<html lang="{lang}">' in response.content.decode()
        assert response["Content-Language"] == lang


def test_languages_switcher_keeps_the_view_and_its_query_string(client, ilo_data):
    html = client.get("/fr/expenditure/?from=1993&to=1995&by=source&value=share").content.decode()
    assert switcher(html) == [
        ("/expenditure/?from=1993&amp;to=1995&amp;by=source&amp;value=share", "en"),
        ("/fr/expenditure/?from=1993&amp;to=1995&amp;by=source&amp;value=share", "fr"),
        ("/es/expenditure/?from=1993&amp;to=1995&amp;by=source&amp;value=share", "es"),
    ]
    assert 'hreflang="fr" lang="fr" aria-current="true">Français</a>' in html
    history = client.get("/es/expenditure/history/?year=1995&source=undp").content.decode()
    assert switcher(history)[1] == ("/fr/expenditure/history/?year=1995&amp;source=undp", "fr")


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "/fr/approvals/?by=source"),
        ("es-419,es;q=0.9", "/es/approvals/?by=source"),
        ("de-DE,de;q=0.9,es;q=0.5", "/es/approvals/?by=source"),
    ],
)
def test_languages_first_visit_goes_to_the_browsers_language(client, ilo_data, accept_language, location):
    response = client.get("/approvals/?by=source", HTTP_ACCEPT_LANGUAGE=accept_language, **PAGE)
    assert response.status_code == 302
    assert response["Location"] == location
    assert "Accept-Language" in response["Vary"]
    followed = client.get(location, HTTP_ACCEPT_LANGUAGE=accept_language, **PAGE)
    assert followed.cookies["django_language"].value == location[1:3]


def test_languages_english_browsers_and_scripts_stay_at_the_english_address(client, ilo_data):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", **PAGE).status_code == 200
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ja", **PAGE).status_code == 200
    # A script (no text/html in Accept) gets the file it asked for, whatever its language.
    assert client.get("/expenditure.json", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    assert client.get("/expenditure/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_languages_a_chosen_english_is_not_overridden_by_the_browser(client, ilo_data):
    client.get("/fr/", **PAGE)
    assert client.cookies["django_language"].value == "fr"
    # The switcher's English link: the cookie says a language was chosen, so no redirect.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr", **PAGE)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.cookies["django_language"].value == "en"
    assert client.get("/expenditure/", HTTP_ACCEPT_LANGUAGE="fr", **PAGE).status_code == 200


def catalogue_statistics(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_languages_catalogues_translate_every_message_and_none_is_fuzzy():
    for lang in ("fr", "es"):
        statistics = catalogue_statistics(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po")
        assert re.fullmatch(r"\d+ translated messages\.", statistics), (lang, statistics)


def test_languages_catalogues_hold_every_string_of_the_code(tmp_path):
    # makemessages on a copy of the tree: a string added to a template or module without its
    # translation shows up as an untranslated message of the refreshed catalogue.
    for name in ("funding", "templates", "tcdash", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "es", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    for lang in ("fr", "es"):
        statistics = catalogue_statistics(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po")
        assert re.fullmatch(r"\d+ translated messages\.", statistics), (lang, statistics)
