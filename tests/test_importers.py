"""Importers: every file check and every message, from small inline files (the code lists read once)."""

import datetime
import io
import itertools
import zipfile
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from funding.importers import (
    CHUNK_ROWS,
    TEMPLATE_HEADER,
    TOTAL_TOLERANCE,
    Problem,
    check_totals,
    read_number,
    read_upload,
    template_csv,
    template_xlsx,
    total_message,
)
from funding.importers.numbers import as_shown
from funding.services import upload_code_lists
from tests.factories import HOSTILE_FILES, figure_row, header_row, raw_xlsx, sheet_row, very_hidden_xlsx

# The code lists come from the test database, as the migrations wrote them.
pytestmark = pytest.mark.django_db
CODE_LISTS = {}


@pytest.fixture(scope="module", autouse=True)
def _code_lists(django_db_setup, django_db_blocker):
    """The code lists an upload is checked against, as the migrations wrote them: read once."""
    with django_db_blocker.unblock():
        CODE_LISTS["upload"] = upload_code_lists()


def codes():
    return CODE_LISTS["upload"]


# The template before it had a document_url column: a row of such a file has no document_url at
# all (services keeps the one on record), not an empty one.
HEADER = "measure,year,source,source_name,region,region_name,country_group,amount_usd_thousands,status,document,note"


def read(text, *, name="figures.csv", number_format="1,234.5", **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_upload(data, file_name=name, number_format=number_format, code_lists=codes(), max_year=2030, **kwargs)


def problems(text, **kwargs):
    return [(p.row, p.column, p.message) for p in read(text, **kwargs).problems]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_read_upload_reads_the_export_layout_into_publishable_rows():
    result = read(
        f"{HEADER}\n"
        "expenditure,1992,rbtc,Regular budget (RBTC),_T,All regions,_T,15200,published,GB.273/TC/1,from the annex\n"
        "expenditure,1992,_T,All sources,_T,All regions,_T,81234.5,provisional,,\n"
    )
    assert result.problems == []
    assert result.rows == [
        {
            "line": 2,
            "measure": "expenditure",
            "year": 1992,
            "source": "rbtc",
            "region": "_T",
            "country_group": "_T",
            "input_type": "_T",
            "amount": 15_200_000,
            "status": "published",
            "document": "GB.273/TC/1",
            "note": "from the annex",
        },
        {
            "line": 3,
            "measure": "expenditure",
            "year": 1992,
            "source": "_T",
            "region": "_T",
            "country_group": "_T",
            "input_type": "_T",
            "amount": 81_234_500,
            "status": "provisional",
            "document": "",
            "note": "",
        },
    ]


def test_read_upload_reads_a_bom_and_semicolons():
    result = read(
        "\ufeffmeasure;year;source;region;amount\nexpenditure;1992;undp;_T;1.234,5\n", number_format="1.234,5"
    )
    assert result.problems == []
    assert result.rows[0]["amount"] == 1_234_500
    assert result.rows[0]["source"] == "undp"


def test_read_upload_reads_tabs_as_excel_saves_text():
    # It was one column named 'measure\tyear\t...' and five missing ones.
    result = read("measure\tyear\tsource\tregion\tamount\tnote\nexpenditure\t1992\tundp\t_T\t1,234.5\ta, b; c\n")
    assert result.problems == []
    assert (result.rows[0]["amount"], result.rows[0]["source"], result.rows[0]["note"]) == (
        1_234_500,
        "undp",
        "a, b; c",
    )


def test_read_upload_accepts_names_and_total_aliases_in_any_case():
    result = read(
        "Measure,Year,Source,Region,Country group,Amount\n"
        "Extra-budgetary approvals,1996,UNDP,TOTAL,all,10\n"
        "expenditure,1996,all,Asia and the Pacific,Least developed countries,20\n"
        "expenditure,1996,Fonds de dépôt et financement multi-bilatéral,_t,_T,30\n"
    )
    assert result.problems == []
    assert [(r["measure"], r["source"], r["region"], r["country_group"]) for r in result.rows] == [
        ("approvals", "undp", "_T", "_T"),
        ("expenditure", "_T", "asia-pacific", "ldc"),
        ("expenditure", "trust-funds", "_T", "_T"),
    ]


def test_read_upload_says_what_a_workbook_cell_holds_where_a_reader_sees_it_empty():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["measure", "year", "source", "region", "amount_usd_thousands"])
    sheet.append(["expenditure", 1992, "undp", "_T", "#DIV/0!"])
    sheet["E2"].data_type = "e"  # an error cell: <c t="e"><v>#DIV/0!</v></c>
    sheet.append(["expenditure", 1992, "rbtc", "_T", float("nan")])  # openpyxl saves it as <v></v>
    sheet.append(["expenditure", 1992, "unfpa", "_T", "#N/A"])
    sheet["E4"].data_type = "e"
    out = io.BytesIO()
    workbook.save(out)
    assert problems(out.getvalue(), name="figures.xlsx") == [
        (
            2,
            "amount_usd_thousands",
            "The cell holds the spreadsheet error #DIV/0!, not an amount. Correct the formula or write the figure.",
        ),
        (
            3,
            "amount_usd_thousands",
            "The cell holds NaN (not a number), not an amount. Write the figure, or leave out the row.",
        ),
        (
            4,
            "amount_usd_thousands",
            "The cell holds the spreadsheet error #N/A, not an amount. Correct the formula or write the figure.",
        ),
    ]
    with translation.override("es"):
        assert problems(out.getvalue(), name="figures.xlsx")[0][2] == (
            "La celda contiene el error de hoja de cálculo #DIV/0!, no un importe. Corrija la fórmula o escriba la "
            "cifra."
        )


def test_read_upload_reads_na_as_a_code_not_as_missing():
    assert problems("measure,year,source,region,amount\nexpenditure,1992,NA,_T,5\n") == [
        (
            2,
            "source",
            "Unknown source of funds 'NA'. Known codes: rbtc, undp, trust-funds, unfpa, multi-bi, or _T for all.",
        )
    ]


@pytest.mark.parametrize(
    ("number_format", "text", "dollars"),
    [
        ("1,234.5", "1,234.5", 1_234_500),
        ("1,234.5", "1234567.125", 1_234_567_125),
        ("1.234,5", "1.234,5", 1_234_500),
        ("1.234,5", "1.234.567", 1_234_567_000),
        ("1 234,5", "1 234,5", 1_234_500),
        ("1 234,5", "1\u00a0234,5", 1_234_500),
        ("1 234,5", "1\u202f234\u202f567,25", 1_234_567_250),
        ("1'234.5", "1'234.5", 1_234_500),
        ("1'234.5", "12426", 12_426_000),
    ],
)
def test_read_upload_reads_amounts_by_the_chosen_number_format(number_format, text, dollars):
    result = read(f'measure,year,source,region,amount\nexpenditure,1992,_T,_T,"{text}"\n', number_format=number_format)
    assert result.problems == []
    assert result.rows[0]["amount"] == dollars


@pytest.mark.parametrize(
    ("value", "cell_format", "shown"),
    [
        (0.12345, "0.0%", (Decimal("12.3"), 1)),
        (0.1235, "0.0%", (Decimal("12.4"), 1)),  # half away from zero, as spreadsheets round
        (-0.115, "0.0%;[Red]-0.0%", (Decimal("-11.5"), 1)),
        (-0.1234, "0%;(0%)", (Decimal("-12"), 0)),
        (1234.5, "#,##0.00", (Decimal("1234.50"), 2)),
        (27.637, '0.0" %"', (Decimal("27.6"), 1)),  # a quoted % is text, not a percentage
        (0.12345, "General", None),
        (0.12345, None, None),
        (36526, "yyyy-mm-dd", None),
        (0.12345, "0.00E+00", None),
    ],
)
def test_as_shown_reads_a_stored_number_as_its_cell_format_shows_it(value, cell_format, shown):
    assert as_shown(value, cell_format) == shown


