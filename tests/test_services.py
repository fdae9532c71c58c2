"""Services: checking, drafting, publishing and withdrawing uploads, all or nothing."""

import gc
import hashlib
import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection, connections
from django.utils import translation

from funding.importers import ReadOptions
from funding.models import Observation, Release, ReleaseEvent, Source
from funding.selectors import cell_history, cells, live_release
from funding.services import (
    AlreadyPublished,
    PublishRefused,
    StalePreview,
    WithdrawRefused,
    check_draft,
    check_upload,
    create_draft,
    preview_rows,
    preview_units,
    publish_checked,
    publish_draft,
    totals_rows,
    withdraw_release,
)
from funding.services.live_cells import live_cells_drift
from funding.templatetags.records import event_words
from tests.factories import HEADER, NEW_1992, counts, live

# Restates 1995: 1,000 moved from UNDP to RBTC, so the parts still add up to the published total.
RESTATED_1995 = (
    HEADER + "expenditure,1995,rbtc,_T,13426,provisional,GB.Y\nexpenditure,1995,undp,_T,30211,provisional,GB.Y\n"
).encode()
OTHER_1995 = RESTATED_1995.replace(b"13426", b"13427").replace(b"30211", b"30210")


def test_check_upload_compares_a_file_with_the_live_values(ilo_data):
    data = NEW_1992 + b"expenditure,1995,rbtc,_T,12426,published,GB.Y\n"
    check = check_upload(data=data, file_name="f.csv")
    assert check.problems == []
    # The amount and status are live; the document (GB.Y) is not: a change of provenance only.
    assert check.counts == {"new": 5, "amount": 0, "status": 0, "provenance": 1, "unchanged": 0, "changed": 1}
    assert check.restated_years == []
    assert len(check.fingerprint) == 64
    assert check.identical is None


def test_check_upload_fingerprints_each_cell_as_its_tuple_prints_with_its_live_id(ilo_data):
    # The text hashed is what it always was, so a draft kept before keeps its fingerprint.
    check = check_upload(data=RESTATED_1995, file_name="f.csv")
    live = Observation.objects.current().filter(
        measure="expenditure", year=1995, source__code__in=["rbtc", "undp"], region__code="_T", country_group__code="_T"
    )
    cells = sorted(
        ((o.measure, o.country_group_id, o.year, o.source_id, o.region_id, o.input_type_id), o.pk) for o in live
    )
    assert len(cells) == 2
    text = "".join(f"{cell}:{pk};" for cell, pk in cells)
    assert check.fingerprint == hashlib.sha256(text.encode()).hexdigest()


def test_check_upload_leaves_the_cycle_collector_as_it_found_it(ilo_data):
    assert gc.isenabled()
    assert check_upload(data=NEW_1992, file_name="f.csv").ok
    assert not check_upload(data=b"measure\nx\n", file_name="f.csv").ok
    draft = create_draft(data=NEW_1992, file_name="f.csv")[1]
    assert publish_draft(release=draft)[1] is True
    assert gc.isenabled()
    gc.disable()  # as a process that runs without it has it: left off
    try:
        assert check_upload(data=NEW_1992, file_name="f.csv").ok
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_check_upload_flags_restated_years_with_old_new_and_percent(ilo_data):
    check = check_upload(data=RESTATED_1995, file_name="f.csv")
    assert check.restated_years == [("expenditure", 1995)]
    rows = preview_rows(check)
    assert [
        (r["kind"], r["line"], r["source"], r["old"], r["new"], r["difference_pct"], r["old_status"], r["status"])
        for r in rows
    ] == [
        ("amount", 2, "Regular budget (RBTC)", "12,426", "13,426", "+8.0%", "published", "provisional"),
        ("amount", 3, "UNDP", "31,211", "30,211", "-3.2%", "published", "provisional"),
    ]
    # The file's RBTC and UNDP with the live trust funds and UNFPA, against the live total.
    assert [(t["year"], t["by"], t["total"], t["sum"], t["difference"], t["ok"]) for t in totals_rows(check)] == [
        (1995, "sources of funds", "112,930", "112,931", "1", True),
    ]


# 1993's least developed countries in Africa and in Asia, sources and totals as published (GB.267/TC/1 App. V).
LDC_1993 = (
    b"measure,year,source,region,country_group,amount_usd_thousands\n"
    b"expenditure,1993,rbtc,africa,ldc,685\nexpenditure,1993,undp,africa,ldc,18035\n"
    b"expenditure,1993,trust-funds,africa,ldc,10110\nexpenditure,1993,unfpa,africa,ldc,3210\n"
    b"expenditure,1993,_T,africa,ldc,32041\n"
    b"expenditure,1993,rbtc,asia-pacific,ldc,94\nexpenditure,1993,undp,asia-pacific,ldc,13305\n"
    b"expenditure,1993,trust-funds,asia-pacific,ldc,1535\nexpenditure,1993,unfpa,asia-pacific,ldc,51\n"
    b"expenditure,1993,_T,asia-pacific,ldc,14986\n"
)


def test_totals_rows_name_the_member_whose_parts_they_add(ilo_data):
    check = check_upload(data=LDC_1993, file_name="ldc.csv")
    assert check.ok
    rows = [(t["year"], t["group"], t["by"], t["total"], t["sum"], t["difference"]) for t in totals_rows(check)]
    assert rows == [
        (1993, "Least developed countries", "sources of funds in Africa", "32,041", "32,040", "-1"),
        (1993, "Least developed countries", "sources of funds in Asia and the Pacific", "14,986", "14,985", "-1"),
    ]
    with translation.override("fr"):
        check = check_upload(data=LDC_1993, file_name="ldc.csv")
        assert [t["by"] for t in totals_rows(check)] == [
            "sources de financement dans la région Afrique",
            "sources de financement dans la région Asie et Pacifique",
        ]


def test_check_upload_checks_parts_against_the_live_total(ilo_data):
    before = counts()
    check = check_upload(data=(HEADER + "expenditure,1995,rbtc,_T,20000,published,GB.Y\n").encode(), file_name="f.csv")
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (
            2,
            "amount_usd_thousands",
            "The expenditure figures by sources of funds for 1995 add up to 120,505, but the total is 112,930: "
            "a difference of 7,575, more than the rounding tolerance of 1. (Values not in the file are the live ones.)",
        )
    ]
    assert check.rows == []
    assert counts() == before


TOTAL_1992 = "measure,year,source,region,amount_usd_thousands\nexpenditure,1992,_T,_T,150000\n"
UNDP_1992 = "measure,year,source,region,amount_usd_thousands\nexpenditure,1992,undp,_T,200000\n"
ABOVE_1992 = (
    "The expenditure figures by sources of funds for 1992 given (UNDP: 200,000) add up to 200,000, more than the "
    "total of 150,000: a difference of 50,000, more than the rounding tolerance of 1. No figure is below zero, so "
    "the parts not given cannot make up for it."
)


@pytest.mark.parametrize(
    ("live_file", "upload", "row"),
    [
        (TOTAL_1992, UNDP_1992, 2),  # a part above the live total
        (UNDP_1992, TOTAL_1992, 2),  # a total below a live part
        (TOTAL_1992, UNDP_1992.replace("200000", "150001"), None),  # within the rounding: accepted
    ],
)
def test_check_upload_refuses_parts_above_their_total_with_parts_missing(ilo_data, editor, live_file, upload, row):
    publish_draft(release=create_draft(data=live_file.encode(), file_name="live.csv", user=editor)[1], user=editor)
    check = check_upload(data=upload.encode(), file_name="f.csv")
    if row is None:
        assert check.problems == [] and check.ok
        # Only totals with every part there are in the preview's table: nothing to say of 1992's.
        assert [t["year"] for t in totals_rows(check)] == []
        return
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (row, "amount_usd_thousands", f"{ABOVE_1992} (Values not in the file are the live ones.)")
    ]
    assert check.rows == []


