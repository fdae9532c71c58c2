"""Benchmark: tcdash against what its database can do, at about a million observations.

    make bench                                         # SQLite file bench/out/bench-1000000.sqlite3
    ROWS=200000 make bench                             # another size
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tcdash_bench make bench
    .venv/bin/python bench/run.py --observations 200000 --requests 20 --only pages,exports

It builds the database once (the real ILO release, then synthetic countries under the six regions,
published through the same service as an upload, in releases of up to 250,000 values), then measures
each figure beside its floor, interleaved in the same run, and writes every figure (app, floor,
ratio, rows, engine) to bench/results.json and the README's table for that engine:

- pages and JSON (in-process, through the WSGI application gunicorn serves: the front cache, then
  Django, called as a server calls it): median of --requests, from the cache (a repeated
  request) and computed afresh (cache emptied before each request), against one indexed SELECT of the
  same cells from the table the page reads (the summary of live top-level cells, LiveCell; for SDMX
  data, the live observations the query answers with); and the page computed afresh at N against
  the same at 10,000 (flatness), timed by a twin process on a database of 10,000 observations in the
  same loop, one request each in turn. The twin has the big database's code lists (its synthetic
  countries, a few values each: `build`), so answers that list every country are as long in both;
- exports over HTTP (gunicorn, one worker): CSV rows/s against `COPY (SELECT ...) TO STDOUT` (on
  SQLite: the same SELECT written by csv.writer), the worker's memory growth; XLSX and JSON seconds;
- upload: a 100,000-row CSV checked, kept as a draft and published through the services, against two
  floors: pandas.read_csv + a bulk load into a new table with one unique index, and pandas.read_csv +
  the codes mapped to ids + a bulk load into a copy of the observation table as it stands (its
  million rows, indexes and checks; no foreign keys), each in one transaction, sorted in the index's
  order (COPY on PostgreSQL); then withdrawn again, timed too; medians of three such runs;
- charts: `/`, the explorer and a drill-down in headless Chromium over gunicorn: from the navigation's
  start to the last chart's plotly_afterplot (charts.js's marks), medians of several loads with a
  cold and a warm cache; bytes on the first visit, and what a repeat visit fetches besides the HTML;
- load: 32 connections on `/` spread over two gunicorn processes on two ports sharing the database and
  one Redis, a bounded number of requests each: p99 against the queueing delay (32 / throughput).
Re-running reuses a database that is big enough. Benchmarks are not tests; nothing here asserts.
"""

import argparse
import csv
import functools
import gc
import http.client
import io
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
os.makedirs(OUT, exist_ok=True)

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--observations", type=int, default=int(os.environ.get("ROWS") or 1_000_000))
parser.add_argument("--requests", type=int, default=30)
parser.add_argument("--only", default="pages,exports,upload,charts,load")
parser.add_argument(
    "--twin", action="store_true", help="time the pages afresh, one URL read from stdin at a time (flatness)"
)
parser.add_argument(
    "--countries", type=int, help="build this many synthetic countries, sharing --observations (the twin's build)"
)
ARGS = parser.parse_args()

os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / f'bench-{ARGS.observations}.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-" + os.urandom(16).hex())  # DEBUG off serves only with a key

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import QueryDict  # noqa: E402
from django.templatetags.static import static  # noqa: E402

from funding import sdmx  # noqa: E402
from funding.forms import parse_cell, parse_filters  # noqa: E402
from funding.models import CountryGroup, InputType, Observation, Region, Release, ReleaseEvent, Source  # noqa: E402
from funding.selectors import dimension_members, observations_matching, view_cells  # noqa: E402
from funding.services import create_draft, publish_draft, publish_release, withdraw_release  # noqa: E402
from funding.views.pages import PANELS  # noqa: E402
from tests.browser import CHARTS_DRAWN  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402

URLS = [
    "/",
    "/expenditure/",
    "/expenditure/?from=1994&to=1994&by=source&by=region",
    "/expenditure/?source=undp&by=total&by=region&year=1994&value=share",
    "/approvals/",
    "/expenditure/history/?year=1995&source=undp",
    "/expenditure.json?by=source&from=1990&to=1996",
    "/expenditure.json?by=region&from=1950&to=2049",
    # SDMX data: against one indexed SELECT of the observations the query matches (sdmx_floor_sql).
    "/sdmx/data/TC_FUNDING/expenditure.._T._T._T?startPeriod=1990&endPeriod=1996",
    "/sdmx/data/TC_FUNDING/expenditure._T.._T._T?startPeriod=1990&endPeriod=1996&format=jsondata",
    "/sdmx/data/TC_FUNDING/expenditure._T.._T._T?format=csv",
    # Timed without a floor of their own: structures and a descriptor, not cells.
    "/sdmx/dataflow/ILO/TC_FUNDING/1.0?references=all",
    "/datapackage.json",
]
SOURCES = ["rbtc", "undp", "trust-funds", "unfpa"]
PARENTS = ["africa", "asia-pacific", "latin-america-caribbean", "arab-states", "europe", "interregional"]
BATCH = 250_000
ENGINE = connection.vendor
RESULTS = []


