"""A separate process for the crash and concurrency tests (tests/test_publish_processes.py).

    python tests/publish_worker.py setup          migrate and load the real data (an empty database)
    python tests/publish_worker.py digest         print a digest of every table but the bookkeeping ones
    python tests/publish_worker.py draft          print "checking", check and keep an upload of 112,000
        figures (every top-level cell 1950-2049, both groups, every type of input) through
        services.create_draft, print "checked"
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
The database is DATABASE_URL's.
"""

import hashlib
import itertools
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

from funding.models import TOTAL, CountryGroup, InputType, Region, Release, Source  # noqa: E402
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
    """A CSV of every top-level cell of both measures, 1950-2049, in both country groups and every type
    of input: 112,000 figures, seconds to check."""
    codes = [
        [TOTAL, *model.objects.filter(parent=None).exclude(code=TOTAL).values_list("code", flat=True)]
        for model in (Source, Region, CountryGroup, InputType)
    ]
    lines = ["measure,year,source,region,country_group,input_type,amount_usd_thousands"]
    lines += [
        f"{measure},{year},{source},{region},{group},{input_type},{year - 1949}"
        for measure in ("expenditure", "approvals")
        for year in range(1950, 2050)
        for source, region, group, input_type in itertools.product(*codes)
    ]
    return ("\n".join(lines) + "\n").encode()


def hang_after_first_insert_into(table):
    def hang(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.startswith(f'INSERT INTO "{table}"'):
            print("inserted", flush=True)
            time.sleep(600)
        return result

    return hang


def main(command, *args):
    if command == "setup":
        call_command("migrate", verbosity=0)
        call_command("load_ilo_data", verbosity=0)
    elif command == "digest":
        print(digest())
    elif command == "draft":
        data = big_upload()
        print("checking", flush=True)
        create_draft(data=data, file_name="big.csv")
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
