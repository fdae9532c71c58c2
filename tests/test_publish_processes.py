"""Publishing in real processes: killed with SIGKILL mid-publish, and many at once (both engines).

Each publish runs in its own process (tests/publish_worker.py) on a database the test process
does not hold open in a transaction: PostgreSQL's test database (this test commits), or a SQLite
file made for the test. What a test reads of that database (digests, live cells, events), and the
plain publishes before or after the ones under test, go through one more process of the test's
(`elsewhere`), which runs them one after another: a start of Django costs about 0.7 s of CPU.
"""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

# The workers must see what this test wrote (PostgreSQL): it commits, and the tables are put back after.
# On one xdist worker together, so that the SQLite template is made once (2-3 s of migrations and
# loading); each test starts two to five Python processes, about 2 s in all.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("publish-processes"),
    pytest.mark.cost(2),
]
WORKER = Path(__file__).resolve().with_name("publish_worker.py")
ROOT = WORKER.parent.parent


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory):
    """A SQLite file with the migrations and the real data, made once for the module."""
    path = tmp_path_factory.mktemp("publish") / "template.sqlite3"
    if connection.vendor == "sqlite":
        run(f"sqlite:///{path}", "setup", timeout=300)
    return path


@pytest.fixture
def worker_database(request, tmp_path, sqlite_template):
    """DATABASE_URL for the workers, holding the real data and nothing else."""
    if connection.vendor == "postgresql":
        request.getfixturevalue("ilo_data")
        s = connection.settings_dict
        url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        yield url
        return
    copy = tmp_path / "publish.sqlite3"
    copy.write_bytes(sqlite_template.read_bytes())
    yield f"sqlite:///{copy}"


@pytest.fixture
def elsewhere(worker_database):
    """A worker serving commands (tests/publish_worker.py serve): elsewhere("digest") is what
    `publish_worker.py digest` prints, run in that one process."""
    process = start(worker_database, "serve")

    def command(*args):
        process.stdin.write(" ".join(args) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        assert line, process.communicate(timeout=30)[1][-3000:]
        return line.strip()

    yield command
    out, err = process.communicate("", timeout=60)
    assert process.returncode == 0, err[-3000:]


def environment(url):
    return {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}


def run(url, *args, timeout=120):
    result = subprocess.run(
        [sys.executable, str(WORKER), *args], env=environment(url), capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def start(url, *args):
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        env=environment(url),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def live_cells(elsewhere):
    """(cells with more than one live value, live values, published releases, rows on which the
    summaries (of live cells, of the documents they cite) and a fresh read of the observations
    differ) by SQL, in another process."""
    return tuple(int(n) for n in elsewhere("live-cells").split())


@pytest.mark.parametrize("hang", ["--hang", "--hang-summary"])
def test_a_publish_killed_mid_transaction_leaves_the_database_as_it_was(worker_database, elsewhere, hang):
    before = elsewhere("digest")  # every table, the summary of live cells included
    worker = start(worker_database, "publish", "7", hang)
    try:
        # The worker has inserted observations inside its transaction and waits there.
        assert worker.stdout.readline().strip() == "inserted", worker.stderr.read()
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert elsewhere("digest") == before
    # And the database still takes a publish: no lock or half-written row was left behind.
    assert elsewhere("publish", "8") == "published"
    assert elsewhere("digest") != before
    assert live_cells(elsewhere)[3] == 0  # the summary is the live values' after the publish


def _go_and_end(workers, timeout, *, go=True):
    """ "go" on each waiting worker's stdin, all at once (with `go`); then each one's last line once it has
    ended, in order (none may end in an exception)."""
    for worker in workers if go else ():
        worker.stdin.write("go\n")
        worker.stdin.flush()
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=timeout)
        assert worker.returncode == 0, err[-3000:]
        outcomes.append(out.strip().splitlines()[-1])
    return outcomes


def _publish_together(url, count, *extra):
    workers = [start(url, "publish", str(n), *extra) for n in range(1, count + 1)]
    if "--stale" in extra:
        for worker in workers:
            assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
    # Without --stale a worker publishes as it starts and never reads its stdin.
    return sorted(_go_and_end(workers, timeout=300, go="--stale" in extra))


def _counts():
    return [4, 8] if connection.vendor == "postgresql" else [4]


@pytest.mark.parametrize("count", [4, 8])
def test_concurrent_publishes_leave_exactly_one_live_value_per_cell(request, worker_database, count):
    if count not in _counts():
        pytest.skip("SQLite serialises writers through its own lock; 4 at once shows it")
    elsewhere = request.getfixturevalue("elsewhere")
    doubled, live, published, _ = live_cells(elsewhere)
    assert doubled == 0
    assert _publish_together(worker_database, count) == ["published"] * count
    after = live_cells(elsewhere)
    assert after[0] == 0  # never two live values for one cell
    assert after[3] == 0  # and the summary is a fresh read of them
    assert after[2] == published + count
    # The workers' cells (2 measures x 7 years x (totals + every source + every region)) already had
    # a live value or gained one; nothing else changed.
    assert after[1] >= live


@pytest.mark.parametrize("count", [4, 8])
def test_concurrent_publishes_of_one_preview_let_exactly_one_through(request, worker_database, count):
    if count not in _counts():
        pytest.skip("SQLite serialises writers through its own lock; 4 at once shows it")
    elsewhere = request.getfixturevalue("elsewhere")
    _, _, published, _ = live_cells(elsewhere)
    outcomes = _publish_together(worker_database, count, "--stale")
    # Every worker previewed the same live values: the first to take the lock publishes, the others
    # are told the figures changed since their preview.
    assert outcomes == ["published"] + ["stale"] * (count - 1)
    doubled, _, now_published, drift = live_cells(elsewhere)
    assert (doubled, now_published, drift) == (0, published + 1, 0)


def test_two_withdrawals_of_one_release_at_once_make_one_withdrawal_and_tell_the_other(worker_database, elsewhere):
    assert elsewhere("publish", "7") == "published"
    workers = [start(worker_database, "withdraw", "7") for _ in range(2)]
    # Both read the release as published, as two editors' confirmation pages do, then confirm at once.
    ready = {worker.stdout.readline().strip() for worker in workers}
    assert len(ready) == 1, ready
    number = ready.pop().removeprefix("ready ")
    assert sorted(_go_and_end(workers, timeout=120)) == [
        f"refused Release {number} is withdrawn; only a published one can be withdrawn.",
        "withdrawn",
    ]
    doubled, _, _, drift = live_cells(elsewhere)
    assert (doubled, drift) == (0, 0)
    assert elsewhere("events", number) == "withdraw 1"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's one write lock (PostgreSQL locks rows)")
def test_an_uploads_check_leaves_the_database_free_for_other_writers(worker_database):
    # The check used to run inside the draft's transaction, which on SQLite holds the one write lock
    # from its start: a sign-in waited 16 s behind a large upload, and a third upload failed.
    worker = start(worker_database, "draft")
    assert worker.stdout.readline().strip() == "checking", worker.communicate(timeout=60)  # paused mid-check
    other = sqlite3.connect(worker_database.removeprefix("sqlite:///"), timeout=0)
    other.execute("BEGIN IMMEDIATE")  # "database is locked" at once while another transaction holds it
    other.execute("ROLLBACK")
    other.close()
    out, err = worker.communicate("go\n", timeout=120)
    assert out.strip() == "checked", err[-3000:]
