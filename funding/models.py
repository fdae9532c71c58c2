"""The data model: published observations of a small statistical cube, and the releases that load them.

The ILO publishes marginal tables (one by source of funds, one by region, each with its own total),
not a cube. Following SDMX, every observation is a value at one point of the cube, and each
dimension has an explicit "total" member (code `_T`): the published total for 1995 is the cell
(expenditure, 1995, source=_T, region=_T), a cell of its own, so it is never re-added from its
parts, and the by-source and by-region tables never meet in a sum (a query always pins every
dimension it does not break down to `_T`).

Amounts are stored as whole US dollars in a 64-bit integer. SQLite keeps `DecimalField` as a
floating-point number and its sums drift; integer sums are exact on every engine. The API speaks
in thousands of US dollars, as the ILO's tables do, as `Decimal`.

A cell can hold several values over time, one per release; exactly one of them is current
(`is_current`, enforced by a partial unique index). Pages read current values only.
"""

import json
import zlib
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# The total code and the choices are words of the domain, written once in `vocabulary`.
from .vocabulary import TOTAL, Measure, Status

MIN_YEAR = 1950
MAX_YEAR = 2100
# The most an observation's amount may be, in whole US dollars: a trillion, a thousand times the ILO's
# whole technical cooperation programme in a year (some hundreds of millions), so no real figure comes
# near it, and far within the 64-bit column (9.2 x 10**18). An upload refuses more, naming the cell
# (importers), and so does PostgreSQL (`observation_amount_is_sane`; on SQLite see migration 0025).
MAX_AMOUNT = 10**12


class DimensionMember(models.Model):
    """A member of a code list: a stable URL code, a name, a display order and an optional parent."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120, unique=True)
    name_fr = models.CharField(max_length=120, blank=True)
    name_es = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_total(self):
        return self.code == TOTAL


class Source(DimensionMember):
    """A source of funds. IPEC or single donors can later sit under "Trust funds and multi-bi"."""

    colour = models.CharField(max_length=7, help_text="#rrggbb, the same on every page")

    class Meta(DimensionMember.Meta):
        verbose_name_plural = "sources of funds"


class Region(DimensionMember):
    """An ILO region. Countries can later sit under their region."""

    colour = models.CharField(max_length=7, help_text="#rrggbb, the same on every page")


class CountryGroup(DimensionMember):
    """Which countries an observation covers: all of them, or a group such as the LDCs."""


class InputType(DimensionMember):
    """Type of input (experts, training, equipment...): the ILO's third marginal table."""

    colour = models.CharField(max_length=7, help_text="#rrggbb, the same on every page")


class Dataset(models.Model):
    """The single row that every publish and withdrawal locks and bumps.

    Writers take `SELECT ... FOR UPDATE` on it (PostgreSQL) or an IMMEDIATE transaction (SQLite),
    so two publishes never interleave; `version` and `changed_at` change with every change of live
    values, inside the same transaction: they are the generation that cached responses and ETags are
    keyed by (see funding.caching).
    """

    name = models.CharField(max_length=100, unique=True)
    version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


# What a release holds besides its description: the file as uploaded (up to UPLOAD_MAX_BYTES) and a
# draft's rows as checked (PackedJSONField, decoded whole as it is read: 29 MB of JSON at 100,000 rows).
# Only the views that use them read them; a list of releases, or of what refers to one, defers them.
RELEASE_CONTENTS = ("file_bytes", "checked")


class ReleaseQuerySet(models.QuerySet):
    def without_contents(self):
        """The releases without their file and kept rows (RELEASE_CONTENTS), read only if asked for."""
        return self.defer(*RELEASE_CONTENTS)

    def with_dates(self):
        """Each release with `published_at` and `withdrawn_at` (None until it is), read from its events
        in the same query: the events are the record of who did what when, the release keeps no copy."""
        return self.annotate(
            published_at=release_event_at(ReleaseEvent.Action.PUBLISH),
            withdrawn_at=release_event_at(ReleaseEvent.Action.WITHDRAW),
        )


