"""Publishing and withdrawing releases: each one transaction, all or nothing.

Every write first locks the single `Dataset` row, so publishes are serialised on PostgreSQL
(`SELECT ... FOR UPDATE`) as they are on SQLite (IMMEDIATE transactions). Inside the lock, the
live values of the cells a file touches are fingerprinted; a preview records that fingerprint, and
a publish whose fingerprint no longer matches is refused with `StalePreview`: someone else changed
those cells since, and the user must preview again.
"""

import csv
import hashlib
import io
import itertools
import operator
from collections import Counter
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from ..caching import live_generation
from ..events import publish_facts, withdraw_facts
from ..importers import (
    cell_key,
    check_of_which,
    check_stated,
    check_totals,
    of_which_message,
    stated_message,
    total_message,
)
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
from ..vocabulary import CELL_DIMENSIONS, DIMENSIONS
from .bulk import among, fetched_by_index, without_cycle_collection
from .live_cells import rebuild_live_cells, replace_live_cells
from .live_documents import apply_document_counts, replace_live_documents


class StalePreview(Exception):
    """The live values changed between preview and publish."""


class PublishRefused(Exception):
    """A release that cannot be published as it stands; the message says why, for the user."""


class AlreadyPublished(PublishRefused):
    """The release is published already (a second tab, a form sent again): nothing to do."""


class NothingToPublish(Exception):
    """Every value of the file (amount, status, document, URL and note) is already live."""


class WithdrawRefused(Exception):
    """A release that cannot be withdrawn (a draft, or one withdrawn already: perhaps a moment ago, by
    someone who confirmed at the same time); the message says why, for the user."""


# A value is all of these: a file that changes only a document URL changes the value.
VALUE_FIELDS = ("amount", "status", "document", "document_url", "note")
PROVENANCE_FIELDS = ("document", "document_url", "note")
# The preview's classes, in the order it shows them; "changed" (any of the three) is their sum.
KINDS = ("new", "amount", "status", "provenance", "unchanged")
STALE_PREVIEW = gettext_lazy("The published figures changed since this file was previewed. Preview it again.")
NOTHING_TO_PUBLISH = gettext_lazy(
    "Nothing to publish: every value in this file, with its status, document, document URL and note, is already live."
)


class CellChange(NamedTuple):
    """One row of a file against the live value of its cell (`old`, None for a new cell).

    `row` is complete: a field whose column the file does not have was filled in from `old`.
    `changed_fields` are the fields of VALUE_FIELDS whose value the file changes (none for a new
    cell); `kind` is new, amount (the amount changes, maybe more), status (the status, maybe
    provenance), provenance (only the document, URL or note), or unchanged. Made by `_changes`.
    A named tuple, not a frozen dataclass: a 100,000-row file makes one a row, and a frozen
    dataclass sets each field through object.__setattr__ (a sixth of the time the changes took)."""

    cell: tuple
    row: dict
    old: "LiveValue | None"
    changed_fields: tuple
    kind: str


STATUS_LABELS = dict(Status.choices)
STATUS_VALUES = {label: value for value, label in Status.choices}


def _changes(keyed, current):
    """The file's rows ({cell: row as read}, see _cells: a field may be missing) against the live values
    of their cells (`current`, {cell: LiveValue}) -> [CellChange], in the rows' order.

    A field the file has no column for (or None) keeps the live value (a new cell: published, no
    document), so a file without a column never blanks the record; except a document's address, which
    is its document's: a value given another document and no address has none, never the old document's
    (kept, it would link the new name to the old paper). (Written out field by field in one loop: it
    runs for every row of a file, 100,000 in a large one.)"""
    changes = []
    append, live_of, new = changes.append, current.get, tuple.__new__
    published = Status.PUBLISHED.label
    for cell, row in keyed.items():
        full = row.copy()
        old = live_of(cell)
        if old is None:
            if full.get("status") is None:
                full["status"] = published
            for name in PROVENANCE_FIELDS:
                if full.get(name) is None:
                    full[name] = ""
            full["status_value"] = _status_value(full["status"])
            append(new(CellChange, (cell, full, None, (), "new")))
            continue
        _, amount, status_value, document, document_url, note = old  # LiveValue's fields, in its order
        changed = [] if full["amount"] == amount else ["amount"]
        live_status = STATUS_LABELS[status_value]
        status = full.get("status")
        if status is None:
            full["status"] = live_status
        elif status != live_status:
            changed.append("status")
        for name, live in zip(PROVENANCE_FIELDS, (document, document_url, note), strict=True):
            value = full.get(name)
            if value is None:  # a file without the column keeps what is on record...
                if name != "document_url" or "document" not in changed:
                    full[name] = live
                    continue
                value = full[name] = ""  # ...but not the address of a document the value no longer cites
            if value != live:
                changed.append(name)
        full["status_value"] = _status_value(full["status"])
        if not changed:
            kind = "unchanged"
        elif changed[0] == "amount" or changed[0] == "status":
            kind = changed[0]
        else:
            kind = "provenance"
        append(new(CellChange, (cell, full, old, tuple(changed), kind)))
    return changes


