"""Shared fixtures: the real ILO data, plain static storage, and a headless Chromium."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the ORM calls in the same test are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on 127.0.0.1 itself, so "nothing outside 127.0.0.1" is checkable.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config):
    # `make test` compiles the translations; a bare `pytest` gets them compiled here when a .po is newer.
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)


def pytest_collection_modifyitems(items):
    # A live-server test commits for real and the database is flushed after it; serialized_rollback
    # puts back what the migrations wrote (code lists, the Editors group) for the tests after it.
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the serialized migration data reachable from every connection object.

    Playwright's sync API keeps an event loop running in the test thread, so Django hands the test
    a context-local connection object instead of the thread's, and that one lacks the
    `_test_serialized_contents` that `serialized_rollback` restores after a live-server test has
    flushed the database. Putting the contents on the wrapper class makes them visible to both.
    """
    from django.db import connections

    wrapper = connections["default"]
    contents = getattr(wrapper, "_test_serialized_contents", None)
    if contents is not None:
        type(wrapper)._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture(autouse=True)
def _empty_cache():
    # Test data is rolled back (and some tests write observations directly, with no publish to move
    # the generation on): each test starts with nothing cached.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A fast password hasher: the default one takes about a second a user, for nothing a test checks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Hashed names need `collectstatic`; tests find files through the finders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def editor(db):
    """A member of the Editors group: may upload, publish and withdraw (migration 0003 grants it)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("editor")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def reader(db):
    """A signed-in user with no permission: may read what everyone reads."""
    from django.contrib.auth.models import User

    return User.objects.create_user("reader")


@pytest.fixture
def ilo_data(db):
    """The real published figures, loaded the way `make run` loads them. Returns the release."""
    from funding.models import Release

    call_command("load_ilo_data", verbosity=0)
    return Release.objects.get()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser page that records console errors and every host it asks for."""
    context = chromium.new_context(accept_downloads=True)
    page = context.new_page()
    page.console_errors = []
    page.foreign_requests = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))

    def _check_host(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host != "127.0.0.1":
            page.foreign_requests.append(request.url)

    page.on("request", _check_host)
    page.set_default_timeout(15_000)
    yield page
    context.close()