class PackedJSONField(models.BinaryField):
    """JSON kept compressed (zlib) in a binary column: read and written whole, never queried into.

    A draft of 100,000 rows keeps 29 MB of JSON; as `jsonb` PostgreSQL parsed and compressed it on
    every save and rebuilt the text on every read (1.3 s of its CPU a save); compressed here it is
    1.3 MB of bytes either engine stores as they are."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(zlib.decompress(value))

    def get_prep_value(self, value):
        if value is None:
            return None
        return zlib.compress(json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":")).encode(), 1)

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def to_python(self, value):
        return json.loads(value) if isinstance(value, str) else value


class Release(models.Model):
    """One load of figures: a document or an uploaded file, previewed as a draft, then published.

    A release is published whole or not at all; it writes the values it adds or changes, and counts
    the ones it leaves as they are. Withdrawing it brings back, in each cell it holds live, the value
    it replaced: the newest by publication (`published_seq`) of the still-published releases' values.
    The file itself (bytes, name, SHA-256) is kept with it. When, and by whom, it was published or
    withdrawn is in its events (`ReleaseEvent`), read with `Release.objects.with_dates()`.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft (previewed, not published)")
        PUBLISHED = "published", pgettext_lazy("a release", "Published")
        WITHDRAWN = "withdrawn", pgettext_lazy("a release", "Withdrawn")

    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # Empty for an upload and for the shipped figures, named in the reader's language: see shown_title.
    title = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    file_bytes = models.BinaryField(null=True, blank=True, editable=False)
    # A draft's rows as its check read them ({"rows", "ambiguous", "columns", "sheet"}), so that
    # viewing its preview compares them with the live values without reading the file again.
    checked = PackedJSONField(null=True, blank=True)
    checksum = models.CharField(max_length=64, db_index=True, help_text="SHA-256 of the file")
    number_format = models.CharField(max_length=16, blank=True)
    # What the upload form said about the file (measure, status, document, URL) where it does not.
    read_options = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)  # what its publisher wrote; empty for the shipped figures: see shown_note
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The identity of the live values the preview was computed against (see services).
    base_fingerprint = models.CharField(max_length=64, blank=True)
    new_values = models.PositiveIntegerField(default=0)
    changed_values = models.PositiveIntegerField(default=0)
    unchanged_values = models.PositiveIntegerField(default=0)
    # Its publish's and its withdrawal's places in the one sequence of publishes and withdrawals,
    # numbered under the Dataset lock (services.publishing): the order of publication, which neither
    # the release's id (the order of upload: a draft previewed early may be published late) nor the
    # events' times (equal, or out of order between servers whose clocks drift) can be trusted to give.
    published_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)
    withdrawn_seq = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        constraints = [
            # Publishing a file twice, read the same way, creates nothing (services.publish_release
            # returns the first); the database holds the rule too, so no path around that code can
            # break it. The same bytes read with another number format or other form options (a
            # status, a document) are another release.
            models.UniqueConstraint(
                fields=["checksum", "number_format", "read_options"],
                condition=Q(state="published"),
                name="one_published_release_per_reading",
            ),
            # One place in the sequence for one publish or withdrawal (also the index of its maximum).
            models.UniqueConstraint(fields=["published_seq"], name="one_release_per_published_seq"),
            models.UniqueConstraint(fields=["withdrawn_seq"], name="one_release_per_withdrawn_seq"),
        ]
        permissions = [
            ("upload_release", "Can upload and preview figures"),
            ("publish_release", "Can publish and withdraw releases"),
        ]

    def __str__(self):
        return f"Release {self.pk}: {self.shown_title}"

    @property
    def shown_title(self):
        return release_title(self.title, self.file_name)

    @property
    def shown_note(self):
        """Its note in the active language: what its publisher wrote, as written, or the shipped figures'."""
        if not self.note and self.file_name == SHIPPED_FILE_NAME:
            return str(SHIPPED_NOTE)
        return self.note


