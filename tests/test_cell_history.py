"""The record of one figure: every value any release gave it, shown on request."""

import pytest

from funding.services import publish_release, withdraw_release
from tests.markup import one, parse, words


def restate_undp_1995(amount, checksum):
    rows = [{"measure": "expenditure", "year": 1995, "source": "undp", "region": "_T", "amount": amount}]
    release, _ = publish_release(title=f"restated {amount}", rows=rows, checksum=checksum * 64)
    return release


def test_cell_history_page_lists_every_value_newest_first(client, ilo_data):
    restated = restate_undp_1995(31_500_000, "a")
    response = client.get("/expenditure/history/?year=1995&source=undp")
    assert response.status_code == 200
    values = [(v["release_id"], v["amount"], v["is_current"], v["withdrawn"]) for v in response.context["values"]]
    assert [(r, str(a), c, w) for r, a, c, w in values] == [
        (restated.pk, "31500", True, False),
        (ilo_data.pk, "31211", False, False),
    ]
    assert "GB.273/TC/1 (Nov 1998) Appendix I table A" in response.content.decode()


def test_cell_history_page_links_each_release_to_its_entry(client, ilo_data, editor):
    restated = restate_undp_1995(31_500_000, "c")
    page = client.get("/expenditure/history/?year=1995&source=undp").content.decode()
    # A reader cannot open a release: its row of the history, which has that anchor.
    for pk in (restated.pk, ilo_data.pk):
        assert f'<a href="/releases/#release-{pk}">{pk}</a>' in page
    assert f'<tr id="release-{restated.pk}" ' in client.get("/releases/").content.decode()
    client.force_login(editor)
    page = client.get("/expenditure/history/?year=1995&source=undp").content.decode()
    for pk in (restated.pk, ilo_data.pk):
        assert f'<a href="/releases/{pk}/">{pk}</a>' in page
    assert "#release-" not in page


def test_cell_history_page_keeps_withdrawn_values_on_record(client, ilo_data):
    restated = restate_undp_1995(31_500_000, "b")
    withdraw_release(release=restated)
    values = client.get("/expenditure/history/?year=1995&source=undp").context["values"]
    assert [(v["release_id"], v["is_current"], v["withdrawn"]) for v in values] == [
        (restated.pk, False, True),
        (ilo_data.pk, True, False),
    ]
    assert "(withdrawn)" in client.get("/expenditure/history/?year=1995&source=undp").content.decode()


def test_cell_history_page_reads_the_ldc_cross_table(client, ilo_data):
    values = client.get("/expenditure/history/?year=1993&source=undp&region=africa&group=ldc").context["values"]
    assert [str(v["amount"]) for v in values] == ["18035"]


def test_cell_history_page_without_a_year_offers_the_form(client, ilo_data):
    response = client.get("/approvals/history/")
    assert response.status_code == 200
    assert "values" not in response.context
    assert 'name="year"' in response.content.decode()


@pytest.mark.parametrize(
    ("querystring", "message"),
    [
        ("year=19x5", "Parameter 'year' must be a year such as 1990, not '19x5'."),
        ("year=1995&source=ipec", "Unknown source 'ipec'."),
        ("year=1995&colour=red", "Unknown parameter 'colour'."),
        ("year=1995&year=1996", "Parameter 'year' is given 2 times; give it once."),
        ("year=1995&group=g77", "Unknown group 'g77'. Known codes: all, ldc."),
    ],
)
def test_cell_history_page_names_a_bad_parameter_with_400(client, ilo_data, querystring, message):
    response = client.get(f"/expenditure/history/?{querystring}")
    assert response.status_code == 400
    assert [error for error in response.context["errors"] if error.startswith(message)], response.context["errors"]


def test_explorer_links_to_the_record_of_its_figure(client, ilo_data):
    response = client.get("/expenditure/?source=undp&by=total&by=region&year=1994")
    assert response.context["history_url"] == "/expenditure/history/?year=1994&source=undp"


@pytest.mark.parametrize(
    ("path", "caption"),
    [
        ("/expenditure/history/?year=1995&source=undp", "Expenditure, 1995, UNDP: values on record"),
        ("/expenditure/history/?year=1995", "Expenditure, 1995: values on record"),
        (
            "/fr/expenditure/history/?year=1993&source=undp&region=africa&group=ldc",
            "Dépenses, 1993, PNUD, Afrique, les pays les moins avancés : valeurs enregistrées",
        ),
        ("/es/expenditure/history/?year=1990&source=undp", "Gastos, 1990, PNUD: partes registradas"),
    ],
)
def test_a_cells_record_names_the_figure_it_is_of(client, ilo_data, path, caption):
    # Printed, the record's form is not: its caption alone says which figure the values are of; and
    # its title, which a tab, a bookmark and a screen reader announce first, names it the same way.
    page = parse(client.get(path))
    assert words(one(page, "//caption")).startswith(caption)
    assert words(one(page, "//title")) == f"{caption} · tcdash"


def test_cell_history_page_names_its_canonical_address(client, ilo_data):
    page = parse(client.get("/expenditure/history/?group=all&region=_T&source=undp&year=1995"))
    assert one(page, '//link[@rel="canonical"]').get("href") == "/expenditure/history/?year=1995&source=undp"
    # The form says what each field is when the address leaves it out, so filters.js leaves it out too.
    form = one(page, '//form[@class="cell-form"]')
    assert form.get("action") == "/expenditure/history/" and form.get("data-canonical") is not None
    assert [(s.get("name"), s.get("data-default")) for s in form.xpath(".//select")] == [
        ("source", "_T"),
        ("region", "_T"),
        ("input_type", "_T"),
        ("group", "all"),
    ]


@pytest.mark.parametrize(
    ("prefix", "said", "caption", "header", "share"),
    [
        (
            "",
            "No amount has ever been published for this figure: the documents state only its share",
            "Expenditure, 1990, UNDP: shares on record, newest first (per cent of the year's total)",
            "Share of the year's total",
            "45.9",
        ),
        (
            "/fr",
            "Aucun montant n'a jamais été publié pour ce chiffre",
            "Dépenses, 1990, PNUD : parts enregistrées, la plus récente d'abord (pourcentage du total de l'année)",
            "Part du total de l'année",
            "45,9",
        ),
    ],
)
def test_a_year_published_only_as_shares_has_its_share_on_record(
    client, ilo_data, prefix, said, caption, header, share
):
    # 1990 by source of funds is stated in GB.270/TC/2 as shares only: the explorer says "only shares
    # published", and the figure's record lists the share rather than saying nothing was published.
    page = parse(client.get(f"{prefix}/expenditure/history/?year=1990&source=undp"))
    assert said in words(page)
    assert words(one(page, "//caption")) == caption
    assert words(one(page, "//thead/tr/th[3]")) == header
    (row,) = page.xpath("//tbody/tr")
    assert [words(cell) for cell in row.xpath("td")][2:4] == [share, "rounded" if not prefix else "arrondie"]
    assert "GB.270/TC/2 (Nov 1997), para. 18" in words(row)
    # A figure with neither amount nor share still says so.
    assert "No value has ever been published for this figure." in words(
        parse(client.get("/expenditure/history/?year=1989&source=undp"))
    )
