"""Figure dicts and data tables: years, values, order, colours, marks, "no data", total-only bars."""

import json
from decimal import Decimal

import plotly.graph_objects as go

from funding.charts import figure, figure_table, format_value
from funding.selectors import ViewQuery, code_lists
from tests import factories
from tests.factories import rows_of

CODE_LISTS = {
    "sources": [
        {"code": "_T", "name": "All sources", "colour": "#6b7280", "order": 0},
        {"code": "rbtc", "name": "Regular budget (RBTC)", "colour": "#1e2dbe", "order": 1},
        {"code": "undp", "name": "UNDP", "colour": "#4aa3df", "order": 2},
        {"code": "trust-funds", "name": "Trust funds and multi-bi", "colour": "#f28e2b", "order": 3},
        {"code": "unfpa", "name": "UNFPA", "colour": "#59a14f", "order": 4},
    ],
    "regions": [
        {"code": "_T", "name": "All regions", "colour": "#6b7280", "order": 0},
        {"code": "africa", "name": "Africa", "colour": "#b5533c", "order": 1},
        {"code": "europe", "name": "Europe", "colour": "#3f6fb5", "order": 5},
    ],
}
DOC_A = "GB.273/TC/1 (Nov 1998) Appendix I table A"
DOC_TEXT = "GB.270/TC/2 (Nov 1997), para. 17"


def make_row(year, amount, *, source=None, region=None, document=DOC_A, **extra):
    """A row whose breakdown follows from the member it names, with a link to its document."""
    breakdown = "source" if source else "region" if region else "total"
    url = "http://example.org/" + document[:5]
    return factories.make_row(
        year, amount, breakdown=breakdown, source=source, region=region, document=document, document_url=url, **extra
    )


TOTALS = [
    make_row(1991, "170000", status="approximate", document=DOC_TEXT),
    make_row(1995, "112930"),
    make_row(1996, "98167"),
]
BY_SOURCE = [
    # Deliberately out of the ILO's order: the chart puts them back in it.
    make_row(1996, "23531", source="undp"),
    make_row(1996, "6958", source="rbtc"),
    make_row(1995, "31211", source="undp"),
    make_row(1995, "12426", source="rbtc"),
    make_row(1995, "61028", source="trust-funds"),
    make_row(1995, "8266", source="unfpa"),
    make_row(1996, "61059", source="trust-funds"),
    make_row(1996, "6619", source="unfpa"),
]
YEARS = [str(year) for year in range(1990, 1997)]


def source_figure(**kwargs):
    arguments = {"breakdown": "source", "code_lists": CODE_LISTS, "totals": TOTALS, "year_from": 1990, "year_to": 1996}
    return figure(BY_SOURCE, **{**arguments, **kwargs})


def traces_by_name(fig):
    return {trace["name"]: trace for trace in fig["data"]}


def no_data_years(fig):
    categories = fig["layout"]["xaxis"]["categoryarray"]
    return [categories[note["x"]] for note in fig["layout"]["annotations"] if note["text"] == "no data"]


def test_figure_shows_every_year_of_the_range_on_a_category_axis():
    xaxis = source_figure()["layout"]["xaxis"]
    assert xaxis["type"] == "category"
    assert xaxis["categoryarray"] == YEARS
    assert xaxis["range"] == [-0.5, 6.5]


def test_figure_stacks_sources_in_ilo_order_with_their_colours():
    fig = source_figure()
    assert fig["layout"]["barmode"] == "stack"
    assert [(t["name"], t["marker"]["color"]) for t in fig["data"]] == [
        ("Regular budget (RBTC)", "#1e2dbe"),
        ("UNDP", "#4aa3df"),
        ("Trust funds and multi-bi", "#f28e2b"),
        ("UNFPA", "#59a14f"),
        ("All sources (no split published)", "#6b7280"),
    ]
    undp = traces_by_name(fig)["UNDP"]
    assert undp["x"] == ["1995", "1996"]
    assert undp["y"] == [31211, 23531]
    assert all(type(y) is int for y in undp["y"])


def test_figure_draws_a_total_only_year_as_a_grey_bar_not_a_split():
    grey = traces_by_name(source_figure())["All sources (no split published)"]
    assert grey["x"] == ["1991"]  # 1995 and 1996 have their split: their totals are not drawn again
    assert grey["y"] == [170000]
    assert grey["marker"]["pattern"]["shape"] == "/"
    assert "No split of this total is published." in grey["hovertext"][0]


def test_figure_labels_years_without_data_no_data_and_draws_no_zero_bar():
    fig = source_figure()
    assert no_data_years(fig) == ["1990", "1992", "1993", "1994"]
    assert all(y != 0 for trace in fig["data"] for y in trace["y"])


