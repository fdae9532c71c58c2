"""The import_figures and create_editor commands: the same checks and publish as the upload page."""

import csv
import io
import os
import sys
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from funding.models import Observation, Release
from funding.services import publish_release
from tests.factories import HEADER, NEW_1992, counts


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
        "1992.csv: 5 values: 5 new, 0 changed (0 amounts, 0 statuses, 0 provenance only), 0 unchanged.",
        "Columns not in the file (what is on record is kept): document_url, note.",
        f"Published release {release.pk}.",
    ]
    assert (release.state, release.note, release.file_name, release.events.get(action="publish").by.username) == (
        "published",
        "GB.X annex",
        "1992.csv",
        "propar",
    )
    assert bytes(release.file_bytes) == NEW_1992
    assert Observation.objects.current().get(year=1992, source__code="_T", region__code="_T").amount == 156_000_000


def test_import_figures_titles_the_release_in_the_readers_language(ilo_data, figures, client):
    run(str(figures))
    release = Release.objects.latest("id")
    assert release.title == ""
    for prefix, title in (
        ("", "Upload of 1992.csv"),
        ("/fr", "Téléversement de 1992.csv"),
        ("/es", "Carga de 1992.csv"),
    ):
        page = client.get(f"{prefix}/releases/").content.decode()
        assert f'<div class="release__title">{title}</div>' in page and "Import of" not in page


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--document", "D" * 300, "--document: The document is 300 characters long; at most 255 are accepted."),
        (
            "--document",
            "GB.273\x07/TC/1",
            "--document: The document holds a control character (U+0007) at character 7; remove it (it cannot "
            "be shown or printed).",
        ),
        (
            "--document-url",
            "https://www.ilo.org/" + "u" * 600,
            "--document-url: The document URL is 620 characters long; at most 500 are accepted.",
        ),
        (
            "--document-url",
            "javascript:alert",
            "--document-url: 'javascript:alert' is not a web address: a document URL starts with http:// or "
            "https:// (for example https://www.ilo.org/...).",
        ),
        (
            "--note",
            "GB.X\x01annex",
            "--note: The note holds a control character (U+0001) at character 5; remove it (it cannot be shown "
            "or printed).",
        ),
    ],
)
def test_import_figures_holds_its_options_to_the_upload_forms_rules(ilo_data, figures, option, value, message):
    # The form refuses these; the command cut a long document to 255 characters without a word, and took
    # control characters (which break every SDMX-ML answer citing them) and a URL longer than its column.
    before = counts()
    with pytest.raises(CommandError) as refusal:
        run(str(figures), option, value)
    assert str(refusal.value) == message
    assert counts() == before


def test_import_figures_dry_run_changes_nothing(ilo_data, tmp_path):
    path = tmp_path / "restate.csv"
    path.write_text(
        HEADER + "expenditure,1995,rbtc,_T,13426,published,\nexpenditure,1995,undp,_T,30211,published,\n"
        "approvals,1991,_T,_T,12.426,published,\n"
    )
    before = counts()
    out, _ = run(str(path), "--dry-run")
    assert out.splitlines() == [
        "restate.csv: 3 values: 1 new, 2 changed (2 amounts, 0 statuses, 0 provenance only), 0 unchanged.",
        "Columns not in the file (what is on record is kept): document_url, note.",
        # The empty document cells clear the documents on record, and so their addresses.
        "A value the file gives another document has no document_url: the address on record is the old document's.",
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
        "Known codes: rbtc, undp, trust-funds, unfpa, multi-bi, or _T for all.",
        "Row 3, column amount_usd_thousands: '-70000' is negative; amounts cannot be negative.",
    ]
    assert counts() == before


def test_import_figures_counts_the_problems_of_a_list_cut_short_without_its_closing_line(ilo_data, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"measure,year,source,region,amount\n" + b"x\n" * 5_000)
    before = counts()
    with pytest.raises(CommandError, match=r"^junk.csv: more than 200 problem\(s\); nothing was changed.$"):
        call_command("import_figures", str(path), stdout=StringIO(), stderr=StringIO())
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


