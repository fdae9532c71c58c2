"""services.bulk: the collector held back around a comparison comes back as it was; `among`, `listed` find ids."""

import gc

import pytest
from django.db import connection

from funding.models import Source
from funding.services.bulk import among, listed, without_cycle_collection


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_without_cycle_collection_holds_the_collector_back_inside_and_turns_it_on_after(collector_on):
    with without_cycle_collection():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_without_cycle_collection_turns_it_on_again_when_the_block_raises(collector_on):
    with pytest.raises(ValueError, match="unknown code"), without_cycle_collection():
        raise ValueError("unknown code 'xx'")
    assert gc.isenabled()


def test_without_cycle_collection_nested_leaves_it_off_until_the_outer_block_ends(collector_on):
    with without_cycle_collection():
        with without_cycle_collection():
            pass
        assert not gc.isenabled()  # the inner block found it off and leaves it off
    assert gc.isenabled()


def test_without_cycle_collection_as_a_decorator_holds_it_back_for_the_call(collector_on):
    @without_cycle_collection()
    def inside():
        return gc.isenabled()

    assert (inside(), inside(), gc.isenabled()) == (False, False, True)


def test_without_cycle_collection_resumes_when_the_last_of_blocks_at_once_ends_even_one_that_fails(collector_on):
    first, second = without_cycle_collection(), without_cycle_collection()
    first.__enter__()
    second.__enter__()
    assert not gc.isenabled()
    first.__exit__(None, None, None)
    assert not gc.isenabled()  # the other block (a check in another thread) still runs
    second.__exit__(None, None, None)
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), without_cycle_collection():
        assert not gc.isenabled()
        1 / 0  # noqa: B018
    assert gc.isenabled()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, 5000])
def test_among_finds_exactly_the_rows_of_the_ids_in_one_parameter(count):
    Source.objects.bulk_create(
        [Source(code=f"among-{n}", name=f"among {n}", colour="#000000") for n in range(count + 3)]
    )
    made = list(Source.objects.filter(code__startswith="among-").order_by("pk").values_list("pk", flat=True))
    wanted = made[:count]
    condition, params = among(connection.ops.quote_name("id"), wanted)
    assert len(params) == 1
    if connection.vendor == "postgresql":  # the array's text, not a list psycopg2 writes element by element
        assert params == ["{" + ",".join(map(str, wanted)) + "}"]
    table = connection.ops.quote_name(Source._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE {condition} ORDER BY id", params)  # noqa: S608
        assert [row[0] for row in cursor.fetchall()] == wanted


@pytest.mark.django_db
@pytest.mark.parametrize("count", [0, 1, 5000])
def test_listed_gives_a_querysets_in_exactly_the_ids_in_one_parameter(count, django_assert_num_queries):
    Source.objects.bulk_create(
        [Source(code=f"listed-{n}", name=f"listed {n}", colour="#000000") for n in range(count + 3)]
    )
    made = list(Source.objects.filter(code__startswith="listed-").order_by("pk").values_list("pk", flat=True))
    wanted = made[:count]
    chosen = Source.objects.filter(pk__in=listed(wanted)).order_by("pk").values_list("pk", flat=True)
    assert len(chosen.query.sql_with_params()[1]) == 1  # the ids travel as one parameter, not 5,000
    with django_assert_num_queries(1):
        assert list(chosen) == wanted
