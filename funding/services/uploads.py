"""Uploads: check a file against the live values, keep it as a draft release, publish the draft.

Reads the database to compare and check; writes only through `publish_release` (one transaction).
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from ..caching import live_generation
from ..events import upload_facts
from ..importers import (
    DEFAULT_NUMBER_FORMAT,
    LONG,
    VALUE_COLUMNS,
    Problem,
    ReadOptions,
    cell_key,
    check_of_which,
    check_stated,
    check_totals,
    code_lists_from,
    counted,
    of_which_message,
    parts_words,
    pointed_out,
    read_upload,
    stated_message,
    thousands_text,
    total_message,
)
from ..importers.appendix import change_against, compare_percent
from ..importers.files import at_cell
from ..models import CountryGroup, InputType, Measure, Region, Release, ReleaseEvent, Source, Status
from ..vocabulary import STATUS_NAMES, in_a_list, name_field, percent_words, unit_words
from .bulk import without_cycle_collection
from .publishing import (
    KINDS,
    AlreadyPublished,
    Prepared,
    PublishRefused,
    _code_ids,
    _compare,
    _current_for,
    figures_once_published,
    id_key,
    prepare,
    publish_release,
    published_release_with_checksum,
)

# After a problem of the file's values against the live ones: which of them were not the file's.
LIVE_VALUES_WORDS = gettext_lazy("(Values not in the file are the live ones.)")
# The preview lists this many values (changes first); the counts cover them all.
PREVIEW_ROWS = 1000
FIELD_WORDS = {
    "amount": gettext_lazy("amount"),
    "status": gettext_lazy("status"),
    "document": gettext_lazy("document"),
    "document_url": gettext_lazy("document URL"),
    "note": gettext_lazy("note"),
}


@dataclass
class UploadCheck:
    """Everything the upload page and the import command show about one file, before any write.

    `problems` (importers.Problem) empty means the file can be published; `changes` are the
    CellChanges against the live values, `fingerprint` identifies those live values, `totals` is
    one check per total the file touches (importers.check_totals), `ambiguous` lists text amounts
    another number format would read differently, `identical` the published release with the same
    file, if any. `columns` names the optional value columns the file has (one it lacks keeps what
    is on record) and `sheet`, for a workbook, the sheet read ({"name", "hidden"}).
    """

    file_name: str
    checksum: str
    number_format: str
    rows: list
    problems: list
    ambiguous: list
    changes: list
    fingerprint: str
    totals: list
    identical: Release | None
    # {dimension: {code: name}}, read with the code lists, for the preview's labels.
    names: dict = field(default_factory=dict)
    # The layout recognised (importers.LONG, WIDE, APPENDIX), the tables as read (wide and appendix
    # files), every printed share or change compared, the sheets read and the hidden ones not read.
    layout: str = LONG
    tables: list = field(default_factory=list)
    share_checks: list = field(default_factory=list)
    sheets: list = field(default_factory=list)
    hidden_sheets: list = field(default_factory=list)
    options: ReadOptions = field(default_factory=ReadOptions)
    columns: tuple = ()
    sheet: dict | None = None
    # The value column as a long file names it (ReadResult.amount_column), for its problems.
    amount_column: str = "amount_usd_thousands"
    # What publishing it writes, worked out here (publishing.Prepared): a publish uses it as it is when
    # nothing live changed since.
    prepared: Prepared | None = None
    # The empty cells of a wide or appendix file where a value is live, left as on record
    # (empty_cells_on_record).
    left_as_on_record: list = field(default_factory=list)

    @property
    def tally(self):
        """The problems as the page's heading counts them (importers.counted)."""
        return counted(self.problems)

    @property
    def ok(self):
        return not self.problems

    def of_kind(self, kind):
        """The changes of one of publishing.KINDS, or of any of the three "changed" ones."""
        kinds = ("amount", "status", "provenance") if kind == "changed" else (kind,)
        return [change for change in self.changes if change.kind in kinds]

    @property
    def counts(self):
        """{kind: count} for each of publishing.KINDS, and "changed": amount + status + provenance."""
        kinds = [change.kind for change in self.changes]
        counts = {kind: kinds.count(kind) for kind in KINDS}
        counts["changed"] = counts["amount"] + counts["status"] + counts["provenance"]
        return counts

    @property
    def nothing_to_publish(self):
        """True when every value of the file is already live, provenance included."""
        return self.ok and not self.identical and all(change.kind == "unchanged" for change in self.changes)

    @property
    def missing_columns(self):
        """The optional value columns a long file lacks: for those, what is on record is kept. (A wide
        or appendix file says what it says in its own way; the upload's options fill in the rest.)"""
        if self.layout != LONG:
            return []
        return [column for column in VALUE_COLUMNS if column not in self.columns]

    @property
    def new_documents_lose_their_address(self):
        """Whether the file, without a document_url column, gives a value on record another document: that
        value has no document URL then, the address on record being the old document's
        (publishing._changes), so "what is on record is kept" does not hold for that column there."""
        return "document_url" in self.missing_columns and any(
            "document_url" in change.changed_fields for change in self.changes
        )

    @property
    def restated_years(self):
        """(measure, year) pairs whose published amounts this file changes: a restatement, flagged."""
        return sorted({(c.row["measure"], c.row["year"]) for c in self.changes if c.kind == "amount"})


