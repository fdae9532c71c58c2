"""The browser fixtures themselves: a live server on 127.0.0.1, and migration data that survives it."""

from funding.models import Dataset, Source


def test_page_reaches_the_live_server_with_the_real_data(page, live_server, ilo_data):
    page.goto(f"{live_server.url}/expenditure.json?by=total&from=1995&to=1995")
    assert '"amount": 112930' in page.content()
    assert live_server.url.startswith("http://127.0.0.1:")
    assert page.foreign_requests == []


def test_code_lists_survive_the_flush_after_a_live_server_test(page, live_server):
    # Runs after the test above has flushed the database: serialized rollback put the rows back.
    assert Source.objects.count() == 5
    assert Dataset.objects.count() == 1