def test_read_number_never_accepts_badly_grouped_thousands():
    assert read_number("12,34", "1,234.5") is None
    assert read_number("1,2345", "1,234.5") is None
    assert read_number("1.234,5", "1,234.5") is None
    assert read_number("1,234", "1,234.5") == Decimal("1234")


def test_read_upload_names_the_format_an_amount_would_fit():
    assert problems('measure,year,source,region,amount\nexpenditure,1992,_T,_T,"1.234,5"\n') == [
        (
            2,
            "amount",
            "'1.234,5' is not a number in the format 1,234.5. It would be a number in the format 1.234,5: "
            "choose that format.",
        )
    ]


def test_read_upload_points_out_amounts_another_format_reads_differently():
    result = read('measure,year,source,region,amount\nexpenditure,1992,_T,_T,12.426\nexpenditure,1993,_T,_T,"12,426"\n')
    assert result.problems == []
    assert [r["amount"] for r in result.rows] == [12_426, 12_426_000]
    assert [(a["row"], a["text"], a["value"], a["others"]) for a in result.ambiguous] == [
        (2, "12.426", Decimal("12.426"), [("1.234,5", Decimal("12426"))]),
        (3, "12,426", Decimal("12426"), [("1.234,5", Decimal("12.426"))]),
    ]


def test_read_upload_rejects_more_than_three_decimals():
    assert problems("measure,year,source,region,amount\nexpenditure,1992,_T,_T,12.4265\n") == [
        (
            2,
            "amount",
            "'12.4265' has more than 3 decimals; amounts are in thousands of US dollars, so 3 decimals is one dollar.",
        )
    ]


TOO_LARGE = {
    "en": "The amount is more than 1,000,000,000 thousand US dollars (a trillion dollars), the largest accepted: "
    "no real figure comes near it.",
    "fr": "Le montant dépasse 1\xa0000\xa0000\xa0000 milliers de dollars des États-Unis (mille milliards de "
    "dollars), le maximum accepté : aucun chiffre réel n'en approche.",
    "es": "El importe supera 1.000.000.000 miles de dólares de los Estados Unidos (un billón de dólares), el máximo "
    "aceptado: ninguna cifra real se le acerca.",
}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_read_upload_refuses_an_amount_above_what_the_database_keeps_naming_the_limit_not_its_digits(language):
    # 1e300 written out is 301 digits; the problem named them all. The cell is named by its row and column.
    huge = "1" + "0" * 300
    text = f"measure,year,source,region,amount\nexpenditure,1992,_T,_T,{huge}\nexpenditure,1993,_T,_T,1000000000.001\n"
    workbook = xlsx([["measure", "year", "source", "region", "amount"], ["expenditure", 1992, "_T", "_T", 1e300]])
    with translation.override(language):
        assert problems(text) == [(2, "amount", TOO_LARGE[language]), (3, "amount", TOO_LARGE[language])]
        assert problems(workbook, name="f.xlsx") == [(2, "amount", TOO_LARGE[language])]


def test_read_upload_keeps_an_amount_at_the_limit_to_the_dollar():
    result = read("measure,year,source,region,amount\nexpenditure,1992,_T,_T,1000000000\n")
    assert result.problems == []
    assert [row["amount"] for row in result.rows] == [10**12]


def test_read_upload_rejects_negative_non_numeric_and_empty_amounts():
    assert problems(
        "measure,year,source,region,amount_usd_thousands\n"
        "expenditure,1990,_T,_T,-5\n"
        "expenditure,1991,_T,_T,about 170000\n"
        "expenditure,1992,_T,_T,\n"
    ) == [
        (2, "amount_usd_thousands", "'-5' is negative; amounts cannot be negative."),
        (3, "amount_usd_thousands", "'about 170000' is not a number in the format 1,234.5."),
        (
            4,
            "amount_usd_thousands",
            "The amount is empty. Leave out a row that has no figure: a missing year is not a zero.",
        ),
    ]


def test_read_upload_refuses_a_count_of_countries_that_is_not_whole_or_beyond_all_countries():
    result = read(
        "measure,year,source,region,amount_usd_thousands\n"
        "recipients,1995,_T,_T,151.5\n"
        "recipients,1990,_T,_T,100000000\n"
        "recipients,1991,_T,_T,300\n"
    )
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            2,
            "amount_usd_thousands",
            "'151.5' is not a whole number: recipient countries are counted in whole countries.",
        ),
        (
            3,
            "amount_usd_thousands",
            "'100000000' countries is more than 300: there are fewer than 250 countries, so a count of "
            "recipient countries cannot be larger.",
        ),
    ]
    assert result.rows == []


def test_read_upload_reads_a_countries_column_as_the_count_and_refuses_it_for_an_amount():
    # The recipient countries' exports name their value column for its unit: `countries`.
    counts = read("measure,year,source,region,countries\nrecipients,1995,_T,_T,151\n")
    assert counts.problems == []
    assert [(row["measure"], row["year"], row["amount"]) for row in counts.rows] == [("recipients", 1995, 151000)]
    money = read("measure,year,source,region,countries\nrecipients,1995,_T,_T,151\nexpenditure,1995,_T,_T,112930\n")
    assert [(p.row, p.column, p.message) for p in money.problems] == [
        (
            3,
            "countries",
            "The column 'countries' holds countries, the unit of Recipient countries, but the row's measure is "
            "expenditure, in thousands of US dollars. If the row gives Recipient countries, write recipients as its "
            "measure; if it gives expenditure, name the column amount_usd_thousands.",
        )
    ]
    assert money.rows == []


def test_read_upload_refuses_a_share_above_100_per_cent():
    result = read(
        "measure,year,source,region,amount_usd_thousands\n"
        "expenditure-share,1990,undp,_T,150\n"
        "expenditure-share,1990,unfpa,_T,100\n"
    )
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            2,
            "amount_usd_thousands",
            "'150' per cent is more than 100: a share of the year's total is between 0 and 100 per cent.",
        ),
    ]
    assert result.rows == []


def test_read_upload_names_a_share_or_a_count_out_of_range_in_its_own_unit_not_in_dollars():
    # A count past a billion, or a share or count with four decimals, was told of thousands of US dollars.
    result = read(
        "measure,year,source,region,amount_usd_thousands\n"
        "recipients,1990,_T,_T,10000000000\n"
        "expenditure-share,1990,undp,_T,2000000000\n"
        "expenditure-share,1990,unfpa,_T,7.6005\n"
        "recipients,1995,_T,_T,151.0005\n"
        f"expenditure-share,1991,undp,_T,1{'0' * 300}\n"  # 1e300 written out: never quoted as its 301 digits
    )
    assert [(p.row, p.message) for p in result.problems] == [
        (
            2,
            "'10000000000' countries is more than 300: there are fewer than 250 countries, so a count of "
            "recipient countries cannot be larger.",
        ),
        (3, "'2000000000' per cent is more than 100: a share of the year's total is between 0 and 100 per cent."),
        (4, "'7.6005' has more than 3 decimals; a share is kept to 3 decimals of a per cent."),
        (5, "'151.0005' is not a whole number: recipient countries are counted in whole countries."),
        (6, "'1.000e+300' per cent is more than 100: a share of the year's total is between 0 and 100 per cent."),
    ]
    assert result.rows == []


