"""The three languages: addresses, the first visit, the switcher, and catalogues with nothing left out."""

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import schemathesis

from tests.factories import PAGE_KINDS
from tests.markup import chart_spec, one, parse, text

ROOT = Path(__file__).resolve().parent.parent
PAGE = {"HTTP_ACCEPT": "text/html,application/xhtml+xml"}


def switcher(page):
    """(address, language) of each link of the language switcher."""
    return [(a.get("href"), a.get("hreflang")) for a in parse(page).xpath("//nav[@class='languages']//a[@hreflang]")]


def test_languages_english_stays_at_todays_addresses_and_french_and_spanish_have_their_own(client, ilo_data):
    for path, lang in [("/expenditure/?by=source", "en"), ("/fr/expenditure/?by=source", "fr"), ("/es/", "es")]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert parse(response).get("lang") == lang
        assert response["Content-Language"] == lang


def test_languages_switcher_keeps_the_view_and_its_query_string(client, ilo_data):
    page = client.get("/fr/expenditure/?from=1993&to=1995&by=source&value=share")
    assert switcher(page) == [
        ("/expenditure/?from=1993&to=1995&by=source&value=share", "en"),
        ("/fr/expenditure/?from=1993&to=1995&by=source&value=share", "fr"),
        ("/es/expenditure/?from=1993&to=1995&by=source&value=share", "es"),
    ]
    [current] = parse(page).xpath("//nav[@class='languages']//a[@aria-current='true']")
    assert (current.get("hreflang"), current.get("lang"), text(current)) == ("fr", "fr", "Français")
    history = client.get("/es/expenditure/history/?year=1995&source=undp")
    assert "publicado" in [text(td) for td in parse(history).xpath("//td")]
    assert switcher(history)[1] == ("/fr/expenditure/history/?year=1995&source=undp", "fr")


@pytest.mark.parametrize(
    ("accept_language", "location"),
    [
        ("fr-CH, fr;q=0.9, en;q=0.8", "/fr/approvals/?by=source"),
        ("es-419,es;q=0.9", "/es/approvals/?by=source"),
        ("de-DE,de;q=0.9,es;q=0.5", "/es/approvals/?by=source"),
    ],
)
def test_languages_first_visit_goes_to_the_browsers_language(client, ilo_data, accept_language, location):
    response = client.get("/approvals/?by=source", HTTP_ACCEPT_LANGUAGE=accept_language, **PAGE)
    assert response.status_code == 302
    assert response["Location"] == location
    assert "Accept-Language" in response["Vary"]
    followed = client.get(location, HTTP_ACCEPT_LANGUAGE=accept_language, **PAGE)
    assert followed.cookies["django_language"].value == location[1:3]


