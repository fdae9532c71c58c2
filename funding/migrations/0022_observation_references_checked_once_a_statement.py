"""An observation's five references (its release and its four members) checked once a statement on PostgreSQL.

A foreign key checks each reference of each row on its own: a 100,000-row publish made PostgreSQL run
500,000 look-ups at commit (2 s, as long as the rows' COPY). Here the constraints give way to triggers
that keep the same rules for the whole statement at once:

- after an INSERT, the rows it added (a transition table) are checked against each referenced table,
  and the rows they refer to are locked FOR KEY SHARE as the foreign key locks them, so a DELETE of one
  at the same time waits for the publish and then finds it referred to;
- an UPDATE that sets a reference column is checked row by row (the app never does; retiring a value
  sets only is_current, which fires nothing);
- a DELETE of a release or member that an observation refers to, or a change of its id, is refused
  (on_delete=PROTECT, which Django also applies before it deletes).

A broken reference raises foreign_key_violation (Django's IntegrityError), as the constraint did, but at
the end of the statement rather than at commit (nothing in the app wrote a reference before its row).

SQLite keeps its foreign keys: they are one b-tree look-up a row, nothing set-wise is cheaper, so its
tables are left as they are (the fields' db_constraint=False is only the state Django keeps).
tests/test_observation_references.py holds both engines to the rules, so a later migration that
rebuilt the table without them would fail there.
"""

from django.db import migrations, models
from django.db.models import deletion

TABLE = "funding_observation"
REFERENCES = (
    ("release_id", "funding_release"),
    ("country_group_id", "funding_countrygroup"),
    ("source_id", "funding_source"),
    ("region_id", "funding_region"),
    ("input_type_id", "funding_inputtype"),
)


def _statement_checks():
    """PL/pgSQL: the rows of the transition table `added` locked in and checked against each table."""
    locks = [
        f"  PERFORM 1 FROM {table} WHERE id IN (SELECT DISTINCT {column} FROM added) FOR KEY SHARE;"
        for column, table in REFERENCES
    ]
    checks = [
        f"  IF EXISTS (SELECT 1 FROM added a WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = a.{column}))"
        f" THEN\n    {_refusal(column, table)}\n  END IF;"
        for column, table in REFERENCES
    ]
    return "\n".join(locks + checks)


def _row_checks():
    """PL/pgSQL: the references of the row NEW locked in and checked, one by one."""
    return "\n".join(
        f"  PERFORM 1 FROM {table} WHERE id = NEW.{column} FOR KEY SHARE;\n"
        f"  IF NOT FOUND THEN\n    {_refusal(column, table)}\n  END IF;"
        for column, table in REFERENCES
    )


def _refusal(column, table):
    return (
        f'RAISE EXCEPTION \'insert or update on table "{TABLE}" refers to a row that "{table}" does not have\''
        f" USING ERRCODE = 'foreign_key_violation', DETAIL = 'Column {column}.';"
    )


FORWARDS = f"""
CREATE FUNCTION funding_observation_references_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_statement_checks()}
  RETURN NULL;
END $$;
CREATE TRIGGER observation_references_added AFTER INSERT ON {TABLE}
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION funding_observation_references_added();

CREATE FUNCTION funding_observation_references_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{_row_checks()}
  RETURN NEW;
END $$;
CREATE TRIGGER observation_references_set BEFORE UPDATE OF {", ".join(c for c, _ in REFERENCES)} ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION funding_observation_references_set();

CREATE FUNCTION funding_observation_referred_to() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE referred boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
    RETURN NEW;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE %I = $1)', TG_ARGV[0]) INTO referred USING OLD.id;
  IF referred THEN
    RAISE EXCEPTION 'update or delete on table "%" is referred to by table "{TABLE}"', TG_TABLE_NAME
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (id)=(%s), column %s.', OLD.id, TG_ARGV[0]);
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
""" + "\n".join(
    f"CREATE TRIGGER observation_referred_to BEFORE DELETE OR UPDATE OF id ON {table}\n"
    f"  FOR EACH ROW EXECUTE FUNCTION funding_observation_referred_to('{column}');"
    for column, table in REFERENCES
)

BACKWARDS = (
    "\n".join(f"DROP TRIGGER observation_referred_to ON {table};" for _, table in REFERENCES)
    + f"""
DROP TRIGGER observation_references_set ON {TABLE};
DROP TRIGGER observation_references_added ON {TABLE};
DROP FUNCTION funding_observation_referred_to();
DROP FUNCTION funding_observation_references_set();
DROP FUNCTION funding_observation_references_added();
"""
    + "\n".join(
        f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_{column}_fk FOREIGN KEY ({column}) REFERENCES {table} (id)"
        " DEFERRABLE INITIALLY DEFERRED;"
        for column, table in REFERENCES
    )
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'", [TABLE])
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
        cursor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARDS)


def _field(to, **extra):
    return models.ForeignKey(db_constraint=False, db_index=False, on_delete=deletion.PROTECT, to=to, **extra)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0021_shipped_release_in_the_readers_language"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField("observation", "country_group", _field("funding.countrygroup")),
                migrations.AlterField("observation", "input_type", _field("funding.inputtype")),
                migrations.AlterField("observation", "region", _field("funding.region")),
                migrations.AlterField("observation", "release", _field("funding.release", related_name="observations")),
                migrations.AlterField("observation", "source", _field("funding.source")),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
