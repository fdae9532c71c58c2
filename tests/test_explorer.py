"""The explorer's logic: drill targets, breadcrumbs, summary sentences and no-data messages."""

from decimal import Decimal
from functools import partial

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from funding import explorer
from funding.addresses import querystring
from funding.selectors import ViewQuery
from tests import factories

BASE = "/expenditure/"


# The explorer's rows cite a printed table, as the shipped data does.
make_row = partial(factories.make_row, document="GB.267/TC/1 (Nov 1996) Appendix I table A")


def explore(querystring, measure="expenditure"):
    """The context the explorer view renders for a query string over the real data (rendered afresh:
    the response cache is emptied first, so a second call in a test is not served a stored page)."""
    cache.clear()
    response = Client().get(f"/{measure}/?{querystring}")
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context


def drills(context, panel=0):
    """{(trace name, year): customdata} of a panel's figure."""
    return {
        (trace["name"], int(x)): url
        for trace in context["panels"][panel]["figure"]["data"]
        for x, url in zip(trace["x"], trace["customdata"], strict=True)
    }


def test_querystring_leaves_out_defaults_and_keeps_the_form_order():
    query = ViewQuery(sources=("undp",), by=("total", "region"), focus_year=1994)
    assert querystring(query) == "?source=undp&by=total&by=region&year=1994"
    query = ViewQuery(year_from=1994, year_to=1994, by=("source", "region"), group="ldc", value="share")
    assert querystring(query) == "?from=1994&to=1994&by=source&by=region&group=ldc&value=share"


def test_drill_target_of_a_year_is_that_year_by_source_and_by_region():
    target = explorer.drill_target(ViewQuery(), make_row(1994, 113631))
    assert querystring(target) == "?from=1994&to=1994&by=source&by=region"


def test_drill_target_of_a_source_in_a_year_is_its_series_over_the_default_range():
    year = ViewQuery(year_from=1994, year_to=1994, by=("source", "region"))
    target = explorer.drill_target(year, make_row(1994, 38522, breakdown="source", source="undp"))
    assert querystring(target) == "?source=undp&by=total&by=region&year=1994"
    target = explorer.drill_target(year, make_row(1994, 46594, breakdown="region", region="africa"))
    assert querystring(target) == "?region=africa&by=total&by=source&year=1994"


def test_drill_target_out_of_a_year_outside_the_default_range_widens_it():
    year = ViewQuery(year_from=1997, year_to=1997, by=("source",))
    target = explorer.drill_target(year, make_row(1997, 31225, breakdown="source", source="undp"))
    assert (target.year_from, target.year_to) == (1990, 1997)


def test_drill_target_of_a_year_in_a_filtered_series_breaks_down_the_remaining_dimension():
    series = ViewQuery(sources=("undp",), by=("total", "region"), group="ldc", focus_year=1994)
    target = explorer.drill_target(series, make_row(1995, 18513, source="undp"))
    # One year alone: its range names it, with no drill year beside it (one view, one address).
    assert querystring(target) == "?from=1995&to=1995&source=undp&by=region&group=ldc"


def test_drill_target_of_a_cell_series_is_none():
    cell = ViewQuery(sources=("undp",), regions=("africa",), group="ldc")
    assert explorer.drill_target(cell, make_row(1994, 12639, source="undp", region="africa")) is None


def test_drill_target_keeps_the_value_shown():
    target = explorer.drill_target(ViewQuery(value="share"), make_row(1994, 113631))
    assert target.value == "share"


def test_page_drills_every_bar_with_data_below_it_and_no_other(ilo_data):
    context = explore("")
    assert drills(context) == {
        ("Total", 1991): "",  # a stated total: nothing is published below it
        ("Total", 1993): "/expenditure/?from=1993&to=1993&by=source&by=region",
        ("Total", 1994): "/expenditure/?from=1994&to=1994&by=source&by=region",
        ("Total", 1995): "/expenditure/?from=1995&to=1995&by=source&by=region",
        ("Total", 1996): "/expenditure/?from=1996&by=source&by=region",  # to=1996 is the default
    }


def test_page_table_numbers_link_to_the_same_targets_as_the_bars(ilo_data):
    context = explore("from=1994&to=1994&by=source&by=region")
    cells = {row["label"]: row["cells"][0]["url"] for row in context["panels"][0]["table"]["rows"]}
    assert cells == {
        "Regular budget (RBTC)": "/expenditure/?source=rbtc&by=total&by=region&year=1994",
        "UNDP": "/expenditure/?source=undp&by=total&by=region&year=1994",
        "Trust funds and multi-bi": "/expenditure/?source=trust-funds&by=total&by=region&year=1994",
        "UNFPA": "/expenditure/?source=unfpa&by=total&by=region&year=1994",
        "All sources": "",  # the total of this very chart: no link back to the page itself
    }
    assert drills(context)[("UNDP", 1994)] == cells["UNDP"]