def test_import_figures_reads_only_a_regular_file_and_never_past_the_size_limit(ilo_data, tmp_path, settings):
    # /dev/zero was read until memory ran out and a named pipe waited for a writer for ever; a file far
    # over the limit was read whole before the limit refused it.
    os.mkfifo(tmp_path / "pipe.csv")
    before = counts()
    for path in ("/dev/zero", tmp_path / "pipe.csv", tmp_path):
        with pytest.raises(CommandError) as refused:
            run(str(path), "--dry-run")
        assert str(refused.value) == f"Cannot read {path}: not a regular file (a directory, a device or a pipe)."
    settings.UPLOAD_MAX_BYTES = 1024
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as file:
        file.truncate(10 * 2**30)  # 10 GB, sparse: nothing is written
    with pytest.raises(CommandError) as refused:
        run(str(huge))
    assert str(refused.value) == (
        "huge.csv: The file is 10,737,418,240 bytes (10.0 GB); the limit is 1,024 bytes (1 KB). Nothing was changed."
    )
    assert counts() == before


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


def without_a_terminal(*args):
    """What `manage.py create_editor ARGS </dev/null` ends with, run where there is no terminal (a
    forked child in a session of its own, standard input at /dev/null): "created", the CommandError's
    words, or the exception that escaped."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child reports through the pipe
        try:
            os.setsid()  # no controlling terminal: /dev/tty cannot be opened
            sys.stdin = open(os.devnull)  # noqa: SIM115 - the child's stdin until it exits
            call_command("create_editor", *args, stdout=StringIO(), stderr=StringIO())
            result = "created"
        except CommandError as error:
            result = f"CommandError: {error}"
        except BaseException as error:  # noqa: BLE001 - whatever escapes is the answer
            result = f"{type(error).__name__}: {error}"
        os.write(write, result.encode())
        os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    with os.fdopen(read) as pipe:
        return pipe.read()


def test_create_editor_without_a_terminal_asks_for_the_password_option(db):
    # It ended in an EOFError traceback.
    assert without_a_terminal("ed1") == (
        "CommandError: No password was read: the input ended, and there is no terminal to ask in. "
        "Give it with --password, or run the command in a terminal."
    )
    assert not User.objects.filter(username="ed1").exists()


# --- Export -> upload is an identity ----------------------------------------------------------------


def live_values():
    """Every current cell with its whole value: (cell codes..., amount, status, document, URL, note)."""
    return sorted(
        Observation.objects.current().values_list(
            "measure",
            "country_group__code",
            "year",
            "source__code",
            "region__code",
            "input_type__code",
            "amount",
            "status",
            "document",
            "document_url",
            "note",
        )
    )


EXPORTS = [
    "/expenditure.csv?by=total&by=source&by=region",
    "/expenditure.xlsx?by=total&by=source&by=region",
    "/expenditure.csv?by=source&by=region&from=1990&to=1997&lang=fr",
    "/expenditure.xlsx?by=source&from=1990&to=1997&lang=fr",
    "/expenditure.csv?by=total&by=source&bom=1",
    "/expenditure.csv?by=total&by=source&value=share",
    "/expenditure.xlsx?by=region&value=share",
    "/expenditure.csv?by=source&value=change",
    "/expenditure.csv?by=source&by=region&by=source-region&group=ldc&from=1990&to=1997",
    "/expenditure.xlsx?by=source-region&group=ldc&from=1990&to=1997",
    "/approvals.csv?by=total&by=source&from=1990&to=1997",
    "/approvals.xlsx?by=total&by=source&from=1990&to=1997",
    # A total that is one of the view's own rows (UNDP's, chosen alone) is given once, as that row.
    "/expenditure.csv?by=source&by=total&source=undp&from=1990&to=1997",
    "/expenditure.xlsx?by=source&by=total&source=trust-funds&from=1990&to=1997",
    "/expenditure.csv?by=region&by=total&region=africa&value=share",
    # Two breakdowns giving the same cells (one source and one region chosen; one region chosen).
    "/expenditure.csv?by=source&by=region&group=ldc&region=africa&source=undp&from=1993&to=1995",
    "/expenditure.xlsx?by=source&by=source-region&group=ldc&region=africa&from=1993&to=1995",
]


@pytest.mark.parametrize("url", EXPORTS)
def test_an_exported_view_uploads_back_as_nothing_to_publish(ilo_data, client, tmp_path, url):
    response = client.get(url)
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.getvalue()
    path = tmp_path / ("export.xlsx" if ".xlsx" in url else "export.csv")
    path.write_bytes(data)
    before, values = counts(), live_values()
    out, _ = run(str(path), "--dry-run")
    assert "0 new, 0 changed (0 amounts, 0 statuses, 0 provenance only)" in out
    assert "Nothing to publish: every value in the file is already live; nothing was changed." in out
    out, _ = run(str(path))
    assert "Nothing to publish" in out and "Published release" not in out
    assert counts() == before
    assert live_values() == values
    assert len(values) == 156


@pytest.mark.parametrize(
    "url", ["/expenditure.xlsx?by=source&from=1995&to=1995", "/expenditure.csv?by=source&from=1995&to=1995"]
)
def test_an_export_of_texts_starting_with_a_formula_character_uploads_back_unchanged(ilo_data, client, tmp_path, url):
    # The XLSX holds "=2+2" as it is (an inline string), the CSV "'=2+2": both read back as "=2+2".
    row = {"measure": "expenditure", "year": 1995, "source": "rbtc", "region": "_T", "amount": 12_426_000}
    publish_release(title="formulas", rows=[{**row, "document": "=2+2", "note": "@note"}], checksum="f" * 64)
    response = client.get(url)
    path = tmp_path / ("export.xlsx" if ".xlsx" in url else "export.csv")
    path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.getvalue())
    before, values = counts(), live_values()
    out, _ = run(str(path))
    assert "Nothing to publish: every value in the file is already live; nothing was changed." in out
    assert counts() == before and live_values() == values
    rbtc = Observation.objects.current().get(cell("rbtc"))
    assert (rbtc.document, rbtc.note) == ("=2+2", "@note")


def test_an_export_with_one_document_changed_is_a_change_of_provenance(ilo_data, client, tmp_path):
    data = client.get("/expenditure.csv?by=source&from=1995&to=1995").getvalue().decode()
    old_url = "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm"
    new_url = "https://www.ilo.org/gb/GB273/tc-1.pdf"
    lines = data.splitlines()
    assert old_url in lines[1] and lines[1].startswith("expenditure,1995,rbtc,")
    lines[1] = lines[1].replace(old_url, new_url)
    path = tmp_path / "one-url.csv"
    path.write_text("\r\n".join(lines) + "\r\n")
    out, _ = run(str(path))
    assert "4 values: 0 new, 1 changed (0 amounts, 0 statuses, 1 provenance only), 3 unchanged." in out
    release = Release.objects.latest("id")
    assert f"Published release {release.pk}." in out
    rbtc = Observation.objects.current().get(cell("rbtc"))
    assert (rbtc.release_id, rbtc.document_url, rbtc.amount) == (release.pk, new_url, 12_426_000)
    history = client.get("/expenditure/history/?year=1995&source=rbtc").content.decode()
    assert f'<a href="{new_url}" rel="noopener noreferrer">' in history
    assert f'<a href="{old_url}" rel="noopener noreferrer">' in history


def test_a_file_without_the_document_url_column_keeps_every_url(ilo_data, client, tmp_path):
    data = client.get("/expenditure.csv?by=total&by=source&from=1990&to=1997").getvalue().decode()
    rows = list(csv.reader(io.StringIO(data)))
    drop = rows[0].index("document_url")
    kept = [[cell for index, cell in enumerate(row) if index != drop] for row in rows]
    amount = kept[0].index("amount_usd_thousands")
    kept[1][amount] = str(int(kept[1][amount]) + 1)  # one amount changes: something to publish
    out_file = io.StringIO()
    csv.writer(out_file).writerows(kept)
    path = tmp_path / "no-url.csv"
    path.write_text(out_file.getvalue())
    urls = {value[:6]: value[9] for value in live_values()}
    assert sum(1 for url in urls.values() if url) == 156
    out, _ = run(str(path))
    assert "Columns not in the file (what is on record is kept): document_url." in out
    assert "1 changed (1 amounts, 0 statuses, 0 provenance only)" in out
    assert {value[:6]: value[9] for value in live_values()} == urls


def test_an_empty_cell_in_a_present_column_clears_the_field_and_counts_as_a_change(ilo_data, client, tmp_path):
    data = client.get("/expenditure.csv?by=total&from=1995&to=1995").getvalue().decode()
    rows = list(csv.reader(io.StringIO(data)))
    rows[1][rows[0].index("note")] = ""
    out_file = io.StringIO()
    csv.writer(out_file).writerows(rows)
    path = tmp_path / "no-note.csv"
    path.write_text(out_file.getvalue())
    out, _ = run(str(path))
    assert "1 values: 0 new, 1 changed (0 amounts, 0 statuses, 1 provenance only), 0 unchanged." in out
    total = Observation.objects.current().get(cell("_T"))
    assert (total.note, total.document_url) == (
        "",
        "http://oit.org/public/english/standards/relm/gb/docs/gb273/tc-1-x.htm",
    )


def cell(source, year=1995):
    from django.db.models import Q

    return Q(measure="expenditure", year=year, source__code=source, region__code="_T") & Q(
        country_group__code="_T", input_type__code="_T"
    )


def test_import_figures_says_a_value_given_another_document_loses_the_old_address(ilo_data, tmp_path):
    path = tmp_path / "rbtc.csv"
    path.write_bytes(
        b"measure,year,source,region,amount_usd_thousands,document\nexpenditure,1995,rbtc,_T,12426,GB.999\n"
    )
    out, _ = run(str(path), "--dry-run")
    assert out.splitlines()[1:3] == [
        "Columns not in the file (what is on record is kept): status, document_url, note.",
        "A value the file gives another document has no document_url: the address on record is the old document's.",
    ]


def test_import_figures_keeps_a_draft_for_another_editor_when_publishers_must_be_separate(ilo_data, tmp_path, settings):
    settings.REQUIRE_SEPARATE_PUBLISHER = True
    editor = User.objects.create_user("ed1")
    path = tmp_path / "1992.csv"
    path.write_bytes(NEW_1992)
    before = counts()
    out, _ = run(str(path), "--user", "ed1")
    draft = Release.objects.get(state=Release.State.DRAFT)
    assert out.splitlines()[-1] == (
        f"Kept as draft release {draft.pk}: with REQUIRE_SEPARATE_PUBLISHER on, another editor than the one who "
        f"uploaded it publishes it, at /releases/{draft.pk}/."
    )
    assert (draft.created_by, draft.file_name, draft.new_values) == (editor, "1992.csv", 5)
    # One release (the draft) and its upload event; no value yet: they wait for another editor's publish.
    releases, observations, events = before
    assert counts() == (releases + 1, observations, events + 1)


def test_import_figures_names_its_uploader_when_publishers_must_be_separate(ilo_data, figures, settings):
    # A draft kept without --user named no uploader, so any editor could publish it on the site, the
    # one who had run the command included.
    settings.REQUIRE_SEPARATE_PUBLISHER = True
    before = counts()
    with pytest.raises(CommandError) as refused:
        run(str(figures))
    assert str(refused.value) == (
        "With REQUIRE_SEPARATE_PUBLISHER on, say who uploads the file (--user USERNAME): another editor than that "
        "one publishes it. Nothing was changed."
    )
    assert counts() == before
    out, _ = run(str(figures), "--dry-run")  # a dry run keeps nothing, and needs no name
    assert out.splitlines()[-1] == "Dry run: nothing was changed."
    assert counts() == before
