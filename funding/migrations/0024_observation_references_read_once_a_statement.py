"""The check of the references a statement added (migration 0022's trigger) reads the rows it added once.

0022's statement-level trigger kept the foreign keys' rules with ten reads of the rows the statement
added (its transition table): one to lock what each of the five columns refers to, one to look for a
reference to nothing in each. A 100,000-row publish's rows do not fit in work_mem, so each read was of
a temporary file: 0.34 s of an INSERT of 100,000 rows that took 1.6 s in all (EXPLAIN ANALYZE on the
bench database). Here one read gathers each column's distinct ids, and each referenced table is then
locked FOR KEY SHARE and counted by those ids (a primary-key look-up each): 0.12 s, where the ten reads
took 0.70 s in the same minute. Fewer found than asked for is a reference to nothing, refused with
0022's error (the first column, in the same order, that refers to nothing; same code, message, detail).

Nothing else changes: the row-level trigger of an UPDATE of a reference, and the refusal to delete
a release or member referred to, are 0022's. SQLite keeps its foreign keys; this does nothing there.
tests/test_observation_references.py holds both engines to the rules.
"""

import importlib

from django.db import migrations

references = importlib.import_module("funding.migrations.0022_observation_references_checked_once_a_statement")
TABLE, REFERENCES = references.TABLE, references.REFERENCES


def _one_read():
    """PL/pgSQL: each column's distinct ids from one read of `added`, then each table locked and counted."""
    arrays = ", ".join(f"array_agg(DISTINCT {column})" for column, _ in REFERENCES)
    into = ", ".join(f"{column}s" for column, _ in REFERENCES)
    checks = [
        f"  SELECT count(*) INTO found FROM (SELECT 1 FROM {table} WHERE id = ANY({column}s) FOR KEY SHARE) locked;\n"
        f"  IF found < cardinality({column}s) THEN\n    {references._refusal(column, table)}\n  END IF;"
        for column, table in REFERENCES
    ]
    return f"  SELECT {arrays} INTO {into} FROM added;\n" + "\n".join(checks)


def _function(body, declarations=""):
    return f"""
CREATE OR REPLACE FUNCTION funding_observation_references_added() RETURNS trigger LANGUAGE plpgsql AS $$
{declarations}BEGIN
{body}
  RETURN NULL;
END $$;
"""


FORWARDS = _function(
    _one_read(),
    "DECLARE\n  found bigint;\n" + "".join(f"  {column}s bigint[];\n" for column, _ in REFERENCES),
)
BACKWARDS = _function(references._statement_checks())


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0023_live_documents"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
