"""Measures of their own for what the documents state only as shares or counts (their codes are longer
than "expenditure"), and the multi-bilateral programme as a member under "Trust funds and multi-bi"
(GB.270/TC/2, para. 18): a part the documents name, read as "of which", never added into its parent."""

from django.db import migrations, models

MULTI_BI = {
    "code": "multi-bi",
    "name": "Multi-bilateral programme",
    "name_fr": "Programme multi-bilatéral",
    "name_es": "Programa multibilateral",
    "colour": "#b6620f",  # a darker shade of its parent's orange
}


def add_multi_bi(apps, schema_editor):
    Source = apps.get_model("funding", "Source")
    parent = Source.objects.filter(code="trust-funds").first()
    if parent is None or Source.objects.filter(code=MULTI_BI["code"]).exists():
        return
    Source.objects.create(**MULTI_BI, parent=parent, order=parent.order * 10 + 1)


def remove_multi_bi(apps, schema_editor):
    Source = apps.get_model("funding", "Source")
    Source.objects.filter(code=MULTI_BI["code"], observation__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0011_remove_release_dates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="observation",
            name="measure",
            field=models.CharField(
                choices=[
                    ("expenditure", "Expenditure"),
                    ("approvals", "Extra-budgetary approvals"),
                    ("expenditure-share", "Share of expenditure (stated)"),
                    ("recipients", "Recipient countries"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(add_multi_bi, remove_multi_bi),
    ]
