"""Uploads in the layouts staff already hold: the ILO's appendix tables as printed, and the wide export."""

from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook

from funding.importers import APPENDIX, WIDE, ReadOptions, column_letter
from funding.models import Observation, Release
from funding.services import (
    check_upload,
    create_draft,
    left_as_on_record_words,
    publish_draft,
    share_summary,
    tables_as_read,
)
from tests.appendix_tables import GB267_A, GB267_A_FR, GB273_A, GB273_B, csv_bytes, edited, xlsx_bytes
from tests.factories import live

SWISS, SPACED = "1'234.5", "1 234.5"


def tally(counts):
    """The preview's counts as new, changed (amount, status or provenance) and unchanged."""
    return {kind: counts[kind] for kind in ("new", "changed", "unchanged")}


def state():
    """Everything an upload could write: releases (drafts too) and every value with its provenance."""
    values = Observation.objects.order_by("pk").values_list(
        "pk", "amount", "status", "document", "document_url", "note", "is_current"
    )
    return Release.objects.count(), list(values)


def check(data, name, number_format="1,234.5", **options):
    return check_upload(data=data, file_name=name, number_format=number_format, options=ReadOptions(**options))


def changed_cells(result):
    return sorted(change.row["cell"] for change in result.of_kind("changed"))


# --- The printed tables, uploaded onto the loaded data -------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "number_format", "values", "shares"),
    [
        (csv_bytes(GB273_A, GB273_B), "gb273.csv", SWISS, 33, 48),
        (xlsx_bytes({"Table A": GB273_A, "Table B": GB273_B}), "gb273.xlsx", SWISS, 33, 48),
        (csv_bytes(GB267_A), "gb267.csv", SPACED, 33, 48),
        (xlsx_bytes({"Appendix I": GB267_A}, as_numbers=True), "gb267.xlsx", SPACED, 33, 48),
    ],
)
def test_printed_appendix_tables_restate_the_loaded_data_unchanged(ilo_data, data, name, number_format, values, shares):
    before = state()
    result = check(data, name, number_format)
    assert result.problems == []
    assert result.layout == APPENDIX
    assert len(result.tables) == 2
    assert [t.dimension for t in result.tables] == ["source", "region"]
    assert [t.measure for t in result.tables] == ["expenditure", "expenditure"]
    # 5 sources and 6 regions for 3 years; the two TOTAL rows are one cell, stored once.
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": values}
    assert len(result.share_checks) == shares
    assert all(c["ok"] for c in result.share_checks)
    assert share_summary(result) == f"{shares} printed shares and changes compared with the amounts: all consistent."
    assert state() == before


def test_a_printed_table_is_read_cell_by_cell_at_its_addresses(ilo_data):
    result = check(csv_bytes(GB273_A), "gb273.csv", SWISS)
    table = result.tables[0]
    assert table.header_address == "B5"
    assert "Table A. Expenditure on technical cooperation by source of funds" in table.title
    undp = table.rows[1]
    assert (undp["row"], undp["label"], undp["code"]) == (8, "UNDP (1)", "undp")
    cells = {c["address"]: c for c in undp["cells"]}
    assert (cells["B8"]["text"], cells["B8"]["dollars"]) == ("31'211", 31_211_000)
    assert (cells["C8"]["printed"], cells["C8"]["computed"], cells["C8"]["ok"]) == (
        Decimal("27.6"),
        Decimal("27.6"),
        True,
    )
    assert (cells["H8"]["kind"], cells["H8"]["base_year"], cells["H8"]["computed"]) == ("change", 1996, Decimal("32.7"))
    assert [n["row"] for n in table.notes] == [12, 13]
    view = tables_as_read(result)[0]
    assert [c["heading"] for c in view["columns"]] == [
        "1995 $",
        "1995 % share",
        "1996 $",
        "1996 % share",
        "1997 $",
        "1997 % share",
        "1997 % change",
    ]
    first = view["rows"][0]["cells"]
    assert first[0] == {
        "address": "B7",
        "kind": "amount",
        "written": "12'426",
        "read": "12,426",
        "live": "12,426",
        "state": "unchanged",
        "note": "",
    }
    assert first[1]["state"] == "ok" and first[1]["note"] == "computed 11.0%"


def test_one_amount_altered_changes_exactly_that_cell_and_flags_its_printed_share(ilo_data):
    altered = edited(GB273_A, {(7, 3): "25'531"})  # UNDP 1996, printed 23'531
    before = state()
    result = check(csv_bytes(altered, GB273_B), "gb273.csv", SWISS)
    assert tally(result.counts) == {"new": 0, "changed": 1, "unchanged": 32}
    assert changed_cells(result) == ["D8"]
    assert [str(p) for p in result.problems] == [
        "Row 11, column D: D11: The expenditure figures by sources of funds for 1996 add up to 100,167, but the "
        "total is 98,167: a difference of 2,000, more than the rounding tolerance of 1.",
        "Row 8, column E: E8: the printed share 24.0% does not match 26.0%, the share of 25,531 in the TOTAL "
        "98,167 (to 1 decimal, as printed).",
        "Row 8, column H: H8: the printed change 32.7% does not match 22.3%, the change from 25,531 in 1996 to "
        "31,225 in 1997 (to 1 decimal, as printed).",
    ]
    flagged = [c["where"] for c in result.share_checks if not c["ok"]]
    assert flagged == ["E8", "H8"]
    check_, draft = create_draft(data=csv_bytes(altered), file_name="gb273.csv", number_format=SWISS)
    assert draft is None and not check_.ok
    assert state() == before


def test_a_printed_table_lowering_trust_funds_below_the_multi_bilateral_programme_is_refused(ilo_data):
    # 1996: 11,059 moved from trust funds to UNDP, the total unchanged; shares and changes left
    # unprinted. Trust funds at 50,000 are less than the live 52,000 of the programme that is part of them.
    unprinted = {(7, 4): "..", (8, 4): "..", (7, 7): "..", (8, 7): ".."}
    altered = edited(GB273_A, {(7, 3): "34'590", (8, 3): "50'000", **unprinted})
    before = state()
    result = check(csv_bytes(altered), "gb273.csv", SWISS)
    assert [str(p) for p in result.problems] == [
        "Row 9, column D: D9: Expenditure 1996, Multi-bilateral programme (52,000) is more than Expenditure 1996, "
        'Trust funds and multi-bi (50,000), which it is part of: an "of which" figure cannot be larger than '
        "the figure it is part of. (Values not in the file are the live ones.)"
    ]
    assert check(csv_bytes(edited(GB273_A, unprinted)), "gb273.csv", SWISS).problems == []
    assert state() == before


def test_a_french_table_is_matched_by_its_french_names(ilo_data):
    result = check(csv_bytes(GB267_A_FR), "gb267-fr.csv", SPACED)
    assert result.problems == []
    assert [row["code"] for row in result.tables[0].rows] == ["rbtc", "undp", "trust-funds", "unfpa", "_T"]
    assert result.tables[0].measure == "expenditure"
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 15}


@pytest.mark.parametrize(
    ("title", "measure"),
    [
        ("Cuadro A. Gastos de cooperación técnica por región, 1999", "expenditure"),
        ("Cuadro A. Aprobaciones extrapresupuestarias por región, 1999", "approvals"),
        ("Tableau A. Approbations par région, 1999", "approvals"),
    ],
)
def test_a_table_titled_in_spanish_or_french_says_its_measure(ilo_data, title, measure):
    table = [[title], ["", "1999"], ["África", "40"], ["Europa", "3"]]
    result = check(csv_bytes(table), "cuadro.csv")
    assert result.problems == []
    assert [(r["measure"], r["region"], r["amount"]) for r in result.rows] == [
        (measure, "africa", 40_000),
        (measure, "europe", 3_000),
    ]


def test_a_spanish_table_is_matched_by_its_spanish_names(ilo_data):
    table = [
        ["Expenditure by region, 1999"],
        ["", "1999", "1999 % share"],
        ["África (1)", "40", "40.0"],
        ["Asia y el Pacífico", "30", "30.0"],
        ["America Latina y el Caribe", "20", "20.0"],
        ["Estados Árabes, Oriente Medio", "5", "5.0"],
        ["Europa", "3", "3.0"],
        ["Interregional y mundial", "2", "2.0"],
        ["TOTAL", "100", "100.0"],
    ]
    result = check(csv_bytes(table), "gastos.csv")
    assert result.problems == []
    assert [(r["region"], r["amount"]) for r in result.rows] == [
        ("africa", 40_000),
        ("asia-pacific", 30_000),
        ("latin-america-caribbean", 20_000),
        ("arab-states", 5_000),
        ("europe", 3_000),
        ("interregional", 2_000),
        ("_T", 100_000),
    ]


