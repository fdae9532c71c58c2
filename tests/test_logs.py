"""The server log: a client error in one line, a server error with its traceback."""

import logging

from django.core.handlers.exception import response_for_exception
from django.test import RequestFactory


def request_lines(caplog):
    """What the console handler writes for each django.request record, as the server log shows it."""
    formatter = logging.Formatter("%(levelname)s %(message)s")
    return [formatter.format(r) for r in caplog.records if r.name == "django.request"]


def test_a_403_is_logged_in_one_line_without_its_traceback(client, reader, caplog):
    client.force_login(reader)
    assert client.get("/releases/upload/").status_code == 403
    assert request_lines(caplog) == ["WARNING GET /releases/upload/ 403"]


def test_a_404_is_logged_in_one_line(client, db, caplog):
    assert client.get("/no-such-page/").status_code == 404
    assert request_lines(caplog) == ["WARNING GET /no-such-page/ 404"]


def test_a_path_cannot_start_a_line_of_the_log(client, db, caplog):
    client.get("/no-such-page/%0AERROR forged/")
    assert request_lines(caplog) == ["WARNING GET /no-such-page/\\nERROR forged/ 404"]


def test_a_500_is_logged_with_its_traceback(settings, caplog):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    request = RequestFactory().get("/expenditure/")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError as exc:
        response = response_for_exception(request, exc)
    assert response.status_code == 500
    [line] = request_lines(caplog)
    assert line.startswith("ERROR Internal Server Error: /expenditure/\nTraceback (most recent call last):\n")
    assert line.endswith("RuntimeError: the database went away")


def test_a_host_not_allowed_is_logged_in_one_line_without_its_traceback(client, db, caplog):
    response = client.get("/", HTTP_HOST="scanner.example")
    assert response.status_code == 400
    formatter = logging.Formatter("%(levelname)s %(message)s")
    lines = [formatter.format(r) for r in caplog.records if r.name.startswith("django.security")]
    assert lines == [
        "ERROR Invalid HTTP_HOST header: 'scanner.example'. You may need to add 'scanner.example' to ALLOWED_HOSTS."
    ]
