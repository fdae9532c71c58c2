"""The domain's words: written once, and read from there by every page, export and the API."""

import pytest

from funding import vocabulary
from funding.vocabulary import BREAKDOWN_TITLES, BREAKDOWNS, STATUS_MARKS, Status, status_note, title_years


@pytest.mark.parametrize(
    ("years", "span"),
    [((1990, 1996), "1990-96"), ((1995, 1995), "1995"), ((1998, 2003), "1998-2003"), ((2000, 2005), "2000-05")],
)
def test_title_years_writes_ranges_as_the_ilo_does(years, span):
    assert title_years(*years) == span


def test_years_in_words_writes_ranges_in_full():
    assert vocabulary.years_in_words(1990, 1996) == "1990-1996"
    assert vocabulary.years_in_words(1995, 1995) == "1995"


def test_every_breakdown_has_its_words_in_the_order_of_its_dimensions():
    assert set(BREAKDOWN_TITLES) == set(BREAKDOWNS) == set(vocabulary.BREAKDOWN_HEADINGS)
    assert vocabulary.breakdown_words("source-region") == "by source of funds and region"
    assert vocabulary.BREAKDOWN_HEADINGS["source-region"] == "Source of funds / region"


def test_every_status_but_published_has_a_mark_and_a_meaning():
    assert set(STATUS_MARKS) == set(vocabulary.STATUS_MEANINGS) == set(Status.labels) - {"published"}
    assert status_note("published") == ""
    assert status_note("provisional") == "provisional: the ILO may revise it"


def test_group_param_names_the_country_group_as_an_address_does():
    assert [vocabulary.group_param(code) for code in ("_T", "ldc")] == ["all", "ldc"]


def test_a_row_cites_every_pair_of_its_cells_and_names_each_paper_once():
    text = "\x1eDoc B\x1fhttps://b\x1e,\x1eGB.270/TC/2 (Nov 1997), para. 18\x1f\x1e,\x1eDoc B\x1fhttps://b\x1e"
    pairs = vocabulary.cited_pairs(text)  # SQLite's GROUP_CONCAT: a comma between the pairs
    assert pairs == [("Doc B", "https://b"), ("GB.270/TC/2 (Nov 1997), para. 18", "")]
    assert vocabulary.cited_pairs(text.replace("\x1e,\x1e", "\x1e\x1e")) == pairs  # PostgreSQL's STRING_AGG
    assert vocabulary.documents_text(pairs) == ("Doc B; GB.270/TC/2 (Nov 1997), para. 18", "https://b")
    assert vocabulary.papers_cited({"cited": pairs}) == "Doc B; GB.270/TC/2"
    assert vocabulary.papers_cited({"document": "", "document_url": ""}) == ""