DIMENSION_MODELS = (("source", Source), ("region", Region), ("country_group", CountryGroup), ("input_type", InputType))


def _members():
    """{dimension: [{"code", "name", "name_fr", "name_es", "parent__code"}...]}: every code list, four small queries."""
    fields = ("code", "name", "name_fr", "name_es", "parent__code")
    return {dim: list(model.objects.values(*fields)) for dim, model in DIMENSION_MODELS}


def _names(members):
    """{dimension: {code: name}} in the active language (the English name where there is none)."""
    field = name_field()
    return {dim: {m["code"]: m[field] or m["name"] for m in rows} for dim, rows in members.items()}


def upload_code_lists(members=None):
    """The code lists an upload is checked against (importers.CodeLists), from `members` or read now."""
    return code_lists_from(members or _members())


def file_checksum(data):
    return hashlib.sha256(data).hexdigest()


@without_cycle_collection()
def check_upload(*, data, file_name, number_format=DEFAULT_NUMBER_FORMAT, options=None):
    """File bytes + name + number format -> UploadCheck. Reads the database, writes nothing.

    The file's own checks come from `importers.read_upload`; here each total the file touches is
    also checked against its parts as they will be once the file is published (the file's values
    over the live ones), so a file that restates one part of a published year cannot break its total,
    and so is each "of which" figure against the figure it is part of (importers.check_of_which).
    `options` (importers.ReadOptions) says what a wide or appendix file does not. A status,
    document, URL or note neither the file nor the options give is kept as on record. A wide or
    appendix file whose printed shares, changes or totals disagree with its amounts is compared
    with the live values all the same (the preview shows where), but has problems: it is not published.
    """
    options = options or ReadOptions()
    checksum = file_checksum(data) if data else ""
    members = _members()
    code_lists = upload_code_lists(members)
    result = read_upload(
        data,
        file_name=file_name,
        number_format=number_format,
        code_lists=code_lists,
        max_bytes=settings.UPLOAD_MAX_BYTES,
        options=options,
    )
    check = UploadCheck(
        file_name=file_name,
        checksum=checksum,
        number_format=number_format,
        rows=result.rows,
        problems=list(result.problems),
        ambiguous=result.ambiguous,
        changes=[],
        fingerprint="",
        totals=[],
        identical=None,
        names=_names(members),
        layout=result.layout,
        tables=result.tables,
        share_checks=result.share_checks,
        sheets=result.sheets,
        hidden_sheets=result.hidden_sheets,
        options=options,
        columns=result.columns,
        sheet=result.sheet,
        amount_column=result.amount_column,
    )
    return _against_live(check, code_lists, mismatches=result.mismatches)