def test_check_upload_names_parts_above_their_total_in_the_pages_language(ilo_data, editor):
    publish_draft(release=create_draft(data=TOTAL_1992.encode(), file_name="live.csv", user=editor)[1], user=editor)
    messages = {}
    for language in ("fr", "es"):
        with translation.override(language):
            messages[language] = [p.message for p in check_upload(data=UNDP_1992.encode(), file_name="f.csv").problems]
    assert messages == {
        "fr": [
            "Les chiffres de dépenses par sources de financement pour 1992 donnés (PNUD : 200\xa0000) font 200\xa0000, "
            "plus que le total de 150\xa0000 : une différence de 50\xa0000, plus que la tolérance d'arrondi de 1. "
            "Aucun chiffre n'est inférieur à zéro : les parties non données ne peuvent pas compenser. (Les valeurs "
            "absentes du fichier sont celles en ligne.)"
        ],
        "es": [
            "Las cifras de gastos por fuentes de financiación de 1992 dadas (PNUD: 200.000) suman 200.000, más que el "
            "total de 150.000: una diferencia de 50.000, mayor que la tolerancia de redondeo de 1. Ninguna cifra es "
            "inferior a cero: las partes no dadas no pueden compensarlo. (Los valores que no están en el archivo son "
            "los que están en línea.)"
        ],
    }


def test_withdrawal_that_leaves_a_part_above_its_total_is_refused(ilo_data, editor):
    # 1992's total raised to 250,000, UNDP given 200,000 under it; withdrawing the raise would bring the
    # total of 150,000 back under UNDP's 200,000.
    _, raised, _ = published_in_turn(
        editor, TOTAL_1992.encode(), TOTAL_1992.replace("150000", "250000").encode(), UNDP_1992.encode()
    )
    assert_withdrawal_refused(raised, editor, ABOVE_1992)
    assert live(1992, "_T").amount == 250_000_000


@pytest.mark.parametrize(
    "line",
    [
        # The stated 1990 shares by source are live: a total share beside them is no sum to check (it
        # raised a KeyError in the totals' message: a 500).
        "expenditure-share,1990,_T,_T,55,published,GB.Y",
        # Countries counted by source do not add up to the countries counted in all: one receives from several.
        "recipients,1995,undp,_T,150,published,GB.Y",
    ],
)
def test_check_upload_checks_totals_of_money_only(ilo_data, line):
    before = counts()
    check = check_upload(data=(HEADER + line + "\n").encode(), file_name="f.csv")
    assert check.problems == [] and check.totals == []
    assert [(row["measure"], row["source"]) for row in check.rows] == [tuple(line.split(",")[:3:2])]
    assert counts() == before


MULTI_BI_1996 = "Expenditure 1996, Multi-bilateral programme"
TRUST_FUNDS_1996 = "Expenditure 1996, Trust funds and multi-bi"
OF_WHICH = 'which it is part of: an "of which" figure cannot be larger than the figure it is part of.'
LIVE = "(Values not in the file are the live ones.)"


def test_check_upload_refuses_an_of_which_figure_larger_than_its_live_parent(ilo_data):
    # The multi-bilateral programme is part of trust funds and multi-bi: 61,059 in 1996 (live).
    before = counts()
    check = check_upload(
        data=(HEADER + "expenditure,1996,multi-bi,_T,62000,approximate,GB.Y\n").encode(), file_name="f.csv"
    )
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (
            2,
            "amount_usd_thousands",
            f"{MULTI_BI_1996} (62,000) is more than {TRUST_FUNDS_1996} (61,059), {OF_WHICH} {LIVE}",
        )
    ]
    assert check.rows == []
    assert counts() == before


def test_check_upload_names_an_of_which_figure_in_the_pages_language(ilo_data):
    data = b"measure,year,source,region,amount_usd_thousands\nexpenditure,1996,multi-bi,_T,70000\n"
    with translation.override("fr"):
        assert [p.message for p in check_upload(data=data, file_name="f.csv").problems] == [
            "Dépenses 1996, Programme multi-bilatéral (70\xa0000) dépasse Dépenses 1996, Fonds de dépôt et "
            "financement multi-bilatéral (61\xa0059), dont il fait partie : un chiffre « dont » ne peut pas être plus "
            "grand que le chiffre dont il fait partie. (Les valeurs absentes du fichier sont celles en ligne.)"
        ]
    with translation.override("es"):
        assert [p.message for p in check_upload(data=data, file_name="f.csv").problems] == [
            "Gastos 1996, Programa multibilateral (70.000) es mayor que Gastos 1996, Fondos fiduciarios y "
            "multibilaterales (61.059), del que forma parte: una cifra «de la cual» no puede ser mayor que la cifra "
            "de la que forma parte. (Los valores que no están en el archivo son los que están en línea.)"
        ]


def test_check_upload_refuses_a_parent_lowered_below_its_live_of_which_figure(ilo_data):
    # Trust funds lowered to 50,000 (UNDP raised by as much, so the total still adds up): below the live
    # 52,000 of the multi-bilateral programme, which is part of them.
    data = (
        HEADER + "expenditure,1996,trust-funds,_T,50000,published,GB.Y\nexpenditure,1996,undp,_T,34590,published,GB.Y\n"
    )
    check = check_upload(data=data.encode(), file_name="f.csv")
    assert [(p.row, p.message) for p in check.problems] == [
        (2, f"{MULTI_BI_1996} (52,000) is more than {TRUST_FUNDS_1996} (50,000), {OF_WHICH} {LIVE}")
    ]
    assert check.totals == [] and check.rows == []


def test_check_upload_refuses_an_of_which_figure_larger_than_its_parent_in_the_same_file(ilo_data):
    data = (
        HEADER
        + "expenditure,1996,trust-funds,_T,61059,published,GB.Y\nexpenditure,1996,multi-bi,_T,61060,published,GB.Y\n"
    )
    assert [(p.row, p.message) for p in check_upload(data=data.encode(), file_name="f.csv").problems] == [
        (3, f"{MULTI_BI_1996} (61,060) is more than {TRUST_FUNDS_1996} (61,059), {OF_WHICH}")
    ]
    # As large as its parent is no contradiction (all of trust funds would be multi-bilateral).
    assert check_upload(data=data.replace("61060", "61059").encode(), file_name="f.csv").ok


def test_check_upload_refuses_an_of_which_figure_of_a_wide_file_at_its_cell(ilo_data):
    data = (
        "source,source_name,region,region_name,amount_1990,status_1990,amount_1996,status_1996\n"
        "multi-bi,of which: Multi-bilateral programme,_T,All regions,40000,approximate,62000,approximate\n"
    )
    check = check_upload(data=data.encode(), file_name="f.csv", options=ReadOptions(measure="expenditure"))
    assert check.layout == "wide"
    # 1990 has no amount for trust funds (only a stated share): nothing to check there.
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (2, "G", f"G2: {MULTI_BI_1996} (62,000) is more than {TRUST_FUNDS_1996} (61,059), {OF_WHICH} {LIVE}")
    ]


def test_check_upload_checks_of_which_figures_of_money_only(ilo_data):
    # A stated share of the multi-bilateral programme above trust funds' stated 37.8% is not compared
    # (shares are checked against the amounts they come from, never uploaded as amounts' parts).
    check = check_upload(
        data=(HEADER + "expenditure-share,1990,multi-bi,_T,40,published,GB.Y\n").encode(), file_name="f.csv"
    )
    assert check.problems == []
    assert [(row["measure"], row["source"]) for row in check.rows] == [("expenditure-share", "multi-bi")]


SHARES_HEAD = "measure,year,source,region,amount_usd_thousands\n"


def shares_file(*shares):
    """A CSV of 1990 shares by source, (source, per cent) each, with their notes: a changed derived residual
    (rbtc) says again what it is derived from, as a file restating one must (uploads.stale_derived_notes)."""
    lines = ["measure,year,source,region,amount_usd_thousands,note"]
    for source, share in shares:
        note = "not stated: what the stated shares leave of 100" if source == "rbtc" else "stated as a share"
        lines.append(f"expenditure-share,1990,{source},_T,{share},{note}")
    return "\n".join(lines) + "\n"


SHARES_STATUS_HEAD = "measure,year,source,region,amount_usd_thousands,status,document\n"
SHARES_NOTE_HEAD = "measure,year,source,region,amount_usd_thousands,status,document,note\n"
# The 1990 shares by source (GB.270/TC/2, para. 18): UNDP 45.9, UNFPA 7.6 and trust funds 37.8 stated,
# the regular budget's 8.7 derived (what the three leave of 100).
NO_ROOM_FOR_RBTC_1990 = (
    "they leave nothing for the share of Regular budget (RBTC), derived as what they leave of 100 per cent. Lower "
    "the stated shares in the same file, or give the share of Regular budget (RBTC) for 1990 as a document states "
    "it, with a status other than derived."
)


