"""Check a file of figures and publish it as one release: the same checks and publish as the upload page.

With REQUIRE_SEPARATE_PUBLISHER on, the file is kept as a draft instead, for another editor to publish on
the site: the command alone would be the upload and the publish by one person."""

import os
import stat
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from funding.forms import checked_text
from funding.importers import DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS, ReadOptions, too_large_message
from funding.models import Measure, Status
from funding.services import (
    NothingToPublish,
    PublishRefused,
    StalePreview,
    check_upload,
    keep_draft,
    layout_words,
    left_as_on_record_words,
    publish_checked,
    share_summary,
)


class Command(BaseCommand):
    help = (
        "Check a .csv or .xlsx file of figures (the upload template, the wide export, or appendix tables as "
        "printed) and publish it as one release. Exits non-zero and changes nothing when the file has any problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="check and compare only; publish nothing")
        parser.add_argument("--note", default="", help="note kept with the release in its history")
        parser.add_argument(
            "--number-format",
            default=DEFAULT_NUMBER_FORMAT,
            choices=list(NUMBER_FORMATS),
            help=f"how the file writes amounts (default {DEFAULT_NUMBER_FORMAT})",
        )
        parser.add_argument(
            "--user",
            help="username recorded as the publisher (with REQUIRE_SEPARATE_PUBLISHER: as the uploader, required)",
        )
        # What a wide or appendix file does not say itself.
        parser.add_argument("--measure", choices=list(Measure.values), help="the measure of a table or wide file")
        parser.add_argument(
            "--status",
            choices=[label for _, label in Status.choices],
            help="the status of a table's figures (default: as on record; new figures published)",
        )
        parser.add_argument("--document", default="", help="the document a table comes from (default: as on record)")
        parser.add_argument("--document-url", default="", help="the document's http(s) address")

    def handle(self, *args, path, dry_run, note, number_format, user, **options):
        note = _checked("--note", "note", note)
        read_options = ReadOptions(
            measure=options["measure"] or "",
            status=options["status"] or "",
            document=_checked("--document", "document", options["document"]),
            document_url=_checked("--document-url", "document_url", options["document_url"]),
        )
        if settings.REQUIRE_SEPARATE_PUBLISHER and not user and not dry_run:
            # The draft kept names its uploader, whom the site then refuses as its publisher; a draft naming
            # no one could be published by anyone, the person who ran this command included.
            raise CommandError(
                "With REQUIRE_SEPARATE_PUBLISHER on, say who uploads the file (--user USERNAME): another editor "
                "than that one publishes it. Nothing was changed."
            )
        publisher = None
        if user:
            publisher = get_user_model().objects.filter(username=user).first()
            if publisher is None:
                raise CommandError(f"No user named {user!r}.")
        data = _read_file(path)
        name = Path(path).name
        check = check_upload(data=data, file_name=name, number_format=number_format, options=read_options)
        if check.changes and check.tables:
            self.stdout.write(f"{name}: read as {layout_words(check)}.")
            if share_summary(check):
                self.stdout.write(share_summary(check))
            if left_as_on_record_words(check):
                self.stdout.write(left_as_on_record_words(check))
        if not check.ok:
            if check.changes:  # printed shares or totals disagree: say what the file would change all the same
                self._report(name, check, number_format)
            for problem in check.problems:
                self.stderr.write(str(problem))
            count, cut_short = check.tally
            more = "more than " if cut_short else ""
            raise CommandError(f"{name}: {more}{count} problem(s); nothing was changed.")
        if check.identical is not None:
            self.stdout.write(f"{name} is already published as release {check.identical.pk}; nothing changed.")
            return
        self._report(name, check, number_format)
        if check.nothing_to_publish:
            self.stdout.write("Nothing to publish: every value in the file is already live; nothing was changed.")
            return
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        if settings.REQUIRE_SEPARATE_PUBLISHER:
            # The command would be the upload and the publish at once: it keeps the draft, as the upload
            # page does, for another editor to publish.
            draft = keep_draft(check, data=data, file_name=name, number_format=number_format, note=note, user=publisher)
            self.stdout.write(
                f"Kept as draft release {draft.pk}: with REQUIRE_SEPARATE_PUBLISHER on, another editor than the "
                f"one who uploaded it publishes it, at /releases/{draft.pk}/."
            )
            return
        try:
            release, _ = publish_checked(
                check=check,
                # No title of its own: it reads "Upload of FILE" in the reader's language (release_title).
                title="",
                data=data,
                note=note,
                user=publisher,
                expected_fingerprint=check.fingerprint,
            )
        except NothingToPublish as exc:
            self.stdout.write(f"{exc} Nothing was changed.")
            return
        except (StalePreview, PublishRefused) as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS(f"Published release {release.pk}."))

    def _report(self, name, check, number_format):
        counts = check.counts
        if check.sheet:
            self.stdout.write(f"Read the sheet '{check.sheet['name']}'.")
        self.stdout.write(
            f"{name}: {len(check.rows)} values: {counts['new']} new, {counts['changed']} changed "
            f"({counts['amount']} amounts, {counts['status']} statuses, {counts['provenance']} provenance only), "
            f"{counts['unchanged']} unchanged."
        )
        if check.missing_columns:
            self.stdout.write(
                f"Columns not in the file (what is on record is kept): {', '.join(check.missing_columns)}."
            )
        if check.new_documents_lose_their_address:
            self.stdout.write(
                "A value the file gives another document has no document_url: the address on record is the "
                "old document's."
            )
        for change in check.of_kind("changed"):
            if change.row.get("cell"):
                self.stdout.write(f"Changed: {change.row['cell']}.")
        for measure, year in check.restated_years:
            self.stdout.write(f"Restates published {measure} figures for {year}.")
        for item in check.ambiguous:
            others = ", ".join(f"{value} in {fmt}" for fmt, value in item["others"])
            self.stdout.write(
                f"Row {item['row']}, column {item['column']}: '{item['text']}' is read as {item['value']} "
                f"({number_format}); it would be {others}."
            )


def _checked(option, column, text):
    """An option's text held to the upload form's rule for its field (forms.checked_text: length, control
    characters, an http(s) address), stripped; a CommandError naming the option otherwise."""
    try:
        return checked_text(column, text)
    except ValidationError as error:
        raise CommandError(f"{option}: {' '.join(error.messages)}") from None


def _read_file(path):
    """The bytes of the file at `path`, as the upload page would take them: a regular file (a device
    such as /dev/zero would be read for ever, a named pipe waited on) within UPLOAD_MAX_BYTES, refused
    by its size before a byte of it is read, so that a file far over the limit is never held in memory."""
    limit = settings.UPLOAD_MAX_BYTES
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise CommandError(f"Cannot read {path}: not a regular file (a directory, a device or a pipe).")
        if status.st_size > limit:
            message = too_large_message(status.st_size, limit)
            raise CommandError(f"{Path(path).name}: {message} Nothing was changed.")
        with open(path, "rb") as stream:  # noqa: PTH123 - read no further than the limit
            return stream.read(limit + 1)  # the upload's size check sees a file that grew since
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
