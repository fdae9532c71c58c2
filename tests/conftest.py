"""Shared fixtures: the real ILO data, plain static storage, and a headless Chromium."""

import os
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import hypothesis
import pytest
from django.core.servers.basehttp import ThreadedWSGIServer

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
    # The pages of a site share one renderer process, across tabs: see `browser_context`.
    "--process-per-site",
]


# The property tests draw new examples on every run, which is how they find what nobody thought of;
# CI runs them derandomized (HYPOTHESIS_PROFILE=repeatable, as .ci/run sets it), so that a run of CI
# repeats, as its fixed test order does: an example that fails there fails again on a second run.
hypothesis.settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config):
    if config.getoption("shares", False):
        from tests import shares

        config.pluginmanager.register(shares, "tcdash-shares")
    # `make test` compiles the translations; a bare `pytest` gets them compiled here when a .po is newer.
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "-o", str(mo), str(po)], check=True)


# --- Every test starts from the database the migrations made, whatever ran before it ---------------
#
# A test that commits for real (a live server, other processes, `transaction=True`) runs in Django's
# TransactionTestCase, whose teardown empties every table, the code lists and the Editors group the
# data migrations wrote included. Django's answer is `serialized_rollback`: such a test writes those
# rows back when it starts, and Django runs every plain `db` test before the first of them. A random
# order breaks the second half, so here (1) every flushing test gets `serialized_rollback` without its
# module having to ask, and (2) a test that does not restore for itself gets the rows back before it
# starts when a flush has happened since they were last written. One restore per flush, as before.

FLUSHED = {"since_restore": False}


def flushes(item):
    """Whether `item` runs as a TransactionTestCase, whose teardown flushes the database."""
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    fixtures = {"transactional_db", "live_server", "django_db_reset_sequences", "page"}
    return bool(marked) or not fixtures.isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(items):
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        if flushes(item):
            marker = item.get_closest_marker("django_db")
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


# --- In parallel: `make test` runs `pytest -n 2 --shares` (tests/shares.py) --------------------------
#
# Each worker has its own test database (pytest-django adds the worker's name: test_tcdash_gw0), its
# own live server on a port the system gives, its own Chromium and tmp_path; Redis keys carry a
# prefix of their own (tests/test_caching.py). Nothing else is shared between workers.


def pytest_addoption(parser):
    parser.addoption(
        "--shares",
        action="store_true",
        help="with -n N: each worker runs a fixed share of the tests, so that a seed repeats a run exactly",
    )


def restore_reference_data(config):
    """Write back the rows the migrations made (Django's serialisation of them), on the connection in use."""
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    connection = connections["default"]
    with config.stash[blocking_manager_key].unblock():
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
        sequences_past_the_rows(connection)
    FLUSHED["since_restore"] = False