def residual_1990(undp, needed, value):
    """The problem of a 1990 UNDP share whose derived residual (the regular budget's) is not what it leaves."""
    return (
        f"The stated shares of expenditure by sources of funds for 1990 (UNDP: {undp}; Trust funds and multi-bi: "
        f"37.8; UNFPA: 7.6) leave {needed} of 100 per cent, but the share of Regular budget (RBTC), derived as what "
        f"they leave, is {value}. A file that changes a stated share restates the residual in the same file: give "
        f"the share of Regular budget (RBTC) for 1990 as {needed}."
    )


def test_check_upload_adds_a_stated_share_to_the_live_ones_and_their_derived_residual(ilo_data):
    before = counts()
    check = check_upload(data=(SHARES_HEAD + "expenditure-share,1990,undp,_T,80\n").encode(), file_name="f.csv")
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (
            2,
            "amount_usd_thousands",
            "The stated shares of expenditure by sources of funds for 1990 (UNDP: 80; Trust funds and multi-bi: 37.8; "
            f"UNFPA: 7.6) add up to 125.4 per cent, more than 100: {NO_ROOM_FOR_RBTC_1990} {LIVE}",
        ),
    ]
    assert check.rows == [] and check.totals == []
    assert counts() == before
    # Restating the residual (its status kept: derived), the stated shares still leave it nothing.
    restated = shares_file(("undp", "80"), ("rbtc", "0"))
    check = check_upload(data=restated.encode(), file_name="f.csv")
    assert [p.message for p in check.problems] == [
        "The stated shares of expenditure by sources of funds for 1990 (UNDP: 80; Trust funds and multi-bi: 37.8; "
        f"UNFPA: 7.6) add up to 125.4 per cent, more than 100: {NO_ROOM_FOR_RBTC_1990} {LIVE}",
    ]
    moved = shares_file(("undp", "46.9"), ("rbtc", "7.7"))
    check = check_upload(data=moved.encode(), file_name="f.csv")
    assert check.problems == [] and check.counts["amount"] == 2


def test_check_upload_refuses_a_lowered_stated_share_that_leaves_its_residual_as_it_was(ilo_data):
    # A later document states UNDP's 1990 share as 44.9: the regular budget's derived 8.7 is then 9.7.
    before = counts()
    check = check_upload(data=(SHARES_HEAD + "expenditure-share,1990,undp,_T,44.9\n").encode(), file_name="f.csv")
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (2, "amount_usd_thousands", f"{residual_1990('44.9', '9.7', '8.7')} {LIVE}"),
    ]
    assert check.rows == [] and counts() == before
    # The residual restated, but not to what the stated shares leave.
    wrong = shares_file(("undp", "44.9"), ("rbtc", "9.6"))
    assert [p.message for p in check_upload(data=wrong.encode(), file_name="f.csv").problems] == [
        f"{residual_1990('44.9', '9.7', '9.6')} {LIVE}"
    ]
    with translation.override("es"):
        assert [p.message for p in check_upload(data=wrong.encode(), file_name="f.csv").problems] == [
            "Las proporciones indicadas del gasto por fuentes de financiación de 1990 (PNUD: 44,9; Fondos fiduciarios "
            "y multibilaterales: 37,8; FNUAP: 7,6) dejan 9,7 del 100 por ciento, pero la proporción de Presupuesto "
            "ordinario (CTPO), derivada como lo que dejan, es 9,6. Un archivo que cambia una proporción indicada da "
            "también el resto en el mismo archivo: dé 9,7 como proporción de Presupuesto ordinario (CTPO) de 1990. "
            "(Los valores que no están en el archivo son los que están en línea.)"
        ]
    assert counts() == before


def test_a_lowered_stated_share_is_published_with_its_residual_restated_in_the_same_file(ilo_data, editor):
    data = (
        SHARES_NOTE_HEAD + "expenditure-share,1990,undp,_T,44.9,rounded,GB.Y para. 3,stated as a share\n"
        "expenditure-share,1990,rbtc,_T,9.7,derived,GB.Y para. 3,not stated: what the others leave of 100\n"
    ).encode()
    check, draft = create_draft(data=data, file_name="f.csv", user=editor)
    assert check.problems == []
    assert [(c.row["source"], c.kind, c.old.amount, c.row["amount"]) for c in check.changes] == [
        ("undp", "amount", 45_900, 44_900),
        ("rbtc", "amount", 8_700, 9_700),
    ]
    release, created = publish_draft(release=draft, user=editor)
    assert created
    shares = {s: live(1990, s, measure="expenditure-share") for s in ("rbtc", "undp", "trust-funds", "unfpa")}
    assert {s: o.amount for s, o in shares.items()} == {
        "rbtc": 9_700, "undp": 44_900, "trust-funds": 37_800, "unfpa": 7_600
    }  # fmt: skip
    assert (shares["rbtc"].status, shares["rbtc"].document, shares["rbtc"].release_id) == (
        2,
        "GB.Y para. 3",
        release.pk,
    )


def test_a_derived_value_changed_without_its_note_is_refused_its_note_on_record_quoted(ilo_data, editor):
    # The regular budget's derived 1990 share explains itself by the shares it was derived from: "what is
    # left ... after ... UNDP (45.9)". Restated without a note, that note would stay beside the new value.
    bare = SHARES_HEAD + "expenditure-share,1990,undp,_T,44.9\nexpenditure-share,1990,rbtc,_T,9.7\n"
    before = counts()
    check, draft = create_draft(data=bare.encode(), file_name="f.csv", user=editor)
    assert draft is None
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (
            3,
            "note",
            "This changes a derived value (8.7 to 9.7) without giving its note, and the note on record says how the "
            "old value was derived: “not stated: what is left of 100 per cent after the stated shares of UNDP "
            "(45.9), UNFPA (7.6) and trust funds (37.8)”. Give the value's note in a note column, saying what it "
            "is derived from now, or leave that cell empty to drop the note.",
        )
    ]
    assert counts() == before
    # Its note given, or an empty note cell (the note dropped): published, the note as the file gives it.
    for note in ("not stated: what UNDP (44.9), UNFPA (7.6) and trust funds (37.8) leave of 100", ""):
        data = (
            "measure,year,source,region,amount_usd_thousands,note\n"
            f'expenditure-share,1990,undp,_T,44.9,stated as a share\nexpenditure-share,1990,rbtc,_T,9.7,"{note}"\n'
        )
        check, draft = create_draft(data=data.encode(), file_name=f"{len(note)}.csv", user=editor)
        assert check.problems == []
        release, _ = publish_draft(release=draft, user=editor)
        residual = live(1990, "rbtc", measure="expenditure-share")
        assert (residual.amount, residual.status, residual.note) == (9_700, 2, note)
        withdraw_release(release=release, user=editor)


def test_check_upload_refuses_a_raised_stated_share_its_residual_cannot_make_room_for(ilo_data):
    # UNDP's 1990 share may rise to 54.6, what the regular budget's derived 8.7 leaves room for, no further.
    raised = SHARES_HEAD + "expenditure-share,1990,undp,_T,50\n"
    assert [p.message for p in check_upload(data=raised.encode(), file_name="f.csv").problems] == [
        f"{residual_1990('50', '4.6', '8.7')} {LIVE}"
    ]
    full = shares_file(("undp", "54.6"), ("rbtc", "0"))
    assert check_upload(data=full.encode(), file_name="f.csv").problems == []
    over = shares_file(("undp", "54.7"), ("rbtc", "0"))
    assert [p.message for p in check_upload(data=over.encode(), file_name="f.csv").problems] == [
        "The stated shares of expenditure by sources of funds for 1990 (UNDP: 54.7; Trust funds and multi-bi: 37.8; "
        f"UNFPA: 7.6) add up to 100.1 per cent, more than 100: {NO_ROOM_FOR_RBTC_1990} {LIVE}",
    ]
    # A document that states the regular budget's share too makes it a stated share like the others:
    # then the four are within 100 plus 0.05 for each.
    stated = SHARES_NOTE_HEAD + (
        "expenditure-share,1990,undp,_T,54.7,rounded,GB.Y,\nexpenditure-share,1990,rbtc,_T,0,rounded,GB.Y,\n"
    )
    assert check_upload(data=stated.encode(), file_name="f.csv").problems == []


