"""Check a file of figures and publish it as one release: the same checks and publish as the upload page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from funding.importers import DEFAULT_NUMBER_FORMAT, NUMBER_FORMATS
from funding.services import PublishRefused, StalePreview, check_upload, publish_checked


class Command(BaseCommand):
    help = (
        "Check a .csv or .xlsx file of figures (the upload template's layout) and publish it as one release. "
        "Exits non-zero and changes nothing when the file has any problem."
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
        parser.add_argument("--user", help="username recorded as the publisher")

    def handle(self, *args, path, dry_run, note, number_format, user, **options):
        publisher = None
        if user:
            publisher = get_user_model().objects.filter(username=user).first()
            if publisher is None:
                raise CommandError(f"No user named {user!r}.")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        name = Path(path).name
        check = check_upload(data=data, file_name=name, number_format=number_format)
        if not check.ok:
            for problem in check.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{name}: {len(check.problems)} problem(s); nothing was changed.")
        if check.identical is not None:
            self.stdout.write(f"{name} is already published as release {check.identical.pk}; nothing changed.")
            return
        counts = check.counts
        self.stdout.write(
            f"{name}: {len(check.rows)} values: {counts['new']} new, {counts['changed']} changed, "
            f"{counts['unchanged']} unchanged."
        )
        for measure, year in check.restated_years:
            self.stdout.write(f"Restates published {measure} figures for {year}.")
        for item in check.ambiguous:
            others = ", ".join(f"{value} in {fmt}" for fmt, value in item["others"])
            self.stdout.write(
                f"Row {item['row']}, column {item['column']}: '{item['text']}' is read as {item['value']} "
                f"({number_format}); it would be {others}."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        try:
            release, _ = publish_checked(
                check=check,
                title=f"Import of {name}",
                data=data,
                note=note,
                user=publisher,
                expected_fingerprint=check.fingerprint,
            )
        except (StalePreview, PublishRefused) as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(self.style.SUCCESS(f"Published release {release.pk}."))