def build(target, countries=None):
    """The real release, then about `target` observations in all: synthetic countries under the six
    regions, each with values for 4 sources x 2 measures x the years 1950-2049 (800), as many
    countries as that takes; or, given `countries` (the twin of 10,000 observations: the big
    database's count), that many countries sharing the values left, a few each. The twin so holds
    the same code lists as the big database, and every answer that lists the countries (SDMX
    structures, the data package) is as long in both: the flatness figure (N / 10,000) compares
    one row count with another, not one code list with another."""
    call_command("migrate", verbosity=0)
    call_command("load_ilo_data", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG is off, as in production
    have = Observation.objects.count()
    per_country = len(SOURCES) * 2 * 100
    built = Region.objects.filter(code__startswith="country-").count()
    if countries is not None and built not in (0, countries):
        raise SystemExit(
            f"{connection.settings_dict['NAME']} has {built:,} synthetic countries, not {countries:,}: "
            "delete it (or drop the database) and run again to build it for these"
        )
    if (countries is None and target - have < per_country) or (countries is not None and built):
        return
    if countries is None:
        countries = max(1, (target - have) // per_country)
        shares = [per_country] * countries
    else:  # the values left, shared out: the first ones take one more
        each, more = divmod(max(target - have, countries), countries)
        shares = [each + (n < more) for n in range(countries)]
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
    cells = [
        (measure, year, source)
        for measure in ("expenditure", "approvals")
        for year in range(1950, 2050)
        for source in SOURCES
    ]
    rows = (
        {
            "measure": measure,
            "year": year,
            "source": source,
            "region": f"country-{n}",
            "amount": 1000 * (n + 1) + year,
            "status": "published",
        }
        for n, share in enumerate(shares)
        # `share` of the 800 cells, spread over them (all of them for a country of the big database).
        for measure, year, source in (cells[(k * len(cells) // share + n) % len(cells)] for k in range(share))
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
    if ENGINE == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does soon after a bulk load in production
    total = Observation.objects.count()
    print(f"built: {total - have:,} synthetic values in {number} releases, {time.perf_counter() - started:.0f} s")


def record(what, *, app, floor, unit, floor_is, rows=None, target=None, **extra):
    """One figure: the app's, its floor's, and their ratio app / floor."""
    ratio = app / floor if app and floor else None  # rows/s: at least the target; times: at most
    entry = {
        "what": what,
        "engine": ENGINE,
        "observations": OBSERVATIONS,
        "app": round(app, 3) if app is not None else None,
        "floor": round(floor, 3) if floor is not None else None,
        "unit": unit,
        "floor_is": floor_is,
        "ratio": round(ratio, 2) if ratio is not None else None,
        "target": target,
        "rows": rows,
        **extra,
    }
    RESULTS.append(entry)
    shown = f"{ratio:.2f}x" if ratio is not None else "-"
    print(
        f"{what:<72} app {app if app is not None else '-':>10} floor {floor if floor is not None else '-':>10} "
        f"{unit:<8} ratio {shown:>8}  target {target or '-'}"
    )
    return entry


# --- Pages and JSON ------------------------------------------------------------------------------


def floor_sql(url):
    """One indexed SELECT of the cells `url` shows (every breakdown of every figure, as one UNION ALL)."""
    path, _, querystring = url.partition("?")
    params = QueryDict(querystring)
    if path.startswith("/sdmx/data/"):
        return sdmx_floor_sql(path.split("/")[4], params)
    if path.startswith(("/sdmx/", "/datapackage")):
        return None
    if "/history/" in path:
        cell, _ = parse_cell(params, measure=path.strip("/").split("/")[0])
        qs = Observation.objects.filter(
            measure=cell["measure"],
            year=cell["year"],
            source__code=cell["source"],
            region__code=cell["region"],
            country_group__code=cell["group"],
        ).values_list("year", "amount", "release_id")
        return qs.query.sql_with_params()
    if path == "/":
        query, _ = parse_filters(params, measure="expenditure")
        pairs = [(query.__class__(**{**query.__dict__, "measure": p.measure}), p.breakdown) for p in PANELS]
        pairs += [(pairs[0][0], "total"), (pairs[2][0], "total")]
    else:
        measure = path.strip("/").split(".")[0]
        query, _ = parse_filters(params, measure=measure)
        pairs = [(query, breakdown) for breakdown in query.by]
    # The same table the page reads: the summary of live top-level cells (Cells.live).
    querysets = [view_cells(q, b).live().values_list("year", "source_id", "region_id", "amount") for q, b in pairs]
    union = querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
    return union.query.sql_with_params()


def sdmx_floor_sql(key, params):
    """One indexed SELECT of the observations an SDMX data query answers with: the live ones of its
    measures, codes and years, read as selectors.cells finds them (observations_matching: by the
    index its codes lead), with every value a data message writes of each, in no order."""
    members = sdmx.parse_key(key, lambda codes: sdmx.codelists(dimension_members(codes=codes)))
    options = sdmx.parse_data_params(params, releases=set())
    qs = observations_matching(
        Observation.objects.current(),
        measures=members.pop("measure", ()),
        members=members,
        year_from=options["year_from"],
        year_to=options["year_to"],
    )
    columns = [f.attname for f in Observation._meta.concrete_fields if f.name not in ("id", "is_current")]
    return qs.values_list(*columns).query.sql_with_params()


def run_floor(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Wsgi:
    """The WSGI application `make serve` runs (tcdash.wsgi), called in this process as gunicorn calls
    it, with the environ a server would pass: Django's test client would add its own work (a request
    object built, templates and contexts recorded, cookies kept) and miss the front cache."""

    def __init__(self):
        from tcdash.wsgi import application

        self.application = application

    @staticmethod
    def environ(url, headers=None):
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        environ.update((f"HTTP_{name.upper().replace('-', '_')}", value) for name, value in (headers or {}).items())
        return environ

    def get(self, url, headers=None):
        """(status code, body read to the end, as a server writes a streamed response while reading it)."""
        environ = self.environ(url, headers)
        answered = []
        body = self.application(environ, lambda status, headers, exc_info=None: answered.append(status))
        try:
            content = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        return int(answered[0].split()[0]), content


def counted(client, url):
    """One request's body, and the number of SQL queries it ran (an execute wrapper)."""
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
        status, body = client.get(url)
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    return body, len(queries)


# Pages and JSON are asked for as a browser asks: compressed where the server compresses.
BROWSER_HEADERS = {"accept-encoding": "gzip, deflate, br"}


def fetch(client, url):
    """One request, its body read to the end (a streamed response is written as it is read)."""
    return client.get(url, headers=BROWSER_HEADERS)[1]


def timed_ms(call):
    """One call's time in ms with the garbage collector paused, as timeit times: the garbage a request
    computed afresh leaves would otherwise be collected inside whichever call comes next (the cached
    one, in the interleaved loop); it is collected between the timed calls instead."""
    gc.disable()
    try:
        started = time.perf_counter()
        call()
        return (time.perf_counter() - started) * 1000
    finally:
        gc.enable()


def pages(twin=None):
    """Each URL's figures; with `twin` (a Twin), also its time afresh at 10,000 observations, taken
    in turn with this database's, so the machine's load falls on both alike."""
    client = Wsgi()
    figures = {}
    for url in URLS:
        cache.clear()
        _, queries = counted(client, url)
        _, cached = counted(client, url)
        size = len(fetch(client, url))  # as the twin measures its answer: as a browser asks (compressed)
        sql, params = floor_sql(url) or ("SELECT 1", ())
        cells = len(run_floor(sql, params)) if floor_sql(url) else None
        fresh, warm, floor, small, small_bytes = [], [], [], [], 0
        for _ in range(ARGS.requests):  # interleaved: the machine's load falls on all of them alike
            cache.clear()
            fresh.append(timed_ms(functools.partial(fetch, client, url)))
            warm.append(timed_ms(functools.partial(fetch, client, url)))
            floor.append(timed_ms(functools.partial(run_floor, sql, params)))
            if twin:
                ms, small_bytes = twin.fresh(url)
                small.append(ms)
        figures[url] = {
            "fresh": statistics.median(fresh),
            "cached": statistics.median(warm),
            "floor": statistics.median(floor) if cells is not None else None,
            "small": statistics.median(small) if small else None,
            "queries": queries,
            "cached_queries": cached,
            "cells": cells,
            "bytes": size,
            "small_bytes": small_bytes,
        }
    return figures


def record_pages(figures):
    for url, f in figures.items():
        flat = f["fresh"] / f["small"] if f["small"] else None
        record(
            f"`{url}` from the cache",
            app=f["cached"],
            floor=f["floor"],
            unit="ms",
            floor_is=f"one indexed SELECT of the same {f['cells']} cells" if f["cells"] is not None else "-",
            target="<= 3x",
            queries=f["cached_queries"],
        )
        record(
            f"`{url}` computed afresh",
            app=f["fresh"],
            floor=f["floor"],
            unit="ms",
            floor_is=f"one indexed SELECT of the same {f['cells']} cells" if f["cells"] is not None else "-",
            queries=f["queries"],
            flat=round(flat, 2) if flat else None,
            at_10000=round(f["small"], 3) if f["small"] else None,
            bytes=f["bytes"],
            bytes_at_10000=f["small_bytes"] or None,
            flat_target="<= 1.2 (N / 10,000)",
        )


class Twin:
    """This script in a child process on a database of 10,000 observations (`--twin`), timing one
    page afresh each time it is asked: the other side of the flatness figure, measured in the same
    loop as the big database's pages rather than minutes apart."""

    def __init__(self):
        env = dict(os.environ)
        if ENGINE == "postgresql":
            env["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_10k"
            subprocess.run(
                ["createdb", "-h", "127.0.0.1", "-U", "postgres", env["DATABASE_URL"].rsplit("/", 1)[1]],
                capture_output=True,
            )
        else:
            env["DATABASE_URL"] = f"sqlite:///{OUT / 'bench-10000.sqlite3'}"
        countries = Region.objects.filter(code__startswith="country-").count()  # the same code lists
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--observations", "10000", "--countries", str(countries), "--twin"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise SystemExit("the 10,000-observation twin did not start")

    def fresh(self, url):
        """The page's time afresh in ms at 10,000 observations, and the size of its answer there."""
        self.process.stdin.write(url + "\n")
        self.process.stdin.flush()
        ms, size = self.process.stdout.readline().split()
        return float(ms), int(size)

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def serve_twin(channel):
    """--twin: read URLs from stdin, answer each on `channel` with its time afresh in ms and its size
    in bytes (Twin's other end). Everything else the run prints goes to stderr, so the channel carries
    only the answers."""
    client = Wsgi()
    for url in URLS:
        fetch(client, url)  # warm: imports, templates, connections
    print("ready", file=channel, flush=True)
    for line in sys.stdin:
        cache.clear()
        gc.disable()  # as timed_ms
        started = time.perf_counter()
        body = fetch(client, line.strip())
        ms = (time.perf_counter() - started) * 1000
        gc.enable()
        print(ms, len(body), file=channel, flush=True)


# --- A server ------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1:PORT with `workers` processes, the bench's database and cache."""

    def __init__(self, *, workers=1, cache_url="locmem://"):
        self.port = free_port()
        env = {
            **os.environ,
            "CACHE_URL": cache_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "k" * 50),
        }
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "tcdash.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "600",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        get(self.port, "/")  # the worker imports and connects before anything is timed

    def worker_rss(self):
        """Resident memory (MB) and its peak of the first worker process."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        status = Path(f"/proc/{children[0]}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines())
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port, path, connection_=None, headers=None):
    conn = connection_ or http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    size = 0
    while True:
        block = response.read(256 * 1024)
        if not block:
            break
        size += len(block)
    if connection_ is None:
        conn.close()
    return response.status, size


# --- Exports -------------------------------------------------------------------------------------


def export_url(countries, fmt):
    regions = "&".join(f"region=country-{n}" for n in range(countries))
    return f"/expenditure.{fmt}?by=source-region&from=1950&to=2049&{regions}"


def copy_floor(url):
    """Rows/s of the database writing the same cells as CSV itself: COPY on PostgreSQL; on SQLite (which
    has no COPY) the same SELECT written by csv.writer."""
    path, _, querystring = url.partition("?")
    query, _ = parse_filters(QueryDict(querystring), measure="expenditure")
    qs = (
        Observation.objects.current()
        .filter(view_cells(query, "source-region").q())
        .values_list(
            "measure",
            "year",
            "source__code",
            "source__name",
            "region__code",
            "region__name",
            "country_group__code",
            "amount",
            "status",
            "document",
            "note",
        )
        .order_by("year", "source__order", "region__order")
    )
    sql, params = qs.query.sql_with_params()
    started = time.perf_counter()
    if ENGINE == "postgresql":
        with connection.cursor() as cursor:
            literal = cursor.mogrify(sql, params).decode()
            sink = io.StringIO()
            cursor.copy_expert(f"COPY ({literal}) TO STDOUT WITH CSV HEADER", sink)
            rows = sink.getvalue().count("\n") - 1
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            sink = io.StringIO()
            writer = csv.writer(sink)
            rows = 0
            for row in cursor:
                writer.writerow(row)
                rows += 1
    return rows, time.perf_counter() - started


def exports():
    countries = 190 if OBSERVATIONS >= 500_000 else max(1, (OBSERVATIONS - 2_000) // 800 // 2)
    url = export_url(countries, "csv")
    server = Server()
    try:
        rss_before, _ = server.worker_rss()
        app, floor = [], []
        for _ in range(3):
            started = time.perf_counter()
            status, size = get(server.port, url)
            app.append(time.perf_counter() - started)
            rows, seconds = copy_floor(url)
            floor.append(seconds)
        _, peak = server.worker_rss()
        record(
            "CSV export over HTTP (gunicorn, 1 worker)",
            app=rows / statistics.median(app),
            floor=rows / statistics.median(floor),
            unit="rows/s",
            floor_is="COPY (SELECT the same rows) TO STDOUT" if ENGINE == "postgresql" else "SELECT + csv.writer",
            rows=rows,
            target=">= 0.5x",
            bytes=size,
            worker_memory_growth_mb=round(peak - rss_before, 1),
            memory_target="< 32 MB",
        )
        csv_seconds = statistics.median(app)
        for fmt in ("xlsx", "json"):
            fmt_url = url.replace(".csv", f".{fmt}")
            rss_before, _ = server.worker_rss()
            timings = []
            for _ in range(2):
                started = time.perf_counter()
                status, size = get(server.port, fmt_url)
                timings.append(time.perf_counter() - started)
            _, peak = server.worker_rss()
            record(
                f"{fmt.upper()} export over HTTP, same rows",
                app=statistics.median(timings),
                floor=csv_seconds,
                unit="s",
                floor_is="the CSV export of the same rows",
                rows=rows,
                bytes=size,
                status=status,
                worker_memory_growth_mb=round(peak - rss_before, 1),
            )
    finally:
        server.stop()


# --- Upload --------------------------------------------------------------------------------------


def upload_file(rows):
    """A file by country: `rows` values of the synthetic countries, restated, from 2026 back."""
    lines = ["measure,year,source,region,amount_usd_thousands,status,document"]
    n = 0
    countries = Region.objects.filter(code__startswith="country-").count()
    for year in range(2026, 1950, -1):
        for measure in ("expenditure", "approvals"):
            for country in range(countries):
                for source in SOURCES:
                    if n == rows:
                        break
                    lines.append(f"{measure},{year},{source},country-{country},{country + 7},published,bench upload")
                    n += 1
    return ("\n".join(lines) + "\n").encode(), n


def settled():
    """The writes so far checkpointed before a timed write (PostgreSQL's CHECKPOINT, SQLite's WAL
    checkpoint), so that no write pays for the one timed before it: the table floor copies the
    million-row table (some 500 MB of WAL) just before the upload is timed, and the checkpoint that WAL
    called for fell inside the upload's publish."""
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT" if ENGINE == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")


def bulk_floor(data):
    """pandas.read_csv and a bulk load into a new table with the cell's unique index, in one
    transaction, the rows in the index's order."""
    import pandas

    settled()
    started = time.perf_counter()
    frame = pandas.read_csv(io.BytesIO(data), dtype=str).sort_values(["measure", "source", "region", "year"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_load")
        cursor.execute(
            "CREATE TABLE bench_load (measure varchar(12), year int, source varchar(40), region varchar(40), "
            "amount bigint, status varchar(12), document varchar(255))"
        )
        cursor.execute("CREATE UNIQUE INDEX bench_load_cell ON bench_load (measure, source, region, year)")
        if ENGINE == "postgresql":
            sink = io.StringIO()
            frame.to_csv(sink, index=False, header=False)
            sink.seek(0)
            cursor.copy_expert("COPY bench_load FROM STDIN WITH CSV", sink)
        else:
            cursor.executemany(
                "INSERT INTO bench_load VALUES (%s, %s, %s, %s, %s, %s, %s)", frame.itertuples(index=False, name=None)
            )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_load")
    return seconds


def _file_frame(data):
    """The file read by pandas and its codes mapped to the table's ids, as any loader must."""
    import pandas

    frame = pandas.read_csv(io.BytesIO(data), dtype=str)
    ids = {model: dict(model.objects.values_list("code", "id")) for model in (Source, Region, CountryGroup, InputType)}
    # Sorted in the order of the table's live-cell index, as the publish writes (each index page once).
    return pandas.DataFrame(
        {
            "release_id": 0,
            "measure": frame["measure"],
            "country_group_id": ids[CountryGroup]["_T"],
            "year": frame["year"],
            "source_id": frame["source"].map(ids[Source]),
            "region_id": frame["region"].map(ids[Region]),
            "input_type_id": ids[InputType]["_T"],
            "amount": frame["amount_usd_thousands"].astype("int64") * 1000,
            "status": 0,
            "document": frame["document"],
            "document_url": "",
            "note": "",
            "is_current": True,
        }
    ).sort_values(["measure", "country_group_id", "input_type_id", "source_id", "region_id", "year"])


OBSERVATION_COPY = "bench_observation"


def _observation_copy(cursor, staged):
    """A copy of the observation table as it stands (every row, its primary key, checks and indexes;
    no foreign keys), with the file's cells already retired, as a publish retires them before it
    writes. Rows first, the file's cells retired, then the indexes made: minutes faster than loading
    a million rows into an indexed table."""
    table = Observation._meta.db_table
    columns = "measure, country_group_id, input_type_id, source_id, region_id, year"
    cursor.execute(f"DROP TABLE IF EXISTS {OBSERVATION_COPY}")
    cursor.execute(f"CREATE TEMPORARY TABLE bench_cells AS SELECT {columns} FROM {table} WHERE 0 = 1")
    cells = staged[columns.split(", ")].astype(dict.fromkeys(columns.split(", ")[1:], int))
    if ENGINE == "postgresql":
        cursor.copy_expert("COPY bench_cells FROM STDIN WITH CSV", io.StringIO(cells.to_csv(index=False, header=False)))
    else:
        cursor.executemany(
            "INSERT INTO bench_cells VALUES (%s, %s, %s, %s, %s, %s)", cells.itertuples(index=False, name=None)
        )
    if ENGINE == "postgresql":
        cursor.execute(
            f"CREATE TABLE {OBSERVATION_COPY} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS"
            " INCLUDING IDENTITY)"
        )
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = [
            (name, sql.replace(f" ON public.{table} ", f" ON {OBSERVATION_COPY} ")) for name, sql in cursor.fetchall()
        ]
    else:
        # The table's own CREATE statements, renamed, without its references to the code lists.
        cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL", [table])
        statements = [
            (kind, name, sql.replace(f'"{table}"', OBSERVATION_COPY)) for kind, name, sql in cursor.fetchall()
        ]
        cursor.execute(
            next(
                re.sub(r' REFERENCES "\w+" \("\w+"\)[A-Z ]*', "", sql) for kind, _, sql in statements if kind == "table"
            )
        )
        indexes = [(name, sql) for kind, name, sql in statements if kind == "index"]
    cursor.execute(f"INSERT INTO {OBSERVATION_COPY} SELECT * FROM {table}")
    retire = f"UPDATE {OBSERVATION_COPY} SET is_current = %s WHERE is_current AND ({columns}) IN (SELECT * FROM {{}})"
    cursor.execute(retire.format("bench_cells"), [False])
    cursor.execute("DROP TABLE bench_cells")
    for name, sql in indexes:
        cursor.execute(sql.replace(name, f"bench_{name}", 1))
    if ENGINE == "postgresql":
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{OBSERVATION_COPY}', 'id'), max(id)) FROM {table}")
    cursor.execute(f"ANALYZE {OBSERVATION_COPY}")


def observation_table_floor(data):
    """pandas.read_csv, the codes mapped to ids, and a bulk load into a copy of the observation table
    at its size with its indexes (COPY on PostgreSQL): what the database itself must do to take the
    file's rows into a table such as ours. The copy is made first and not timed."""
    staged = _file_frame(data)
    columns = list(staged.columns)
    with connection.cursor() as cursor:
        _observation_copy(cursor, staged)
    settled()
    with transaction.atomic(), connection.cursor() as cursor:  # one transaction, as a publish is
        started = time.perf_counter()
        staged = _file_frame(data)
        if ENGINE == "postgresql":
            sink = io.StringIO()
            staged.to_csv(sink, index=False, header=False)
            sink.seek(0)
            options = "FORMAT csv, FORCE_NOT_NULL (document, document_url, note)"
            cursor.copy_expert(f"COPY {OBSERVATION_COPY} ({', '.join(columns)}) FROM STDIN WITH ({options})", sink)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {OBSERVATION_COPY} ({', '.join(columns)}) VALUES ({marks})",
                staged.itertuples(index=False, name=None),
            )
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {OBSERVATION_COPY}")
    return seconds


# The upload is measured this many times, its floors beside it each time: medians (one run's ratio
# moved between 2.6x and 3.9x on SQLite from run to run).
UPLOAD_RUNS = 3


def upload():
    data, rows = upload_file(100_000)
    runs = [_upload_once(data) for _ in range(UPLOAD_RUNS)]
    floor, table_floor, checked, seconds, withdrawn = (statistics.median(run) for run in zip(*runs, strict=True))
    record(
        "100k-row CSV upload: check + preview + publish",
        app=seconds,
        floor=floor,
        unit="s",
        floor_is="pandas.read_csv + bulk load into an indexed table" + (" (COPY)" if ENGINE == "postgresql" else ""),
        rows=rows,
        target="<= 3x",
        bytes=len(data),
        check_and_preview_s=round(checked, 2),
        runs=UPLOAD_RUNS,
    )
    record(
        "100k-row CSV upload: check + preview + publish, against the observation table's own bulk load",
        app=seconds,
        floor=table_floor,
        unit="s",
        floor_is=(
            "pandas.read_csv + the codes mapped + a bulk load into a copy of the observation table "
            f"({OBSERVATIONS:,} rows, its indexes, no foreign keys)" + (" (COPY)" if ENGINE == "postgresql" else "")
        ),
        rows=rows,
        target="<= 3x",
        runs=UPLOAD_RUNS,
    )
    record(
        "withdrawal of that release (its 100k values, each cell's earlier value live again)",
        app=withdrawn,
        floor=None,
        unit="s",
        floor_is="-",
        rows=rows,
        runs=UPLOAD_RUNS,
    )


def _upload_once(data):
    """(floor, table floor, check + preview, check + preview + publish, withdrawal) seconds of one run."""
    if ENGINE == "postgresql":
        # What autovacuum does in production: the last run's withdrawn 100,000 values are dead rows, which
        # would slow this run's retiring UPDATE from run to run (autovacuum is off on these machines).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE funding_observation")
            cursor.execute("VACUUM ANALYZE funding_livecell")
    floor = bulk_floor(data)
    table_floor = observation_table_floor(data)
    settled()
    started = time.perf_counter()
    check, draft = create_draft(data=data, file_name="bench-upload.csv")
    checked = time.perf_counter() - started
    if draft is None:
        raise SystemExit(f"the bench upload was refused: {check.problems[:3]}")
    release, _ = publish_draft(release=draft, expected_fingerprint=check.fingerprint)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    withdraw_release(release=release)
    withdrawn = time.perf_counter() - started
    _forget(release)
    return floor, table_floor, checked, seconds, withdrawn


def _forget(release):
    """The bench's own withdrawn release deleted, its values and record with it: each run leaves the
    database as it found it. Kept, each run's 100,000 withdrawn values stayed in the observation table
    (5.4 million rows after a day of runs, a million of them live), which every floor copying that
    table and every write to it then paid for."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM funding_observation WHERE release_id = %s", [release.pk])
        ReleaseEvent.objects.filter(release=release).delete()
        Release.objects.filter(pk=release.pk).delete()


# --- Front end -----------------------------------------------------------------------------------


CHART_PAGES = ("/", "/expenditure/?by=source&by=region", "/expenditure/?source=undp&by=total&by=region&year=1994")

# The last chart's plotly_afterplot, in ms from the start of the navigation: charts.js leaves a
# "tcdash:chart-drawn" mark on each (performance marks count from the navigation's start).
LAST_DRAWN = """() => Math.max(...performance.getEntriesByName("tcdash:chart-drawn").map(m => m.startTime))"""


class Visit:
    """One navigation in a browser page, with what went over the network (Chrome's DevTools protocol)."""

    def __init__(self, page, url):
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        self.requests, self.from_cache, self.bytes = {}, set(), {}
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.requestServedFromCache", lambda e: self.from_cache.add(e["requestId"]))
        session.on("Network.responseReceived", self._received)
        session.on("Network.loadingFinished", lambda e: self.bytes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(url)
        page.wait_for_function(CHARTS_DRAWN)
        self.drawn_s = page.evaluate(LAST_DRAWN) / 1000
        self.charts = page.locator(".chart.is-drawn").count()
        session.detach()

    def _sent(self, event):
        self.requests[event["requestId"]] = event["request"]["url"]

    def _received(self, event):
        if event["response"].get("fromDiskCache") or event["response"].get("fromPrefetchCache"):
            self.from_cache.add(event["requestId"])

    def transferred_mb(self):
        return sum(self.bytes.values()) / 1e6

    def fetched_besides_the_page(self, url):
        """The requests that reached the server, other than the page's own HTML."""
        return [u for r, u in self.requests.items() if r not in self.from_cache and u != url]


def charts(loads=7):
    """Every chart drawn (navigation start to the last chart's plotly_afterplot), medians of `loads`
    loads: cold (a new browser context each time: empty HTTP cache) and warm (repeat visits in one
    context, after a first); bytes on the first and the repeat visit; gunicorn, static files from
    whitenoise with far-future cache headers, as in production."""
    from playwright.sync_api import sync_playwright

    server = Server()
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            for path in CHART_PAGES:
                url = base + path
                cold = []
                for _ in range(loads):
                    context = browser.new_context()
                    cold.append(Visit(context.new_page(), url))
                    context.close()
                context = browser.new_context()
                page = context.new_page()
                Visit(page, url)
                warm = [Visit(page, url) for _ in range(loads)]
                context.close()
                count = cold[0].charts
                for label, visits in (("first visit (cold cache)", cold), ("repeat visit (warm cache)", warm)):
                    record(
                        f"`{path}`: every chart drawn ({count}), {label}",
                        app=statistics.median(v.drawn_s for v in visits),
                        floor=None,
                        unit="s",
                        floor_is="target 1 s",
                        target="< 1 s",
                        loads=len(visits),
                        slowest_s=round(max(v.drawn_s for v in visits), 3),
                    )
                record(
                    f"`{path}`: bytes transferred, first visit",
                    app=cold[0].transferred_mb(),
                    floor=None,
                    unit="MB",
                    floor_is="target 0.6 MB",
                    target="< 0.6 MB",
                    repeat_visit_mb=round(warm[-1].transferred_mb(), 3),
                    repeat_visit_other_requests=len(warm[-1].fetched_besides_the_page(url)),
                )
            browser.close()
    finally:
        server.stop()


# --- Load ----------------------------------------------------------------------------------------


def _load_connection(servers, path, count, latencies, errors, index):
    """One client connection: `count` requests one after the other (keep-alive) to one of the servers."""
    port = servers[index % 2].port
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(count):
        started = time.perf_counter()
        try:
            status, _ = get(port, path, conn, headers=BROWSER_HEADERS)
            ok = status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        latencies.append(time.perf_counter() - started)  # list.append is atomic under the GIL
        if not ok:
            errors.append(1)
    conn.close()


def load(connections=32, per_connection=40):
    if ENGINE != "postgresql":
        print("load: skipped (two servers share one database: PostgreSQL only)")
        return
    import redis

    prefix = f"redis://127.0.0.1:6379/{9}"
    redis.Redis.from_url(prefix).flushdb()
    servers = [Server(workers=1, cache_url=prefix), Server(workers=1, cache_url=prefix)]
    try:
        # The floor: a static file by the hashed name the pages use (collectstatic keeps no other).
        for label, path in (("`/`", "/"), ("a static file (floor)", static("css/site.css"))):
            latencies, errors = [], []
            worker = functools.partial(_load_connection, servers, path, per_connection, latencies, errors)
            threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            latencies.sort()
            throughput = len(latencies) / elapsed
            p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
            queueing = connections / throughput * 1000
            record(
                f"{connections} connections on {label}, 2 gunicorn servers, one Redis: p99",
                app=p99,
                floor=queueing,
                unit="ms",
                floor_is="queueing delay (connections / throughput)",
                target="<= 2x" if label == "`/`" else None,
                requests=len(latencies),
                requests_per_s=round(throughput, 1),
                errors=len(errors),
            )
    finally:
        for server in servers:
            server.stop()


# --- Output --------------------------------------------------------------------------------------


def write_results():
    path = ROOT / "bench" / "results.json"
    previous = json.loads(path.read_text()) if path.exists() else []
    # A run with --only replaces the figures it measured and keeps the others of its engine, each
    # with the run that measured it.
    run = {
        "command": " ".join(sys.argv[1:]) or "make bench",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": [round(load, 1) for load in os.getloadavg()],
    }
    for r in RESULTS:
        r["run"] = run
    fresh = {r["what"]: r for r in RESULTS}
    figures = [fresh.pop(r["what"], r) for r in previous if r.get("engine") == ENGINE] + list(fresh.values())
    others = [r for r in previous if r.get("engine") != ENGINE]
    path.write_text(json.dumps(others + figures, indent=1) + "\n")
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = f"<!-- bench:{ENGINE}:start -->", f"<!-- bench:{ENGINE}:end -->"
    if start not in text:
        return
    load = ", ".join(str(n) for n in run["load_average"])
    lines = [
        f"{OBSERVATIONS:,} observations, {ENGINE}, `{run['command']}`, {run['date']}, load average {load}"
        " (1, 5, 15 min; 2 cores). A figure from an earlier run names it.",
        "",
        "| what | app | floor | floor is | ratio | target |",
        "|---|---|---|---|---|---|",
    ]
    for r in figures:
        if "error" in r:
            lines.append(f"| {r['what']} | failed: {r['error'][:80]} | | | | |")
            continue
        app = f"{r['app']:,} {r['unit']}" if r["app"] is not None else "-"
        floor = f"{r['floor']:,} {r['unit']}" if r["floor"] is not None else "-"
        ratio = f"{r['ratio']}x" if r["ratio"] is not None else "-"
        notes = []
        if r.get("flat"):
            notes.append(f"N/10k {r['flat']}")
            if r.get("bytes_at_10000") and r["bytes"] > 1.2 * r["bytes_at_10000"]:  # a longer answer, not a slower one
                notes.append(f"its answer {r['bytes'] / 1000:,.0f} KB, {r['bytes_at_10000'] / 1000:,.0f} KB at 10k")
        if r.get("worker_memory_growth_mb") is not None:
            notes.append(f"worker +{r['worker_memory_growth_mb']} MB")
        if r.get("errors") is not None:
            notes.append(f"{r['errors']} errors, {r['requests_per_s']} req/s")
        if r.get("repeat_visit_other_requests") is not None:
            notes.append(
                f"repeat visit: {r['repeat_visit_mb']} MB, {r['repeat_visit_other_requests']} requests besides the HTML"
            )
        if r.get("loads") is not None:
            notes.append(f"median of {r['loads']} loads, slowest {r['slowest_s']} s")
        if r.get("run", run) is not run:
            earlier = r.get("run") or {"command": "make bench", "date": "2026-12-01"}
            notes.append(
                f"earlier run: `{earlier['command']}`, {earlier['date']}, {r.get('observations'):,} observations"
            )
        what = r["what"] + (f" ({'; '.join(notes)})" if notes else "")
        lines.append(f"| {what} | {app} | {floor} | {r['floor_is']} | {ratio} | {r['target'] or ''} |")
    before, rest = text.split(start, 1)
    _, after = rest.split(end, 1)
    readme.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after)


def main():
    global OBSERVATIONS
    channel, sys.stdout = (sys.stdout, sys.stderr) if ARGS.twin else (sys.stdout, sys.stdout)
    build(ARGS.observations, ARGS.countries)
    OBSERVATIONS = Observation.objects.count()
    print(f"engine: {ENGINE}; observations: {OBSERVATIONS:,} ({Observation.objects.current().count():,} current)")
    only = set(ARGS.only.split(","))
    if only == {"build"}:
        return
    if ARGS.twin:
        serve_twin(channel)
        return
    if "pages" in only:
        twin = Twin() if OBSERVATIONS >= 50_000 else None
        try:
            record_pages(pages(twin))
        finally:
            if twin:
                twin.close()
    for name, step in (("exports", exports), ("upload", upload), ("charts", charts), ("load", load)):
        if name in only:
            try:
                step()
            except (Exception, SystemExit) as error:  # one failed step must not lose the others' figures
                print(f"{name}: failed: {error!r}")
                RESULTS.append({"what": name, "engine": ENGINE, "observations": OBSERVATIONS, "error": repr(error)})
    write_results()


OBSERVATIONS = 0

if __name__ == "__main__":
    main()