def _code_ids():
    """Code -> id for every dimension's code list (four small queries)."""
    return {
        "source": dict(Source.objects.values_list("code", "id")),
        "region": dict(Region.objects.values_list("code", "id")),
        "country_group": dict(CountryGroup.objects.values_list("code", "id")),
        "input_type": dict(InputType.objects.values_list("code", "id")),
    }


def _status_value(status):
    """A status label (or value) -> its value; ValueError for an unknown one."""
    try:
        return STATUS_VALUES[status]
    except (KeyError, TypeError):
        if isinstance(status, int):
            return status
        raise ValueError(f"unknown status {status!r}") from None


def _cells(rows, ids):
    """Attach each row's cell key (measure, group id, year, source id, region id, input type id)."""
    keyed = {}
    groups, sources, regions, input_types = (ids[dim] for dim in ("country_group", "source", "region", "input_type"))
    for row in rows:
        try:
            cell = (
                row["measure"],
                groups[row.get("country_group", TOTAL)],
                int(row["year"]),
                sources[row["source"]],
                regions[row["region"]],
                input_types[row.get("input_type", TOTAL)],
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


def _live_values(cells, *, widen=None):
    """Every live value in the slices of the cube `cells` (keys of ids, see _cells) lie in:
    {cell: LiveValue} (see _live_slices)."""
    new = tuple.__new__  # LiveValue(*fields) without its Python-level __new__: one a live row
    return {
        (measure, group, year, source, region, input_type): new(LiveValue, row[4:])
        for measure, group, rows in _live_slices(cells, widen=widen)
        for row in rows
        for input_type, source, region, year in (row[:4],)
    }


LIVE_COLUMNS = (
    "input_type_id", "source_id", "region_id", "year", "pk", "amount", "status", "document", "document_url", "note",
)  # fmt: skip


def _live_slices(cells, *, widen=None):
    """The live values in the slices of the cube `cells` (keys of ids, see _cells) lie in, read by key in
    the database: (measure, group id, rows) a slice, each row (input type, source, region, year, then
    LiveValue's fields) a plain tuple.

    A slice is one measure and country group, with the types of input, sources, regions and years
    the file has for it, asked for through the live-cell index (one query a slice): the cost follows
    the size of the file, not of the data already published. `widen` ({dimension: ids}, the total
    member and the parts of each dimension) adds those members to every slice, so the totals the
    file touches and all their parts are read in the same query.

    The file's cells are matched with these in Python, not joined in the database to a temporary
    table of them: the rows come back either way (a 100,000-row file's 110,000 live values are 0.1-0.2 s
    of SQL on both engines), and what the comparison costs is the per-row CellChange the preview shows.
    """
    by_slice = {}
    for cell in cells:
        by_slice.setdefault(cell[:2], []).append(cell)
    for (measure, group), in_slice in by_slice.items():
        _, _, years, sources, regions, input_types = map(set, zip(*in_slice, strict=True))
        if widen:
            input_types, sources, regions = (
                input_types | widen["input_type"],
                sources | widen["source"],
                regions | widen["region"],
            )
        live = Observation.objects.current().filter(
            measure=measure,
            country_group_id=group,
            input_type_id__in=sorted(input_types),
            source_id__in=sorted(sources),
            region_id__in=sorted(regions),
            year__gte=min(years),
            year__lte=max(years),
        )
        # Plain SQL, fetched whole (every row ends up in the caller's dict): the queryset's iteration
        # fetched 100 rows a call (0.4 s of a 100,000-row file on SQLite), and a server-side cursor
        # (iterator()) cost a round trip every 2,000 rows, and outside a transaction PostgreSQL first
        # copies the result (WITH HOLD). Integers and text need none of the fields' converters.
        sql, params = live.values_list(*LIVE_COLUMNS).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            yield measure, group, cursor.fetchall()


def _current_for(cells):
    """The live value of each of `cells` that has one: {cell: LiveValue} (see _live_values)."""
    live = _live_values(cells)
    return {cell: live[cell] for cell in cells if cell in live}


def _fingerprint(current):
    """SHA-256 of the file's cells (sorted) with the ids of their live values, as one text."""
    # Each cell as its tuple prints ("('expenditure', 1, 1995, 3, 4, 1):57;"), written field by field
    # (faster than printing the tuple, 100,000 times in a large file): a fingerprint stays what it was.
    text = "".join(
        [
            f"({measure!r}, {group}, {year}, {source}, {region}, {input_type}):{current[cell].pk};"
            for cell in sorted(current)
            for measure, group, year, source, region, input_type in (cell,)
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


class Comparison(NamedTuple):
    """A file's rows against the live values, read once: the changes, the live values of the file's
    own cells and their fingerprint, and (when asked for) the live amounts around the file's totals and
    which of them are derived (status "derived": the residual of stated shares, never recomputed)."""

    changes: list
    current: dict
    fingerprint: str
    live_amounts: dict
    live_derived: frozenset = frozenset()


def _widen(ids, code_lists, rows):
    """CodeLists -> {dimension: {ids}}: the total member and the parts of each dimension (the totals a
    file touches and their parts), and the parent and the members under each member `rows` give (an
    "of which" figure and the figure it is part of)."""
    widen = {}
    # Types of input are published only for all sources, regions and countries (vocabulary.INPUT_TYPE_ALONE):
    # beside a file that gives no such cell, no type of input can be live, and asking for them anyway
    # multiplied the index's look-ups by the number of types (a 100k-row file of countries: 1.2 s of 2).
    # The rows' distinct members (source, region, country group, type of input), read in one pass.
    combinations = {
        (
            row.get("source", TOTAL),
            row.get("region", TOTAL),
            row.get("country_group", TOTAL),
            row.get("input_type", TOTAL),
        )
        for row in rows
    }
    alone = any(source == region == group == TOTAL for source, region, group, _ in combinations)
    # {} without rows
    members_given = dict(zip(CELL_DIMENSIONS, map(set, zip(*combinations, strict=True)), strict=False))
    for dim in DIMENSIONS:
        given = members_given.get(dim, set())
        parents = code_lists.parents.get(dim, {})
        related = {parents[code] for code in given if code in parents}
        related |= {code for code, parent in parents.items() if parent in given}
        parts = code_lists.parts.get(dim, ()) if dim != "input_type" or alone else ()
        members = {TOTAL, *parts, *related}
        widen[dim] = {ids[dim][code] for code in members if code in ids[dim]}
    return widen


def id_key(key, ids):
    """A cell key of codes (importers.cell_key: measure, group, year, source, region, type of input)
    -> the same cell by the members' ids, as _cells keys it (`ids`: _code_ids())."""
    measure, group, year, source, region, input_type = key
    return (
        measure,
        ids["country_group"][group],
        year,
        ids["source"][source],
        ids["region"][region],
        ids["input_type"][input_type],
    )


def _code_keys(ids):
    """The inverse of id_key: a function from a cell keyed by ids to the same cell keyed by codes."""
    codes = {dim: {pk: code for code, pk in members.items()} for dim, members in ids.items()}

    def coded(cell):
        measure, group, year, source, region, input_type = cell
        return (
            measure,
            codes["country_group"][group],
            year,
            codes["source"][source],
            codes["region"][region],
            codes["input_type"][input_type],
        )

    return coded


@without_cycle_collection()
def _compare(rows, *, ids=None, code_lists=None):
    """Rows -> Comparison, from one read of the live values. With `code_lists` (importers.CodeLists),
    the live amounts of the totals the file touches and of all their parts, and of the "of which"
    figures and the figures they are part of, come back too, keyed by codes as importers.check_totals
    and check_of_which want them (`live_amounts`)."""
    ids = ids or _code_ids()
    keyed = _cells(rows, ids)
    if code_lists is None:
        live = _live_values(keyed)
        current = {cell: live[cell] for cell in keyed if cell in live}
        return Comparison(_changes(keyed, current), current, _fingerprint(current), {})
    # One pass over the live rows makes both dicts: by ids, and the amounts by codes (`_code_keys`
    # called per row was a fifth of the comparison).
    codes = {dim: {pk: code for code, pk in members.items()} for dim, members in ids.items()}
    sources, regions, input_types = codes["source"], codes["region"], codes["input_type"]
    live, amounts, derived = {}, {}, set()
    new, derived_status = tuple.__new__, Status.DERIVED.value
    for measure, group, found in _live_slices(keyed, widen=_widen(ids, code_lists, rows)):
        group_code = codes["country_group"][group]
        for found_row in found:
            input_type, source, region, year, _, amount, status = found_row[:7]
            live[(measure, group, year, source, region, input_type)] = new(LiveValue, found_row[4:])
            key = (measure, group_code, year, sources[source], regions[region], input_types[input_type])
            amounts[key] = amount
            if status == derived_status:
                derived.add(key)
    current = {cell: value for cell in keyed if (value := live.get(cell)) is not None}
    return Comparison(_changes(keyed, current), current, _fingerprint(current), amounts, frozenset(derived))


def compare_with_live(*, rows):
    """Rows -> (list of CellChange against the live values, fingerprint of those live values).

    The read half of a publish, used by the preview; `publish_release` repeats it under the lock.
    """
    comparison = _compare(rows)
    return comparison.changes, comparison.fingerprint


def published_release_with_checksum(checksum, *, number_format="", read_options=None):
    """The published release of the same file read the same way (its bytes, number format and the
    form's options: Measure, Status, Document, Document URL), or None. The same bytes read with
    another status or document from the form are another release (they change other values)."""
    same = Release.objects.with_dates().filter(
        state=Release.State.PUBLISHED, checksum=checksum, number_format=number_format, read_options=read_options or {}
    )
    return same.first()


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
    read_options=None,
    expected_fingerprint=None,
    draft=None,
    recheck_totals=False,
    prepared=None,
):
    """Publish `rows` (validated observation rows, amounts in whole dollars) as one release.

    Returns (release, created). A file whose checksum, number format and `read_options` (the upload
    form's, as a dict) equal a published release's creates nothing and returns that release with
    created=False. Raises StalePreview when `expected_fingerprint`
    is given and the live values of the file's cells changed since it was taken, and
    NothingToPublish when every value of `rows` (amount, status, document, URL, note) is already
    live: whatever its bytes, such a file makes no release. A row without a status, document,
    document URL or note keeps the live one (see _changes).
    `draft`, when given, is the previewed Release row that becomes the published one.
    `recheck_totals` checks every total the file touches against its parts, and every "of which"
    figure against the figure it is part of, as they will be once published (the file over the live
    values, read under the lock with the code lists); a failure raises PublishRefused and writes nothing.
    `prepared` (Prepared), a preview's work: used as it is when nothing live changed since.
    """
    _lock_dataset()
    existing = published_release_with_checksum(checksum, number_format=number_format, read_options=read_options)
    if existing is not None:
        return existing, False
    prepared = _preview_still_holds(prepared, expected_fingerprint) or _prepare_under_the_lock(
        rows, expected_fingerprint=expected_fingerprint, recheck_totals=recheck_totals
    )
    release = _save_published(
        draft or Release(title=title),
        prepared.kinds,
        seq=_next_seq(),
        title=title,
        checksum=checksum,
        user=user,
        file_name=file_name,
        file_bytes=file_bytes,
        note=note,
        number_format=number_format,
        read_options=read_options,
    )
    _write_values(release, prepared, user)
    return release, True


def _preview_still_holds(prepared, expected_fingerprint):
    """A preview's Prepared when nothing live changed since it was made (its comparison and its
    totals hold as they were), else None; refused as a publish would be if stale or empty."""
    if prepared is None or prepared.generation != live_generation()[0]:
        return None
    if expected_fingerprint is not None and expected_fingerprint != prepared.fingerprint:
        raise StalePreview(str(STALE_PREVIEW))
    if set(prepared.kinds) <= {"unchanged"}:
        raise NothingToPublish(NOTHING_TO_PUBLISH)
    return prepared


def _prepare_under_the_lock(rows, *, expected_fingerprint, recheck_totals):
    """`rows` compared with the live values read under the lock -> Prepared; refused when the
    preview is stale, nothing changes, or (with `recheck_totals`) a total no longer adds up or an
    "of which" figure is larger than the figure it is part of."""
    code_lists = _code_lists_now() if recheck_totals else None
    comparison = _compare(rows, code_lists=code_lists)
    _refuse_stale_or_empty(comparison, expected_fingerprint)
    if code_lists is not None:
        _refuse_broken_totals(rows, comparison, code_lists)
    return prepare(comparison, generation="")


def _write_values(release, prepared, user):
    """Retire the values `prepared` replaces, insert the new ones, keep the live cells and the
    audit record, and move every server's cache on (when the transaction commits)."""
    gone = _retire(prepared.retired)
    _insert_observations(release, prepared.values)
    replace_live_cells(gone=prepared.retired, came=Observation.objects.filter(release=release))
    # The documents' counts from what the publish already holds: the retired values' as the UPDATE
    # returned them, the new ones' from the values written (not a second read of either by id).
    came = Counter((value[DOCUMENT], value[DOCUMENT_URL]) for value in prepared.values if value[DOCUMENT])
    came.subtract(gone)
    apply_document_counts(came)
    _record_publish(release, prepared.kinds, user)
    _bump_version()
    transaction.on_commit(_refresh_statistics)


class Prepared(NamedTuple):
    """What a publish writes, worked out by a preview: valid while the live data stays at `generation`
    (caching.live_generation). `kinds` counts the file's rows by kind ({kind: n}), unchanged ones
    included; `retired` lists the ids of the live values replaced, `values` the new ones, each
    [measure, group, year, source, region, input type (ids), amount, status (value), document,
    document URL, note], in the live-cell index's order: only the new and changed values. A row that
    leaves its cell as it is writes nothing: its live value stays, with its release, so the record
    names the release that gave it and withdrawing that release takes it back. Plain lists, so a
    draft keeps it as JSON."""

    generation: str
    fingerprint: str
    kinds: dict
    retired: list
    values: list


@without_cycle_collection()
def prepare(comparison, *, generation):
    """A Comparison -> Prepared (at `generation`, read before the comparison was). The fingerprint
    still covers every cell of the file, unchanged ones included: a file is previewed whole."""
    written = [change for change in comparison.changes if change.kind != "unchanged"]
    values = [
        [*c.cell, r["amount"], r["status_value"], r["document"], r["document_url"], r["note"]]
        for c in written
        for r in (c.row,)
    ]
    values.sort(key=_INDEX_ORDER)  # a value starts with its cell
    return Prepared(
        generation=generation,
        fingerprint=comparison.fingerprint,
        kinds=dict(Counter(change.kind for change in comparison.changes)),
        retired=[change.old.pk for change in written if change.old is not None],
        values=values,
    )


# A cell is (measure, group, year, source, region, input type); the live-cell index is (measure, group,
# input type, source, region, year). Written in the index's order, each index page is visited once.
_INDEX_ORDER = operator.itemgetter(0, 1, 5, 3, 4, 2)


def _lock_dataset():
    """Serialise every write: the single Dataset row, locked until the transaction ends."""
    Dataset.objects.select_for_update().get()


def _next_seq():
    """The next place in the sequence of publishes and withdrawals (Release.published_seq and
    withdrawn_seq): one past the last given, read under the Dataset lock, so two writes never share
    one and a later write always has the greater (one query, on the two unique indexes)."""
    last = Release.objects.aggregate(published=Max("published_seq"), withdrawn=Max("withdrawn_seq"))
    return max(last["published"] or 0, last["withdrawn"] or 0) + 1


def _code_lists_now():
    """importers.CodeLists as the code lists are now: the members whose sum is each dimension's total,
    and the members under a parent."""
    from .uploads import upload_code_lists

    return upload_code_lists()


def _refuse_stale_or_empty(comparison, expected_fingerprint):
    if expected_fingerprint is not None and expected_fingerprint != comparison.fingerprint:
        raise StalePreview(str(STALE_PREVIEW))
    if all(change.kind == "unchanged" for change in comparison.changes):
        raise NothingToPublish(NOTHING_TO_PUBLISH)


def figures_once_published(rows, comparison):
    """The figures around a file as they will be once it is published, from its rows and their
    Comparison (made with the code lists): ({cell key (codes): value}, the keys whose status will be
    "derived"). A row's status is the one it gives, else its cell's (CellChange.row): a residual of stated
    shares a file restates without a status column stays derived, and one it restates with another status
    (a document states it) is derived no more."""
    values = {**comparison.live_amounts, **{cell_key(row): row["amount"] for row in rows}}
    given = {cell_key(change.row): change.row["status_value"] for change in comparison.changes}
    derived = {key for key in comparison.live_derived if key not in given}
    derived |= {key for key, status in given.items() if status == Status.DERIVED}
    return values, derived


def _refuse_broken_totals(rows, comparison, code_lists):
    """The totals a file touches, its "of which" figures, and its stated shares and counts of countries,
    checked on the values as they will be once it is published. The fingerprint covers only the cells
    the file writes; another publish since the preview may have changed the parts (or the figure a part
    is of) it does not write."""
    merged, derived = figures_once_published(rows, comparison)
    failed = _broken(merged, code_lists, touched={cell_key(row): row for row in rows}, derived=derived)
    if failed:
        raise PublishRefused(
            gettext("The published figures changed since this file was previewed: %(totals)s Preview it again.")
            % {"totals": " ".join(failed)}
        )


def _broken(amounts, code_lists, *, touched, derived):
    """The problems of the figures `amounts` ({cell key (codes): value}) around the cells `touched`, as
    an upload's are checked: totals against their parts, "of which" figures against the figure they are
    part of, stated shares and counts of countries. A list of messages, [] when they hold together."""
    checks = [(total_message, check_totals(amounts, code_lists.parts, touched=touched))]
    checks.append((of_which_message, check_of_which(amounts, code_lists.parents, touched=touched)))
    checks.append((stated_message, check_stated(amounts, code_lists.parts, touched=touched, derived=derived)))
    return [message(check, code_lists.names) for message, found in checks for check in found if not check["ok"]]


def _refuse_a_withdrawal_that_breaks(release, cells):
    """The figures a withdrawal leaves live in and around `cells` (id keys, see _cells), read under the
    lock after its values stopped being live and the earlier ones came back, must hold together as
    an upload's do: a withdrawal brings each cell back on its own, and the values of the releases
    published since may not agree with the ones it restores. Raises WithdrawRefused naming what would
    not hold (the caller's transaction then writes nothing)."""
    code_lists = _code_lists_now()
    ids = _code_ids()
    coded = _code_keys(ids)
    keys = [coded(cell) for cell in cells]
    rows = [
        dict(zip(("measure", "country_group", "year", "source", "region", "input_type"), key, strict=True))
        for key in keys
    ]
    live = _live_values(dict.fromkeys(cells), widen=_widen(ids, code_lists, rows))
    amounts = {coded(cell): value.amount for cell, value in live.items()}
    derived = {coded(cell) for cell, value in live.items() if value.status == Status.DERIVED}
    failed = _broken(amounts, code_lists, touched=dict.fromkeys(keys), derived=derived)
    if failed:
        raise WithdrawRefused(
            gettext(
                "Release %(number)s is not withdrawn: the figures it would bring back do not agree with those "
                "published since. %(problems)s Withdraw the later release first, or publish a corrected file."
            )
            % {"number": release.pk, "problems": " ".join(failed)}
        )


def _save_published(
    release, kinds, *, seq, title, checksum, user, file_name, file_bytes, note, number_format, read_options
):
    """The release row, published now (at `seq` in the order of publication), with its counts of new,
    changed and unchanged values. A draft's file, already stored, is not sent again (a 100k-row file
    is 6 MB)."""
    stored = release.pk is not None and file_bytes is not None and bytes(release.file_bytes or b"") == file_bytes
    release.title = title or release.title
    release.file_name = file_name or release.file_name
    release.file_bytes = file_bytes if file_bytes is not None else release.file_bytes
    release.checksum = checksum
    release.note = note or release.note
    release.number_format = number_format or release.number_format
    release.read_options = read_options if read_options is not None else release.read_options
    release.created_by = release.created_by or user
    release.state = Release.State.PUBLISHED
    release.published_seq = seq
    release.checked = None  # a draft's checked rows: its values are now observations
    release.new_values = kinds.get("new", 0)
    release.changed_values = sum(kinds.get(kind, 0) for kind in ("amount", "status", "provenance"))
    release.unchanged_values = kinds.get("unchanged", 0)
    if stored:
        fields = [f.name for f in Release._meta.concrete_fields if not f.primary_key and f.name != "file_bytes"]
        release.save(update_fields=fields)
    else:
        release.save()
    return release


def _retire(replaced):
    """The replaced values stop being live (before the new ones arrive: one live value per cell),
    in one statement: the ids travel as one parameter (bulk.among). Returns the documents they cite,
    Counter {(document, address): values}, as the statement returns them (on PostgreSQL counted by
    the database, in a data-modifying WITH; SQLite has none and returns the rows). The rows are found by
    their primary key (bulk.fetched_by_index), not by reading the whole table."""
    if not replaced:
        return Counter()
    quote = connection.ops.quote_name
    document, url = (quote(Observation._meta.get_field(name).column) for name in ("document", "document_url"))
    update, params = _is_current_update(replaced, False)
    update += f" RETURNING {document}, {url}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            counted = fetched_by_index(
                cursor,
                f"WITH gone AS ({update}) SELECT {document}, {url}, COUNT(*) FROM gone"  # noqa: S608
                f" WHERE {document} <> '' GROUP BY {document}, {url}",
                params,
            )
            return Counter({(d, u): n for d, u, n in counted})
        cursor.execute(update, params)
        return Counter(pair for pair in cursor.fetchall() if pair[0])


def _is_current_update(ids, live):
    """(SQL, params) of the UPDATE that sets the observations `ids` live or not (`live`), in one
    statement: the ids travel as one parameter (bulk.among)."""
    quote = connection.ops.quote_name
    condition, params = among(quote(Observation._meta.pk.column), ids)
    update = f"UPDATE {quote(Observation._meta.db_table)} SET is_current = %s WHERE {condition}"  # noqa: S608
    return update, [live, *params]


OBSERVATION_COLUMNS = (
    "release_id", "measure", "country_group_id", "year", "source_id", "region_id", "input_type_id", "amount",
    "status", "document", "document_url", "note", "is_current",
)  # fmt: skip
# Where a Prepared value holds its document and its address: the columns written, but the release and
# is_current, which _insert_observations adds.
DOCUMENT, DOCUMENT_URL = (OBSERVATION_COLUMNS[1:-1].index(name) for name in ("document", "document_url"))


def _insert_observations(release, values):
    """`values` (see Prepared) become live observations of `release`, in one bulk write: COPY FROM
    on PostgreSQL (its CSV written as the server reads it: _CSVRead), one executemany on SQLite (no
    model instances: a publish may write 100,000 rows)."""
    values = ((release.pk, *value) for value in values)
    table = connection.ops.quote_name(Observation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in OBSERVATION_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # An empty document or note is text, not NULL.
            options = "FORMAT csv, FORCE_NOT_NULL (document, document_url, note)"
            with connection.wrap_database_errors:  # a refusal is Django's IntegrityError, as from execute()
                cursor.copy_expert(
                    f"COPY {table} ({columns}) FROM STDIN WITH ({options})", _CSVRead((*row, "t") for row in values)
                )
        else:
            marks = ", ".join(["%s"] * len(OBSERVATION_COLUMNS))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
            cursor.executemany(insert, [(*row, True) for row in values])


class _CSVRead:
    """`rows` as CSV text, a file for COPY FROM STDIN (copy_expert calls read() until it gives nothing),
    written `batch` rows at a time as it is read. The server takes each piece in while the next is
    written, where a file written whole before the COPY made it wait for all of it: a publish's 100,000
    values went in in 1.86-1.88 s instead of 2.04 s (medians of six, interleaved)."""

    def __init__(self, rows, *, batch=2000):
        self._rows, self._batch = iter(rows), batch
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")

    def read(self, size=-1):
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerows(itertools.islice(self._rows, self._batch))
        return self._buffer.getvalue()


def _record_publish(release, kinds, user):
    ReleaseEvent.objects.create(
        release=release,
        action=ReleaseEvent.Action.PUBLISH,
        by=user,
        facts=publish_facts(
            new=release.new_values,
            changed=release.changed_values,
            amount=kinds.get("amount", 0),
            status=kinds.get("status", 0),
            provenance=kinds.get("provenance", 0),
            unchanged=release.unchanged_values,
        ),
    )


def refuse_unless_published(release):
    """Raise WithdrawRefused, with the user's message, unless `release` is published."""
    if release.state != Release.State.PUBLISHED:
        raise WithdrawRefused(
            gettext("Release %(number)s is %(state)s; only a published one can be withdrawn.")
            % {"number": release.pk, "state": release.get_state_display().lower()}
        )


@transaction.atomic
def withdraw_release(*, release, user=None, note=""):
    """Withdraw a published release: its values stop being live, and in each cell where one of them
    was live the newest value by publication (Release.published_seq) of the still-published releases
    comes back, which is the value it replaced, or the one before that if the release that gave it
    was withdrawn since. Its values that were no longer live (a later release changed the cell) stay
    as they are, and so does every cell it did not write. Recorded as an event counting the values
    withdrawn and restored. Raises WithdrawRefused when the release, read under the lock, is not
    published (two withdrawals of one release at once: the second is told it is withdrawn)."""
    _lock_dataset()
    release = Release.objects.without_contents().select_for_update().get(pk=release.pk)
    refuse_unless_published(release)

    live = list(release.observations.filter(is_current=True).values_list("pk", *CELL_COLUMNS))
    gone = [pk for pk, *_ in live]
    cells = {tuple(cell) for _, *cell in live}
    ids = list(_values_to_restore(release).values())
    Observation.objects.filter(release=release, is_current=True).update(is_current=False)
    _set_current(ids)
    if cells:
        _refuse_a_withdrawal_that_breaks(release, cells)
    replace_live_cells(gone=gone, came_ids=ids)
    replace_live_documents(gone=gone, came_ids=ids)

    release.state = Release.State.WITHDRAWN
    release.withdrawn_seq = _next_seq()
    release.save(update_fields=["state", "withdrawn_seq"])
    ReleaseEvent.objects.create(
        release=release,
        action=ReleaseEvent.Action.WITHDRAW,
        by=user,
        detail=note,
        facts=withdraw_facts(withdrawn=len(gone), restored=len(ids)),
    )
    _bump_version()
    return release


# A cell's key columns (the model's columns), in the order of a cell's tuple (see _cells).
CELL_COLUMNS = ("measure", "country_group_id", "year", "source_id", "region_id", "input_type_id")


def _values_to_restore(release):
    """{cell: id} of the value each cell of `release`'s live values goes back to when it is withdrawn:
    the newest by publication (published_seq) of the other still-published releases' values in that
    cell, where there is one.

    One join from the release's own live values (its unique index leads by release) to each cell's
    history (observation_cell_history): the rows read are those of the release's cells only. Reading
    every value of the measures and years it touched, as model objects, took 10 s of a 100,000-value
    withdrawal among a million values on SQLite."""
    quote = connection.ops.quote_name
    table, releases = quote(Observation._meta.db_table), quote(Release._meta.db_table)
    columns = [quote(column) for column in CELL_COLUMNS]
    same_cell = " AND ".join(f"earlier.{column} = own.{column}" for column in columns)
    sql = (
        f"SELECT earlier.id, {', '.join(f'earlier.{column}' for column in columns)}"  # noqa: S608 - names from the models
        f" FROM {table} own JOIN {table} earlier ON {same_cell} JOIN {releases} r ON r.id = earlier.release_id"
        " WHERE own.release_id = %s AND own.is_current = %s AND earlier.release_id <> %s AND r.state = %s"
        # In the order of publication (a release published before the order was kept first), so that the
        # last one published wins.
        " ORDER BY r.published_seq IS NOT NULL, r.published_seq, earlier.release_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [release.pk, True, release.pk, Release.State.PUBLISHED])
        return {tuple(cell): pk for pk, *cell in cursor.fetchall()}


def _set_current(ids):
    """The values `ids` are live again, in one statement."""
    if ids:
        with connection.cursor() as cursor:
            cursor.execute(*_is_current_update(ids, True))


@transaction.atomic
def record_code_list_change():
    """A code list (names, order, colours, parents) changed: pages show it, so the live generation
    moves on as it does for a publish, and every server's cached pages are left behind. A parent set
    or cleared moves cells in or out of the top level: the summary is made again."""
    Dataset.objects.select_for_update().get()
    rebuild_live_cells()
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
