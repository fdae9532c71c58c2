"""The database refuses an observation that refers to nothing, and the deletion of what one refers to.

On PostgreSQL the references are checked once a statement by triggers (migrations 0022 and 0024), on
SQLite by its foreign keys. These tests commit (SQLite checks its deferred keys at commit), so they make
their own code-list members and release rather than lean on the real data.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from funding.models import CountryGroup, InputType, Observation, Region, Release, Source
from funding.services.publishing import _insert_observations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cube():
    """A release and one member of each code list: (release, group, source, region, input type)."""
    return (
        Release.objects.create(title="references", checksum="r" * 64, state=Release.State.PUBLISHED),
        CountryGroup.objects.create(code="ref-all", name="ref all"),
        Source.objects.create(code="ref-source", name="ref source", colour="#000000"),
        Region.objects.create(code="ref-region", name="ref region", colour="#000000"),
        InputType.objects.create(code="ref-input", name="ref input", colour="#000000"),
    )


def value(cube, year, **ids):
    """A value as publishing writes them (Prepared.values): the cell, then amount, status, document, URL, note."""
    _, group, source, region, input_type = cube
    ids = {"group": group.pk, "source": source.pk, "region": region.pk, "input_type": input_type.pk, **ids}
    return ["expenditure", ids["group"], year, ids["source"], ids["region"], ids["input_type"], 1000, 1, "", "", ""]


def observe(cube, year=2000, **fields):
    release, group, source, region, input_type = cube
    cell = {"country_group": group, "source": source, "region": region, "input_type": input_type, **fields}
    return Observation.objects.create(release=release, measure="expenditure", year=year, amount=1000, **cell)


def nothing_id(model):
    return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000


def test_an_observation_of_a_source_that_does_not_exist_is_refused(cube):
    with pytest.raises(IntegrityError), transaction.atomic():
        observe(cube, source_id=nothing_id(Source), source=None)
    assert not Observation.objects.exists()


@pytest.mark.parametrize("model", [Release, CountryGroup, Source, Region, InputType])
def test_a_bulk_write_with_one_reference_to_nothing_writes_none_of_its_rows(cube, model):
    release = cube[0]
    missing = nothing_id(model)
    bad = {Release: {}, CountryGroup: {"group": missing}, Source: {"source": missing}, Region: {"region": missing}}
    bad = bad.get(model, {"input_type": missing})
    rows = [value(cube, 2000), value(cube, 2001, **bad), value(cube, 2002)]
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        # COPY on PostgreSQL, one executemany on SQLite: the publish's own write.
        _insert_observations(Release(pk=missing) if model is Release else release, rows)
    if connection.vendor == "postgresql":  # the trigger names what is missing, as the foreign key did
        table, column = model._meta.db_table, {Release: "release_id", CountryGroup: "country_group_id"}.get(model)
        column = column or {Source: "source_id", Region: "region_id"}.get(model, "input_type_id")
        assert f'refers to a row that "{table}" does not have' in str(refused.value)
        assert refused.value.__cause__.diag.message_detail == f"Column {column}."
    assert not Observation.objects.exists()
    _insert_observations(release, [value(cube, 2000), value(cube, 2002)])  # the good ones alone go in
    assert sorted(Observation.objects.values_list("year", flat=True)) == [2000, 2002]


def test_a_reference_changed_to_nothing_is_refused(cube):
    observation = observe(cube)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=observation.pk).update(region_id=nothing_id(Region))
    assert Observation.objects.get().region == cube[3]
    Observation.objects.filter(pk=observation.pk).update(is_current=True)  # what a publish does: allowed


@pytest.mark.parametrize("position", [0, 1, 2, 3, 4], ids=["release", "group", "source", "region", "input type"])
def test_a_release_or_member_an_observation_refers_to_is_not_deleted_even_in_sql(cube, position):
    observe(cube)
    referred = cube[position]
    table = connection.ops.quote_name(type(referred)._meta.db_table)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [referred.pk])  # noqa: S608
    assert type(referred).objects.filter(pk=referred.pk).exists()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET id = %s WHERE id = %s", [nothing_id(type(referred)), referred.pk])  # noqa: S608
    # Once nothing refers to it, it goes.
    Observation.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [referred.pk])  # noqa: S608
    assert not type(referred).objects.filter(pk=referred.pk).exists()


def test_a_member_deleted_while_a_publish_refers_to_it_waits_for_the_publish(cube):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: a deletion cannot run beside a publish")
    import psycopg2

    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
    )
    try:
        with transaction.atomic():
            _insert_observations(cube[0], [value(cube, 2000)])  # not committed yet
            with pytest.raises(psycopg2.errors.LockNotAvailable), other.cursor() as cursor:
                # The rows the publish refers to are locked as a foreign key locks them (FOR KEY SHARE).
                cursor.execute("SET lock_timeout = '200ms'")
                cursor.execute("DELETE FROM funding_source WHERE id = %s", [cube[2].pk])
            other.rollback()
        # Committed: the deletion now finds the observation and is refused.
        with pytest.raises(psycopg2.errors.ForeignKeyViolation), other.cursor() as cursor:
            cursor.execute("DELETE FROM funding_source WHERE id = %s", [cube[2].pk])
        other.rollback()
    finally:
        other.close()
    assert Source.objects.filter(pk=cube[2].pk).exists()