def test_page_does_not_drill_a_year_of_a_source_where_no_regional_split_exists(ilo_data):
    assert set(drills(explore("source=undp&by=total&by=region&year=1994")).values()) == {""}
    ldc = drills(explore("source=undp&by=total&by=region&group=ldc&year=1994"))
    assert ldc[("UNDP", 1994)] == "/expenditure/?from=1994&to=1994&source=undp&by=region&group=ldc"


@pytest.mark.parametrize("year", ["", "&year=1994"])
def test_page_of_one_year_has_one_address_and_its_total_no_link_to_itself(client, ilo_data, year):
    # The filter form has no drill year: from the drill (year=1994) it opens the same year without one.
    response = client.get(f"/expenditure/?from=1994&to=1994&source=undp&by=region&group=ldc{year}")
    assert response.context["canonical_url"] == "/expenditure/?from=1994&to=1994&source=undp&by=region&group=ldc"
    cells = {row["label"]: row["cells"][0]["url"] for row in response.context["panels"][0]["table"]["rows"]}
    assert cells["All regions"] == ""  # the total of this very chart
    assert cells["Africa"] == "/expenditure/?source=undp&region=africa&group=ldc&year=1994"


def test_breadcrumbs_show_the_path_and_link_back_up(ilo_data):
    assert [(c["label"], c["url"]) for c in explore("source=undp&by=total&by=region&year=1994")["breadcrumbs"]] == [
        ("All years", "/expenditure/"),
        ("1994", "/expenditure/?from=1994&to=1994&by=source&by=region"),
        ("UNDP", None),
    ]
    crumbs = explore("from=1994&to=1994&source=undp&by=region&group=ldc&year=1994")["breadcrumbs"]
    assert [(c["label"], c["url"]) for c in crumbs] == [
        ("All years", "/expenditure/?group=ldc"),
        ("1994", "/expenditure/?from=1994&to=1994&by=source&by=region&group=ldc"),
        ("UNDP", "/expenditure/?source=undp&by=total&by=region&group=ldc&year=1994"),
        ("UNDP in 1994", None),
    ]
    assert [c["label"] for c in explore("")["breadcrumbs"]] == ["All years"]


def test_summary_of_the_default_view(ilo_data):
    assert explore("")["summary"] == [
        "Expenditure fell from a peak of about $170 million in 1991 (approximate, stated in GB.270/TC/2) "
        "to $98.2 million in 1996.",
        "The largest source of funds in 1996 was Trust funds and multi-bi, whose share of all expenditure rose from "
        "42.6% in 1993 to 62.2%.",
        "For 1990 only shares of the total are published, not amounts.",
        "No figures are available for 1992.",
    ]


def test_summary_of_a_view_by_region_names_the_largest_region_and_no_sources(ilo_data):
    assert explore("by=region&from=1990&to=1997")["summary"] == [
        "Expenditure fell from a peak of about $170 million in 1991 (approximate, stated in GB.270/TC/2) "
        "to $108.4 million in 1997; its low point was $98.2 million in 1996.",
        "The largest region in 1997 was Africa, whose share of all expenditure fell from 40.4% in 1993 to 38.8%.",
        "No figures are available for 1992.",
    ]


def test_summary_of_a_view_by_type_of_input_names_the_largest_in_the_years_it_has(ilo_data):
    assert explore("by=input_type")["summary"] == [
        "Expenditure fell from a peak of about $170 million in 1991 (approximate, stated in GB.270/TC/2) "
        "to $98.2 million in 1996.",
        "The largest type of input in 1995 was Experts, whose share of all expenditure fell from 38.6% in 1994 "
        "to 33.7%.",
        "No figures are available for 1990 and 1992.",
    ]
    # One type of input chosen: nothing to compare it with.
    assert not any("largest" in sentence for sentence in explore("by=input_type&input_type=training")["summary"])


def test_summary_of_a_source_states_its_share_of_all_expenditure(ilo_data):
    assert explore("from=1993&to=1996&source=undp&by=total&by=region")["summary"] == [
        "Expenditure from UNDP fell from a peak of $58.7 million in 1993 to $23.5 million in 1996.",
        "UNDP's share of all expenditure fell from 39.5% in 1993 to 24.0% in 1996.",
    ]


def test_summary_of_one_year_compares_it_with_the_year_before(ilo_data):
    assert explore("from=1994&to=1994&by=source&by=region")["summary"] == [
        "In 1994 expenditure was $113.6 million, down 23.6% from $148.7 million in 1993.",
        "The largest source of funds in 1994 was Trust funds and multi-bi, with $58.5 million "
        "(51.5% of all expenditure).",
    ]


def test_summary_of_approvals_says_which_figures_were_stated_rounded_or_approximate(ilo_data):
    assert explore("", measure="approvals")["summary"] == [
        "Extra-budgetary approvals fell from a peak of $165.6 million in 1990 (rounded, stated in GB.270/TC/2) "
        "to about $114 million in 1996 (approximate, stated in GB.270/TC/2); its low point was $69.7 million "
        "in 1994 (rounded, stated in GB.270/TC/2).",
        "No figures are available for 1991-1993.",
    ]