def test_figure_marks_values_that_are_not_published_as_such():
    fig = figure(TOTALS, breakdown="total", code_lists=CODE_LISTS, year_from=1990, year_to=1996)
    (trace,) = fig["data"]
    assert trace["x"] == ["1991", "1995", "1996"]
    assert trace["text"] == ["≈", "", ""]
    assert "≈ approximate" in trace["hovertext"][0]
    assert f"Source: {DOC_TEXT}" in trace["hovertext"][0]
    assert trace["hovertext"][1].startswith("<b>Total</b>, 1995<br>112,930 thousand US$")
    assert fig["layout"]["showlegend"] is False


def test_figure_puts_each_drill_url_in_customdata():
    def drill(row):
        return f"/expenditure/?source={row['source']}&year={row['year']}" if row["source"] else f"/y/{row['year']}"

    traces = traces_by_name(source_figure(drill=drill))
    assert traces["UNDP"]["customdata"] == [
        "/expenditure/?source=undp&year=1995",
        "/expenditure/?source=undp&year=1996",
    ]
    assert traces["All sources (no split published)"]["customdata"] == ["/y/1991"]
    assert source_figure()["data"][0]["customdata"] == ["", ""]


def test_figure_keeps_only_the_years_of_the_range():
    fig = source_figure(year_from=1996, year_to=1996)
    assert fig["layout"]["xaxis"]["categoryarray"] == ["1996"]
    assert traces_by_name(fig)["UNDP"]["y"] == [23531]
    assert "All sources (no split published)" not in traces_by_name(fig)


def test_figure_plots_shares_on_a_percent_axis():
    rows = [make_row(1996, "23531", source="undp", share=Decimal("23.97")), make_row(1996, "1.5", source="rbtc")]
    fig = figure(rows, breakdown="source", code_lists=CODE_LISTS, value="share", year_from=1996, year_to=1996)
    undp = traces_by_name(fig)["UNDP"]
    assert undp["y"] == [23.97]
    assert fig["layout"]["yaxis"]["ticksuffix"] == "%"
    assert "24.0% of the year's total (23,531 thousand US$)" in undp["hovertext"][0]
    assert traces_by_name(fig)["Regular budget (RBTC)"]["y"] == []  # no share key: nothing invented


def test_figure_plots_changes_side_by_side_and_skips_unknown_changes():
    rows = [
        make_row(1995, "31211", source="undp", change=None),
        make_row(1996, "23531", source="undp", change=Decimal("-24.61")),
    ]
    fig = figure(rows, breakdown="source", code_lists=CODE_LISTS, value="change", year_from=1995, year_to=1996)
    assert fig["layout"]["barmode"] == "group"
    assert fig["data"][0]["x"] == ["1996"]
    assert fig["data"][0]["y"] == [-24.61]
    assert no_data_years(fig) == ["1995"]


def test_figure_notes_a_year_with_only_some_members():
    rows = [
        make_row(1990, "2200", region="europe", status="rounded"),
        make_row(1993, "60120", region="africa"),
        make_row(1993, "6111", region="europe"),
    ]
    fig = figure(rows, breakdown="region", code_lists=CODE_LISTS, year_from=1990, year_to=1993)
    (partial,) = [note for note in fig["layout"]["annotations"] if note["text"] == "partial"]
    assert (partial["x"], partial["y"]) == (0, 2200)
    assert partial["hovertext"] == "1990: only Europe published; no data for the others"
    assert traces_by_name(fig)["Europe"]["text"] == ["r", ""]