def test_read_upload_refuses_stated_shares_adding_up_to_more_than_100_per_cent_and_their_rounding():
    # Each share is stated to one decimal: four may add up to 100.2 (0.05 each), not to 100.3.
    head = "measure,year,source,region,amount_usd_thousands\n"
    assert (
        problems(
            head + "expenditure-share,1991,undp,_T,46\nexpenditure-share,1991,unfpa,_T,7.6\n"
            "expenditure-share,1991,trust-funds,_T,37.9\nexpenditure-share,1991,rbtc,_T,8.7\n"
        )
        == []
    )
    assert problems(
        head + "expenditure-share,1990,undp,_T,80\nexpenditure-share,1990,unfpa,_T,7.6\n"
        "expenditure-share,1990,trust-funds,_T,37.8\nexpenditure-share,1990,rbtc,_T,8.7\n"
        "expenditure-share,1991,undp,_T,46\nexpenditure-share,1991,unfpa,_T,7.6\n"
        "expenditure-share,1991,trust-funds,_T,38\nexpenditure-share,1991,rbtc,_T,8.7\n"
    ) == [
        (
            2,
            "amount_usd_thousands",
            "The stated shares of expenditure by sources of funds for 1990 (Regular budget (RBTC): 8.7; UNDP: 80; "
            "Trust funds and multi-bi: 37.8; UNFPA: 7.6) add up to 134.1 per cent, more than the limit of 100.2 per "
            "cent: 100 plus 0.05 for each of the 4 shares, as each is stated to one decimal.",
        ),
        (
            6,
            "amount_usd_thousands",
            "The stated shares of expenditure by sources of funds for 1991 (Regular budget (RBTC): 8.7; UNDP: 46; "
            "Trust funds and multi-bi: 38; UNFPA: 7.6) add up to 100.3 per cent, more than the limit of 100.2 per "
            "cent: 100 plus 0.05 for each of the 4 shares, as each is stated to one decimal.",
        ),
    ]


def test_read_upload_adds_up_stated_shares_of_one_country_group_and_of_the_top_level_only():
    head = "measure,year,source,region,country_group,amount_usd_thousands\n"
    # The multi-bilateral programme is part of trust funds (never added to it); the total's share, and
    # the least developed countries' shares, are of other sums.
    assert (
        problems(
            head + "expenditure-share,1990,undp,_T,_T,60\nexpenditure-share,1990,trust-funds,_T,_T,40\n"
            "expenditure-share,1990,multi-bi,_T,_T,30\nexpenditure-share,1990,_T,_T,_T,100\n"
            "expenditure-share,1990,unfpa,_T,ldc,60\n"
        )
        == []
    )
    assert problems(head + "expenditure-share,1990,undp,_T,ldc,60\nexpenditure-share,1990,unfpa,_T,ldc,60\n") == [
        (
            2,
            "amount_usd_thousands",
            "The stated shares of expenditure by sources of funds for 1990 for least developed countries (UNDP: 60; "
            "UNFPA: 60) add up to 120 per cent, more than the limit of 100.1 per cent: 100 plus 0.05 for each of the "
            "2 shares, as each is stated to one decimal.",
        )
    ]


def test_read_upload_refuses_a_count_of_recipient_countries_above_its_total():
    head = "measure,year,source,region,amount_usd_thousands\n"
    # A part is at most its total; the parts need not add up to it (a country receives from several sources).
    parts = "recipients,1990,_T,africa,100\nrecipients,1990,_T,asia-pacific,100\nrecipients,1990,undp,_T,134\n"
    assert problems(head + "recipients,1990,_T,_T,134\n" + parts) == []
    assert problems(
        head + "recipients,1990,_T,_T,134\nrecipients,1990,_T,africa,200\nrecipients,1990,undp,_T,135\n"
    ) == [
        (
            3,
            "amount_usd_thousands",
            "The recipient countries for 1990 in Africa, 200, are more than those in all regions, 134: no part can "
            "count more countries than its total, though the parts need not add up to it.",
        ),
        (
            4,
            "amount_usd_thousands",
            "The recipient countries for 1990 funded by UNDP, 135, are more than those funded by any source, 134: no "
            "part can count more countries than its total, though the parts need not add up to it.",
        ),
    ]


def test_read_upload_rejects_unknown_codes_and_insane_years():
    assert problems(
        "measure,year,source,region,country_group,amount\n"
        "spending,1992,_T,_T,_T,5\n"
        "expenditure,1492,_T,_T,_T,5\n"
        "expenditure,nineteen,_T,_T,_T,5\n"
        "expenditure,1992,_T,Atlantis,_T,5\n"
        "expenditure,1992,_T,_T,g77,5\n"
    ) == [
        (
            2,
            "measure",
            "Unknown measure 'spending'. Use one of: expenditure, approvals, expenditure-share, recipients "
            "(or the measure's name).",
        ),
        (3, "year", "The year 1492 is outside 1950-2030."),
        (4, "year", "'nineteen' is not a year; write it as four digits, such as 1995."),
        (
            5,
            "region",
            "Unknown region 'Atlantis'. Known codes: africa, asia-pacific, latin-america-caribbean, arab-states, "
            "europe, interregional, or _T for all.",
        ),
        (6, "country_group", "Unknown country group 'g77'. Known codes: ldc, or _T for all."),
    ]


def test_read_upload_explains_an_export_of_several_sources_summed():
    assert problems("measure,year,source,region,amount\nexpenditure,1995,rbtc+undp,_T,43637\n") == [
        (
            2,
            "source",
            "'rbtc+undp' is a sum of several members the export was filtered to, not a published figure. "
            "Export the view without choosing several of them.",
        )
    ]


def test_read_upload_rejects_the_same_cell_twice():
    assert problems("measure,year,source,region,amount\nexpenditure,1992,rbtc,_T,5\nexpenditure,1992,RBTC,all,6\n") == [
        (
            3,
            "amount",
            "This is the same figure as row 2 (expenditure 1992, source rbtc, region _T); give each figure once.",
        )
    ]


def many_rows():
    """7,776 rows of distinct cells, more than one read's worth (importers.CHUNK_ROWS), adding up to no
    total (no `_T` source or region, no UNFPA): `expenditure,1950,rbtc,africa,_T,1` on."""
    regions = ("africa", "asia-pacific", "latin-america-caribbean", "arab-states", "europe", "interregional")
    cells = itertools.product(
        ("expenditure", "approvals"),
        ("_T", "ldc"),
        range(1950, 2031),
        ("rbtc", "undp", "trust-funds", "multi-bi"),
        regions,
    )
    return [
        f"{measure},{year},{source},{region},{group},{n % 997 + 1}"
        for n, (measure, group, year, source, region) in enumerate(cells)
    ]


def test_read_upload_reads_a_file_of_many_rows_with_each_row_its_number():
    rows = many_rows()
    assert len(rows) > CHUNK_ROWS
    rows[5998] = rows[5998].rsplit(",", 1)[0] + ",12.426"  # row 6000 of the file
    result = read("measure,year,source,region,country_group,amount\n" + "\n".join(rows) + "\n")
    assert result.problems == []
    assert len(result.rows) == 7776
    assert [(row["line"], row["amount"]) for row in result.rows[:2]] == [(2, 1000), (3, 2000)]
    assert (result.rows[5998]["line"], result.rows[5998]["amount"]) == (6000, 12426)
    assert result.rows[-1]["line"] == 7777
    assert [(a["row"], a["text"]) for a in result.ambiguous] == [(6000, "12.426")]


