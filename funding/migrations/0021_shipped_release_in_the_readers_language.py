"""The release of the shipped figures (`load_ilo_data`, file name "fixtures/ilo/*.csv") is titled and
noted in the reader's language (Release.shown_title, shown_note): the English title and note it was
stored with become empty, as 0019 did for uploads. A title or note someone else wrote stays."""

from django.db import migrations

SHIPPED_FILE_NAME = "fixtures/ilo/*.csv"
# What load_ilo_data stored before this migration.
STORED_TITLE = "ILO published figures: GB.267/TC/1, GB.273/TC/1 and GB.270/TC/2"
STORED_NOTE = "The real published figures shipped with tcdash."


def forwards(apps, schema_editor):
    shipped = apps.get_model("funding", "Release").objects.filter(file_name=SHIPPED_FILE_NAME)
    shipped.filter(title=STORED_TITLE).update(title="")
    shipped.filter(note=STORED_NOTE).update(note="")


def backwards(apps, schema_editor):
    shipped = apps.get_model("funding", "Release").objects.filter(file_name=SHIPPED_FILE_NAME)
    shipped.filter(title="").update(title=STORED_TITLE)
    shipped.filter(note="").update(note=STORED_NOTE)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0020_one_published_release_per_reading"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
