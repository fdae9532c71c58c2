"""The browser fixtures themselves: a live server on 127.0.0.1, and migration data that survives it.

Each test stands alone: none relies on another having run before it.
"""

from django.core.management import call_command
from django.db import connections

from funding.models import Dataset, Source


def test_page_reaches_the_live_server_with_the_real_data(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure.json?by=total&from=1995&to=1995")
    assert '"amount": 112930' in page.content()
    assert live_server.url.startswith("http://127.0.0.1:")
    assert page.foreign_requests == []


def test_code_lists_come_back_after_the_flush_that_ends_a_live_server_test(page, live_server):
    # What serialized_rollback does between two live-server tests, done here in one: flush the
    # database, then restore the migrations' rows from the connection the test is handed (inside
    # Playwright's event loop, a context-local one: see conftest.django_db_setup).
    connection = connections["default"]
    contents = connection._test_serialized_contents
    assert Source.objects.count() == 6 and Dataset.objects.count() == 1
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert Source.objects.count() == 0
    connection.creation.deserialize_db_from_string(contents)
    assert Source.objects.count() == 6
    assert Dataset.objects.count() == 1