def contrast(foreground, background):
    """WCAG 2 contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_mark_in_a_stack_is_dark_on_white_at_the_middle_of_its_segment_however_thin():
    rows = [make_row(1990, "2200", region="europe", status="rounded"), make_row(1990, "60120", region="africa")]
    fig = figure(rows, breakdown="region", code_lists=CODE_LISTS, year_from=1990, year_to=1990)
    europe = traces_by_name(fig)["Europe"]
    assert europe["textposition"] == "none"  # never white text inside a 3-pixel bar
    (mark,) = [note for note in fig["layout"]["annotations"] if note["text"] == "r"]
    assert (mark["x"], mark["y"]) == (0, 60120 + 1100)  # Africa is below Europe in the stack
    assert contrast(mark["font"]["color"], mark["bgcolor"]) >= 4.5
    assert mark["hovertext"] == "Europe, 1990: r"


def test_a_mark_above_a_lone_bar_is_dark_on_the_white_page():
    fig = figure(
        [make_row(1991, "170000", status="approximate")],
        breakdown="total",
        code_lists=CODE_LISTS,
        year_from=1991,
        year_to=1991,
    )
    (trace,) = fig["data"]
    assert (trace["text"], trace["textposition"]) == (["≈"], "outside")
    assert contrast(trace["outsidetextfont"]["color"], fig["layout"]["plot_bgcolor"]) >= 4.5


def test_figure_of_nothing_still_shows_its_years():
    fig = figure([], breakdown="source", code_lists=CODE_LISTS, totals=[], year_from=1990, year_to=1991)
    assert fig["data"] == []
    assert no_data_years(fig) == ["1990", "1991"]


def test_figure_is_a_valid_plotly_figure_of_plain_json_types():
    fig = source_figure(drill=lambda row: "/x/")
    json.dumps(fig)  # Decimals would raise here
    go.Figure(fig)  # plotly's own schema validation raises on any unknown or bad property


def test_figure_table_prints_published_numbers_and_the_published_total():
    table = figure_table(
        BY_SOURCE, breakdown="source", code_lists=CODE_LISTS, totals=TOTALS, year_from=1990, year_to=1996
    )
    assert table["unit"] == "Thousands of US dollars"
    assert table["heading"] == "Source of funds"
    assert [row["label"] for row in table["rows"]] == [
        "Regular budget (RBTC)",
        "UNDP",
        "Trust funds and multi-bi",
        "UNFPA",
        "All sources",
    ]
    undp = table["rows"][1]["cells"]
    assert [cell["text"] for cell in undp] == ["no data"] * 5 + ["31,211", "23,531"]
    total = table["rows"][-1]
    assert total["is_total"] is True
    # 112,930 as published, not the 112,931 the parts add up to.
    assert [cell["text"] for cell in total["cells"]] == [
        "no data",
        "170,000",
        "no data",
        "no data",
        "no data",
        "112,930",
        "98,167",
    ]


def test_figure_table_marks_values_and_explains_the_marks():
    table = figure_table(
        BY_SOURCE, breakdown="source", code_lists=CODE_LISTS, totals=TOTALS, year_from=1990, year_to=1996
    )
    cell_1991 = table["rows"][-1]["cells"][1]
    assert (cell_1991["mark"], cell_1991["status"]) == ("≈", "approximate")
    assert table["marks"] == [
        {
            "mark": "≈",
            "status": "approximate",
            "meaning": "approximate: stated approximately in the text of the document ('about', 'close to'), "
            "not in a table",
        }
    ]


def test_figure_table_names_the_document_of_every_number():
    totals = [*TOTALS[:2], make_row(1996, "98167", document="GB.267/TC/1 (Nov 1996) Appendix I table A")]
    table = figure_table(
        BY_SOURCE, breakdown="source", code_lists=CODE_LISTS, totals=totals, year_from=1990, year_to=1996
    )
    documents = {doc["ref"]: doc["document"] for doc in table["documents"]}
    assert documents == {1: DOC_TEXT, 2: DOC_A, 3: "GB.267/TC/1 (Nov 1996) Appendix I table A"}
    assert [column["ref"] for column in table["years"]] == [None, 1, None, None, None, 2, 2]
    # 1996: the column's document is table A of GB.273; the total names its own.
    assert [row["cells"][6]["ref"] for row in table["rows"]] == [None, None, None, None, 3]
    assert table["documents"][0]["url"] == "http://example.org/GB.27"


def test_figure_table_links_every_number_to_its_drill_url():
    table = figure_table(
        TOTALS,
        breakdown="total",
        code_lists=CODE_LISTS,
        drill=lambda row: f"/y/{row['year']}",
        year_from=1990,
        year_to=1992,
    )
    (row,) = table["rows"]
    assert [(cell["text"], cell["url"]) for cell in row["cells"]] == [
        ("no data", ""),
        ("170,000", "/y/1991"),
        ("no data", ""),
    ]


def test_format_value_prints_exact_decimals():
    assert format_value(Decimal("23531")) == "23,531"
    assert format_value(Decimal("1234.5")) == "1,234.5"
    assert format_value(Decimal("23.97"), "share") == "24.0%"
    assert format_value(Decimal("3.21"), "change") == "+3.2%"
    assert format_value(Decimal("23.85"), "share") == "23.9%"  # half up, not half even
    assert format_value(Decimal("-0.5"), "change") == "-0.5%"
    assert format_value(None) == ""


def test_figure_of_the_real_figure_2_has_the_published_values(ilo_data):
    query = ViewQuery(measure="expenditure", year_from=1990, year_to=1996)
    fig = figure(
        rows_of(query, breakdown="source"),
        breakdown="source",
        code_lists=code_lists(),
        totals=rows_of(query),
        year_from=1990,
        year_to=1996,
    )
    traces = traces_by_name(fig)
    assert traces["UNDP"]["y"] == [58661, 38522, 31211, 23531]
    assert traces["All sources (no split published)"]["x"] == ["1991"]
    assert no_data_years(fig) == ["1990", "1992"]
    go.Figure(fig)