def test_summary_of_a_rise_names_the_peak_at_the_end():
    rows = [make_row(1994, 1000), make_row(1995, 3000), make_row(1996, 2500)]
    query = ViewQuery(year_from=1994, year_to=1996)
    lists = {"sources": [], "regions": []}
    assert explorer.summary(query, rows, code_lists=lists) == [
        "Expenditure rose from $1.0 million in 1994 to $2.5 million in 1996; it peaked at $3.0 million in 1995."
    ]


def test_summary_is_empty_without_data():
    assert explorer.summary(ViewQuery(year_from=1980, year_to=1985), [], code_lists={}) == []


def test_money_states_stated_figures_at_their_precision():
    assert explorer.money(Decimal("148670")) == "$148.7 million"
    assert explorer.money(Decimal("170000"), "approximate") == "about $170 million"
    assert explorer.money(Decimal("226")) == "$226,000"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["$1.4 million", "$2.5 million", "$1.0 million", "about $170 million"]),
        (
            "fr",
            [
                "1,4 million de dollars",
                "2,5 millions de dollars",
                "1,0 million de dollars",
                "quelque 170 millions de dollars",
            ],
        ),
        (
            "es",
            [
                "1,4 millones de dólares",
                "2,5 millones de dólares",
                "1,0 millón de dólares",
                "unos 170 millones de dólares",
            ],
        ),
    ],
)
def test_money_takes_the_plural_cldr_gives_a_decimal_in_each_language(language, expected):
    amounts = [("1400", "published"), ("2500", "published"), ("1000", "published")]
    amounts.append(("170000", "approximate"))
    with translation.override(language):
        assert [explorer.money(Decimal(amount), status) for amount, status in amounts] == expected


def test_year_list_joins_runs_of_years():
    assert explorer.year_list([1990, 1991, 1992, 1996]) == "1990-1992 and 1996"
    assert explorer.year_list([1990, 1992, 1994]) == "1990, 1992 and 1994"


def test_gap_message_says_where_a_regional_split_of_a_source_exists(ilo_data):
    context = explore("source=undp&by=total&by=region&year=1994")
    assert context["panels"][1]["figure"] is None
    assert context["panels"][1]["message"] == {
        "breakdown": "region",
        "text": "No regional split of UNDP is published for 1990-1996 for all countries",
        "link_text": "the least developed countries table has one for 1993-1995",
        "link_url": "/expenditure/?source=undp&by=total&by=region&group=ldc&year=1994",
        "why": "",  # a regional split of a source is published, for other years or countries
    }


def test_gap_message_of_approvals_by_source_has_no_link(ilo_data):
    message = explore("by=total&by=source", measure="approvals")["panels"][1]["message"]
    assert message["text"] == (
        "No split of extra-budgetary approvals by source of funds is published for 1990-1996 for all countries"
    )
    assert message["link_url"] == ""


def test_gap_message_for_years_without_data_points_to_the_years_with_data(ilo_data):
    context = explore("from=1980&to=1985")
    assert [panel["figure"] for panel in context["panels"]] == [None]
    assert context["panels"][0]["message"]["text"] == "No data for 1980-1985"
    assert context["panels"][0]["message"]["link_text"] == "there are figures for 1991 and 1993-1997"
    assert context["summary"] == []


def test_share_view_draws_percentages_that_sum_to_100(ilo_data):
    figure = explore("from=1993&to=1993&by=source&value=share")["panels"][0]["figure"]
    assert [trace["y"] for trace in figure["data"]] == [[12.35757], [39.457187], [42.5903], [5.594941]]
    assert figure["layout"]["yaxis"]["ticksuffix"] == "%"


def test_focus_year_is_shaded_on_the_series(ilo_data):
    shapes = explore("source=undp&by=total&year=1994")["panels"][0]["figure"]["layout"]["shapes"]
    assert [(shape["x0"], shape["x1"]) for shape in shapes] == [(3.5, 4.5)]


def test_filter_form_reflects_the_query(ilo_data):
    form = explore("from=1993&to=1995&source=undp&region=africa&by=total&group=ldc&value=change")["form"]
    assert (form["year_from"], form["year_to"]) == (1993, 1995)
    assert [o["code"] for o in form["sources"] if o["checked"]] == ["undp"]
    assert [o["code"] for o in form["regions"] if o["checked"]] == ["africa"]
    assert [o["code"] for o in form["by"] if o["checked"]] == ["total"]
    assert [o["code"] for o in form["group"] if o["checked"]] == ["ldc"]
    assert [o["code"] for o in form["value"] if o["checked"]] == ["change"]
    assert form["years"][0] == 1990 and form["years"][-1] == 1997


def test_summary_of_a_pinned_region_says_what_its_sources_shares_are_of(ilo_data):
    summary = explore("group=ldc&region=africa")["summary"]
    assert summary[1] == (
        "Africa's share of all expenditure for the least developed countries rose from 67.9% in 1993 to 72.4% in 1995."
    )
    assert summary[2] == (
        "The largest source of funds in 1995 was UNDP, whose share of all expenditure in Africa for the least "
        "developed countries fell from 56.3% in 1993 to 47.0%."
    )
