"""Writes: publishing and withdrawing releases. Each is one transaction, all or nothing.

Every write first locks the single `Dataset` row, so publishes are serialised on PostgreSQL
(`SELECT ... FOR UPDATE`) as they are on SQLite (IMMEDIATE transactions). Inside the lock, the
live values of the cells a file touches are fingerprinted; a preview records that fingerprint, and
a publish whose fingerprint no longer matches is refused with `StalePreview`: someone else changed
those cells since, and the user must preview again.

Uploads (check a file, keep it as a draft, publish the draft) live in `services.uploads` and are
importable from here.
"""

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ..events import publish_facts, withdraw_facts
from ..models import (
    TOTAL,
    CountryGroup,
    Dataset,
    InputType,
    Observation,
    Region,
    Release,
    ReleaseEvent,
    Source,
    Status,
)

BATCH = 2000


class StalePreview(Exception):
    """The live values changed between preview and publish."""


class NothingToPublish(Exception):
    """Every value of the file (amount, status, document, URL and note) is already live."""


# A value is all of these: a file that changes only a document URL changes the value.
VALUE_FIELDS = ("amount", "status", "document", "document_url", "note")
PROVENANCE_FIELDS = ("document", "document_url", "note")
# The preview's classes, in the order it shows them; "changed" (any of the three) is their sum.
KINDS = ("new", "amount", "status", "provenance", "unchanged")
NOTHING_TO_PUBLISH = gettext_lazy(
    "Nothing to publish: every value in this file, with its status, document, document URL and note, is already live."
)


@dataclass(frozen=True)
class CellChange:
    """One row of a file against the live value of its cell (`old`, None for a new cell).

    `row` is complete: a field whose column the file does not have was filled in from `old`."""

    cell: tuple
    row: dict
    old: "LiveValue | None"

    @property
    def changed_fields(self):
        """The fields of VALUE_FIELDS whose value the file changes (none for a new cell)."""
        if self.old is None:
            return ()
        old = _value_of(self.old)
        return tuple(name for name in VALUE_FIELDS if old[name] != self.row[name])

    @property
    def kind(self):
        """new, amount (the amount changes, maybe more), status (the status, maybe provenance),
        provenance (only the document, URL or note), or unchanged."""
        if self.old is None:
            return "new"
        changed = self.changed_fields
        if "amount" in changed:
            return "amount"
        if "status" in changed:
            return "status"
        return "provenance" if changed else "unchanged"


def _value_of(obs):
    return {
        "amount": obs.amount,
        "status": Status(obs.status).label,
        "document": obs.document,
        "document_url": obs.document_url,
        "note": obs.note,
    }


def _complete(row, old):
    """`row` with every field of a value: one the file has no column for (or None) keeps the live value
    (a new cell: published, no document), so a file without a column never blanks the record."""
    kept = _value_of(old) if old is not None else {"status": Status.PUBLISHED.label}
    full = {**row}
    for name in VALUE_FIELDS[1:]:
        if full.get(name) is None:  # no such column, or a wide or appendix file that does not say
            full[name] = kept.get(name, "")
    full["status_value"] = _status_value(full["status"])
    return full


def _code_ids():
    """Code -> id for every dimension's code list (four small queries)."""
    return {
        "source": dict(Source.objects.values_list("code", "id")),
        "region": dict(Region.objects.values_list("code", "id")),
        "country_group": dict(CountryGroup.objects.values_list("code", "id")),
        "input_type": dict(InputType.objects.values_list("code", "id")),
    }


def _status_value(status):
    if isinstance(status, int):
        return status
    for value, label in Status.choices:
        if label == status:
            return value
    raise ValueError(f"unknown status {status!r}")


def _cells(rows, ids):
    """Attach each row's cell key (measure, group id, year, source id, region id, input type id)."""
    keyed = {}
    for row in rows:
        try:
            cell = (
                row["measure"],
                ids["country_group"][row.get("country_group", TOTAL)],
                int(row["year"]),
                ids["source"][row["source"]],
                ids["region"][row["region"]],
                ids["input_type"][row.get("input_type", TOTAL)],
            )
        except KeyError as exc:
            raise ValueError(f"unknown code {exc.args[0]!r} in row {row}") from None
        if row.get("status") is not None:
            _status_value(row["status"])  # an unknown status is refused before anything is read
        keyed[cell] = row
    return keyed


class LiveValue(NamedTuple):
    """The live value of a cell, as far as a comparison needs it: all of it (see VALUE_FIELDS)."""

    pk: int
    amount: int
    status: int
    document: str
    document_url: str
    note: str


