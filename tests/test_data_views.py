"""The `.csv`, `.xlsx` and `.json` twins: the page's rows, exact bytes, cited sources, clear 400s."""

import csv
import io
import json
import re
import zipfile

import openpyxl
import pytest

from funding.published_tables import FIXTURES_DIR, SOURCE_LABELS
from funding.services import publish_release
from tests.markup import body, parse, words

HYPERLINK = '=HYPERLINK("http://evil.example/","Click")'
REGIONS = ["africa", "asia-pacific", "latin-america-caribbean", "arab-states", "europe", "interregional"]
TWINS = [
    "/expenditure.csv",
    "/expenditure.xlsx",
    "/expenditure.json",
    "/approvals.csv",
    "/approvals.xlsx",
    "/approvals.json",
    "/recipients.csv",
    "/recipients.xlsx",
    "/recipients.json",
]


def csv_rows(response):
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def workbook(response):
    return openpyxl.load_workbook(io.BytesIO(body(response)))


def publish_hostile_document(year=1998):
    rows = [
        {
            "measure": "expenditure",
            "year": year,
            "source": "_T",
            "region": "_T",
            "amount": 100_000_000,
            "status": "provisional",
            "document": HYPERLINK,
        }
    ]
    return publish_release(title="-2+3 hostile", rows=rows, checksum="hostile")[0]


def test_csv_gives_the_exact_bytes_and_name_of_a_known_view(client, ilo_data):
    response = client.get("/expenditure.csv?by=source&from=1995&to=1996&source=undp&source=unfpa")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="tcdash-expenditure-by-source-undp-unfpa-1995-1996.csv"'
    )
    doc_1998 = "GB.273/TC/1 (Nov 1998) Appendix I table A"
    url = "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm"
    same = "identical value in GB.267/TC/1 App I (Nov 1996)"
    undp = "UNDP row incl. projects where ILO is associated agency and TSS-1/SPPD projects; excl. TSS-2/STS projects"
    unfpa = "United Nations Fund for Population Activities (fn 4)"
    assert (
        body(response)
        == (
            "measure,year,source,source_name,region,region_name,country_group,amount_usd_thousands,status,document,"
            "document_url,note,unit\r\n"
            f"expenditure,1995,undp,UNDP,_T,All regions,_T,31211,published,{doc_1998},{url},"
            f"published table; share 27.6%; {same}; {undp} (footnote 1),usd-thousands\r\n"
            f"expenditure,1995,unfpa,UNFPA,_T,All regions,_T,8266,published,{doc_1998},{url},"
            f"published table; share 7.3%; {same}; {unfpa},usd-thousands\r\n"
            f"expenditure,1996,undp,UNDP,_T,All regions,_T,23531,published,{doc_1998},{url},"
            f"published table; share 24.0%; {undp} (footnote 1),usd-thousands\r\n"
            f"expenditure,1996,unfpa,UNFPA,_T,All regions,_T,6619,published,{doc_1998},{url},"
            f"published table; share 6.7%; {unfpa},usd-thousands\r\n"
        ).encode()
    )


def test_csv_file_name_says_ldc_and_two_breakdowns(client, ilo_data):
    response = client.get("/expenditure.csv?by=source&by=region&group=ldc&from=1993&to=1995")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="tcdash-expenditure-by-source-and-region-ldc-1993-1995.csv"'
    )


def test_csv_costs_the_generation_the_code_lists_and_one_read_of_the_figures(
    client, ilo_data, django_assert_num_queries
):
    # The live generation (twice: for the ETag, and for the code lists kept under it), the code lists,
    # one read of the figures.
    with django_assert_num_queries(4):
        response = client.get("/expenditure.csv?by=source")
        body(response)
    with django_assert_num_queries(3):  # another view of the same codes: the code lists are kept
        body(client.get("/expenditure.csv?by=source&from=1990&to=1995"))


def test_csv_wide_1993_1997_by_source_equals_the_published_table(client, ilo_data):
    response = client.get("/expenditure.csv?by=source&by=total&from=1993&to=1997&layout=wide")
    published = {}
    with open(FIXTURES_DIR / "expenditure_by_source.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            published.setdefault(SOURCE_LABELS[row["source"].lower()], []).append(row["amount_usd_thousands"])
    rows = csv_rows(response)
    assert rows[0][:6] == ["source", "source_name", "region", "region_name", "amount_1993", "status_1993"]
    assert rows[0][6:] == [
        "amount_1994",
        "status_1994",
        "amount_1995",
        "status_1995",
        "amount_1996",
        "status_1996",
        "amount_1997",
        "status_1997",
    ]
    assert {row[0]: row[4::2] for row in rows[1:]} == published
    assert [row[0] for row in rows[1:]] == ["rbtc", "undp", "trust-funds", "unfpa", "_T"]
    assert rows[-1][4::2] == ["148670", "113631", "112930", "98167", "108363"]
    assert rows[-1][5::2] == ["published"] * 5


def test_csv_wide_leaves_years_without_data_empty_and_marks_every_stated_value(client, ilo_data):
    rows = csv_rows(client.get("/expenditure.csv?by=region&by=total&from=1990&to=1993&layout=wide"))
    assert rows[0][4:] == [f"{column}_{year}" for year in range(1990, 1994) for column in ("amount", "status")]
    assert rows[1] == ["_T", "All sources", "africa", "Africa", "", "", "", "", "", "", "60120", "published"]
    assert rows[5] == ["_T", "All sources", "europe", "Europe", "2200", "rounded", "", "", "", "", "6111", "published"]
    assert rows[-1] == [
        "_T",
        "All sources",
        "_T",
        "All regions",
        "",
        "",
        "170000",
        "approximate",
        "",
        "",
        "148670",
        "published",
    ]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("by=source&value=share&source=undp", [("undp", "_T")]),
        ("by=source&by=total&value=share&source=undp", [("undp", "_T")]),
        ("by=source&value=share&source=multi-bi", [("multi-bi", "_T")]),
        ("by=source&by=total&value=share&source=trust-funds", [("trust-funds", "_T")]),
        ("by=source&by=total&source=trust-funds", [("trust-funds", "_T"), ("multi-bi", "_T")]),
        ("by=source&from=1995&to=1995", [("rbtc", "_T"), ("undp", "_T"), ("trust-funds", "_T"), ("unfpa", "_T")]),
        ("by=region&by=total&from=1995&to=1995", [("_T", r) for r in REGIONS] + [("_T", "_T")]),
    ],
)
def test_csv_wide_has_the_long_layouts_series_each_once(client, ilo_data, query, codes):
    # The long layout's rows pivoted: a TOTAL row only with by=total, and a series two breakdowns show
    # (the total of source=undp is UNDP's by-source row) one row.
    wide = csv_rows(client.get(f"/expenditure.csv?{query}&layout=wide"))
    long = csv_rows(client.get(f"/expenditure.csv?{query}"))
    assert [(row[0], row[2]) for row in wide[1:]] == codes
    assert {(row[2], row[4]) for row in long[1:]} == set(codes)


