"""The server log: a client error in one line, a server error with its traceback, and each upload, publish and
withdrawal in one line."""

import hashlib
import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.exception import response_for_exception
from django.test import RequestFactory

from funding.models import Release
from tests.markup import one, parse


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


def release_lines(caplog):
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records if r.name == "funding.releases"]


def test_each_upload_publish_and_withdrawal_is_a_line_of_the_log_accepted_or_refused(client, editor, ilo_data, caplog):
    caplog.set_level(logging.INFO, logger="funding.releases")
    client.force_login(editor)
    header = "measure,year,source,region,amount_usd_thousands\n"
    refused = (header + 'expenditure,1995,undp,_T,"5\nERROR forged"\n').encode()  # no cell may start a line
    client.post("/releases/upload/", {"file": SimpleUploadedFile("bad.csv", refused), "number_format": "1,234.5"})
    accepted = (header + "expenditure,1995,undp,_T,31210\n").encode()
    response = client.post(
        "/releases/upload/", {"file": SimpleUploadedFile("fix.csv", accepted), "number_format": "1,234.5"}
    )
    draft = Release.objects.get(state=Release.State.DRAFT)
    assert response.url == f"/releases/{draft.pk}/"
    fingerprint = one(parse(client.get(response.url)), '//input[@name="fingerprint"]').get("value")
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": fingerprint})
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": fingerprint})  # sent again
    client.post(f"/releases/{draft.pk}/withdraw/", {"note": "wrong year"})
    checksum = hashlib.sha256(accepted).hexdigest()[:16]
    assert release_lines(caplog) == [
        f"INFO upload of 'bad.csv' ({len(refused)} bytes, SHA-256 {hashlib.sha256(refused).hexdigest()[:16]}) by editor"
        " refused: 1 problem(s), the first: Row 2, column amount_usd_thousands: '5\\nERROR forged' is not a number"
        " in the format 1,234.5.",
        f"INFO upload of 'fix.csv' ({len(accepted)} bytes, SHA-256 {checksum}) by editor: draft release {draft.pk},"
        " 0 new, 1 changed, 0 unchanged",
        f"INFO release {draft.pk} published by editor: 0 new, 1 changed",
        f"INFO publish of release {draft.pk} by editor: Release {draft.pk} is already published; nothing changed.",
        f"INFO release {draft.pk} withdrawn by editor: 1 values withdrawn, 1 earlier values restored",
    ]
