"""Reads of the live figures: published totals as published, missing years absent, exact sums."""

from dataclasses import replace
from decimal import Decimal

import pytest
from django.http import QueryDict

from funding.charts import format_value
from funding.models import Observation, Status
from funding.selectors import ViewQuery, cell_history, cells, observations_matching, stated_share_cells, view_rows
from funding.services import publish_release, withdraw_release
from tests.factories import rows_of

EXPENDITURE_1990_96 = ViewQuery(measure="expenditure", year_from=1990, year_to=1996)


def amounts(rows, *keys):
    return {tuple(row[k] for k in keys): row["amount"] for row in rows}


def test_figures_total_gives_the_published_totals_and_skips_missing_years(ilo_data):
    rows = rows_of(EXPENDITURE_1990_96)
    assert amounts(rows, "year") == {
        (1991,): Decimal("170000"),
        (1993,): Decimal("148670"),
        (1994,): Decimal("113631"),
        (1995,): Decimal("112930"),  # the parts add up to 112,931: the published total wins
        (1996,): Decimal("98167"),
    }
    assert {row["year"] for row in rows}.isdisjoint({1990, 1992})
    assert [row["status"] for row in rows] == ["approximate", "published", "published", "published", "published"]


def test_figures_by_source_gives_the_published_table_in_ilo_order(ilo_data):
    rows = rows_of(replace(EXPENDITURE_1990_96, year_from=1995, year_to=1995), breakdown="source")
    assert [(row["source"], row["region"], row["amount"]) for row in rows] == [
        ("rbtc", None, Decimal("12426")),
        ("undp", None, Decimal("31211")),
        ("trust-funds", None, Decimal("61028")),
        ("unfpa", None, Decimal("8266")),
    ]
    assert rows[0]["document"] == "GB.273/TC/1 (Nov 1998) Appendix I table A"


def test_figures_by_region_never_mixes_in_the_by_source_table(ilo_data):
    rows = rows_of(replace(EXPENDITURE_1990_96, year_from=1996, year_to=1996), breakdown="region")
    assert amounts(rows, "region") == {
        ("africa",): Decimal("36749"),
        ("asia-pacific",): Decimal("24733"),
        ("latin-america-caribbean",): Decimal("10162"),
        ("arab-states",): Decimal("2625"),
        ("europe",): Decimal("6072"),
        ("interregional",): Decimal("17827"),
    }
    assert sum(amounts(rows, "region").values()) == Decimal("98168")  # one more than the published total


def test_figures_by_region_includes_the_stated_europe_1990(ilo_data):
    rows = rows_of(replace(EXPENDITURE_1990_96, year_to=1990), breakdown="region")
    assert [(row["region"], row["amount"], row["status"]) for row in rows] == [("europe", Decimal("2200"), "rounded")]


def test_figures_sums_several_chosen_sources_as_derived(ilo_data):
    query = replace(EXPENDITURE_1990_96, sources=("undp", "unfpa"))
    rows = rows_of(query)
    assert amounts(rows, "year") == {
        (1993,): Decimal("66979"),
        (1994,): Decimal("45789"),
        (1995,): Decimal("39477"),
        (1996,): Decimal("30150"),
    }
    assert {row["status"] for row in rows} == {"derived"}
    assert {row["source"] for row in rows} == {None}


def test_figures_one_chosen_source_is_its_own_series(ilo_data):
    rows = rows_of(replace(EXPENDITURE_1990_96, sources=("undp",)))
    assert amounts(rows, "year", "source") == {
        (1993, "undp"): Decimal("58661"),
        (1994, "undp"): Decimal("38522"),
        (1995, "undp"): Decimal("31211"),
        (1996, "undp"): Decimal("23531"),
    }
    assert {row["status"] for row in rows} == {"published"}


def test_figures_source_by_region_exists_only_for_the_ldcs(ilo_data):
    query = replace(EXPENDITURE_1990_96, sources=("undp",), year_from=1993, year_to=1993)
    assert rows_of(query, breakdown="region") == []
    ldc = rows_of(replace(query, group="ldc"), breakdown="region")
    assert amounts(ldc, "region") == {
        ("africa",): Decimal("18035"),
        ("latin-america-caribbean",): Decimal("7"),
        ("asia-pacific",): Decimal("13305"),
        ("arab-states",): Decimal("124"),
    }
    assert [row["region"] for row in ldc] == ["africa", "asia-pacific", "latin-america-caribbean", "arab-states"]