def test_languages_english_browsers_and_scripts_stay_at_the_english_address(client, ilo_data):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", **PAGE).status_code == 200
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ja", **PAGE).status_code == 200
    # A script (no text/html in Accept) gets the file it asked for, whatever its language.
    assert client.get("/expenditure.json", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    assert client.get("/expenditure/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_languages_a_chosen_english_is_not_overridden_by_the_browser(client, ilo_data):
    client.get("/fr/", **PAGE)
    assert client.cookies["django_language"].value == "fr"
    # The switcher's English link: the cookie says a language was chosen, so no redirect.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr", **PAGE)
    assert response.status_code == 200
    assert parse(response).get("lang") == "en"
    assert client.cookies["django_language"].value == "en"
    assert client.get("/expenditure/", HTTP_ACCEPT_LANGUAGE="fr", **PAGE).status_code == 200


def catalogue_statistics(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_languages_catalogues_translate_every_message_and_none_is_fuzzy():
    for lang in ("fr", "es"):
        statistics = catalogue_statistics(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po")
        assert re.fullmatch(r"\d+ translated messages\.", statistics), (lang, statistics)


def test_languages_no_two_messages_share_a_translation_unless_they_say_the_same():
    # A message refreshed by makemessages comes back fuzzy with a neighbour's translation; taken as
    # it is, "All years" read "Show these years" and "Skip to the filters" "Skip to the content".
    same_words = {frozenset({"Document URL", "document URL"})}
    for lang in ("fr", "es"):
        catalogue = gettext.GNUTranslations((ROOT / "locale" / lang / "LC_MESSAGES" / "django.mo").open("rb"))
        english = {}
        for message, translated in catalogue._catalog.items():
            if isinstance(message, tuple):  # a plural form: its singular is checked
                message, translated = (message[0], translated) if message[1] == 0 else ("", "")
            if message:
                english.setdefault(translated, set()).add(message.split("\x04")[-1])
        shared = {words: messages for words, messages in english.items() if len(messages) > 1}
        assert [m for m in shared.values() if frozenset(m) not in same_words] == [], lang


def test_languages_catalogues_hold_every_string_of_the_code(tmp_path):
    # makemessages on a copy of the tree: a string added to a template or module without its
    # translation shows up as an untranslated message of the refreshed catalogue.
    for name in ("funding", "templates", "tcdash", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "-l", "es", "--verbosity", "0"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    for lang in ("fr", "es"):
        statistics = catalogue_statistics(tmp_path / "locale" / lang / "LC_MESSAGES" / "django.po")
        assert re.fullmatch(r"\d+ translated messages\.", statistics), (lang, statistics)


NBSP = "\u00a0"
# English that must not be left on a French or Spanish page (the documents' own titles aside).
ENGLISH = [
    "Skip to the content",
    "Overview",
    "Sources of funds",
    "Source of funds",
    "Download",
    "no data",
    "Thousands of US dollars",
    "Expenditure",
    "approvals",
    "Sign in",
    "Release history",
    "Filters",
    "Marks:",
    "$",
    "Regular budget",
    "Trust funds",
    "Latin America",
]
TITLES = {"fr": "Coopération technique de l'OIT", "es": "Cooperación técnica de la OIT"}
SAMPLES = {
    "fr": ["Aller au contenu", "Se connecter", "Vue d'ensemble"],
    "es": ["Ir al contenido", "Iniciar sesión", "Panorama"],
}


def visible_text(response):
    """The page's text as read, scripts and styles left out (the locales' no-break spaces kept)."""
    return text(parse(response), leave_out=[".//script", ".//style"])


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_languages_every_page_kind_is_translated_without_english_leftovers(client, ilo_data, lang):
    for path in PAGE_KINDS:
        response = client.get(f"/{lang}{path}")
        assert response.status_code == 200, path
        document = parse(response)
        assert document.get("lang") == lang, path
        title = text(one(document, "//title"))
        assert "Overview" not in title and "Expenditure" not in title and "Releases" not in title, (path, title)
        words = visible_text(response)
        words = re.sub(r"https?://\S+", "", words)  # the address a page prints for itself: a path, not words
        assert [word for word in ENGLISH if word in words] == [], path
        assert all(sample in words for sample in SAMPLES[lang]), path


def test_languages_overview_numbers_follow_the_locale(client, ilo_data):
    cells = {}
    for lang in ("en", "fr", "es"):
        prefix = "" if lang == "en" else f"/{lang}"
        document = parse(client.get(f"{prefix}/"))
        cells[lang] = [text(a) for a in document.xpath("//td[@class='num']/a[@href]")][:6]
        assert TITLES.get(lang, "ILO technical cooperation") in text(document)
    assert "112,930" in cells["en"] and "148,670" in cells["en"]
    assert f"112{NBSP}930" in cells["fr"] and f"148{NBSP}670" in cells["fr"]
    assert "112.930" in cells["es"] and "148.670" in cells["es"]
    share = visible_text(client.get("/fr/expenditure/?source=undp&by=total&value=share"))
    assert f"39,5{NBSP}% 33,9{NBSP}% 27,6{NBSP}% 24,0{NBSP}%" in share
    spanish_share = visible_text(client.get("/es/expenditure/?source=undp&by=total&value=share"))
    assert "39,5% 33,9% 27,6% 24,0%" in spanish_share


def chart_layout(client, path, chart="figure-1-chart"):
    return chart_spec(parse(client.get(path)), chart)


def test_languages_charts_carry_the_locales_separators_and_words(client, ilo_data):
    english = chart_layout(client, "/?from=1993&to=1996", "figure-2-chart")
    french = chart_layout(client, "/fr/?from=1993&to=1996", "figure-2-chart")
    spanish = chart_layout(client, "/es/?from=1993&to=1996", "figure-2-chart")
    assert [english["layout"]["separators"], french["layout"]["separators"], spanish["layout"]["separators"]] == [
        ".,",
        "," + NBSP,
        ",.",
    ]
    assert french["layout"]["yaxis"]["title"]["text"] == "Milliers de dollars des États-Unis"
    assert spanish["layout"]["yaxis"]["title"]["text"] == "Miles de dólares de los Estados Unidos"
    assert [trace["name"] for trace in french["data"]] == [
        "Budget ordinaire (CTBO)",
        "PNUD",
        "Fonds de dépôt et financement multi-bilatéral",
        "FNUAP",
    ]
    assert [trace["name"] for trace in spanish["data"]] == [
        "Presupuesto ordinario (CTPO)",
        "PNUD",
        "Fondos fiduciarios y multibilaterales",
        "FNUAP",
    ]
    hover = french["data"][1]["hovertext"][0]
    assert hover.startswith(f"<b>PNUD</b>, 1993<br>58{NBSP}661 milliers de dollars É.-U.")
    assert "Source : GB.267/TC/1" in hover


def summary_of(client, path):
    return [text(p) for p in parse(client.get(path)).xpath("//div[@class='summary']/p")]


def test_languages_summary_sentences_in_french_singular_and_plural(client, ilo_data):
    assert summary_of(client, "/fr/expenditure/?from=1995&to=1995") == [
        f"En 1995, montant des dépenses : 112,9 millions de dollars, en baisse de 0,6{NBSP}% par rapport à "
        "113,6 millions de dollars en 1994.",
        "Première source de financement en 1995 : Fonds de dépôt et financement multi-bilatéral, avec "
        f"61,0 millions de dollars (54,0{NBSP}% de l'ensemble des dépenses).",
    ]
    plural = summary_of(client, "/fr/expenditure/?source=undp&by=total&by=region")
    assert (
        plural[0]
        == "Dépenses (PNUD) : baisse de 58,7 millions de dollars en 1993 (maximum) à 23,5 millions de dollars en 1996."
    )
    assert plural[-2:] == [
        "Pour 1990, seules des parts du total sont publiées, pas de montants.",
        "Aucun chiffre n'est disponible pour les années 1991-1992.",
    ]
    singular = summary_of(client, "/fr/expenditure/?from=1991&to=1993")
    assert singular[-1] == "Aucun chiffre n'est disponible pour l'année 1992."
    assert singular[0] == (
        "Dépenses : baisse de quelque 170 millions de dollars en 1991 (maximum) (approximative, selon GB.270/TC/2) "
        "à 148,7 millions de dollars en 1993."
    )
    decimal = summary_of(client, "/fr/expenditure/?region=arab-states&from=1993&to=1997")
    assert decimal[0] == (
        "Dépenses dans la région États arabes, Moyen-Orient : hausse de 2,3 millions de dollars en 1993 à "
        "4,1 millions de dollars en 1997 (maximum) ; minimum de 1,4 million de dollars en 1994."
    )


def test_languages_summary_sentences_in_spanish_singular_and_plural(client, ilo_data):
    plural = summary_of(client, "/es/expenditure/?from=1980&to=1996")
    assert plural[0] == (
        "Gastos: disminución de un máximo de unos 170 millones de dólares en 1991 (aproximado, según GB.270/TC/2) "
        "a 98,2 millones de dólares en 1996."
    )
    assert plural[-2:] == [
        "Para 1990 solo se publican proporciones del total, no importes.",
        "No hay cifras disponibles para los años 1980-1989 y 1992.",
    ]
    singular = summary_of(client, "/es/expenditure/?from=1991&to=1993")
    assert singular[-1] == "No hay cifras disponibles para el año 1992."
    one_year = summary_of(client, "/es/expenditure/?from=1995&to=1995")
    assert one_year[0] == (
        "En 1995, gastos: 112,9 millones de dólares, una disminución del 0,6% respecto de "
        "113,6 millones de dólares en 1994."
    )
    decimal = summary_of(client, "/es/expenditure/?region=arab-states&from=1993&to=1997")
    assert decimal[0] == (
        "Gastos en Estados Árabes, Oriente Medio: aumento de 2,3 millones de dólares en 1993 a un máximo de "
        "4,1 millones de dólares en 1997; mínimo de 1,4 millones de dólares en 1994."
    )


def test_languages_summary_names_the_largest_member_of_the_views_split(client, ilo_data):
    assert summary_of(client, "/fr/expenditure/?by=region&from=1990&to=1997")[1] == (
        "Première région en 1997 : Afrique, dont la part dans l'ensemble des dépenses est tombée de "
        f"40,4{NBSP}% en 1993 à 38,8{NBSP}%."
    )
    assert summary_of(client, "/es/expenditure/?by=input_type")[1] == (
        "El principal tipo de insumo en 1995 fue Expertos, cuya participación en el total de gastos bajó de "
        "38,6% en 1994 a 33,7%."
    )


# Expenditure in Africa by source of funds for all countries, which no document publishes: an upload
# of it (the parts add up to Africa's published totals) gives the largest source with a region pinned.
AFRICA_BY_SOURCE = (
    b"measure,year,source,region,amount_usd_thousands,status,document\n"
    b"expenditure,1995,rbtc,africa,5000,published,GB.X\n"
    b"expenditure,1995,undp,africa,14000,published,GB.X\n"
    b"expenditure,1995,trust-funds,africa,20498,published,GB.X\n"
    b"expenditure,1995,unfpa,africa,3000,published,GB.X\n"
    b"expenditure,1996,rbtc,africa,5000,published,GB.X\n"
    b"expenditure,1996,undp,africa,10000,published,GB.X\n"
    b"expenditure,1996,trust-funds,africa,19749,published,GB.X\n"
    b"expenditure,1996,unfpa,africa,2000,published,GB.X\n"
)


@pytest.fixture
def africa_by_source(ilo_data):
    from funding.services import check_upload, publish_checked

    check = check_upload(data=AFRICA_BY_SOURCE, file_name="africa.csv")
    assert check.problems == []
    publish_checked(check=check, title="", data=AFRICA_BY_SOURCE)


def largest_of(client, path):
    """The summary's sentence about the largest member of the view's split."""
    (sentence,) = [s for s in summary_of(client, path) if s.startswith(("Première", "La principal", "El principal"))]
    return sentence


@pytest.mark.parametrize(
    ("path", "french", "spanish"),
    [
        (
            "/expenditure/?by=source&from=1993&to=1996",
            "Première source de financement en 1996 : Fonds de dépôt et financement multi-bilatéral, dont la part "
            f"dans l'ensemble des dépenses est passée de 42,6{NBSP}% en 1993 à 62,2{NBSP}%.",
            "La principal fuente de financiación en 1996 fue Fondos fiduciarios y multibilaterales, cuya "
            "participación en el total de gastos subió de 42,6% en 1993 a 62,2%.",
        ),
        (
            "/expenditure/?by=source&region=africa&from=1995&to=1996",
            "Première source de financement en 1996 : Fonds de dépôt et financement multi-bilatéral, dont la part "
            f"dans l'ensemble des dépenses dans la région Afrique est passée de 48,2{NBSP}% en 1995 à 53,7{NBSP}%.",
            "La principal fuente de financiación en 1996 fue Fondos fiduciarios y multibilaterales, cuya "
            "participación en el total de gastos en África subió de 48,2% en 1995 a 53,7%.",
        ),
        (
            "/expenditure/?by=source&group=ldc",
            "Première source de financement en 1995 : PNUD, dont la part dans l'ensemble des dépenses pour les pays "
            f"les moins avancés est tombée de 66,7{NBSP}% en 1993 à 54,3{NBSP}%.",
            "La principal fuente de financiación en 1995 fue PNUD, cuya participación en el total de gastos en los "
            "países menos adelantados bajó de 66,7% en 1993 a 54,3%.",
        ),
        (
            "/expenditure/?by=source&group=ldc&region=africa",
            "Première source de financement en 1995 : PNUD, dont la part dans l'ensemble des dépenses pour les pays "
            f"les moins avancés de la région Afrique est tombée de 56,3{NBSP}% en 1993 à 47,0{NBSP}%.",
            "La principal fuente de financiación en 1995 fue PNUD, cuya participación en el total de gastos en los "
            "países menos adelantados de África bajó de 56,3% en 1993 a 47,0%.",
        ),
        (
            "/expenditure/?by=source&group=ldc&region=africa&from=1995&to=1995",
            f"Première source de financement en 1995 : PNUD, avec 11,6 millions de dollars (47,0{NBSP}% de "
            "l'ensemble des dépenses pour les pays les moins avancés de la région Afrique).",
            "La principal fuente de financiación en 1995 fue PNUD, con 11,6 millones de dólares (47,0% del total "
            "de gastos en los países menos adelantados de África).",
        ),
        (
            "/expenditure/?by=region&group=ldc&source=undp",
            "Première région en 1995 : Afrique, dont la part dans l'ensemble des dépenses (PNUD) pour les pays les "
            f"moins avancés est passée de 57,3{NBSP}% en 1993 à 62,8{NBSP}%.",
            "La principal región en 1995 fue África, cuya participación en el total de gastos (PNUD) en los países "
            "menos adelantados subió de 57,3% en 1993 a 62,8%.",
        ),
        (
            "/expenditure/?by=region&group=ldc",
            "Première région en 1995 : Afrique, dont la part dans l'ensemble des dépenses pour les pays les moins "
            f"avancés est passée de 67,9{NBSP}% en 1993 à 72,4{NBSP}%.",
            "La principal región en 1995 fue África, cuya participación en el total de gastos en los países menos "
            "adelantados subió de 67,9% en 1993 a 72,4%.",
        ),
    ],
)
def test_languages_largest_member_is_one_sentence_with_what_the_view_pins(
    client, africa_by_source, path, french, spanish
):
    # The region and the country group are words of the sentence, not pasted in between commas.
    assert largest_of(client, "/fr" + path) == french
    assert largest_of(client, "/es" + path) == spanish


@pytest.mark.parametrize(
    ("path", "french", "spanish"),
    [
        (
            "/expenditure/?group=ldc&region=africa",
            "Dépenses pour les pays les moins avancés de la région Afrique : baisse de 32,0 millions de dollars en "
            "1993 (maximum) à 24,7 millions de dollars en 1995.",
            "Gastos en los países menos adelantados de África: disminución de un máximo de 32,0 millones de dólares "
            "en 1993 a 24,7 millones de dólares en 1995.",
        ),
        (
            "/expenditure/?group=ldc&source=undp&region=asia-pacific",
            "Dépenses (PNUD) pour les pays les moins avancés de la région Asie et Pacifique : baisse de "
            "13,3 millions de dollars en 1993 (maximum) à 6,7 millions de dollars en 1995.",
            "Gastos (PNUD) en los países menos adelantados de Asia y el Pacífico: disminución de un máximo de "
            "13,3 millones de dólares en 1993 a 6,7 millones de dólares en 1995.",
        ),
        (
            "/expenditure/?region=africa&from=1995&to=1995",
            "En 1995, montant des dépenses dans la région Afrique : 42,5 millions de dollars, en baisse de "
            f"8,8{NBSP}% par rapport à 46,6 millions de dollars en 1994.",
            "En 1995, gastos en África: 42,5 millones de dólares, una disminución del 8,8% respecto de "
            "46,6 millones de dólares en 1994.",
        ),
        (
            "/expenditure/?input_type=training",
            "Dépenses consacrées au poste Formation : hausse de 19,7 millions de dollars en 1994 à 21,5 millions de "
            "dollars en 1995 (maximum).",
            "Gastos en Formación: aumento de 19,7 millones de dólares en 1994 a un máximo de 21,5 millones de "
            "dólares en 1995.",
        ),
    ],
)
def test_languages_summarys_first_sentence_words_what_the_view_pins(client, ilo_data, path, french, spanish):
    assert summary_of(client, "/fr" + path)[0] == french
    assert summary_of(client, "/es" + path)[0] == spanish


def test_languages_every_combination_a_view_can_pin_has_its_sentences():
    from funding.explorer import words

    # Any of sources, regions and the country group; a type of input alone (vocabulary.INPUT_TYPE_ALONE).
    pins = {(), ("sources",), ("regions",), ("group",), ("sources", "regions"), ("sources", "group")}
    pins |= {("regions", "group"), ("sources", "regions", "group"), ("input_types",)}
    assert set(words.TREND_SENTENCES) == set(words.ONE_YEAR_SENTENCES) == pins
    # The largest member's whole keeps what the view pins but its split.
    assert {dim: set(texts) for dim, texts in words.LARGEST_SENTENCES.items()} == {
        "source": {(), ("regions",), ("group",), ("regions", "group")},
        "region": {(), ("sources",), ("group",), ("sources", "group")},
        "input_type": {()},
    }


def test_languages_share_of_a_country_groups_expenditure_is_one_sentence(client, ilo_data):
    path = "/expenditure/?region=latin-america-caribbean&group=ldc&from=1993&to=1997"
    assert summary_of(client, path)[1] == (
        "Latin America and the Caribbean's share of all expenditure for the least developed countries rose from "
        "0.0% in 1993 to 0.8% in 1995."
    )
    assert summary_of(client, "/fr" + path)[1] == (
        "Amérique latine et Caraïbes : la part dans l'ensemble des dépenses pour les pays les moins avancés est "
        f"passée de 0,0{NBSP}% en 1993 à 0,8{NBSP}% en 1995."
    )
    assert summary_of(client, "/es" + path)[1] == (
        "América Latina y el Caribe: la participación en el total de gastos de los países menos adelantados subió "
        "del 0,0% en 1993 al 0,8% en 1995."
    )
    assert summary_of(client, "/es/expenditure/?source=undp&group=ldc&from=1995&to=1995")[1] == (
        "PNUD: 54,3% del total de gastos de los países menos adelantados en 1995."
    )


@pytest.mark.parametrize(
    ("prefix", "label", "title"),
    [
        (
            "",
            "CSV with decimal commas (semicolons)",
            "For spreadsheets set to a language that writes decimal commas (French, Spanish...): columns separated "
            "by semicolons, decimal commas, UTF-8 with a byte order mark",
        ),
        (
            "/fr",
            "CSV à virgule décimale (points-virgules)",
            "Pour les tableurs réglés dans une langue à virgule décimale (français, espagnol…) : colonnes séparées "
            "par des points-virgules, virgule décimale, UTF-8 avec BOM",
        ),
        (
            "/es",
            "CSV con coma decimal (punto y coma)",
            "Para hojas de cálculo configuradas en un idioma con coma decimal (francés, español…): columnas "
            "separadas por punto y coma, coma decimal, UTF-8 con BOM",
        ),
    ],
)
def test_languages_decimal_comma_csv_link_is_in_the_pages_language(client, ilo_data, prefix, label, title):
    [link] = parse(client.get(f"{prefix}/expenditure/?by=source")).xpath("//a[@data-format='csv-excel-fr']")
    assert (text(link), link.get("title"), link.get("lang")) == (label, title, None)
    assert link.get("href") == f"{prefix}/expenditure.csv?by=source&by=total&dialect=excel-fr"


def test_languages_filter_errors_are_in_the_pages_language(client, ilo_data):
    response = client.get("/fr/expenditure/?from=19x5")
    assert response.status_code == 400
    assert "Le paramètre « from » doit être une année comme 1990, pas « 19x5 »." in visible_text(response)
    response = client.get("/es/expenditure/?group=nope")
    assert "Grupo desconocido «nope». Códigos conocidos: all, ldc." in visible_text(response)


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8")


def test_languages_exports_take_lang_and_default_to_the_addresss_language(client, ilo_data):
    spanish = csv_text(client.get("/expenditure.csv?by=source&from=1995&to=1995&lang=es"))
    assert ",rbtc,Presupuesto ordinario (CTPO)," in spanish
    french = csv_text(client.get("/fr/expenditure.csv?by=source&from=1995&to=1995"))
    assert ",trust-funds,Fonds de dépôt et financement multi-bilatéral," in french
    english = csv_text(client.get("/expenditure.csv?by=source&from=1995&to=1995"))
    assert ",rbtc,Regular budget (RBTC)," in english
    meta = client.get("/es/expenditure.json?by=source").json()["meta"]
    assert meta["title"] == "Gastos de cooperación técnica de la OIT por fuente de financiación, 1990-1996"
    assert meta["unit"] == "miles de dólares EE.UU."
    assert client.get("/expenditure.json?by=source").json()["meta"]["title"].startswith("ILO technical cooperation")


# The words of an OpenAPI document: every title, summary and description, by where it sits.
DESCRIBING = ("title", "summary", "description")
# What stays as it is in every language: a header's syntax, the names of two files and of a format.
UNTRANSLATED = {"attachment; filename=...", "datapackage.json", "zip", "CSV"}


def openapi_words(document, where=()):
    """{path to the text: text} for every title, summary and description of `document`."""
    if isinstance(document, list):
        items = enumerate(document)
    elif isinstance(document, dict):
        items = document.items()
    else:
        return {}
    words = {}
    for key, value in items:
        if key in DESCRIBING and isinstance(value, str):
            words[(*where, key)] = value
        else:
            words.update(openapi_words(value, (*where, key)))
    return words


def openapi_structure(document):
    """The document without its words or its server: paths, parameters, schemas and enums."""
    if isinstance(document, list):
        return [openapi_structure(item) for item in document]
    if isinstance(document, dict):
        return {
            key: openapi_structure(value)
            for key, value in document.items()
            if key != "servers" and not (key in DESCRIBING and isinstance(value, str))
        }
    return document


@pytest.mark.parametrize(
    ("lang", "server", "title", "from_words", "rounded"),
    [
        (
            "fr",
            "http://testserver/fr/",
            "API de données de tcdash",
            "Première année affichée. Après `to`, la plage ne contient aucune année et la réponse n'a aucune ligne.",
            "`rounded` : indiquée arrondie dans le texte du document",
        ),
        (
            "es",
            "http://testserver/es/",
            "API de datos de tcdash",
            "Primer año mostrado. Después de `to`, el intervalo no contiene ningún año y la respuesta no tiene filas.",
            "`rounded`: indicado redondeado en el texto del documento",
        ),
    ],
)
def test_languages_openapi_is_in_the_addresss_language_with_the_english_structure(
    client, db, lang, server, title, from_words, rounded
):
    english = client.get("/api/openapi.json").json()
    response = client.get(f"/{lang}/api/openapi.json")
    assert response.status_code == 200 and response["Content-Language"] == lang
    document = response.json()
    # Valid against the OpenAPI 3.1 schema (schemathesis's own check, raising on the first error).
    schemathesis.openapi.from_dict(document).validate()
    assert openapi_structure(document) == openapi_structure(english)
    assert document["servers"] == [{"url": server}] and english["servers"] == [{"url": "http://testserver/"}]
    words, english_words = openapi_words(document), openapi_words(english)
    assert set(words) == set(english_words)
    assert {text for where, text in words.items() if text == english_words[where]} == UNTRANSLATED
    assert document["info"]["title"] == title
    parameters = {p["name"]: p for p in document["paths"]["/expenditure.csv"]["get"]["parameters"]}
    assert parameters["from"]["description"] == from_words
    assert parameters["dialect"]["schema"]["enum"] == ["plain", "excel-fr"]
    status = document["components"]["schemas"]["Row"]["properties"]["status"]
    assert rounded in status["description"] and status["enum"][0] == "published"
    # A sample of English that must not be left anywhere in the document's words.
    text = " ".join(words.values())
    assert [word for word in (" the ", " and ", " of ", "never", "Source code", "rows") if word in text] == []


def test_languages_openapi_in_english_stays_english_whatever_the_browser_prefers(client, db):
    document = client.get("/api/openapi.json", HTTP_ACCEPT_LANGUAGE="fr").json()
    schemathesis.openapi.from_dict(document).validate()
    assert document["info"]["title"] == "tcdash data API"
    status = document["components"]["schemas"]["Row"]["properties"]["status"]["description"]
    assert status.startswith("The value's status: `published`: printed in a table of the document; `derived`: ")


def test_languages_code_list_names_are_stored_and_edited_in_the_admin(admin_client, ilo_data):
    from funding.models import Region, Source

    assert Source.objects.get(code="rbtc").name_es == "Presupuesto ordinario (CTPO)"
    assert Region.objects.get(code="arab-states").name_fr == "États arabes, Moyen-Orient"
    region = Region.objects.get(code="europe")
    page = admin_client.get(f"/admin/funding/region/{region.pk}/change/").content.decode()
    assert 'name="name_es"' in page and 'value="Europa"' in page


# The editors' pages: the upload form, a draft's preview, a release's record, the withdrawal, the
# release history with its record, and the sign-in pause.
EDITOR_ENGLISH = [
    "Upload figures",
    "Columns and what is checked",
    "Check and preview",
    "How the file writes numbers",
    "comma between thousands",
    "As the file says",
    "Preview against the live figures",
    "unchanged value",
    "thousands of US dollars",
    "Do the parts add up",
    "Adds up",
    "Live now",
    "In the file",
    "Publish these figures",
    "Number format",
    "Withdraw release",
    "values withdrawn",
    "provenance only",
    "Uploaded",
    "Published",
    "Regular budget",
    "Expenditure",
    "published",
    "Release history",
    "Sign in",
]
EDITOR_SAMPLES = {
    "fr": ["Aperçu par rapport aux chiffres en ligne", "5 nouvelles", "0 valeur inchangée", "Budget ordinaire (CTBO)"],
    "es": [
        "Vista previa frente a las cifras en línea",
        "5 nuevos",
        "0 valores sin cambios",
        "Presupuesto ordinario (CTPO)",
    ],
}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_languages_editor_pages_are_translated_without_english_leftovers(client, ilo_data, editor, lang):
    from funding.services import create_draft, publish_draft, withdraw_release
    from tests.factories import NEW_1992

    client.force_login(editor)
    draft = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)[1]
    withdrawn = create_draft(
        data=NEW_1992.replace(b"17000", b"17001").replace(b"156000", b"156001"), file_name="b.csv"
    )[1]
    publish_draft(release=withdrawn, user=editor)
    withdraw_release(release=withdrawn, user=editor)
    pages = {
        "upload": f"/{lang}/releases/upload/",
        "preview": f"/{lang}/releases/{draft.pk}/",
        "record": f"/{lang}/releases/{ilo_data.pk}/",
        "withdrawn": f"/{lang}/releases/{withdrawn.pk}/",
        "withdraw": f"/{lang}/releases/{ilo_data.pk}/withdraw/",
        "history": f"/{lang}/releases/",
    }
    texts = {}
    for name, path in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert parse(response).get("lang") == lang, path
        text = visible_text(response)
        assert [word for word in EDITOR_ENGLISH if word in text] == [], (name, text)
        texts[name] = text
    preview = texts["preview"]
    assert all(sample in preview for sample in EDITOR_SAMPLES[lang][:3]), preview
    assert EDITOR_SAMPLES[lang][3] in preview or EDITOR_SAMPLES[lang][3] in texts["upload"]
    words = {
        "fr": ["5 valeurs retirées, 0 valeur antérieure rétablie", "b.csv, 5 valeurs, format des nombres 1,234.5"],
        "es": [
            "5 valores retirados, 0 valores anteriores restablecidos",
            "b.csv, 5 valores, formato de números 1,234.5",
        ],
    }[lang]
    assert all(w in texts["withdrawn"] for w in words), texts["withdrawn"]
    assert all(w in texts["history"] for w in words[:1]), texts["history"]


@pytest.mark.parametrize(
    ("lang", "paused"),
    [
        ("fr", "la connexion est suspendue pendant 15 minutes"),
        ("es", "el inicio de sesión queda en pausa durante 15 minutos"),
    ],
)
def test_languages_the_sign_in_pause_is_in_the_pages_language(client, editor, lang, paused):
    for _ in range(5):
        response = client.post(f"/{lang}/accounts/login/", {"username": editor.username, "password": "wrong"})
    assert response.status_code == 429
    text = visible_text(response)
    assert paused in text
    assert [w for w in ("Sign-in", "paused", "Too many", "Back to the overview") if w in text] == []


@pytest.mark.parametrize(
    ("lang", "notes", "code_name"),
    [
        ("en", "Codes and notes", "Regular budget (RBTC)"),
        ("fr", "Codes et notes", "Budget ordinaire (CTBO)"),
        ("es", "Códigos y notas", "Presupuesto ordinario (CTPO)"),
    ],
)
def test_languages_the_upload_template_comes_in_the_readers_language(client, ilo_data, lang, notes, code_name):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client.get(f"/releases/template.xlsx?lang={lang}")
    assert response.status_code == 200
    assert response["Content-Language"] == lang
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Figures", notes]
    cells = [str(c) for row in workbook[notes].iter_rows(values_only=True) for c in row if c]
    assert ("rbtc" in cells) and (code_name in cells)
    # The figures sheet keeps its column names and codes (what is read), the names are for people.
    figures = list(workbook["Figures"].iter_rows(values_only=True))
    assert figures[0][:4] == ("measure", "year", "source", "source_name")
    assert figures[1][3] == code_name
    # From the French address without lang=, the same French file; the upload page offers it.
    assert client.get("/fr/releases/template.xlsx").content[:2] == b"PK"
    csv = client.get("/es/releases/template.csv").content.decode()
    assert csv.splitlines()[1].startswith("expenditure,1995,rbtc,Presupuesto ordinario (CTPO),_T,")
    assert client.get("/releases/template.csv?lang=de").status_code == 400


def upload_problems(client, lang, data, name="figures.csv", number_format="1,234.5"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"/{lang}/releases/upload/", {"file": SimpleUploadedFile(name, data), "number_format": number_format}
    )
    assert response.status_code == 200
    return visible_text(response)


BAD_ROWS = "measure,year,source,region,amount_usd_thousands\n" + "expenditure,19x5,rbtc,_T,1\n"


@pytest.mark.parametrize(
    ("lang", "singular", "plural", "messages"),
    [
        (
            "fr",
            "Le fichier n'a pas été accepté : 1 problème",
            "Le fichier n'a pas été accepté : 2 problèmes",
            [
                "'19x5' n'est pas une année ; écrivez-la en quatre chiffres, par exemple 1995.",
                "'-5' est négatif ; les montants ne peuvent pas être négatifs.",
            ],
        ),
        (
            "es",
            "El archivo no fue aceptado: 1 problema",
            "El archivo no fue aceptado: 2 problemas",
            [
                "'19x5' no es un año; escríbalo con cuatro dígitos, por ejemplo 1995.",
                "'-5' es negativo; los importes no pueden ser negativos.",
            ],
        ),
    ],
)
def test_languages_upload_problems_are_in_the_pages_language_with_plurals(
    client, ilo_data, editor, lang, singular, plural, messages
):
    client.force_login(editor)
    one = upload_problems(client, lang, BAD_ROWS.encode())
    assert singular in one and messages[0] in one
    two = upload_problems(client, lang, (BAD_ROWS + "expenditure,1995,undp,_T,-5\n").encode())
    assert plural in two and all(message in two for message in messages)
    assert "is not a year" not in two and "Nothing was changed" not in two


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "fr",
            [
                "... et 1 autre ligne avec des problèmes (non listée). Corrigez les 200 premiers",
                "... et 3 autres lignes avec des problèmes (non listées). Corrigez les 200 premiers",
            ],
        ),
        (
            "es",
            [
                "... y 1 fila más con problemas (no listada). Corrija los 200 primeros",
                "... y 3 filas más con problemas (no listadas). Corrija los 200 primeros",
            ],
        ),
    ],
)
def test_languages_the_count_of_rows_not_listed_has_its_plural(client, ilo_data, editor, lang, words):
    client.force_login(editor)
    header = "measure,year,source,region,amount_usd_thousands\n"
    for extra, expected in zip((1, 3), words, strict=True):
        data = header + "expenditure,19x5,rbtc,_T,1\n" * (200 + extra)
        assert expected in upload_problems(client, lang, data.encode())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", f"Le fichier fait 2{NBSP}049 octets (2 Ko) ; la limite est de 2{NBSP}048 octets (2 Ko)."),
        ("es", "El archivo tiene 2.049 bytes (2 KB); el límite es de 2.048 bytes (2 KB)."),
    ],
)
def test_languages_file_safety_problems_are_translated(client, ilo_data, editor, settings, lang, expected):
    client.force_login(editor)
    settings.UPLOAD_MAX_BYTES = 2048
    assert expected in upload_problems(client, lang, b"x" * 2049)
    settings.UPLOAD_MAX_BYTES = 16 * 1024 * 1024
    utf16 = "measure,year\n".encode("utf-16")
    french = "Le fichier est du texte UTF-16 ('Texte Unicode' d'Excel) ; tcdash lit l'UTF-8."
    spanish = "El archivo es texto UTF-16 ('Texto Unicode' de Excel); tcdash lee UTF-8."
    assert {"fr": french, "es": spanish}[lang] in upload_problems(client, lang, utf16)
    bomb = upload_problems(client, lang, b"PK\x03\x04 not really a zip", name="figures.xlsx")
    assert {"fr": "n'est pas un classeur Excel (.xlsx) valide", "es": "no es un libro de Excel (.xlsx) válido"}[
        lang
    ] in bomb


