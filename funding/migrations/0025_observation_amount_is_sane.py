"""The most an amount may be (models.MAX_AMOUNT, a trillion dollars) made the database's own, as the
years' range is (observation_year_is_sane).

On PostgreSQL it is a CHECK constraint, added in place. SQLite cannot add a constraint to a table
without making the table again from the model's state, and that state declares the observation's
references db_constraint=False (PostgreSQL checks them with migration 0022's triggers, once a
statement; SQLite kept its foreign keys): the remade table would have lost them, and with them the
refusal of a reference to nothing and of the deletion of a release or member referred to
(tests/test_observation_references.py). There, two triggers refuse the same rows, with the error a
failed CHECK constraint gives (an IntegrityError naming the constraint).
"""

from django.db import migrations, models

TABLE = "funding_observation"
NAME = "observation_amount_is_sane"
MAX_AMOUNT = 10**12  # models.MAX_AMOUNT when this was written: a migration keeps its own value

CONSTRAINT = models.CheckConstraint(condition=models.Q(amount__lte=MAX_AMOUNT), name=NAME)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {NAME}_{event.split()[0].lower()} BEFORE {event} ON {TABLE}
FOR EACH ROW WHEN NEW.amount > {MAX_AMOUNT}
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}'); END"""
    for event in ("INSERT", "UPDATE OF amount")
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for trigger in SQLITE_TRIGGERS:
            schema_editor.execute(trigger)
    else:
        schema_editor.add_constraint(apps.get_model("funding", "Observation"), CONSTRAINT)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER {NAME}_{event}")
    else:
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