def test_csv_wide_of_a_series_the_total_also_shows_has_the_totals_values(client, ilo_data):
    rows = csv_rows(client.get("/expenditure.csv?by=source&by=total&value=share&source=trust-funds&layout=wide"))
    assert rows[1][:6] == ["trust-funds", "Trust funds and multi-bi", "_T", "All regions", "37.8", "rounded"]
    assert rows[1][10:] == [
        "42.590300", "published", "51.524671", "published", "54.040556", "published", "62.199109", "published"
    ]  # fmt: skip


@pytest.mark.parametrize("layout", ["wide", "long"])
def test_xlsx_about_sheet_counts_a_value_two_breakdowns_show_once(client, ilo_data, layout):
    url = f"/fr/expenditure.xlsx?by=source&by=total&source=trust-funds&value=share&layout={layout}"
    about = workbook(client.get(url))["About"].iter_rows(values_only=True)
    notes = [value for label, value in about if label == "Note"]
    trust_funds = "Fonds de dépôt et financement multi-bilatéral"
    assert notes[0] == (
        f"1 valeur arrondie : 1990 ({trust_funds}). Indiquée arrondie dans le texte du document "
        "(par exemple « 2,2 millions de dollars »), pas dans un tableau."
    )
    assert notes[1].startswith(f"1990 ({trust_funds}) : indiquée comme part (GB.270/TC/2, para. 18) ;")


@pytest.mark.parametrize(
    "query", ["by=source", "by=region&from=1990&to=1997", "by=source&value=share&from=1993&to=1994"]
)
def test_csv_wide_has_a_header_that_csv_sniffer_finds(client, ilo_data, query):
    text = body(client.get(f"/expenditure.csv?layout=wide&{query}")).decode()
    assert csv.Sniffer().has_header(text)


def test_csv_with_share_carries_the_share_column(client, ilo_data):
    rows = csv_rows(client.get("/expenditure.csv?by=source&from=1995&to=1995&value=share"))
    assert rows[0][-3:] == ["note", "unit", "share_percent"]
    assert [(row[2], row[7], row[-1]) for row in rows[1:]] == [
        ("rbtc", "12426", "11.003276"),
        ("undp", "31211", "27.637474"),
        ("trust-funds", "61028", "54.040556"),
        ("unfpa", "8266", "7.319578"),
    ]


def test_csv_for_excel_has_a_bom_and_french_names_survive(client, ilo_data):
    response = client.get("/expenditure.csv?by=source&from=1995&to=1995&bom=1&lang=fr")
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbfmeasure,")
    assert "trust-funds,Fonds de dépôt et financement multi-bilatéral,_T,Toutes régions,_T,61028".encode() in data


def test_csv_neutralises_a_document_that_is_a_formula_and_xlsx_writes_it_as_a_string(client, ilo_data):
    publish_hostile_document()
    rows = csv_rows(client.get("/expenditure.csv?from=1998&to=1998"))
    assert rows[1][7:10] == ["100000", "provisional", "'" + HYPERLINK]
    data = b"".join(client.get("/expenditure.xlsx?from=1998&to=1998").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(data))
    cell = sheet["Data"]["J2"]
    assert (cell.value, cell.data_type) == (HYPERLINK, "s")
    about = list(sheet["About"].iter_rows(values_only=True))
    assert ("Document", HYPERLINK) in about
    # An inline string is never run as a formula: every text cell of both sheets is one, none a formula.
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [book.read(f"xl/worksheets/sheet{n}.xml").decode() for n in (1, 2)]
    for xml in sheets:
        assert "<f>" not in xml and 't="str"' not in xml and 't="s"' not in xml
        kinds = re.findall(r'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?(?: t="(\w+)")?', xml)
        assert kinds and set(kinds) <= {"inlineStr", "n"}
        assert f't="inlineStr"><is><t>{HYPERLINK}</t></is></c>' in xml


def test_xlsx_has_a_numeric_data_sheet_and_an_about_sheet(client, ilo_data, django_assert_num_queries):
    with django_assert_num_queries(5):  # the live generation (twice), code lists, figures, releases cited
        response = client.get("/expenditure.xlsx?by=total&from=1990&to=1996")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="tcdash-expenditure-total-1990-1996.xlsx"'
    book = workbook(response)
    assert book.sheetnames == ["Data", "About"]
    data = list(book["Data"].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[7], row[8]) for row in data] == [
        (1991, 170000, "approximate"),
        (1993, 148670, "published"),
        (1994, 113631, "published"),
        (1995, 112930, "published"),
        (1996, 98167, "published"),
    ]
    assert {cell.data_type for row in book["Data"].iter_rows(min_row=2, min_col=8, max_col=8) for cell in row} == {"n"}
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Title"] == "ILO technical cooperation expenditure, 1990-1996"
    assert about["Reproduce"] == "http://testserver/expenditure.xlsx"  # canonical: the default years left out
    assert about["Release"].startswith(f"{ilo_data.pk}: ILO published figures shipped with tcdash (published ")