def test_check_upload_checks_a_residual_the_file_gives_with_every_share(ilo_data):
    # All four 1990 shares in one file: the reader finds them within 100.2, the residual still must be exact.
    data = SHARES_STATUS_HEAD + (
        "expenditure-share,1990,rbtc,_T,8.8,derived,GB.Y\nexpenditure-share,1990,undp,_T,45.9,rounded,GB.Y\n"
        "expenditure-share,1990,trust-funds,_T,37.8,rounded,GB.Y\nexpenditure-share,1990,unfpa,_T,7.6,rounded,GB.Y\n"
    )
    assert [(p.row, p.message) for p in check_upload(data=data.encode(), file_name="f.csv").problems] == [
        (2, residual_1990("45.9", "8.7", "8.8"))
    ]


def test_check_upload_refuses_a_count_of_recipient_countries_above_the_live_total(ilo_data):
    check = check_upload(data=(SHARES_HEAD + "recipients,1990,_T,africa,200\n").encode(), file_name="f.csv")
    assert [(p.row, p.column, p.message) for p in check.problems] == [
        (
            2,
            "amount_usd_thousands",
            "The recipient countries for 1990 in Africa, 200, are more than those in all regions, 134: no part can "
            "count more countries than its total, though the parts need not add up to it. (Values not in the file "
            "are the live ones.)",
        )
    ]
    assert check_upload(data=(SHARES_HEAD + "recipients,1990,_T,africa,134\n").encode(), file_name="f.csv").ok


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("recipients,1990,_T,africa,200", "countries"),
        ("expenditure-share,1990,undp,_T,50", "value"),
        ("expenditure,1996,multi-bi,_T,61060", "amount"),
    ],
)
def test_check_upload_names_the_files_own_value_column_in_problems_against_the_live_values(ilo_data, line, column):
    data = f"measure,year,source,region,{column}\n{line}\n"
    [problem] = check_upload(data=data.encode(), file_name="f.csv").problems
    assert (problem.row, problem.column) == (2, column)
    assert problem.message.endswith(LIVE)


def test_check_upload_offers_every_code_the_column_accepts_those_added_since_too(ilo_data):
    # The multi-bilateral programme (under trust funds) and a member an administrator adds are codes of
    # the column as much as the parts of the total are.
    Source.objects.create(code="ipec", name="IPEC", order=99, colour="#000000")
    data = "measure,year,source,region,amount_usd_thousands\nexpenditure,1992,undpp,_T,100\n"
    assert [(p.row, p.column, p.message) for p in check_upload(data=data.encode(), file_name="f.csv").problems] == [
        (
            2,
            "source",
            "Unknown source of funds 'undpp'. Known codes: rbtc, undp, trust-funds, unfpa, multi-bi, ipec, or _T for "
            "all.",
        )
    ]


def test_check_upload_names_impossible_shares_and_counts_in_the_pages_language(ilo_data):
    data = (SHARES_HEAD + "expenditure-share,1990,undp,_T,80\nrecipients,1990,_T,africa,200\n").encode()
    with translation.override("fr"):
        assert [p.message for p in check_upload(data=data, file_name="f.csv").problems] == [
            "Les parts indiquées des dépenses par sources de financement pour 1990 (PNUD : 80 ; Fonds de dépôt et "
            "financement multi-bilatéral : 37,8 ; FNUAP : 7,6) font au total 125,4 pour cent, plus de 100 : elles ne "
            "laissent rien à la part de Budget ordinaire (CTBO), dérivée comme ce qu'elles laissent des 100 pour cent. "
            "Abaissez les parts indiquées dans le même fichier, ou donnez la part de Budget ordinaire (CTBO) pour 1990 "
            "telle qu'un document l'indique, avec un autre statut que « dérivée ». (Les valeurs absentes du fichier "
            "sont celles en ligne.)",
            "Les pays bénéficiaires en 1990 dans la région Afrique, 200, sont plus nombreux que ceux de toutes les "
            "régions, 134 : aucune partie ne peut compter plus de pays que son total, même si la somme des parties "
            "n'a pas à l'égaler. (Les valeurs absentes du fichier sont celles en ligne.)",
        ]
    with translation.override("es"):
        assert [p.message for p in check_upload(data=data, file_name="f.csv").problems] == [
            "Las proporciones indicadas del gasto por fuentes de financiación de 1990 (PNUD: 80; Fondos fiduciarios y "
            "multibilaterales: 37,8; FNUAP: 7,6) suman 125,4 por ciento, más de 100: no dejan nada para la proporción "
            "de Presupuesto ordinario (CTPO), derivada como lo que dejan del 100 por ciento. Reduzca las proporciones "
            "indicadas en el mismo archivo, o dé la proporción de Presupuesto ordinario (CTPO) de 1990 tal como la "
            "indica un documento, con un estado distinto de «derivado». (Los valores que no están en el archivo son "
            "los que están en línea.)",
            "Los países beneficiarios en 1990 en la región África, 200, son más que los de todas las regiones, 134: "
            "ninguna parte puede contar más países que su total, aunque la suma de las partes no tiene por qué "
            "igualarlo. (Los valores que no están en el archivo son los que están en línea.)",
        ]


def test_check_upload_keeps_ambiguous_amounts_for_the_preview(ilo_data):
    check = check_upload(data=(HEADER + "approvals,1991,_T,_T,12.426,published,\n").encode(), file_name="f.csv")
    assert [(a["row"], a["text"], a["value"], a["others"]) for a in check.ambiguous] == [
        (2, "12.426", Decimal("12.426"), [("1.234,5", Decimal("12426"))])
    ]


def test_create_draft_keeps_the_file_and_changes_no_live_value(ilo_data, editor):
    live_before = list(Observation.objects.current().values_list("pk", flat=True))
    check, draft = create_draft(data=NEW_1992, file_name="1992.csv", note="GB.X annex", user=editor)
    assert draft.state == Release.State.DRAFT
    assert bytes(draft.file_bytes) == NEW_1992
    assert (draft.file_name, draft.number_format, draft.note, draft.created_by) == (
        "1992.csv",
        "1,234.5",
        "GB.X annex",
        editor,
    )
    assert draft.checksum == check.checksum and len(draft.checksum) == 64
    assert draft.base_fingerprint == check.fingerprint
    assert (draft.new_values, draft.changed_values, draft.unchanged_values) == (5, 0, 0)
    assert list(draft.events.values_list("action", flat=True)) == ["upload"]
    assert list(Observation.objects.current().values_list("pk", flat=True)) == live_before
    assert draft.observations.count() == 0


def test_create_draft_reuses_the_draft_of_the_same_file(ilo_data, editor):
    _, first = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)
    _, second = create_draft(data=NEW_1992, file_name="1992 again.csv", user=editor)
    assert second.pk == first.pk
    assert Release.objects.filter(state="draft").count() == 1


def test_create_draft_records_each_upload_of_the_same_file(ilo_data, editor):
    colleague = User.objects.create_user("colleague")
    _, first = create_draft(data=NEW_1992, file_name="1992.csv", note="GB.X annex", user=editor)
    _, second = create_draft(data=NEW_1992, file_name="1992 again.csv", note="GB.X annex, p. 3", user=colleague)
    assert second.pk == first.pk
    assert (second.file_name, second.note, second.created_by) == ("1992 again.csv", "GB.X annex, p. 3", editor)
    # The record names the file the draft now holds, and who uploaded it again, newest first; each
    # upload's note stays with it, the first one's too, which the draft no longer holds.
    assert [(e.action, e.by, event_words(e)) for e in second.events.all()] == [
        ("upload", colleague, "1992 again.csv, 5 values, number format 1,234.5: GB.X annex, p. 3"),
        ("upload", editor, "1992.csv, 5 values, number format 1,234.5: GB.X annex"),
    ]


