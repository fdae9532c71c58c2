"""Types of input get a colour, as sources and regions have one, so that the breakdown by type of
input is drawn in the same colours on every page (the palette of the sources' migration, 0002)."""

from django.db import migrations, models

COLOURS = {
    "_T": "#6b7280",
    "experts": "#1e2dbe",
    "other-personnel": "#4aa3df",
    "training": "#f28e2b",
    "equipment": "#59a14f",
    "subcontracting": "#b5533c",
    "miscellaneous": "#8e6bbf",
}


def colour_input_types(apps, schema_editor):
    InputType = apps.get_model("funding", "InputType")
    for code, colour in COLOURS.items():
        InputType.objects.filter(code=code).update(colour=colour)


class Migration(migrations.Migration):
    dependencies = [("funding", "0013_event_facts")]

    operations = [
        migrations.AddField(
            model_name="inputtype",
            name="colour",
            field=models.CharField(default="#6b7280", help_text="#rrggbb, the same on every page", max_length=7),
            preserve_default=False,
        ),
        migrations.RunPython(colour_input_types, migrations.RunPython.noop),
    ]
