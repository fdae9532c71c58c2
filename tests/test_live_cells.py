"""The summary of live top-level cells (funding.services.live_cells, LiveCell): equal to a fresh read
of the live observations after every publish, withdrawal and code-list change, the only table the
pages read, and the reason their cost does not follow the number of observations (both engines)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.models import LiveCell, Observation, Region, Release, Source
from funding.services import (
    record_code_list_change,
    withdraw_release,
)
from funding.services.live_cells import live_cells_drift, rebuild_live_cells
from tests.factories import apply_write, publish_rows, value_row

publish, row = publish_rows, value_row


@pytest.fixture
def countries(db):
    """Two countries under Africa and a donor under trust funds: members below the top level."""
    africa = Region.objects.get(code="africa")
    Region.objects.create(code="kenya", name="Kenya", order=101, colour="#999999", parent=africa)
    Region.objects.create(code="ghana", name="Ghana", order=102, colour="#999999", parent=africa)
    trust = Source.objects.get(code="trust-funds")
    Source.objects.create(code="donor-a", name="Donor A", order=101, colour="#999999", parent=trust)


def test_the_migration_built_the_summary_of_the_real_data(ilo_data):
    live = Observation.objects.current()
    # Every live value but multi-bi's, which sits under trust funds (an "of which").
    assert LiveCell.objects.count() == live.count() - live.filter(source__code="multi-bi").count() > 100
    assert live.filter(source__code="multi-bi").exists()
    assert live_cells_drift() == []


def test_the_summary_keeps_every_field_of_an_observation_but_is_current():
    observation = {f.attname for f in Observation._meta.concrete_fields} - {"id", "is_current"}
    summary = {f.attname for f in LiveCell._meta.concrete_fields} - {"observation_id"}
    # A field added to the cube (a dimension, a value) must be added to the summary too.
    assert summary == observation


def test_a_publish_adds_top_level_cells_and_leaves_countries_out(ilo_data, countries):
    before = LiveCell.objects.count()
    release = publish(
        [
            row(region="africa", amount=5_000),
            row(region="kenya", amount=2_000),
            row(source="donor-a", amount=1_000),
            row(amount=9_000, group="ldc"),
        ]
    )
    assert LiveCell.objects.count() == before + 2
    assert set(LiveCell.objects.filter(release=release).values_list("region__code", "country_group__code")) == {
        ("africa", "_T"),
        ("_T", "ldc"),
    }
    assert live_cells_drift() == []


def test_a_publish_replaces_the_value_a_cell_had_and_a_withdrawal_brings_it_back(ilo_data):
    cell = {"measure": "expenditure", "year": 1995, "source__code": "_T", "region__code": "_T"}
    cell |= {"country_group__code": "_T", "input_type__code": "_T"}
    assert LiveCell.objects.get(**cell).amount == 112_930_000
    release = publish([row(year=1995, amount=120_000_000, document="GB.X")])
    assert LiveCell.objects.get(**cell).amount == 120_000_000
    assert LiveCell.objects.get(**cell).document == "GB.X"
    withdraw_release(release=release)
    assert LiveCell.objects.get(**cell).amount == 112_930_000
    assert LiveCell.objects.get(**cell).release_id == ilo_data.pk
    assert live_cells_drift() == []


def test_a_member_moved_under_a_parent_leaves_the_summary_and_comes_back_at_the_top(ilo_data):
    unfpa = Source.objects.get(code="unfpa")
    count = LiveCell.objects.filter(source=unfpa).count()
    assert count > 0
    unfpa.parent = Source.objects.get(code="trust-funds")
    unfpa.save()
    record_code_list_change()  # what the admin calls after saving a member
    assert LiveCell.objects.filter(source=unfpa).count() == 0
    assert live_cells_drift() == []
    unfpa.parent = None
    unfpa.save()
    record_code_list_change()
    assert LiveCell.objects.filter(source=unfpa).count() == count
    assert live_cells_drift() == []


def test_rebuild_gives_the_summary_the_writes_kept(ilo_data, countries):
    publish([row(region="ghana", amount=3_000), row(region="africa", year=2002, amount=4_000)])
    kept = sorted(LiveCell.objects.values_list())
    rebuild_live_cells()
    assert sorted(LiveCell.objects.values_list()) == kept


# --- The property: after any sequence of writes, the summary is a fresh read of the live values ----

MEMBERS = st.tuples(
    # Every measure main reads (stated shares and recipient countries too), and multi-bi: an "of which".
    st.sampled_from(["expenditure", "approvals", "expenditure-share", "recipients"]),
    st.sampled_from([2001, 2002]),
    st.sampled_from(["_T", "undp", "donor-a", "multi-bi"]),
    st.sampled_from(["_T", "africa", "kenya"]),
    st.sampled_from(["_T", "ldc"]),
)
PUBLISH = st.tuples(st.just("publish"), st.lists(st.tuples(MEMBERS, st.integers(0, 10**9)), min_size=1, max_size=8))
WITHDRAW = st.tuples(st.just("withdraw"), st.integers(0, 20))
MOVE = st.tuples(st.just("move"), st.booleans())  # Kenya to the top level and back under Africa
OPERATIONS = st.lists(st.one_of(PUBLISH, PUBLISH, WITHDRAW, MOVE), min_size=1, max_size=12)


def _drawn_rows(drawn):
    """The rows of a drawn publish, one per cell (the last drawn for a cell wins)."""
    rows = {cell: row(*cell[:4], amount, cell[4], note=f"n{amount % 7}") for cell, amount in drawn}
    return list(rows.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_the_summary_equals_a_fresh_read_after_every_publish_and_withdrawal(ilo_data, countries, operations):
    with transaction.atomic():  # every example starts from the real data again
        published = []
        for kind, argument in operations:
            if kind == "move":
                kenya = Region.objects.get(code="kenya")
                kenya.parent = None if argument else Region.objects.get(code="africa")
                kenya.save()
                record_code_list_change()
            else:
                apply_write(kind, argument, published, _drawn_rows)
            assert live_cells_drift() == []
        assert Release.objects.filter(state="published").count() == len(published) + 1
        transaction.set_rollback(True)


# --- What the pages cost: pinned, and the same with a hundred countries more -----------------------

PAGES = {
    # The code lists are one query (a UNION ALL of the four lists), kept under the live generation, which
    # is read for them as well as for the page's cache (caching.read_by_release).
    # Expenditure pages also read the years where only shares are stated (selectors.stated_share_cells).
    # Every page also reads the live release, for the line it prints (views/briefing.print_line), and for
    # its footer the generation and, once a generation, the papers the live values cite
    # (provenance.cited_papers).
    "/": 10,
    "/expenditure/": 11,
    "/approvals/": 10,
    "/expenditure/?from=1994&to=1994&by=source&by=region": 11,
    # A chosen member: the page's code lists say it is at the top level, so no read asks the database
    # (selectors.live_values).
    "/expenditure/?source=undp&by=total&by=region&year=1994&value=share": 11,
    "/expenditure/history/?year=1995&source=undp": 7,
    "/expenditure.json?by=source&from=1990&to=1996": 5,
    "/expenditure.json?by=region&from=1950&to=2049": 5,
}


def _countries_with_figures(count):
    africa = Region.objects.get(code="africa")
    Region.objects.bulk_create(
        [
            Region(code=f"country-{n}", name=f"Country {n}", order=200 + n, colour="#999999", parent=africa)
            for n in range(count)
        ]
    )
    publish(
        [
            row(measure, year, source, f"country-{n}", 1000 + n)
            for n in range(count)
            for measure in ("expenditure", "approvals")
            for year in range(1990, 1997)
            for source in ("_T", "undp")
        ]
    )


@pytest.mark.parametrize("url", list(PAGES))
def test_each_page_costs_its_pinned_queries_and_one_when_cached(ilo_data, client, django_assert_num_queries, url):
    with django_assert_num_queries(PAGES[url]):
        first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the live generation; the rest is the cache
        again = client.get(url)
    assert again.content == first.content


@pytest.mark.parametrize("url", list(PAGES))
def test_a_page_reads_the_same_rows_and_queries_with_a_hundred_countries_more(
    ilo_data, client, django_assert_num_queries, url
):
    before = client.get(url).content
    summary, live = LiveCell.objects.count(), Observation.objects.current().count()
    _countries_with_figures(100)
    assert Observation.objects.current().count() == live + 100 * 2 * 7 * 2
    assert LiveCell.objects.count() == summary  # countries are not top-level cells
    with django_assert_num_queries(PAGES[url]):
        after = client.get(url)
    # The same figures (the generation in the page may differ: the release list did not change).
    assert after.status_code == 200
    assert len(after.content) == pytest.approx(len(before), abs=200)


def test_a_view_of_a_chosen_country_reads_its_live_values_from_the_observations(ilo_data, countries, client):
    publish([row(year=1995, region="kenya", amount=2_500_000), row(year=1995, region="ghana", amount=1_500_000)])
    response = client.get("/expenditure.json?region=kenya&region=ghana&from=1995&to=1995")
    assert response.status_code == 200
    # The sum of the two chosen countries, named as that sum (null would say "all regions").
    assert [(r["year"], r["region"], r["amount"], r["status"]) for r in response.json()["rows"]] == [
        (1995, "kenya+ghana", 4000, "derived")
    ]
