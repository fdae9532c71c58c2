"""Create a user who may upload, publish and withdraw figures (a member of the "Editors" group)."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

EDITORS = "Editors"


class Command(BaseCommand):
    help = "Create an editor: a user in the Editors group, who may upload, publish and withdraw figures."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", help="the password (asked for when not given)")

    def handle(self, *args, username, email, password, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} exists already.")
        try:
            group = Group.objects.get(name=EDITORS)
        except Group.DoesNotExist:
            raise CommandError("The Editors group is missing: run `manage.py migrate` first.") from None
        if password is None:
            password = self._ask_password()
        user = User(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("The password is refused: " + " ".join(error.messages)) from None
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(self.style.SUCCESS(f"Editor {username!r} created: sign in at /accounts/login/."))

    def _ask_password(self):
        # getpass reads the terminal, else standard input: with neither (a script, `</dev/null`, cron)
        # the input ends at once, which is a missing password, not a crash.
        try:
            for _ in range(3):
                first = getpass.getpass("Password: ")
                if first and first == getpass.getpass("Password (again): "):
                    return first
                self.stderr.write("The passwords are empty or do not match; try again.")
        except EOFError:
            raise CommandError(
                "No password was read: the input ended, and there is no terminal to ask in. "
                "Give it with --password, or run the command in a terminal."
            ) from None
        raise CommandError("No password given.")
