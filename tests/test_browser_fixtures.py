"""The test fixtures themselves: a live server on 127.0.0.1, and migration data that survives a flush.

Each test stands alone: none relies on another having run before it. The order-independence of the
whole suite is shown by a small suite run here in an order that puts plain tests after flushing ones
(and by CI's run of the whole suite in random order).
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from funding.models import Dataset, Source
from tests.conftest import restore_reference_data

ROOT = Path(__file__).resolve().parent.parent


def editors_permissions():
    return sorted(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))


def test_page_reaches_the_live_server_with_the_real_data(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure.json?by=total&from=1995&to=1995")
    assert '"amount": 112930' in page.content()
    assert live_server.url.startswith("http://127.0.0.1:")
    assert page.foreign_requests == []


def test_the_restore_brings_the_code_lists_back_after_a_flush_in_the_browser_session(page, live_server, pytestconfig):
    # Inside Playwright's event loop Django hands out a context-local connection object: the restore
    # the suite runs between tests works on it too (see conftest.django_db_setup).
    sources = list(Source.objects.order_by("pk").values_list("code", flat=True))
    assert (len(sources), Dataset.objects.count()) == (6, 1)
    assert editors_permissions() == ["publish_release", "upload_release"]
    # As a TransactionTestCase flushes: the sequences stay where they are (the flush command alone would
    # restart them, and the restored rows would keep ids the next insert is then given).
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
    assert (Source.objects.count(), Group.objects.count()) == (0, 0)

    restore_reference_data(pytestconfig)

    assert list(Source.objects.order_by("pk").values_list("code", flat=True)) == sources
    assert Dataset.objects.count() == 1
    assert editors_permissions() == ["publish_release", "upload_release"]


INNER_SUITE = """
import pytest
from django.contrib.auth.models import Group
from funding.models import Source

def reference():
    editors = Group.objects.get(name="Editors")
    return Source.objects.count(), sorted(editors.permissions.values_list("codename", flat=True))

EXPECTED = (6, ["publish_release", "upload_release"])

@pytest.mark.django_db
def test_1_plain():
    assert reference() == EXPECTED

@pytest.mark.django_db(transaction=True)
def test_2_commits_and_is_flushed():
    assert reference() == EXPECTED
    Group.objects.all().delete()
    Source.objects.filter(code="undp").update(name="changed")

@pytest.mark.django_db
def test_3_plain_after_a_flush():
    assert reference() == EXPECTED
    assert Source.objects.get(code="undp").name == "UNDP"

def test_4_live_server(live_server):
    assert reference() == EXPECTED

def test_5_live_server_after_a_live_server(live_server):
    assert reference() == EXPECTED

def test_6_no_database():
    pass

def test_7_plain_after_a_flush_and_a_test_without_database(db):
    assert reference() == EXPECTED
"""

INNER_NAMES = [
    "plain",
    "commits_and_is_flushed",
    "plain_after_a_flush",
    "live_server",
    "live_server_after_a_live_server",
    "no_database",
    "plain_after_a_flush_and_a_test_without_database",
]
AS_WRITTEN = """
import pytest

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.name)  # undo pytest-django's "transactional tests last"
"""


@pytest.mark.cost(4)  # a pytest process of its own, migrating its database
def test_plain_tests_after_flushing_ones_find_the_code_lists_and_the_editors_group(tmp_path):
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_SUITE))
    (tmp_path / "as_written.py").write_text(textwrap.dedent(AS_WRITTEN))
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    # The conftest's mechanism is the same on both engines; the inner run uses SQLite (in memory).
    env.update(PYTHONPATH=f"{tmp_path}{os.pathsep}{ROOT}", DATABASE_URL=f"sqlite:///{tmp_path}/inner.sqlite3")
    command = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT)]
    command += ["-p", "tests.conftest", "-p", "as_written", "-p", "no:cacheprovider", "-p", "no:xdist", "-v"]
    result = subprocess.run(
        [*command, str(tmp_path / "test_inner.py")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    ran = [line.split("::")[1].split()[0] for line in result.stdout.splitlines() if " PASSED" in line]
    assert ran == [f"test_{n}_{name}" for n, name in enumerate(INNER_NAMES, start=1)]
