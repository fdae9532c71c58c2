"""The comma-decimal CSV (dialect=excel-fr) opened as a French-locale spreadsheet opens it: headless
LibreOffice Calc (Debian's libreoffice-calc-nogui, which `make test` and CI install) converts it to a
workbook, read back with openpyxl: every number a numeric cell, every accent intact."""

import csv
import io
import shutil
import subprocess

import openpyxl
import pytest

from tests.markup import body

# On one xdist worker together, so that the module's profile is made once; each conversion starts
# LibreOffice, a second and a half.
pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice: make test installs it"),
    pytest.mark.xdist_group("libreoffice"),
    pytest.mark.cost(1.5),
]
# Separator `;`, quote `"`, charset left to the file (its BOM), from line 1, French (1036) number reading:
# what Calc's import dialog offers a French user by default.
FRENCH_IMPORT = "CSV:59,34,,1,,1036"


@pytest.fixture(scope="module")
def calc_profile(tmp_path_factory):
    """One LibreOffice user profile for the module, made before any conversion: a conversion that has
    to create its profile first is the one that failed now and then on a loaded machine (exit 1)."""
    profile = tmp_path_factory.mktemp("calc-profile")
    soffice(profile, "--terminate_after_init")
    return profile


def soffice(profile, *arguments):
    """Headless LibreOffice with `profile`; a failure shows what it printed."""
    command = ["soffice", "--headless", f"-env:UserInstallation=file://{profile}", *arguments]
    result = subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert result.returncode == 0, (command, result.returncode, result.stdout[-2000:], result.stderr[-2000:])


def convert(profile, source, to, out, *options):
    """`source` converted by Calc to the format `to` in folder `out` (`options` first); the new file."""
    soffice(profile, *options, "--convert-to", to, "--outdir", str(out), str(source))
    return out / f"{source.stem}.{to}"


def open_in_calc(data, tmp_path, profile, *, infilter=FRENCH_IMPORT):
    """`data` as a CSV opened by Calc with `infilter`, saved as a workbook: its cells (value, type)."""
    source = tmp_path / "figures.csv"
    source.write_bytes(data)
    workbook = openpyxl.load_workbook(convert(profile, source, "xlsx", tmp_path / "out", f"--infilter={infilter}"))
    return [[(cell.value, cell.data_type) for cell in row] for row in workbook.active.iter_rows()]


def test_excel_fr_csv_opens_in_french_calc_with_numbers_and_accents_intact(client, ilo_data, tmp_path, calc_profile):
    response = client.get("/expenditure.csv?by=source&from=1995&to=1996&value=share&lang=fr&dialect=excel-fr")
    rows = open_in_calc(body(response), tmp_path, calc_profile)
    header = [value for value, _ in rows[0]]
    assert header[:4] == ["measure", "year", "source", "source_name"]
    amount, share = header.index("amount_usd_thousands"), header.index("share_percent")
    by_source = {(row[2][0], row[1][0]): row for row in rows[1:]}
    trust_funds = by_source["trust-funds", 1995]
    assert trust_funds[3] == ("Fonds de dépôt et financement multi-bilatéral", "s")
    assert trust_funds[amount] == (61028, "n")
    assert trust_funds[share] == (pytest.approx(54.040556), "n")
    # Every amount and share of the file is a number in the workbook: none became text.
    assert all(row[amount][1] == "n" and row[share][1] == "n" for row in rows[1:])
    assert len(rows) == 1 + 4 * 2


def test_excel_fr_wide_csv_opens_with_every_value_a_number(client, ilo_data, tmp_path, calc_profile):
    response = client.get(
        "/expenditure.csv?by=region&from=1993&to=1995&value=share&lang=fr&layout=wide&dialect=excel-fr"
    )
    rows = open_in_calc(body(response), tmp_path, calc_profile)
    header = [value for value, _ in rows[0]]
    assert header[4:6] == ["share_1993", "status_1993"]
    values = [row[i] for row in rows[1:] for i, name in enumerate(header) if name.startswith("share_")]
    assert values and all(kind == "n" for _, kind in values)
    names = [row[3][0] for row in rows[1:]]
    assert "Amérique latine et Caraïbes" in names


def test_plain_csv_in_french_calc_turns_decimals_into_text(client, ilo_data, tmp_path, calc_profile):
    """Why the dialect exists: the plain CSV's decimal points are not numbers to a French spreadsheet."""
    response = client.get("/expenditure.csv?by=source&from=1995&to=1995&value=share")
    rows = open_in_calc(body(response), tmp_path, calc_profile, infilter="CSV:44,34,76,1,,1036")
    share = [value for value, _ in rows[0]].index("share_percent")
    assert {row[share][1] for row in rows[1:]} == {"s"}


