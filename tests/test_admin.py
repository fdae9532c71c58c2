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


def source_form(**given):
    return {"code": "ipec", "name": "IPEC", "name_fr": "", "name_es": "", "order": 9, "colour": "#1F77B4", **given}


def form_errors(response):
    return {field: list(errors) for field, errors in response.context["adminform"].form.errors.items()}


@pytest.mark.parametrize(
    ("given", "errors"),
    [
        ({"code": "all"}, {"code": ["'all' is read as the total in uploads: give the member another name."]}),
        (
            {"name": "Grand total"},
            {"name": ["'Grand total' is read as the total in uploads: give the member another name."]},
        ),
        (
            {"code": "IPEC"},
            {
                "code": [
                    "A code is lower-case letters and digits, words joined by hyphens (for example trust-funds): "
                    "it is written in addresses and files."
                ]
            },
        ),
        ({"name": "Undp"}, {"name": ["'Undp' already names UNDP: in an upload it would be read as that member."]}),
        (
            {"name_fr": "Budget ordinaire (CTBO)"},
            {
                "name_fr": [
                    "'Budget ordinaire (CTBO)' already names Regular budget (RBTC): in an upload it would be read as "
                    "that member."
                ]
            },
        ),
        (
            {"name_es": "FONDOS FIDUCIARIOS  Y MULTIBILATERALES"},
            {
                "name_es": [
                    "'FONDOS FIDUCIARIOS  Y MULTIBILATERALES' already names Trust funds and multi-bi: in an upload it "
                    "would be read as that member."
                ]
            },
        ),
        ({"colour": "red"}, {"colour": ["A colour is written #rrggbb (for example #1f77b4)."]}),
        ({"colour": '#ff"><a'}, {"colour": ["A colour is written #rrggbb (for example #1f77b4)."]}),
    ],
)
def test_admin_refuses_a_member_an_upload_would_read_as_another_or_as_the_total(superuser, ilo_data, given, errors):
    # Uploads read a member by its code or any of its names, case, spaces and accents aside, and
    # `all`, `total`, `_T` (an appendix's "Grand total") as the total.
    before = list(Source.objects.values_list("code", "name"))
    response = admin_client(superuser).post("/admin/funding/source/add/", source_form(**given))
    assert response.status_code == 200
    assert form_errors(response) == errors
    assert list(Source.objects.values_list("code", "name")) == before


def test_admin_adds_a_part_under_a_source_and_the_lists_name_it(superuser):
    client = admin_client(superuser)
    trust_funds = Source.objects.get(code="trust-funds")
    response = client.post("/admin/funding/source/add/", source_form(parent=trust_funds.pk))
    assert response.status_code == 302
    ipec = Source.objects.get(code="ipec")
    assert (ipec.parent, ipec.colour) == (trust_funds, "#1f77b4")
    spec = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in spec["paths"]["/expenditure.json"]["get"]["parameters"]}
    assert parameters["source"]["items"]["enum"] == ["rbtc", "undp", "trust-funds", "unfpa", "ipec", "multi-bi"]


def _parent_errors(client, member, parent):
    data = {
        "name": member.name,
        "name_fr": member.name_fr,
        "name_es": member.name_es,
        "order": member.order,
        "colour": member.colour,
        "parent": parent.pk,
    }
    response = client.post(f"/admin/funding/source/{member.pk}/change/", data)
    member.refresh_from_db()
    return form_errors(response)["parent"] if response.status_code == 200 else response.status_code


def test_admin_keeps_a_code_lists_parts_one_level_deep(superuser):
    client = admin_client(superuser)
    sources = {source.code: source for source in Source.objects.all()}
    assert _parent_errors(client, sources["trust-funds"], sources["trust-funds"]) == [
        "A member cannot be a part of itself."
    ]
    assert _parent_errors(client, sources["undp"], sources["_T"]) == [
        "Every member is part of the total: leave the parent empty."
    ]
    assert _parent_errors(client, sources["undp"], sources["multi-bi"]) == [
        "Multi-bilateral programme is itself a part of Trust funds and multi-bi: a part's parent is a member at "
        "the top of the list."
    ]
    assert _parent_errors(client, sources["trust-funds"], sources["undp"]) == [
        "Trust funds and multi-bi has parts of its own (Multi-bilateral programme), so it cannot be a part."
    ]
    assert dict(Source.objects.values_list("code", "parent__code")) == {
        code: ("trust-funds" if code == "multi-bi" else None) for code in sources
    }


def test_admin_shows_a_code_read_only_once_its_member_exists(superuser):
    client = admin_client(superuser)
    undp = Source.objects.get(code="undp")
    page = parse(client.get(f"/admin/funding/source/{undp.pk}/change/"))
    assert page.xpath('//input[@name="code"]') == []
    assert text(page.xpath('//div[contains(@class, "field-code")]//div[@class="readonly"]')[0]) == "undp"
    data = {"code": "undp-2", "name": undp.name, "order": undp.order, "colour": undp.colour}
    assert client.post(f"/admin/funding/source/{undp.pk}/change/", data).status_code == 302
    undp.refresh_from_db()
    assert undp.code == "undp"