def _against_live(check, code_lists, mismatches=()):
    """A file's rows, read and checked on their own -> the same UploadCheck, checked against the
    live values: totals over the live parts, "of which" figures against the figures they are part
    of, the identical release, the changes and fingerprint,
    all from one read of the live values around the file (publishing._compare).
    A status, document, URL or note the row leaves open (no column, or None) is the live one's
    (publishing._changes), in the changes and in what is published."""
    if not check.ok:
        check.problems += list(mismatches)
        return check
    generation, _ = live_generation()  # read first: what is compared is this generation or newer
    try:
        comparison = _compare(check.rows, code_lists=code_lists)
    except ValueError:  # a code of the file was taken out of the code lists since it was checked
        check.problems.append(Problem(None, "", gettext("The file uses a code that is no longer in the code lists.")))
        check.rows, check.ambiguous, check.totals = [], [], []
        return check
    keys = list(map(cell_key, check.rows))
    lines = dict(zip(keys, (row["line"] for row in check.rows), strict=True))
    merged, derived = figures_once_published(check.rows, comparison)
    check.totals = check_totals(merged, code_lists.parts, touched=lines)
    stated = check_stated(merged, code_lists.parts, touched=lines, derived=derived)
    failed = [(t, total_message(t, code_lists.names)) for t in check.totals if not t["ok"]]
    failed += [(s, stated_message(s, code_lists.names)) for s in stated if not s["ok"]]
    rows = dict(zip(keys, check.rows, strict=True))
    # The file's own cells that do not agree (an appendix table's TOTAL and its rows, a printed share)
    # come first: a total the live parts do not add up to is often that same error seen from there.
    against_live = []
    for total, message in failed:
        cells = [total["total_cell"], *total["part_cells"]]
        first = min((rows[c] for c in cells if c in rows), key=lambda row: row["line"])
        if not all(c in lines for c in cells if c in merged):
            against_live.append(_problem_at(first, check.amount_column, f"{message} {LIVE_VALUES_WORDS}"))
        elif total.get("kind") == "residual":  # within the file: the readers know no statuses, so not this one
            against_live.append(_problem_at(first, check.amount_column, message))
        # Else within the file: the reader said it.
    against_live += _of_which_problems(merged, code_lists, rows=rows, amount_column=check.amount_column)
    if against_live:
        check.problems += list(mismatches) + against_live
        check.problems += pointed_out(check.ambiguous, layout=check.layout)
        check.rows, check.ambiguous, check.totals = [], [], []
        return check
    check.identical = published_release_with_checksum(
        check.checksum, number_format=check.number_format, read_options=check.options.as_dict()
    )
    check.changes, check.fingerprint = comparison.changes, comparison.fingerprint
    check.problems += stale_derived_notes(check.changes, check.rows)
    check.prepared = prepare(comparison, generation=generation)
    check.left_as_on_record = empty_cells_on_record(check)
    # A wide or appendix file whose printed shares, changes or totals disagree with its amounts is
    # compared all the same (the preview shows where) but has problems: it is not published.
    check.problems += list(mismatches) + changes_on_live(check)
    if check.problems:
        check.problems += pointed_out(check.ambiguous, layout=check.layout)
    return check


