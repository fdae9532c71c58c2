"""Every URL the resolver knows x anonymous, signed in, editor, superuser x GET and POST.

The URLs come from `get_resolver()`, never from a list, so a URL added later is in the matrix the
day it is added. Each one is given real arguments (a release, a draft, an object of the admin's
model). The guarantees: no request ever ends in a 5xx (but SDMX's 501 "not implemented" where it is
the documented answer); a request by someone without the permission makes the database run no
INSERT, UPDATE, DELETE or DDL (sessions and the sign-in throttle's records aside); and with CSRF
checks on, a POST without its token is refused whoever sends it and changes no row of any table.
"""

import hashlib
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import Group, User
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from funding.importers import DEFAULT_NUMBER_FORMAT
from funding.models import Release
from funding.sdmx.model import AGENCY, FLOW, VERSION
from funding.services import create_draft
from tests.factories import NEW_1992

# Rows that change with any visit, signed in or not: sessions, and the sign-in throttle's records.
BOOKKEEPING = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
BOOKKEEPING_TABLES = {apps.get_model(label)._meta.db_table for label in BOOKKEEPING}
# The 5xx that are answers, not failures: SDMX's 501 for a resource of SDMX 2.1 not served (README).
NOT_IMPLEMENTED = {("funding:sdmx-not-served", 501)}
# A statement that changes rows (of the table it names) or tables.
WRITE = re.compile(
    r"""\s*(?:
        (?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+["`]?(?P<inserted>\w+)
        | UPDATE\s+["`]?(?P<updated>\w+)
        | DELETE\s+FROM\s+["`]?(?P<deleted>\w+)
        | CREATE\b | DROP\b | ALTER\b | TRUNCATE\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
SAMPLE = {
    "flow": FLOW,
    "agency": AGENCY,
    "artefact_id": FLOW,
    "version": VERSION,
    "kind": "dataflow",
    "resource": "availableconstraint",
    "key": "all",
    "provider": "all",
    "uidb64": "MQ",
    "token": "set-password",
    "app_label": "funding",
    "url": "no-such-admin-page/",
    "content_type_id": "1",
}


def leaf_patterns(patterns=None, prefix="", namespace=""):
    """(route with its prefixes, full name, pattern) for every URL pattern, depth first."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from leaf_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        else:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}" if namespace else (pattern.name or "")
            yield prefix + str(pattern.pattern), name, pattern


def _admin_object_id(name):
    """The pk of the first object of the model an admin URL name is about (admin:funding_release_change)."""
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(change|delete|history)", name)
    if not match:
        return "1"
    model = apps.get_model(match[1], match[2])
    first = model._default_manager.order_by("pk").first()
    return str(first.pk) if first else "1"


ARGUMENT = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


# An optional part of a regular expression (`sdmx(?:/[\s\S]*)?`, the SDMX catch-all): left out.
OPTIONAL_PART = re.compile(r"\(\?:[^()]*\)\?")


def fill(route, name, pk):
    """A route (`releases/<int:pk>/`, or the admin's regular expressions) with real arguments."""

    def argument(match):
        key = match["name"] or match["group"]
        if key == "pk":
            return str(pk)
        if key == "object_id":
            return _admin_object_id(name)
        return SAMPLE.get(key, "1" if match["conv"] in ("int", None) else "x")

    route = OPTIONAL_PART.sub("", route.replace("^", "").replace("$", "").replace("\\Z", ""))
    return "/" + ARGUMENT.sub(argument, route)


def concrete_paths(*, release_pks):
    """Every pattern as a request path; a pattern with a release pk once per release given."""
    paths = []
    for route, name, _ in leaf_patterns():
        for pk in release_pks if "<int:pk>" in route else [None]:
            paths.append((fill(route, name, pk), name))
    return paths


def database_digest():
    """A digest of every row of every table but the bookkeeping ones."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in BOOKKEEPING:
            continue
        for row in model._default_manager.order_by("pk").values_list():
            # PostgreSQL hands binary columns back as memoryview, whose repr is its address.
            digest.update(repr([bytes(v) if isinstance(v, memoryview) else v for v in row]).encode())
    return digest.hexdigest()


@pytest.fixture
def people(ilo_data, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    editor = User.objects.create_user("amina")
    editor.groups.add(Group.objects.get(name="Editors"))
    _, draft = create_draft(
        data=NEW_1992, file_name="new-1992.csv", number_format=DEFAULT_NUMBER_FORMAT, note="", user=editor
    )
    return {
        "anonymous": None,
        "signed in": User.objects.create_user("visitor"),
        "editor": editor,
        "superuser": User.objects.create_superuser("root"),
        "releases": [ilo_data.pk, draft.pk],
    }


def client_for(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def fresh_clients_for(user):
    """A maker of clients signed in as `user`, each with a session of its own holding what
    `force_login` puts in one. The sign-in happens once: each one cycles a session key, writes
    last_login and the sign-in throttle's access log, 10 ms that a sweep of some 270 requests paid
    on every one of them."""
    if user is None:
        return Client
    signed_in = Client()
    signed_in.force_login(user)
    contents = dict(signed_in.session.items())
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def client():
        session = store()
        session.update(contents)
        session.save()
        fresh = Client()
        fresh.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
        return fresh

    probe = HttpRequest()
    probe.session = client().session
    assert get_user(probe) == user  # the copied session signs the client in, as force_login's does
    return client


def test_the_matrix_covers_every_url_pattern(people):
    patterns = list(leaf_patterns())
    paths = concrete_paths(release_pks=people["releases"])
    with_pk = sum("<int:pk>" in route for route, _, _ in patterns)
    assert len(paths) == len(patterns) + with_pk
    assert len(patterns) > 90  # the admin's, the sign-in's and the product's
    published, draft = people["releases"]
    assert (f"/releases/{draft}/publish/", "funding:publish") in paths
    assert (f"/admin/funding/release/{published}/change/", "admin:funding_release_change") in paths


def test_options_answers_the_allow_of_the_405_at_every_url(people):
    # The sign-in page answered OPTIONS "GET, POST, PUT, HEAD, OPTIONS" (its class's own methods) and
    # PUT 405 "GET, HEAD, OPTIONS, POST".
    client = Client()
    answered = {}
    for path, name in concrete_paths(release_pks=people["releases"]):
        put, options = client.put(path), client.options(path)
        assert put.status_code in (404, 405), path
        assert options.get("Allow") == put.get("Allow"), path
        if put.status_code == 405:
            assert options.status_code == (200 if "OPTIONS" in put["Allow"].split(", ") else 405), path
        answered[name] = options.status_code, options.get("Allow")
    assert answered["login"] == (200, "GET, HEAD, OPTIONS, POST")
    assert answered["logout"] == (200, "OPTIONS, POST")
    assert answered["funding:upload"] == (405, "GET, HEAD, POST")
    assert answered["funding:expenditure-json"] == (405, "GET, HEAD")


class Writes:
    """Every statement that writes to a table other than the bookkeeping ones, as the connection runs it."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        table = match and (match["inserted"] or match["updated"] or match["deleted"] or "").lower()
        if match and table not in BOOKKEEPING_TABLES:
            self.statements.append(sql)
        return execute(sql, params, many, context)


@pytest.mark.cost(3)  # about 200 requests
@pytest.mark.parametrize("who", ["anonymous", "signed in", "editor", "superuser"])
def test_no_url_answers_a_5xx_and_nobody_writes_without_the_permission(people, who):
    user = people[who]
    # Editors may publish and withdraw, superusers may change anything: for them only "no 5xx".
    may_write = who in {"editor", "superuser"}
    failures = []
    fresh_client = fresh_clients_for(user)  # signing in writes last_login: before the statements are watched
    for path, name in concrete_paths(release_pks=people["releases"]):
        for method in ["GET", "POST"]:
            client = fresh_client()  # a new session each time: a POST may sign out or change it
            writes = Writes()
            with connection.execute_wrapper(writes):
                response = getattr(client, method.lower())(path)
                if response.streaming:  # read to the end, as a client does (a stream could fail half-way),
                    b"".join(response.streaming_content)  # which closes it (the test client's wrapper)
            if response.status_code >= 500 and (name, response.status_code) not in NOT_IMPLEMENTED:
                failures.append(f"{method} {path} ({name}): {response.status_code}")
            if not may_write and writes.statements:
                failures.append(f"{method} {path} ({name}) by {who} wrote: {writes.statements[0][:120]}")
    assert failures == []


def test_anonymous_visitors_are_sent_to_sign_in_and_visitors_without_the_permission_refused(people):
    draft = people["releases"][1]
    for path in ["/releases/upload/", f"/releases/{draft}/", f"/releases/{draft}/file/"]:
        response = client_for(None).get(path)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/accounts/login/"), path
        assert client_for(people["signed in"]).get(path).status_code == 403, path
        assert client_for(people["editor"]).get(path).status_code == 200, path
    for path in [f"/releases/{draft}/publish/", f"/releases/{people['releases'][0]}/withdraw/"]:
        assert client_for(people["signed in"]).post(path).status_code == 403, path
    assert Release.objects.get(pk=draft).state == Release.State.DRAFT


@pytest.mark.parametrize("who", ["anonymous", "superuser"])
def test_every_post_without_its_csrf_token_is_refused(people, who):
    failures = []
    client = client_for(people[who], enforce_csrf_checks=True)  # signing in writes last_login: before the digest
    before = database_digest()
    for path, name in concrete_paths(release_pks=people["releases"]):
        response = client.post(path, {"note": "x", "fingerprint": "x"})
        # 403: the CSRF check; 405: the URL takes no POST at all.
        if response.status_code not in (403, 405):
            failures.append(f"POST {path} ({name}): {response.status_code}")
    assert failures == []
    assert database_digest() == before