# The release of the figures tcdash ships with (`manage.py load_ilo_data`, from fixtures/ilo/), known by
# its file name, which no upload has (an uploaded file's name has no folder): it keeps no title or note
# of its own, and reads in the words of whoever reads it (migration 0021 emptied the English ones).
SHIPPED_FILE_NAME = "fixtures/ilo/*.csv"
SHIPPED_TITLE = _("ILO published figures shipped with tcdash")
SHIPPED_NOTE = _("The real published figures shipped with tcdash.")


def release_title(title, file_name):
    """A release's title in the active language: its own, where its publisher gave one; the shipped
    figures' (SHIPPED_TITLE); or, for an uploaded file, "Upload of FILE", in the words of whoever reads
    it (an upload from /fr/ was titled in English for every reader)."""
    if title:
        return title
    if file_name == SHIPPED_FILE_NAME:
        return str(SHIPPED_TITLE)
    return gettext("Upload of %(file)s") % {"file": file_name}


class ReleaseEvent(models.Model):
    """The audit record: every publish and withdrawal, by whom and when."""

    class Action(models.TextChoices):
        UPLOAD = "upload", pgettext_lazy("a release", "Uploaded")
        PUBLISH = "publish", pgettext_lazy("a release", "Published")
        WITHDRAW = "withdraw", pgettext_lazy("a release", "Withdrawn")

    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The record's words are written at display time, in the reader's language, from `facts` (the
    # counts: {"file", "values", "number_format"}, {"new", "changed", ...}; funding/events.py);
    # `detail` keeps what a person wrote (a withdrawal's reason), shown as written.
    detail = models.TextField(blank=True)
    facts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()} release {self.release_id} at {self.at:%Y-%m-%d %H:%M}"


def release_event_at(action, release="pk"):
    """When a release was published (or withdrawn, by `action`), as a subquery: `release` names the
    release's id in the outer query ("pk" in a Release query, "release_id" in an Observation one).
    A release is published at most once and withdrawn at most once, so there is one such event."""
    events = ReleaseEvent.objects.filter(release=OuterRef(release), action=action).order_by("at", "id")
    return Subquery(events.values("at")[:1])


class ObservationQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class Observation(models.Model):
    """A value at one point of the cube, as one release states it."""

    # No index of their own on the foreign keys: every publish writes each index of this table for
    # every value (and again for every value it retires). A release's values are found by
    # one_value_per_cell_per_release, which starts with it; a code-list member alone is never looked
    # up here (members are never deleted, and every read pins the measure first).
    # The database still refuses a reference to nothing, and the deletion of a member or release
    # referred to, but on PostgreSQL once a statement, not once a row and reference: triggers made by
    # migrations 0022 and 0024 (db_constraint=False only tells Django not to make the constraints). A
    # 100,000-row publish checked its 500,000 references in 2 s at commit; the set-wise check, reading
    # the rows added once, takes about 0.1 s. SQLite kept its foreign keys, which a migration that makes
    # this table again there (SQLite's way to add a constraint or alter a column) would drop, the state
    # saying db_constraint=False: such a change is written for SQLite apart, as migration 0025 is.
    release = models.ForeignKey(
        Release, on_delete=models.PROTECT, related_name="observations", db_index=False, db_constraint=False
    )
    measure = models.CharField(max_length=20, choices=Measure.choices)
    country_group = models.ForeignKey(CountryGroup, on_delete=models.PROTECT, db_index=False, db_constraint=False)
    year = models.PositiveSmallIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, db_index=False, db_constraint=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, db_index=False, db_constraint=False)
    input_type = models.ForeignKey(InputType, on_delete=models.PROTECT, db_index=False, db_constraint=False)
    amount = models.BigIntegerField(help_text="whole US dollars")
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.PUBLISHED)
    document = models.CharField(max_length=255, blank=True)
    document_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    is_current = models.BooleanField(default=False)

    objects = ObservationQuerySet.as_manager()

    CELL = ("measure", "country_group", "year", "source", "region", "input_type")

    class Meta:
        constraints = [
            # Also the index of every read: a read pins measure, group and input type, and pins the
            # source (to `_T` or a chosen one) when it splits by region; the year range comes last.
            models.UniqueConstraint(
                fields=["measure", "country_group", "input_type", "source", "region", "year"],
                condition=Q(is_current=True),
                name="one_current_value_per_cell",
            ),
            models.UniqueConstraint(
                fields=["release", "measure", "country_group", "year", "source", "region", "input_type"],
                name="one_value_per_cell_per_release",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name="observation_year_is_sane"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="observation_amount_not_negative"),
            models.CheckConstraint(condition=Q(amount__lte=MAX_AMOUNT), name="observation_amount_is_sane"),
        ]
        indexes = [
            # The same with region before source, for reads that pin the region and split by source:
            # with countries under the regions, neither order alone avoids walking all of them.
            models.Index(
                fields=["measure", "country_group", "input_type", "region", "source", "year"],
                condition=Q(is_current=True),
                name="observation_current_by_region",
            ),
            # History of one cell ("show older values on request") and withdrawal look-ups.
            models.Index(fields=["measure", "year", "source", "region"], name="observation_cell_history"),
        ]

    def __str__(self):
        return f"{self.measure} {self.year} {self.source_id}/{self.region_id}: {self.amount_thousands}"

    @property
    def amount_thousands(self):
        return thousands(self.amount)


