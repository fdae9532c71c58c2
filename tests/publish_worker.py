"""A separate process for the crash and concurrency tests (tests/test_publish_processes.py).

    python tests/publish_worker.py setup          migrate and load the real data (an empty database)
    python tests/publish_worker.py digest         print a digest of every table but the bookkeeping ones
    python tests/publish_worker.py draft          check and keep an upload of every year's total
        2000-2025 through services.create_draft: once the check has read the live values, print
        "checking" and read a line from stdin ("go"); then print "checked", or "refused" and the
        first problem
    python tests/publish_worker.py publish N [--hang | --hang-summary] [--stale]
        publish the cells 1990-1996 x every source and region x both measures with amounts N * 1000 + i
        through services.publish_release. --hang: once the observations are written (one COPY or
        executemany) and the publish is being recorded, inside the transaction, print "inserted" and
        wait to be killed; --hang-summary: the same once the summary of live cells (LiveCell) is
        being written, after the observations. --stale: first print
        "ready", read a line from stdin ("go"), then publish with the fingerprint taken before, as an
        upload's preview does.
    python tests/publish_worker.py withdraw N
        read worker N's release as the withdraw page does (published, so the form is shown), print
        "ready" and its id, read a line from stdin ("go"), then withdraw it through services.withdraw_release:
        print "withdrawn", or "refused" and the message when it was withdrawn by then.
    python tests/publish_worker.py live-cells
        print, by SQL: cells with more than one live value, live values, published releases, and the
        rows on which the summaries (of live cells, of the documents they cite) and a fresh read of
        the observations differ
    python tests/publish_worker.py events N
        print "withdraw" and how many withdrawal events release N has
    python tests/publish_worker.py serve
        run commands of the above that wait for no "go" (digest, live-cells, events, a plain
        publish), one a line of stdin, until stdin ends: a test's reads and plain publishes cost one
        start of Django (about 0.7 s of CPU) instead of one each. Between commands the process holds
        no transaction, so it locks nothing another worker waits for.
The database is DATABASE_URL's.
"""

import hashlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from funding.models import TOTAL, Region, Release, ReleaseEvent, Source  # noqa: E402
from funding.services import (  # noqa: E402
    StalePreview,
    WithdrawRefused,
    compare_with_live,
    create_draft,
    publish_release,
    refuse_unless_published,
    withdraw_release,
)

BOOKKEEPING = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def digest():
    value = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower not in BOOKKEEPING:
            for row in model._default_manager.order_by("pk").values_list():
                value.update(repr(row).encode())
    return value.hexdigest()


def rows(number):
    sources = [TOTAL, *Source.objects.filter(parent=None).exclude(code=TOTAL).values_list("code", flat=True)]
    regions = [TOTAL, *Region.objects.filter(parent=None).exclude(code=TOTAL).values_list("code", flat=True)]
    cells = [
        (measure, year, source, region)
        for measure in ("expenditure", "approvals")
        for year in range(1990, 1997)
        for source in sources
        for region in regions
        if source == TOTAL or region == TOTAL
    ]
    return [
        {
            "measure": m,
            "year": y,
            "source": s,
            "region": r,
            "amount": number * 1_000_000 + i * 1000,
            "status": "published",
        }
        for i, (m, y, s, r) in enumerate(cells)
    ]


def big_upload():
    """A CSV of both measures' totals for every year 2000-2025, after the real data: 52 figures that pass the check."""
    lines = ["measure,year,source,region,amount_usd_thousands"]
    lines += [
        f"{measure},{year},{TOTAL},{TOTAL},{year - 1949}"
        for measure in ("expenditure", "approvals")
        for year in range(2000, 2026)
    ]
    return ("\n".join(lines) + "\n").encode()


def pause_after_first_read_of(table):
    """Print "checking" once a query has read `table`, and wait for a line on stdin: the test acts then,
    in the middle of the check, however fast the machine is."""
    paused = []

    def pause(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not paused and sql.lstrip().upper().startswith("SELECT") and f'"{table}"' in sql:
            paused.append(sql)
            print("checking", flush=True)
            sys.stdin.readline()
        return result

    return pause


def hang_after_first_insert_into(table):
    def hang(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(f'INSERT INTO "{table}"'):
            print("inserted", flush=True)
            time.sleep(600)
        return result

    return hang


def live_cells():
    from django.db.models import Count

    from funding.models import Observation
    from funding.services.live_cells import live_cells_drift
    from funding.services.live_documents import live_documents_drift

    live = Observation.objects.filter(is_current=True)
    keys = ("measure", "country_group", "year", "source", "region", "input_type")
    doubled = live.values(*keys).annotate(n=Count("id")).filter(n__gt=1).count()
    published = Release.objects.filter(state="published").count()
    drift = len(live_cells_drift()) + len(live_documents_drift())
    return f"{doubled} {live.count()} {published} {drift}"


def serve():
    for line in sys.stdin:
        main(*line.split())


def main(command, *args):
    if command == "serve":
        serve()
    elif command == "live-cells":
        print(live_cells(), flush=True)
    elif command == "events":
        withdrawals = ReleaseEvent.objects.filter(release_id=int(args[0]), action="withdraw").count()
        print("withdraw", withdrawals, flush=True)
    elif command == "setup":
        call_command("migrate", verbosity=0)
        call_command("load_ilo_data", verbosity=0)
    elif command == "digest":
        print(digest(), flush=True)
    elif command == "draft":
        with connection.execute_wrapper(pause_after_first_read_of("funding_observation")):
            check, draft = create_draft(data=big_upload(), file_name="big.csv")
        if draft is None:
            print("refused", check.problems[:1], flush=True)
            return
        print("checked", flush=True)
    elif command == "publish":
        number = int(args[0])
        batch = rows(number)
        fingerprint = None
        if "--stale" in args:
            _, fingerprint = compare_with_live(rows=batch)
            print("ready", flush=True)
            sys.stdin.readline()
        try:
            if "--hang" in args or "--hang-summary" in args:
                table = "funding_livecell" if "--hang-summary" in args else "funding_releaseevent"
                with connection.execute_wrapper(hang_after_first_insert_into(table)):
                    publish_release(title=f"worker {number}", rows=batch, checksum=f"worker-{number}".ljust(64, "0"))
            else:
                publish_release(
                    title=f"worker {number}",
                    rows=batch,
                    checksum=f"worker-{number}".ljust(64, "0"),
                    expected_fingerprint=fingerprint,
                )
        except StalePreview:
            print("stale", flush=True)
            return
        print("published", flush=True)
    elif command == "withdraw":
        release = Release.objects.get(checksum=f"worker-{args[0]}".ljust(64, "0"))
        refuse_unless_published(release)  # the page's check, before the lock: it is published
        print("ready", release.pk, flush=True)
        sys.stdin.readline()
        try:
            withdraw_release(release=release, note=f"by worker {os.getpid()}")
        except WithdrawRefused as refusal:
            print("refused", refusal, flush=True)
            return
        print("withdrawn", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