def _current_for(cells):
    """The live value of each of `cells`: {cell: LiveValue}, read by key in the database.

    Only the file's own members are asked for (each measure, group and type of input with the
    sources, regions and years the file has for it), through the live-cell index, as plain tuples:
    the cost follows the size of the file, not of the data already published.
    """
    if not cells:
        return {}
    by_slice = {}
    for measure, group, year, source, region, input_type in cells:
        members = by_slice.setdefault((measure, group, input_type), (set(), set(), set()))
        members[0].add(source)
        members[1].add(region)
        members[2].add(year)
    found = {}
    for (measure, group, input_type), (sources, regions, years) in by_slice.items():
        live = Observation.objects.current().filter(
            measure=measure,
            country_group_id=group,
            input_type_id=input_type,
            source_id__in=sorted(sources),
            region_id__in=sorted(regions),
            year__gte=min(years),
            year__lte=max(years),
        )
        rows = live.values_list(
            "source_id", "region_id", "year", "pk", "amount", "status", "document", "document_url", "note"
        )
        for source, region, year, *value in rows.iterator(chunk_size=BATCH):
            cell = (measure, group, year, source, region, input_type)
            if cell in cells:
                found[cell] = LiveValue(*value)
    return found


def _fingerprint(current):
    digest = hashlib.sha256()
    for cell in sorted(current):
        digest.update(f"{cell}:{current[cell].pk};".encode())
    return digest.hexdigest()


def compare_with_live(*, rows):
    """Rows -> (list of CellChange against the live values, fingerprint of those live values).

    The read half of a publish, used by the preview; `publish_release` repeats it under the lock.
    """
    keyed = _cells(rows, _code_ids())
    current = _current_for(keyed)
    return _changes(keyed, current), _fingerprint(current)


def _changes(keyed, current):
    return [
        CellChange(cell=cell, row=_complete(row, current.get(cell)), old=current.get(cell))
        for cell, row in keyed.items()
    ]


def published_release_with_checksum(checksum):
    return Release.objects.with_dates().filter(state=Release.State.PUBLISHED, checksum=checksum).first()


@transaction.atomic
def publish_release(
    *,
    title,
    rows,
    checksum,
    user=None,
    file_name="",
    file_bytes=None,
    note="",
    number_format="",
    expected_fingerprint=None,
    draft=None,
):
    """Publish `rows` (validated observation rows, amounts in whole dollars) as one release.

    Returns (release, created). A file whose checksum equals a published release's creates nothing
    and returns that release with created=False. Raises StalePreview when `expected_fingerprint`
    is given and the live values of the file's cells changed since it was taken, and
    NothingToPublish when every value of `rows` (amount, status, document, URL, note) is already
    live: whatever its bytes, such a file makes no release. A row without a status, document,
    document URL or note keeps the live one (see _complete).
    `draft`, when given, is the previewed Release row that becomes the published one.
    """
    Dataset.objects.select_for_update().get()
    existing = published_release_with_checksum(checksum)
    if existing is not None:
        return existing, False

    keyed = _cells(rows, _code_ids())
    current = _current_for(keyed)
    if expected_fingerprint is not None and expected_fingerprint != _fingerprint(current):
        raise StalePreview(gettext("The published figures changed since this file was previewed. Preview it again."))

    changes = _changes(keyed, current)
    kinds = [change.kind for change in changes]
    if all(kind == "unchanged" for kind in kinds):
        raise NothingToPublish(NOTHING_TO_PUBLISH)

    release = draft or Release(title=title)
    release.title = title or release.title
    release.file_name = file_name or release.file_name
    release.file_bytes = file_bytes if file_bytes is not None else release.file_bytes
    release.checksum = checksum
    release.note = note or release.note
    release.number_format = number_format or release.number_format
    release.created_by = release.created_by or user
    release.state = Release.State.PUBLISHED
    release.checked = None  # a draft's checked rows: its values are now observations
    release.new_values = kinds.count("new")
    release.changed_values = len(kinds) - kinds.count("new") - kinds.count("unchanged")
    release.unchanged_values = kinds.count("unchanged")
    release.save()

    replaced = [obs.pk for obs in current.values()]
    for start in range(0, len(replaced), BATCH):
        Observation.objects.filter(pk__in=replaced[start : start + BATCH]).update(is_current=False)
    Observation.objects.bulk_create(
        (
            Observation(
                release=release,
                measure=cell[0],
                country_group_id=cell[1],
                year=cell[2],
                source_id=cell[3],
                region_id=cell[4],
                input_type_id=cell[5],
                amount=change.row["amount"],
                status=change.row["status_value"],
                document=change.row["document"],
                document_url=change.row["document_url"],
                note=change.row["note"],
                is_current=True,
            )
            for change in changes
            for cell in (change.cell,)
        ),
        batch_size=BATCH,
    )
    ReleaseEvent.objects.create(
        release=release,
        action=ReleaseEvent.Action.PUBLISH,
        by=user,
        facts=publish_facts(
            new=release.new_values,
            changed=release.changed_values,
            amount=kinds.count("amount"),
            status=kinds.count("status"),
            provenance=kinds.count("provenance"),
            unchanged=release.unchanged_values,
        ),
    )
    _bump_version()
    transaction.on_commit(_refresh_statistics)
    return release, True