# An appendix table as printed and a wide export, each with a mistake: their problems in the page's
# language, the count's plural and the plural of the decimals a printed share is compared to.
APPENDIX_PROBLEMS = {
    "fr": {
        "one": "Le fichier n'a pas été accepté : 1 problème",
        "two": "Le fichier n'a pas été accepté : 2 problèmes",
        "labels": [
            "A8 : 'UNPD (1)' n'est ni une valeur connue pour source de financement ni le TOTAL. "
            "Les plus proches : undp (PNUD), unfpa (FNUAP).",
            "A10 : 'FNUPA' n'est ni une valeur connue pour source de financement ni le TOTAL. "
            "Les plus proches : unfpa (FNUAP).",
        ],
        "shares": [
            f"C7 : la part imprimée 12,0{NBSP}% ne correspond pas à 11,0{NBSP}%, la part de 12{NBSP}426 dans le "
            f"TOTAL 112{NBSP}930 (à 1 décimale, comme imprimé).",
            f"C8 : la part imprimée 28,00{NBSP}% ne correspond pas à 27,64{NBSP}%, la part de 31{NBSP}211 dans le "
            f"TOTAL 112{NBSP}930 (à 2 décimales, comme imprimé).",
        ],
    },
    "es": {
        "one": "El archivo no fue aceptado: 1 problema",
        "two": "El archivo no fue aceptado: 2 problemas",
        "labels": [
            "A8: 'UNPD (1)' no es ni un valor conocido para fuente de financiación ni el TOTAL. "
            "Los más cercanos: undp (PNUD), unfpa (FNUAP).",
            "A10: 'FNUPA' no es ni un valor conocido para fuente de financiación ni el TOTAL. "
            "Los más cercanos: unfpa (FNUAP).",
        ],
        "shares": [
            "C7: la participación impresa 12,0% no corresponde a 11,0%, la participación de 12.426 en el "
            "TOTAL 112.930 (con 1 decimal, como está impresa).",
            "C8: la participación impresa 28,00% no corresponde a 27,64%, la participación de 31.211 en el "
            "TOTAL 112.930 (con 2 decimales, como está impresa).",
        ],
    },
}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_languages_appendix_problems_are_in_the_pages_language_with_plurals(client, ilo_data, editor, lang):
    from tests.appendix_tables import GB273_A, csv_bytes, edited

    expected = APPENDIX_PROBLEMS[lang]
    client.force_login(editor)

    def problems(cells):
        return upload_problems(client, lang, csv_bytes(edited(GB273_A, cells)), number_format="1'234.5")

    one = problems({(7, 0): "UNPD (1)"})
    assert expected["one"] in one and expected["labels"][0] in one
    two = problems({(7, 0): "UNPD (1)", (9, 0): "FNUPA"})
    assert expected["two"] in two and all(message in two for message in expected["labels"])
    # A share printed to one decimal, and one to two: the decimals' singular and plural.
    shares = problems({(6, 2): "12.0%", (7, 2): "28.00%"})
    assert all(message in shares for message in expected["shares"])
    assert [
        word for word in ("is neither", "Closest", "does not match", "(to ", "as printed") if word in two + shares
    ] == []