def test_figures_approvals_have_totals_only(ilo_data):
    query = replace(EXPENDITURE_1990_96, measure="approvals")
    assert rows_of(query, breakdown="source") == []
    assert amounts(rows_of(query), "year") == {
        (1990,): Decimal("165600"),
        (1994,): Decimal("69700"),
        (1995,): Decimal("114000"),
        (1996,): Decimal("114000"),
    }


def test_view_rows_share_reproduces_the_published_shares(ilo_data):
    rows = view_rows(replace(EXPENDITURE_1990_96, year_from=1993, year_to=1993, by=("source",), value="share"))
    # GB.267/TC/1 prints 12.4, 39.5, 42.6 and 5.6 per cent: six decimals cut from the exact fraction.
    shares = [row["share"] for row in rows]
    assert shares == [Decimal("12.357570"), Decimal("39.457187"), Decimal("42.590300"), Decimal("5.594941")]
    assert [format_value(share, "share") for share in shares] == ["12.4%", "39.5%", "42.6%", "5.6%"]
    assert Decimal("99.999996") <= sum(shares) <= Decimal("100")


def test_view_rows_share_is_rounded_once_as_the_ilo_prints_it(ilo_data):
    # 28,288 of 112,930 is 25.0491...%: printed 25.0 (GB.273/TC/1), never 25.05 and then 25.1.
    query = replace(EXPENDITURE_1990_96, year_from=1995, year_to=1995, by=("region",), value="share")
    asia = next(row for row in view_rows(query) if row["region"] == "asia-pacific")
    assert asia["share"] == Decimal("25.049145")
    assert format_value(asia["share"], "share") == "25.0%"


def test_view_rows_share_of_a_filtered_total_is_against_all_sources(ilo_data):
    rows = view_rows(replace(EXPENDITURE_1990_96, sources=("undp",), value="share"))
    assert {row["year"]: row["share"] for row in rows} == {
        1990: Decimal("45.9"),  # stated as a share (GB.270/TC/2, para. 18); no amount
        1993: Decimal("39.457187"),
        1994: Decimal("33.900960"),
        1995: Decimal("27.637474"),
        1996: Decimal("23.970377"),
    }


def shares(rows, breakdown, *keys):
    return {tuple(row[k] for k in keys): row["share"] for row in rows if row["breakdown"] == breakdown}


def test_view_rows_share_of_a_chosen_source_is_of_all_sources_whichever_are_chosen(ilo_data):
    """A share is of the published total (`_T` along the breakdown's dimension), never of the sum of the
    members chosen: trust funds alone were 100% of themselves, UNDP 48.1% of itself plus trust funds."""
    alone = view_rows(replace(EXPENDITURE_1990_96, sources=("trust-funds",), by=("source", "total"), value="share"))
    expected = {
        (1990,): Decimal("37.8"),  # stated as a share (GB.270/TC/2, para. 18)
        (1993,): Decimal("42.590300"),  # GB.267/TC/1 prints 42.6
        (1994,): Decimal("51.524671"),
        (1995,): Decimal("54.040556"),
        (1996,): Decimal("62.199109"),
    }
    assert shares(alone, "source", "year") == shares(alone, "total", "year") == expected
    both = view_rows(
        replace(EXPENDITURE_1990_96, sources=("trust-funds", "undp"), by=("source", "total"), value="share")
    )
    assert shares(both, "source", "year", "source") == {
        **{(year, "trust-funds"): share for (year,), share in expected.items()},
        (1990, "undp"): Decimal("45.9"),
        (1993, "undp"): Decimal("39.457187"),  # not 48.1 (of UNDP and trust funds only)
        (1994, "undp"): Decimal("33.900960"),
        (1995, "undp"): Decimal("27.637474"),
        (1996, "undp"): Decimal("23.970377"),
    }
    # The row summing the two: its share of the published total, never 100%; one denominator a row.
    total = {row["year"]: row for row in both if row["breakdown"] == "total"}
    assert {year: row["share"] for year, row in total.items()} == {
        1990: Decimal("83.7"),  # 45.9 + 37.8, both stated
        1993: Decimal("82.047487"),
        1994: Decimal("85.425632"),
        1995: Decimal("81.678030"),
        1996: Decimal("86.169486"),
    }
    assert (total[1990]["measure"], total[1990]["amount"], total[1990]["summed"]) == ("expenditure-share", None, True)
    assert "summed" not in next(row for row in both if row["year"] == 1990 and row["breakdown"] == "source")