class MigrationRows:
    """The rows the migrations made, read once after they ran, written back into the emptied tables with
    one INSERT a table: what Django's `deserialize_db_from_string` does for `serialized_rollback` and
    `restore_reference_data`, one `save()` an object (some 1,900 of them, permissions and content types
    included: 0.3 s before every flushing test). Where a table is not empty (no flush since the rows were
    last written), Django's own restore runs, which saves over what is there."""

    def __init__(self, connection):
        from django.apps import apps

        self.tables = []  # [(model, [row values as the INSERT sends them])]
        for model in apps.get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy and model._meta.can_migrate(connection):
                fields = model._meta.concrete_fields
                rows = (
                    model._base_manager.using(connection.alias)
                    .order_by("pk")
                    .values_list(*(field.attname for field in fields))
                )
                values = [[f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in rows]
                if values:
                    self.tables.append((model, values))

    def write(self, connection):
        """Whether the rows were written: only into tables that are all empty, in one transaction (the
        foreign keys are deferred to its end on both engines, so the tables' order does not matter)."""
        from django.db import transaction

        if any(model._base_manager.using(connection.alias).exists() for model, _ in self.tables):
            return False
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for model, rows in self.tables:
                fields = model._meta.concrete_fields
                columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
                marks = ", ".join(["%s"] * len(fields))
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        return True


def fast_restore(creation_class, rows):
    """`creation_class.deserialize_db_from_string` writing `rows` back when the tables are empty."""
    django_restore = creation_class.deserialize_db_from_string

    def deserialize_db_from_string(self, data):
        if data is not self.connection._test_serialized_contents or not rows.write(self.connection):
            django_restore(self, data)

    return django_restore, deserialize_db_from_string


def sequences_past_the_rows(connection):
    """On PostgreSQL, every id sequence moved past its table's rows. The restore writes the rows back
    with their ids and leaves the sequences where they were: after a flush that restarted them, the
    next insert (a region a test adds, a data migration's row) would be given an id already taken."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name = 'id' AND pg_get_serial_sequence(quote_ident(table_name), 'id') IS NOT NULL"
        )
        for (table,) in cursor.fetchall():
            name = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {name}",  # noqa: S608
                [name],
            )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before the test's fixtures (so before a plain test's transaction begins). A flushing test restores
    # the rows itself as it starts (serialized_rollback).
    if flushes(item):
        FLUSHED["since_restore"] = False
    elif FLUSHED["since_restore"]:
        restore_reference_data(item.config)


def pytest_runtest_teardown(item):
    if flushes(item):
        FLUSHED["since_restore"] = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Make the serialized migration data reachable from every connection object.

    Playwright's sync API keeps an event loop running in the test thread, so Django hands the test
    a context-local connection object instead of the thread's, and that one lacks the
    `_test_serialized_contents` that `serialized_rollback` restores after a live-server test has
    flushed the database. Putting the contents on the wrapper class makes them visible to both.
    The restore itself writes the rows read here, one INSERT a table (MigrationRows).
    """
    from django.db import connections

    wrapper = connections["default"]
    contents = getattr(wrapper, "_test_serialized_contents", None)
    creation_class = type(wrapper.creation)
    django_restore = creation_class.deserialize_db_from_string
    if contents is not None:
        type(wrapper)._test_serialized_contents = contents
        with django_db_blocker.unblock():
            rows = MigrationRows(wrapper)
        django_restore, creation_class.deserialize_db_from_string = fast_restore(creation_class, rows)
    yield django_db_setup
    creation_class.deserialize_db_from_string = django_restore
    FLUSHED["since_restore"] = False


@pytest.fixture(autouse=True)
def _default_language():
    # A test that renders or reverses in French or Spanish outside a request (activate, a command) must
    # not leave the language on for the tests after it: each starts and ends in the default one.
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Test data is rolled back (and some tests write observations directly, with no publish to move
    # the generation on): each test starts with nothing cached.
    from django.core.cache import cache

    from funding.selectors import KEPT_CODE_LISTS

    cache.clear()
    KEPT_CODE_LISTS.clear()  # kept by generation, which a rolled-back test puts back as it was


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # A fast password hasher: the default one takes about a second a user, for nothing a test checks.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Hashed names need `collectstatic`; tests find files through the finders instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise reads the headers of every file under STATIC_ROOT when a handler is built, that is for
    # every test Client: 0.1 s each once `collectstatic` has run (800 files). Looking a file up when it
    # is asked for is the same answer; `make serve`'s test serves the collected files for real.
    settings.WHITENOISE_AUTOREFRESH = True


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
def ilo_data(request, db):
    """The real published figures, loaded the way `make run` loads them. Returns the release.

    A worker runs `load_ilo_data` once, and writes its rows again for the tests after, flushing ones
    included (tests/shipped_release.py says when and how)."""
    from funding.models import Release
    from tests.shipped_release import load_ilo_data

    load_ilo_data(request)
    return Release.objects.get()


class NoDelayServer(ThreadedWSGIServer):
    """Django's test server with Nagle's algorithm off on each connection. It writes a response's
    headers and body as separate small packets; on a kept-alive connection the second waited for
    the client's delayed ACK, 40 ms a request (Chromium's, and the fuzzer's, requests all keep alive)."""

    def get_request(self):
        sock, address = super().get_request()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, address


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server (on DJANGO_LIVE_TEST_SERVER_ADDRESS), answering without that delay."""
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer(
        request.config.getvalue("liveserver") or os.environ["DJANGO_LIVE_TEST_SERVER_ADDRESS"], start=False
    )
    server.thread.server_class = NoDelayServer
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(chromium, live_server):
    """The worker's one browser context, and a page it keeps open on the live server.

    A context of its own made each browser test pay for a renderer process and for compiling
    plotly.js again: about 1 s of Chromium's time before the first chart, against 0.3 s for the
    next page. Pages of one context and site share a renderer process (--process-per-site), and the
    kept page keeps it running between tests, with plotly.js compiled; `page` empties the context
    before each test. A test that needs settings of a context (headers, routes, permissions) makes
    its own, as test_explorer_copied_address_reproduces_the_view_in_a_fresh_page does."""
    context = chromium.new_context(accept_downloads=True)
    kept = context.new_page()
    # A static file: no database, no request log. Its /favicon.ico is answered here: on the live
    # server it would be a 404 page rendered before a test has set the static storage tests use.
    kept.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    kept.goto(f"{live_server.url}/static/css/site.css")
    yield context, kept
    context.close()


@pytest.fixture
def page(browser_context, live_server):
    """A fresh browser page that records console errors and every host it asks for.

    It opens in the worker's context emptied of what earlier tests left: no cookies, storage, cached
    responses or permissions, no other page but the kept one."""
    context, kept = browser_context
    context.clear_cookies()
    context.clear_permissions()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.clearBrowserCache")
    cdp.send("Storage.clearDataForOrigin", {"origin": live_server.url, "storageTypes": "all"})
    cdp.detach()
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
    for other in context.pages:
        if other is not kept:
            other.close()
