"""The ILO's printed appendix tables, typed cell by cell as the papers print them, as CSV and XLSX bytes.

Amounts from fixtures/ilo (thousands of US dollars), shares from the notes there, changes computed
from the amounts and printed to one decimal as the papers print them.
"""

import csv
import io

from openpyxl import Workbook

GB273_A = [
    ["GB.273/TC/1"],
    ["Appendix I"],
    ["Table A. Expenditure on technical cooperation by source of funds, 1995-1997"],
    ["(in thousands of US dollars, excluding administrative expenditure)"],
    ["", "1995", "", "1996", "", "1997", "", "1996-97"],
    ["Source of funds", "$", "% share", "$", "% share", "$", "% share", "% change"],
    ["Regular budget (RBTC)", "12'426", "11.0%", "6'958", "7.1%", "17'749", "16.4%", "155.1%"],
    ["UNDP (1)", "31'211", "27.6%", "23'531", "24.0%", "31'225", "28.8%", "32.7%"],
    ["Trust Funds (2) and Multi-bi (3)", "61'028", "54.0%", "61'059", "62.2%", "54'023", "49.9%", "-11.5%"],
    ["UNFPA (4)", "8'266", "7.3%", "6'619", "6.7%", "5'366", "5.0%", "-18.9%"],
    ["TOTAL", "112'930", "100.0%", "98'167", "100.0%", "108'363", "100.0%", "10.4%"],
    ["(1) Including projects in which the ILO acts as an associated agency."],
    ["(2) Funds-in-trust. (3) Multi-bilateral programmes. (4) United Nations Fund for Population Activities."],
]
GB273_B = [
    ["Table B. Expenditure on technical cooperation by region, 1995-1997"],
    ["(in thousands of US dollars)"],
    ["", "1995", "", "1996", "", "1997", "", "1996-97"],
    ["Region", "$", "% share", "$", "% share", "$", "% share", "% change"],
    ["Africa", "42'498", "37.6%", "36'749", "37.4%", "42'077", "38.8%", "14.5%"],
    ["Asia and the Pacific (1)", "28'288", "25.0%", "24'733", "25.2%", "23'500", "21.7%", "-5.0%"],
    ["Latin America and the Caribbean", "12'584", "11.1%", "10'162", "10.4%", "13'280", "12.3%", "30.7%"],
    ["Arab States, Middle East", "2'696", "2.4%", "2'625", "2.7%", "4'083", "3.8%", "55.5%"],
    ["Europe (2)", "8'814", "7.8%", "6'072", "6.2%", "6'804", "6.3%", "12.1%"],
    ["Interregional and global", "18'051", "16.0%", "17'827", "18.2%", "18'619", "17.2%", "4.4%"],
    ["TOTAL", "112'930", "100.0%", "98'167", "100.0%", "108'363", "100.0%", "10.4%"],
    ["(1) Including Afghanistan and the Islamic Republic of Iran. (2) Including Israel."],
]
GB267_A = [
    ["GB.267/TC/1"],
    ["Appendix I"],
    ["Table A. Technical cooperation expenditure by source of funds, 1993-1995"],
    ["(in thousands of US dollars)"],
    ["", "1993", "", "1994", "", "1995", "", "1994-95"],
    ["", "$", "% share", "$", "% share", "$", "% share", "% change"],
    ["Regular budget (RBTC)", "18 372", "12.4", "9 294", "8.2", "12 426", "11.0", "33.7"],
    ["UNDP (1)", "58 661", "39.5", "38 522", "33.9", "31 211", "27.6", "-19.0"],
    ["Trust funds (2) and multi-bi (3)", "63 319", "42.6", "58 548", "51.5", "61 028", "54.0", "4.2"],
    ["UNFPA (4)", "8 318", "5.6", "7 267", "6.4", "8 266", "7.3", "13.7"],
    ["Total", "148 670", "100.0", "113 631", "100.0", "112 930", "100.0", "-0.6"],
    [],
    ["Table B. Technical cooperation expenditure by region, 1993-1995"],
    ["(in thousands of US dollars)"],
    ["", "1993", "", "1994", "", "1995", "", "1994-95"],
    ["", "$", "% share", "$", "% share", "$", "% share", "% change"],
    ["Africa", "60 120", "40.4", "46 594", "41.0", "42 498", "37.6", "-8.8"],
    ["Asia and the Pacific (1)", "41 360", "27.8", "28 723", "25.3", "28 288", "25.0", "-1.5"],
    ["Latin America and the Caribbean", "21 964", "14.8", "14 287", "12.6", "12 584", "11.1", "-11.9"],
    ["Arab States, Middle East", "2 252", "1.5", "1 409", "1.2", "2 696", "2.4", "91.3"],
    ["Europe (2)", "6 111", "4.1", "6 232", "5.5", "8 814", "7.8", "41.4"],
    ["Interregional and global", "16 864", "11.3", "16 385", "14.4", "18 051", "16.0", "10.2"],
    ["Total", "148 670", "100.0", "113 631", "100.0", "112 930", "100.0", "-0.6"],
    ["(1) Including Afghanistan and the Islamic Republic of Iran. (2) Including Israel in 1994."],
]
# The same table A as the French edition prints it.
GB267_A_FR = [
    ["GB.267/TC/1"],
    ["Annexe I"],
    ["Tableau A. Dépenses de coopération technique par origine des fonds, 1993-1995"],
    ["(en milliers de dollars des Etats-Unis)"],
    ["", "1993", "", "1994", "", "1995", ""],
    ["", "$", "% part", "$", "% part", "$", "% part"],
    ["Budget ordinaire (CTBO)", "18 372", "12.4", "9 294", "8.2", "12 426", "11.0"],
    ["PNUD (1)", "58 661", "39.5", "38 522", "33.9", "31 211", "27.6"],
    ["Fonds de dépôt et financement multi-bilatéral (2)", "63 319", "42.6", "58 548", "51.5", "61 028", "54.0"],
    ["FNUAP (3)", "8 318", "5.6", "7 267", "6.4", "8 266", "7.3"],
    ["Total", "148 670", "100.0", "113 631", "100.0", "112 930", "100.0"],
]


def edited(table, cells=None):
    """A copy of `table` (its rows copied too), with `cells` {(row, column): printed text} typed over."""
    copy = [row[:] for row in table]
    for (row, column), value in (cells or {}).items():
        copy[row][column] = value
    return copy


def csv_bytes(*tables):
    """Tables one under the other, a blank line between, as a CSV file (UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerows(table)
    return out.getvalue().encode("utf-8")


def number(text):
    """A printed number as Excel stores it when typed: 18 372 -> 18372, 12.4 -> 12.4, 155.1% -> 155.1."""
    plain = text.replace(" ", "").replace("'", "").rstrip("%")
    try:
        value = float(plain)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in plain else value


def xlsx_bytes(sheets, *, as_numbers=False, merge=None):
    """{sheet name: table} -> XLSX bytes; `as_numbers` types the figures as numbers, not text."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        for r, row in enumerate(table):
            cells = [number(c) if as_numbers and r >= 5 and c else c for c in row]
            sheet.append(cells or [None])
        for cell_range in (merge or {}).get(name, ()):
            sheet.merge_cells(cell_range)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