def test_two_sheets_are_one_release_and_their_totals_must_agree(ilo_data):
    region = edited(GB273_B, {(10, 1): "112'931"})  # the by-region TOTAL for 1995, against 112'930 by source
    result = check(xlsx_bytes({"By source": GB273_A, "By region": region}), "gb273.xlsx", SWISS)
    assert result.sheets == ["By source", "By region"]
    assert [str(p) for p in result.problems if "the same figure" in p.message] == [
        "Row 11, column B: sheet 'By region', B11: 112,931 for 1995, but sheet 'By source', B11 gives the same "
        "figure as 112,930 (both are the total of the year)."
    ]
    agreeing = check(xlsx_bytes({"By source": GB273_A, "By region": GB273_B}), "gb273.xlsx", SWISS)
    view = tables_as_read(agreeing)[1]
    total = view["rows"][-1]["cells"][0]
    assert (total["state"], total["note"]) == ("same", "as sheet 'By source', B11")


def test_a_table_published_from_the_form_takes_its_measure_status_and_document(ilo_data):
    table = edited(GB273_A)
    table[2] = ["Table A. By source of funds, 1995-1997"]  # the title no longer names the measure
    table[3] = ["(in thousands of US dollars)"]
    data = csv_bytes(table)
    unknown = check(data, "a.csv", SWISS)
    assert [str(p) for p in unknown.problems] == [
        "Row 5, column B: B5: This table does not say whether it holds expenditure or approvals (its title "
        "names neither): choose the measure when uploading (the Measure field; --measure on the command line)."
    ]
    result = check(
        data,
        "a.csv",
        SWISS,
        measure="expenditure",
        status="provisional",
        document="GB.273/TC/1 (Nov 1998) Appendix I table A, retyped",
        document_url="https://www.ilo.org/gb273-tc-1",
    )
    assert result.problems == []
    # What the preview compares and publishes: the file's row with what it leaves open kept as on record.
    row = next(c.row for c in result.changes if c.row.get("cell") == "B7")
    assert (row["status"], row["document"], row["document_url"], row["note"]) == (
        "provisional",
        "GB.273/TC/1 (Nov 1998) Appendix I table A, retyped",
        "https://www.ilo.org/gb273-tc-1",
        "published table; share 11.0%; identical value in GB.267/TC/1 App I (Nov 1996)",
    )
    assert result.counts["changed"] == 15  # the status of every value changes


@pytest.mark.parametrize(
    ("table", "number_format", "title"),
    [
        (GB273_A, SWISS, "Table A. Expenditure on technical cooperation by source of funds, 1995-1997"),
        (GB267_A_FR, SPACED, "Tableau A. Dépenses de coopération technique par origine des fonds, 1993-1995"),
    ],
)
def test_a_table_whose_title_names_one_measure_refuses_the_other_chosen_on_the_form(
    ilo_data, table, number_format, title
):
    data = csv_bytes(table)
    before = state()
    result = check(data, "a.csv", number_format, measure="approvals")
    assert [str(p) for p in result.problems] == [
        f"Row 5, column B: B5: The table's title (“{title}”) says it holds Expenditure, but the measure "
        "chosen (the Measure field; --measure on the command line) is Extra-budgetary approvals: choose the measure "
        "the title says (or none)."
    ]
    assert result.rows == []
    assert state() == before
    assert check(data, "a.csv", number_format, measure="expenditure").problems == []


# --- What cannot be read is said, with its cell --------------------------------------------------


def _problems(data, name="bad.csv", number_format=SWISS):
    before = state()
    result = check(data, name, number_format)
    _, draft = create_draft(data=data, file_name=name, number_format=number_format)
    assert draft is None
    assert state() == before
    return [str(p) for p in result.problems]


def test_a_label_that_matches_no_code_is_named_with_the_closest_codes(ilo_data):
    table = edited(GB273_A, {(7, 0): "UNPD (1)", (9, 0): "FNUPA"})
    assert _problems(csv_bytes(table)) == [
        "Row 8, column A: A8: 'UNPD (1)' is neither a source of funds nor the TOTAL. Closest: undp (UNDP), "
        "unfpa (UNFPA).",
        "Row 10, column A: A10: 'FNUPA' is neither a source of funds nor the TOTAL. Closest: unfpa (UNFPA).",
    ]


def test_a_year_heading_that_is_not_a_year_is_named(ilo_data):
    table = edited(GB273_A, {(4, 3): "1996a"})
    assert _problems(csv_bytes(table)) == [
        "Row 5, column D: D5: The heading '1996a' is not a year; write the year as four digits, such as 1995."
    ]


def test_a_row_neither_member_nor_total_is_named(ilo_data):
    table = edited(GB273_A)
    table.insert(10, ["Sub-total extra-budgetary", "100'505", "89.0%", "91'209", "92.9%", "90'614", "83.6%", ""])
    assert _problems(csv_bytes(table)) == [
        "Row 11, column A: A11: 'Sub-total extra-budgetary' is neither a source of funds nor the TOTAL. Known "
        "codes: rbtc (Regular budget (RBTC)), undp (UNDP), trust-funds (Trust funds and multi-bi), unfpa (UNFPA), "
        "multi-bi (Multi-bilateral programme)."
    ]


def test_a_merged_cell_is_named(ilo_data):
    data = xlsx_bytes({"Table A": GB273_A}, merge={"Table A": ["B5:C5"]})
    assert _problems(data, "merged.xlsx") == [
        "Row 5, column B: sheet 'Table A', B5: B5:C5 is a merged cell. Unmerge it: write a year once, in the "
        "first column it heads, and one figure a cell."
    ]


def test_an_amount_above_a_trillion_dollars_is_named_at_its_cell_with_the_limit(ilo_data):
    # UNDP's 1995 amount typed as 1e300 written out (301 digits): refused at B8, its digits not echoed.
    table = edited(GB273_A, {(7, 1): "1" + "0" * 300})
    assert _problems(csv_bytes(table)) == [
        "Row 8, column B: B8: The amount is more than 1,000,000,000 thousand US dollars (a trillion dollars), the "
        "largest accepted: no real figure comes near it."
    ]
    with translation.override("es"):
        problems = check(xlsx_bytes({"Cuadro A": edited(GB273_A, {(7, 1): 1e300})}), "a.xlsx", SWISS).problems
    assert [problem.message for problem in problems] == [
        (
            "hoja 'Cuadro A', B8: El importe supera 1.000.000.000 miles de dólares de los Estados Unidos (un billón de "
            "dólares), el máximo aceptado: ninguna cifra real se le acerca."
        )
    ]


def test_a_column_neither_amount_nor_share_nor_change_is_named(ilo_data):
    table = edited(GB273_A)
    for row in table[5:11]:
        row.append("")
    table[5][8] = "Remarks"
    table[7][8] = "see note"
    assert _problems(csv_bytes(table)) == [
        "Row 6, column I: I6: The column 'Remarks' is neither an amount ($) nor a share (% share) nor a change "
        "(% change); remove it or name it as one of them."
    ]


def test_a_note_beside_the_table_under_no_heading_is_named_at_its_cell(ilo_data):
    # "checked" typed beside UNDP's row, in a column with no heading (hidden, often): the problem named
    # only the empty heading I5 and spoke of figures, so the cell to clear could not be found.
    table = edited(GB273_A)
    for row in table[4:11]:
        row.append("")
    table[7][8] = "checked"
    assert _problems(csv_bytes(table)) == [
        "Row 5, column I: I5: This column has no heading, but I8 under it holds 'checked': give the column a year "
        "(and $ or % share), or clear it."
    ]
    with translation.override("fr"):
        [problem] = check(xlsx_bytes({"Tableau A": table}), "a.xlsx", SWISS).problems
    assert problem.message == (
        "feuille 'Tableau A', I5 : Cette colonne n'a pas d'intitulé, mais I8 en dessous contient 'checked' : donnez "
        "à la colonne une année (et $ ou % part), ou videz-la."
    )