class LiveCell(models.Model):
    """The summary every page reads: a copy of each live observation at the top level of every code
    list (the ILO's own sources, regions, country groups and types of input, and their totals `_T`),
    never a member with a parent (a country under its region, a donor under its source).

    Its size is that of the ILO's published tables however many countries are loaded, so a page costs
    the same at ten thousand observations as at a million. It is kept inside every publish and
    withdrawal, in the same transaction, by `services.live_cells` (the only writer), and rebuilt from
    the observations when a code list's parents change. Its fields are the observation's, by the same
    names, so the one definition of a view's cells (`selectors.Cells.q`) reads either.
    """

    observation = models.OneToOneField(Observation, on_delete=models.CASCADE, primary_key=True, related_name="+")
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="+")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    country_group = models.ForeignKey(CountryGroup, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    input_type = models.ForeignKey(InputType, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(help_text="whole US dollars")
    status = models.PositiveSmallIntegerField(choices=Status.choices, default=Status.PUBLISHED)
    document = models.CharField(max_length=255, blank=True)
    document_url = models.URLField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            # One live value per cell, and the index of reads that pin the source (as Observation's).
            models.UniqueConstraint(
                fields=["measure", "country_group", "input_type", "source", "region", "year"], name="one_live_cell"
            ),
        ]
        indexes = [
            models.Index(
                fields=["measure", "country_group", "input_type", "region", "source", "year"],
                name="live_cell_by_region",
            ),
        ]

    def __str__(self):
        return f"live {self.measure} {self.year} {self.source_id}/{self.region_id}: {self.amount}"


class LiveDocument(models.Model):
    """The documents the live values cite, each (document, address) pair once with the number of live
    observations citing it: the data package's sources (selectors.cited_documents). Every live value
    counts, countries and donors too, not only the top-level cells of LiveCell.

    Reading the pairs from the observations scanned every live value (158 ms at a million); this
    table is the size of the documents cited. It is kept inside every publish and withdrawal, in
    the same transaction, by `services.live_documents` (the only writer): the counts of the values
    that stopped being live are taken off, those of the values that became live added, and a pair
    no live value cites any more leaves. A value without a document is not counted.
    """

    document = models.CharField(max_length=255)
    document_url = models.URLField(max_length=500, blank=True)
    observations = models.PositiveIntegerField(help_text="live observations citing it")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "document_url"], name="one_live_document"),
            models.CheckConstraint(condition=~Q(document="") & Q(observations__gt=0), name="live_document_cited"),
        ]

    def __str__(self):
        return f"{self.document} ({self.observations})"


def thousands(dollars):
    """Whole US dollars (int) -> thousands of US dollars (exact Decimal)."""
    if dollars is None:
        return None
    return (Decimal(int(dollars)) / 1000).normalize() if dollars % 1000 else Decimal(int(dollars) // 1000)