@pytest.mark.parametrize(
    ("url", "reproduce", "all_sources"),
    [
        ("/expenditure.xlsx?from=1995&lang=fr", "Reproduire", "Toutes sources"),
        ("/es/expenditure.xlsx?from=1995", "Reproducir", "Todas las fuentes"),
        ("/fr/expenditure.xlsx?from=1995&lang=en", "Reproduce", "All sources"),
    ],
)
def test_xlsx_about_sheet_is_in_the_files_language_as_its_data_sheet(client, ilo_data, url, reproduce, all_sources):
    # `lang=` names the file's language, over the address's: both sheets are in it.
    book = workbook(client.get(url))
    about = dict(book["About"].iter_rows(values_only=True))
    assert about[reproduce] == f"http://testserver{url}"
    assert [row[3] for row in book["Data"].iter_rows(min_row=2, values_only=True)] == [all_sources] * 2


def test_about_sheet_notes_the_marks_of_the_values_the_file_shows(client, ilo_data):
    # 1990 Europe is stated rounded ($2.2 million), but 1990 has no total amount: its share is an empty
    # cell, so the share file does not note its mark; the amounts file does.
    def notes(url):
        about = workbook(client.get(url))["About"].iter_rows(values_only=True)
        return [value for label, value in about if label == "Note" and "rounded" in value]

    assert notes("/expenditure.xlsx?by=region&from=1990&to=1991&layout=wide") == [
        "1 value rounded: 1990 (Europe). Stated rounded in the text of the document (for example '$2.2 million'), "
        "not in a table."
    ]
    assert notes("/expenditure.xlsx?by=region&from=1990&to=1991&layout=wide&value=share") == []


def test_xlsx_writes_fractional_amounts_exactly(client, ilo_data):
    rows = [
        {"measure": "expenditure", "year": 1998, "source": "_T", "region": "_T", "amount": 98_166_999, "document": "D"},
    ]
    publish_release(title="fraction", rows=rows, checksum="fraction")
    csv_line = csv_rows(client.get("/expenditure.csv?from=1998&to=1998"))[1]
    assert csv_line[7] == "98166.999"
    cell = workbook(client.get("/expenditure.xlsx?from=1998&to=1998"))["Data"]["H2"]
    assert (cell.value, cell.data_type) == (98166.999, "n")


def test_json_keeps_its_rows_and_adds_the_meta_block(client, ilo_data):
    response = client.get("/expenditure.json?by=region&from=1990&to=1990")
    payload = response.json()
    assert payload["measure"] == "expenditure"
    assert payload["unit"] == "usd-thousands"
    assert payload["rows"] == [
        {
            "measure": "expenditure",
            "year": 1990,
            "source": None,
            "region": "europe",
            "input_type": None,
            "amount": 2200,
            "unit": "usd-thousands",
            "status": "rounded",
            "document": "GB.270/TC/2 (Nov 1997), para. 20",
        }
    ]
    meta = payload["meta"]
    assert meta["title"] == "ILO technical cooperation expenditure by region, 1990"
    assert meta["url"] == "http://testserver/expenditure.json?to=1990&by=region"
    assert meta["releases"][0]["id"] == ilo_data.pk
    assert meta["documents"] == [
        {
            "document": "GB.270/TC/2 (Nov 1997), para. 20",
            "url": "http://ilo.org/public/english/standards/relm/gb/docs/gb270/tc-2.htm",
        }
    ]
    assert meta["notes"][0].startswith("1 value rounded: 1990 (Europe).")
    assert "Content-Disposition" not in response


def test_json_cites_only_the_releases_behind_its_rows(client, ilo_data):
    release = publish_hostile_document(year=1999)
    assert [r["id"] for r in client.get("/expenditure.json?from=1999&to=1999").json()["meta"]["releases"]] == [
        release.pk
    ]
    assert [r["id"] for r in client.get("/expenditure.json?from=1993&to=1994").json()["meta"]["releases"]] == [
        ilo_data.pk
    ]


def test_a_share_view_cites_the_releases_of_its_stated_shares_and_of_the_totals_they_are_of(client, ilo_data):
    # 1990 by source has no amounts: only shares, stated in GB.270/TC/2 (a measure of their own).
    def releases(url):
        return [r["id"] for r in client.get(url).json()["meta"]["releases"]]

    assert releases("/expenditure.json?by=source&from=1990&to=1990&value=share") == [ilo_data.pk]
    assert releases("/expenditure.json?by=source&from=1990&to=1990") == []
    shares = [
        {"measure": "expenditure-share", "year": 1990, "source": source, "region": "_T", "amount": amount}
        for source, amount in (("undp", 44_900), ("rbtc", 9_700))
    ]
    restated, _ = publish_release(title="1990 shares restated", rows=shares, checksum="s" * 64)
    total = {"measure": "expenditure", "year": 1996, "source": "_T", "region": "_T", "amount": 114_000_000}
    total_release, _ = publish_release(title="1996 total restated", rows=[total], checksum="t" * 64)
    assert releases("/expenditure.json?by=source&from=1990&to=1990&value=share") == [ilo_data.pk, restated.pk]
    # A share of 1996 is of its published total: the release of that total is behind it too.
    assert releases("/expenditure.json?by=source&from=1996&to=1996&value=share&source=undp") == [
        ilo_data.pk,
        total_release.pk,
    ]
    assert releases("/expenditure.json?by=source&from=1996&to=1996&source=undp") == [ilo_data.pk]


