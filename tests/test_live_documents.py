"""The documents the live values cite (funding.services.live_documents, LiveDocument): equal to a fresh
count of the live observations after every publish and withdrawal, the data package's sources, and
the reason its descriptor does not scan every live value (both engines)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.models import LiveDocument, Observation, Region
from funding.selectors import cited_documents
from funding.services import withdraw_release
from funding.services.live_documents import live_documents_drift, rebuild_live_documents
from tests.factories import apply_write, publish_rows, value_row

publish = publish_rows


def row(year=2001, source="_T", region="_T", amount=1000, measure="expenditure", **extra):
    return value_row(measure, year, source, region, amount, **extra)


def fresh_pairs():
    """The pairs as the data package read them before the table: from every live observation."""
    live = Observation.objects.current().exclude(document="").values_list("document", "document_url")
    return list(live.distinct().order_by("document", "document_url"))


@pytest.fixture
def kenya(db):
    Region.objects.create(
        code="kenya", name="Kenya", order=101, colour="#999999", parent=Region.objects.get(code="africa")
    )


def test_the_migration_counted_the_documents_of_the_real_data(ilo_data):
    assert LiveDocument.objects.count() == len(fresh_pairs()) > 3
    cited = Observation.objects.current().exclude(document="").count()
    assert sum(LiveDocument.objects.values_list("observations", flat=True)) == cited > 100
    assert live_documents_drift() == []
    assert cited_documents() == fresh_pairs()


def test_a_publish_counts_a_country_s_document_and_a_withdrawal_takes_it_off(ilo_data, kenya):
    before = cited_documents()
    release = publish(
        [
            row(region="kenya", amount=2_000, document="Kenya report", document_url="https://example.org/k"),
            row(region="kenya", year=2002, amount=3_000, document="Kenya report", document_url="https://example.org/k"),
            row(region="kenya", year=2003, amount=4_000),  # no document: not counted
        ]
    )
    assert LiveDocument.objects.get(document="Kenya report").observations == 2
    assert cited_documents() == sorted([*before, ("Kenya report", "https://example.org/k")])
    assert live_documents_drift() == []
    withdraw_release(release=release)
    assert cited_documents() == before
    assert not LiveDocument.objects.filter(document="Kenya report").exists()
    assert live_documents_drift() == []


def test_a_value_restated_in_another_document_moves_its_count_and_comes_back_on_withdrawal(ilo_data):
    old = Observation.objects.current().get(
        measure="expenditure",
        year=1995,
        source__code="_T",
        region__code="_T",
        country_group__code="_T",
        input_type__code="_T",
    )
    count = LiveDocument.objects.get(document=old.document, document_url=old.document_url).observations
    release = publish([row(year=1995, amount=120_000_000, document="GB.X", document_url="https://example.org/x")])
    assert LiveDocument.objects.get(document=old.document, document_url=old.document_url).observations == count - 1
    assert LiveDocument.objects.get(document="GB.X", document_url="https://example.org/x").observations == 1
    withdraw_release(release=release)
    assert LiveDocument.objects.get(document=old.document, document_url=old.document_url).observations == count
    assert not LiveDocument.objects.filter(document="GB.X").exists()
    assert live_documents_drift() == []


def test_rebuild_gives_the_table_the_writes_kept(ilo_data, kenya):
    publish([row(region="kenya", document="K", document_url="https://example.org/k"), row(year=2002, document="K")])
    kept = sorted(LiveDocument.objects.values_list("document", "document_url", "observations"))
    rebuild_live_documents()
    assert sorted(LiveDocument.objects.values_list("document", "document_url", "observations")) == kept


def test_the_data_package_reads_its_sources_in_the_same_queries_with_a_hundred_countries_more(
    ilo_data, client, django_assert_num_queries
):
    def descriptor():
        # The generation, the four code lists, the documents, the live release: none reads the observations.
        with django_assert_num_queries(7) as queries:
            response = client.get("/datapackage.json")
        assert response.status_code == 200
        assert not any("funding_observation" in query["sql"] for query in queries.captured_queries)
        return response.json()

    before = descriptor()
    africa = Region.objects.get(code="africa")
    Region.objects.bulk_create(
        [Region(code=f"c-{n}", name=f"C {n}", order=200 + n, colour="#999999", parent=africa) for n in range(100)]
    )
    publish([row(region=f"c-{n}", year=y, document=f"Report {n % 3}") for n in range(100) for y in (2001, 2002)])
    after = descriptor()
    assert [s["title"] for s in after["sources"]] == sorted(
        [s["title"] for s in before["sources"]] + ["Report 0", "Report 1", "Report 2"]
    )
    assert LiveDocument.objects.filter(document__startswith="Report ").count() == 3
    assert live_documents_drift() == []


# --- The property: after any sequence of writes, the table is a fresh count of the live values ----

DOCUMENTS = st.sampled_from([("", ""), ("GB.1", ""), ("GB.1", "https://example.org/1"), ("GB.2", "")])
CELLS = st.tuples(
    st.sampled_from(["expenditure", "approvals"]),
    st.sampled_from([1995, 2001]),
    st.sampled_from(["_T", "undp"]),
    st.sampled_from(["_T", "africa", "kenya"]),
)
PUBLISH = st.tuples(st.just("publish"), st.lists(st.tuples(CELLS, DOCUMENTS, st.integers(0, 10**9)), min_size=1))
WITHDRAW = st.tuples(st.just("withdraw"), st.integers(0, 20))
OPERATIONS = st.lists(st.one_of(PUBLISH, PUBLISH, WITHDRAW), min_size=1, max_size=10)


def _drawn_rows(drawn):
    """The rows of a drawn publish, one per cell (the last drawn for a cell wins)."""
    rows = {cell: row(*cell[1:], amount, cell[0], document=d, document_url=u) for cell, (d, u), amount in drawn}
    return list(rows.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_the_documents_equal_a_fresh_count_after_every_publish_and_withdrawal(ilo_data, kenya, operations):
    with transaction.atomic():  # every example starts from the real data again
        published = []
        for kind, argument in operations:
            apply_write(kind, argument, published, _drawn_rows)
            assert live_documents_drift() == []
            assert cited_documents() == fresh_pairs()
        transaction.set_rollback(True)
