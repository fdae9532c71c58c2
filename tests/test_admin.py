"""Django admin: code lists changed by superusers only; releases, observations and events read-only."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from funding.models import Source
from funding.services import create_draft
from tests.factories import NEW_1992, release_contents_read
from tests.markup import parse, text


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", email="")


def admin_client(user):
    client = Client()
    client.force_login(user)
    return client


def test_admin_lets_a_superuser_rename_a_source(superuser):
    client = admin_client(superuser)
    undp = Source.objects.get(code="undp")
    page = client.get(f"/admin/funding/source/{undp.pk}/change/")
    assert page.status_code == 200
    data = {
        "code": "undp",
        "name": "UNDP (United Nations Development Programme)",
        "name_fr": undp.name_fr,
        "order": undp.order,
        "colour": undp.colour,
        "parent": "",
    }
    assert client.post(f"/admin/funding/source/{undp.pk}/change/", data).status_code == 302
    undp.refresh_from_db()
    assert undp.name == "UNDP (United Nations Development Programme)"
    assert client.get(f"/admin/funding/source/{undp.pk}/delete/").status_code == 403


def test_admin_hides_code_lists_from_staff_who_are_not_superusers(db):
    staff = User.objects.create_user("staff", is_staff=True)
    assert admin_client(staff).get("/admin/funding/source/").status_code == 403


def test_admin_shows_releases_and_observations_read_only(superuser, ilo_data):
    client = admin_client(superuser)
    page = client.get(f"/admin/funding/release/{ilo_data.pk}/change/")
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()  # shown, not editable
    assert "file_bytes" not in page.content.decode()
    assert client.get("/admin/funding/release/add/").status_code == 403
    assert client.get(f"/admin/funding/release/{ilo_data.pk}/delete/").status_code == 403
    assert client.get("/admin/funding/observation/").status_code == 200
    assert client.get("/admin/funding/observation/add/").status_code == 403
    assert client.get("/admin/funding/releaseevent/").status_code == 200


def test_admin_shows_an_events_facts_read_only_and_in_words(superuser, ilo_data):
    from funding.models import ReleaseEvent

    client = admin_client(superuser)
    event = ReleaseEvent.objects.get(release=ilo_data, action="publish")
    facts = "amount: 0, changed: 0, new: 156, provenance: 0, status: 0, unchanged: 0"
    words = "156 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 0 unchanged"
    listing = text(parse(client.get("/admin/funding/releaseevent/")))
    assert words in listing
    page = client.get(f"/admin/funding/releaseevent/{event.pk}/change/")
    assert page.status_code == 200
    shown = text(parse(page))
    assert f"Facts: {facts}" in shown and f"Record: {words}" in shown
    assert 'name="facts"' not in page.content.decode()  # shown, not editable
    inline = text(parse(client.get(f"/admin/funding/release/{ilo_data.pk}/change/")))
    assert facts in inline and words in inline


def test_admin_reads_no_releases_file_nor_a_drafts_kept_rows(superuser, ilo_data):
    # A 100,000-row draft keeps 29 MB of rows (decoded whole when read): the release list, a draft's
    # page and the events' and observations' lists showed none of it, yet decoded every draft's.
    draft = create_draft(data=NEW_1992, file_name="1992.csv", user=superuser)[1]
    client = admin_client(superuser)
    for url in (
        "/admin/funding/release/",
        f"/admin/funding/release/{draft.pk}/change/",
        "/admin/funding/releaseevent/",
        "/admin/funding/observation/",
    ):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        assert release_contents_read(queries) == [], url
    assert "1992.csv" in text(parse(client.get("/admin/funding/release/")))


def test_admin_lists_each_value_in_its_measures_unit_as_every_page_shows_it(superuser, ilo_data):
    # The column holds a value x 1000 (whole dollars for money): listed raw, UNDP's 1990 share of 45.9
    # per cent read 45900 and the 1995 regular budget 12426000, beside pages that say 45.9% and 12,426.
    client = admin_client(superuser)

    def rows(query):
        page = parse(client.get(f"/admin/funding/observation/?{query}"))
        return [[text(cell) for cell in row.xpath("./td")] for row in page.xpath('//table[@id="result_list"]/tbody/tr')]

    undp, rbtc = (Source.objects.get(code=code).pk for code in ("undp", "rbtc"))
    share = rows(f"measure__exact=expenditure-share&year=1990&source__id__exact={undp}")
    assert [row[5:7] for row in share] == [["45.9", "Percentage of the year's total"]]
    money = rows(f"measure__exact=expenditure&year=1995&source__id__exact={rbtc}")
    assert ["12,426", "Thousands of US dollars"] in [row[5:7] for row in money]
    assert "12426000" not in text(parse(client.get("/admin/funding/observation/?year=1995")))