@pytest.mark.parametrize("url", TWINS)
def test_twins_answer_400_naming_the_bad_parameter(client, db, url):
    response = client.get(url + "?from=19x5&colour=red")
    assert response.status_code == 400
    if url.endswith(".json"):
        assert response.json()["errors"] == [
            "Unknown parameter 'colour'.",
            "Parameter 'from' must be a year such as 1990, not '19x5'.",
        ]
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode() == (
            "Bad request:\n- Unknown parameter 'colour'.\n- Parameter 'from' must be a year such as 1990, not '19x5'.\n"
        )


def test_export_twins_name_bad_export_options(client, db):
    response = client.get("/expenditure.csv?layout=tall&bom=yes&lang=de&dialect=excel-de&by=nothing")
    assert response.status_code == 400
    assert response.content.decode().splitlines() == [
        "Bad request:",
        "- Unknown by 'nothing'. Known codes: total, source, region, source-region, input_type.",
        "- Unknown layout 'tall'. Known: long, wide.",
        "- Unknown bom 'yes'. Known: 0, 1.",
        "- Unknown lang 'de'. Known: en, fr, es.",
        "- Unknown dialect 'excel-de'. Known: plain, excel-fr.",
    ]


@pytest.mark.parametrize("query", ["bom=1", "bom=0", "dialect=excel-fr", "dialect=plain"])
def test_xlsx_refuses_csv_options_by_name(client, ilo_data, query):
    response = client.get("/approvals.xlsx?layout=wide&" + query)
    name = query.split("=")[0]
    assert response.status_code == 400
    assert response.content.decode() == (
        f"Bad request:\n- Parameter '{name}' does not apply to .xlsx files; .xlsx takes layout, lang.\n"
    )


def test_xlsx_names_bad_options_after_the_filters(client, db):
    response = client.get("/approvals.xlsx?layout=tall&bom=yes&by=nothing")
    assert response.content.decode().splitlines() == [
        "Bad request:",
        "- Unknown by 'nothing'. Known codes: total, source, region, source-region, input_type.",
        "- Parameter 'bom' does not apply to .xlsx files; .xlsx takes layout, lang.",
        "- Unknown layout 'tall'. Known: long, wide.",
    ]


def test_csv_excel_fr_dialect_has_a_byte_order_mark_unless_bom_is_0(client, ilo_data):
    # Every combination the OpenAPI description allows is answered (schemathesis checks it).
    def first_bytes(query):
        response = client.get(f"/expenditure.csv?{query}")
        assert response.status_code == 200
        return b"".join(response.streaming_content)[:11]

    assert first_bytes("dialect=excel-fr") == first_bytes("dialect=excel-fr&bom=1") == b"\xef\xbb\xbfmeasure;"
    assert first_bytes("dialect=excel-fr&bom=0") == b"measure;yea"


@pytest.mark.parametrize(
    ("name", "formats"), [("layout", ".csv or .xlsx"), ("lang", ".csv or .xlsx"), ("bom", ".csv"), ("dialect", ".csv")]
)
def test_json_twin_refuses_export_options_naming_the_formats_that_take_them(client, db, name, formats):
    # `bom` and `dialect` are CSV only: .xlsx refuses them too, so the message names .csv alone.
    response = client.get(f"/expenditure.json?{name}=1")
    assert response.status_code == 400
    assert response.json()["errors"] == [f"Parameter '{name}' does not apply to .json files; use it with {formats}."]


def test_json_twin_names_the_formats_that_take_an_option_in_french(client, db):
    response = client.get("/fr/expenditure.json?bom=1&layout=wide")
    assert response.json()["errors"] == [
        "Le paramètre « layout » ne s'applique pas aux fichiers .json ; utilisez-le avec .csv ou .xlsx.",
        "Le paramètre « bom » ne s'applique pas aux fichiers .json ; utilisez-le avec .csv.",
    ]


@pytest.mark.parametrize(
    ("path", "unit"),
    [
        ("/expenditure.json?value=share", "USD thousands; share of the year's total, per cent"),
        ("/fr/expenditure.json?value=share", "milliers de dollars É.-U. ; part du total de l'année, en pourcentage"),
        (
            "/es/expenditure.json?value=change",
            "miles de dólares EE.UU.; variación respecto del año anterior, en porcentaje",
        ),
    ],
)
def test_json_twin_writes_the_unit_of_a_share_or_change_with_the_languages_list_separator(client, ilo_data, path, unit):
    assert client.get(path).json()["meta"]["unit"] == unit


def test_twins_refuse_post(client, db):
    assert client.post("/expenditure.csv").status_code == 405


def test_openapi_describes_every_twin_and_its_parameters(client, db):
    response = client.get("/api/openapi.json")
    spec = response.json()
    assert spec["openapi"] == "3.1.0"
    open_data = [
        "/datapackage.json",
        "/datapackage.zip",
        "/datapackage/data/{measure}.csv",
        "/sdmx/data/{flow}",
        "/sdmx/data/{flow}/{key}",
        "/sdmx/data/{flow}/{key}/{provider}",
        "/sdmx/{structure}",
        "/sdmx/{structure}/{agency}",
        "/sdmx/{structure}/{agency}/{id}",
        "/sdmx/{structure}/{agency}/{id}/{version}",
    ]
    assert sorted(spec["paths"]) == sorted([*TWINS, *open_data, "/api/openapi.json"])
    assert [p["name"] for p in spec["paths"]["/expenditure.json"]["get"]["parameters"]] == [
        "from",
        "to",
        "by",
        "source",
        "region",
        "input_type",
        "group",
        "value",
        "year",
    ]
    assert [p["name"] for p in spec["paths"]["/approvals.csv"]["get"]["parameters"]][-4:] == [
        "layout",
        "lang",
        "bom",
        "dialect",
    ]
    assert spec["servers"] == [{"url": "http://testserver/"}]