def stale_derived_notes(changes, rows):
    """A problem for each row that changes the amount of a derived value and gives it no note (the file
    has no note column, or says nothing for it), where the note on record says how the old amount was
    derived ("what is left of 100 per cent after ... UNDP (45.9) ..."): kept, as a missing field is,
    that note would explain a number no longer shown, beside the new one. `changes`: the CellChanges of
    `rows`, the file's rows as read (a row without "note", or with None, gives none)."""
    given = {row["line"] for row in rows if row.get("note") is not None}
    problems = []
    for change in changes:
        old, row = change.old, change.row
        if old is None or old.status != Status.DERIVED or not old.note or "amount" not in change.changed_fields:
            continue
        if row["line"] in given:
            continue
        note = old.note if len(old.note) <= NOTE_QUOTED else old.note[: NOTE_QUOTED - 1] + "…"
        words = {"old": thousands_text(old.amount), "new": thousands_text(row["amount"]), "note": note}
        if row.get("cell"):  # a wide or appendix file gives no notes: the long layout does
            message = gettext(
                "This changes a derived value (%(old)s to %(new)s), and the note on record says how the old "
                "value was derived: “%(note)s”. A wide or appendix file gives no notes: upload this value in "
                "the long layout (the template), with its note saying what it is derived from now, or with an "
                "empty note to drop it."
            )
        else:
            message = gettext(
                "This changes a derived value (%(old)s to %(new)s) without giving its note, and the note on "
                "record says how the old value was derived: “%(note)s”. Give the value's note in a note "
                "column, saying what it is derived from now, or leave that cell empty to drop the note."
            )
        message %= words
        problems.append(_problem_at(row, "note", message))
    return problems


# The most of a note on record a message quotes.
NOTE_QUOTED = 200


def _of_which_problems(merged, code_lists, *, rows, amount_column):
    """A problem for each "of which" figure larger than the figure it is part of (importers.check_of_which),
    the file's values over the live ones (`merged`), at the file's row (and cell) giving one of the two.
    The readers leave this check to here, where the live values are, so every layout has it once."""
    problems = []
    for check in check_of_which(merged, code_lists.parents, touched=rows):
        if check["ok"]:
            continue
        message = of_which_message(check, code_lists.names)
        if not (check["part_cell"] in rows and check["whole_cell"] in rows):
            message += f" {LIVE_VALUES_WORDS}"
        row = rows.get(check["part_cell"]) or rows[check["whole_cell"]]
        problems.append(_problem_at(row, amount_column, message))
    return problems


def _problem_at(row, column, message):
    """A problem at a row of the file: at its cell for a wide or appendix file (its `cell`: "sheet 'By
    source', C7", or "C7"), else at `column` of a long file's row."""
    if row.get("cell"):
        address = row["cell"].rsplit(" ", 1)[-1]
        return Problem(row["line"], address.rstrip("0123456789"), at_cell(row["cell"], message))
    return Problem(row["line"], column, message)


def empty_cells_on_record(check):
    """The empty amount cells of a wide or appendix file (left blank, or printed "-", "..", "n.a.") whose
    cell has a live value, in the file's order: [{"where", "address", "key", "live"}] (live: whole dollars).

    An upload cannot delete a value: such a cell is left as on record, and the preview says so. An empty
    cell where nothing is live is "no figure" and is not listed; nor is one whose figure the file gives
    in another cell (the TOTAL of a second table). The readers mark each empty cell with the cell it
    would be (`empty_key`); this is the one place that decides which of them keep a live value.
    """
    empty = [cell for table in check.tables for line in table.rows for cell in line["cells"] if cell.get("empty_key")]
    if empty:  # a long file has none (nor tables): its rows need not be keyed
        given = set(map(cell_key, check.rows))
        empty = [cell for cell in empty if cell["empty_key"] not in given]
    if not empty:
        return []
    ids = _code_ids()
    by_cell = {}
    for cell in empty:
        by_cell.setdefault(id_key(cell["empty_key"], ids), []).append(cell)
    live = _current_for(by_cell)
    found = {id(cell): value.amount for key, value in live.items() for cell in by_cell[key]}
    return [
        {"where": cell["where"], "address": cell["address"], "key": cell["empty_key"], "live": found[id(cell)]}
        for cell in empty
        if id(cell) in found
    ]


