"""Release pages: who may do what, the upload-preview-publish-withdraw flow, files and templates."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from funding.importers import TEMPLATE_HEADER
from funding.models import Observation, Release
from funding.services import create_draft, publish_draft
from tests.factories import (
    HEADER,
    HOSTILE_FILES,
    NEW_1992,
    counts,
    figure_row,
    header_row,
    live,
    raw_xlsx,
    release_contents_read,
)
from tests.markup import one, parse, text, words

NBSP = "\u00a0"

TWO_ERRORS = (
    HEADER + "expenditure,1992,rbtc,_T,17000,published,GB.X\nexpenditure,1992,ubdp,_T,-70000,published,\n"
).encode()


@pytest.fixture
def draft(ilo_data, editor):
    return create_draft(data=NEW_1992, file_name="1992.csv", note="GB.X annex", user=editor)[1]


def client_for(user, **kwargs):
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def upload(client, data, name="figures.csv", number_format="1,234.5", note=""):
    return client.post(
        "/releases/upload/",
        {"file": SimpleUploadedFile(name, data), "number_format": number_format, "note": note},
    )


def fingerprint(response):
    return one(parse(response), '//input[@name="fingerprint"]').get("value")


def problems(response):
    """(row, column, message) of every problem the upload page lists."""
    return [tuple(words(cell) for cell in row.xpath("td")) for row in parse(response).xpath('//tr[@class="problem"]')]


# --- Who may do what ------------------------------------------------------------------------------


def requests(draft, published):
    """(method, url, data, what an editor gets) for every URL that needs a permission."""
    return [
        ("get", "/releases/upload/", None, 200),
        ("post", "/releases/upload/", {"number_format": "1,234.5"}, 200),
        ("get", f"/releases/{draft.pk}/", None, 200),
        ("get", f"/releases/{draft.pk}/file/", None, 200),
        ("post", f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint}, 302),
        ("get", f"/releases/{published.pk}/withdraw/", None, 200),
        ("post", f"/releases/{published.pk}/withdraw/", {"note": ""}, 302),
    ]


@pytest.mark.parametrize("index", range(7))
def test_release_urls_send_anonymous_visitors_to_sign_in(index, draft, ilo_data):
    method, url, data, _ = requests(draft, ilo_data)[index]
    before = counts()
    response = getattr(Client(), method)(url, data or {})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    assert counts() == before


@pytest.mark.parametrize("index", range(7))
def test_release_urls_refuse_users_without_the_permission(index, draft, ilo_data, reader):
    method, url, data, _ = requests(draft, ilo_data)[index]
    before = counts()
    response = getattr(client_for(reader), method)(url, data or {})
    assert response.status_code == 403
    assert "Uploading, publishing and withdrawing figures is for members of the Editors group" in (
        response.content.decode()
    )
    assert counts() == before


@pytest.mark.parametrize("index", range(7))
def test_release_urls_work_for_editors(index, draft, ilo_data, editor):
    method, url, data, expected = requests(draft, ilo_data)[index]
    response = getattr(client_for(editor), method)(url, data or {})
    assert response.status_code == expected


def test_publish_refuses_get(draft, editor):
    assert client_for(editor).get(f"/releases/{draft.pk}/publish/").status_code == 405


def test_history_is_public_but_drafts_names_and_files_are_for_editors(draft, reader, editor):
    for user in (None, reader):
        page = client_for(user).get("/releases/")
        assert page.status_code == 200
        assert "GB.X annex" not in words(page)  # the draft's note
        assert "ILO published figures" in words(page)
        assert "/file/" not in page.content.decode()
        assert " by editor" not in words(page)
        assert "Upload figures" not in words(page)
    page = client_for(editor).get("/releases/")
    assert "GB.X annex" in words(page)
    assert f"/releases/{draft.pk}/file/" in page.content.decode()
    assert "Uploaded" in words(page) and "by editor" in words(page)
    assert "Upload figures" in words(page)


def test_history_costs_a_fixed_number_of_queries(draft, editor, django_assert_num_queries):
    client = client_for(editor)
    client.get("/releases/")
    for _ in range(3):
        create_draft(data=NEW_1992 + f"approvals,199{_},_T,_T,5,published,\n".encode(), file_name="x.csv", user=editor)
    # Session, user, permissions x2, releases, events, and the generation the footer's papers are kept under.
    with django_assert_num_queries(7):
        response = client.get("/releases/")
    assert words(response).count("Upload of x.csv") == 3


def test_history_reads_no_drafts_file_nor_its_kept_rows(draft, editor):
    # A 100,000-row draft keeps 29 MB of rows as checked: three of them made the editors' history
    # decode them all, 10 s and 300 MB, to list their titles.
    client = client_for(editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/releases/")
    assert f"/releases/{draft.pk}/file/" in page.content.decode()
    assert release_contents_read(queries) == []


def test_a_releases_file_is_downloaded_without_reading_its_kept_rows(draft, editor):
    with CaptureQueriesContext(connection) as queries:
        response = client_for(editor).get(f"/releases/{draft.pk}/file/")
    assert response.content == NEW_1992
    assert [sql for sql in release_contents_read(queries) if '"checked"' in sql] == []


def test_an_uploads_title_is_in_the_readers_language_whoever_uploaded_it(draft, editor, client):
    # Uploaded from /fr/ or not, the release is titled after its file in the words of whoever reads it.
    client_for(editor).post(f"/fr/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    titles = {
        lang: text(
            one(
                parse(client.get(f"{prefix}/releases/")),
                f'//tr[@id="release-{draft.pk}"]//div[@class="release__title"]',
            )
        )
        for lang, prefix in (("en", ""), ("fr", "/fr"), ("es", "/es"))
    }
    assert titles == {"en": "Upload of 1992.csv", "fr": "Téléversement de 1992.csv", "es": "Carga de 1992.csv"}
    meta = client.get("/fr/expenditure.json?from=1992&to=1992").json()["meta"]
    assert [r["title"] for r in meta["releases"]] == ["Téléversement de 1992.csv"]
    with translation.override("en"):
        assert draft.title == "" and Release.objects.get(pk=draft.pk).shown_title == "Upload of 1992.csv"


def test_posts_need_the_csrf_token(draft, editor):
    client = client_for(editor, enforce_csrf_checks=True)
    before = counts()
    assert upload(client, NEW_1992 + b"approvals,1991,_T,_T,5,published,\n").status_code == 403
    assert client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint}).status_code == 403
    assert client.post(f"/releases/{draft.pk - 1}/withdraw/", {}).status_code == 403
    assert counts() == before
    client.get("/releases/upload/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == "published"


# --- The flow -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [
        ("", "The file was not accepted: more than 200 problems"),
        ("/fr", "Le fichier n'a pas été accepté : plus de 200 problèmes"),
    ],
)
def test_a_list_of_problems_cut_short_is_headed_by_the_problems_it_lists_and_says_there_are_more(
    ilo_data, editor, prefix, heading
):
    # 5,000 junk rows: 200 problems listed, then one closing line counting the other rows, which is not
    # a problem of its own (it was counted: "201 problems").
    client = client_for(editor)
    data = b"measure,year,source,region,amount\n" + b"x\n" * 5_000
    response = client.post(
        f"{prefix}/releases/upload/",
        {"file": SimpleUploadedFile("junk.csv", data), "number_format": "1,234.5", "note": ""},
    )
    assert words(one(parse(response), '//h2[@id="problems-title"]')) == heading
    listed = problems(response)
    assert len(listed) == 201 and listed[-1][:2] == ("—", "—")
    assert listed[-1][2].startswith("... and 4,960 more rows with problems (not listed)" if not prefix else "...")


def test_upload_shows_every_problem_with_its_row_and_column_and_changes_nothing(ilo_data, editor):
    before = counts()
    response = upload(client_for(editor), TWO_ERRORS)
    assert response.status_code == 200
    assert problems(response) == [
        (
            "3",
            "source",
            "Unknown source of funds 'ubdp'. Known codes: rbtc, undp, trust-funds, unfpa, multi-bi, or _T for all.",
        ),
        ("3", "amount_usd_thousands", "'-70000' is negative; amounts cannot be negative."),
    ]
    assert "The file was not accepted: 2 problems" in words(response)
    assert counts() == before


def test_upload_refuses_a_file_over_the_limit(ilo_data, editor, settings):
    settings.UPLOAD_MAX_BYTES = 100
    before = counts()
    response = upload(client_for(editor), NEW_1992)
    assert response.status_code == 200
    assert "The file is 300 bytes; the limit is 100 bytes." in words(response)
    assert counts() == before


def test_upload_preview_publish_makes_the_new_year_live(ilo_data, editor):
    client = client_for(editor)
    response = upload(client, NEW_1992, name="1992.csv", note="GB.X annex")
    assert response.status_code == 302
    draft = Release.objects.get(state="draft")
    assert response["Location"] == f"/releases/{draft.pk}/"
    assert client.get("/expenditure.json?from=1992&to=1992").json()["rows"] == []

    preview = client.get(response["Location"])
    assert "5 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 0 unchanged values." in words(preview)
    assert "Adds up" in words(preview)
    response = client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": fingerprint(preview)})
    assert response.status_code == 302 and response["Location"] == "/releases/"
    rows = client.get("/expenditure.json?from=1992&to=1992").json()["rows"]
    assert [(r["year"], r["amount"], r["document"]) for r in rows] == [(1992, 156000, "GB.X")]
    history = client.get("/releases/")
    assert f"Release {draft.pk} is published: 5 new values and 0 changed values are live." in words(history)


PUBLISHED_ONE_NEW_NONE_CHANGED = {
    "en": "Release {number} is published: 1 new value and 0 changed values are live.",
    "fr": "La publication {number} est publiée : 1 nouvelle valeur et 0 valeur modifiée sont en ligne.",
    "es": "La publicación {number} está publicada: 1 valor nuevo y 0 valores modificados están en línea.",
}
PUBLISHED_NONE_NEW_TWO_CHANGED = {
    "en": "Release {number} is published: 0 new values and 2 changed values are live.",
    "fr": "La publication {number} est publiée : 0 nouvelle valeur et 2 valeurs modifiées sont en ligne.",
    "es": "La publicación {number} está publicada: 0 valores nuevos y 2 valores modificados están en línea.",
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_publish_message_gives_each_count_its_own_plural(ilo_data, editor, language):
    # One count chose the plural of both ("0 valeurs nouvelles et 2 modifiées", "1 valor nuevo y 0
    # modificado"); French counts 0 as one, Spanish as many.
    client = client_for(editor)
    prefix = "" if language == "en" else f"/{language}"
    total = (HEADER + "expenditure,1992,_T,_T,156000,published,GB.X\n").encode()
    one_new = create_draft(data=total, file_name="total.csv", user=editor)[1]
    page = client.post(
        f"{prefix}/releases/{one_new.pk}/publish/", {"fingerprint": one_new.base_fingerprint}, follow=True
    )
    assert PUBLISHED_ONE_NEW_NONE_CHANGED[language].format(number=one_new.pk) in words(page)
    publish_draft(release=create_draft(data=NEW_1992, file_name="1992.csv", user=editor)[1], user=editor)
    changed = NEW_1992.replace(b"17000", b"17001").replace(b"70000", b"69999")
    two_changed = create_draft(data=changed, file_name="b.csv", user=editor)[1]
    page = client.post(
        f"{prefix}/releases/{two_changed.pk}/publish/", {"fingerprint": two_changed.base_fingerprint}, follow=True
    )
    assert PUBLISHED_NONE_NEW_TWO_CHANGED[language].format(number=two_changed.pk) in words(page)


def test_preview_shows_restated_years_and_ambiguous_numbers(ilo_data, editor):
    client = client_for(editor)
    data = (
        HEADER + "expenditure,1995,rbtc,_T,13426,published,\nexpenditure,1995,undp,_T,30211,published,\n"
        "approvals,1991,_T,_T,12.426,published,\n"
    ).encode()
    preview = client.get(upload(client, data)["Location"])
    page = words(preview)
    assert "This file restates published figures for: Expenditure 1995." in page
    assert "12,426 13,426 +8.0%" in page
    assert "31,211 30,211 -3.2%" in page
    assert "12.426 12.426 12426 in 1.234,5" in page


def test_preview_names_the_unit_of_each_measure_not_always_dollars(ilo_data, editor):
    client = client_for(editor)
    data = (HEADER + "recipients,1992,_T,_T,140,published,GB.Y\n").encode()
    preview = client.get(upload(client, data)["Location"])
    assert words(one(parse(preview), '//caption[@id="changes-caption"]')) == "Recipient countries: countries."


def test_preview_of_an_unchanged_export_offers_nothing_to_publish(ilo_data, editor):
    client = client_for(editor)
    export = client.get("/expenditure.csv?by=source&by=region&from=1990&to=1997")
    assert export.status_code == 200
    data = b"".join(export.streaming_content) if export.streaming else export.content
    assert data.decode("utf-8-sig").splitlines()[0] == ",".join((*TEMPLATE_HEADER, "unit"))
    preview = client.get(upload(client, data, name="expenditure.csv")["Location"])
    assert "0 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 51 unchanged values." in words(preview)
    assert (
        "Nothing to publish: every value in this file, with its status, document, document URL and note, "
        "is already live." in words(preview)
    )
    assert not parse(preview).xpath('//input[@name="fingerprint"]')


def test_upload_of_a_published_file_creates_nothing(ilo_data, editor):
    client = client_for(editor)
    draft = Release.objects.get(pk=upload(client, NEW_1992)["Location"].split("/")[2])
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    before = counts()
    response = upload(client, NEW_1992, name="again.csv")
    assert response.status_code == 200
    assert f"It is identical (same SHA-256) to release {draft.pk}" in words(response)
    assert counts() == before


def test_publish_of_a_stale_preview_asks_to_preview_again(ilo_data, editor):
    client = client_for(editor)
    first = create_draft(data=NEW_1992, file_name="a.csv", user=editor)[1]
    second = create_draft(
        data=NEW_1992.replace(b"17000", b"17001").replace(b"70000", b"69999"), file_name="b.csv", user=editor
    )[1]
    client.post(f"/releases/{first.pk}/publish/", {"fingerprint": first.base_fingerprint})
    before = counts()
    response = client.post(f"/releases/{second.pk}/publish/", {"fingerprint": second.base_fingerprint}, follow=True)
    assert response.redirect_chain == [(f"/releases/{second.pk}/", 302)]
    assert "The published figures changed since this file was previewed. Preview it again." in words(response)
    assert "0 new, 2 changed (2 amounts, 0 statuses, 0 provenance only), 3 unchanged values." in words(response)
    assert counts() == before
    response = client.post(f"/releases/{second.pk}/publish/", {"fingerprint": fingerprint(response)})
    assert response["Location"] == "/releases/"


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(lambda draft: {"fingerprint": draft.base_fingerprint}, id="the same form again"),
        pytest.param(lambda draft: {"fingerprint": "0" * 64}, id="a form of another preview"),
        pytest.param(lambda draft: {}, id="no fingerprint"),
    ],
)
def test_publish_of_a_release_already_published_says_so_and_changes_nothing(draft, editor, form):
    # A second tab, or the form sent again: the release went live with the first.
    client = client_for(editor)
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    before = counts(), list(Release.objects.values_list("pk", "state"))
    response = client.post(f"/releases/{draft.pk}/publish/", form(draft), follow=True)
    assert response.redirect_chain == [(f"/releases/{draft.pk}/", 302)]
    assert f"Release {draft.pk} is already published; nothing changed." in words(response)
    assert "incomplete" not in words(response) and "only a draft" not in words(response)
    assert (counts(), list(Release.objects.values_list("pk", "state"))) == before


def test_publish_of_a_withdrawn_release_says_it_was_withdrawn(draft, editor):
    client = client_for(editor)
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    client.post(f"/releases/{draft.pk}/withdraw/", {"note": ""})
    before = counts()
    response = client.post(f"/releases/{draft.pk}/publish/", {}, follow=True)
    assert f"Release {draft.pk} is withdrawn; only a draft is published." in words(response)
    assert counts() == before


def test_publish_by_the_uploader_is_refused_when_the_office_requires_another(draft, editor, settings):
    settings.REQUIRE_SEPARATE_PUBLISHER = True
    response = client_for(editor).post(
        f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint}, follow=True
    )
    assert "someone other than the person who uploaded a file publishes it" in words(response)
    draft.refresh_from_db()
    assert draft.state == "draft"


def test_the_uploaders_preview_says_another_must_publish_and_offers_no_button(draft, editor, settings):
    from django.contrib.auth.models import Group, User

    settings.REQUIRE_SEPARATE_PUBLISHER = True
    preview = parse(client_for(editor).get(f"/releases/{draft.pk}/"))
    assert preview.xpath('//form[contains(@class, "publish-form")]') == []
    for who in (None, editor):  # the history of releases is read by everyone, under the rule too
        assert client_for(who).get("/releases/").status_code == 200
    notice = "This office requires that someone other than the person who uploaded a file publishes it."
    assert notice in [text(p) for p in preview.xpath('//p[@class="notice"]')]
    colleague = User.objects.create_user("colleague")
    colleague.groups.add(Group.objects.get(name="Editors"))
    preview = parse(client_for(colleague).get(f"/releases/{draft.pk}/"))
    assert len(preview.xpath('//form[contains(@class, "publish-form")]//button')) == 1
    assert notice not in words(client_for(colleague).get(f"/releases/{draft.pk}/"))


def test_withdraw_restores_the_values_and_the_history_shows_both_events(draft, editor):
    client = client_for(editor)
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    confirm = client.get(f"/releases/{draft.pk}/withdraw/")
    assert f"Withdraw release {draft.pk}?" in words(confirm)
    response = client.post(f"/releases/{draft.pk}/withdraw/", {"note": "wrong annex"}, follow=True)
    assert f"Release {draft.pk} is withdrawn" in words(response)
    assert client.get("/expenditure.json?from=1992&to=1992").json()["rows"] == []
    assert "Withdrawn (" not in words(one(parse(response), f'//tr[@id="release-{draft.pk}"]'))
    published = r"Published .*? by editor: 5 new, 0 changed \(0 amounts, 0 statuses, 0 provenance only\), 0 unchanged"
    assert re.search(published, words(response))
    assert re.search(
        r"Withdrawn .*? by editor: 5 values withdrawn, 0 earlier values restored: wrong annex", words(response)
    )
    assert client.post(f"/releases/{draft.pk}/withdraw/", {}, follow=True).redirect_chain == [("/releases/", 302)]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("", "The note holds a control character (U+0007) at character 1; remove it (it cannot be shown or printed)."),
        ("/fr", "La note contient un caractère de contrôle (U+0007)"),
    ],
)
def test_withdraw_note_is_held_to_the_upload_notes_rule(draft, editor, language, message):
    # A withdrawal's reason took the U+0007 an upload's note refused, and the history printed it raw.
    client = client_for(editor)
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    response = client.post(f"{language}/releases/{draft.pk}/withdraw/", {"note": "\x07bad"})
    assert response.status_code == 200
    assert message in text(one(parse(response), '//div[@class="field-error"]'))
    assert Release.objects.get(pk=draft.pk).state == "published"
    assert "\x07" not in client.get("/releases/").content.decode()
    lines = {"note": "line one\nline two"}  # a note may have line breaks, as an upload's may
    assert client.post(f"/releases/{draft.pk}/withdraw/", lines).status_code == 302
    assert Release.objects.get(pk=draft.pk).events.get(action="withdraw").detail == "line one\nline two"


def test_withdraw_confirmed_by_two_editors_at_once_tells_the_second_it_is_withdrawn(draft, editor, monkeypatch):
    from django.contrib.auth.models import User

    from funding.services import withdraw_release
    from funding.views import releases as release_views

    colleague = User.objects.create_user("colleague")
    client = client_for(editor)
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    assert f"Withdraw release {draft.pk}?" in words(client.get(f"/releases/{draft.pk}/withdraw/"))

    def after_the_colleague(**kwargs):
        # The colleague's confirmation takes the lock first, after this one's view read the release
        # as published: the withdrawal, under the lock, finds it withdrawn.
        withdraw_release(release=Release.objects.get(pk=draft.pk), user=colleague, note="theirs")
        return withdraw_release(**kwargs)

    monkeypatch.setattr(release_views, "withdraw_release", after_the_colleague)
    response = client.post(f"/fr/releases/{draft.pk}/withdraw/", {"note": "mine"}, follow=True)
    assert response.redirect_chain == [("/fr/releases/", 302)]
    assert (
        words(one(parse(response), '//ul[@class="messages"]'))
        == f"La publication {draft.pk} est à l'état « retirée » ; seule une publication publiée peut être retirée."
    )
    events = Release.objects.get(pk=draft.pk).events.filter(action="withdraw")
    assert [(e.by, e.detail) for e in events] == [(colleague, "theirs")]


def test_release_file_is_the_uploaded_bytes(draft, editor):
    response = client_for(editor).get(f"/releases/{draft.pk}/file/")
    assert response.content == NEW_1992
    assert response["Content-Disposition"] == 'attachment; filename="1992.csv"'
    assert response["X-Checksum-SHA256"] == draft.checksum


def test_templates_are_public_and_upload_unchanged(ilo_data, editor):
    csv_response = Client().get("/releases/template.csv")
    assert csv_response.status_code == 200
    assert csv_response.content.decode().splitlines()[0] == ",".join(TEMPLATE_HEADER)
    xlsx_response = Client().get("/releases/template.xlsx")
    assert xlsx_response.content[:4] == b"PK\x03\x04"
    import pandas as pd

    sheets = pd.read_excel(io.BytesIO(xlsx_response.content), sheet_name=None, engine="calamine", dtype=str)
    assert list(sheets) == ["Figures", "Codes and notes"]
    client = client_for(editor)
    for name, data in (("template.csv", csv_response.content), ("template.xlsx", xlsx_response.content)):
        preview = client.get(upload(client, data, name=name)["Location"])
        assert "0 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 5 unchanged values." in words(preview)


def test_unknown_release_is_404(editor, db):
    assert client_for(editor).get("/releases/9999/").status_code == 404


def test_navigation_links_releases_for_everyone_and_upload_for_editors(ilo_data, reader, editor):
    for user in (None, reader):
        page = parse(client_for(user).get("/releases/"))
        assert words(one(page, '//a[@href="/releases/"][@aria-current="page"]')) == "Releases"
        assert not page.xpath('//a[@href="/releases/upload/"]')
    page = parse(client_for(editor).get("/releases/"))
    assert "Upload" in [words(link) for link in page.xpath('//a[@href="/releases/upload/"]')]


def test_sign_in_page_signs_an_editor_in_and_explains_a_wrong_password(editor):
    editor.set_password("tc-figures-2026!")
    editor.save()
    client = Client()
    page = client.get("/accounts/login/?next=/releases/upload/")
    assert "Signing in is for PROPAR/TEC staff" in words(page)
    wrong = client.post("/accounts/login/", {"username": "editor", "password": "nope", "next": "/releases/upload/"})
    assert "Please enter a correct username and password." in words(wrong)
    right = client.post(
        "/accounts/login/", {"username": "editor", "password": "tc-figures-2026!", "next": "/releases/upload/"}
    )
    assert right["Location"] == "/releases/upload/"


def zip_bomb():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (40 * 1024 * 1024))
    return out.getvalue()


BAD_FILES = [
    ("empty.csv", b"", "The file is empty."),
    ("figures.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file, not .pdf."),
    ("garbage.csv", b"\x00\x01\x02\xff\xfe", "The file is not a CSV file: it holds binary data, not text."),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "The workbook is password-protected"),
    ("bomb.xlsx", None, "the file looks like a zip bomb and was not read."),
    ("m.csv", HEADER.encode() + b"spending,1992,_T,_T,5,published,\n", "Unknown measure 'spending'."),
    ("y.csv", HEADER.encode() + b"expenditure,1850,_T,_T,5,published,\n", "The year 1850 is outside 1950-"),
    ("n.csv", HEADER.encode() + b"expenditure,1992,_T,_T,n/a,published,\n", "'n/a' is not a number in the format"),
    (
        "d.csv",
        HEADER.encode() + b"expenditure,1992,_T,_T,5,published,\nexpenditure,1992,all,total,6,published,\n",
        "This is the same figure as row 2",
    ),
    ("t.csv", HEADER.encode() + b"expenditure,1995,rbtc,_T,20000,published,\n", "add up to 120,505, but the total is"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_upload_of_a_bad_file_says_why_and_changes_nothing(name, data, message, ilo_data, editor):
    before = counts()
    response = upload(client_for(editor), zip_bomb() if data is None else data, name=name)
    assert response.status_code == 200
    assert message in words(response)
    assert counts() == before


# --- Hostile files and provenance (issue 9) ---------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "row", "column", "message"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_upload_of_a_hostile_file_is_refused_with_its_message_and_writes_nothing(
    name, data, row, column, message, ilo_data, editor
):
    before = counts()
    response = upload(client_for(editor), data() if callable(data) else data, name=name)
    assert response.status_code == 200
    assert problems(response) == [(str(row) if row else "—", column or "—", message)]
    assert counts() == before


def test_upload_one_byte_over_the_limit_says_both_sizes_to_the_byte(ilo_data, editor, settings):
    settings.UPLOAD_MAX_BYTES = 5_242_880
    before = counts()
    response = upload(client_for(editor), b"x" * 5_242_881)
    assert "The file is 5,242,881 bytes (5.0 MB); the limit is 5,242,880 bytes (5.0 MB)." in words(response)
    assert counts() == before


def test_preview_of_a_draft_does_not_read_its_file_again(draft, editor):
    Release.objects.filter(pk=draft.pk).update(file_bytes=b"not a file of figures any more")
    preview = client_for(editor).get(f"/releases/{draft.pk}/")
    assert "5 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 0 unchanged values." in words(preview)
    assert len(parse(preview).xpath('//*[@class="change change--new"]')) == 5


def test_preview_of_a_changed_document_shows_it_before_and_after(ilo_data, editor):
    client = client_for(editor)
    data = (
        b"measure,year,source,region,amount,status,document,document_url\n"
        b"expenditure,1995,rbtc,_T,12426,published,GB.273/TC/1 (Nov 1998) Appendix I table A,https://www.ilo.org/a.pdf\n"
    )
    preview = client.get(upload(client, data)["Location"])
    page = words(preview)
    assert "0 new, 1 changed (0 amounts, 0 statuses, 1 provenance only), 0 unchanged values." in page
    assert (
        "Provenance changed Expenditure 1995 Regular budget (RBTC) All regions All countries All types of input "
        "12,426 12,426 "
        "published document URL: http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm → "
        "https://www.ilo.org/a.pdf" in page
    )
    assert "Columns not in the file (what is on record is kept): note ." in page
    assert fingerprint(preview) == preview.context["publish_form"].initial["fingerprint"]


def test_preview_writes_each_difference_and_field_as_the_language_does(ilo_data, editor):
    # The difference was "{{ Decimal }}%" and the field "montant: ": "-1,4%", "-0,0%" and an English colon
    # in a French page, where every other percentage reads "-1,4 %" (tables, summaries, charts).
    client = client_for(editor)
    data = (
        b"measure,year,source,region,amount\n"
        b"expenditure,1993,undp,_T,58660\n"
        b"expenditure,1994,undp,_T,38000\n"
        b"expenditure,1994,rbtc,_T,9816\n"
    )
    location = upload(client, data)["Location"]
    rows = parse(client.get("/fr" + location)).xpath('//tr[contains(@class, "change--amount")]')
    cells = [[text(cell) for cell in row.xpath("td")] for row in rows]
    assert [(row[0], row[10], row[12]) for row in cells] == [
        # A change that one decimal writes "0,0 %" is written to its first digit: it is no "no change".
        ("2", f"-0,002{NBSP}%", f"montant : 58{NBSP}661 → 58{NBSP}660"),
        ("3", f"-1,4{NBSP}%", f"montant : 38{NBSP}522 → 38{NBSP}000"),
        ("4", f"+5,6{NBSP}%", f"montant : 9{NBSP}294 → 9{NBSP}816"),
    ]
    english = parse(client.get(location)).xpath('//tr[contains(@class, "change--amount")]')
    assert [[text(cell) for cell in row.xpath("td")][10:13:2] for row in english] == [
        ["-0.002%", "amount: 58,661 → 58,660"],
        ["-1.4%", "amount: 38,522 → 38,000"],
        ["+5.6%", "amount: 9,294 → 9,816"],
    ]


def test_release_file_downloads_under_its_accented_name(ilo_data, editor):
    draft = create_draft(data=NEW_1992, file_name="dépenses été.csv", user=editor)[1]
    response = client_for(editor).get(f"/releases/{draft.pk}/file/")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''d%C3%A9penses%20%C3%A9t%C3%A9.csv"
    assert response.content == NEW_1992


def test_a_stored_javascript_url_is_never_a_link(ilo_data, client):
    Observation.objects.current().filter(year=1995, measure="expenditure").update(
        document_url="javascript:alert(document.domain)"
    )
    for url in ("/", "/expenditure/?from=1995&to=1995", "/expenditure/history/?year=1995&source=rbtc"):
        page = client.get(url).content.decode()
        assert "javascript:" not in page.split("<body", 1)[1].replace("javascript:alert(document.domain)</", "")
        assert 'href="javascript' not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "document",
            "GB.1\x07\x1b bell",
            "The document holds a control character (U+0007) at character 5; remove it (it cannot be shown "
            "or printed).",
        ),
        ("document_url", "javascript:alert(1)", None),
        (
            "note",
            "from \x1b here",
            "The note holds a control character (U+001B) at character 6; remove it (it cannot be shown or printed).",
        ),
    ],
)
def test_upload_form_holds_its_texts_to_the_rule_of_the_files_columns(client, ilo_data, editor, field, value, message):
    # A document with a control character went live from the form (the file's column refused it) and
    # made every SDMX-ML answer citing it ill-formed XML.
    client.force_login(editor)
    data = b"source,source_name,region,region_name,amount_1992,status_1992\n_T,All sources,_T,All regions,5,published\n"
    before = counts()
    response = client.post(
        "/releases/upload/",
        {
            "file": SimpleUploadedFile("figures.csv", data),
            "number_format": "1,234.5",
            "measure": "expenditure",
            field: value,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors == [message] if message else len(errors) == 1
    assert counts() == before


def published_on_the_page(client, editor, *files):
    """Each file (CSV bytes) uploaded by `editor` and published through its page, one after the other:
    their releases."""
    releases = []
    for n, data in enumerate(files):
        draft = create_draft(data=data, file_name=f"{n}.csv", user=editor)[1]
        client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
        releases.append(draft)
    return releases


@pytest.mark.parametrize(
    ("language", "added", "replaced"),
    [
        (
            "",
            "is withdrawn: its values are no longer shown, and no earlier value was restored.",
            "is withdrawn: 2 earlier values it replaced are live again.",
        ),
        (
            "/fr",
            "est retirée : ses valeurs ne sont plus affichées, et aucune valeur antérieure n'a été rétablie.",
            "est retirée : 2 valeurs antérieures qu'elle remplaçait sont de nouveau affichées.",
        ),
        (
            "/es",
            "está retirada: sus valores ya no se muestran, y no se ha restablecido ningún valor anterior.",
            "está retirada: 2 valores anteriores que reemplazaba vuelven a mostrarse.",
        ),
    ],
)
def test_withdraw_message_says_how_many_earlier_values_came_back(ilo_data, editor, language, added, replaced):
    # A release that only added values was said to bring back "the values it replaced", while its
    # record said "0 earlier values restored".
    client = client_for(editor)
    moved = (HEADER + "expenditure,1995,rbtc,_T,12500,published,\nexpenditure,1995,undp,_T,31137,published,\n").encode()
    new, changed = published_on_the_page(client, editor, NEW_1992, moved)
    response = client.post(f"{language}/releases/{new.pk}/withdraw/", {"note": ""}, follow=True)
    message = words(one(parse(response), '//*[contains(@class, "messages")]'))
    assert message.endswith(f" {new.pk} {added}")
    response = client.post(f"{language}/releases/{changed.pk}/withdraw/", {"note": ""}, follow=True)
    message = words(one(parse(response), '//*[contains(@class, "messages")]'))
    assert message.endswith(f" {changed.pk} {replaced}")
    assert changed.events.get(action="withdraw").facts == {"withdrawn": 2, "restored": 2}


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "",
            "is withdrawn: 2 earlier values it replaced are live again, and 5 values that replaced none are no longer"
            " shown.",
        ),
        (
            "/fr",
            "est retirée : 2 valeurs antérieures qu'elle remplaçait sont de nouveau affichées, et 5 valeurs qui n'en"
            " remplaçaient aucune ne sont plus affichées.",
        ),
        (
            "/es",
            "está retirada: 2 valores anteriores que reemplazaba vuelven a mostrarse, y 5 valores que no reemplazaban"
            " ninguno ya no se muestran.",
        ),
    ],
)
def test_withdraw_message_counts_the_values_gone_with_nothing_in_their_place(ilo_data, editor, language, message):
    # A release adding 1992 and moving 74 from UNDP to RBTC in 1995 was said only to bring back the
    # 2 values it replaced, not that its 5 figures for 1992 were gone from every page.
    client = client_for(editor)
    moved = "expenditure,1995,rbtc,_T,12500,published,\nexpenditure,1995,undp,_T,31137,published,\n"
    [mixed] = published_on_the_page(client, editor, NEW_1992 + moved.encode())
    response = client.post(f"{language}/releases/{mixed.pk}/withdraw/", {"note": ""}, follow=True)
    assert words(one(parse(response), '//*[contains(@class, "messages")]')).endswith(f" {mixed.pk} {message}")
    assert mixed.events.get(action="withdraw").facts == {"withdrawn": 7, "restored": 2}
    assert not Observation.objects.current().filter(year=1992).exists()
    assert live(1995, "undp").amount == 31211000


def test_a_withdrawal_the_later_figures_disagree_with_is_refused_on_the_page(ilo_data, editor):
    # A moves 74 from UNDP to RBTC; B, since, 100 from UNFPA to UNDP: withdrawn alone, A would leave
    # the 1995 sources 73 short of their total.
    client = client_for(editor)
    a = (HEADER + "expenditure,1995,rbtc,_T,12500,published,\nexpenditure,1995,undp,_T,31137,published,\n").encode()
    b = (HEADER + "expenditure,1995,undp,_T,31237,published,\nexpenditure,1995,unfpa,_T,8166,published,\n").encode()
    first, _ = published_on_the_page(client, editor, a, b)
    before = counts()
    response = client.post(f"/fr/releases/{first.pk}/withdraw/", {"note": "wrong"}, follow=True)
    assert response.redirect_chain == [("/fr/releases/", 302)]
    assert f"La publication {first.pk} n'est pas retirée" in words(response)
    assert counts() == before


STATED_HEAD = "measure,year,source,region,amount_usd_thousands,status,document,note\n"


def test_upload_of_a_lowered_stated_share_without_its_residual_is_refused_naming_the_value_to_give(ilo_data, editor):
    # GB.Y restates UNDP's 1990 share as 44.9: the regular budget's derived share must become 9.7.
    client = client_for(editor)
    before = counts()
    response = upload(client, (STATED_HEAD + "expenditure-share,1990,undp,_T,44.9,rounded,GB.Y,\n").encode())
    assert response.status_code == 200
    assert problems(response) == [
        (
            "2",
            "amount_usd_thousands",
            "The stated shares of expenditure by sources of funds for 1990 (UNDP: 44.9; Trust funds and multi-bi: "
            "37.8; UNFPA: 7.6) leave 9.7 of 100 per cent, but the share of Regular budget (RBTC), derived as what "
            "they leave, is 8.7. A file that changes a stated share restates the residual in the same file: give "
            "the share of Regular budget (RBTC) for 1990 as 9.7. (Values not in the file are the live ones.)",
        )
    ]
    assert counts() == before
    shares = client.get("/expenditure.json?by=source&value=share&from=1990&to=1990").json()["rows"]
    assert [(r["source"], r["share"]) for r in shares] == [
        ("rbtc", 8.7), ("undp", 45.9), ("trust-funds", 37.8), ("unfpa", 7.6)
    ]  # fmt: skip


def test_upload_of_a_lowered_stated_share_with_its_residual_previews_both_and_publishes_them(ilo_data, editor):
    client = client_for(editor)
    data = (
        STATED_HEAD + "expenditure-share,1990,undp,_T,44.9,rounded,GB.Y,\n"
        "expenditure-share,1990,rbtc,_T,9.7,derived,GB.Y,not stated: what UNDP (44.9) and the others leave of 100\n"
    ).encode()
    response = upload(client, data)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = words(preview)
    assert "0 new, 2 changed (2 amounts, 0 statuses, 0 provenance only), 0 unchanged values." in page
    assert "45.9 44.9 -2.2% rounded amount: 45.9 → 44.9" in page
    assert "8.7 9.7 +11.5% derived amount: 8.7 → 9.7" in page
    draft = Release.objects.get(state="draft")
    assert client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": fingerprint(preview)})["Location"] == (
        "/releases/"
    )
    shares = client.get("/expenditure.json?by=source&value=share&from=1990&to=1990").json()["rows"]
    assert [(r["source"], r["share"], r["status"], r["document"]) for r in shares] == [
        ("rbtc", 9.7, "derived", "GB.Y"),
        ("undp", 44.9, "rounded", "GB.Y"),
        ("trust-funds", 37.8, "rounded", "GB.270/TC/2 (Nov 1997), para. 18"),
        ("unfpa", 7.6, "rounded", "GB.270/TC/2 (Nov 1997), para. 18"),
    ]


def test_upload_of_a_stated_share_raised_past_what_its_residual_leaves_is_refused_in_french(ilo_data, editor):
    client = client_for(editor)
    before = counts()
    data = (
        STATED_HEAD
        + "expenditure-share,1990,undp,_T,55,rounded,GB.Y,\nexpenditure-share,1990,rbtc,_T,0,derived,GB.Y,\n"
    )
    response = client.post(
        "/fr/releases/upload/", {"file": SimpleUploadedFile("f.csv", data.encode()), "number_format": "1,234.5"}
    )
    assert response.status_code == 200
    assert problems(response) == [
        (
            "2",
            "amount_usd_thousands",
            "Les parts indiquées des dépenses par sources de financement pour 1990 (PNUD : 55 ; Fonds de dépôt et "
            "financement multi-bilatéral : 37,8 ; FNUAP : 7,6) font au total 100,4 pour cent, plus de 100 : elles "
            "ne laissent rien à la part de Budget ordinaire (CTBO), dérivée comme ce qu'elles laissent des 100 pour "
            "cent. Abaissez les parts indiquées dans le même fichier, ou donnez la part de Budget ordinaire (CTBO) "
            "pour 1990 telle qu'un document l'indique, avec un autre statut que « dérivée ». (Les valeurs absentes "
            "du fichier sont celles en ligne.)",
        )
    ]
    assert counts() == before


def test_a_withdrawal_that_would_leave_a_wrong_residual_is_refused_on_the_page(ilo_data, editor):
    # A raises UNDP's 1990 share to 46.9 (the residual to 7.7); B, since, UNFPA's to 8.6 (the residual to
    # 6.7). Withdrawn alone, A would leave the residual at 6.7 beside the 45.9 it brings back.
    client = client_for(editor)
    # No status column: each value keeps its status on record (the residual stays derived).
    head = "measure,year,source,region,amount_usd_thousands,note\n"
    residual = "not stated: what the stated shares leave of 100"
    a = (head + f"expenditure-share,1990,undp,_T,46.9,stated\nexpenditure-share,1990,rbtc,_T,7.7,{residual}\n").encode()
    b = (head + f"expenditure-share,1990,unfpa,_T,8.6,stated\nexpenditure-share,1990,rbtc,_T,6.7,{residual}\n").encode()
    first, _ = published_on_the_page(client, editor, a, b)
    before = counts()
    response = client.post(f"/releases/{first.pk}/withdraw/", {"note": "wrong"}, follow=True)
    assert response.redirect_chain == [("/releases/", 302)]
    assert (
        f"Release {first.pk} is not withdrawn: the figures it would bring back do not agree with those published "
        "since. The stated shares of expenditure by sources of funds for 1990 (UNDP: 45.9; Trust funds and multi-bi: "
        "37.8; UNFPA: 8.6) leave 7.7 of 100 per cent, but the share of Regular budget (RBTC), derived as what they "
        "leave, is 6.7." in words(response)
    )
    assert counts() == before
    shares = client.get("/expenditure.json?by=source&value=share&from=1990&to=1990").json()["rows"]
    assert [(r["source"], r["share"]) for r in shares] == [
        ("rbtc", 6.7), ("undp", 46.9), ("trust-funds", 37.8), ("unfpa", 8.6)
    ]  # fmt: skip


SHIPPED = {
    "": ("ILO published figures shipped with tcdash", "The real published figures shipped with tcdash."),
    "/fr": (
        "Chiffres publiés par l'OIT, fournis avec tcdash",
        "Les chiffres effectivement publiés, fournis avec tcdash.",
    ),
    "/es": (
        "Cifras publicadas por la OIT, incluidas en tcdash",
        "Las cifras efectivamente publicadas, incluidas en tcdash.",
    ),
}


@pytest.mark.parametrize("prefix", list(SHIPPED))
def test_the_shipped_figures_title_and_note_read_in_the_readers_language(client, ilo_data, editor, prefix):
    title, note = SHIPPED[prefix]
    history = parse(client.get(f"{prefix}/releases/"))
    assert text(one(history, '//div[@class="release__title"]')) == title
    assert text(history.xpath('//td[@class="wrap-cell"]')[0]) == note
    page = parse(client_for(editor).get(f"{prefix}/releases/{ilo_data.pk}/"))
    assert text(one(page, "//h1")).endswith(f": {title}")
    assert note in words(page)
    # What the figures say of their release: the print line, the exports' About, the data package.
    assert f"{title}, " in text(parse(client.get(f"{prefix}/")).xpath('//div[@class="print-cover"]/p')[0])
    assert client.get(f"{prefix}/expenditure.json").json()["meta"]["releases"][0]["title"] == title
    # The data package is in English on every site, as its files are (tests/test_datapackage.py).
    assert client.get(f"{prefix}/datapackage.json").json()["release"]["title"] == SHIPPED[""][0]


def test_french_preview_of_a_table_as_read_separates_its_caption_s_parts_the_french_way(ilo_data, editor):
    client = client_for(editor)
    export = client.get("/expenditure.csv?by=source&layout=wide&from=1993&to=1994")
    data = b"".join(export.streaming_content)
    name = "tcdash-expenditure-by-source-1993-1994-wide.csv"
    response = client.post(
        "/fr/releases/upload/", {"file": SimpleUploadedFile(name, data), "number_format": "1,234.5"}, follow=True
    )
    page = parse(response)
    caption = words(one(page, '//table[contains(@class, "as-read")]/caption'))
    assert caption.startswith("tableau (en-tête en A1 ; Dépenses). Chaque cellule : ")


def test_a_drafts_page_names_the_sheet_read_and_the_hidden_ones_not_read_as_every_message_quotes_a_sheet(editor):
    data = raw_xlsx(
        ("Figures", header_row() + figure_row(2, 7), "visible"),
        ("Old", "", "hidden"),
        ("Older", "", "hidden"),
    )
    draft = create_draft(data=data, file_name="book.xlsx", user=editor)[1]
    page = parse(client_for(editor).get(f"/releases/{draft.pk}/").content)
    assert text(one(page, "//p[@class='read-from']")) == (
        "Read the sheet Figures; the hidden sheets 'Old', 'Older' were not read. "
        "Columns not in the file (what is on record is kept): status, document, document_url, note."
    )


def test_every_field_of_the_editors_forms_is_described_by_its_own_help_and_shows_its_error(ilo_data, editor):
    client = client_for(editor)
    pages = {
        "upload": client.get("/releases/upload/"),
        "withdraw": client.get(f"/releases/{ilo_data.pk}/withdraw/"),
        "upload refused": client.post("/releases/upload/", {"number_format": "1,234.5"}),
        "sign-in": Client().get("/accounts/login/"),
    }
    described = {}
    for name, response in pages.items():
        page = parse(response.content)
        for field in page.xpath("//form[contains(@class, 'form')]//*[@aria-describedby]"):
            helps = [page.get_element_by_id(id_, None) for id_ in field.get("aria-describedby").split()]
            assert None not in helps, (name, field.get("name"))  # a screen reader reads the help it names
            described.setdefault(name, []).append(field.get("name"))
    assert described["upload"] == ["file", "number_format", "measure", "status", "document", "document_url", "note"]
    # Each field's help is read before the field: "Document" then "For tables and wide files, e.g. ...".
    upload = parse(pages["upload"].content)
    document = one(upload, "//*[@id='id_document_helptext']")
    assert text(document).startswith("For tables and wide files, e.g. 'GB.273/TC/1 (Nov 1998) Appendix I'.")
    # A form sent without its file says so beside the field, which is marked invalid.
    refused = parse(pages["upload refused"].content)
    field = one(refused, "//div[contains(@class, 'field--invalid')]")
    assert text(one(field, ".//div[@class='field-error']")) == "Choose a file to upload."
    assert one(field, ".//input[@name='file']").get("aria-invalid") == "true"


def test_withdrawing_reads_neither_the_releases_file_nor_its_kept_rows(ilo_data, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(editor)
    draft = Release.objects.get(pk=upload(client, NEW_1992)["Location"].split("/")[2])
    client.post(f"/releases/{draft.pk}/publish/", {"fingerprint": draft.base_fingerprint})
    with CaptureQueriesContext(connection) as asked:
        assert client.get(f"/releases/{draft.pk}/withdraw/").status_code == 200
        assert client.post(f"/releases/{draft.pk}/withdraw/", {"note": ""}).status_code == 302
    assert Release.objects.get(pk=draft.pk).state == Release.State.WITHDRAWN
    # The file (up to the upload limit) and the rows its check kept: read for nothing on either.
    read = [query["sql"] for query in asked.captured_queries if query["sql"].lstrip().upper().startswith("SELECT")]
    assert read and not [sql for sql in read if "file_bytes" in sql or '"checked"' in sql]


def test_a_draft_naming_documents_without_their_addresses_says_a_new_document_loses_the_old_address(ilo_data, editor):
    client = client_for(editor)
    # 1995 RBTC, on record with GB.273/TC/1 and its address, given another document and no address.
    data = b"measure,year,source,region,amount_usd_thousands,document\nexpenditure,1995,rbtc,_T,12426,GB.999/TC/9\n"
    page = parse(client.get(upload(client, data)["Location"]).content)
    assert text(one(page, "//p[@class='read-from']")) == (
        "Columns not in the file (what is on record is kept): status, document_url, note. A value the file "
        "gives another document has no document_url: the address on record is the old document's."
    )
    # A file without a document column keeps the addresses on record, and says nothing of it.
    kept = parse(client.get(upload(client, NEW_1992)["Location"]).content)
    assert "has no document_url" not in text(one(kept, "//p[@class='read-from']"))


def test_an_editors_pages_and_files_are_never_stored_by_a_browser_or_a_proxy(ilo_data, editor, draft):
    # The upload form, a draft's preview and its file carried no Cache-Control: a shared computer's
    # disk cache kept an unpublished file, and the back button showed it again after signing out.
    client = client_for(editor)
    for url in ["/releases/upload/", f"/releases/{draft.pk}/", f"/releases/{draft.pk}/file/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private", url
    refused = client_for(None).get(f"/releases/{draft.pk}/file/")
    assert refused.status_code == 302 and "no-store" in refused["Cache-Control"]