def test_json_does_not_cite_a_release_of_countries_under_a_region_it_does_not_show(client, ilo_data):
    from funding.models import Region
    from funding.services import publish_release

    Region.objects.create(code="kenya", name="Kenya", parent=Region.objects.get(code="africa"), colour="#000000")
    row = {"measure": "expenditure", "year": 1995, "source": "_T", "region": "kenya", "amount": 1_000_000}
    countries, _ = publish_release(title="countries", rows=[row], checksum="k" * 64)
    by_region = client.get("/expenditure.json?by=region&from=1995&to=1995").json()
    assert [r["id"] for r in by_region["meta"]["releases"]] == [ilo_data.pk]
    kenya = client.get("/expenditure.json?by=region&region=kenya&from=1995&to=1995").json()
    assert [r["id"] for r in kenya["meta"]["releases"]] == [countries.pk]


def test_openapi_enums_come_from_the_code_lists_and_the_vocabulary(client, db):
    from funding.models import Region

    Region.objects.create(code="kenya", name="Kenya", parent=Region.objects.get(code="africa"), colour="#000000")
    spec = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in spec["paths"]["/expenditure.json"]["get"]["parameters"]}
    assert parameters["source"]["items"]["enum"] == ["rbtc", "undp", "trust-funds", "unfpa", "multi-bi"]
    assert sorted(parameters["region"]["items"]["enum"]) == [
        "africa",
        "arab-states",
        "asia-pacific",
        "europe",
        "interregional",
        "kenya",
        "latin-america-caribbean",
    ]
    assert client.get("/expenditure.json?region=kenya").status_code == 200  # what the enum lists is accepted
    assert spec["components"]["schemas"]["Row"]["properties"]["status"]["enum"] == [
        "published",
        "derived",
        "provisional",
        "rounded",
        "estimated",
        "approximate",
    ]
    assert spec["paths"]["/approvals.json"]["get"]["summary"].startswith(
        "ILO extra-budgetary technical cooperation approvals"
    )


def test_file_names_differ_per_layout_language_bom_and_dialect(client, ilo_data):
    names = {}
    for query in ("", "layout=wide", "lang=fr", "bom=1", "layout=wide&lang=fr&bom=1", "dialect=excel-fr"):
        response = client.get("/expenditure.csv?by=source&" + query)
        names[query] = response["Content-Disposition"].removeprefix('attachment; filename="').removesuffix('"')
    assert names == {
        "": "tcdash-expenditure-by-source-1990-1996.csv",
        "layout=wide": "tcdash-expenditure-by-source-1990-1996-wide.csv",
        "lang=fr": "tcdash-expenditure-by-source-1990-1996-fr.csv",
        "bom=1": "tcdash-expenditure-by-source-1990-1996-bom.csv",
        "layout=wide&lang=fr&bom=1": "tcdash-expenditure-by-source-1990-1996-wide-fr-bom.csv",
        "dialect=excel-fr": "tcdash-expenditure-by-source-1990-1996-excel-fr.csv",
    }
    wide_fr = client.get("/expenditure.xlsx?by=source&layout=wide&lang=fr")
    assert (
        wide_fr["Content-Disposition"] == 'attachment; filename="tcdash-expenditure-by-source-1990-1996-wide-fr.xlsx"'
    )


def test_excel_fr_csv_has_semicolons_decimal_commas_and_a_bom(client, ilo_data):
    response = client.get("/expenditure.csv?by=source&from=1995&to=1995&value=share&lang=fr&dialect=excel-fr")
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbfmeasure;year;source;source_name;")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    trust_funds = next(row for row in rows if row[2] == "trust-funds")
    assert trust_funds[3] == "Fonds de dépôt et financement multi-bilatéral"
    assert (trust_funds[1], trust_funds[7], trust_funds[-1]) == ("1995", "61028", "54,040556")


def publish_countries(count, *, years=range(1990, 2015)):
    """`count` countries under Africa, each with a value for every source and year: a view of many rows."""
    from funding.models import Region

    africa = Region.objects.get(code="africa")
    Region.objects.bulk_create(
        [
            Region(code=f"c-{n}", name=f"Country {n}", parent=africa, order=100 + n, colour="#000000")
            for n in range(count)
        ]
    )
    rows = [
        {"measure": "expenditure", "year": year, "source": source, "region": f"c-{n}", "amount": 1000 * n + year}
        for n in range(count)
        for source in ("rbtc", "undp", "trust-funds", "unfpa")
        for year in years
    ]
    rows[0]["status"] = "provisional"
    rows[1]["document"] = "GB.999/TC/1"
    return publish_release(title="countries", rows=rows, checksum="c" * 64)[0]


def test_a_large_json_view_streams_and_says_what_the_whole_document_would(client, ilo_data):
    publish_countries(60)
    url = "/expenditure.json?by=source-region&from=1990&to=2014&" + "&".join(f"region=c-{n}" for n in range(60))
    response = client.get(url)
    assert response.streaming and response["Content-Type"] == "application/json"
    chunks = list(response.streaming_content)
    assert len(chunks) > 5 and max(len(chunk) for chunk in chunks[:-1]) < 64 * 1024 + 500  # the last has meta
    document = json.loads(b"".join(chunks))
    assert list(document) == ["measure", "unit", "rows", "meta"]
    assert len(document["rows"]) == 6000
    assert document["rows"][0] == {
        "measure": "expenditure",
        "year": 1990,
        "source": "rbtc",
        "region": "c-0",
        "input_type": None,
        "amount": 1.99,  # 1,990 dollars
        "unit": "usd-thousands",
        "status": "provisional",
        "document": "",
    }
    # The meta of the streamed rows is the meta of all of them: every note and document is there.
    assert [d["document"] for d in document["meta"]["documents"]] == ["GB.999/TC/1"]
    assert any(note.startswith("1 value provisional: ") for note in document["meta"]["notes"])