def test_view_rows_share_of_a_chosen_region_is_of_all_regions(ilo_data):
    rows = view_rows(replace(EXPENDITURE_1990_96, regions=("africa",), by=("region",), value="share"))
    assert shares(rows, "region", "year") == {
        (1993,): Decimal("40.438555"),  # 60,120 of 148,670, not 100%
        (1994,): Decimal("41.004655"),
        (1995,): Decimal("37.632161"),
        (1996,): Decimal("37.435186"),
    }


def test_view_rows_share_on_several_chosen_members_of_a_pinned_dimension_is_of_their_totals_added(ilo_data):
    """The least developed countries by source in Africa and Asia and the Pacific: each source's share of
    the two regions' published totals added (32,003 + 15,024 in 1993), as its amount is their sum."""
    query = ViewQuery(year_from=1993, year_to=1993, group="ldc", regions=("africa", "asia-pacific"))
    rows = view_rows(replace(query, by=("source",), value="share"))
    assert shares(rows, "source", "source") == {
        ("rbtc",): Decimal("1.656495"),
        ("undp",): Decimal("66.642567"),  # 31,340 of 47,027
        ("trust-funds",): Decimal("24.762370"),
        ("unfpa",): Decimal("6.934314"),
    }
    regions = {row["amount"] for row in view_rows(replace(query, by=("total",)))}
    assert regions == {Decimal("47027")}


def test_view_rows_change_of_chosen_members_is_unchanged_by_the_shares_rule(ilo_data):
    query = replace(EXPENDITURE_1990_96, year_from=1994, sources=("trust-funds", "undp"), by=("source", "total"))
    changes = {
        (row["breakdown"], row["source"], row["year"]): row["change"]
        for row in view_rows(replace(query, value="change"))
    }
    assert changes[("total", None, 1994)] == Decimal("-20.421380")  # 97,070 on 121,980: the sum's own change
    assert changes[("source", "undp", 1996)] == Decimal("-24.606709")  # 23,531 on 31,211
    amounts = {
        (row["breakdown"], row["source"], row["year"]): row["amount"]
        for row in view_rows(replace(query, year_from=1993))
    }
    for (breakdown, source, year), change in changes.items():
        before, after = amounts[(breakdown, source, year - 1)], amounts[(breakdown, source, year)]
        assert change == ((after - before) * 100 / before).quantize(Decimal("0.000001"), rounding="ROUND_DOWN")


def test_view_rows_change_uses_the_year_before_the_range(ilo_data):
    rows = view_rows(replace(EXPENDITURE_1990_96, year_from=1994, year_to=1996, value="change"))
    assert {row["year"]: row["change"] for row in rows} == {
        1994: Decimal("-23.568305"),
        1995: Decimal("-0.616909"),
        1996: Decimal("-13.072699"),
    }


def test_view_rows_change_is_none_after_a_missing_year(ilo_data):
    rows = view_rows(replace(EXPENDITURE_1990_96, year_from=1991, year_to=1993, value="change"))
    assert {row["year"]: row["change"] for row in rows} == {1991: None, 1993: None}


def test_the_total_of_a_year_is_the_published_total(ilo_data):
    (row,) = rows_of(replace(EXPENDITURE_1990_96, year_from=1995, year_to=1995))
    assert (row["year"], row["amount"]) == (1995, Decimal("112930"))


