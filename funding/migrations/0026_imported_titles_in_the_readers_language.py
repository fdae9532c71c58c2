"""A release published by `manage.py import_figures` was titled "Import of FILE" in English for every
reader (the pack's cover and foot in French and Spanish said "Import of annex.csv"): that title becomes
empty, which shows as the upload's title in the reader's language ("Téléversement de FILE", "Carga de
FILE"), as migration 0019 did for "Upload of FILE". A title of its own stays."""

from django.db import migrations


def forwards(apps, schema_editor):
    Release = apps.get_model("funding", "Release")
    for pk, title, file_name in Release.objects.exclude(file_name="").values_list("id", "title", "file_name"):
        if title == f"Import of {file_name}"[:200]:
            Release.objects.filter(pk=pk).update(title="")


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0025_observation_amount_is_sane"),
    ]

    # Backwards leaves the titles empty: an imported release is no longer told from an uploaded one.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