def test_a_number_in_another_format_is_named_with_the_format_to_choose(ilo_data):
    problems = _problems(csv_bytes(GB267_A), number_format="1,234.5")
    assert problems[0] == (
        "Row 7, column B: B7: '18 372' is not a number in the format 1,234.5. It would be a number in the format "
        "1 234,5: choose that format."
    )


# --- The wide export, uploaded unchanged ---------------------------------------------------------


WIDE_VIEWS = [
    "/expenditure.csv?by=source&from=1993&to=1997&layout=wide",
    "/expenditure.csv?by=region&from=1990&to=1997&layout=wide&lang=fr&bom=1",
    "/expenditure.csv?by=source-region&group=ldc&from=1993&to=1995&layout=wide",
    "/expenditure.csv?by=source&by=region&from=1993&to=1997&layout=wide&dialect=excel-fr",
    "/expenditure.csv?by=total&by=source&by=region&from=1990&to=1997&layout=wide",
    "/approvals.csv?from=1990&to=1996&layout=wide",
    "/expenditure.xlsx?by=source&from=1993&to=1997&layout=wide",
    "/expenditure.xlsx?by=region&group=ldc&from=1993&to=1995&layout=wide",
    "/fr/expenditure.xlsx?source=undp&region=africa&group=ldc&from=1993&to=1995&layout=wide",
    "/expenditure.csv?by=input_type&from=1994&to=1995&layout=wide",
    "/expenditure.xlsx?input_type=training&from=1994&to=1995&layout=wide",
    "/recipients.csv?layout=wide",
]


def _download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    name = response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data, name


@pytest.mark.parametrize("url", WIDE_VIEWS)
def test_a_wide_export_uploaded_unchanged_has_nothing_to_publish(ilo_data, client, url):
    data, name = _download(client, url)
    before = state()
    result = check(data, name)
    assert result.problems == []
    assert result.layout == WIDE
    assert result.counts["new"] == result.counts["changed"] == 0
    assert result.counts["unchanged"] > 0
    assert state() == before


@pytest.mark.parametrize(
    "url",
    ["/recipients.csv", "/recipients.xlsx", "/fr/recipients.csv?dialect=excel-fr", "/datapackage/data/recipients.csv"],
)
def test_a_recipient_countries_export_with_its_countries_column_uploads_back_with_nothing_to_publish(
    ilo_data, client, url
):
    data, name = _download(client, url)
    before = state()
    result = check(
        data, name if "datapackage" not in url else "recipients.csv", "1.234,5" if "excel-fr" in url else "1,234.5"
    )
    assert result.problems == []
    assert (result.counts["new"], result.counts["changed"], result.counts["unchanged"]) == (0, 0, 2)
    assert state() == before


def test_a_wide_export_takes_the_measure_from_the_form_when_renamed(ilo_data, client):
    data, _ = _download(client, "/approvals.csv?from=1990&to=1996&layout=wide")
    assert [str(p) for p in check(data, "figures.csv").problems] == [
        "Row 1, column A: A1: The file does not say which measure it holds (expenditure, approvals or "
        "recipient countries): choose the measure when uploading (the Measure field; --measure on the command "
        "line)."
    ]
    result = check(data, "figures.csv", measure="approvals")
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 4}


def test_a_renamed_wide_workbook_says_its_measure_and_group_on_its_about_sheet(ilo_data, client):
    data, _ = _download(client, "/approvals.xlsx?from=1990&to=1996&layout=wide")
    assert tally(check(data, "figures.xlsx").counts) == {"new": 0, "changed": 0, "unchanged": 4}
    data, _ = _download(client, "/expenditure.xlsx?by=source&group=ldc&from=1993&to=1995&layout=wide")
    result = check(data, "figures.xlsx")
    assert {row["country_group"] for row in result.rows} == {"ldc"}
    assert result.counts["new"] == result.counts["changed"] == 0


@pytest.mark.parametrize(
    ("url", "renamed"),
    [
        ("/fr/expenditure.xlsx?source=undp&region=africa&group=ldc&from=1993&to=1995&layout=wide", "donnees.xlsx"),
        ("/es/expenditure.xlsx?source=undp&region=africa&group=ldc&from=1993&to=1995&layout=wide", "datos.xlsx"),
        ("/expenditure.csv?source=undp&region=africa&group=ldc&from=1993&to=1995&layout=wide", "donnees.csv"),
    ],
)
def test_a_renamed_wide_export_of_the_least_developed_countries_keeps_its_group(ilo_data, client, url, renamed):
    # The CSV says its group in its country_group column; a workbook in any language on its About sheet too.
    data, _ = _download(client, url)
    before = state()
    result = check(data, renamed, measure="expenditure")
    assert result.problems == []
    assert {(row["country_group"], row["source"], row["region"]) for row in result.rows} == {("ldc", "undp", "africa")}
    assert sorted((row["year"], row["amount"]) for row in result.rows) == [
        (1993, 18_035_000),
        (1994, 12_639_000),
        (1995, 11_621_000),
    ]
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 3}
    assert state() == before


def test_a_wide_export_of_a_country_group_shows_its_total_row_as_the_total(ilo_data, client):
    data, name = _download(client, "/expenditure.csv?by=source&by=total&group=ldc&from=1993&to=1995&layout=wide")
    [table] = check(data, name).tables
    assert [(line["code"], line["is_total"]) for line in table.rows][-1] == ("_T / _T / ldc", True)
    assert not any(line["is_total"] for line in table.rows[:-1])


def test_a_wide_file_with_an_unknown_country_group_names_it_and_changes_nothing(ilo_data, client):
    data, name = _download(client, "/expenditure.csv?source=undp&region=africa&group=ldc&from=1993&to=1995&layout=wide")
    before = state()
    problems = [str(p) for p in check(data.replace(b",ldc,", b",ldcs,"), name).problems]
    assert problems[0].startswith("Row 2, column E: E2: Unknown country group 'ldcs'. ")
    assert state() == before


@pytest.mark.parametrize(
    "url",
    [
        "/expenditure.csv?source=trust-funds&from=1990&to=1997",
        "/fr/expenditure.csv?source=trust-funds&from=1990&to=1997&dialect=excel-fr",
        "/es/expenditure.xlsx?source=trust-funds&from=1990&to=1997",
    ],
)
def test_a_long_export_with_of_which_rows_uploads_back_with_their_notes_as_they_were(ilo_data, client, url):
    # Its multi-bi rows' notes begin with the export's "of which: part of ..., not added to it".
    data, name = _download(client, url)
    multi_bi = dict(Observation.objects.filter(source__code="multi-bi", is_current=True).values_list("year", "note"))
    before = state()
    result = check(data, name)
    assert result.problems == []
    assert {row["year"]: row["note"] for row in result.rows if row["source"] == "multi-bi"} == multi_bi
    assert sorted(multi_bi) == [1990, 1996]
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": len(result.rows)}
    assert state() == before


def test_a_wide_file_refuses_a_type_of_input_for_the_least_developed_countries_at_its_cell(ilo_data):
    data = (
        b"source,source_name,region,region_name,input_type,input_type_name,country_group,amount_1995,status_1995\n"
        b"_T,All sources,_T,All regions,experts,Experts,ldc,100,published\n"
        b"_T,All sources,_T,All regions,_T,All types of input,ldc,34122,published\n"
    )
    before = state()
    result = check(data, "ldc-by-type.csv", measure="expenditure")
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            2,
            "E",
            "E2: Types of input are published for all sources of funds, all regions and all countries only "
            "(GB.267/TC/1 Appendix II): no document gives a type of input by source of funds, by region or for "
            "the least developed countries. Give a type of input with _T as its source of funds, region and "
            "country group, or leave out the row.",
        )
    ]
    assert state() == before


def _cleared(data, cells):
    """A wide CSV export with the amount cells {(row of the file, column index): ""} emptied."""
    lines = data.decode().split("\r\n")
    for (row, column), value in cells.items():
        values = lines[row - 1].split(",")
        values[column] = value
        lines[row - 1] = ",".join(values)
    return "\r\n".join(lines).encode()