def test_create_draft_makes_nothing_from_a_bad_file(ilo_data, editor):
    before = counts()
    check, draft = create_draft(data=b"measure,year\n", file_name="f.csv", user=editor)
    assert draft is None
    assert [p.message for p in check.problems] == [
        "The column 'source' is missing.",
        "The column 'region' is missing.",
        "The column 'amount_usd_thousands' is missing.",
    ]
    assert counts() == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("recipients,1995,_T,_T,151.5,published,GB.Y", "'151.5' is not a whole number"),
        ("recipients,1990,_T,_T,100000000,published,GB.Y", "'100000000' countries is more than 300"),
        ("expenditure-share,1990,undp,_T,150,rounded,GB.Y", "'150' per cent is more than 100"),
    ],
)
def test_create_draft_refuses_a_value_its_unit_cannot_hold_and_writes_nothing(ilo_data, editor, row, message):
    before = counts()
    check, draft = create_draft(data=(HEADER + row + "\n").encode(), file_name="f.csv", user=editor)
    assert draft is None
    assert [(p.row, p.column) for p in check.problems] == [(2, "amount_usd_thousands")]
    assert check.problems[0].message.startswith(message)
    assert counts() == before


def test_preview_units_name_the_unit_of_each_measure_in_the_file(ilo_data):
    data = HEADER + "recipients,1992,_T,_T,140,published,GB.Y\nexpenditure-share,1992,undp,_T,40,rounded,GB.Y\n"
    check = check_upload(data=data.encode(), file_name="f.csv")
    assert preview_units(check) == [
        "Share of expenditure (stated): percentage of the year's total.",
        "Recipient countries: countries.",
    ]
    assert preview_units(check_upload(data=NEW_1992, file_name="f.csv")) == ["Expenditure: thousands of US dollars."]
    with translation.override("fr"):
        assert preview_units(check_upload(data=NEW_1992, file_name="f.csv")) == [
            "Dépenses : milliers de dollars des États-Unis."
        ]


def test_publish_draft_makes_the_values_live_in_one_release(ilo_data, editor):
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", note="GB.X annex", user=editor)
    release, created = publish_draft(release=draft, user=editor)
    assert created and release.pk == draft.pk
    release.refresh_from_db()
    assert (release.state, release.events.get(action="publish").by, release.new_values, release.changed_values) == (
        "published",
        editor,
        5,
        0,
    )
    assert live(1992).amount == 156_000_000
    assert live(1992, "undp").release_id == release.pk
    assert list(release.events.order_by("id").values_list("action", flat=True)) == ["upload", "publish"]


def test_publish_draft_of_a_file_identical_to_a_published_one_creates_nothing(ilo_data, editor):
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)
    publish_draft(release=draft, user=editor)
    before = counts()
    check, again = create_draft(data=NEW_1992, file_name="copy.csv", user=editor)
    assert again is None
    assert check.identical.pk == draft.pk
    assert counts() == before


def test_publish_draft_refuses_a_stale_preview(ilo_data, editor):
    _, first = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    other = OTHER_1995
    _, second = create_draft(data=other, file_name="b.csv", user=editor)
    publish_draft(release=first, user=editor)
    before = counts()
    with pytest.raises(StalePreview, match="changed since this file was previewed. Preview it again."):
        publish_draft(release=second, user=editor)
    assert counts() == before
    assert live(1995, "rbtc").amount == 13_426_000
    second.refresh_from_db()
    assert second.state == Release.State.DRAFT
    # Previewed again, against the new live values, it publishes.
    release, created = publish_draft(
        release=second, user=editor, expected_fingerprint=check_upload(data=other, file_name="b.csv").fingerprint
    )
    assert created and live(1995, "rbtc").amount == 13_427_000


def test_publish_draft_requires_another_publisher_when_the_office_says_so(ilo_data, editor, settings):
    settings.REQUIRE_SEPARATE_PUBLISHER = True
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)
    with pytest.raises(PublishRefused, match="someone other than the person who uploaded"):
        publish_draft(release=draft, user=editor)
    assert Observation.objects.filter(year=1992, measure="expenditure").count() == 0
    colleague = User.objects.create_user("colleague")
    release, created = publish_draft(release=draft, user=colleague)
    assert created and release.events.get(action="publish").by == colleague and release.created_by == editor


def test_publish_draft_refuses_whoever_uploaded_the_file_when_the_office_says_so(ilo_data, editor, settings):
    # The same file uploaded again by a colleague is the same draft (created by the first uploader),
    # now with the colleague's file name and note: the colleague uploaded it too, and may not publish it.
    settings.REQUIRE_SEPARATE_PUBLISHER = True
    colleague = User.objects.create_user("colleague")
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", note="first", user=editor)
    _, again = create_draft(data=NEW_1992, file_name="1992-checked.csv", note="second", user=colleague)
    assert again.pk == draft.pk and again.created_by == editor and again.note == "second"
    for uploader in (editor, colleague):
        with pytest.raises(PublishRefused, match="someone other than the person who uploaded"):
            publish_draft(release=again, user=uploader)
    assert Observation.objects.filter(year=1992, measure="expenditure").count() == 0
    reviewer = User.objects.create_user("reviewer")
    release, created = publish_draft(release=again, user=reviewer)
    assert created and release.events.get(action="publish").by == reviewer


def test_publish_draft_refuses_a_release_that_is_not_a_draft(ilo_data, editor):
    with pytest.raises(AlreadyPublished) as refusal:
        publish_draft(release=ilo_data, user=editor)
    assert str(refusal.value) == f"Release {ilo_data.pk} is already published; nothing changed."
    withdraw_release(release=ilo_data, user=editor)
    ilo_data.refresh_from_db()
    with pytest.raises(PublishRefused) as refusal:
        publish_draft(release=ilo_data, user=editor)
    assert str(refusal.value) == f"Release {ilo_data.pk} is withdrawn; only a draft is published."


def test_withdraw_release_restores_the_replaced_values_exactly(ilo_data, editor):
    before = {
        (o.year, o.source_id, o.region_id, o.input_type_id): (o.pk, o.amount, o.status, o.document, o.note)
        for o in Observation.objects.current().filter(measure="expenditure", year=1995, country_group__code="_T")
    }
    _, draft = create_draft(
        data=RESTATED_1995 + b"expenditure,1990,_T,_T,150000,published,GB.Y\n", file_name="f.csv", user=editor
    )
    release, _ = publish_draft(release=draft, user=editor)
    assert live(1995, "rbtc").amount == 13_426_000
    withdraw_release(release=release, user=editor, note="wrong annex")
    after = {
        (o.year, o.source_id, o.region_id, o.input_type_id): (o.pk, o.amount, o.status, o.document, o.note)
        for o in Observation.objects.current().filter(measure="expenditure", year=1995, country_group__code="_T")
    }
    assert after == before
    assert (
        not Observation.objects.current()
        .filter(measure="expenditure", year=1990, source__code="_T", region__code="_T")
        .exists()
    )
    release.refresh_from_db()
    assert (release.state, release.events.get(action="withdraw").by) == ("withdrawn", editor)
    events = list(release.events.order_by("id"))[1:]
    assert [(e.action, e.facts, e.detail) for e in events] == [
        ("publish", {"new": 1, "changed": 2, "amount": 2, "status": 0, "provenance": 0, "unchanged": 0}, ""),
        ("withdraw", {"withdrawn": 3, "restored": 2}, "wrong annex"),
    ]
    # The record keeps facts, not sentences: each reader reads it in their language.
    assert [event_words(e) for e in events] == [
        "1 new, 2 changed (2 amounts, 0 statuses, 0 provenance only), 0 unchanged",
        "3 values withdrawn, 2 earlier values restored: wrong annex",
    ]
    with translation.override("fr"):
        assert [event_words(e) for e in events] == [
            "1 nouvelle, 2 modifiées (2 montants, 0 statut, 0 provenance seule), 0 inchangée",
            "3 valeurs retirées, 2 valeurs antérieures rétablies : wrong annex",
        ]
    with translation.override("es"):
        assert [event_words(e) for e in events] == [
            "1 nuevo, 2 modificados (2 importes, 0 estados, 0 solo de procedencia), 0 sin cambios",
            "3 valores retirados, 2 valores anteriores restablecidos: wrong annex",
        ]


