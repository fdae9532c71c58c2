"""Loading the real ILO tables: every published number arrives exactly, once; and the `ilo_data` fixture's
rows written back (tests/shipped_release.py) are the command's."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone, translation

from funding.models import Dataset, LiveCell, Observation, Release, ReleaseEvent, Status
from tests import shipped_release
from tests.factories import live

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ilo"

# The test's own reading of the ILO's labels (independent of the loader's tables).
SOURCES = {
    "Regular budget (RBTC)": "rbtc",
    "ILO regular budget": "rbtc",
    "UNDP": "undp",
    "Trust funds and Multi-bi": "trust-funds",
    "Multi-bi and trust funds": "trust-funds",
    "UNFPA": "unfpa",
    "TOTAL": "_T",
    "Total": "_T",
}
REGIONS = {
    "Africa": "africa",
    "Asia and the Pacific": "asia-pacific",
    "Latin America and the Caribbean": "latin-america-caribbean",
    "Arab States, Middle East": "arab-states",
    "Europe": "europe",
    "Interregional and global": "interregional",
    "TOTAL": "_T",
}


@pytest.fixture
def ilo_data(db):
    """Here the command itself, every test: this module is what says its rows are the published ones."""
    call_command("load_ilo_data", verbosity=0)
    return Release.objects.get()


def rows(name):
    with open(FIXTURES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_load_ilo_data_gives_undp_1996_exactly(ilo_data):
    assert live(year=1996, source="undp").amount_thousands == Decimal("23531")


def test_load_ilo_data_gives_every_number_of_the_by_source_table(ilo_data):
    table = rows("expenditure_by_source.csv")
    assert len(table) == 25
    for row in table:
        obs = live(year=int(row["year"]), source=SOURCES[row["source"]])
        assert obs.amount_thousands == Decimal(row["amount_usd_thousands"]), row


def test_load_ilo_data_gives_every_number_of_the_by_region_table(ilo_data):
    for row in rows("expenditure_by_region.csv"):
        obs = live(year=int(row["year"]), region=REGIONS[row["region"]])
        assert obs.amount_thousands == Decimal(row["amount_usd_thousands"]), row


def test_load_ilo_data_gives_every_number_of_the_ldc_table(ilo_data):
    table = rows("ldc_expenditure_by_region_and_source.csv")
    assert len(table) == 90
    for row in table:
        if row["region"] == "ILO global expenditure":
            region, group = "_T", "_T"
        elif row["region"] == "Total (LDCs)":
            region, group = "_T", "ldc"
        else:
            region, group = REGIONS[row["region"]], "ldc"
        obs = live(year=int(row["year"]), source=SOURCES[row["source"]], region=region, group=group)
        assert obs.amount_thousands == Decimal(row["amount_usd_thousands"]), row


def test_load_ilo_data_gives_every_number_of_the_type_of_input_table(ilo_data):
    codes = {"Other personnel": "other-personnel", "TOTAL": "_T"}
    for row in rows("expenditure_by_type_of_input.csv"):
        code = codes.get(row["type_of_input"], row["type_of_input"].lower())
        obs = live(year=int(row["year"]), input_type=code)
        assert obs.amount_thousands == Decimal(row["amount_usd_thousands"]), row


def test_load_ilo_data_keeps_the_qualifier_of_values_stated_in_text(ilo_data):
    peak = live(year=1991)
    assert (peak.amount_thousands, peak.status) == (Decimal("170000"), Status.APPROXIMATE)
    europe = live(year=1990, region="europe")
    assert (europe.amount_thousands, europe.status) == (Decimal("2200"), Status.ROUNDED)
    approvals = {
        o.year: (o.amount_thousands, o.get_status_display())
        for o in Observation.objects.filter(measure="approvals", is_current=True)
    }
    assert approvals == {
        1990: (Decimal("165600"), "rounded"),
        1994: (Decimal("69700"), "rounded"),
        1995: (Decimal("114000"), "approximate"),
        1996: (Decimal("114000"), "approximate"),
    }


def test_load_ilo_data_prefers_the_published_total_over_a_derived_one(ilo_data):
    # 1996: the by-region table's total is derived from the by-source table; one cell, published.
    total = live(year=1996)
    assert total.amount_thousands == Decimal("98167")
    assert total.status == Status.PUBLISHED
    assert total.document == "GB.273/TC/1 (Nov 1998) Appendix I table A"


def test_load_ilo_data_stores_each_cell_once(ilo_data):
    # 25 by source + 30 regions (their totals are the by-source ones) + 12 input types
    # + 75 LDC cells (the 15 "ILO global expenditure" cells are the by-source ones) + 6 stated in text
    # + 4 shares of 1990 (three stated, the regular budget's derived) + 2 multi-bi + 2 recipient counts.
    assert Observation.objects.count() == 25 + 30 + 12 + 75 + 6 + 4 + 2 + 2
    assert Observation.objects.filter(is_current=False).count() == 0


def test_load_ilo_data_records_the_release(ilo_data):
    assert ilo_data.state == Release.State.PUBLISHED
    assert ilo_data.new_values == 156
    assert len(ilo_data.checksum) == 64
    assert ReleaseEvent.objects.get().action == ReleaseEvent.Action.PUBLISH


def test_load_ilo_data_twice_changes_nothing(ilo_data, capsys):
    call_command("load_ilo_data")
    assert "already published as release" in capsys.readouterr().out
    assert Release.objects.count() == 1
    assert Observation.objects.count() == 156
    assert ReleaseEvent.objects.count() == 1


def test_load_ilo_data_if_empty_skips_a_database_with_releases(ilo_data, capsys):
    call_command("load_ilo_data", "--if-empty")
    assert "nothing loaded" in capsys.readouterr().out
    assert Release.objects.count() == 1


@pytest.mark.django_db
def test_load_ilo_data_if_empty_loads_once_with_no_title_or_note_of_its_own(capsys):
    call_command("load_ilo_data", "--if-empty")
    call_command("load_ilo_data", "--if-empty")
    release = Release.objects.get()
    assert capsys.readouterr().out.splitlines() == [
        f"Loaded 156 values as release {release.pk}.",
        "Releases exist already; nothing loaded.",
    ]
    # Stored without words of any language: Release.shown_title and shown_note give them in the reader's.
    assert (release.title, release.note, release.file_name) == ("", "", "fixtures/ilo/*.csv")
    assert (release.shown_title, release.shown_note) == (
        "ILO published figures shipped with tcdash",
        "The real published figures shipped with tcdash.",
    )
    with translation.override("fr"):
        assert (release.shown_title, release.shown_note) == (
            "Chiffres publiés par l'OIT, fournis avec tcdash",
            "Les chiffres effectivement publiés, fournis avec tcdash.",
        )


@pytest.mark.django_db
def test_load_ilo_data_refuses_tables_that_disagree(tmp_path):
    for path in FIXTURES.glob("*.csv"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    table = tmp_path / "expenditure_by_region.csv"
    table.write_text(table.read_text(encoding="utf-8").replace("1995,TOTAL,112930", "1995,TOTAL,112931"))
    with pytest.raises(CommandError, match=r"expenditure 1995 \(_T, _T, _T\): .* prints 112930, .* prints 112931"):
        call_command("load_ilo_data", "--directory", str(tmp_path))
    assert Observation.objects.count() == 0
    assert Release.objects.count() == 0


def test_load_ilo_data_stores_the_1990_shares_as_shares_never_as_amounts(ilo_data):
    shares = {
        o.source.code: (o.amount_thousands, o.get_status_display(), o.document)
        for o in Observation.objects.filter(measure="expenditure-share", is_current=True).select_related("source")
    }
    para18 = "GB.270/TC/2 (Nov 1997), para. 18"
    assert shares == {
        "undp": (Decimal("45.9"), "rounded", para18),
        "unfpa": (Decimal("7.6"), "rounded", para18),
        "trust-funds": (Decimal("37.8"), "rounded", para18),
        "rbtc": (Decimal("8.7"), "derived", para18),
    }
    # The stored integer is the value x 1000, as every value's; no 1990 amount by source is invented.
    assert Observation.objects.get(measure="expenditure-share", source__code="undp").amount == 45900
    assert not Observation.objects.filter(measure="expenditure", year=1990, region__code="_T").exclude(
        source__code="multi-bi"
    )


def test_load_ilo_data_puts_the_multi_bilateral_programme_under_trust_funds(ilo_data):
    multi_bi = Observation.objects.filter(measure="expenditure", source__code="multi-bi", is_current=True)
    assert {o.year: (o.amount_thousands, o.get_status_display()) for o in multi_bi} == {
        1990: (Decimal("40000"), "approximate"),
        1996: (Decimal("52000"), "approximate"),
    }
    member = multi_bi.first().source
    assert (member.parent.code, member.name_fr, member.name_es) == (
        "trust-funds",
        "Programme multi-bilatéral",
        "Programa multibilateral",
    )


def test_load_ilo_data_counts_the_recipient_countries(ilo_data):
    counts = Observation.objects.filter(measure="recipients", is_current=True)
    assert {o.year: o.amount_thousands for o in counts} == {1990: 134, 1995: 151}
    assert {o.document for o in counts} == {"GB.270/TC/2 (Nov 1997), para. 20"}


def test_a_stated_value_in_another_unit_than_its_measures_is_refused(tmp_path):
    from funding.published_tables import FIXTURES_DIR, read_published_tables

    for path in FIXTURES_DIR.glob("*.csv"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    stated = tmp_path / "stated_in_text.csv"
    stated.write_text(stated.read_text().replace("45.9,percent-of-total", "45.9,usd-thousands"))
    with pytest.raises(ValueError, match=r"line 8: the unit of 'expenditure-share' is 'percent-of-total', not"):
        read_published_tables(tmp_path)


class RolledBack(Exception):
    pass


def rolled_back(write):
    """What `write()` leaves in every table, the database rolled back after: every field but the ids of
    the rows written and the references to them (a second command on PostgreSQL gives new ones), and
    the times (the time of each write)."""
    try:
        with transaction.atomic():
            write()
            raise RolledBack(content())
    except RolledBack as written:
        return written.args[0]


def content():
    tables = {}
    for model in shipped_release.every_table():
        kept = [
            field.attname
            for field in model._meta.concrete_fields
            if not (field.primary_key and not field.is_relation)
            and not (field.is_relation and field.related_model in (Release, ReleaseEvent, Observation))
            and field.get_internal_type() != "DateTimeField"
        ]
        tables[model._meta.label] = sorted(map(repr, model.objects.values_list(*kept)))
    return tables


def test_the_fixtures_rows_written_back_are_the_commands(request, db):
    command = rolled_back(lambda: call_command("load_ilo_data", verbosity=0))
    rolled_back(lambda: shipped_release.load_ilo_data(request))  # notes the load, if no test has yet
    # The load only adds rows to empty tables and moves the dataset's version on: what can be written back.
    load = shipped_release.NOTED.get("load")
    assert load is not None, "the load changed more than it can write back: see tests/shipped_release.py"
    assert [model.__name__ for model, _ in load.added] == [
        "Release",
        "LiveDocument",
        "ReleaseEvent",
        "Observation",
        "LiveCell",
    ]
    assert [(model.__name__, sorted(fields)) for model, _, fields in load.moved] == [
        ("Dataset", ["changed_at", "version"])
    ]
    assert load.applies()
    written_back = rolled_back(load.write)
    assert written_back == command
    assert len(written_back["funding.Observation"]) == 156
    # And what `content` leaves out: the ids that tie the rows together, and the times of the write.
    before = timezone.now()
    with transaction.atomic():
        load.write()
        release = Release.objects.get()
        cells = LiveCell.objects.values_list("release_id", "observation__release_id")
        assert set(cells) == {(release.pk, release.pk)}
        assert release.created_at >= before
        assert release.events.get().at >= before
        assert Dataset.objects.get().changed_at >= before
        transaction.set_rollback(True)