WIDE_PROBLEMS = {
    "fr": [
        "A3 : Valeur inconnue pour source de financement : 'unpd'. Les plus proches : undp (PNUD), unfpa (FNUAP).",
        "F2 : Statut inconnu 'publishd'. Utilisez l'un de : published, derived, provisional, rounded, estimated, "
        "approximate.",
        "A1 : Le fichier ne dit pas quelle mesure il contient (dépenses, approbations ou pays bénéficiaires) : "
        "choisissez la mesure au téléversement (le champ Mesure ; --measure en ligne de commande).",
    ],
    "es": [
        "A3: Valor desconocido para fuente de financiación: 'unpd'. Los más cercanos: undp (PNUD), unfpa (FNUAP).",
        "F2: Estado desconocido 'publishd'. Use uno de: published, derived, provisional, rounded, estimated, "
        "approximate.",
        "A1: El archivo no dice qué medida contiene (gastos, aprobaciones o países beneficiarios): elija la "
        "medida al cargar el archivo (el campo Medida; --measure en la línea de comandos).",
    ],
}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_languages_wide_export_problems_are_in_the_pages_language_with_plurals(client, ilo_data, editor, lang):
    client.force_login(editor)
    response = client.get(f"/{lang}/expenditure.csv?by=source&from=1993&to=1997&layout=wide")
    name = response["Content-Disposition"].split('filename="', 1)[1].rstrip('"')
    data = b"".join(response.streaming_content)
    unknown_code, unknown_status, no_measure = WIDE_PROBLEMS[lang]
    one = upload_problems(client, lang, data.replace(b"\nundp,", b"\nunpd,"), name=name)
    assert APPENDIX_PROBLEMS[lang]["one"] in one and unknown_code in one
    two = upload_problems(
        client, lang, data.replace(b"\nundp,", b"\nunpd,").replace(b",published,", b",publishd,", 1), name=name
    )
    assert APPENDIX_PROBLEMS[lang]["two"] in two and unknown_code in two and unknown_status in two
    # Renamed, the export no longer says its measure.
    assert no_measure in upload_problems(client, lang, data, name="figures.csv")
    assert [word for word in ("Unknown", "Closest", "Use one of", "does not say") if word in one + two] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "/fr/expenditure.csv?layout=x&bom=2",
            "Requête incorrecte :\n- Valeur inconnue pour layout : « x ». Valeurs connues : long, wide.\n"
            "- Valeur inconnue pour bom : « 2 ». Valeurs connues : 0, 1.\n",
        ),
        (
            "/es/expenditure.xlsx?bom=1",
            "Solicitud incorrecta:\n"
            "- El parámetro «bom» no se aplica a los archivos .xlsx; .xlsx acepta layout, lang.\n",
        ),
    ],
)
def test_languages_export_option_errors_are_in_the_addresss_language(client, ilo_data, url, expected):
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == expected


