"""When a release was published and withdrawn is read from its events, and every page, the admin and
every export shows that same moment (the release keeps no copy of it)."""

import re
import subprocess
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from funding.models import Release, ReleaseEvent
from funding.services import create_draft, publish_draft, withdraw_release
from tests.factories import NEW_1992
from tests.markup import one, parse, words

PUBLISHED = datetime(1998, 3, 2, 11, 7, 45, tzinfo=UTC)
WITHDRAWN = datetime(1998, 4, 6, 8, 15, tzinfo=UTC)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dated(ilo_data):
    """The real release, published at a known moment (as the event records it)."""
    ReleaseEvent.objects.filter(release=ilo_data, action="publish").update(at=PUBLISHED)
    return ilo_data


def test_with_dates_reads_both_moments_from_the_events_in_one_query(dated, editor, django_assert_num_queries):
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)
    later, _ = publish_draft(release=draft, user=editor)
    withdraw_release(release=later, user=editor)
    ReleaseEvent.objects.filter(release=later, action="publish").update(at=PUBLISHED.replace(month=4))
    ReleaseEvent.objects.filter(release=later, action="withdraw").update(at=WITHDRAWN)
    with django_assert_num_queries(1):
        rows = [(r.pk, r.published_at, r.withdrawn_at) for r in Release.objects.with_dates().order_by("pk")]
    assert rows == [(dated.pk, PUBLISHED, None), (later.pk, PUBLISHED.replace(month=4), WITHDRAWN)]


def test_history_and_withdraw_page_show_the_publish_moment(dated, editor):
    client = signed_in(editor)
    assert "Published 2 March 1998 11:07 UTC" in words(client.get("/releases/"))
    withdraw = words(client.get(f"/releases/{dated.pk}/withdraw/"))
    assert f"({dated.file_name}), published 2 March 1998 11:07 UTC: 156 new values and 0 changed values." in withdraw


@pytest.mark.parametrize(
    ("prefix", "published"),
    [
        ("/fr", "publiée le 2 mars 1998 11:07 UTC : 156 nouvelles valeurs et 0 valeur modifiée."),
        ("/es", "publicada el 2 marzo 1998 11:07 UTC: 156 valores nuevos y 0 valores modificados."),
    ],
)
def test_withdraw_page_gives_each_count_its_own_plural(dated, editor, prefix, published):
    # French counts 0 as one ("0 valeur modifiée"), Spanish as many ("0 valores modificados").
    assert published in words(signed_in(editor).get(f"{prefix}/releases/{dated.pk}/withdraw/"))


def test_cell_history_shows_the_publish_moment(client, dated):
    page = client.get("/expenditure/history/?year=1995&source=undp")
    assert page.status_code == 200
    assert [v["published_at"] for v in page.context["values"]] == [PUBLISHED]
    assert "2 March 1998 11:07 UTC" in words(page)


@pytest.mark.parametrize(
    ("language", "moment"),
    [("", "2 March 1998 11:07 UTC"), ("/fr", "2 mars 1998 11:07 UTC"), ("/es", "2 marzo 1998 11:07 UTC")],
)
def test_every_page_writes_the_publish_moment_the_one_way_of_its_language(client, dated, language, moment):
    # The figure's record wrote "1998-03-02 11:07" in every language, the printed release line
    # "March 2, 1998" in English, and the release record "2 March 1998 11:07 UTC".
    record = parse(client.get(f"{language}/expenditure/history/?year=1995&source=undp"))
    [published] = record.xpath('//table[caption/@id="history-caption"]/tbody/tr/td[2]')
    assert words(published) == moment
    [cover] = record.xpath('//div[@class="print-cover"]/p[1]')
    assert words(cover).endswith(f" {moment}")
    assert f" {moment}" in words(one(parse(client.get(f"{language}/releases/")), f'//tr[@id="release-{dated.pk}"]'))


def test_admin_lists_each_release_with_its_publish_moment(dated):
    client = signed_in(User.objects.create_superuser("root", email=""))
    page = client.get("/admin/funding/release/?o=5")  # ordered by the publish moment
    assert page.status_code == 200
    cell = one(parse(page), '//td[contains(concat(" ", @class, " "), " field-published_at ")]')
    assert words(cell) == "March 2, 1998, 11:07 a.m."


def test_exports_cite_the_release_with_its_publish_moment(client, dated):
    package = client.get("/datapackage.json").json()
    assert package["created"] == "1998-03-02T11:07:45Z"
    assert package["release"]["published_at"] == "1998-03-02T11:07:45Z"
    meta = client.get("/expenditure.json?from=1995&to=1995").json()["meta"]
    assert meta["releases"] == [
        {"id": dated.pk, "title": dated.shown_title, "published_at": "1998-03-02T11:07:45+00:00"}
    ]


def test_briefing_pack_names_the_live_release_and_its_publish_date(client, dated, tmp_path):
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(client.get("/briefing.pdf?from=1995&to=1996").content)
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Release {dated.pk}: {dated.shown_title}, published 2 March 1998 11:07 UTC" in re.sub(r"\s+", " ", printed)


def test_upload_of_a_published_file_names_the_moment_it_was_published(ilo_data, editor):
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)
    release, _ = publish_draft(release=draft, user=editor)
    ReleaseEvent.objects.filter(release=release, action="publish").update(at=PUBLISHED)
    page = signed_in(editor).post(
        "/releases/upload/", {"file": SimpleUploadedFile("again.csv", NEW_1992), "number_format": "1,234.5"}
    )
    assert f"identical (same SHA-256) to release {release.pk}, published 2 March 1998 11:07 UTC." in words(page)
