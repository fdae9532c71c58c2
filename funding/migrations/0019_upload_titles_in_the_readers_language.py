"""An uploaded release is titled after its file in the reader's language (Release.shown_title): the
title "Upload of FILE" stored in English for every upload becomes empty, which shows as that title in
English, "Téléversement de FILE" in French and "Carga de FILE" in Spanish. A title of its own stays."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Release = apps.get_model("funding", "Release")
    for pk, title, file_name in Release.objects.exclude(file_name="").values_list("id", "title", "file_name"):
        if title == f"Upload of {file_name}"[:200]:
            Release.objects.filter(pk=pk).update(title="")


def backwards(apps, schema_editor):
    Release = apps.get_model("funding", "Release")
    for pk, file_name in Release.objects.filter(title="").values_list("id", "file_name"):
        Release.objects.filter(pk=pk).update(title=f"Upload of {file_name}"[:200])


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0018_release_publication_order"),
    ]

    operations = [
        migrations.AlterField(model_name="release", name="title", field=models.CharField(blank=True, max_length=200)),
        migrations.RunPython(forwards, backwards),
    ]
