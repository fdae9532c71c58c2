"""Benchmark: tcdash's pages and twins over a database of about a million observations.

    .venv/bin/python bench/run.py                      # SQLite file bench/out/bench.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tcdash_bench .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --observations 200000 --requests 20

It builds the database once (the real ILO release, then synthetic countries under the six regions,
published through the same service as an upload, in releases of up to 250,000 values), then times
each URL in-process with Django's test client: median and 95th percentile of --requests requests,
and the number of SQL queries each one runs. Re-running reuses the database when it is big enough.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.makedirs(ROOT / "bench" / "out", exist_ok=True)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench' / 'out' / 'bench.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from funding.models import Observation, Region  # noqa: E402
from funding.services import publish_release  # noqa: E402

URLS = [
    "/",
    "/expenditure/",
    "/expenditure/?from=1994&to=1994&by=source&by=region",
    "/expenditure/?source=undp&by=total&by=region&year=1994&value=share",
    "/approvals/",
    "/expenditure/history/?year=1995&source=undp",
    "/expenditure.json?by=source&from=1990&to=1996",
    "/expenditure.json?by=region&from=1950&to=2049",
    "/expenditure.csv?by=source&by=region&from=1990&to=1996",
    "/expenditure.xlsx?by=source&from=1990&to=1996",
    "/sdmx/dataflow/ILO/TC_FUNDING/1.0?references=all",
    "/sdmx/data/TC_FUNDING/expenditure.._T._T._T?startPeriod=1990&endPeriod=1996",
    "/sdmx/data/TC_FUNDING/expenditure._T.._T._T?startPeriod=1990&endPeriod=1996&format=jsondata",
    "/sdmx/data/TC_FUNDING/expenditure._T.._T._T?format=csv",
    "/datapackage.json",
]
SOURCES = ["rbtc", "undp", "trust-funds", "unfpa"]
PARENTS = ["africa", "asia-pacific", "latin-america-caribbean", "arab-states", "europe", "interregional"]
BATCH = 250_000


def build(target):
    call_command("migrate", verbosity=0)
    call_command("load_ilo_data", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off, as in production
    have = Observation.objects.count()
    # Synthetic countries (children of the regions) x 4 sources x 2 measures x years 1950-2049.
    per_country = len(SOURCES) * 2 * 100
    if target - have < per_country:
        print(f"database has {have:,} observations; reusing it")
        return
    countries = max(1, (target - have) // per_country)
    parents = dict(Region.objects.filter(code__in=PARENTS).values_list("code", "id"))
    Region.objects.bulk_create(
        [
            Region(
                code=f"country-{n}",
                name=f"Country {n}",
                order=100 + n,
                colour="#999999",
                parent_id=parents[PARENTS[n % len(PARENTS)]],
            )
            for n in range(countries)
        ],
        ignore_conflicts=True,
    )
    rows = (
        {
            "measure": measure,
            "year": year,
            "source": source,
            "region": f"country-{n}",
            "amount": 1000 * (n + 1) + year,
            "status": "published",
        }
        for n in range(countries)
        for measure in ("expenditure", "approvals")
        for year in range(1950, 2050)
        for source in SOURCES
    )
    batch, number = [], 0
    started = time.perf_counter()
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            number += 1
            publish_release(title=f"bench {number}", rows=batch, checksum=f"bench-{number}".ljust(64, "0"))
            batch = []
    if batch:
        number += 1
        publish_release(title=f"bench {number}", rows=batch, checksum=f"bench-{number}".ljust(64, "0"))
    seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load in production
    total = Observation.objects.count()
    print(
        f"published {total - have:,} synthetic values in {number} releases: {seconds:.1f} s "
        f"({(total - have) / seconds:,.0f} values/s)"
    )


def measure(client, url, requests):
    # Count with an execute wrapper: the request_started signal empties connection.queries.
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        response = client.get(url)
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, len(queries), len(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--observations", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    build(args.observations)
    print(
        f"engine: {connection.vendor}; observations: {Observation.objects.count():,} "
        f"({Observation.objects.filter(is_current=True).count():,} current)"
    )
    client = Client()
    print(f"{'url':<72} {'median ms':>9} {'p95 ms':>8} {'queries':>7} {'bytes':>9}")
    for url in URLS:
        result = measure(client, url, args.requests)
        if result is None:
            print(f"{url:<72} {'(no such page)':>36}")
            continue
        median, p95, queries, size = result
        print(f"{url:<72} {median:9.1f} {p95:8.1f} {queries:7d} {size:9,d}")


if __name__ == "__main__":
    main()