def test_a_wide_workbook_with_a_merged_amount_cell_is_refused_naming_it(ilo_data, client):
    # Merged down over UNDP's row, RBTC's 1993 amount shows in both; UNDP's cell holds nothing.
    data, name = _download(client, "/expenditure.xlsx?by=source&from=1993&to=1994&layout=wide")
    workbook = load_workbook(BytesIO(data))
    workbook["Data"].merge_cells("E2:E3")
    merged = BytesIO()
    workbook.save(merged)
    assert _problems(merged.getvalue(), name, "1,234.5") == [
        "Row 2, column E: sheet 'Data', E2: E2:E3 is a merged cell: only its first cell holds what it shows. "
        "Unmerge it, one figure a cell."
    ]
    with translation.override("fr"):
        [problem] = check(merged.getvalue(), name).problems
    assert problem.message == (
        "feuille 'Data', E2 : E2:E3 est une cellule fusionnée : seule sa première cellule contient ce qu'elle "
        "affiche. Annulez la fusion, un chiffre par cellule."
    )


def test_a_wide_export_with_emptied_amounts_says_they_are_left_as_on_record(ilo_data, client):
    data, name = _download(client, "/expenditure.csv?by=source&from=1993&to=1997&layout=wide")
    before = state()
    # G2: the regular budget's 1994 (9,294); K3: UNDP's 1996 (23,531).
    result = check(_cleared(data, {(2, 6): "", (3, 10): ""}), name)
    assert result.problems == []
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 18}
    assert result.nothing_to_publish
    assert [(c["where"], c["key"], c["live"]) for c in result.left_as_on_record] == [
        ("G2", ("expenditure", "_T", 1994, "rbtc", "_T", "_T"), 9_294_000),
        ("K3", ("expenditure", "_T", 1996, "undp", "_T", "_T"), 23_531_000),
    ]
    assert left_as_on_record_words(result) == (
        "2 empty cells are left as on record: a value is live in each, and an upload cannot delete a value "
        "(G2 (rbtc 1994), K3 (undp 1996))."
    )
    cells = {c["address"]: c for row in tables_as_read(result)[0]["rows"] for c in row["cells"]}
    assert (cells["G2"]["state"], cells["G2"]["live"], cells["G2"]["note"]) == (
        "missing",
        "9,294",
        "empty: left as on record",
    )
    with translation.override("fr"):
        assert left_as_on_record_words(result) == (
            "2 cellules vides sont laissées comme dans le registre : une valeur publiée figure dans chacune, et un "
            "téléversement ne peut pas supprimer une valeur (G2 (rbtc 1994), K3 (undp 1996))."
        )
    with translation.override("es"):
        assert left_as_on_record_words(result) == (
            "2 celdas vacías se dejan como constan en el registro: cada una tiene un valor publicado, y una carga "
            "no puede borrar un valor (G2 (rbtc 1994), K3 (undp 1996))."
        )
    assert state() == before


def test_a_wide_export_names_the_first_ten_empty_cells_left_as_on_record_and_counts_the_rest(ilo_data, client):
    data, name = _download(client, "/expenditure.csv?by=source&from=1993&to=1997&layout=wide")
    cleared = {(row, column): "" for row in (2, 3, 4) for column in (4, 6, 8, 10)}  # 1993-1996 of three sources
    result = check(_cleared(data, cleared), name)
    assert len(result.left_as_on_record) == 12
    assert left_as_on_record_words(result) == (
        "12 empty cells are left as on record: a value is live in each, and an upload cannot delete a value "
        "(E2 (rbtc 1993), G2 (rbtc 1994), I2 (rbtc 1995), K2 (rbtc 1996), E3 (undp 1993), G3 (undp 1994), "
        "I3 (undp 1995), K3 (undp 1996), E4 (trust-funds 1993), G4 (trust-funds 1994) and 2 more)."
    )


def test_a_wide_export_says_nothing_of_empty_cells_where_nothing_is_published(ilo_data, client):
    # 1990-1992 by source of funds were never published: their empty cells are "no figure".
    data, name = _download(client, "/expenditure.csv?by=source&from=1990&to=1996&layout=wide")
    result = check(data, name)
    assert result.problems == [] and result.nothing_to_publish
    assert result.left_as_on_record == [] and left_as_on_record_words(result) == ""
    cells = {c["address"]: c for row in tables_as_read(result)[0]["rows"] for c in row["cells"]}
    assert (cells["E2"]["state"], cells["E2"]["live"], cells["E2"]["note"]) == ("missing", "", "no figure")


def test_a_printed_dash_where_a_value_is_live_is_left_as_on_record_too(ilo_data):
    # GB.273/TC/1's regular budget for 1996 printed "-": a table cannot delete the live 6,958.
    table = edited(GB273_A, {(6, 3): "-", (6, 4): "-"})
    result = check(csv_bytes(table, GB273_B), "gb273.csv", SWISS)
    assert [(c["where"], c["live"]) for c in result.left_as_on_record] == [("D7", 6_958_000)]
    assert left_as_on_record_words(result) == (
        "1 empty cell is left as on record: a value is live there, and an upload cannot delete a value "
        "(D7 (rbtc 1996))."
    )


def test_a_wide_export_of_shares_is_refused(ilo_data, client):
    data, name = _download(client, "/expenditure.csv?by=source&value=share&layout=wide")
    assert [str(p) for p in check(data, name).problems] == [
        "Row 1, column A: A1: This export holds shares (value=share), not amounts: shares and changes are "
        "computed from the amounts, never uploaded. Export the view with the amounts (the default) instead."
    ]


def test_a_wide_file_of_recipient_countries_refuses_a_fractional_count_at_its_cell(ilo_data, client):
    data, name = _download(client, "/recipients.csv?layout=wide")
    before = state()
    result = check(data.replace(b",151,", b",151.5,"), name)
    assert [str(p) for p in result.problems] == [
        "Row 2, column O: O2: '151.5' is not a whole number: recipient countries are counted in whole countries."
    ]
    assert result.rows == []
    assert state() == before


def test_a_wide_file_of_recipient_countries_refuses_a_region_counting_more_than_all_regions(ilo_data, client):
    data, name = _download(client, "/recipients.csv?layout=wide")
    before = state()
    result = check(data + b"_T,All sources,africa,Africa,200,published,,,,,,,,,151,published,,\r\n", name)
    assert [str(p) for p in result.problems] == [
        "Row 3, column E: E3: The recipient countries for 1990 in Africa, 200, are more than those in all regions, "
        "134: no part can count more countries than its total, though the parts need not add up to it."
    ]
    assert state() == before
    # As many as all regions is possible (every recipient in Africa); the parts need not add up to the total.
    assert check(data + b"_T,All sources,africa,Africa,134,published,,,,,,,,,151,published,,\r\n", name).ok


@pytest.mark.parametrize(
    ("url", "renamed", "says"),
    [
        (
            "/expenditure.csv?by=source&from=1990&to=1996&layout=wide",
            None,
            "Row 1, column A: A1: The file's name says it holds Expenditure, but the measure chosen (the Measure "
            "field; --measure on the command line) is Extra-budgetary approvals: choose the measure the file says "
            "(or none), or rename the file if its name is wrong.",
        ),
        (
            "/expenditure.xlsx?by=source&from=1990&to=1996&layout=wide",
            "figures.xlsx",
            "Row 1, column A: sheet 'Data', A1: The file's About sheet (its Reproduce address) says it holds "
            "Expenditure, but the measure chosen (the Measure field; --measure on the command line) is "
            "Extra-budgetary approvals: choose the measure the file says (or none).",
        ),
    ],
)
def test_a_wide_export_refuses_a_measure_chosen_against_the_one_it_says(ilo_data, client, url, renamed, says):
    data, name = _download(client, url)
    before = state()
    result = check(data, renamed or name, measure="approvals")
    assert [str(p) for p in result.problems] == [says]
    assert result.rows == []
    assert state() == before
    assert check(data, renamed or name, measure="expenditure").problems == []


def test_a_corrected_wide_file_changes_exactly_the_corrected_cell(ilo_data, client):
    data, name = _download(client, "/expenditure.csv?by=source&from=1993&to=1997&layout=wide")
    corrected = data.replace(b",23531,", b",23530,")
    result = check(corrected, name)
    assert result.problems == []
    assert result.counts["changed"] == 1
    assert changed_cells(result) == ["K3"]  # amount_1996 of UNDP