def changes_on_live(check):
    """Compare each printed change whose year before is not in its table with the live value of that
    year (importers.appendix leaves them open with a `base_key`). Returns the problems of those that
    do not match; a change whose year before has no live value stays unchecked."""
    waiting = [
        cell
        for table in check.tables
        for line in table.rows
        for cell in line["cells"]
        if "base_key" in cell and "ok" not in cell
    ]
    if not waiting:
        return []
    ids = _code_ids()
    by_cell = {}
    for cell in waiting:
        by_cell.setdefault(id_key(cell["base_key"], ids), []).append(cell)
    problems = []
    for key, live in _current_for(by_cell).items():
        for cell in by_cell[key]:
            computed, explain = change_against(cell, cell["amount"], live.amount)
            live_words = gettext("(the live value of %(year)s)") % {"year": cell["base_year"]}
            message = compare_percent(cell, computed, f"{explain} {live_words}")
            check.share_checks.append(cell)
            if message:
                column = cell["address"].rstrip("0123456789")
                problems.append(Problem(int(cell["address"][len(column) :]), column, at_cell(cell["where"], message)))
    return problems


def _checked_rows(check):
    """What a draft keeps of its check, so that its preview never reads the file again (JSON).
    A wide or appendix file keeps none: its preview shows the tables as read, read again.

    The rows are kept field by field ("row_fields", and "by_field": for each, every row's value): every
    row of a long file has the same fields (its columns say which), and 100,000 rows written as dicts
    spent half the JSON's time and size on their keys. Drafts kept before have "rows" (_kept_rows)."""
    if check.layout != LONG:
        return None
    fields = list(check.rows[0]) if check.rows else []
    kept = {
        "row_fields": fields,
        "by_field": [[row[name] for row in check.rows] for name in fields],
        "ambiguous": check.ambiguous,
        "columns": list(check.columns),
        "sheet": check.sheet,
    }
    if check.prepared is not None:
        kept["prepared"] = check.prepared._asdict()
    return kept


@without_cycle_collection()
def create_draft(*, data, file_name, number_format=DEFAULT_NUMBER_FORMAT, note="", user=None, options=None):
    """Check a file and keep it as a draft release to preview. Returns (UploadCheck, draft or None).

    No draft is made when the file has problems, or is identical to a published release
    (`check.identical`). Uploading the same file again with the same number format reuses its draft,
    which takes the new upload's file name and note; each upload is an event of its record.
    The draft keeps the file (bytes, name, SHA-256), the number format, the rows the check read
    (`checked`) and the fingerprint of the live values it was compared with.

    The check only reads, outside any transaction: on SQLite a transaction holds the database's one
    write lock from its start, and a large file's check (seconds) kept every other writer (a sign-in's
    session, a publish, another upload) waiting, then failing with "database is locked". A publish
    between the check and the draft is caught by the fingerprint when the draft is published.
    """
    check = check_upload(data=data, file_name=file_name, number_format=number_format, options=options)
    if not check.ok or check.identical is not None:
        return check, None
    return check, keep_draft(check, data=data, file_name=file_name, number_format=number_format, note=note, user=user)


@transaction.atomic
def keep_draft(check, *, data, file_name, number_format, note, user):
    """The draft of a file already checked (`check`: an UploadCheck without problems), made or brought up
    to date in one transaction: create_draft's second half, for a caller holding the check already."""
    counts = check.counts
    read_options = check.options.as_dict()
    drafts = Release.objects.filter(state=Release.State.DRAFT, checksum=check.checksum, number_format=number_format)
    draft = next((d for d in drafts if (d.read_options or {}) == read_options), None) or Release(
        state=Release.State.DRAFT, checksum=check.checksum, number_format=number_format, read_options=read_options
    )
    draft.title = ""  # Release.shown_title names it after its file, in the reader's language
    draft.file_name = file_name[:255]
    draft.file_bytes = data
    draft.checked = _checked_rows(check)
    draft.note = note
    draft.created_by = draft.created_by or user
    draft.base_fingerprint = check.fingerprint
    draft.new_values = counts["new"]
    draft.changed_values = counts["changed"]
    draft.unchanged_values = counts["unchanged"]
    draft.save()
    # Every upload is recorded, the same file's again too: it gives the draft its file name and note,
    # so the note each upload gave is kept with its event (the draft keeps only the last one).
    ReleaseEvent.objects.create(
        release=draft,
        action=ReleaseEvent.Action.UPLOAD,
        by=user,
        facts=upload_facts(file_name=file_name, values=len(check.rows), number_format=number_format),
        detail=note,
    )
    return draft


