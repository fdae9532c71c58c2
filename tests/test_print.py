"""A page printed from the browser is the briefing pack's sheet: A4, a cover line with the release
shown and its date and the address that gives the view again, "Page n / N" with the release at the
foot of every sheet, no controls, every number of the tables, nothing across the margins.

Chromium prints each page (print media, then page.pdf(), as its print dialog does) and poppler
reads the PDF back (tests/pdfs.py, shared with the server's pack in test_briefing.py).
"""

import re

from django.utils import formats, translation

from funding.models import Release
from tests.browser import drawn
from tests.markup import one, parse, text
from tests.pdfs import inked_margins, page_sizes, pdf_text

SPACES = re.compile(r"[\s\u00a0\u202f]+")  # pdftotext keeps the locales' no-break spaces

# Every chart redrawn for the sheet (static/js/charts.js fits them when the print media starts).
CHARTS_FIT = """() => Array.from(document.querySelectorAll(".chart.is-drawn")).every(chart =>
    chart.dataset.screenHeight !== undefined && chart.querySelector(".main-svg").getAttribute("width") === "672")"""

SCREEN_WIDTH = """() => Array.from(document.querySelectorAll(".chart.is-drawn")).every(chart =>
    chart.dataset.screenHeight === undefined && chart.querySelector(".main-svg").getAttribute("width") > 1000)"""

# The numbers of every table as the page shows them, without their marks and source references.
TABLE_NUMBERS = """() => Array.from(document.querySelectorAll("table.data-table td.num")).map(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll("sup, abbr").forEach(part => part.remove());
    return copy.textContent.trim();
}).filter(number => /^[0-9]/.test(number))"""