def test_a_wide_file_whose_status_column_lost_its_amounts_is_refused_not_read_without_it(ilo_data, client):
    # UNDP's 1995 status corrected to provisional, and the column amount_1995 deleted beside it: the
    # status column was dropped unread, the correction lost, and the preview had "nothing to publish".
    data, name = _download(client, "/expenditure.csv?by=source&from=1993&to=1997&layout=wide")
    rows = [line.split(",") for line in data.decode().splitlines()]
    assert rows[0][8:10] == ["amount_1995", "status_1995"]
    rows[2][9] = "provisional"
    edited = "\r\n".join(",".join(row[:8] + row[9:]) for row in rows).encode()
    before = state()
    assert [str(p) for p in check(edited, name).problems] == [
        "Row 1, column I: I1: The column 'status_1995' has no column of values for 1995 (amount_1995), so its "
        "statuses would not be read: add that column, or remove this one."
    ]
    assert create_draft(data=edited, file_name=name)[1] is None
    assert state() == before
    with translation.override("es"):
        [problem] = check(edited, name).problems
    assert problem.message == (
        "I1: La columna 'status_1995' no tiene columna de valores para 1995 (amount_1995), así que sus estados no "
        "se leerían: añada esa columna, o quite esta."
    )


def test_a_wide_export_of_years_to_come_uploads_back_and_refuses_a_figure_given_for_one(ilo_data, client):
    # The explorer exports any range up to 2100; the wide reader took a column after next year for no year
    # ("The column 'amount_2028' is neither a code column of the wide export nor a year.").
    data, name = _download(client, "/expenditure.csv?by=source&by=total&from=1990&to=2049&layout=wide")
    before = state()
    result = check(data, name)
    assert result.problems == []
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 26}
    next_year = date.today().year + 1
    header = data.split(b"\r\n", 1)[0].decode().split(",")
    column = header.index("amount_2049")
    rows = data.split(b"\r\n")
    cells = rows[2].decode().split(",")  # UNDP
    cells[column] = "100"
    rows[2] = ",".join(cells).encode()
    result = check(b"\r\n".join(rows), name)
    address = f"{column_letter(column)}3"
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (3, column_letter(column), f"{address}: The year 2049 is outside 1950-{next_year}.")
    ]
    assert state() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_widest_export_uploads_back(ilo_data, client, fmt):
    # Every year tcdash keeps (1950-2100) is 306 columns (KT), within the 512 the upload page promises;
    # the wide and appendix reader kept limits of its own (200 columns, 20,000 rows), and the upload's
    # own (256) refused every wide export of more than 126 years.
    data, name = _download(client, f"/expenditure.{fmt}?by=source&by=total&from=1950&to=2100&layout=wide")
    if fmt == "xlsx":
        assert load_workbook(BytesIO(data))["Data"].max_column == 306
    result = check(data, name)
    assert result.problems == []
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 26}


def test_a_csv_header_wider_than_any_file_is_refused_before_its_rows_are_read(ilo_data):
    before = state()
    result = check(("a," * 2_000_000 + "a\n" + "1," * 2_000_000 + "1\n").encode(), "wide.csv")
    assert [p.message for p in result.problems] == [
        "The file's header has 2,000,001 columns; a file has at most 512. It was not read."
    ]
    assert state() == before


ONE_ROW = b"measure,year,source,region,amount_usd_thousands\nexpenditure,1995,undp,africa,1\n"


@pytest.mark.parametrize(
    "rows, records",
    [
        (b"expenditure,1995,undp,africa,1\n" * 200_000, "200,002"),  # 2.6 million such rows fit in 16 MB
        (b"\n" * 199_999, "200,001"),  # empty lines are a sheet's rows too
        (b",,,,\n" * 199_999, "200,001"),
    ],
)
def test_a_csv_longer_than_a_sheet_may_be_is_refused_before_its_rows_are_checked(ilo_data, rows, records):
    before = state()
    result = check(ONE_ROW + rows, "long.csv")
    assert [p.message for p in result.problems] == [
        f"The file has {records} rows; a file has at most 200,000. It was not read."
    ]
    assert state() == before


def test_a_csv_of_as_many_rows_as_a_sheet_may_hold_is_read(ilo_data):
    result = check(ONE_ROW + b",,,,\n" * 199_998, "long.csv")
    assert result.problems == []
    assert tally(result.counts) == {"new": 1, "changed": 0, "unchanged": 0}


# --- The command line --------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_figures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_figures_says_which_empty_cells_are_left_as_on_record(ilo_data, tmp_path):
    path = tmp_path / "gb273.csv"
    path.write_bytes(csv_bytes(edited(GB273_A, {(6, 3): "-", (6, 4): "-"}), GB273_B))
    out, _ = run(str(path), "--number-format", SWISS, "--dry-run")
    assert (
        "1 empty cell is left as on record: a value is live there, and an upload cannot delete a value "
        "(D7 (rbtc 1996))."
    ) in out.splitlines()


def test_import_figures_reads_an_appendix_table_with_its_options(ilo_data, tmp_path):
    path = tmp_path / "gb267.csv"
    path.write_bytes(csv_bytes(GB267_A))
    out, _ = run(str(path), "--dry-run", "--number-format", SPACED)
    assert out.splitlines() == [
        "gb267.csv: read as an appendix table as printed (years as columns, a TOTAL row): 2 tables.",
        "48 printed shares and changes compared with the amounts: all consistent.",
        "gb267.csv: 33 values: 0 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 33 unchanged.",
        "Nothing to publish: every value in the file is already live; nothing was changed.",
    ]
    before = state()
    out, _ = run(
        str(path),
        "--number-format",
        SPACED,
        "--measure",
        "expenditure",
        "--status",
        "provisional",
        "--document",
        "GB.267/TC/1 Appendix I",
        "--document-url",
        "https://www.ilo.org/gb267",
    )
    assert "gb267.csv: 33 values: 0 new, 33 changed (0 amounts, 33 statuses, 0 provenance only), 0 unchanged." in out
    value = live(1993, "undp")
    assert (value.status, value.document, value.document_url) == (
        3,
        "GB.267/TC/1 Appendix I",
        "https://www.ilo.org/gb267",
    )
    assert state()[0] == before[0] + 1


def test_import_figures_names_the_altered_cell_and_changes_nothing(ilo_data, tmp_path):
    altered = edited(GB267_A, {(7, 1): "58 961"})  # UNDP 1993, printed 58 661
    path = tmp_path / "gb267.csv"
    path.write_bytes(csv_bytes(altered))
    before = state()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="gb267.csv: 2 problem"):
        call_command("import_figures", str(path), "--number-format", SPACED, stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "gb267.csv: read as an appendix table as printed (years as columns, a TOTAL row): 2 tables.",
        "48 printed shares and changes compared with the amounts: 1 does not match (C8).",
        "gb267.csv: 33 values: 0 new, 1 changed (1 amounts, 0 statuses, 0 provenance only), 32 unchanged.",
        "Changed: B8.",
        "Restates published expenditure figures for 1993.",
    ]
    assert err.getvalue().splitlines() == [
        "Row 11, column B: B11: The expenditure figures by sources of funds for 1993 add up to 148,970, but the "
        "total is 148,670: a difference of 300, more than the rounding tolerance of 1.",
        "Row 8, column C: C8: the printed share 39.5% does not match 39.7%, the share of 58,961 in the TOTAL "
        "148,670 (to 1 decimal, as printed).",
    ]
    assert state() == before


def test_a_document_given_without_its_address_does_not_keep_the_old_documents(ilo_data):
    # The form's Document without a Document URL: the address on record is the old document's
    # (GB.273/TC/1's), and kept beside the new name it would link GB.999/TC/9 to GB.273/TC/1.
    gb273 = "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm"
    result = check(xlsx_bytes({"Table A": GB273_A}), "gb273.xlsx", SWISS, document="GB.999/TC/9 (Nov 2001)")
    assert result.problems == []
    change = next(c for c in result.changes if c.row.get("cell") == "sheet 'Table A', B7")
    assert (change.old.document_url, change.row["document"], change.row["document_url"]) == (
        gb273,
        "GB.999/TC/9 (Nov 2001)",
        "",
    )
    assert change.changed_fields == ("document", "document_url")
    # The same document named again keeps its address: the URL goes with its document, and only with it.
    same = check(xlsx_bytes({"Table A": GB273_A}), "gb273.xlsx", SWISS, document=change.old.document)
    assert {c.row["document_url"] for c in same.changes if c.row.get("cell") == "sheet 'Table A', B7"} == {gb273}
    draft = create_draft(
        data=xlsx_bytes({"Table A": GB273_A}),
        file_name="gb273.xlsx",
        number_format=SWISS,
        options=ReadOptions(document="GB.999/TC/9 (Nov 2001)"),
    )[1]
    publish_draft(release=draft)
    rbtc = live(1995, "rbtc")
    assert (rbtc.document, rbtc.document_url) == ("GB.999/TC/9 (Nov 2001)", "")


