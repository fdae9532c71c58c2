"""Exporters are pure: rows in, exact CSV bytes, XLSX cells and citation facts out."""

import io
import itertools
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl
import pytest

from funding.exporters import LONG_COLUMNS, about, csv_chunks, file_stem, json_rows, long_table, wide_table, write_xlsx
from funding.exporters.csv import csv_bytes, csv_cell
from funding.exporters.tables import neutralise
from funding.exporters.xlsx import xlsx_cell, xlsx_number
from funding.selectors import ViewQuery
from tests.factories import make_row

CODE_LISTS = {
    "sources": [
        {"code": "_T", "name": "All sources", "name_fr": "Toutes sources", "order": 0},
        {"code": "rbtc", "name": "Regular budget (RBTC)", "name_fr": "Budget ordinaire (CTBO)", "order": 1},
        {"code": "undp", "name": "UNDP", "name_fr": "PNUD", "order": 2},
        {
            "code": "trust-funds",
            "name": "Trust funds and multi-bi",
            "name_fr": "Fonds de dépôt et financement multi-bilatéral",
            "order": 3,
        },
    ],
    "regions": [
        {"code": "_T", "name": "All regions", "name_fr": "Toutes régions", "order": 0},
        {"code": "africa", "name": "Africa", "name_fr": "Afrique", "order": 1},
        {
            "code": "arab-states",
            "name": "Arab States, Middle East",
            "name_fr": "États arabes, Moyen-Orient",
            "order": 4,
        },
    ],
}
GENERATED = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def make_about(query, rows, releases=()):
    return about(
        query,
        code_lists=CODE_LISTS,
        rows=rows,
        releases=list(releases),
        url="http://testserver/expenditure.xlsx",
        generated_at=GENERATED,
    )


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")'])
def test_neutralise_prefixes_a_quote_to_formula_starts(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["UNDP", "1-2", "a=b", "", "'quoted"])
def test_neutralise_leaves_other_text_alone(text):
    assert neutralise(text) == text


def test_csv_cell_writes_numbers_plainly_and_never_quotes_them():
    assert [csv_cell(v) for v in (Decimal("23531"), Decimal("1234.5"), Decimal("-12.40"), 1995, None)] == [
        "23531",
        "1234.5",
        "-12.40",
        "1995",
        "",
    ]
    assert csv_cell(Decimal("1.2E+4")) == "12000"  # never an exponent


def test_xlsx_number_is_int_when_whole_and_the_exact_decimal_otherwise():
    assert xlsx_number(Decimal("98167")) == 98167
    assert isinstance(xlsx_number(Decimal("98167")), int)
    assert repr(xlsx_number(Decimal("98166.999"))) == "98166.999"
    assert repr(xlsx_number(Decimal("1234.5"))) == "1234.5"
    assert xlsx_number(Decimal("-8.74")) == -8.74