@transaction.atomic
def withdraw_release(*, release, user=None, note=""):
    """Withdraw a published release: its values stop being live, and for each cell it made live the
    newest value of a still-published earlier release comes back. Recorded as an event."""
    Dataset.objects.select_for_update().get()
    release = Release.objects.select_for_update().get(pk=release.pk)
    if release.state != Release.State.PUBLISHED:
        raise ValueError(f"Release {release.pk} is {release.get_state_display().lower()}, not published.")

    live = list(release.observations.filter(is_current=True))
    cells = {(o.measure, o.country_group_id, o.year, o.source_id, o.region_id, o.input_type_id) for o in live}
    Observation.objects.filter(release=release, is_current=True).update(is_current=False)

    restored = {}
    if cells:
        years = [c[2] for c in cells]
        older = (
            Observation.objects.filter(
                release__state=Release.State.PUBLISHED,
                measure__in={c[0] for c in cells},
                year__gte=min(years),
                year__lte=max(years),
            )
            .exclude(release=release)
            .order_by("release_id")
        )
        for obs in older.iterator(chunk_size=BATCH):
            cell = (obs.measure, obs.country_group_id, obs.year, obs.source_id, obs.region_id, obs.input_type_id)
            if cell in cells:
                restored[cell] = obs.pk  # ordered by release: the newest wins
    ids = list(restored.values())
    for start in range(0, len(ids), BATCH):
        Observation.objects.filter(pk__in=ids[start : start + BATCH]).update(is_current=True)

    release.state = Release.State.WITHDRAWN
    release.save(update_fields=["state"])
    ReleaseEvent.objects.create(
        release=release,
        action=ReleaseEvent.Action.WITHDRAW,
        by=user,
        detail=note,
        facts=withdraw_facts(withdrawn=len(live), restored=len(ids)),
    )
    _bump_version()
    return release


@transaction.atomic
def record_code_list_change():
    """A code list (names, order, colours, parents) changed: pages show it, so the live generation
    moves on as it does for a publish, and every server's cached pages are left behind."""
    Dataset.objects.select_for_update().get()
    _bump_version()


def _refresh_statistics():
    """SQLite plans without statistics until ANALYZE runs (one page went from 200 ms to 15 ms with
    them); PostgreSQL's autovacuum does the same by itself. `analysis_limit` keeps it to a sample."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")


def _bump_version():
    # Inside the publish's transaction: every server's cache keys move on when it commits, not before.
    Dataset.objects.update(version=F("version") + 1, changed_at=timezone.now())


# Imported last: uploads builds on the functions above.
from .as_read import hidden_sheet_words, layout_words, restated_words, share_summary, tables_as_read  # noqa: E402
from .uploads import (  # noqa: E402
    PREVIEW_ROWS,
    PublishRefused,
    UploadCheck,
    check_draft,
    check_upload,
    create_draft,
    file_checksum,
    preview_rows,
    publish_checked,
    publish_draft,
    template_code_rows,
    template_names,
    totals_rows,
    upload_code_lists,
)

__all__ = [
    "hidden_sheet_words",
    "restated_words",
    "KINDS",
    "NOTHING_TO_PUBLISH",
    "PROVENANCE_FIELDS",
    "VALUE_FIELDS",
    "CellChange",
    "NothingToPublish",
    "PREVIEW_ROWS",
    "PublishRefused",
    "StalePreview",
    "UploadCheck",
    "check_draft",
    "check_upload",
    "compare_with_live",
    "create_draft",
    "file_checksum",
    "layout_words",
    "preview_rows",
    "publish_checked",
    "publish_draft",
    "publish_release",
    "published_release_with_checksum",
    "record_code_list_change",
    "share_summary",
    "tables_as_read",
    "template_code_rows",
    "template_names",
    "totals_rows",
    "upload_code_lists",
    "withdraw_release",
]