def test_a_file_in_the_template_layout_refuses_the_forms_status_and_document(ilo_data):
    # The template's own columns give each value's status and document (or, left out, what is on record):
    # the form's were silently not used, the preview saying "what is on record is kept" of a document
    # the editor had just typed in.
    long = b"measure,year,source,region,amount_usd_thousands\nexpenditure,1995,rbtc,_T,12426\n"
    result = check(long, "f.csv", status="estimated", document="GB.999/TC/9", document_url="https://www.ilo.org/x")
    assert [str(problem) for problem in result.problems] == [
        "The file is in the upload template's layout, whose status, document and document_url columns give "
        "each value's own (a column it leaves out keeps what is on record): status 'estimated'; document "
        "'GB.999/TC/9'; document_url 'https://www.ilo.org/x' would not be used. Leave them empty for this "
        "file, or write them in its columns."
    ]
    assert result.rows == []
    # A measure chosen in the form is no value's provenance: the file's measure column says it, and a
    # choice it contradicts is refused, naming both, not left unused.
    assert check(long, "f.csv", measure="expenditure").problems == []
    assert [str(problem) for problem in check(long, "f.csv", measure="approvals").problems] == [
        "The measure chosen, Extra-budgetary approvals, is not the file's: its measure column gives "
        "Expenditure. Choose the file's measure, or leave the measure as the file says."
    ]
    with translation.override("fr"):
        french = check(long, "f.csv", document="GB.999/TC/9").problems
    assert [str(problem) for problem in french] == [
        "Le fichier suit la disposition du modèle de téléversement, dont les colonnes status, document et "
        "document_url donnent ceux de chaque valeur (une colonne absente garde ce qui est dans le registre) : "
        "document 'GB.999/TC/9' ne serait pas utilisé. Laissez-le vide pour ce fichier, ou écrivez-le dans "
        "sa colonne."
    ]


def test_a_wide_file_whose_every_value_has_its_status_refuses_the_forms_status(ilo_data):
    # The form's Status is the status of a wide file's values whose status cell is empty; with none empty
    # it changed nothing, and the preview said 0 statuses changed of a file the editor had just marked
    # provisional.
    name = "tcdash-expenditure-by-source-1995-1995-wide.csv"
    wide = (
        b"source,source_name,region,region_name,amount_1995,status_1995\r\n"
        b"rbtc,Regular budget (RBTC),_T,All regions,12426,published\r\n"
        b"undp,UNDP,_T,All regions,31211,{undp}\r\n"
    )
    result = check(wide.replace(b"{undp}", b"published"), name, status="provisional")
    assert [str(problem) for problem in result.problems] == [
        "Every value of this file gives its own status (its status_YEAR columns), so the status chosen "
        "(provisional) would not be used. Leave the Status empty (--status on the command line), or write "
        "the status in those cells."
    ]
    # One status cell left empty: the form's Status is that value's.
    result = check(wide.replace(b"{undp}", b""), name, status="provisional")
    assert result.problems == []
    assert {c.row["source"]: c.row["status"] for c in result.changes} == {"rbtc": "published", "undp": "provisional"}


def test_import_figures_refuses_a_document_url_that_is_not_http(ilo_data, tmp_path):
    path = tmp_path / "gb267.csv"
    path.write_bytes(csv_bytes(GB267_A))
    with pytest.raises(CommandError, match="^--document-url: 'javascript:alert' is not a web address: "):
        run(str(path), "--document-url", "javascript:alert")


# --- The upload page ---------------------------------------------------------------------------