def check_draft(release):
    """A draft's checked rows against today's live values -> UploadCheck (for its preview).

    The rows kept when the file was checked are compared again with what is live now; the file is
    read again only for a wide or appendix file (its preview shows its tables as read) and for a
    draft kept before rows were kept with drafts.
    """
    members = _members()
    check = _kept_check(release, members)
    if check is None:
        return check_upload(
            data=bytes(release.file_bytes or b""),
            file_name=release.file_name,
            number_format=release.number_format,
            options=ReadOptions.from_dict(release.read_options),
        )
    return _against_live(check, upload_code_lists(members))


def _kept_check(release, members=None, *, rows_when_read=False):
    """The UploadCheck of a draft's kept rows, not yet compared with anything (None when it kept none).
    `members` (see _members) gives the preview its names; a publish needs none. With `rows_when_read`
    (a publish), the rows are made the first time they are read (_RowsWhenRead)."""
    kept = release.checked
    if not kept:
        return None
    check = UploadCheck(
        file_name=release.file_name,
        checksum=release.checksum,
        number_format=release.number_format,
        rows=_RowsWhenRead(kept) if rows_when_read else _kept_rows(kept),
        problems=[],
        ambiguous=kept.get("ambiguous", []),
        changes=[],
        fingerprint="",
        totals=[],
        identical=None,
        names=_names(members or {}),
        options=ReadOptions.from_dict(release.read_options),
        columns=tuple(kept.get("columns", ())),
        sheet=kept.get("sheet"),
        prepared=Prepared(**kept["prepared"]) if kept.get("prepared") else None,
    )
    return check


class _RowsWhenRead(Sequence):
    """A draft's kept rows (_kept_rows), made the first time anything reads them. A publish whose preview
    still holds writes the values the preview prepared (publishing._preview_still_holds) and never reads
    the rows: a 100,000-row draft's are 100,000 dicts, 0.15-0.25 s to make for nothing."""

    def __init__(self, kept):
        self._kept, self._rows = kept, None

    def _made(self):
        if self._rows is None:
            self._rows = _kept_rows(self._kept)
        return self._rows

    def __getitem__(self, index):
        return self._made()[index]

    def __len__(self):
        return len(self._made())

    def __iter__(self):
        return iter(self._made())


def _kept_rows(kept):
    """The rows a draft kept (_checked_rows), as the check read them: dicts."""
    if "rows" in kept:  # kept as dicts, before they were kept field by field
        return kept["rows"]
    fields = kept["row_fields"]
    return [dict(zip(fields, values, strict=True)) for values in zip(*kept["by_field"], strict=True)]


def publisher_refusal(release, user):
    """Why `user` may not publish `release` although they hold the permission, or "": with
    settings.REQUIRE_SEPARATE_PUBLISHER, no one who uploaded a file publishes it. The same file uploaded
    again is the same draft (create_draft), so its uploaders are everyone its upload events name, not
    only the first (`created_by`): a colleague who uploads it again, giving it their file name and note,
    uploaded it too. The preview asks it to leave the Publish button out; publish_draft to refuse."""
    if not settings.REQUIRE_SEPARATE_PUBLISHER or user is None:
        return ""
    uploaded = release.created_by_id == user.pk or (
        release.pk is not None and release.events.filter(action=ReleaseEvent.Action.UPLOAD, by=user).exists()
    )
    if uploaded:
        return gettext("This office requires that someone other than the person who uploaded a file publishes it.")
    return ""


def refuse_unless_draft(release):
    """Raise AlreadyPublished for a published release and PublishRefused for a withdrawn one: only a
    draft is published. What a publish says before anything else, whatever the form sent with it."""
    if release.state == Release.State.PUBLISHED:
        raise AlreadyPublished(
            gettext("Release %(number)s is already published; nothing changed.") % {"number": release.pk}
        )
    if release.state != Release.State.DRAFT:
        raise PublishRefused(
            gettext("Release %(number)s is %(state)s; only a draft is published.")
            % {"number": release.pk, "state": release.get_state_display().lower()}
        )