def printed(page, url, tmp_path):
    """Open `url`, print it to a PDF as the browser's print dialog does; -> (pdf path, the tables' numbers)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url)
    drawn(page)
    numbers = page.evaluate(TABLE_NUMBERS)
    page.emulate_media(media="print")
    page.wait_for_function(CHARTS_FIT)
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    return pdf, numbers


def flat(words):
    return SPACES.sub(" ", words)


# The shipped figures' release has no title of its own: it reads in the reader's language.
SHIPPED_TITLE = {
    "en": "ILO published figures shipped with tcdash",
    "fr": "Chiffres publiés par l'OIT, fournis avec tcdash",
    "es": "Cifras publicadas por la OIT, incluidas en tcdash",
}


def release_line(release, language):
    """The words the pack prints for `release`, written out here (not read from the app)."""
    release = Release.objects.with_dates().get(pk=release.pk)
    with translation.override(language):
        date = formats.date_format(release.published_at, "SHORT_DATETIME_FORMAT") + " UTC"
    word = {
        "en": "Release {}: {}, published {}",
        "fr": "Publication {} : {}, publiée le {}",
        "es": "Publicación {}: {}, publicada el {}",
    }
    return word[language].format(release.pk, release.title or SHIPPED_TITLE[language], date)


def test_printed_overview_is_the_briefing_sheet(page, live_server, ilo_data, tmp_path):
    pdf, numbers = printed(page, f"{live_server.url}/?to=1996&from=1990", tmp_path)
    pages, (width, height) = page_sizes(pdf)
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 portrait, in points
    text = flat(pdf_text(pdf))
    assert text.startswith(f"{release_line(ilo_data, 'en')} This view again: {live_server.url}/ ")
    count = int(pages)
    assert count >= 4  # one figure a sheet, as in the pack
    assert [n for n in range(1, count + 1) if f"Page {n} / {count}" not in text] == []
    assert text.count(f"tcdash · {release_line(ilo_data, 'en')}") == count  # at the foot of every sheet
    assert {"148,670", "113,631", "112,930", "98,167", "38,522", "23,531", "165,600", "2,200"} <= set(numbers)
    assert [number for number in numbers if number not in text] == []
    assert "Figure 1. ILO technical cooperation expenditure, 1990-96" in text
    assert "GB.267/TC/1 (Nov 1996) Appendix I table A" in text and "Key facts" in text
    for control in (
        "Skip to the content",
        "Show years",
        "Briefing pack (PDF",
        "Figures on this page",
        "Sign in",
        "CSV",
    ):
        assert control not in text
    assert inked_margins(pdf, tmp_path) == []
    page.emulate_media(media="screen")  # back from the print: the charts take the window's width again
    page.wait_for_function(SCREEN_WIDTH)


def test_printed_overview_in_french_and_spanish(page, live_server, ilo_data, tmp_path):
    pdf, numbers = printed(page, f"{live_server.url}/fr/?from=1993", tmp_path)
    pages, text = int(page_sizes(pdf)[0]), flat(pdf_text(pdf))
    assert text.startswith(f"{release_line(ilo_data, 'fr')} Cette vue à nouveau : {live_server.url}/fr/?from=1993 ")
    assert f"Page 1 / {pages}" in text and f"Page {pages} / {pages}" in text
    assert "112 930" in text and "Budget ordinaire (CTBO)" in text
    assert [number for number in numbers if flat(number) not in text] == []
    assert "This view again" not in text and "Page 1 of" not in text

    pdf, numbers = printed(page, f"{live_server.url}/es/?from=1993&to=1996", tmp_path)
    pages, text = int(page_sizes(pdf)[0]), flat(pdf_text(pdf))
    assert text.startswith(f"{release_line(ilo_data, 'es')} Esta vista de nuevo: {live_server.url}/es/?from=1993 ")
    assert f"Página 1 / {pages}" in text and f"Página {pages} / {pages}" in text
    assert "112.930" in text and "Presupuesto ordinario (CTPO)" in text
    assert [number for number in numbers if number not in text] == []


def test_printed_long_range_sets_its_tables_as_blocks_of_years_a_sheet_wide(page, live_server, ilo_data, tmp_path):
    # Sixteen years do not fit across the sheet: the screen's table would be cut at its edge (98 167,
    # 1997's 108 363 and what follows lost); on paper each table is set as blocks of eight years.
    pdf, numbers = printed(page, f"{live_server.url}/fr/?from=1985&to=2000", tmp_path)
    text = flat(pdf_text(pdf))
    assert {"148 670", "98 167", "108 363", "2 200"} <= {flat(number) for number in numbers}
    assert [number for number in numbers if flat(number) not in text] == []
    assert "1985 1986 1987 1988 1989 1990 1991 1 1992 " in text and "1993 2 1994 2 1995 3 1996 3 1997 3 " in text
    assert inked_margins(pdf, tmp_path) == []
    # On the screen the table is one, scrolled, and the blocks are not shown.
    page.emulate_media(media="screen")
    assert page.locator("#figure-1-table").is_visible() and not page.locator(".print-blocks").first.is_visible()


def test_printed_change_table_wraps_its_words_and_keeps_every_year_on_the_sheet(page, live_server, ilo_data, tmp_path):
    # "aucun chiffre l'année précédente" in six rows, kept on one line, pushed 1996 past the sheet's edge.
    pdf, _ = printed(page, f"{live_server.url}/fr/expenditure/?by=region&value=change", tmp_path)
    text = flat(pdf_text(pdf))
    changes_1996 = ["-13,5 %", "-12,6 %", "-19,2 %", "-2,6 %", "-31,1 %", "-1,2 %", "-13,1 %"]  # the last column
    assert [change for change in changes_1996 if change not in text] == []
    assert inked_margins(pdf, tmp_path) == []


def test_printed_drill_down_names_its_view_and_keeps_its_numbers(page, live_server, ilo_data, tmp_path):
    url = f"{live_server.url}/expenditure/?by=source-region&group=ldc&from=1994&to=1995"
    pdf, numbers = printed(page, url, tmp_path)
    text = flat(pdf_text(pdf))
    canonical = f"{live_server.url}/expenditure/?from=1994&to=1995&by=source-region&group=ldc"
    assert text.startswith(f"{release_line(ilo_data, 'en')} This view again: {canonical} ")
    assert len(numbers) > 10 and [number for number in numbers if number not in text] == []
    pages = int(page_sizes(pdf)[0])
    assert f"Page {pages} / {pages}" in text
    for control in ("Skip to the filters", "Apply filters", "Show the figures as", "Download", "All years"):
        assert control not in text
    assert inked_margins(pdf, tmp_path) == []


def as_printed(page, address):
    """`address` open at a desktop window's width, its charts drawn, then in the print media, its charts
    redrawn to the sheet's width."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(address)
    drawn(page)
    page.emulate_media(media="print")
    page.wait_for_function(CHARTS_FIT)


def back_on_screen(page):
    page.emulate_media(media="screen")
    page.wait_for_function(SCREEN_WIDTH)


# Each chart's legend entries as drawn, and whether each lies inside the legend's box (what plotly
# shows of a legend taller than its room is the part inside it, the rest scrolled out of sight).
LEGEND_ENTRIES = """() => Array.from(document.querySelectorAll(".chart.is-drawn")).map(chart => {
    const box = chart.querySelector(".legend .bg").getBoundingClientRect();
    return Array.from(chart.querySelectorAll(".legend .traces")).map(entry => {
        const drawn = entry.getBoundingClientRect();
        return [entry.textContent, drawn.top >= box.top - 1 && drawn.bottom <= box.bottom + 1];
    });
})"""