@pytest.mark.parametrize(
    ("prefix", "counted"),
    [
        ("", ["1 value derived: ", "3 values rounded: ", "1 value approximate: "]),
        ("/fr", ["1 valeur dérivée : ", "3 valeurs arrondies : ", "1 valeur approximative : "]),
        ("/es", ["1 valor derivado: ", "3 valores redondeados: ", "1 valor aproximado: "]),
    ],
)
def test_languages_a_status_agrees_with_the_values_it_counts(client, ilo_data, prefix, counted):
    notes = client.get(f"{prefix}/expenditure.json?by=source&by=total&value=share&from=1990&to=1993").json()["meta"]
    assert [note[: len(start)] for note, start in zip(notes["notes"], counted, strict=False)] == counted
    # The meaning of "derived" covers the residual that the stated shares of 1990 leave.
    assert "100" in notes["notes"][0].split(". ", 1)[1]


@pytest.mark.parametrize(
    ("prefix", "name", "lighter"),
    [
        ("", "Technical cooperation figures", "figures"),
        ("/fr", "Coopération technique\u00a0: les chiffres", ": les chiffres"),
        ("/es", "Cooperación técnica: las cifras", ": las cifras"),
    ],
)
def test_languages_the_sites_name_is_one_phrase_in_the_languages_own_word_order(client, db, prefix, name, lighter):
    # Translated as one sentence, not "Coopération technique" + "chiffres" in the English order; the
    # lighter part (hidden on narrow screens) leaves the name whole without it.
    page = parse(client.get(f"{prefix}/accounts/login/").content)
    assert text(one(page, "//span[@class='brand__name']")) == name
    assert text(one(page, "//span[@class='brand__sub']")) == lighter


def test_languages_a_split_not_published_names_the_chosen_members_without_an_article_french_would_need(
    client, ilo_data
):
    # "publiée pour Afrique" wants "pour l'Afrique", and each region its own article: the French
    # sentence names the choice apart, as its titles do ("Dépenses, Afrique").
    page = parse(client.get("/fr/expenditure/?by=input_type&region=africa").content)
    sentence = text(one(page, "//*[contains(text(), 'Aucune ventilation par type')]"))
    assert sentence.startswith(
        "Aucune ventilation par type d'apport n'est publiée (Afrique) en 1990-1996 pour tous les pays."
    )