def test_withdraw_release_refuses_a_draft(ilo_data, editor):
    _, draft = create_draft(data=NEW_1992, file_name="1992.csv", user=editor)
    with pytest.raises(WithdrawRefused, match=r"is draft \(previewed, not published\); only a published one can be"):
        withdraw_release(release=draft, user=editor)


def test_check_upload_costs_a_fixed_number_of_queries(ilo_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        check_upload(data=NEW_1992, file_name="f.csv")


@pytest.mark.django_db(transaction=True)
def test_publish_draft_lets_one_of_two_concurrent_publishes_win():
    """Two editors publish over the same cells at the same moment, each on its own connection."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections to PostgreSQL; SQLite serialises writers with IMMEDIATE transactions")
    from django.core.management import call_command

    call_command("load_ilo_data", verbosity=0)
    editor = User.objects.create_user("editor")
    _, first = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    other = OTHER_1995
    _, second = create_draft(data=other, file_name="b.csv", user=editor)
    before_observations = Observation.objects.count()

    barrier = threading.Barrier(2)
    outcomes = {}

    def publish(draft):
        try:
            barrier.wait(timeout=10)
            publish_draft(release=Release.objects.get(pk=draft.pk), user=editor)
            outcomes[draft.pk] = "published"
        except StalePreview:
            outcomes[draft.pk] = "stale"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(d,)) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["published", "stale"]
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "published")
    assert Observation.objects.count() == before_observations + 2
    assert set(
        Observation.objects.current()
        .filter(
            year=1995,
            region__code="_T",
            source__code__in=["rbtc", "undp"],
            country_group__code="_T",
            measure="expenditure",
        )
        .values_list("release_id", flat=True)
    ) == {winner}
    assert Release.objects.filter(state="published").count() == 2


def ours_refused_after_theirs(ours, theirs, editor):
    """Ours checked, theirs published since, then ours published: refused, writing nothing. Its refusal."""
    check = check_upload(data=ours, file_name="ours.csv")
    assert check.ok
    publish_draft(release=create_draft(data=theirs, file_name="theirs.csv", user=editor)[1], user=editor)
    before = counts()
    with pytest.raises(PublishRefused) as refusal:
        publish_checked(check=check, title="ours", data=ours, user=editor, expected_fingerprint=check.fingerprint)
    assert counts() == before
    return str(refusal.value)


def test_publish_checked_rechecks_totals_on_the_values_live_under_the_lock(ilo_data, editor):
    # Each file alone keeps 1995 within the rounding tolerance; together they do not. The second one's
    # fingerprint cannot see it (the files write different cells), so the publish checks again.
    ours = (HEADER + "expenditure,1995,rbtc,_T,12425,published,\n").encode()
    theirs = (HEADER + "expenditure,1995,undp,_T,31209,published,\n").encode()
    refusal = ours_refused_after_theirs(ours, theirs, editor)
    assert refusal == (
        "The published figures changed since this file was previewed: The expenditure figures by sources of funds "
        "for 1995 add up to 112,928, but the total is 112,930: a difference of 2, more than the rounding tolerance "
        "of 1. Preview it again."
    )
    assert live(1995, "rbtc").amount == 12_426_000


def test_publish_checked_rechecks_of_which_figures_on_the_values_live_under_the_lock(ilo_data, editor):
    # Ours raises the multi-bilateral programme to 55,000, under trust funds' 61,059; theirs, published
    # since, moves 7,059 from trust funds to UNDP: together they do not hold.
    ours = (HEADER + "expenditure,1996,multi-bi,_T,55000,approximate,\n").encode()
    theirs = (
        HEADER + "expenditure,1996,trust-funds,_T,54000,published,\nexpenditure,1996,undp,_T,30590,published,\n"
    ).encode()
    refusal = ours_refused_after_theirs(ours, theirs, editor)
    assert refusal == (
        "The published figures changed since this file was previewed: "
        f"{MULTI_BI_1996} (55,000) is more than {TRUST_FUNDS_1996} (54,000), {OF_WHICH} Preview it again."
    )
    assert live(1996, "multi-bi").amount == 52_000_000


def test_publish_checked_rechecks_stated_shares_on_the_values_live_under_the_lock(ilo_data, editor):
    # 1991 has no stated shares: each file alone adds one within 100 per cent; together they pass 100.1.
    ours = (SHARES_HEAD + "expenditure-share,1991,undp,_T,60\n").encode()
    theirs = (SHARES_HEAD + "expenditure-share,1991,unfpa,_T,41\n").encode()
    refusal = ours_refused_after_theirs(ours, theirs, editor)
    assert refusal == (
        "The published figures changed since this file was previewed: The stated shares of expenditure by sources "
        "of funds for 1991 (UNDP: 60; UNFPA: 41) add up to 101 per cent, more than the limit of 100.1 per cent: 100 "
        "plus 0.05 for each of the 2 shares, as each is stated to one decimal. Preview it again."
    )
    assert not Observation.objects.current().filter(measure="expenditure-share", year=1991, source__code="undp")


def test_the_database_refuses_an_amount_above_a_trillion_dollars(ilo_data):
    # The limit an upload names (importers.MAX_AMOUNT_THOUSANDS) is PostgreSQL's own; on SQLite the
    # importers alone hold it (migration 0025 says why).
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the importers hold the limit (migration 0025)")

    value = live(1995, "undp")
    Observation.objects.filter(pk=value.pk).update(amount=10**12)
    with pytest.raises(IntegrityError), transaction.atomic():
        Observation.objects.filter(pk=value.pk).update(amount=10**12 + 1)
    assert Observation.objects.get(pk=value.pk).amount == 10**12


def test_the_database_keeps_one_published_release_per_reading_of_a_file(db):
    from django.db import IntegrityError, transaction

    Release.objects.create(title="first", checksum="c" * 64, state=Release.State.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(title="again", checksum="c" * 64, state=Release.State.PUBLISHED)
    # The same bytes read with another status from the form are another release.
    provisional = {"status": "provisional"}
    Release.objects.create(title="other", checksum="c" * 64, state=Release.State.PUBLISHED, read_options=provisional)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(
            title="again", checksum="c" * 64, state=Release.State.PUBLISHED, read_options=provisional
        )
    Release.objects.filter(title="other").delete()
    # Drafts and withdrawn releases of the same file are allowed: the rule is about live figures.
    Release.objects.create(title="draft", checksum="c" * 64)
    Release.objects.create(title="withdrawn", checksum="c" * 64, state=Release.State.WITHDRAWN)
    assert Release.objects.filter(checksum="c" * 64).count() == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(title="draft").update(state=Release.State.PUBLISHED)


def test_the_same_file_with_another_status_from_the_form_is_another_release(ilo_data, editor):
    # A wide export with its status cells emptied: the form's Status says what they are.
    data = (
        b"source,source_name,region,region_name,amount_1995,status_1995\r\n"
        b"rbtc,Regular budget (RBTC),_T,All regions,12426,\r\n"
        b"undp,UNDP,_T,All regions,31211,\r\n"
    )
    name = "tcdash-expenditure-by-source-1995-1995-wide.csv"
    provisional = ReadOptions(measure="expenditure", status="provisional")
    check, draft = create_draft(data=data, file_name=name, user=editor, options=provisional)
    assert check.identical is None and check.counts["changed"] == 2
    first, _ = publish_draft(release=draft, user=editor, expected_fingerprint=check.fingerprint)
    assert [live(1995, s).get_status_display() for s in ("rbtc", "undp")] == ["provisional"] * 2
    again, _ = create_draft(data=data, file_name=name, user=editor, options=provisional)
    assert again.identical == first  # the same file read the same way: already published
    published = ReadOptions(measure="expenditure", status="published")
    check, draft = create_draft(data=data, file_name=name, user=editor, options=published)
    assert check.identical is None and check.counts["changed"] == 2
    before = counts()
    second, created = publish_draft(release=draft, user=editor, expected_fingerprint=check.fingerprint)
    assert created and second.pk != first.pk and second.checksum == first.checksum
    assert [live(1995, s).get_status_display() for s in ("rbtc", "undp")] == ["published"] * 2
    assert counts()[1] == before[1] + 2  # two new values: the statuses changed


def _published_values(release):
    return sorted(
        Observation.objects.filter(release=release).values_list(
            "measure", "year", "source__code", "region__code", "amount", "status", "document", "note", "is_current"
        )
    )


def test_create_draft_costs_a_fixed_number_of_queries(ilo_data, editor, django_assert_num_queries):
    # Savepoint, code lists (4), the live generation, code ids (4), the live values around the file (one
    # query a measure and group), the identical release, the draft (look-up, insert) and its upload event.
    with django_assert_num_queries(16):
        _, draft = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    assert draft.checked["prepared"]["retired"] == [live(1995, "rbtc").pk, live(1995, "undp").pk]


# The statement bulk.fetched_by_index sends after the retiring UPDATE, on PostgreSQL only.
BY_INDEX = 1 if connection.vendor == "postgresql" else 0


def test_publish_draft_costs_a_fixed_number_of_queries_when_nothing_changed_since(
    ilo_data, editor, django_assert_num_queries
):
    _, draft = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    # Savepoint, the lock, the identical release, the live generation, its place in the order of
    # publication (one look-up of the two sequences' ends), the release, the replaced values retired
    # (one statement, which counts their documents), the new ones written (one), the summary of live
    # cells (the retired ones out, the new ones in: two), the live documents (counted from what the
    # publish holds; the table's rows of their documents read, one changed, one added: three), the
    # publish event, the generation moved on, release savepoint. On PostgreSQL, the planner's settings
    # the retiring statement is sent with put back after it (bulk.fetched_by_index): one more.
    with django_assert_num_queries(16 + BY_INDEX, info="the publish of a prepared draft"):
        release, created = publish_draft(release=draft, user=editor)
    assert created
    assert (live(1995, "rbtc").amount, live(1995, "undp").amount) == (13_426_000, 30_211_000)
    assert (live(1995, "rbtc").status, live(1995, "rbtc").release_id) == (3, release.pk)


def test_publish_draft_compares_again_under_the_lock_once_something_changed(
    ilo_data, editor, django_assert_num_queries
):
    _, draft = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    publish_draft(release=create_draft(data=NEW_1992, file_name="1992.csv", user=editor)[1], user=editor)
    # As above, with the code lists and their ids (8) and the live values around the file read again.
    with django_assert_num_queries(25 + BY_INDEX):
        release, created = publish_draft(release=draft, user=editor)
    assert created and live(1995, "undp").amount == 30_211_000


def test_a_prepared_publish_writes_what_a_fresh_comparison_writes(ilo_data, editor):
    """The preview's work (the fast path) and a comparison under the lock write the same rows."""
    # The file has no note column: each value keeps the note on record.
    notes = {code: live(1995, code).note for code in ("rbtc", "undp")}
    assert notes["rbtc"].startswith("published table; share 11.0%")
    _, draft = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    fast, _ = publish_draft(release=draft, user=editor)
    written = _published_values(fast)
    withdraw_release(release=fast, user=editor)
    Release.objects.filter(pk=fast.pk).update(checksum="withdrawn")
    _, draft = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    draft.checked.pop("prepared")
    draft.save()
    slow, _ = publish_draft(release=Release.objects.get(pk=draft.pk), user=editor)
    assert (
        _published_values(slow)
        == written
        == [
            ("expenditure", 1995, "rbtc", "_T", 13_426_000, 3, "GB.Y", notes["rbtc"], True),
            ("expenditure", 1995, "undp", "_T", 30_211_000, 3, "GB.Y", notes["undp"], True),
        ]
    )


def test_a_draft_keeps_its_rows_field_by_field_and_one_kept_as_rows_still_publishes(ilo_data, editor):
    _, draft = create_draft(data=RESTATED_1995, file_name="a.csv", user=editor)
    kept = Release.objects.get(pk=draft.pk).checked
    assert kept["row_fields"] == ["line", "measure", "year", "source", "region", "country_group", "input_type",
                                  "amount", "status", "document"]  # fmt: skip
    assert kept["by_field"][kept["row_fields"].index("amount")] == [13_426_000, 30_211_000]
    assert [row["amount"] for row in check_draft(draft).rows] == [13_426_000, 30_211_000]
    # A draft kept before (its rows as dicts) previews and publishes as it did.
    fields, values = kept.pop("row_fields"), kept.pop("by_field")
    kept["rows"] = [dict(zip(fields, row, strict=True)) for row in zip(*values, strict=True)]
    Release.objects.filter(pk=draft.pk).update(checked=kept)
    draft = Release.objects.get(pk=draft.pk)
    assert check_draft(draft).counts["amount"] == 2
    release, created = publish_draft(release=draft, user=editor)
    assert created
    assert (live(1995, "rbtc").amount, live(1995, "undp").amount) == (13_426_000, 30_211_000)


# --- Withdrawal brings back the value the release replaced, in the order of publication -----------

UNFPA_1996 = "measure,year,source,region,amount_usd_thousands\nexpenditure,1996,unfpa,_T,{}\n"


def _unfpa_1996_draft(amount, editor):
    return create_draft(data=UNFPA_1996.format(amount).encode(), file_name=f"unfpa-{amount}.csv", user=editor)[1]


def _publish_previewed_again(draft, editor):
    """Publish a draft as its preview, viewed now, offers it (against the values live now)."""
    return publish_draft(release=draft, user=editor, expected_fingerprint=check_draft(draft).fingerprint)[0]


def _unfpa_1996():
    return live(1996, "unfpa").amount // 1000


def _drafts_published_out_of_upload_order(editor):
    """P (6620) uploaded before Q (6618), Q published first, then P, then S (6619) over both."""
    p, q = _unfpa_1996_draft(6620, editor), _unfpa_1996_draft(6618, editor)
    assert p.pk < q.pk
    _publish_previewed_again(q, editor)
    _publish_previewed_again(p, editor)
    s = _publish_previewed_again(_unfpa_1996_draft(6619, editor), editor)
    return p, q, s


def test_withdraw_release_brings_back_the_value_it_replaced_not_the_newest_upload(ilo_data, editor):
    assert _unfpa_1996() == 6619
    p, q, s = _drafts_published_out_of_upload_order(editor)
    assert _unfpa_1996() == 6619
    withdraw_release(release=s, user=editor)
    assert _unfpa_1996() == 6620  # P's, which S replaced: P was published after Q, though uploaded before
    withdraw_release(release=p, user=editor)
    assert _unfpa_1996() == 6618  # Q's, the newest by publication still published
    withdraw_release(release=q, user=editor)
    assert (_unfpa_1996(), live(1996, "unfpa").release_id) == (6619, ilo_data.pk)
    assert live_cells_drift() == []


def test_withdraw_release_not_live_in_a_cell_leaves_that_cell_alone(ilo_data, editor):
    p, q, s = _drafts_published_out_of_upload_order(editor)
    withdraw_release(release=p, user=editor)
    # S holds the cell: P's value was no longer live, so nothing was withdrawn or restored there.
    assert (_unfpa_1996(), live(1996, "unfpa").release_id) == (6619, s.pk)
    assert p.events.get(action="withdraw").facts == {"withdrawn": 0, "restored": 0}
    withdraw_release(release=s, user=editor)
    assert _unfpa_1996() == 6618  # Q's: what S replaced (P's) is withdrawn since
    assert s.events.get(action="withdraw").facts == {"withdrawn": 1, "restored": 1}


def test_the_order_of_publication_holds_when_the_clock_does_not(ilo_data, editor):
    p, q, s = _drafts_published_out_of_upload_order(editor)
    # Every publish recorded at one instant (or by servers whose clocks disagree): the places in the
    # sequence still say which came first.
    ReleaseEvent.objects.update(at=datetime(2026, 1, 1, tzinfo=UTC))
    assert [Release.objects.get(pk=r.pk).published_seq for r in (q, p, s)] == sorted(
        Release.objects.get(pk=r.pk).published_seq for r in (q, p, s)
    )
    history = cell_history(measure="expenditure", year=1996, source="unfpa")
    assert [(v["release_id"], v["amount"] // 1000) for v in history] == [
        (s.pk, 6619),
        (p.pk, 6620),
        (q.pk, 6618),
        (ilo_data.pk, 6619),
    ]
    withdraw_release(release=s, user=editor)
    ReleaseEvent.objects.update(at=datetime(2026, 1, 1, tzinfo=UTC))

    def as_of(release):
        release = Release.objects.get(pk=release.pk)
        found = cells(measures=["expenditure"], members={"source": ["unfpa"], "region": ["_T"]}, release=release)
        return [(c["amount"], c["release"]) for c in found if c["year"] == 1996 and c["country_group"] == "_T"]

    # The values as each release left them: one value a cell, the one live right after it.
    assert as_of(q) == [(6618, q.pk)]
    assert as_of(p) == [(6620, p.pk)]
    assert as_of(s) == [(6619, s.pk)]
    assert live_release().pk == p.pk  # the newest published release still published


# --- A publish writes what it changes, and counts what it leaves as it is -------------------------


def _export(client, url):
    return b"".join(client.get(url).streaming_content)


def test_a_publish_writes_only_the_values_it_changes_so_withdrawals_undo_each_release(client, ilo_data, editor):
    _, r1 = create_draft(
        data=b"measure,year,source,region,amount_usd_thousands\nexpenditure,1995,unfpa,_T,8265\n",
        file_name="r1.csv",
        user=editor,
    )
    r1, _ = publish_draft(release=r1, user=editor)
    exported = _export(client, "/expenditure.csv?by=source&by=total&from=1995&to=1995")
    check, r2 = create_draft(data=exported.replace(b",12426,", b",12425,"), file_name="r2.csv", user=editor)
    assert (check.counts["changed"], check.counts["unchanged"]) == (1, 4)
    r2, _ = publish_draft(release=r2, user=editor)
    # R2 holds the one value it changed; the four it left keep their releases (R1's UNFPA among them).
    assert list(r2.observations.values_list("source__code", "amount")) == [("rbtc", 12_425_000)]
    assert (r2.new_values, r2.changed_values, r2.unchanged_values) == (0, 1, 4)
    assert r2.events.get(action="publish").facts["unchanged"] == 4
    assert live(1995, "unfpa").release_id == r1.pk
    unfpa = cell_history(measure="expenditure", year=1995, source="unfpa")
    assert [v["release_id"] for v in unfpa] == [r1.pk, ilo_data.pk]
    cited = client.get("/expenditure.json?by=source&by=total&from=1995&to=1995").json()["meta"]["releases"]
    assert [release["id"] for release in cited] == [ilo_data.pk, r1.pk, r2.pk]

    withdraw_release(release=r1, user=editor)
    assert (live(1995, "unfpa").amount, live(1995, "unfpa").release_id) == (8_266_000, ilo_data.pk)
    assert live(1995, "rbtc").amount == 12_425_000
    assert r1.events.get(action="withdraw").facts == {"withdrawn": 1, "restored": 1}
    withdraw_release(release=r2, user=editor)
    assert (live(1995, "rbtc").amount, live(1995, "rbtc").release_id) == (12_426_000, ilo_data.pk)
    assert r2.events.get(action="withdraw").facts == {"withdrawn": 1, "restored": 1}
    assert live_cells_drift() == []


def test_a_preview_of_unchanged_rows_stays_stale_when_one_of_them_changes(ilo_data, editor):
    # The fingerprint covers every cell of the file, those it leaves as they are included: a publish
    # over one of them since the preview means the preview no longer says what the file does.
    exported = HEADER + "expenditure,1995,rbtc,_T,12425,published,GB.Y\nexpenditure,1995,undp,_T,31211,,\n"
    _, draft = create_draft(data=exported.encode(), file_name="a.csv", user=editor)
    undp = "measure,year,source,region,amount_usd_thousands\nexpenditure,1995,undp,_T,31210\n"
    publish_draft(release=create_draft(data=undp.encode(), file_name="b.csv", user=editor)[1], user=editor)
    with pytest.raises(StalePreview):
        publish_draft(release=draft, user=editor)


def assert_withdrawal_refused(release, editor, problems):
    """Withdrawing `release` is refused for `problems` (the messages of what would not hold together),
    and nothing changes: it stays published."""
    before = counts()
    with pytest.raises(WithdrawRefused) as refusal:
        withdraw_release(release=release, user=editor)
    assert str(refusal.value) == (
        f"Release {release.pk} is not withdrawn: the figures it would bring back do not agree with those published "
        f"since. {problems} Withdraw the later release first, or publish a corrected file."
    )
    assert counts() == before
    release.refresh_from_db()
    assert release.state == Release.State.PUBLISHED


def published_in_turn(editor, *files):
    """Each file (CSV bytes) uploaded and published by `editor`, one after the other: their releases."""
    return [
        publish_draft(release=create_draft(data=data, file_name=f"{n}.csv", user=editor)[1], user=editor)[0]
        for n, data in enumerate(files)
    ]


def shares_1990():
    """The live 1990 shares by source, per cent x 1000."""
    return [live(1990, s, measure="expenditure-share").amount for s in ("rbtc", "undp", "trust-funds", "unfpa")]


def test_a_withdrawal_brings_back_a_stated_share_with_the_residual_it_left(ilo_data, editor):
    # A lowers UNDP's 1990 share to 44.9 with the residual restated to 9.7; withdrawn, both come back.
    a = shares_file(("undp", "44.9"), ("rbtc", "9.7")).encode()
    first, _ = publish_draft(release=create_draft(data=a, file_name="a.csv", user=editor)[1], user=editor)
    assert shares_1990() == [9_700, 44_900, 37_800, 7_600]
    withdraw_release(release=first, user=editor)
    assert shares_1990() == [8_700, 45_900, 37_800, 7_600]
    assert live(1990, "rbtc", measure="expenditure-share").release_id == ilo_data.pk


def test_a_withdrawal_that_would_leave_a_residual_no_stated_share_leaves_is_refused_and_changes_nothing(
    ilo_data, editor
):
    # A: UNDP 46.9, the residual 7.7. B, since: UNFPA 8.6, the residual 6.7. Withdrawn alone, A would bring
    # UNDP's 45.9 back beside B's residual: the shares would add up to 99, the stated ones leaving 7.7, not 6.7.
    a = shares_file(("undp", "46.9"), ("rbtc", "7.7")).encode()
    b = shares_file(("unfpa", "8.6"), ("rbtc", "6.7")).encode()
    first, second = published_in_turn(editor, a, b)
    assert_withdrawal_refused(
        first,
        editor,
        "The stated shares of expenditure by sources of funds for 1990 (UNDP: 45.9; Trust funds and multi-bi: 37.8; "
        "UNFPA: 8.6) leave 7.7 of 100 per cent, but the share of Regular budget (RBTC), derived as what they leave, "
        "is 6.7. A file that changes a stated share restates the residual in the same file: give the share of "
        "Regular budget (RBTC) for 1990 as 7.7.",
    )
    assert shares_1990() == [6_700, 46_900, 37_800, 8_600]
    assert live_cells_drift() == []
    # In order, the later one first, each withdrawal leaves shares that hold together.
    withdraw_release(release=second, user=editor)
    assert shares_1990() == [7_700, 46_900, 37_800, 7_600]
    withdraw_release(release=first, user=editor)
    assert shares_1990() == [8_700, 45_900, 37_800, 7_600]


def test_a_withdrawal_that_would_leave_totals_that_do_not_add_up_is_refused_and_changes_nothing(ilo_data, editor):
    # A moves 74 from UNDP to RBTC; B, published since, moves 100 from UNFPA to UNDP. Withdrawn alone,
    # A would bring RBTC back beside B's UNDP: the 1995 sources would add up to 112,856 of 112,930.
    a = (HEADER + "expenditure,1995,rbtc,_T,12500,published,\nexpenditure,1995,undp,_T,31137,published,\n").encode()
    b = (HEADER + "expenditure,1995,undp,_T,31237,published,\nexpenditure,1995,unfpa,_T,8166,published,\n").encode()
    first, _ = published_in_turn(editor, a, b)
    assert_withdrawal_refused(
        first,
        editor,
        "The expenditure figures by sources of funds for 1995 add up to 112,857, but the total is 112,930: a "
        "difference of 73, more than the rounding tolerance of 1.",
    )
    assert [live(1995, s).amount for s in ("rbtc", "undp", "unfpa")] == [12_500_000, 31_237_000, 8_166_000]
    assert live_cells_drift() == []