def test_figures_costs_one_query(ilo_data, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows_of(EXPENDITURE_1990_96, breakdown="source")
    # With members chosen, one look-up first: are they at the top level, which the summary keeps?
    with django_assert_num_queries(2):
        rows_of(replace(EXPENDITURE_1990_96, sources=("undp", "rbtc"), regions=("africa",)), breakdown="source")


def make_rows(amounts, *, year=2001, measure="expenditure"):
    """Rows for publish_release: one region each (by-region table, all sources), amounts in dollars."""
    regions = ["africa", "asia-pacific", "latin-america-caribbean", "arab-states", "europe", "interregional"]
    return [
        {"measure": measure, "year": year, "source": "_T", "region": region, "amount": amount, "status": "published"}
        for region, amount in zip(regions, amounts, strict=False)
    ]


@pytest.mark.django_db
def test_figures_sums_fractional_amounts_exactly_on_every_engine():
    # 6 regions x 100 years of amounts with odd dollar parts: a float column would drift here.
    rows = []
    for year in range(1960, 2060):
        rows += make_rows([123_456_789 + year, 987_654_321, 1, 999, 555_555_555_555, 7], year=year)
    publish_release(title="many", rows=rows, checksum="x" * 64)
    query = ViewQuery(year_from=1960, year_to=2059, regions=("africa", "asia-pacific", "europe", "arab-states"))
    total = sum(row["amount"] for row in rows_of(query))
    expected = sum(Decimal(123_456_789 + y + 987_654_321 + 555_555_555_555 + 999) for y in range(1960, 2060)) / 1000
    assert total == expected == Decimal("55666666967.35")


@pytest.mark.django_db
def test_cell_history_keeps_older_values_and_withdrawal_brings_them_back():
    first, _ = publish_release(title="first", rows=make_rows([1_000_000]), checksum="a" * 64)
    second, _ = publish_release(title="second", rows=make_rows([1_250_000]), checksum="b" * 64)
    history = cell_history(measure="expenditure", year=2001, region="africa")
    assert [(h["amount"], h["is_current"], h["release__title"]) for h in history] == [
        (1_250_000, True, "second"),
        (1_000_000, False, "first"),
    ]
    assert second.changed_values == 1
    withdraw_release(release=second)
    query = ViewQuery(year_from=2001, year_to=2001, regions=("africa",))
    assert [(row["amount"], row["status"]) for row in rows_of(query)] == [(Decimal("1000"), Status.PUBLISHED.label)]


@pytest.mark.django_db
def test_figures_by_region_leaves_out_countries_under_a_region_unless_asked():
    from funding.models import Region

    Region.objects.create(code="kenya", name="Kenya", parent=Region.objects.get(code="africa"), colour="#000000")
    rows = make_rows([5_000_000])
    rows.append({**rows[0], "region": "kenya", "amount": 2_000_000})
    publish_release(title="countries", rows=rows, checksum="k" * 64)
    query = ViewQuery(year_from=2001, year_to=2001)
    assert amounts(rows_of(query, breakdown="region"), "region") == {("africa",): Decimal("5000")}
    asked = rows_of(replace(query, regions=("kenya",)), breakdown="region")
    assert amounts(asked, "region") == {("kenya",): Decimal("2000")}


@pytest.mark.django_db
def test_coverage_lists_top_level_cells_in_the_years_asked_and_countries_only_when_chosen():
    from funding.models import Region
    from funding.selectors import coverage, year_span

    Region.objects.create(code="kenya", name="Kenya", parent=Region.objects.get(code="africa"), colour="#000000")
    rows = make_rows([5_000_000]) + make_rows([6_000_000], year=2003)
    rows.append({**rows[0], "region": "kenya", "amount": 2_000_000})
    rows += [{**rows[0], "region": "_T", "year": year, "amount": 9_000_000} for year in (2000, 2002)]
    publish_release(title="countries", rows=rows, checksum="c" * 64)
    assert coverage(measure="expenditure", year_from=2001, year_to=2002) == {
        ("_T", 2001, "_T", "africa", "_T"),
        ("_T", 2002, "_T", "_T", "_T"),
    }
    assert coverage(measure="expenditure", year_from=2001, year_to=2001, regions=("kenya",)) == {
        ("_T", 2001, "_T", "africa", "_T"),
        ("_T", 2001, "_T", "kenya", "_T"),
    }
    assert year_span(measure="expenditure") == (2000, 2002)  # the years of the all-sources totals
    assert year_span(measure="approvals") is None


def test_iter_view_rows_streams_the_same_rows_as_view_rows(ilo_data):
    from funding.selectors import iter_view_rows

    query = replace(EXPENDITURE_1990_96, by=("total", "source", "region"), year_to=1997)
    streamed = iter_view_rows(query)
    assert not isinstance(streamed, list)
    assert list(streamed) == view_rows(query)
    shares = replace(query, value="share")
    assert list(iter_view_rows(shares)) == view_rows(shares)


@pytest.mark.parametrize(
    "query",
    [
        ViewQuery(year_from=1990, year_to=1997, by=("total", "source", "region", "source-region")),
        ViewQuery(year_from=1994, year_to=1996, sources=("undp",), by=("total", "region", "source-region")),
        ViewQuery(year_from=1994, year_to=1996, regions=("kenya", "africa"), by=("total", "source", "region")),
        ViewQuery(year_from=1995, year_to=1995, group="ldc", sources=("undp", "rbtc"), by=("total", "region")),
        ViewQuery(year_from=1993, year_to=1996, by=("total", "input_type", "source")),
        ViewQuery(year_from=1994, year_to=1995, input_types=("training", "experts"), by=("total", "region")),
    ],
)
def test_view_cells_are_the_same_cells_in_the_database_and_in_the_coverage(ilo_data, query):
    """One definition of a view's cells: its SQL condition and its test on coverage() pick the same ones."""
    from funding.models import Observation, Region
    from funding.selectors import code_lists, coverage, view_cells
    from funding.vocabulary import DIMENSIONS, top_level

    Region.objects.create(code="kenya", name="Kenya", parent=Region.objects.get(code="africa"), colour="#000000")
    row = {"measure": "expenditure", "year": 1995, "source": "_T", "region": "kenya", "amount": 1_000_000}
    publish_release(title="countries", rows=[row, {**row, "source": "undp"}], checksum="k" * 64)
    lists = code_lists()
    top = {dim: {m["code"] for m in top_level(lists, dim)} for dim in DIMENSIONS}
    cells = coverage(measure=query.measure, sources=query.sources, regions=query.regions, input_types=query.input_types)
    read = set()
    for breakdown in query.by:
        rule = view_cells(query, breakdown)
        in_database = set(
            Observation.objects.current()
            .filter(rule.q())
            .values_list("country_group__code", "year", *(f"{dim}__code" for dim in DIMENSIONS))
        )
        in_coverage = {
            (group, year, *codes)
            for group, year, *codes in cells
            if rule.contains(group=group, year=year, codes=dict(zip(DIMENSIONS, codes, strict=True)), top=top)
        }
        assert in_database == in_coverage
        read |= in_database
    assert read  # every case reads something


@pytest.mark.parametrize(
    "query",
    [
        ViewQuery(year_from=1990, year_to=1997, by=("total", "source", "region", "source-region")),
        ViewQuery(year_from=1994, year_to=1996, sources=("undp",), by=("total", "region", "input_type")),
        ViewQuery(year_from=1994, year_to=1996, regions=("kenya", "africa"), by=("total", "source", "region")),
        ViewQuery(year_from=1995, year_to=1995, group="ldc", sources=("undp", "rbtc"), by=("total", "region")),
        ViewQuery(year_from=1994, year_to=1995, sources=("trust-funds",), value="share", by=("total", "region")),
    ],
)
def test_a_view_read_by_its_members_keys_is_the_view_read_by_their_codes(ilo_data, query):
    """The page's code lists give the members' keys, which the reads filter by instead of joining the
    code lists: the same cells, rows, coverage and years as the reads by code."""
    from funding.forms import _asked
    from funding.models import Observation, Region
    from funding.selectors import code_lists, coverage, member_ids, view_cells, year_span

    Region.objects.create(code="kenya", name="Kenya", parent=Region.objects.get(code="africa"), colour="#000000")
    row = {"measure": "expenditure", "year": 1995, "source": "_T", "region": "kenya", "amount": 1_000_000}
    publish_release(title="countries", rows=[row, {**row, "source": "undp"}], checksum="k" * 64)
    params = QueryDict(mutable=True)
    params.setlist("source", query.sources)
    params.setlist("region", query.regions)
    lists = code_lists(asked=_asked(params))
    ids = member_ids(lists)
    assert ids is not None  # the lists give every key the reads need
    for breakdown in query.by:
        cells = view_cells(query, breakdown)
        by_code = set(Observation.objects.current().filter(cells.q()).values_list("pk", flat=True))
        assert set(Observation.objects.current().filter(cells.q(ids)).values_list("pk", flat=True)) == by_code
        assert set(cells.live(ids=ids).values_list("pk", flat=True)) == set(cells.live().values_list("pk", flat=True))
    rows = view_rows(query, code_lists=lists)
    assert rows and rows == view_rows(query)
    chosen = {"sources": query.sources, "regions": query.regions}
    assert coverage(measure="expenditure", code_lists=lists, **chosen) == coverage(measure="expenditure", **chosen)
    assert year_span(measure="expenditure", code_lists=lists) == year_span(measure="expenditure") == (1991, 1997)


def test_view_rows_share_gives_1990_the_stated_shares_and_never_an_amount(ilo_data):
    rows = view_rows(replace(EXPENDITURE_1990_96, by=("source",), value="share"))
    stated = [(r["measure"], r["source"], r["amount"], r["share"], r["status"]) for r in rows if r["year"] == 1990]
    assert stated == [
        ("expenditure-share", "rbtc", None, Decimal("8.7"), "derived"),
        ("expenditure-share", "undp", None, Decimal("45.9"), "rounded"),
        ("expenditure-share", "trust-funds", None, Decimal("37.8"), "rounded"),
        ("expenditure-share", "unfpa", None, Decimal("7.6"), "rounded"),
    ]
    assert sum(r["share"] for r in rows if r["year"] == 1990) == 100
    assert [r["year"] for r in rows if r["source"] == "undp"] == [1990, 1993, 1994, 1995, 1996]
    # The amounts view has no 1990 by source: the shares are never turned into amounts.
    assert not [r for r in view_rows(replace(EXPENDITURE_1990_96, by=("source",))) if r["year"] == 1990]


def test_stated_share_cells_name_the_cells_an_amounts_view_has_only_shares_for(ilo_data):
    query = replace(EXPENDITURE_1990_96, by=("source", "region", "total"))
    # Each with the document that states it, which a table cites beside "only shares published".
    para_18 = (
        ("GB.270/TC/2 (Nov 1997), para. 18", "http://ilo.org/public/english/standards/relm/gb/docs/gb270/tc-2.htm"),
    )
    sources = {((code, None, None), 1990): para_18 for code in ("rbtc", "undp", "trust-funds", "unfpa")}
    # Nothing for the total of all sources: the documents state no share of it (nor its 1990 amount).
    assert stated_share_cells(query) == {"source": sources}
    assert stated_share_cells(replace(query, measure="approvals")) == {}
    # The total of the sources a view chose is a cell of its own, and is read even when the view does
    # not ask for the total: it is every split's total line. Several sources' stated shares add up.
    undp = replace(query, sources=("undp",), by=("source",))
    assert stated_share_cells(undp) == {
        "source": {(("undp", None, None), 1990): para_18},
        "total": {(("undp", None, None), 1990): para_18},
    }
    two = replace(query, sources=("undp", "unfpa"), by=("source",))
    assert stated_share_cells(two)["total"] == {((None, None, None), 1990): para_18}
    # A sum with a member whose share no document states is none: the multi-bilateral programme's.
    assert not stated_share_cells(replace(query, sources=("undp", "multi-bi"), by=("source",))).get("total")


def test_a_series_key_with_years_finds_its_rows_by_its_codes_and_keeps_only_those_years(ilo_data):
    series = {"country_group": ["_T"], "input_type": ["_T"], "source": ["_T"]}  # every region
    found = list(cells(measures=["expenditure"], members=series, year_from=1995, year_to=1996))
    every = list(cells(measures=["expenditure"], members=series))
    assert found == [cell for cell in every if 1995 <= cell["year"] <= 1996]
    assert {cell["year"] for cell in found} == {1995, 1996}
    assert [c["amount"] for c in found if c["region"] == "_T"] == [Decimal("112930"), Decimal("98167")]
    # The years compared as year + 0, which no index serves: the codes lead the index the rows are found by.
    keyed = observations_matching(
        Observation.objects.current(), measures=["expenditure"], members=series, year_from=1995, year_to=1996
    )
    assert '."year" + 0) >= 1995' in str(keyed.query).replace('"funding_observation"', "")
    # A key leaving the country group open fixes no index's leading columns: the year narrows the index.
    open_key = observations_matching(
        Observation.objects.current(),
        measures=["expenditure"],
        members={"source": ["_T"]},
        year_from=1995,
        year_to=None,
    )
    assert '"year" >= 1995' in str(open_key.query) and "+ 0" not in str(open_key.query)
