"""Load the ILO's published figures (fixtures/ilo/) as one release. Running it twice changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from funding.published_tables import FIXTURES_DIR, read_published_tables, tables_checksum
from funding.services import publish_release


class Command(BaseCommand):
    help = "Load the real published ILO technical cooperation figures from fixtures/ilo/ as one release."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(FIXTURES_DIR), help="folder of the ILO tables")
        parser.add_argument("--if-empty", action="store_true", help="only load when no release has been published yet")

    def handle(self, *args, directory, if_empty, **options):
        from funding.models import SHIPPED_FILE_NAME, Release

        if if_empty and Release.objects.exclude(state=Release.State.DRAFT).exists():
            self.stdout.write("Releases exist already; nothing loaded.")
            return
        try:
            rows = read_published_tables(directory)
            checksum = tables_checksum(directory)
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read the ILO tables in {directory}: {exc}") from exc
        # No title or note of its own: Release.shown_title and shown_note give the shipped figures'
        # in the reader's language.
        release, created = publish_release(title="", rows=rows, checksum=checksum, file_name=SHIPPED_FILE_NAME)
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {len(rows)} values as release {release.pk}."))
        else:
            self.stdout.write(f"These tables are already published as release {release.pk}; nothing changed.")