def test_read_upload_finds_a_figure_given_twice_thousands_of_rows_apart():
    header = "measure,year,source,region,country_group,amount\n"
    rows = many_rows()
    assert problems(header + "\n".join([*rows, rows[0]]) + "\n") == [
        (
            7778,
            "amount",
            "This is the same figure as row 2 (expenditure 1950, source rbtc, region africa); give each figure once.",
        )
    ]
    rows[5999] = rows[5999].replace("approvals,", "spending,")  # row 6001
    assert problems(header + "\n".join(rows) + "\n") == [
        (
            6001,
            "measure",
            "Unknown measure 'spending'. Use one of: expenditure, approvals, expenditure-share, recipients "
            "(or the measure's name).",
        )
    ]


def test_read_upload_rejects_parts_that_do_not_add_up_to_their_total():
    body = "expenditure,1995,rbtc,_T,12426\nexpenditure,1995,undp,_T,31211\nexpenditure,1995,trust-funds,_T,61028\n"
    header = "measure,year,source,region,amount\n"
    assert problems(header + body + "expenditure,1995,unfpa,_T,8266\nexpenditure,1995,_T,_T,112930\n") == []
    assert problems(header + body + "expenditure,1995,unfpa,_T,8266\nexpenditure,1995,_T,_T,110000\n") == [
        (
            6,
            "amount",
            "The expenditure figures by sources of funds for 1995 add up to 112,931, but the total is 110,000: "
            "a difference of 2,931, more than the rounding tolerance of 1.",
        )
    ]


def test_check_totals_allows_the_ilo_rounding_and_a_sum_below_the_total_with_a_part_missing():
    key = ("expenditure", "_T", 1995)
    amounts = {(*key, "_T", "_T", "_T"): 112_930_000, (*key, "rbtc", "_T", "_T"): 112_931_000 - 100_505_000}
    amounts.update({(*key, c, "_T", "_T"): v for c, v in (("undp", 31_211_000), ("trust-funds", 61_028_000))})
    # UNFPA missing: a sum below the total says nothing (missing is not zero).
    [check] = check_totals(amounts, codes().parts, touched=amounts)
    assert (check["complete"], check["sum"], check["difference"], check["ok"]) == (False, 104_665_000, -8_265_000, True)
    amounts[(*key, "unfpa", "_T", "_T")] = 8_266_000
    [check] = check_totals(amounts, codes().parts, touched=amounts)
    assert (check["total"], check["sum"], check["difference"], check["ok"]) == (112_930_000, 112_931_000, 1000, True)
    assert check["complete"]
    assert TOTAL_TOLERANCE == 1000


def test_check_totals_refuses_parts_given_above_their_total_with_a_part_missing():
    # No amount is negative: the parts given cannot add up to more than their total, whatever the missing ones.
    key = ("expenditure", "_T", 1992)
    amounts = {(*key, "_T", "_T", "_T"): 150_000_000, (*key, "undp", "_T", "_T"): 150_001_000}
    [check] = check_totals(amounts, codes().parts, touched=amounts)
    assert (check["complete"], check["part_cells"], check["ok"]) == (False, [(*key, "undp", "_T", "_T")], True)
    amounts[(*key, "undp", "_T", "_T")] = 200_000_000
    amounts[(*key, "unfpa", "_T", "_T")] = 5_000_000
    # Multi-bi is "of which" trust funds, no part of the total: never added in.
    amounts[(*key, "multi-bi", "_T", "_T")] = 90_000_000
    [check] = check_totals(amounts, codes().parts, touched=amounts)
    assert (check["complete"], check["sum"], check["total"], check["ok"]) == (False, 205_000_000, 150_000_000, False)
    assert total_message(check, codes().names) == (
        "The expenditure figures by sources of funds for 1992 given (UNDP: 200,000; UNFPA: 5,000) add up to 205,000, "
        "more than the total of 150,000: a difference of 55,000, more than the rounding tolerance of 1. No figure "
        "is below zero, so the parts not given cannot make up for it."
    )


def test_read_upload_reports_every_bad_row_and_returns_no_rows():
    result = read(
        "measure,year,source,region,amount\nexpenditure,1992,x,_T,5\nexpenditure,1993,_T,_T,5\nx,1994,_T,_T,5\n"
    )
    assert [p.row for p in result.problems] == [2, 4]
    assert result.rows == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \r\n", "The file is empty."),
        (b"measure,year,source,region,amount\n", "The file has a header but no rows of figures."),
    ],
)
def test_read_upload_rejects_empty_files(data, message):
    assert problems(data) == [(None, "", message)]


def test_read_upload_rejects_a_file_over_the_limit():
    data = (
        "measure,year,source,region,amount\n" + "".join(f"expenditure,{y},_T,_T,5\n" for y in range(1990, 2000))
    ).encode()
    assert problems(data, max_bytes=1024 * 1024) == []
    assert problems(data + b" " * (1024 * 1024), max_bytes=1024 * 1024) == [
        (None, "", "The file is 1,048,860 bytes (1.0 MB); the limit is 1,048,576 bytes (1.0 MB).")
    ]


def test_read_upload_rejects_unknown_and_missing_columns():
    assert problems("measure,year,source,regoin,amount,amount_usd_thousands\nexpenditure,1992,_T,_T,5,5\n") == [
        (
            1,
            "regoin",
            "Unknown column 'regoin'. Columns: measure, year, source, region, amount_usd_thousands, country_group, "
            "input_type, status, document, document_url, note.",
        ),
        (1, "amount_usd_thousands", "The column 'amount_usd_thousands' appears twice."),
        (1, "region", "The column 'region' is missing."),
    ]


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("Published", "published"),
        ("publiée", "published"),  # the French site's word
        ("Publié", "published"),  # and of a figure, in the masculine
        ("ESTIMADO", "estimated"),
        ("arrondi", "rounded"),
        ("aproximado", "approximate"),
        (" provisoire ", "provisional"),
    ],
)
def test_read_upload_reads_a_status_by_its_name_in_any_of_the_sites_languages(typed, status):
    # "publié" was refused as an unknown status, though the list the problem gave was the codes.
    result = read(f"measure,year,source,region,amount,status\nexpenditure,1992,_T,_T,5,{typed}\n")
    assert result.problems == []
    assert result.rows[0]["status"] == status


def test_read_upload_rejects_an_unknown_status():
    assert problems("measure,year,source,region,amount,status\nexpenditure,1992,_T,_T,5,guessed\n") == [
        (
            2,
            "status",
            "Unknown status 'guessed'. Use one of: published, derived, provisional, rounded, estimated, approximate.",
        )
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("figures.pdf", b"%PDF-1.4", "Upload a .csv or .xlsx file, not .pdf."),
        ("figures", b"measure", "Upload a .csv or .xlsx file, not a file without an extension."),
        ("figures.csv", b"\x00\x01\x02garbage\xff", "The file is not a CSV file: it holds binary data, not text."),
        (
            "figures.csv",
            "measure,year,source,region,amount\nexpenditure,1992,Région,_T,5\n".encode("latin-1"),
            "The file is not UTF-8 text. In Excel, use Save As and choose 'CSV UTF-8 (Comma delimited)'.",
        ),
        (
            "figures.csv",
            b"PK\x03\x04rest of a zip",
            "The file is named .csv but is an Excel workbook. Name it .xlsx, or save it as 'CSV UTF-8' in Excel.",
        ),
        ("figures.xlsx", b"measure,year\n", "The file is named .xlsx but is not an Excel workbook."),
        (
            "figures.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
            "The workbook is password-protected (or is an old .xls file). "
            "Remove the password and save it as an Excel Workbook (.xlsx).",
        ),
        (
            "figures.xlsx",
            b"PK\x03\x04 not really a zip",
            "The file is not a valid Excel workbook (.xlsx): it is damaged or not a workbook.",
        ),
    ],
)
def test_read_upload_rejects_files_that_are_not_what_they_claim(name, data, message):
    assert problems(data, name=name) == [(None, "", message)]


