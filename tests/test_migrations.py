"""Migrations that move data keep it: run for real, forwards and back, on the test database."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from funding.models import CountryGroup, Dataset, InputType, Observation, Region, Release, ReleaseEvent, Source
from funding.templatetags.records import event_words
from tests.conftest import sequences_past_the_rows

BEFORE_EVENTS_ONLY = [("funding", "0009_names_in_spanish")]
# The leaf, read from the migration files: the tests leave the schema whole, whatever migration came last.
LATEST = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("funding")
BEFORE_FACTS = [("funding", "0012_stated_shares_recipients_multi_bi")]
BEFORE_PUBLICATION_ORDER = [("funding", "0017_draft_checked_rows_packed")]
BEFORE_SHIPPED_WORDS = [("funding", "0020_one_published_release_per_reading")]

PUBLISHED = datetime(1997, 11, 3, 9, 30, tzinfo=UTC)
WITHDRAWN = datetime(1997, 11, 20, 16, 5, tzinfo=UTC)
LATER = datetime(1998, 3, 2, 11, 0, tzinfo=UTC)


def migrate(targets):
    # serialized_rollback put the migrations' rows back: a data migration run here (0012 adds
    # multi-bi) must not be given an id already used.
    sequences_past_the_rows(connection)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_release_dates_move_into_the_events_with_their_users():
    old = migrate(BEFORE_EVENTS_ONLY)
    user = old.get_model("auth", "User").objects.create(username="propar")
    other = old.get_model("auth", "User").objects.create(username="colleague")
    OldRelease = old.get_model("funding", "Release")
    OldEvent = old.get_model("funding", "ReleaseEvent")
    # Published and withdrawn before events were kept: no event at all.
    withdrawn = OldRelease.objects.create(
        title="GB.267", checksum="a" * 64, state="withdrawn", published_at=PUBLISHED, published_by=user,
        withdrawn_at=WITHDRAWN, withdrawn_by=other,
    )  # fmt: skip
    # Published with its event, which lacks the user and was written a little after the date.
    published = OldRelease.objects.create(
        title="GB.273", checksum="b" * 64, state="published", published_at=LATER, published_by=user
    )
    event = OldEvent.objects.create(release=published, action="publish", detail="5 new")
    draft = OldRelease.objects.create(title="draft", checksum="c" * 64)

    migrate(LATEST)

    record = [
        (e.release_id, e.action, e.at, e.by.username if e.by else None, event_words(e))
        for e in ReleaseEvent.objects.filter(release__in=[withdrawn.pk, published.pk, draft.pk]).order_by("at")
    ]
    assert record == [
        (withdrawn.pk, "publish", PUBLISHED, "propar", "recorded from the release's dates"),
        (withdrawn.pk, "withdraw", WITHDRAWN, "colleague", "recorded from the release's dates"),
        (published.pk, "publish", LATER, "propar", "5 new"),
    ]
    assert ReleaseEvent.objects.filter(release=published.pk).get().pk == event.pk  # kept, not doubled
    dates = Release.objects.with_dates().filter(pk__in=[withdrawn.pk, published.pk, draft.pk]).order_by("pk")
    assert [(r.title, r.published_at, r.withdrawn_at) for r in dates] == [
        ("GB.267", PUBLISHED, WITHDRAWN),
        ("GB.273", LATER, None),
        ("draft", None, None),
    ]

    # Back again, the fields say what they said.
    old = migrate(BEFORE_EVENTS_ONLY)
    fields = old.get_model("funding", "Release").objects.filter(pk__in=[withdrawn.pk, published.pk, draft.pk])
    assert sorted((r.title, r.published_at, r.published_by_id, r.withdrawn_at, r.withdrawn_by_id) for r in fields) == [
        ("GB.267", PUBLISHED, user.pk, WITHDRAWN, other.pk),
        ("GB.273", LATER, user.pk, None, None),
        ("draft", None, None, None, None),
    ]
    migrate(LATEST)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_event_details_written_in_english_become_facts_read_in_every_language():
    old = migrate(BEFORE_FACTS)
    OldRelease = old.get_model("funding", "Release")
    OldEvent = old.get_model("funding", "ReleaseEvent")
    release = OldRelease.objects.create(title="GB.273", checksum="d" * 64, state="withdrawn")
    details = [
        ("upload", "gb273.xlsx, 12 values, number format 1 234.5"),
        ("publish", "12 new, 3 changed (2 amounts, 0 statuses, 1 provenance only), 4 unchanged"),
        ("withdraw", "wrong annex"),
    ]
    for action, detail in details:
        OldEvent.objects.create(release=release, action=action, detail=detail)

    migrate(LATEST)

    events = list(ReleaseEvent.objects.filter(release=release.pk).order_by("id"))
    assert [(e.facts, e.detail) for e in events] == [
        ({"file": "gb273.xlsx", "values": 12, "number_format": "1 234.5"}, ""),
        ({"new": 12, "changed": 3, "amount": 2, "status": 0, "provenance": 1, "unchanged": 4}, ""),
        ({}, "wrong annex"),  # a person's words stay as written
    ]
    assert [event_words(e) for e in events] == [detail for _, detail in details]
    with translation.override("fr"):
        assert [event_words(e) for e in events] == [
            "gb273.xlsx, 12 valeurs, format des nombres 1 234.5",
            "12 nouvelles, 3 modifiées (2 montants, 0 statut, 1 provenance seule), 4 inchangées",
            "wrong annex",
        ]
    with translation.override("es"):
        assert (
            event_words(events[1])
            == "12 nuevos, 3 modificados (2 importes, 0 estados, 1 solo de procedencia), 4 sin cambios"
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_releases_published_before_the_sequence_take_their_places_in_the_order_of_their_events():
    old = migrate(BEFORE_PUBLICATION_ORDER)
    OldRelease = old.get_model("funding", "Release")
    OldEvent = old.get_model("funding", "ReleaseEvent")
    version = old.get_model("funding", "Dataset").objects.get().version
    # Uploaded first, published last; uploaded second, published first and withdrawn; a third
    # published at the very instant of that withdrawal (the event written after comes after).
    late, early, tied = (
        OldRelease.objects.create(title=title, checksum=title * 64, state=state)
        for title, state in (("a", "published"), ("b", "withdrawn"), ("c", "published"))
    )
    for release, action, at in (
        (early, "publish", PUBLISHED),
        (early, "withdraw", WITHDRAWN),
        (tied, "publish", WITHDRAWN),
        (late, "publish", LATER),
    ):
        event = OldEvent.objects.create(release=release, action=action)
        OldEvent.objects.filter(pk=event.pk).update(at=at)
    draft = OldRelease.objects.create(title="draft", checksum="d" * 64)

    migrate(LATEST)

    places = Release.objects.filter(pk__in=[late.pk, early.pk, tied.pk, draft.pk]).order_by("pk")
    assert [(r.title, r.published_seq, r.withdrawn_seq) for r in places] == [
        ("a", 4, None),
        ("b", 1, 2),
        ("c", 3, None),
        ("draft", None, None),
    ]
    # The live data's generation moved on: a draft previewed before works out its publish again.
    assert Dataset.objects.get().version == version + 1


SHIPPED_TITLE = "ILO published figures: GB.267/TC/1, GB.273/TC/1 and GB.270/TC/2"  # as load_ilo_data stored it
SHIPPED_NOTE = "The real published figures shipped with tcdash."


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_shipped_figures_english_title_and_note_give_way_to_the_readers_language():
    old = migrate(BEFORE_SHIPPED_WORDS)
    OldRelease = old.get_model("funding", "Release")
    shipped = OldRelease.objects.create(
        title=SHIPPED_TITLE, note=SHIPPED_NOTE, file_name="fixtures/ilo/*.csv", checksum="a" * 64, state="published"
    )
    # Words someone wrote stay as written: a title of its own, and an upload's note.
    own = OldRelease.objects.create(
        title="Reloaded", note="Checked.", file_name="fixtures/ilo/*.csv", checksum="b" * 64
    )
    upload = OldRelease.objects.create(title="", note=SHIPPED_NOTE, file_name="annex.csv", checksum="c" * 64)

    migrate(LATEST)

    releases = Release.objects.filter(pk__in=[shipped.pk, own.pk, upload.pk]).order_by("pk")
    assert [(r.title, r.note) for r in releases] == [("", ""), ("Reloaded", "Checked."), ("", SHIPPED_NOTE)]
    with translation.override("es"):
        assert [(r.shown_title, r.shown_note) for r in releases] == [
            (
                "Cifras publicadas por la OIT, incluidas en tcdash",
                "Las cifras efectivamente publicadas, incluidas en tcdash.",
            ),
            ("Reloaded", "Checked."),
            ("Carga de annex.csv", SHIPPED_NOTE),
        ]

    # And back: the shipped release gets the words it was stored with.
    old = migrate(BEFORE_SHIPPED_WORDS)
    restored = old.get_model("funding", "Release").objects.get(pk=shipped.pk)
    assert (restored.title, restored.note) == (SHIPPED_TITLE, SHIPPED_NOTE)
    migrate(LATEST)


BEFORE_IMPORT_TITLES = [("funding", "0025_observation_amount_is_sane")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_imported_files_english_title_gives_way_to_the_readers_language():
    old = migrate(BEFORE_IMPORT_TITLES)
    OldRelease = old.get_model("funding", "Release")
    imported = OldRelease.objects.create(title="Import of annex.csv", file_name="annex.csv", checksum="a" * 64)
    # A title of its own stays, even one that names another file.
    own = OldRelease.objects.create(title="Import of GB.273", file_name="gb273.csv", checksum="b" * 64)

    migrate(LATEST)

    releases = Release.objects.filter(pk__in=[imported.pk, own.pk]).order_by("pk")
    assert [r.title for r in releases] == ["", "Import of GB.273"]
    with translation.override("fr"):
        assert [r.shown_title for r in releases] == ["Téléversement de annex.csv", "Import of GB.273"]


BEFORE_ONE_READ = [("funding", "0023_live_documents")]


def _refused_references():
    """The column named by the refusal of a bulk write (COPY) whose second row refers to no source."""
    from funding.services.publishing import _insert_observations

    release = Release.objects.create(title="references", checksum="r" * 64, state=Release.State.DRAFT)
    ids = {m: m.objects.get(code="_T").pk for m in (CountryGroup, Region, InputType)}
    nothing = Source.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    rows = [
        ["expenditure", ids[CountryGroup], year, source, ids[Region], ids[InputType], 1000, 1, "", "", ""]
        for year, source in ((2000, Source.objects.get(code="_T").pk), (2001, nothing))
    ]
    try:
        with transaction.atomic():
            _insert_observations(release, rows)
    except IntegrityError as error:
        return error.__cause__.diag.message_detail, Observation.objects.filter(release=release).count()
    return None, Observation.objects.filter(release=release).count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_references_check_read_once_a_statement_refuses_as_before_forwards_and_back():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps its foreign keys: migration 0024 does nothing there")
    assert _refused_references() == ("Column source_id.", 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'funding_observation_references_added'")
        assert "array_agg(DISTINCT source_id)" in cursor.fetchone()[0]  # 0024's one read
    migrate(BEFORE_ONE_READ)
    assert _refused_references() == ("Column source_id.", 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'funding_observation_references_added'")
        assert "array_agg" not in cursor.fetchone()[0]  # 0022's reads, one a column and check
    migrate(LATEST)
    assert _refused_references() == ("Column source_id.", 0)
