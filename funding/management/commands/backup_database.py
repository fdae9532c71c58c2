"""Back up the whole database to a file (pg_dump on PostgreSQL, the online backup API on SQLite)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from funding.backups import BackupError, backup, default_name


class Command(BaseCommand):
    help = "Write the whole database to FILE (default backups/tcdash-DATE-TIME.dump or .sqlite3)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="where to write the backup (must not exist)")

    def handle(self, *args, file, **options):
        path = file or default_name(timezone.now())
        try:
            size = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backed up the database to {path} ({size:,} bytes). Restore: make restore FILE={path}")