def test_a_large_xlsx_export_streams_its_rows_and_its_about_sheet_cites_all_of_them(client, ilo_data):
    # The rows are written as they come from the database cursor; the About sheet, written last, is
    # read off the rows it cites (about_witnesses) and says what it says of the whole view.
    publish_countries(60)
    url = "/expenditure.xlsx?by=source-region&from=1990&to=2014&" + "&".join(f"region=c-{n}" for n in range(60))
    book = workbook(client.get(url))
    data = list(book["Data"].iter_rows(values_only=True))
    assert len(data) == 1 + 6000
    assert data[1][:3] == ("expenditure", 1990, "rbtc") and data[1][7] == 1.99
    about = {}
    for label, value in book["About"].iter_rows(values_only=True):
        about.setdefault(label, []).append(value)
    assert about["Document"] == ["GB.999/TC/1"]
    assert [note for note in about["Note"] if note.startswith("1 value provisional: ")] != []


def test_a_small_json_view_is_one_piece_in_the_same_order(client, ilo_data):
    response = client.get("/expenditure.json?by=total&from=1995&to=1995")
    assert not response.streaming
    document = json.loads(response.content)
    assert list(document) == ["measure", "unit", "rows", "meta"]
    assert document["rows"][0]["amount"] == 112930


def test_xlsx_carries_the_stated_shares_and_the_recipients_with_their_unit(client, ilo_data):
    data = workbook(client.get("/expenditure.xlsx?by=source&from=1990&to=1990&value=share"))["Data"]
    header = [c.value for c in data[1]]
    undp = dict(zip(header, [c.value for c in data[3]], strict=True))
    assert (undp["measure"], undp["source"], undp["amount_usd_thousands"], undp["share_percent"]) == (
        "expenditure-share",
        "undp",
        None,
        45.9,
    )
    assert (undp["unit"], undp["status"], undp["document"]) == (
        "percent-of-total",
        "rounded",
        "GB.270/TC/2 (Nov 1997), para. 18",
    )
    recipients = workbook(client.get("/recipients.xlsx"))
    rows = [[c.value for c in row] for row in recipients["Data"].iter_rows(min_row=1)]
    assert rows[0][7] == "countries"
    assert [(r[1], r[7], r[12]) for r in rows[1:]] == [(1990, 134, "countries"), (1995, 151, "countries")]
    about = {row[0].value: row[1].value for row in recipients["About"].iter_rows() if row[0].value}
    assert about["Unit"] == "Countries"


def test_recipients_csv_names_its_value_column_countries(client, ilo_data):
    rows = csv_rows(client.get("/recipients.csv"))
    assert rows[0][6:9] == ["country_group", "countries", "status"]
    assert [(row[1], row[7], row[12]) for row in rows[1:]] == [
        ("1990", "134", "countries"),
        ("1995", "151", "countries"),
    ]


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_an_of_which_rows_note_is_english_in_every_language_as_the_notes_are(client, ilo_data, prefix):
    # The note is English, as every note in the files is; it named the parent in the file's language
    # ("of which: part of Fonds de dépôt et financement multi-bilatéral, not added to it").
    header, *rows = csv_rows(client.get(f"{prefix}/expenditure.csv?source=trust-funds"))
    notes = {row[1]: row[header.index("note")] for row in rows if row[2] == "multi-bi"}
    assert notes == {
        "1990": "of which: part of Trust funds and multi-bi, not added to it; "
        "stated as about $40 million, excluding the Associate Expert Programme",
        "1996": "of which: part of Trust funds and multi-bi, not added to it; "
        "stated as about $52 million, excluding the Associate Expert Programme",
    }
    data = workbook(client.get(f"{prefix}/expenditure.xlsx?source=trust-funds"))["Data"]
    header = [cell.value for cell in data[1]]
    assert [row[header.index("note")] for row in data.iter_rows(min_row=2, values_only=True)][-2:] == [
        notes["1990"],
        notes["1996"],
    ]


def test_meta_and_about_sheet_describe_one_year_as_the_title_names_it(client, ilo_data):
    # The filters in words said "Years 1990-1990" (French "Années 1990-1990") under a title of 1990.
    meta = client.get("/expenditure.json?by=region&from=1990&to=1990").json()["meta"]
    assert meta["title"] == "ILO technical cooperation expenditure by region, 1990"
    assert meta["description"].startswith("Years 1990; breakdown: by region;")
    french = client.get("/fr/expenditure.json?from=1993&to=1996").json()["meta"]
    assert french["description"].startswith("Années 1993-1996 ; ventilation : total ;")
    about = dict(workbook(client.get("/es/expenditure.xlsx?from=1995&to=1995"))["About"].iter_rows(values_only=True))
    assert about["Filtros"].startswith("Años 1995; desglose: total;")


@pytest.mark.parametrize(
    ("lang", "value", "notes"),
    [
        (
            "en",
            "value: number of countries",
            [
                "Values are numbers of countries, as stated in the documents.",
                "A year with no data is absent (an empty cell in the wide layout), never zero.",
                "A count of countries is not a sum: a country can receive technical cooperation from several "
                "sources and in several years, so never add counts together.",
            ],
        ),
        (
            "fr",
            "valeur : nombre de pays",
            [
                "Les valeurs sont des nombres de pays, tels qu'indiqués dans les documents.",
                "Une année sans données est absente (une cellule vide dans la disposition large), jamais zéro.",
                "Un nombre de pays n'est pas une somme : un pays peut bénéficier de la coopération technique de "
                "plusieurs sources et sur plusieurs années ; n'additionnez donc jamais ces nombres.",
            ],
        ),
        (
            "es",
            "valor: número de países",
            [
                "Los valores son números de países, tal como los indican los documentos.",
                "Un año sin datos está ausente (una celda vacía en la disposición ancha), nunca es cero.",
                "Un número de países no es una suma: un país puede recibir cooperación técnica de varias fuentes "
                "y en varios años; por eso nunca sume estos números.",
            ],
        ),
    ],
)
def test_recipients_meta_and_about_sheet_speak_of_countries_not_dollars(client, ilo_data, lang, value, notes):
    prefix = "" if lang == "en" else f"/{lang}"
    meta = client.get(f"{prefix}/recipients.json").json()["meta"]
    about = list(workbook(client.get(f"{prefix}/recipients.xlsx"))["About"].iter_rows(values_only=True))
    assert meta["description"].endswith(value)
    assert meta["notes"] == notes
    assert [text for _, text in about if text in notes] == notes
    assert next(text for _, text in about if text == meta["description"])
    everything = json.dumps(meta, ensure_ascii=False) + json.dumps(about, ensure_ascii=False)
    assert not any(word in everything for word in ("dollars", "dólares", "money", "fonds :", "fondos"))


