"""The import_figures and create_editor commands: the same checks and publish as the upload page."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from funding.models import Observation, Release, ReleaseEvent
from tests.factories import HEADER, NEW_1992


def counts():
    return (Release.objects.count(), Observation.objects.count(), ReleaseEvent.objects.count())


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_figures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def figures(tmp_path):
    path = tmp_path / "1992.csv"
    path.write_bytes(NEW_1992)
    return path


def test_import_figures_publishes_a_file_as_one_release(ilo_data, figures):
    User.objects.create_user("propar")
    out, _ = run(str(figures), "--note", "GB.X annex", "--user", "propar")
    release = Release.objects.latest("id")
    assert out.splitlines() == [
        "1992.csv: 5 values: 5 new, 0 changed, 0 unchanged.",
        f"Published release {release.pk}.",
    ]
    assert (release.state, release.note, release.file_name, release.published_by.username) == (
        "published",
        "GB.X annex",
        "1992.csv",
        "propar",
    )
    assert bytes(release.file_bytes) == NEW_1992
    assert Observation.objects.current().get(year=1992, source__code="_T", region__code="_T").amount == 156_000_000


def test_import_figures_dry_run_changes_nothing(ilo_data, tmp_path):
    path = tmp_path / "restate.csv"
    path.write_text(
        HEADER + "expenditure,1995,rbtc,_T,13426,published,\nexpenditure,1995,undp,_T,30211,published,\n"
        "approvals,1991,_T,_T,12.426,published,\n"
    )
    before = counts()
    out, _ = run(str(path), "--dry-run")
    assert out.splitlines() == [
        "restate.csv: 3 values: 1 new, 2 changed, 0 unchanged.",
        "Restates published expenditure figures for 1995.",
        "Row 4, column amount_usd_thousands: '12.426' is read as 12.426 (1,234.5); it would be 12426 in 1.234,5.",
        "Dry run: nothing was changed.",
    ]
    assert counts() == before


def test_import_figures_exits_non_zero_with_every_message_and_changes_nothing(ilo_data, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "expenditure,1992,rbtc,_T,17000,published,\nexpenditure,1992,ubdp,_T,-70000,published,\n")
    before = counts()
    err = StringIO()
    with pytest.raises(CommandError, match=r"^bad.csv: 2 problem\(s\); nothing was changed.$"):
        call_command("import_figures", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "Row 3, column source: Unknown source of funds 'ubdp'. "
        "Known codes: rbtc, undp, trust-funds, unfpa, or _T for all.",
        "Row 3, column amount_usd_thousands: '-70000' is negative; amounts cannot be negative.",
    ]
    assert counts() == before


def test_import_figures_reads_the_chosen_number_format(ilo_data, tmp_path):
    path = tmp_path / "de.csv"
    path.write_text("measure;year;source;region;amount\napprovals;1991;_T;_T;150.000,5\n")
    run(str(path), "--number-format", "1.234,5")
    assert Observation.objects.current().get(measure="approvals", year=1991).amount == 150_000_500
    assert Release.objects.latest("id").number_format == "1.234,5"


def test_import_figures_recognises_an_identical_file(ilo_data, figures):
    run(str(figures))
    before = counts()
    out, _ = run(str(figures))
    assert out == f"1992.csv is already published as release {Release.objects.latest('id').pk}; nothing changed.\n"
    assert counts() == before


def test_import_figures_refuses_a_missing_file_and_an_unknown_user(db, figures, tmp_path):
    with pytest.raises(CommandError, match="Cannot read .*nothing.csv: No such file or directory."):
        run(str(tmp_path / "nothing.csv"))
    with pytest.raises(CommandError, match="No user named 'ghost'."):
        run(str(figures), "--user", "ghost")


def test_create_editor_makes_a_user_who_may_upload_and_publish(db):
    out = StringIO()
    call_command("create_editor", "amina", "--password", "tc-figures-2026!", stdout=out)
    user = User.objects.get(username="amina")
    assert user.check_password("tc-figures-2026!")
    assert user.has_perm("funding.upload_release") and user.has_perm("funding.publish_release")
    assert not user.is_staff and not user.is_superuser
    assert out.getvalue() == "Editor 'amina' created: sign in at /accounts/login/.\n"


def test_create_editor_refuses_a_weak_password_and_an_existing_name(db):
    with pytest.raises(CommandError, match="The password is refused: This password is too short"):
        call_command("create_editor", "amina", "--password", "abc")
    assert not User.objects.filter(username="amina").exists()
    User.objects.create_user("amina")
    with pytest.raises(CommandError, match="A user named 'amina' exists already."):
        call_command("create_editor", "amina", "--password", "tc-figures-2026!")