def zip_of(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_read_upload_rejects_a_zip_that_is_not_a_workbook():
    assert problems(zip_of({"readme.txt": b"hello"}), name="f.xlsx") == [
        (None, "", "The file is a zip archive but not an Excel workbook (.xlsx).")
    ]


def test_read_upload_rejects_a_zip_bomb_before_parsing_it():
    bomb = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * (40 * 1024 * 1024)})
    assert len(bomb) < 100_000
    [(row, column, message)] = problems(bomb, name="f.xlsx")
    assert message.startswith("The workbook part xl/worksheets/sheet1.xml is compressed ")
    assert message.endswith(" times; the file looks like a zip bomb and was not read.")


def test_read_upload_reads_xlsx_numbers_as_stored_and_text_by_the_format():
    data = xlsx(
        [
            ["measure", "year", "source", "region", "amount_usd_thousands", "note"],
            ["expenditure", 1992, "rbtc", "_T", 12.426, "NA"],
            ["expenditure", "1992", "undp", "_T", "12.426", None],
            [None, None, None, None, None, None],
            ["approvals", 1996.0, "_T", "_T", 98765, ""],
        ]
    )
    result = read(data, name="figures.xlsx", number_format="1.234,5")
    assert result.problems == []
    # The number cell 12.426 has no format; the text "12.426" is read by 1.234,5 as 12,426.
    assert [(r["line"], r["year"], r["amount"], r["note"]) for r in result.rows] == [
        (2, 1992, 12_426, "NA"),
        (3, 1992, 12_426_000, ""),
        (5, 1996, 98_765_000, ""),
    ]
    assert [a["row"] for a in result.ambiguous] == [3]


def test_read_upload_reports_xlsx_rows_by_their_spreadsheet_row():
    data = xlsx([["measure", "year", "source", "region", "amount"], ["expenditure", 1992, "_T", "_T", -4]])
    assert problems(data, name="f.xlsx") == [(2, "amount", "'-4' is negative; amounts cannot be negative.")]


def merged_template(*ranges):
    """The XLSX upload template with `ranges` of its Figures sheet merged."""
    workbook = load_workbook(io.BytesIO(template_xlsx([("source", "rbtc", "Regular budget (RBTC)")])))
    for cell_range in ranges:
        workbook["Figures"].merge_cells(cell_range)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


MERGED = (
    "sheet 'Figures', {first}: {span} is a merged cell: only its first cell holds what it shows. Unmerge it, one "
    "figure a cell."
)


def test_read_upload_refuses_a_merged_range_of_the_template_naming_it_not_the_cells_it_empties():
    # A2:A3 read A3 as empty ("The measure is missing"); J2:K2 and L2:L3 cleared a document address
    # and a note without a word. Only the merged ranges are named: what the rows say of the cells
    # they empty would mislead.
    data = merged_template("A2:A3", "J2:K2", "L2:L3")
    assert problems(data, name="template.xlsx") == [
        (2, "A", MERGED.format(first="A2", span="A2:A3")),
        (2, "J", MERGED.format(first="J2", span="J2:K2")),
        (2, "L", MERGED.format(first="L2", span="L2:L3")),
    ]
    assert read(data, name="template.xlsx").rows == []
    with translation.override("fr"):
        assert problems(merged_template("H3:H4"), name="template.xlsx") == [
            (
                3,
                "H",
                "feuille 'Figures', H3 : H3:H4 est une cellule fusionnée : seule sa première cellule contient ce "
                "qu'elle affiche. Annulez la fusion, un chiffre par cellule.",
            )
        ]


def test_read_upload_reads_the_template_below_a_merged_title_cell_above_its_header():
    # Blank rows above the header are skipped; a merged range there holds nothing the rows read.
    workbook = load_workbook(io.BytesIO(merged_template()))
    workbook["Figures"].insert_rows(1, 2)
    workbook["Figures"].merge_cells("A1:C1")
    out = io.BytesIO()
    workbook.save(out)
    result = read(out.getvalue(), name="template.xlsx")
    assert result.problems == []
    assert [row["line"] for row in result.rows] == [4, 5, 6, 7, 8]


def test_templates_upload_without_a_problem():
    csv_result = read(template_csv())
    assert csv_result.problems == []
    assert template_csv().decode().splitlines()[0] == ",".join(TEMPLATE_HEADER)
    assert [r["amount"] for r in csv_result.rows] == [12_426_000, 31_211_000, 61_028_000, 8_266_000, 112_930_000]
    xlsx_result = read(template_xlsx([("source", "rbtc", "Regular budget (RBTC)")]), name="template.xlsx")
    assert xlsx_result.problems == []
    assert xlsx_result.rows == csv_result.rows


def test_problem_reads_as_a_sentence():
    assert str(Problem(4, "year", "The year is missing.")) == "Row 4, column year: The year is missing."
    assert str(Problem(None, "", "The file is empty.")) == "The file is empty."


# --- Hostile files (issue 9) ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "row", "column", "message"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_read_upload_refuses_each_hostile_file_with_its_message(name, data, row, column, message):
    # The reader runs here, in the test process: a workbook that made it allocate the whole grid
    # would abort pytest itself, not fail a test.
    assert problems(data() if callable(data) else data, name=name) == [(row, column, message)]


def test_read_upload_reads_the_visible_sheet_not_a_very_hidden_first_one():
    result = read(very_hidden_xlsx(), name="book.xlsx")
    assert result.problems == []
    assert [row["amount"] for row in result.rows] == [1_000]
    assert result.sheet == {"name": "Visible", "hidden": ["Secret"]}


def test_read_upload_reads_the_sheet_named_as_in_the_template_before_a_first_visible_one():
    data = raw_xlsx(
        ("Notes", sheet_row(1, ("A1", "read me")), "visible"), ("Figures", header_row() + figure_row(2, 7), "visible")
    )
    result = read(data, name="book.xlsx")
    assert ([row["amount"] for row in result.rows], result.sheet) == ([7_000], {"name": "Figures", "hidden": []})


NOT_CROSSED = (
    "Types of input are published for all sources of funds, all regions and all countries only (GB.267/TC/1 "
    "Appendix II): no document gives a type of input by source of funds, by region or for the least developed "
    "countries. Give a type of input with _T as its source of funds, region and country group, or leave out the row."
)


def test_read_upload_refuses_a_type_of_input_by_source_by_region_or_for_a_country_group():
    header = "measure,year,source,region,country_group,input_type,amount\n"
    crossed = (
        "expenditure,1995,_T,_T,ldc,experts,100\n"
        "expenditure,1995,_T,africa,_T,experts,100\n"
        "expenditure,1995,undp,_T,_T,Training,100\n"
    )
    assert problems(header + crossed) == [(row, "input_type", NOT_CROSSED) for row in (2, 3, 4)]
    published = "expenditure,1995,_T,_T,_T,experts,100\nexpenditure,1995,undp,_T,ldc,_T,100\n"
    assert problems(header + published) == []