@pytest.mark.parametrize(
    "url",
    [
        "/expenditure.json?source=%00undp",
        "/approvals.xlsx?region=%C2%9AQ%00X",
        "/expenditure.csv?input_type=%5C%F3%B0%8F%9C%00",
        "/expenditure/?source=und%00p&region=africa",
        "/expenditure/history/?year=1995&source=%00",
    ],
)
def test_a_nul_or_other_non_code_in_a_member_parameter_is_a_400_naming_it(client, ilo_data, url):
    # Found by the fuzz test on PostgreSQL, which refuses a NUL in a query: such a value never reaches
    # the database; it is an unknown code like any other, named in the answer.
    response = client.get(url)
    assert response.status_code == 400
    assert "Unknown" in response.content.decode()


def test_json_codes_a_sum_of_chosen_members_as_the_csv_does_never_as_the_total(client, ilo_data):
    regions = client.get("/expenditure.json?region=africa&region=europe&from=1993&to=1993").json()
    assert [(r["source"], r["region"], r["amount"], r["status"]) for r in regions["rows"]] == [
        (None, "africa+europe", 66231, "derived")  # the published total of 1993 is 148,670
    ]
    assert "1 value derived: 1993 (Sum of 2 regions: Africa, Europe)." in regions["meta"]["notes"][0]
    sources = client.get("/expenditure.json?source=trust-funds&source=undp&from=1995&to=1995").json()["rows"]
    assert [(r["source"], r["region"], r["amount"]) for r in sources] == [("trust-funds+undp", None, 92239)]
    rows = csv_rows(client.get("/expenditure.csv?source=trust-funds&source=undp&from=1995&to=1995"))
    assert rows[1][2:4] == ["trust-funds+undp", "Sum of 2 sources: Trust funds and multi-bi, UNDP"]
    assert rows[1][11] == "sum of 2 sources"
    french = csv_rows(client.get("/expenditure.csv?source=trust-funds&source=undp&from=1995&to=1995&lang=fr"))
    assert french[1][3] == "Somme de 2 sources : Fonds de dépôt et financement multi-bilatéral, PNUD"


@pytest.mark.parametrize("query", ["source=undp", "source=trust-funds&source=undp"])
def test_every_format_gives_a_chosen_sources_share_of_the_published_total(client, ilo_data, query):
    """JSON, CSV (long and wide) and XLSX give the same shares, each of the year's published total: UNDP
    39.5% in 1993 alone or beside trust funds (it was 100%, and 48.1% beside trust funds), and the row
    summing the chosen sources its share of the total (83.7% in 1990, 82.0% in 1993), never 100%."""
    view = f"by=source&by=total&value=share&from=1990&to=1993&{query}"
    json_rows = client.get(f"/expenditure.json?{view}").json()["rows"]
    shares = {(r["year"], r["source"]): r["share"] for r in json_rows}
    assert shares[(1990, "undp")] == 45.9 and shares[(1993, "undp")] == 39.457187
    summed = "undp" if query == "source=undp" else "trust-funds+undp"
    assert shares[(1990, summed)] == (45.9 if summed == "undp" else 83.7)
    assert shares[(1993, summed)] == (39.457187 if summed == "undp" else 82.047487)
    long = csv_rows(client.get(f"/expenditure.csv?{view}"))
    assert {(int(r[1]), r[2]): float(r[-1]) for r in long[1:]} == shares
    sheet = workbook(client.get(f"/expenditure.xlsx?{view}"))["Data"]
    cells = list(sheet.iter_rows(values_only=True))
    assert {(r[1], r[2]): float(r[-1]) for r in cells[1:]} == shares
    wide = csv_rows(client.get(f"/expenditure.csv?{view}&layout=wide"))
    last = dict(zip(wide[0], wide[-1], strict=True))  # the TOTAL row last: here the sum of the chosen
    assert last["source"] == summed
    assert (float(last["share_1990"]), float(last["share_1993"])) == (shares[(1990, summed)], shares[(1993, summed)])


@pytest.mark.parametrize("value", ["amount", "share"])
def test_a_total_that_is_the_one_chosen_source_is_one_row_of_the_file(client, ilo_data, value):
    # by=source&by=total&source=undp: UNDP's row of the sources is the view's total; a page draws
    # both figures, a file gives the value once (twice, it could not be uploaded back).
    query = f"by=source&by=total&source=undp&from=1995&to=1996&value={value}"
    rows = client.get(f"/expenditure.json?{query}").json()["rows"]
    assert [(r["year"], r["source"], r["amount"]) for r in rows] == [(1995, "undp", 31211), (1996, "undp", 23531)]
    lines = b"".join(client.get(f"/expenditure.csv?{query}").streaming_content).decode().splitlines()
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["expenditure", "1995", "undp"],
        ["expenditure", "1996", "undp"],
    ]
    # The page still draws the sources and the total: UNDP's 1995 amount in both tables.
    page = parse(client.get(f"/expenditure/?{query.replace('value=share', 'value=amount')}"))
    for table in ("figure-1-table", "figure-2-table"):
        assert "31,211" in words(page.xpath(f'//table[@id="{table}"]')[0]).split(), table


