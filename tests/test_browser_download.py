"""Browser: the download links of a filtered view deliver files whose rows are the page's tables."""

import csv
import io
import re
from pathlib import Path

import openpyxl

# A canonical address (to=1996 is the default), so the page's download links repeat its query string.
VIEW = "/expenditure/?from=1993&source=undp&source=trust-funds&by=source&by=total"

# Every value of every data table on the page: (row label, year, text as shown), marks and
# source numbers left out.
READ_TABLES = """() => {
  const cells = [];
  for (const table of document.querySelectorAll("table.data-table")) {
    const years = [...table.querySelectorAll("thead th.num")].map(th => th.firstChild.textContent.trim());
    for (const tr of table.querySelectorAll("tbody tr")) {
      const label = tr.querySelector("th").textContent.trim();
      tr.querySelectorAll("td").forEach((td, i) => {
        const copy = td.cloneNode(true);
        copy.querySelectorAll("abbr, sup").forEach(node => node.remove());
        cells.push([label, years[i], copy.textContent.trim()]);
      });
    }
  }
  return cells;
}"""


def page_table(page):
    # The total row is "All sources" under a by-source table and "Total" in the total figure.
    return {
        ("Total" if label == "All sources" else label, year, text)
        for label, year, text in page.evaluate(READ_TABLES)
        if text != "no data"
    }


def shown(amount):
    """An exported amount as the page prints it (thousands separators)."""
    return f"{int(amount):,}"


def label(source, source_name):
    # The page names the row of the chosen sources' sum as the file does ("Sum of 2 sources: ...").
    return "Total" if source == "_T" else source_name


def download(page, selector):
    with page.expect_download() as info:
        page.locator(selector).click()
    return info.value


def test_view_download_links_deliver_the_rows_of_the_page(page, live_server, ilo_data):
    page.goto(live_server.url + VIEW)
    table = page_table(page)
    assert ("UNDP", "1993", "58,661") in table
    assert ("Sum of 2 sources: UNDP, Trust funds and multi-bi", "1995", "92,239") in table  # as the page sums them

    csv_file = download(page, ".view-downloads a[data-format=csv]")
    assert csv_file.suggested_filename == "tcdash-expenditure-by-source-undp-trust-funds-1993-1996.csv"
    rows = list(csv.DictReader(io.StringIO(Path(csv_file.path()).read_text(encoding="utf-8"))))
    assert {(label(r["source"], r["source_name"]), r["year"], shown(r["amount_usd_thousands"])) for r in rows} == table
    assert len(rows) == 12  # 2 sources and their sum, 4 years

    excel_file = download(page, ".view-downloads a[data-format=xlsx]")
    assert excel_file.suggested_filename == "tcdash-expenditure-by-source-undp-trust-funds-1993-1996.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(excel_file.path()).read_bytes()))
    sheet = list(book["Data"].iter_rows(values_only=True))
    assert {(label(r[2], r[3]), str(r[1]), shown(r[7])) for r in sheet[1:]} == table
    assert dict(book["About"].iter_rows(values_only=True))["Reproduce"] == (
        live_server.url + "/expenditure.xlsx?" + VIEW.split("?")[1]
    )
    assert page.console_errors == []
    assert page.foreign_requests == []


def test_figure_download_link_carries_the_figure_filters(page, live_server, ilo_data):
    page.goto(live_server.url + VIEW)
    figure = page.locator("section.figure").first
    csv_link = figure.locator(".downloads a[data-format=csv-excel]")
    assert re.fullmatch(r"/expenditure\.csv\?.*&bom=1", csv_link.get_attribute("href"))
    with page.expect_download() as info:
        csv_link.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbfmeasure,year,source,")
    lines = data.decode("utf-8-sig").splitlines()
    assert [line.split(",")[1:3] + line.split(",")[7:8] for line in lines[1:3]] == [
        ["1993", "undp", "58661"],
        ["1993", "trust-funds", "63319"],
    ]