HIDDEN_FIGURES = (
    "tcdash reads what a person sees: unhide the sheet with the figures (or copy them to a visible one) and "
    "upload it again."
)


@pytest.mark.parametrize(
    "visible",
    [
        # The template's header and no figures under it (it said only "The file has a header but no rows
        # of figures.").
        header_row(),
        # A note in place of the header (it said "Unknown column 'See the sheet Old'" and named five missing ones).
        sheet_row(1, ("A1", "See the sheet Old")),
        # A cell of spaces (it said "The file is empty.").
        sheet_row(1, ("A1", " ")),
        "",
        # A note under a blank row (its problems are in row 2).
        sheet_row(2, ("A2", "See the sheet Old")),
    ],
    ids=["header", "note", "spaces", "empty", "note in row 2"],
)
def test_read_upload_names_the_hidden_sheet_that_holds_the_figures_the_visible_one_lacks(visible):
    data = raw_xlsx(
        ("Figures", visible, "visible"),
        ("Old", header_row() + figure_row(2, 5), "hidden"),
        ("Blank", "", "hidden"),
    )
    assert problems(data, name="book.xlsx") == [
        (
            None,
            "",
            f"The sheet 'Figures' holds no figures, and the figures are on the hidden sheet 'Old'. {HIDDEN_FIGURES}",
        )
    ]


def test_read_upload_names_the_hidden_figures_sheet_of_the_template():
    from funding.services.uploads import template_code_rows, template_names

    workbook = load_workbook(io.BytesIO(template_xlsx(template_code_rows(), template_names())))
    workbook["Figures"].sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    # The sheet read is the codes and notes (it said "Unknown column 'One row per figure. ...'").
    assert problems(out.getvalue(), name="template.xlsx") == [
        (
            None,
            "",
            "The sheet 'Codes and notes' holds no figures, and the figures are on the hidden sheet 'Figures'. "
            + HIDDEN_FIGURES,
        )
    ]


def test_read_upload_names_every_hidden_sheet_holding_figures():
    data = raw_xlsx(
        ("Figures", header_row(), "visible"),
        ("Old", header_row() + figure_row(2, 5), "hidden"),
        ("Older", header_row() + figure_row(2, 6), "veryHidden"),
    )
    assert problems(data, name="book.xlsx") == [
        (
            None,
            "",
            f"The sheet 'Figures' holds no figures, and the figures are on the hidden sheets 'Old', 'Older'. "
            f"{HIDDEN_FIGURES}",
        )
    ]


def test_read_upload_leaves_hidden_sheets_out_of_the_problems_of_a_visible_sheet_with_figures():
    data = raw_xlsx(("Figures", header_row() + figure_row(2, "x"), "visible"), ("Old", header_row(), "hidden"))
    assert problems(data, name="book.xlsx") == [(2, "amount", "'x' is not a number in the format 1,234.5.")]


SAVE_TO_STORE = (
    "Open the file in Excel or LibreOffice and save it, so that its values are stored, then upload it again."
)


def formula_row(number, formula, saved=None):
    """A figure row whose amount is a formula, with its saved value or (None) without one."""
    value = "" if saved is None else f"<v>{saved}</v>"
    return figure_row(number, 0).replace(
        f'<c r="E{number}"><v>0</v></c>', f'<c r="E{number}"><f>{formula}</f>{value}</c>'
    )


def test_read_upload_names_a_cell_holding_a_formula_with_no_saved_value():
    data = raw_xlsx(("Figures", header_row() + formula_row(2, "2+3"), "visible"))
    # It said "Row 2, column amount: The amount is empty."
    assert problems(data, name="book.xlsx") == [
        (
            None,
            "",
            "The cell E2 of the sheet 'Figures' holds a formula with no saved value, so its figure cannot be read. "
            + SAVE_TO_STORE,
        )
    ]
    saved = read(raw_xlsx(("Figures", header_row() + formula_row(2, "2+3", saved=5), "visible")), name="book.xlsx")
    assert (saved.problems, [row["amount"] for row in saved.rows]) == ([], [5_000])
    # A formula whose saved result is an empty text is saved all the same.
    header = header_row().replace("</row>", '<c r="F1" t="inlineStr"><is><t>note</t></is></c></row>')
    empty_note = figure_row(2, 5).replace("</row>", '<c r="F2" t="str"><f>""</f><v></v></c></row>')
    noted = read(raw_xlsx(("Figures", header + empty_note, "visible")), name="book.xlsx")
    assert (noted.problems, [row["note"] for row in noted.rows]) == ([], [""])


def test_read_upload_names_the_first_cells_holding_formulas_with_no_saved_value_and_counts_the_others():
    workbook = Workbook()
    workbook.active.title = "Figures"
    workbook.active.append(["measure", "year", "source", "region", "amount"])
    for year in range(1990, 1997):
        workbook.active.append(["expenditure", year, "_T", "_T", f"={year}-1000"])  # openpyxl saves no value
    out = io.BytesIO()
    workbook.save(out)
    assert problems(out.getvalue(), name="book.xlsx") == [
        (
            None,
            "",
            "The cells E2, E3, E4, E5, E6 and 2 more of the sheet 'Figures' hold formulas with no saved value, so "
            "their figures cannot be read. " + SAVE_TO_STORE,
        )
    ]


def test_read_upload_takes_a_data_validation_formula_for_no_cell():
    # Excel keeps a list of allowed values drawn from another sheet in the sheet's extensions, after its cells.
    validation = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
        "<x14:dataValidation><x14:formula1><xm:f>Codes!$A$1:$A$5</xm:f></x14:formula1><xm:sqref>A2</xm:sqref>"
        "</x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    data = raw_xlsx(("Figures", header_row() + figure_row(2, 5), "visible", "", validation))
    result = read(data, name="book.xlsx")
    assert (result.problems, [row["amount"] for row in result.rows]) == ([], [5_000])


def test_read_upload_reads_minus_zero_as_zero():
    result = read("measure,year,source,region,amount\nexpenditure,1992,_T,_T,-0\nexpenditure,1993,_T,_T,−0.0\n")
    assert result.problems == []
    assert [row["amount"] for row in result.rows] == [0, 0]
    assert problems("measure,year,source,region,amount\nexpenditure,1992,_T,_T,-0.5\n") == [
        (2, "amount", "'-0.5' is negative; amounts cannot be negative.")
    ]


def test_read_upload_names_the_size_limit_to_the_byte():
    header = b"measure,year,source,region,amount\n"
    data = header + b" " * (5_242_881 - len(header))
    assert len(data) == 5_242_881
    assert problems(data, max_bytes=5_242_880) == [
        (None, "", "The file is 5,242,881 bytes (5.0 MB); the limit is 5,242,880 bytes (5.0 MB).")
    ]


def test_read_upload_lists_200_problems_then_counts_the_other_rows():
    data = b"measure,year,source,region,amount\n" + b"x\n" * 5_000
    found = problems(data)
    # Each junk row has 5 problems: 40 rows are listed, then the other 4,960 are counted.
    assert len(found) == 201
    assert found[0] == (
        2,
        "measure",
        "Unknown measure 'x'. Use one of: expenditure, approvals, expenditure-share, recipients "
        "(or the measure's name).",
    )
    assert found[-1] == (
        None,
        "",
        "... and 4,960 more rows with problems (not listed). Correct the first 200 and upload again to see the rest.",
    )