@pytest.fixture
def editor_client(db, client):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("propar")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def test_the_upload_page_keeps_the_form_options_with_the_draft_and_previews_the_table(ilo_data, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    table = edited(GB267_A_FR)
    table[2] = ["Tableau A. Par origine des fonds, 1993-1995"]  # no measure in the title
    response = editor_client.post(
        "/releases/upload/",
        {
            "file": SimpleUploadedFile("gb267-fr.csv", csv_bytes(table)),
            "number_format": SPACED,
            "measure": "expenditure",
            "status": "provisional",
            "document": "GB.267/TC/1 Annexe I",
            "document_url": "https://www.ilo.org/gb267-fr",
        },
    )
    draft = Release.objects.get(state=Release.State.DRAFT)
    assert response.status_code == 302 and response["Location"] == f"/releases/{draft.pk}/"
    assert draft.read_options == {
        "measure": "expenditure",
        "status": "provisional",
        "document": "GB.267/TC/1 Annexe I",
        "document_url": "https://www.ilo.org/gb267-fr",
    }
    page = editor_client.get(f"/releases/{draft.pk}/")
    assert tally(page.context["check"].counts) == {"new": 0, "changed": 15, "unchanged": 0}
    assert page.context["layout"] == "an appendix table as printed (years as columns, a TOTAL row): 1 table"
    cells = page.context["tables"][0]["rows"][0]["cells"]
    assert [(c["address"], c["written"], c["live"], c["state"]) for c in cells[:2]] == [
        ("B7", "18 372", "18,372", "changed"),
        ("C7", "12.4", "", "ok"),
    ]
    assert "provisional" in page.content.decode()


def test_the_draft_page_notes_the_empty_cells_left_as_on_record(ilo_data, client, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data, name = _download(client, "/expenditure.csv?by=source&from=1993&to=1997&layout=wide")
    # An emptied cell and a changed one (UNDP 1995: 31,211 -> 31,210 keeps the total within rounding).
    edited_file = _cleared(data, {(2, 6): "", (3, 8): "31210"})
    response = editor_client.post(
        "/releases/upload/", {"file": SimpleUploadedFile(name, edited_file), "number_format": "1,234.5"}
    )
    draft = Release.objects.get(state=Release.State.DRAFT)
    assert response.status_code == 302
    page = editor_client.get(f"/releases/{draft.pk}/")
    note = (
        "1 empty cell is left as on record: a value is live there, and an upload cannot delete a value "
        "(G2 (rbtc 1994))."
    )
    assert page.context["left_as_on_record"] == note
    assert note in " ".join(page.content.decode().split())
    assert tally(page.context["check"].counts) == {"new": 0, "changed": 1, "unchanged": 18}


def test_the_upload_page_refuses_a_document_url_that_is_not_http(ilo_data, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = editor_client.post(
        "/releases/upload/",
        {
            "file": SimpleUploadedFile("gb267.csv", csv_bytes(GB267_A)),
            "number_format": SPACED,
            "document_url": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"document_url": ["Enter a valid URL."]}
    assert Release.objects.filter(state=Release.State.DRAFT).count() == 0


# --- How a table is read -----------------------------------------------------------------------


def test_labels_match_by_code_name_or_part_of_it_ignoring_case_spacing_accents_and_markers(ilo_data):
    table = [
        ["Approvals of extra-budgetary technical cooperation by source of funds"],
        ["", "1999", "1999 % share"],
        ["  regular   BUDGET ", "10", "10.0"],
        ["undp", "20", "20.0"],
        ["Fonds de depot et financement multi-bilateral 2/", "60", "60.0"],
        ["FNUAP*", "10", "10.0"],
        ["Grand total:", "100", "100.0"],
    ]
    result = check(csv_bytes(table), "approvals.csv")
    assert result.problems == []
    assert [(r["source"], r["measure"], r["year"], r["amount"]) for r in result.rows] == [
        ("rbtc", "approvals", 1999, 10_000),
        ("undp", "approvals", 1999, 20_000),
        ("trust-funds", "approvals", 1999, 60_000),
        ("unfpa", "approvals", 1999, 10_000),
        ("_T", "approvals", 1999, 100_000),
    ]
    assert tally(result.counts) == {"new": 5, "changed": 0, "unchanged": 0}
    assert all(c["ok"] for c in result.share_checks) and len(result.share_checks) == 5


def test_a_table_without_total_checks_shares_against_its_rows_and_skips_what_is_not_printed(ilo_data):
    table = [
        ["Expenditure by type of input, 1998"],
        ["Type of input", "1998", "%"],
        ["Experts", "50", "50.0"],
        ["Other personnel", "-", ".."],
        ["Training", "25", "25.0"],
        ["Equipment", "25", "25.0"],
    ]
    result = check(csv_bytes(table), "inputs.csv")
    assert result.problems == []
    assert result.tables[0].dimension == "input_type"
    assert [(r["input_type"], r["amount"]) for r in result.rows] == [
        ("experts", 50_000),
        ("training", 25_000),
        ("equipment", 25_000),
    ]
    view = tables_as_read(result)[0]
    assert [c["state"] for c in view["rows"][1]["cells"]] == ["missing", "missing"]
    # Not every type of input is printed, so the shares are of nothing known: not checked, never guessed.
    assert [c["note"] for c in view["rows"][0]["cells"]] == ["", "not checked: no total"]


def gb273_as_typed_in_excel(cells=None):
    """GB.273/TC/1 Appendix I table A as Excel stores it when typed: "11.0%" as 0.11 with a percentage
    format, amounts as numbers; `cells` {"C8": (value, number format)} typed over."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(GB273_A, start=1):
        for c, text in enumerate(row, start=1):
            if r > 6 and c > 1 and text.endswith("%"):
                cell = sheet.cell(r, c, float(Decimal(text.rstrip("%")) / 100))
                cell.number_format = "0.0%"
            elif r > 6 and c > 1 and text:
                sheet.cell(r, c, int(text.replace("'", "")))
            elif text:
                sheet.cell(r, c, text)
    for address, (value, number_format) in (cells or {}).items():
        sheet[address] = value
        sheet[address].number_format = number_format
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_shares_typed_as_percentages_in_excel_are_read_as_the_percentages_shown(ilo_data):
    from decimal import Decimal as D

    result = check(gb273_as_typed_in_excel(), "gb273.xlsx")
    assert result.problems == []
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 15}
    shares = {c["address"]: (c["printed"], c["decimals"], c["ok"]) for c in result.share_checks}
    assert shares["C8"] == (D("27.6"), 1, True)
    assert shares["H9"] == (D("-11.5"), 1, True)
    assert len(shares) == 20 and all(ok for _, _, ok in shares.values())


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (1e300, "0.0%", "1e+300"),  # a format cannot show it: Decimal's quantize raised, a 500
        (-1e300, "0.0", "-1e+300"),
        (1e300, "General", "1e+300"),  # its 301 digits were printed in "the printed share ... does not match"
        (1e16, "General", "1e+16"),
        (5e7, "0.0%", "5000000000.0%"),  # as the cell shows it
    ],
)
def test_a_share_too_large_for_any_table_is_refused_as_a_figure_in_the_wrong_column(
    ilo_data, value, number_format, text
):
    before = state()
    result = check(gb273_as_typed_in_excel({"C8": (value, number_format)}), "gb273.xlsx")
    assert [str(p) for p in result.problems] == [
        f"Row 8, column C: sheet 'Sheet', C8: '{text}' is too large for a percentage (a share column for 1995): "
        "is it a figure typed in the wrong column?"
    ]
    assert state() == before


def test_a_share_is_read_to_the_decimals_its_number_format_shows_not_to_those_stored(ilo_data):
    # Shares worked out in the sheet store every digit (12,426 / 112,930 is 0.1100327...) and show what
    # their format says ("0.0%": 11.0%). What the table shows is what it prints: 0.07349 shows 7.3%, true
    # to one decimal of UNFPA's 7.3196% though it is wrong at the fifth (it was refused); 0.28 shows 28.0%,
    # wrong by 0.4 though right to the none decimals it stores (it was accepted).
    from decimal import Decimal as D

    from openpyxl import Workbook

    amounts = {r: [int(text.replace("'", "")) for text in GB273_A[r - 1][1:7:2]] for r in range(7, 12)}
    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(GB273_A, start=1):
        for c, text in enumerate(row, start=1):
            if r > 6 and c in (3, 5, 7) and r in amounts:
                cell = sheet.cell(r, c, amounts[r][c // 2 - 1] / amounts[11][c // 2 - 1])
                cell.number_format = "0.0%"
            elif r > 6 and c == 8 and r in amounts:
                cell = sheet.cell(r, c, amounts[r][2] / amounts[r][1] - 1)
                cell.number_format = "0.0%"
            elif r > 6 and c > 1 and text:
                sheet.cell(r, c, int(text.replace("'", "")))
            elif text:
                sheet.cell(r, c, text)
    sheet["C10"] = 0.07349
    sheet["C8"] = 0.28
    out = __import__("io").BytesIO()
    workbook.save(out)
    result = check(out.getvalue(), "gb273.xlsx")
    assert [str(p) for p in result.problems] == [
        "Row 8, column C: sheet 'Sheet', C8: the printed share 28.0% does not match 27.6%, the share of 31,211 in "
        "the TOTAL 112,930 (to 1 decimal, as printed).",
    ]
    shares = {c["address"]: (c["text"], c["printed"], c["decimals"], c["ok"]) for c in result.share_checks}
    assert shares["C7"] == ("11.0%", D("11.0"), 1, True)
    assert shares["C10"] == ("7.3%", D("7.3"), 1, True)
    assert shares["C8"] == ("28.0%", D("28.0"), 1, False)
    assert shares["H9"] == ("-11.5%", D("-11.5"), 1, True)
    assert len(shares) == 20 and [a for a, (_, _, _, ok) in shares.items() if not ok] == ["C8"]


def test_a_one_row_header_may_name_the_year_after_the_column(ilo_data):
    table = [
        ["Expenditure in $ thousands, 1996"],
        ["Source of funds", "$ 1996", "% share 1996", "US$ 1997", "% 1997"],
        ["Regular budget (RBTC)", "6'958", "7.1", "17'749", "16.4"],
        ["UNDP", "23'531", "24.0", "31'225", "28.8"],
        ["Trust funds and multi-bi", "61'059", "62.2", "54'023", "49.9"],
        ["UNFPA", "6'619", "6.7", "5'366", "5.0"],
        ["TOTAL", "98'167", "100.0", "108'363", "100.0"],
    ]
    result = check(csv_bytes(table), "a.csv", SWISS)
    assert result.problems == []
    assert result.tables[0].header_address == "B2"
    assert [(c.year, c.kind) for c in result.tables[0].columns] == [
        (1996, "amount"),
        (1996, "share"),
        (1997, "amount"),
        (1997, "share"),
    ]
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 10}


def test_a_year_heading_with_words_after_it_is_named(ilo_data):
    table = edited(GB273_A)
    table[4][5] = "1997 (provisional)"
    assert _problems(csv_bytes(table)) == [
        "Row 5, column F: F5: The heading '1997 (provisional)' is the year 1997 followed by '(provisional)', which "
        "is neither $ nor % share nor % change: write the year alone (a status is chosen when uploading)."
    ]


def test_a_change_from_a_year_not_in_the_table_is_checked_against_the_live_value(ilo_data):
    table = [
        ["Expenditure by source of funds, 1997"],
        ["", "1997", "", ""],
        ["", "$", "% share", "% change"],
        ["Regular budget (RBTC)", "17'749", "16.4", "155.1"],
        ["UNDP", "31'225", "28.8", "32.7"],
        ["Trust funds and multi-bi", "54'023", "49.9", "-11.5"],
        ["UNFPA", "5'366", "5.0", "-19.9"],  # printed -18.9 (5,366 against 6,619 in 1996)
        ["TOTAL", "108'363", "100.0", "10.4"],
    ]
    result = check(csv_bytes(table), "1997.csv", SWISS)
    assert [str(p) for p in result.problems] == [
        "Row 7, column D: D7: the printed change -19.9% does not match -18.9%, the change from 6,619 in 1996 to "
        "5,366 in 1997 (the live value of 1996) (to 1 decimal, as printed)."
    ]
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 5}
    assert share_summary(result) == "10 printed shares and changes compared with the amounts: 1 does not match (D7)."


def test_labels_may_add_words_in_parentheses_or_an_enumeration(ilo_data):
    table = [
        ["Expenditure by region, 1995"],
        ["", "1995"],
        ["1. Africa (incl. North Africa)", "42'498"],
        ["2. Asia and the Pacific (1)", "28'288"],
        ["3. Latin America and the Caribbean", "12'584"],
        ["4. Arab States, Middle East", "2'696"],
        ["5. Europe", "8'814"],
        ["6. Interregional and global", "18'051"],
        ["Total (excluding administrative expenditure)", "112'930"],
    ]
    result = check(csv_bytes(table), "b.csv", SWISS)
    assert result.problems == []
    assert [row["code"] for row in result.tables[0].rows] == [
        "africa",
        "asia-pacific",
        "latin-america-caribbean",
        "arab-states",
        "europe",
        "interregional",
        "_T",
    ]
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 7}


def test_a_merged_title_is_read_and_a_hidden_sheet_is_left_out_and_said(ilo_data):
    import io

    import openpyxl

    from funding.services import layout_words

    workbook = openpyxl.load_workbook(
        io.BytesIO(xlsx_bytes({"Table A": GB273_A, "Table B": GB273_B}, merge={"Table A": ["A3:H3"]}))
    )
    old = workbook.create_sheet("Old figures")
    old.append(["", "1995"])
    old.append(["UNDP", 5])
    old.sheet_state = "hidden"
    out = io.BytesIO()
    workbook.save(out)
    result = check(out.getvalue(), "appendix.xlsx", SWISS)
    assert result.problems == []
    assert tally(result.counts) == {"new": 0, "changed": 0, "unchanged": 33}
    assert layout_words(result) == (
        "an appendix table as printed (years as columns, a TOTAL row): 2 tables on sheets 'Table A', 'Table B'; "
        "hidden sheets not read: 'Old figures'"
    )
    # Each language writes its own colons and semicolons (French: a space before them).
    with translation.override("fr"):
        assert layout_words(result) == (
            "un tableau d'annexe tel qu'imprimé (années en colonnes, une ligne TOTAL) : 2 tableaux sur les feuilles "
            "'Table A', 'Table B' ; feuilles masquées non lues : 'Old figures'"
        )
    with translation.override("es"):
        assert layout_words(result) == (
            "un cuadro de anexo tal como se imprimió (años en columnas, una fila TOTAL): 2 cuadros en las hojas "
            "'Table A', 'Table B'; hojas ocultas no leídas: 'Old figures'"
        )


# GB.273/TC/1's table A for 1995-1996 as printed, with the 1996 TOTAL changed from 98 167 to 98 000.
WRONG_TOTAL_1996 = """Appendix I
"Table A. Expenditure on technical cooperation by source of funds, 1995-1996 (in thousands of US dollars)"
,1995,,1996,
,$,% share,$,% share
Regular budget (RBTC),12 426,11.0,6 958,7.1
UNDP (1),31 211,27.6,23 531,24.0
Trust Funds (2) and Multi-bi (3),61 028,54.0,61 059,62.2
UNFPA (4),8 266,7.3,6 619,6.7
TOTAL,112 930,100.0,98 000,100.0
"""


def test_a_wrong_total_of_a_printed_table_is_named_against_its_own_rows_and_the_live_ones_at_its_cell(ilo_data):
    before = state()
    result = check(WRONG_TOTAL_1996.encode(), "a.csv", SPACED)
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            9,
            "D",
            "D9: The expenditure figures by sources of funds for 1996 add up to 98,167, but the total is 98,000: a "
            "difference of 167, more than the rounding tolerance of 1.",
        ),
        (
            7,
            "E",
            "E7: the printed share 62.2% does not match 62.3%, the share of 61,059 in the TOTAL 98,000 (to 1 decimal, "
            "as printed).",
        ),
        (
            8,
            "E",
            "E8: the printed share 6.7% does not match 6.8%, the share of 6,619 in the TOTAL 98,000 (to 1 decimal, as "
            "printed).",
        ),
        (
            9,
            "D",
            "D9: The expenditure figures by regions for 1996 add up to 98,168, but the total is 98,000: a difference "
            "of 168, more than the rounding tolerance of 1. (Values not in the file are the live ones.)",
        ),
    ]
    assert result.rows == []
    assert state() == before


def test_a_file_refused_against_the_live_total_names_the_other_reading_of_its_amount(ilo_data):
    result = check(b"measure,year,source,region,amount\nexpenditure,1995,undp,_T,31.211\n", "one.csv")
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            2,
            "amount",
            "The expenditure figures by sources of funds for 1995 add up to 81,751.211, but the total is 112,930: "
            "a difference of 31,178.789, more than the rounding tolerance of 1. (Values not in the file are the "
            "live ones.)",
        ),
        (
            2,
            "amount",
            "'31.211' is read as 31.211 in the number format chosen (1,234.5); it would be 31,211 in the format "
            "1.234,5. If the file is written that way, choose that format.",
        ),
    ]
    assert (result.rows, result.ambiguous) == ([], [])


@pytest.mark.parametrize(
    ("lang", "figures"),
    [
        (
            "en",
            "The expenditure figures by sources of funds in Africa for 1995 for least developed countries add up "
            "to 13,102, but the total is 24,722",
        ),
        (
            "fr",
            "Les chiffres de dépenses par sources de financement dans la région Afrique pour 1995 pour les pays "
            "les moins avancés font 13\xa0102, mais le total est 24\xa0722",
        ),
        (
            "es",
            "Las cifras de gastos por fuentes de financiación en la región África de 1995 para los países menos "
            "adelantados suman 13.102, pero el total es 24.722",
        ),
    ],
)
def test_a_total_of_the_ldc_cross_table_names_the_region_its_parts_are_in(ilo_data, lang, figures):
    data = b"measure,year,source,region,country_group,amount_usd_thousands\nexpenditure,1995,undp,africa,ldc,1\n"
    with translation.override(lang):
        result = check(data, "ldc.csv")
    [problem] = result.problems
    assert problem.row == 2
    assert problem.message.startswith(figures)


def test_a_wide_export_of_the_recipient_countries_uploads_back_from_a_workbook_and_as_older_exports_named_it(
    ilo_data, client
):
    data, name = _download(client, "/recipients.xlsx?layout=wide")
    assert tally(check(data, name).counts) == {"new": 0, "changed": 0, "unchanged": 2}
    # Exports before the columns were named for the unit headed the counts amount_YEAR: still read.
    data, name = _download(client, "/recipients.csv?layout=wide")
    assert data.startswith(b"source,source_name,region,region_name,countries_1990,status_1990,")
    older = data.replace(b"countries_", b"amount_")
    assert tally(check(older, name).counts) == {"new": 0, "changed": 0, "unchanged": 2}


def test_a_recipient_countries_export_uploaded_as_expenditure_is_told_to_choose_recipient_countries(ilo_data, client):
    data, _ = _download(client, "/recipients.csv?layout=wide")
    result = check(data, "figures.csv", measure="expenditure")
    assert result.problems[0].message == (
        "E1: The column 'countries_1990' holds countries, the unit of Recipient countries, but the measure read is "
        "expenditure, in thousands of US dollars. If the file gives Recipient countries, choose Recipient countries "
        "as the Measure in the form; if it gives expenditure, name the column amount_1990."
    )
    with translation.override("fr"):
        message = check(data, "figures.csv", measure="expenditure").problems[0].message
    assert "choisissez Pays bénéficiaires comme mesure dans le formulaire" in message


def test_a_wide_file_headed_in_countries_is_refused_for_a_measure_in_dollars(ilo_data, client):
    data, _ = _download(client, "/expenditure.csv?from=1995&to=1995&layout=wide")
    before = state()
    result = check(data.replace(b"amount_1995", b"countries_1995"), "figures.csv", measure="expenditure")
    assert [str(p) for p in result.problems] == [
        "Row 1, column E: E1: The column 'countries_1995' holds countries, the unit of Recipient countries, but the "
        "measure read is expenditure, in thousands of US dollars. If the file gives Recipient countries, choose "
        "Recipient countries as the Measure in the form; if it gives expenditure, name the column amount_1995."
    ]
    assert state() == before


def test_a_wide_file_changing_a_derived_value_is_refused_at_its_cell_and_told_where_notes_go(ilo_data):
    # A wide file gives no notes, and the 1990 residual's note on record names the shares it came from.
    data = b"source,region,amount_1990\nundp,_T,44.9\nrbtc,_T,9.7\n"
    before = state()
    result = check(data, "shares.csv", measure="expenditure-share")
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (
            3,
            "C",
            "C3: This changes a derived value (8.7 to 9.7), and the note on record says how the old value was "
            "derived: “not stated: what is left of 100 per cent after the stated shares of UNDP (45.9), UNFPA (7.6) "
            "and trust funds (37.8)”. A wide or appendix file gives no notes: upload this value in the long layout "
            "(the template), with its note saying what it is derived from now, or with an empty note to drop it.",
        )
    ]
    assert state() == before
