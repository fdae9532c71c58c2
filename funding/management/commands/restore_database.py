"""Replace the whole database with a backup made by backup_database (`make restore FILE=...`)."""

from django.core.management.base import BaseCommand, CommandError

from funding.backups import BackupError, restore, unapplied_migrations


class Command(BaseCommand):
    help = "Replace every table of the database with those of FILE, a backup made by `make backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the database from {file}.")
        if missing := unapplied_migrations():
            self.stdout.write(
                f"The backup is older than this tcdash: {missing} migration(s) to apply. "
                "Run `manage.py migrate` before serving it."
            )