@without_cycle_collection()
def publish_draft(*, release, user=None, expected_fingerprint=None):
    """Publish a draft as previewed. Returns (release, created).

    `expected_fingerprint` is the one the user's preview was computed with (the draft's own when
    None); raises StalePreview when the live values of its cells changed since. Raises AlreadyPublished
    when it is published, PublishRefused when it is withdrawn, the office requires another publisher
    than the uploader (settings.REQUIRE_SEPARATE_PUBLISHER), or the file no longer passes its checks.
    A file identical to a published release returns that release with created=False and leaves the
    draft as it is.
    A draft that kept its checked rows (a long file) is not checked again before the lock: under it,
    `publish_release` compares the rows with the live values (the fingerprint) and checks every total
    they touch, which is all a second check would find; a wide or appendix file is read again.
    """
    refuse_unless_draft(release)
    refusal = publisher_refusal(release, user)
    if refusal:
        raise PublishRefused(refusal)
    check = _kept_check(release, rows_when_read=True) or check_draft(release)
    if not check.ok:
        raise PublishRefused(
            gettext("The file no longer passes its checks: %(problems)s") % {"problems": in_a_list(check.problems)}
        )
    return publish_checked(
        check=check,
        title=release.title,
        data=bytes(release.file_bytes),
        note=release.note,
        user=user,
        expected_fingerprint=expected_fingerprint or release.base_fingerprint,
        draft=release,
    )


def publish_checked(*, check, title, data, note="", user=None, expected_fingerprint=None, draft=None):
    """Publish the rows of a passed UploadCheck as one release (the web's and the command's publish).

    Returns (release, created) as `publish_release` does. The fingerprint covers the cells the file
    writes; the totals of those cells also depend on parts it does not write, which someone else may
    have changed since the preview. So, inside the transaction and the lock, the totals are checked
    again on the values live then; a failure raises PublishRefused and writes nothing.
    A code the file uses that was taken out of the code lists since raises PublishRefused too.
    """
    try:
        return publish_release(
            title=title,
            rows=check.rows,
            checksum=check.checksum,
            user=user,
            file_name=check.file_name,
            file_bytes=data,
            note=note,
            number_format=check.number_format,
            read_options=check.options.as_dict(),
            expected_fingerprint=expected_fingerprint,
            draft=draft,
            recheck_totals=True,
            prepared=check.prepared,
        )
    except ValueError as error:  # publishing._cells: an unknown code
        if "unknown code" not in str(error):
            raise
        raise PublishRefused(gettext("The file uses a code that is no longer in the code lists.")) from None


def _field_text(name, value):
    if name == "amount":
        return thousands_text(value)
    if name == "status":
        return STATUS_NAMES.get(value, value)
    return value if value != "" else gettext("(empty)")


def _difference_words(percent):
    """A changed amount's difference in per cent, to one decimal or, where that would read "0.0%" (31,211
    to 31,210 is -0.003%), to the decimal of its first digit: a change never reads as none."""
    decimals = 1
    while percent.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP) == 0 and decimals < 6:
        decimals += 1
    return percent_words(percent, signed=True, decimals=decimals)


