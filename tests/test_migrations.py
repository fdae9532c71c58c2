"""Migrations that move data keep it: run for real, forwards and back, on the test database."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from funding.models import Release, ReleaseEvent

BEFORE_EVENTS_ONLY = [("funding", "0009_names_in_spanish")]
LATEST = [("funding", "0011_remove_release_dates")]

PUBLISHED = datetime(1997, 11, 3, 9, 30, tzinfo=UTC)
WITHDRAWN = datetime(1997, 11, 20, 16, 5, tzinfo=UTC)
LATER = datetime(1998, 3, 2, 11, 0, tzinfo=UTC)


def migrate(targets):
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
        (e.release_id, e.action, e.at, e.by.username if e.by else None, e.detail)
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