def test_read_upload_stops_checking_a_file_of_junk_after_10000_rows_with_problems():
    data = b"measure,year,source,region,amount\n" + b"x\n" * 30_000  # bench/hostile_uploads.py: 5 MB of them
    found = problems(data)
    assert len(found) == 201
    assert found[-1] == (
        None,
        "",
        "... and 10,000 more rows with problems (not listed), then 19,960 rows not checked. Correct the first 200 "
        "and upload again to see the rest.",
    )


def test_read_upload_undoes_the_formula_guard_of_an_export():
    result = read("measure,year,source,region,amount,note\nexpenditure,1992,_T,_T,5,'-13.3% on 1991\n")
    assert result.rows[0]["note"] == "-13.3% on 1991"


def test_read_upload_keeps_out_of_a_row_the_columns_the_file_does_not_have():
    result = read("measure,year,source,region,amount,document\nexpenditure,1992,_T,_T,5,\n")
    assert result.columns == ("document",)
    assert "document_url" not in result.rows[0] and "note" not in result.rows[0] and "status" not in result.rows[0]
    assert result.rows[0]["document"] == ""


@pytest.mark.parametrize(
    ("ref", "said"),
    [
        # Past what the old reference pattern matched (3 letters, 7 digits): a reader allocated for it
        # (109 petabytes: the process aborted) or hung for minutes.
        ("ZZZZZ99999999999999", "The sheet 'Figures' has cells up to "),
        ("E123456789", "The sheet 'Figures' has cells up to E123456789 "),
        ("AAAA2", "The sheet 'Figures' has cells up to AAAA2 "),
        ("E2!", "The sheet 'Figures' has a cell at 'E2!', which is not a cell address; the file was not read."),
    ],
)
def test_read_upload_refuses_a_cell_reference_past_the_grid_before_any_cell_is_read(ref, said):
    row = figure_row(2, 7).replace('r="E2"', f'r="{ref}"')
    assert f'r="{ref}"' in row  # the amount's cell
    data = raw_xlsx(("Figures", header_row() + row, "visible"))
    found = problems(data, name="book.xlsx")
    assert len(found) == 1 and found[0][2].startswith(said), found


def test_read_upload_checks_every_visible_sheet_before_any_is_read():
    data = raw_xlsx(
        ("Figures", header_row() + figure_row(2, 7), "visible"),
        ("Table B", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "visible"),
    )
    assert problems(data, name="book.xlsx")[0][2].startswith("The sheet 'Table B' has cells up to XFD1048576 ")


BEYOND = (
    "what is beyond the header would be lost. A comma (or the file's separator) in a number or a text splits its "
    'cell in two unless the cell is quoted: write "8,265" or "GB.273, para. 18" in quotes, or leave out the separator.'
)


@pytest.mark.parametrize(
    ("header", "row", "problem"),
    [
        # The note was cut to 'GB.273'.
        (
            ",note",
            "expenditure,1995,unfpa,_T,8265,GB.273, para. 18 x",
            (2, "G", f"This row has 7 cells but the header has 6: {BEYOND}"),
        ),
        (
            ",note",
            "expenditure,1995,undp,_T,31211,junk,more",
            (2, "G", f"This row has 7 cells but the header has 6: {BEYOND}"),
        ),
        # It was read as 8; only its total said anything.
        ("", "expenditure,1995,unfpa,_T,8,265", (2, "F", f"This row has 6 cells but the header has 5: {BEYOND}")),
    ],
)
def test_read_upload_refuses_a_row_with_more_cells_than_its_header(header, row, problem):
    text = f"measure,year,source,region,amount_usd_thousands{header}\n{row}\n"
    assert problems(text) == [problem]
    assert read(text).rows == []


def test_read_upload_takes_empty_cells_after_the_last_as_a_spreadsheet_writes_them():
    result = read('measure,year,source,region,amount_usd_thousands,note\nexpenditure,1995,unfpa,_T,"8,265",,,\n')
    assert result.problems == []
    assert (result.rows[0]["amount"], result.rows[0]["note"]) == (8_265_000, "")


def test_read_upload_refuses_a_wide_row_with_more_cells_than_its_header():
    wide = "source,source_name,region,region_name,amount_1995,status_1995\nundp,UNDP,_T,All regions,31,211,published\n"
    assert problems(wide, name="tcdash-expenditure-by-source-1995-1995-wide.csv") == [
        (2, "G", f"G2: This row has 7 cells but the header has 6: {BEYOND}"),
        (
            2,
            "F",
            "F2: Unknown status '211'. Use one of: published, derived, provisional, rounded, estimated, approximate.",
        ),
    ]


@pytest.mark.parametrize(
    ("number_format", "written", "read_as", "would_be"),
    [
        ("1,234.5", "31.211", "31.211", "31,211 in the format 1.234,5"),
        ("1.234,5", '"31,211"', "31.211", "31,211 in the format 1,234.5"),
    ],
)
def test_read_upload_names_the_other_reading_of_an_amount_when_the_file_is_refused(
    number_format, written, read_as, would_be
):
    text = (
        "measure,year,source,region,amount\n"
        f"expenditure,1995,rbtc,_T,12426\nexpenditure,1995,undp,_T,{written}\nexpenditure,1995,trust-funds,_T,61028\n"
        "expenditure,1995,unfpa,_T,8265\nexpenditure,1995,_T,_T,112930\n"
    )
    assert problems(text, number_format=number_format) == [
        (
            6,
            "amount",
            "The expenditure figures by sources of funds for 1995 add up to 81,750.211, but the total is 112,930: "
            "a difference of 31,179.789, more than the rounding tolerance of 1.",
        ),
        (
            3,
            "amount",
            f"'{written.strip(chr(34))}' is read as {read_as} in the number format chosen ({number_format}); "
            f"it would be {would_be}. If the file is written that way, choose that format.",
        ),
    ]


LONG_FILE = "measure,year,source,region,amount\nexpenditure,1992,undp,_T,1234.5\nexpenditure,1992,x,_T,5\n"


@pytest.mark.parametrize("blank", ["\n", "\r\n", " \n", ",,,,\n", "\n\n,,,,\r\n"])
def test_read_upload_skips_the_blank_rows_before_the_header_and_names_the_real_rows(blank):
    lines = blank.count("\n")
    result = read(blank + LONG_FILE)
    assert [(p.row, p.column, p.message[:24]) for p in result.problems] == [
        (lines + 3, "source", "Unknown source of funds ")
    ]
    result = read(blank + LONG_FILE.rsplit("expenditure,1992,x", 1)[0])
    assert [(r["line"], r["source"], r["amount"]) for r in result.rows] == [(lines + 2, "undp", 1_234_500)]
    assert problems(blank + "year,measure\n") == [
        (lines + 1, "source", "The column 'source' is missing."),
        (lines + 1, "region", "The column 'region' is missing."),
        (lines + 1, "amount_usd_thousands", "The column 'amount_usd_thousands' is missing."),
    ]


@pytest.mark.parametrize("corner", ["A2", "B2", "C4"])
def test_read_upload_reads_a_workbook_whose_header_is_below_or_right_of_a1(corner):
    skip_rows, skip_columns = int(corner[1:]) - 1, ord(corner[0]) - ord("A")
    pad = [None] * skip_columns
    rows = [[None]] * skip_rows + [
        [*pad, "measure", "year", "source", "region", "amount"],
        [*pad, "expenditure", 1992, "undp", "_T", 1234.5],
        [*pad, "expenditure", 1992, "x", "_T", 5],
    ]
    result = read(xlsx(rows), name="figures.xlsx")
    assert [(p.row, p.column) for p in result.problems] == [(skip_rows + 3, "source")]
    result = read(xlsx(rows[:-1]), name="figures.xlsx")
    assert result.problems == []
    assert [(r["line"], r["source"], r["amount"]) for r in result.rows] == [(skip_rows + 2, "undp", 1_234_500)]