def test_printed_chart_shows_every_entry_of_a_long_legend(page, live_server, ilo_data):
    # The sources x regions of the least developed countries: 16 entries, one a row on the sheet's width.
    as_printed(page, f"{live_server.url}/es/expenditure/?by=source-region&group=ldc")
    [entries] = page.evaluate(LEGEND_ENTRIES)
    assert len(entries) == 16
    assert [name for name, inside in entries if not inside] == []
    assert entries[-1] == ["FNUAP / Estados Árabes, Oriente Medio", True]
    # Back on the screen, the chart is drawn as before printing.
    back_on_screen(page)
    assert page.evaluate("() => document.querySelector('.main-svg').getAttribute('height')") == "380"
    assert [name for name, inside in page.evaluate(LEGEND_ENTRIES)[0] if not inside] == []


# Each chart's y title as drawn: its lines, and whether the whole of it lies inside the chart (plotly
# cuts off a title longer than the chart is high at the chart's edge).
Y_TITLES = """() => Array.from(document.querySelectorAll(".chart.is-drawn")).map(chart => {
    const title = chart.querySelector(".ytitle"), box = chart.querySelector(".main-svg").getBoundingClientRect();
    const drawn = title.getBoundingClientRect();
    const lines = Array.from(title.querySelectorAll("tspan.line")).map(line => line.textContent);
    return [lines.length ? lines : [title.textContent], drawn.top >= box.top && drawn.bottom <= box.bottom];
})"""


def test_printed_chart_shows_the_whole_of_a_long_y_title(page, live_server, ilo_data):
    # "Variation en pourcentage par rapport à l'année précédente" is longer than the sheet's chart is high.
    as_printed(page, f"{live_server.url}/fr/expenditure/?by=region&value=change")
    assert page.evaluate(Y_TITLES) == [[["Variation en pourcentage par rapport à", "l'année précédente"], True]]
    back_on_screen(page)
    [(lines, inside)] = page.evaluate(Y_TITLES)
    assert " ".join(lines) == "Variation en pourcentage par rapport à l'année précédente" and inside
    # A title that fits stays one line.
    page.goto(f"{live_server.url}/es/expenditure/?by=region&value=change")
    drawn(page)
    assert page.evaluate(Y_TITLES) == [[["Variación porcentual respecto del año anterior"], True]]
    page.emulate_media(media="print")
    page.wait_for_function(CHARTS_FIT)
    [(lines, inside)] = page.evaluate(Y_TITLES)
    assert " ".join(lines) == "Variación porcentual respecto del año anterior" and inside


def test_printed_record_of_a_figure_names_its_address(page, live_server, ilo_data, tmp_path):
    pdf, _ = printed(page, f"{live_server.url}/expenditure/history/?source=undp&year=1995", tmp_path)
    text = flat(pdf_text(pdf))
    address = f"{live_server.url}/expenditure/history/?year=1995&source=undp"
    assert text.startswith(f"{release_line(ilo_data, 'en')} This view again: {address} ")
    assert "31,211" in text and "Page 1 / 1" in text


def test_print_line_words_follow_the_language(client, ilo_data):
    for prefix, page_word, again in (("", "Page", "This view again:"), ("/es", "Página", "Esta vista de nuevo:")):
        document = parse(client.get(f"{prefix}/approvals/?by=source"))
        assert document.get("data-print-page") == page_word
        assert document.get("data-print-footer") == f"tcdash · {release_line(ilo_data, prefix[1:] or 'en')}"
        cover = text(one(document, '//div[@class="print-cover"]'))
        assert (
            cover
            == f"{release_line(ilo_data, prefix[1:] or 'en')} {again} http://testserver{prefix}/approvals/?by=source"
        )


def test_print_line_is_only_on_pages_that_show_figures(client, ilo_data):
    document = parse(client.get("/releases/"))
    assert document.get("data-print-page") == "Page" and document.get("data-print-footer") is None
    assert document.xpath('//div[@class="print-cover"]') == []


def test_print_line_names_the_scheme_the_page_was_asked_by(client, ilo_data):
    # Cached pages are kept by scheme too: one asked over HTTP never prints its address to an HTTPS reader.
    for secure, address in ((False, "http://testserver/approvals/"), (True, "https://testserver/approvals/")):
        cover = text(one(parse(client.get("/approvals/", secure=secure)), '//p[@class="print-cover__url"]'))
        assert cover == f"This view again: {address}"
