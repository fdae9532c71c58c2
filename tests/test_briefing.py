"""The briefing pack: an A4 PDF of the overview's figures, read back with poppler (pdftotext, pdftoppm)."""

import re

import pytest

from funding.briefing import figure_svg
from tests.markup import parse, text
from tests.pdfs import inked_margins, page_sizes, pdf_text

NBSP = "\u00a0"


def pdf_of(client, path, tmp_path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(response.content)
    return response, pdf


def test_briefing_pack_holds_every_number_of_the_tables_the_sources_and_the_release_within_its_margins(
    client, ilo_data, tmp_path
):
    response, pdf = pdf_of(client, "/briefing.pdf?from=1990&to=1996", tmp_path)
    assert response["Content-Disposition"] == 'inline; filename="tcdash-briefing-1990-1996-en.pdf"'
    pages, (width, height) = page_sizes(pdf)
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 portrait, in points
    assert pages == "4"
    pack = pdf_text(pdf)
    overview = parse(client.get("/?from=1990&to=1996"))
    numbers = {text(link) for link in overview.xpath('//td[@class="num"]/a[@href]')}
    assert {"148,670", "113,631", "112,930", "98,167", "38,522", "23,531"} <= numbers
    assert [n for n in numbers if n not in pack] == []
    for document in ("GB.267/TC/1 (Nov 1996) Appendix I table A", "GB.273/TC/1 (Nov 1998) Appendix I table A"):
        assert document in pack
    # Figure 2's 1990 column, "only shares published" for every source, cites the paragraph stating them.
    assert "1. GB.270/TC/2 (Nov 1997), para. 18 http://ilo.org/" in re.sub(r"\s+", " ", pack)
    assert f"Release {ilo_data.pk}: {ilo_data.shown_title}" in re.sub(r"\s+", " ", pack)
    assert "http://testserver/briefing.pdf\n" in pack  # its canonical address: the default years are left out
    assert "Figure 1. ILO technical cooperation expenditure, 1990-96" in pack
    assert "Page 1 / 4" in pack and "Page 4 / 4" in pack
    assert "Marks:" in pack and "Sources:" in pack
    facts = re.sub(r"\s+", " ", pack[pack.index("Key facts") :])
    assert "1990 134 GB.270/TC/2 (Nov 1997), para. 20" in facts and "1995 151" in facts
    # Nothing crosses the margins (one pack made for both: WeasyPrint takes a second or more a pack).
    assert inked_margins(pdf, tmp_path) == []
    assert len(list(tmp_path.glob("page-*.png"))) == 4


def test_briefing_pack_in_french_and_spanish(client, ilo_data, tmp_path):
    _, pdf = pdf_of(client, "/fr/briefing.pdf", tmp_path)
    text = pdf_text(pdf)
    assert "Figure 1. Dépenses de coopération technique du BIT, 1990-96" in text
    assert f"112{NBSP}930" in text or "112 930" in text
    assert "Budget ordinaire (CTBO)" in text and "Page 1 / 4" in text
    _, pdf = pdf_of(client, "/es/briefing.pdf?from=1993&to=1996", tmp_path)
    text = pdf_text(pdf)
    assert "112.930" in text and "Presupuesto ordinario (CTPO)" in text and "Página 1 / 4" in text


def test_briefing_pack_footer_writes_the_release_as_the_cover_does(client, ilo_data, tmp_path):
    # The footer's text sits in a CSS string: written with JavaScript's escapes, every page of the
    # French pack read "Chiffres publiés par lu0027OIT" and an upload's "add-1992.csv" "addu002D1992.csv".
    _, pdf = pdf_of(client, "/fr/briefing.pdf", tmp_path)
    pack = pdf_text(pdf)
    release = ilo_data.pk  # 1 in a fresh database; another after a flushing test
    assert (
        pack.count(f"tcdash · Publication {release} : Chiffres publiés par l'OIT, fournis avec tcdash, publiée le") == 4
    )
    assert "u0027" not in pack
    ilo_data.title = 'Upload of "add-1992".csv\\ <b>&</b>'
    ilo_data.save(update_fields=["title"])
    _, pdf = pdf_of(client, "/es/briefing.pdf", tmp_path)
    pack = pdf_text(pdf)
    assert pack.count(f'tcdash · Publicación {release}: Upload of "add-1992".csv\\ <b>&</b>, publicada el') == 4
    assert "Página 1 / 4" in pack and "Página 4 / 4" in pack


def test_briefing_pack_of_one_year_names_it_once(client, ilo_data, tmp_path):
    _, pdf = pdf_of(client, "/es/briefing.pdf?from=1995&to=1995", tmp_path)
    pack = pdf_text(pdf)
    assert pack.splitlines()[0].strip() == "Cooperación técnica de la OIT, 1995"
    assert "1995-1995" not in pack


def test_briefing_pack_lists_the_marks_with_the_languages_separator(client, ilo_data, tmp_path):
    # The by-region figure's marks: approximate (1991) and rounded (Europe 1990).
    _, pdf = pdf_of(client, "/fr/briefing.pdf", tmp_path)
    pack = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "pas dans un tableau ; r arrondie : indiquée arrondie" in pack
    assert "tableau; r" not in pack


@pytest.mark.parametrize(("path", "number"), [("/briefing.pdf", "148,670"), ("/fr/briefing.pdf", "148 670")])
def test_briefing_pack_text_keeps_a_sources_mark_apart_from_its_number(client, ilo_data, tmp_path, path, number):
    _, pdf = pdf_of(client, path, tmp_path)
    pack = pdf_text(pdf).replace(NBSP, " ")

    # The by-region table's 1993 total cites its source 5: the page prints 148,670 and a superscript 5.
    assert f"{number} 5" in pack
    assert [following for following in re.findall(re.escape(number) + "(.)", pack) if following.isdigit()] == []
    assert "1991 1" in pack and "1993 2" in pack
    assert re.findall(r"\b199\d\d+\b", pack) == []  # no year heading glued to its mark ("19911")


@pytest.mark.parametrize(
    ("start", "end", "tables"),
    [(1985, 2000, 2), pytest.param(1950, 2049, 13, marks=pytest.mark.cost(5))],  # a hundred years: 5 s a pack
)
def test_briefing_pack_sets_a_long_range_as_tables_of_eight_years_each_number_whole(
    client, ilo_data, tmp_path, start, end, tables
):
    # Sixteen year columns beside the labels broke numbers mid-digit ("148,67 / 0", "19 / 85").
    _, pdf = pdf_of(client, f"/briefing.pdf?from={start}&to={end}", tmp_path)
    pack = pdf_text(pdf)
    overview = parse(client.get(f"/?from={start}&to={end}"))
    numbers = {text(cell) for cell in overview.xpath('//td[@class="num"]/a[@href]')}
    assert {"148,670", "113,631", "112,930", "98,167", "38,522", "23,531"} <= numbers
    assert [n for n in numbers if n not in pack] == []
    # Figure 1's table: the years in rows of eight headings, each year whole.
    figure_1 = pack[pack.index("Thousands of US dollars") : pack.index("Marks:")]  # below the chart
    headings = [line.split() for line in figure_1.splitlines() if re.fullmatch(r"(\s*\d{4}(\s\d)?)+\s*", line)]
    years = [int(word) for line in headings for word in line if len(word) == 4]
    assert years == list(range(start, end + 1))
    assert len(headings) == tables
    assert inked_margins(pdf, tmp_path) == []


def test_briefing_pack_refuses_what_the_overview_refuses(client, ilo_data):
    response = client.get("/briefing.pdf?source=undp")
    assert response.status_code == 400
    assert "Parameter 'source' does not apply to the overview" in text(parse(response))


def test_briefing_figure_svg_draws_every_year_and_marks_no_data():
    figure = {
        "data": [
            {
                "name": "Total",
                "x": ["1991", "1993"],
                "y": [170000, 148670],
                "text": ["≈", ""],
                "marker": {"color": "#1e2dbe"},
            }
        ],
        "layout": {
            "xaxis": {"categoryarray": ["1991", "1992", "1993"]},
            "yaxis": {},
            "barmode": "stack",
            "showlegend": False,
            "annotations": [{"text": "no data", "textangle": -90}],
        },
    }
    svg = figure_svg(figure, title="Figure 1")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<title>Figure 1</title>" in svg
    assert svg.count("<rect") == 2
    assert ">1991<" in svg and ">1992<" in svg and ">1993<" in svg
    assert ">no data<" in svg and ">≈<" in svg
    assert ">150,000<" in svg or ">200,000<" in svg


def test_briefing_pack_of_a_year_without_figures_draws_no_scale_to_read(client, ilo_data, tmp_path):
    # 1990 by source: only shares published, no bar; its axis read "0" and "1" (thousand dollars).
    _, pdf = pdf_of(client, "/briefing.pdf?from=1990&to=1990", tmp_path)
    pack = pdf_text(pdf)
    figure_2 = pack[pack.index("Figure 2.") : pack.index("Figure 3.")]
    assert re.findall(r"^\s*[01]\s*$", figure_2, flags=re.MULTILINE) == []
    assert "only shares published" in figure_2 and "GB.270/TC/2 (Nov 1997), para. 18" in figure_2


def test_briefing_pack_is_kept_in_the_cache_like_the_pages(client, ilo_data, django_assert_num_queries):
    # It took seconds to make (4.8 s for 1950-2100): eight anonymous requests at once held the server
    # for 49 s. A repeat costs the live generation's one query, and a browser revalidates it (304).
    first = client.get("/fr/briefing.pdf?from=1993&to=1996")
    with django_assert_num_queries(1):
        again = client.get("/fr/briefing.pdf?from=1993&to=1996")
    assert again.content == first.content and again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert client.get("/fr/briefing.pdf?from=1993&to=1996", HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304