def test_read_upload_tells_the_separator_from_the_header_below_a_blank_line():
    result = read(" \nmeasure;year;source;region;amount\nexpenditure;1992;undp;_T;1.234,5\n", number_format="1.234,5")
    assert result.problems == []
    assert [(r["line"], r["amount"]) for r in result.rows] == [(3, 1_234_500)]


@pytest.mark.parametrize(
    ("written", "measure"),
    [
        ("Dépenses", "expenditure"),
        ("gastos", "expenditure"),
        ("Expenditure", "expenditure"),
        ("Aprobaciones extrapresupuestarias", "approvals"),
        ("Approbations extrabudgétaires", "approvals"),
        ("Pays bénéficiaires", "recipients"),
        ("Proporción del gasto (indicada)", "expenditure-share"),
    ],
)
def test_read_upload_takes_a_measure_by_its_name_in_any_of_the_languages(written, measure):
    result = read(f"measure,year,source,region,amount\n{written},1992,_T,_T,5\n")
    assert result.problems == []
    assert result.rows[0]["measure"] == measure


def test_total_message_names_the_member_the_parts_are_pinned_to():
    key = ("approvals", "_T", 1995)
    amounts = {(*key, "undp", region, "_T"): 10_000 for region in codes().parts["region"]}
    amounts[(*key, "undp", "_T", "_T")] = 5_000
    [check] = check_totals(amounts, codes().parts, touched=amounts)
    assert total_message(check, codes().names) == (
        "The approvals figures by regions from UNDP for 1995 add up to 60, but the total is 5: a difference of 55, "
        "more than the rounding tolerance of 1."
    )
    assert total_message(check).startswith("The approvals figures by regions from undp for 1995 ")


def test_read_upload_says_how_to_save_a_spreadsheet_of_another_format():
    # A LibreOffice (.ods) or older Excel (.xls, .xlsm) file was told only "Upload a .csv or .xlsx file,
    # not .ods", and an .ods renamed .xlsx "a zip archive but not an Excel workbook".
    save = (
        "Save it as an Excel Workbook (.xlsx), or as CSV UTF-8, and upload that (in Excel or LibreOffice: File, "
        "Save As, then choose the type)."
    )
    ods = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<office/>"})
    assert problems(ods, name="figures.ods") == [(None, "", f"The file is an OpenDocument spreadsheet (.ods). {save}")]
    assert problems(ods, name="figures.xlsx") == [(None, "", f"The file is an OpenDocument spreadsheet (.ods). {save}")]
    assert problems(b"\xd0\xcf\x11\xe0", name="f.XLS") == [
        (None, "", f"The file is an Excel 97-2003 workbook (.xls). {save}")
    ]
    assert problems(b"PK", name="f.xlsm") == [(None, "", f"The file is an Excel workbook with macros (.xlsm). {save}")]
    assert problems(b"x", name="f.txt") == [(None, "", "Upload a .csv or .xlsx file, not .txt.")]
    with translation.override("fr"):
        [(row, column, message)] = problems(ods, name="figures.ods")
    assert message == (
        "Le fichier est un classeur OpenDocument (.ods). Enregistrez-le comme classeur Excel (.xlsx), ou en CSV "
        "UTF-8, et téléversez celui-ci (dans Excel ou LibreOffice : Fichier, Enregistrer sous, puis choisissez le "
        "type)."
    )


def test_read_upload_says_a_year_cell_formatted_as_a_date_is_one():
    # 1995 typed into a cell formatted as a date is stored as that day's serial (17/06/1905): the problem
    # said "'1905-06-17 00:00:00' is not a year; write it as four digits", which the editor had done.
    workbook = Workbook()
    workbook.active.append(["measure", "year", "source", "region", "amount_usd_thousands"])
    workbook.active.append(["expenditure", datetime.datetime(1905, 6, 17), "undp", "_T", 31211])
    workbook.active.append(["expenditure", datetime.datetime(1995, 1, 1), "rbtc", "_T", 12426])
    out = io.BytesIO()
    workbook.save(out)
    assert [message for _, _, message in problems(out.getvalue(), name="figures.xlsx")] == [
        "The cell is formatted as a date, so the year 1995 typed into it reads as the date 1905-06-17: format the "
        "column as Number (or General) and write the year as four digits, such as 1995.",
        "The cell holds the date 1995-01-01, not a year: format the column as Number (or General) and write the "
        "year as four digits, such as 1995.",
    ]


def test_read_upload_names_a_total_row_added_under_the_figures_once():
    # A 'Total' row under the figures, as a spreadsheet user adds one (a SUM beside the word), was four
    # problems: an unknown measure 'Total', the year, the source and the region missing.
    header = "measure,year,source,region,amount_usd_thousands\n"
    looks_like = (
        "This row looks like a total added under the figures ('%s'): the template has one figure a row, each with "
        "its measure, year, source and region. Remove the row; a published total is a row of its own, with _T as "
        "its source or region."
    )
    figures = "expenditure,1995,undp,_T,31211\nexpenditure,1995,rbtc,_T,12426\n"
    assert problems(header + figures + "Total,,,,43637\n") == [(4, "measure", looks_like % "Total")]
    workbook = Workbook()
    for row in [
        header.strip().split(","),
        ["expenditure", 1995, "undp", "_T", 31211],
        [None, None, None, "TOTAL:", 31211],
    ]:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    assert problems(out.getvalue(), name="figures.xlsx") == [(3, "region", looks_like % "TOTAL:")]
    # A row that is not one keeps each of its problems.
    assert len(problems(header + figures + ",,,,43637\n")) == 4


HIDDEN = (
    "The sheet 'Figures' holds values hidden from view, in {where} (hidden by hand or by a filter); tcdash reads "
    "what a person sees. Unhide them and check them, or delete them, then upload the file again."
)


def hidden_template(rows=(), columns=()):
    """The XLSX upload template (its example rows) with `rows` and `columns` of its Figures sheet hidden."""
    workbook = load_workbook(io.BytesIO(template_xlsx([("source", "rbtc", "Regular budget (RBTC)")])))
    for row in rows:
        workbook["Figures"].row_dimensions[row].hidden = True
    for column in columns:
        workbook["Figures"].column_dimensions[column].hidden = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_read_upload_refuses_values_in_hidden_rows_and_columns_naming_them():
    # They were read and published: a row of figures hidden (or filtered out) in Excel went live
    # though whoever checked the sheet never saw it.
    assert problems(hidden_template(rows=[3]), name="template.xlsx") == [(None, "", HIDDEN.format(where="row 3"))]
    assert problems(hidden_template(rows=[2, 4], columns=["E", "L"]), name="template.xlsx") == [
        (None, "", HIDDEN.format(where="rows 2, 4; columns E, L"))
    ]
    # A hidden column or row that holds nothing hides nothing.
    assert problems(hidden_template(columns=["Z"]), name="template.xlsx") == []
    assert problems(hidden_template(rows=[40]), name="template.xlsx") == []
    # As LibreOffice writes a row hidden by a filter (hidden="true").
    filtered = raw_xlsx(
        ("Figures", header_row() + figure_row(2, 1000).replace('<row r="2">', '<row r="2" hidden="true">'), "visible")
    )
    assert problems(filtered, name="filtered.xlsx") == [(None, "", HIDDEN.format(where="row 2"))]