def test_two_breakdowns_giving_the_same_cells_are_one_row_each_in_the_file(client, ilo_data):
    # UNDP in Africa's least developed countries: by source (one chosen) and by region (one chosen)
    # are the same cells; the JSON gives each value once, as the first breakdown's row.
    query = "by=source&by=region&group=ldc&region=africa&source=undp&from=1993&to=1995"
    rows = client.get(f"/expenditure.json?{query}").json()["rows"]
    assert [(r["year"], r["source"], r["region"], r["amount"]) for r in rows] == [
        (1993, "undp", "africa", 18035),
        (1994, "undp", "africa", 12639),
        (1995, "undp", "africa", 11621),
    ]


@pytest.mark.parametrize(
    ("path", "language", "name"),
    [
        ("/expenditure.csv?lang=fr", "fr", "tcdash-expenditure-total-1990-1996-fr.csv"),
        ("/fr/expenditure.csv?lang=en", "en", "tcdash-expenditure-total-1990-1996.csv"),
        ("/es/expenditure.xlsx", "es", "tcdash-expenditure-total-1990-1996-es.xlsx"),
    ],
)
def test_a_file_says_the_language_it_is_in(client, ilo_data, path, language, name):
    response = client.get(path)
    assert response["Content-Language"] == language
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_a_french_pages_download_links_name_the_files_as_the_server_does(client, ilo_data):
    page = parse(client.get("/fr/expenditure/"))
    for link in page.xpath('//a[@data-format="csv" or @data-format="xlsx"]'):
        served = client.get(link.get("href"))["Content-Disposition"]
        assert served == f'attachment; filename="{link.get("download")}"', link.get("href")


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_a_count_of_countries_has_no_share(client, ilo_data, fmt):
    # 134 recipient countries were "100%" of themselves; counts are never added up, so no share is.
    response = client.get(f"/recipients.{fmt}?value=share")
    assert response.status_code == 400
    assert "A count of countries has no share" in response.content.decode()
    assert client.get(f"/recipients.{fmt}?value=change").status_code == 200


def _header(client, url):
    """The header of the CSV (either dialect) or of the XLSX's Data sheet at `url`."""
    response = client.get(url)
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/csv"):
        text = body(response).decode("utf-8-sig")
        return next(csv.reader(io.StringIO(text), delimiter=";" if "dialect=excel-fr" in url else ","))
    return [cell.value for cell in next(workbook(response)["Data"].iter_rows(max_row=1))]


@pytest.mark.parametrize(
    "url",
    [
        "/recipients.csv",
        "/recipients.csv?dialect=excel-fr",
        "/fr/recipients.csv?bom=1",
        "/recipients.xlsx?lang=es",
        "/recipients.csv?layout=wide",
        "/recipients.csv?layout=wide&dialect=excel-fr",
        "/es/recipients.csv?layout=wide",
        "/recipients.xlsx?layout=wide",
        "/fr/recipients.xlsx?layout=wide&from=1995&to=1995",
    ],
)
def test_every_export_of_the_recipient_countries_names_its_values_countries(client, ilo_data, url):
    # A count of countries is never in a column that says it is an amount (of thousands of US dollars).
    header = _header(client, url)
    assert not [column for column in header if column.startswith("amount")]
    if "layout=wide" in url:
        years = range(1995, 1996) if "from=1995" in url else range(1990, 1997)
        assert header[4:] == [name for year in years for name in (f"countries_{year}", f"status_{year}")]
    else:
        assert header[7] == "countries" and header[-1] == "unit"


def test_the_wide_layout_names_each_measures_values_as_the_long_layout_does(client, ilo_data):
    def wide(url):
        return _header(client, url)[4:6]

    assert wide("/expenditure.csv?layout=wide&from=1995&to=1995") == ["amount_1995", "status_1995"]
    assert wide("/approvals.xlsx?layout=wide&from=1995&to=1995") == ["amount_1995", "status_1995"]
    assert wide("/recipients.csv?layout=wide&from=1995&to=1995") == ["countries_1995", "status_1995"]
    assert wide("/recipients.csv?layout=wide&from=1995&to=1995&value=change") == ["change_1995", "status_1995"]
    assert wide("/expenditure.csv?layout=wide&from=1995&to=1995&value=share") == ["share_1995", "status_1995"]


def test_the_json_and_the_data_package_say_the_recipient_countries_are_countries(client, ilo_data):
    payload = client.get("/recipients.json").json()
    assert {row["unit"] for row in payload["rows"]} == {payload["unit"]} == {"countries"}
    package = client.get("/datapackage.json").json()
    [resource] = [r for r in package["resources"] if r["name"] == "recipients"]
    fields = [field["name"] for field in resource["schema"]["fields"]]
    assert "countries" in fields and not [name for name in fields if name.startswith("amount")]
    header = body(client.get("/datapackage/data/recipients.csv")).decode().splitlines()[0].split(",")
    assert header == fields


def test_the_openapi_description_names_each_measures_columns(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in ("/recipients.csv", "/recipients.xlsx"):
        words = paths[path]["get"]["description"]
        assert "region_name, country_group, countries, status" in words
        assert "then for each year countries_YEAR and status_YEAR (share_YEAR or change_YEAR" in words
        assert "amount" not in words
    for path in ("/expenditure.csv", "/approvals.xlsx"):
        words = paths[path]["get"]["description"]
        assert "region_name, country_group, amount_usd_thousands, status" in words
        assert "then for each year amount_YEAR and status_YEAR" in words
    french = client.get("/fr/api/openapi.json").json()["paths"]["/recipients.csv"]["get"]["description"]
    assert "puis pour chaque année countries_YEAR et status_YEAR" in french