def preview_rows(check, *, limit=PREVIEW_ROWS):
    """An UploadCheck's changes as plain dicts for the preview table: changed first (amounts,
    statuses, provenance), then new, then unchanged; at most `limit` of them (the counts say all).

    Each: kind (publishing.KINDS), line (row of the file), measure, year, source, region, group,
    input_type (names), old and new (amount in thousands, old None when new), difference_pct
    (the change in per cent as the tables write it, vocabulary.percent_words: "+8.0%", "-3,2 %"; None
    unless the amount changed from a non-zero value), old_status, status,
    document, document_url, note (as they will be), and fields: [{"field", "old", "new"}] for every
    changed part of the value (amount, status, document, document URL, note), before -> after.
    """
    names = check.names
    order = {"amount": 0, "status": 1, "provenance": 2, "new": 3, "unchanged": 4}
    changes = sorted(
        check.changes, key=lambda c: (order[c.kind], c.row["measure"], c.row["year"], c.row.get("line") or 0)
    )
    rows = []
    for change in changes[:limit]:
        row, old = change.row, change.old
        difference = None
        if old is not None and old.amount and change.kind == "amount":
            difference = _difference_words(Decimal(row["amount"] - old.amount) * 100 / old.amount)
        before = {} if old is None else {"amount": old.amount, "status": Status(old.status).label,
                                         "document": old.document, "document_url": old.document_url,
                                         "note": old.note}  # fmt: skip
        rows.append(
            {
                "kind": change.kind,
                "line": row.get("line"),
                "measure": row["measure"],
                "measure_name": Measure(row["measure"]).label,
                "year": row["year"],
                **{dim: names[dim].get(row[dim], row[dim]) for dim in ("source", "region")},
                "group": names["country_group"].get(row["country_group"], row["country_group"]),
                "input_type": names["input_type"].get(row["input_type"], row["input_type"]),
                "old": thousands_text(old.amount) if old is not None else None,
                "new": thousands_text(row["amount"]),
                "difference_pct": difference,
                "old_status": Status(old.status).label if old is not None else None,
                "status": row["status"],
                "status_name": STATUS_NAMES.get(row["status"], row["status"]),
                "old_status_name": STATUS_NAMES[Status(old.status).label] if old is not None else None,
                "document": row["document"],
                "document_url": row["document_url"],
                "note": row["note"],
                "fields": [
                    {
                        "field": FIELD_WORDS[name],
                        "old": _field_text(name, before[name]),
                        "new": _field_text(name, row[name]),
                    }
                    for name in change.changed_fields
                ],
                "restated": change.kind == "amount",
            }
        )
    return rows


def preview_units(check):
    """The unit of each measure among an UploadCheck's values, in the measures' order, for the preview's
    caption: ["Expenditure: thousands of US dollars.", "Recipient countries: countries."]. A file of
    shares or counts is not in dollars, and its preview must not say so."""
    measures = {change.row["measure"] for change in check.changes}
    return [unit_words(measure) for measure in Measure.values if measure in measures]


def totals_rows(check):
    """An UploadCheck's total-versus-parts checks as plain dicts for the preview: those with every part
    there (a total with a part missing is only checked not to be passed by the parts given; the
    difference to it says nothing). Its parts are named as a problem names them: "sources of funds in
    Africa" for Africa's total, so the checks of one year and group tell which total each is."""
    names = check.names["country_group"]
    return [
        {
            "measure": t["total_cell"][0],
            "measure_name": Measure(t["total_cell"][0]).label,
            "year": t["total_cell"][2],
            "group": names.get(t["total_cell"][1], t["total_cell"][1]),
            "by": parts_words(t["dimension"], t["total_cell"], check.names),
            "total": thousands_text(t["total"]),
            "sum": thousands_text(t["sum"]),
            "difference": thousands_text(t["difference"])
            if t["difference"] >= 0
            else "-" + thousands_text(-t["difference"]),
            "ok": t["ok"],
        }
        for t in check.totals
        if t["complete"]
    ]


def template_code_rows():
    """(column, code, name) of every code an upload accepts, names in the active language, for the
    XLSX template's second sheet."""
    rows = [("measure", value, str(label)) for value, label in Measure.choices]
    for dim, members in _members().items():
        field = name_field()
        rows += [(dim, member["code"], member[field] or member["name"]) for member in members]
    rows += [("status", label, str(STATUS_NAMES.get(label, ""))) for _, label in Status.choices]
    return rows


def template_names():
    """{"source": {code: name}, "region": {...}} in the active language, for the template's name columns."""
    return _names(_members())