@pytest.mark.cost(3)  # two conversions
def test_an_xlsx_export_opens_in_calc_with_its_numbers_text_and_both_sheets(client, ilo_data, tmp_path, calc_profile):
    # The Data sheet's rows are written by tcdash itself (funding/exporters/xlsx.py), inside openpyxl's
    # workbook: Calc reads them as numbers and text, and converts the workbook back to one of its own.
    response = client.get("/expenditure.xlsx?by=source&from=1995&to=1996&lang=fr")
    source = tmp_path / "figures.xlsx"
    source.write_bytes(b"".join(response.streaming_content))
    ods = convert(calc_profile, source, "ods", tmp_path / "ods")
    workbook = openpyxl.load_workbook(convert(calc_profile, ods, "xlsx", tmp_path / "out"))
    assert workbook.sheetnames == ["Data", "About"]
    rows = [[(cell.value, cell.data_type) for cell in row] for row in workbook["Data"].iter_rows()]
    header = [value for value, _ in rows[0]]
    amount = header.index("amount_usd_thousands")
    by_source = {(row[2][0], row[1][0]): row for row in rows[1:]}
    assert by_source["trust-funds", 1995][3] == ("Fonds de dépôt et financement multi-bilatéral", "s")
    assert by_source["trust-funds", 1995][amount] == (61028, "n")
    assert all(row[amount][1] == "n" and row[1][1] == "n" for row in rows[1:])
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}
    # In the file's language (lang=fr), as its Data sheet's names.
    assert about["Reproduire"] == "http://testserver/expenditure.xlsx?from=1995&by=source&lang=fr"  # canonical
    assert about["Unité"] == "milliers de dollars É.-U."


def test_a_workbook_of_formulas_without_saved_values_uploads_once_calc_has_saved_it(ilo_data, tmp_path, calc_profile):
    # A program (openpyxl here) writes formulas and no values: refused, naming the cells. Opened and saved
    # in Calc, as the refusal says, the same workbook holds the values and is read.
    from funding.services import check_upload

    workbook = openpyxl.Workbook()
    workbook.active.title = "Figures"
    workbook.active.append(["measure", "year", "source", "region", "amount"])
    workbook.active.append(["expenditure", 1992, "_T", "_T", "=150000+6000"])
    source = tmp_path / "figures.xlsx"
    workbook.save(source)
    refused = check_upload(data=source.read_bytes(), file_name="figures.xlsx")
    assert [str(p) for p in refused.problems] == [
        "The cell E2 of the sheet 'Figures' holds a formula with no saved value, so its figure cannot be read. "
        "Open the file in Excel or LibreOffice and save it, so that its values are stored, then upload it again."
    ]
    saved = convert(calc_profile, source, "xlsx", tmp_path / "out")
    check = check_upload(data=saved.read_bytes(), file_name="figures.xlsx")
    assert check.problems == []
    assert [(row["year"], row["amount"]) for row in check.rows] == [(1992, 156_000_000)]


@pytest.mark.cost(3)  # two conversions
def test_an_xlsx_export_shows_a_text_starting_with_a_formula_character_as_text(
    client, ilo_data, tmp_path, calc_profile
):
    # The export writes "=2+2" with no `'` before it, as an inline string: Calc shows the text, never 4.
    from funding.services import publish_release

    row = {"measure": "expenditure", "year": 1995, "source": "rbtc", "region": "_T", "amount": 12_426_000}
    publish_release(title="formulas", rows=[{**row, "document": "=2+2", "note": "-1"}], checksum="f" * 64)
    response = client.get("/expenditure.xlsx?by=source&from=1995&to=1995")
    source = tmp_path / "figures.xlsx"
    source.write_bytes(b"".join(response.streaming_content))
    # As Calc shows the sheet: the CSV it writes holds each cell's displayed text.
    shown = list(csv.reader(io.StringIO(convert(calc_profile, source, "csv", tmp_path / "csv").read_text())))
    header = shown[0]
    rbtc = next(line for line in shown[1:] if line[2] == "rbtc")
    assert (rbtc[header.index("document")], rbtc[header.index("note")]) == ("=2+2", "-1")
    # And as it saves it: a text cell, no formula.
    workbook = openpyxl.load_workbook(convert(calc_profile, source, "xlsx", tmp_path / "out"))
    data = workbook["Data"]
    cells = {data.cell(1, n).value: data.cell(2 + [r[2] for r in shown[1:]].index("rbtc"), n) for n in range(1, 14)}
    assert (cells["document"].value, cells["document"].data_type) == ("=2+2", "s")
    assert (cells["note"].value, cells["note"].data_type) == ("-1", "s")