def test_xlsx_cell_keeps_a_formula_start_and_drops_control_characters():
    # An inline string is never a formula: `=HYPERLINK(1)` needs no `'` before it, as a CSV's text does.
    assert xlsx_cell("=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert xlsx_cell("GB.270\x0b/TC/2") == "GB.270/TC/2"
    assert xlsx_cell(Decimal("-3.5")) == -3.5


def test_long_table_writes_the_upload_template_exactly():
    query = ViewQuery(measure="expenditure", year_from=1995, year_to=1996, by=("source",))
    rows = [
        make_row(1995, "12426", breakdown="source", source="rbtc"),
        make_row(1996, "1234.5", breakdown="source", source="trust-funds", status="provisional", document="=cmd"),
    ]
    header, body = long_table(rows, query=query, code_lists=CODE_LISTS)
    assert tuple(header) == (*LONG_COLUMNS, "unit")
    assert csv_bytes(header, body) == (
        b"measure,year,source,source_name,region,region_name,country_group,amount_usd_thousands,status,document,"
        b"document_url,note,unit\r\n"
        b"expenditure,1995,rbtc,Regular budget (RBTC),_T,All regions,_T,12426,published,Doc A,,,usd-thousands\r\n"
        b"expenditure,1996,trust-funds,Trust funds and multi-bi,_T,All regions,_T,1234.5,provisional,'=cmd,,,"
        b"usd-thousands\r\n"
    )


def test_long_table_gives_a_stated_share_its_measure_and_unit_and_no_amount():
    query = ViewQuery(measure="expenditure", year_from=1990, year_to=1990, by=("source",), value="share")
    rows = [
        make_row(
            1990,
            None,
            breakdown="source",
            source="undp",
            measure="expenditure-share",
            status="rounded",
            document="GB.270/TC/2 (Nov 1997), para. 18",
            share=Decimal("45.9"),
        )
    ]
    header, body = long_table(rows, query=query, code_lists=CODE_LISTS)
    assert csv_bytes(header, body).splitlines()[1] == (
        b"expenditure-share,1990,undp,UNDP,_T,All regions,_T,,rounded,"
        b'"GB.270/TC/2 (Nov 1997), para. 18",,,percent-of-total,45.9'
    )


def test_long_table_names_a_sum_of_chosen_sources_so_it_never_uploads_as_the_total():
    query = ViewQuery(measure="expenditure", sources=("rbtc", "undp"), value="change")
    rows = [make_row(1994, "47816", status="derived", change=Decimal("-37.93"))]
    header, body = long_table(rows, query=query, code_lists=CODE_LISTS)
    assert header[-1] == "change_percent"
    assert list(body) == [
        [
            "expenditure",
            1994,
            "rbtc+undp",
            "Sum of 2 sources: Regular budget (RBTC), UNDP",
            "_T",
            "All regions",
            "_T",
            Decimal("47816"),
            "derived",
            "Doc A",
            "",
            "sum of 2 sources",
            "usd-thousands",
            Decimal("-37.93"),
        ]
    ]


def test_long_table_in_french_keeps_accents_through_utf8_and_the_bom():
    query = ViewQuery(measure="expenditure", by=("source",), group="ldc")
    rows = [make_row(1995, "10", breakdown="source", source="trust-funds")]
    data = csv_bytes(*long_table(rows, query=query, code_lists=CODE_LISTS, lang="fr"), bom=True)
    assert data.startswith(b"\xef\xbb\xbfmeasure,year,")
    assert "Fonds de dépôt et financement multi-bilatéral,_T,Toutes régions,ldc,10".encode() in data


def test_long_table_streams_in_blocks_of_about_64_kb():
    query = ViewQuery(measure="expenditure", by=("source",))
    endless = (make_row(1995, str(n), breakdown="source", source="undp") for n in itertools.count())
    chunks = csv_chunks(*long_table(endless, query=query, code_lists=CODE_LISTS))
    first, second = itertools.islice(chunks, 2)
    assert 64 * 1024 <= len(first) < 64 * 1024 + 200 and 64 * 1024 <= len(second) < 64 * 1024 + 200
    lines = first.split(b"\r\n")
    assert lines[0].startswith(b"measure,year,source,source_name,")
    assert lines[2] == b"expenditure,1995,undp,UNDP,_T,All regions,_T,1,published,Doc A,,,usd-thousands"


def test_wide_table_puts_years_in_columns_members_in_ilo_order_and_the_total_last():
    query = ViewQuery(measure="expenditure", year_from=1994, year_to=1996, by=("source",))
    rows = [
        make_row(1995, "112930"),
        make_row(1995, "31211", breakdown="source", source="undp"),
        make_row(1995, "12426", breakdown="source", source="rbtc"),
        make_row(1996, "6958", breakdown="source", source="rbtc"),
        make_row(1996, "98167"),
    ]
    header, body = wide_table(rows, query=query, code_lists=CODE_LISTS)
    assert csv_bytes(header, body).decode().splitlines() == [
        "source,source_name,region,region_name,amount_1994,status_1994,amount_1995,status_1995,amount_1996,status_1996",
        "rbtc,Regular budget (RBTC),_T,All regions,,,12426,published,6958,published",
        "undp,UNDP,_T,All regions,,,31211,published,,",
        "_T,All sources,_T,All regions,,,112930,published,98167,published",
    ]


def test_wide_table_writes_a_series_two_breakdowns_show_once_as_the_totals_row():
    # source=undp with by=source and by=total: UNDP is a source shown and the view's total, one series.
    query = ViewQuery(measure="expenditure", year_from=1995, year_to=1996, by=("source", "total"), sources=("undp",))
    rows = [
        make_row(1995, "31211", breakdown="source", source="undp"),
        make_row(1996, "23531", breakdown="source", source="undp"),
        make_row(1995, "31211", source="undp"),
        make_row(1996, "23531", source="undp"),
    ]
    header, body = wide_table(rows, query=query, code_lists=CODE_LISTS)
    assert body == [["undp", "UNDP", "_T", "All regions", Decimal("31211"), "published", Decimal("23531"), "published"]]


def test_wide_table_without_the_total_breakdown_has_no_total_row():
    query = ViewQuery(measure="expenditure", year_from=1995, year_to=1995, by=("source",))
    rows = [
        make_row(1995, "12426", breakdown="source", source="rbtc"),
        make_row(1995, "31211", breakdown="source", source="undp"),
    ]
    assert [row[0] for row in wide_table(rows, query=query, code_lists=CODE_LISTS)[1]] == ["rbtc", "undp"]


def test_about_counts_a_value_two_breakdowns_show_once():
    query = ViewQuery(measure="expenditure", by=("source", "total"), sources=("trust-funds",), value="share")
    stated = {"measure": "expenditure-share", "status": "rounded", "document": "GB.270/TC/2", "share": Decimal("37.8")}
    rows = [
        make_row(1990, None, breakdown="source", source="trust-funds", **stated),
        make_row(1990, None, source="trust-funds", **stated),
    ]
    notes = make_about(query, rows, [])["notes"]
    assert notes[0] == (
        "1 value rounded: 1990 (Trust funds and multi-bi). Stated rounded in the text of the document "
        "(for example '$2.2 million'), not in a table."
    )
    assert notes[1].startswith("1990 (Trust funds and multi-bi): stated as a share (GB.270/TC/2); no amount")


def test_wide_table_shows_the_chosen_value():
    query = ViewQuery(measure="expenditure", year_from=1995, year_to=1995, by=("region",), value="share")
    rows = [make_row(1995, "8814", breakdown="region", region="africa", share=Decimal("37.63"))]
    assert wide_table(rows, query=query, code_lists=CODE_LISTS)[1] == [
        ["_T", "All sources", "africa", "Africa", Decimal("37.63"), "published"]
    ]


def test_write_xlsx_has_a_numeric_data_sheet_and_an_about_sheet():
    query = ViewQuery(measure="expenditure", year_from=1991, year_to=1995, value="change")
    rows = [
        make_row(1991, "170000", status="approximate", document="GB.270/TC/2", change=None),
        make_row(1995, "1234.5", document='=HYPERLINK("http://evil.example","x")', change=Decimal("-0.62")),
    ]
    file = io.BytesIO()
    meta = make_about(query, rows, [{"id": 7, "title": "GB figures", "published_at": GENERATED}])
    write_xlsx(*long_table(rows, query=query, code_lists=CODE_LISTS), meta=meta, file=file)
    workbook = openpyxl.load_workbook(io.BytesIO(file.getvalue()))
    assert workbook.sheetnames == ["Data", "About"]
    data = workbook["Data"]
    assert [c.value for c in data[1]][-1] == "change_percent"
    year, amount, change = data["B3"], data["H3"], data["N3"]
    assert (year.value, year.data_type) == (1995, "n")
    assert (amount.value, amount.data_type) == (1234.5, "n")
    assert (change.value, change.data_type) == (-0.62, "n")
    assert data["H2"].value == 170000 and data["N2"].value is None
    # An inline string, never a formula: written as it is, with no `'` before it.
    assert (data["J3"].value, data["J3"].data_type) == ('=HYPERLINK("http://evil.example","x")', "s")
    about_sheet = {}
    for label, value in workbook["About"].iter_rows(values_only=True):
        about_sheet.setdefault(label, []).append(value)
    assert about_sheet["Title"] == [
        "ILO technical cooperation expenditure, change on the previous year, per cent, 1991-1995"
    ]
    assert about_sheet["Reproduce"] == ["http://testserver/expenditure.xlsx"]
    assert about_sheet["Release"] == ["7: GB figures (published 28 Nov. 2026 12:00 UTC)"]
    assert about_sheet["Document"] == ["GB.270/TC/2", '=HYPERLINK("http://evil.example","x")']
    assert about_sheet["Note"][0].startswith("1 value approximate: 1991. Stated approximately in the text")
    assert about_sheet["Generated"] == ["28 Nov. 2026 12:00 UTC"]


def test_about_gives_filters_releases_documents_and_notes():
    query = ViewQuery(measure="approvals", year_from=1990, year_to=1996, by=("region",), regions=("africa",))
    rows = [make_row(1990, "2200", breakdown="region", region="africa", status="rounded", document="Doc B")]
    meta = make_about(query, rows, [{"id": 1, "title": "Loaded", "published_at": None}])
    assert meta["title"] == "ILO extra-budgetary technical cooperation approvals by region (Africa), 1990-1996"
    assert meta["filters"] == {
        "from": 1990,
        "to": 1996,
        "by": ["region"],
        "source": [],
        "region": ["africa"],
        "input_type": [],
        "group": "all",
        "value": "amount",
    }
    assert meta["releases"] == [{"id": 1, "title": "Loaded", "published_at": None}]
    assert meta["documents"] == [{"document": "Doc B", "url": ""}]
    assert meta["notes"][0] == (
        "1 value rounded: 1990 (Africa). Stated rounded in the text of the document "
        "(for example '$2.2 million'), not in a table."
    )
    assert meta["generated_at"] == "2026-11-28T12:00:00+00:00"


@pytest.mark.parametrize(
    ("query", "stem"),
    [
        (ViewQuery(by=("source",)), "tcdash-expenditure-by-source-1990-1996"),
        (ViewQuery(by=("total",)), "tcdash-expenditure-total-1990-1996"),
        (ViewQuery(by=("source", "region")), "tcdash-expenditure-by-source-and-region-1990-1996"),
        (
            ViewQuery(by=("source-region",), group="ldc", year_from=1993, year_to=1995),
            "tcdash-expenditure-by-source-and-region-ldc-1993-1995",
        ),
        (
            ViewQuery(measure="approvals", sources=("undp",), value="share"),
            "tcdash-approvals-total-undp-share-1990-1996",
        ),
    ],
)
def test_file_stem_says_what_the_file_holds(query, stem):
    assert file_stem(query) == stem


def test_json_rows_keep_whole_amounts_as_integers():
    rows = json_rows([make_row(1995, "112930", share=Decimal("100.00"))])
    assert rows == [
        {
            "measure": "expenditure",
            "year": 1995,
            "source": None,
            "region": None,
            "input_type": None,
            "amount": 112930,
            "unit": "usd-thousands",
            "status": "published",
            "document": "Doc A",
            "share": 100,
        }
    ]


def test_write_xlsx_keeps_every_kind_of_cell_as_openpyxl_reads_it():
    # The Data sheet's rows are written by tcdash, not openpyxl: what openpyxl (and Excel) reads back
    # must be what was given, spaces, line breaks and carriage returns, accents and markup included.
    cells = [
        " lead",
        'a & <b> "c"',
        "line\r\nbreak",
        "é ✓ ≥",
        "",
        None,
        True,
        False,
        10**15,
        -0.62,
        1e-7,
        Decimal("12.50"),
    ]
    file = io.BytesIO()
    write_xlsx(
        [f"c{n}" for n in range(len(cells))],
        [cells, cells],
        meta=make_about(ViewQuery(measure="expenditure"), [], []),
        file=file,
    )
    workbook = openpyxl.load_workbook(io.BytesIO(file.getvalue()))
    data = list(workbook["Data"].iter_rows(min_row=2, values_only=True))
    expected = (" lead", 'a & <b> "c"', "line\r\nbreak", "é ✓ ≥", None, None, True, False, 10**15, -0.62, 1e-7, 12.5)
    assert data == [expected, expected]
    assert [c.data_type for c in next(workbook["Data"].iter_rows(min_row=2))][-4:] == ["n", "n", "n", "n"]
    assert workbook["Data"].freeze_panes == "A2" and workbook["Data"]["A1"].font.b


def test_json_rows_code_a_sum_of_chosen_members_and_leave_the_total_null():
    row = make_row(1993, "66231", status="derived")
    chosen = ViewQuery(measure="expenditure", regions=("africa", "europe"))
    assert [(r["source"], r["region"], r["input_type"]) for r in json_rows([row], query=chosen)] == [
        (None, "africa+europe", None)
    ]
    assert [(r["source"], r["region"]) for r in json_rows([row], query=ViewQuery(measure="expenditure"))] == [
        (None, None)
    ]
