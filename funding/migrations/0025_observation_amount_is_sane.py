"""The most an amount may be (models.MAX_AMOUNT, a trillion dollars) made PostgreSQL's own, as the
years' range is (observation_year_is_sane): a CHECK constraint, added in place.

On SQLite the importers alone hold it (importers.MAX_AMOUNT_THOUSANDS). SQLite cannot add a
constraint to a table without making the table again from the model's state, and that state declares
the observation's references db_constraint=False (PostgreSQL checks them with migration 0022's
triggers; SQLite kept its foreign keys): the remade table lost them, and with them the refusal of a
reference to nothing (tests/test_observation_references.py). A trigger refusing the same rows cost
a row-level program per value: a 100,000-row publish's INSERT took 3.1 s instead of 1.1 s.
"""

from django.db import migrations, models

NAME = "observation_amount_is_sane"
MAX_AMOUNT = 10**12  # models.MAX_AMOUNT when this was written: a migration keeps its own value
CONSTRAINT = models.CheckConstraint(condition=models.Q(amount__lte=MAX_AMOUNT), name=NAME)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_constraint(apps.get_model("funding", "Observation"), CONSTRAINT)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_constraint(apps.get_model("funding", "Observation"), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0024_observation_references_read_once_a_statement"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="observation", constraint=CONSTRAINT)],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
