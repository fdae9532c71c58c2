"""Memory of a large export: how much the CSV and XLSX writers' process grows for N / 10 and N rows.

Usage: .venv/bin/python bench/export_memory.py [ROWS] [--trace]   (default 200000; also runs ROWS / 10)

The growth is the peak resident set size after the export less the one before it (no overhead).
`--trace` measures the peak of Python allocations with tracemalloc instead: finer, ten times slower.

The exporters take any iterable of rows. Fed from a generator, their peak memory must not grow with
the number of rows (streaming). Fed from a list of rows, as a view does today (`view_rows` reads
its rows into a list in one query), the list itself is the cost: measured too, for the record.
Each case runs in a fresh interpreter so that one case's allocations do not count in another's.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, os, resource, sys, tempfile, time, tracemalloc
from decimal import Decimal
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")
import django
django.setup()
from funding.exporters import csv_chunks, long_table, write_xlsx
from funding.selectors import ViewQuery

kind, source, count, trace = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "trace"
CODE_LISTS = {{
    "sources": [{{"code": c, "name": n, "name_fr": n, "order": i}} for i, (c, n) in enumerate(
        [("_T", "All sources"), ("rbtc", "Regular budget (RBTC)"), ("undp", "UNDP"),
         ("trust-funds", "Trust funds and multi-bi"), ("unfpa", "UNFPA")])],
    "regions": [{{"code": "_T", "name": "All regions", "name_fr": "Toutes régions", "order": 0}}],
}}
SOURCES = ["rbtc", "undp", "trust-funds", "unfpa"]
META = {{"title": "bench", "description": "", "unit": "USD thousands", "url": "http://x/", "generated_at": "",
         "releases": [], "documents": [], "notes": [], "source": "", "licence": ""}}


def rows():
    for n in range(count):
        yield {{"breakdown": "source", "measure": "expenditure", "year": 1950 + n % 150, "source": SOURCES[n % 4],
               "region": None, "amount": Decimal(n) / 8, "status": "published",
               "document": "GB.273/TC/1 (Nov 1998) Appendix I table A", "document_url": ""}}


if trace:
    tracemalloc.start()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
data = list(rows()) if source == "list" else rows()
query = ViewQuery(by=("source",))
header, table = long_table(data, query=query, code_lists=CODE_LISTS)
size = 0
if kind == "csv":
    for chunk in csv_chunks(header, table):
        size += len(chunk)
else:
    with tempfile.TemporaryFile() as file:
        write_xlsx(header, table, meta=META, file=file)
        size = file.tell()
seconds = time.perf_counter() - started
if trace:
    growth = tracemalloc.get_traced_memory()[1] / 2**20
else:
    growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024  # KiB on Linux
print(json.dumps({{"growth_mb": growth, "bytes": size, "seconds": seconds}}))
"""


def run(kind, source, count, trace):
    script = CASE.format(root=str(ROOT))
    mode = "trace" if trace else "rss"
    done = subprocess.run(
        [sys.executable, "-c", script, kind, source, str(count), mode], capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr)
    return json.loads(done.stdout)


def main():
    args = [a for a in sys.argv[1:] if a != "--trace"]
    trace = "--trace" in sys.argv
    large = int(args[0]) if args else 200_000
    started = time.perf_counter()
    measure = "traced peak MB" if trace else "RSS growth MB"
    print(f"{'format':6} {'rows from':10} {'rows':>8} {measure:>15} {'file MB':>9} {'seconds':>8}")
    for kind in ("csv", "xlsx"):
        for source in ("generator", "list"):
            for count in (large // 10, large):
                result = run(kind, source, count, trace)
                print(
                    f"{kind:6} {source:10} {count:>8} {result['growth_mb']:>15.2f} "
                    f"{result['bytes'] / 2**20:>9.2f} {result['seconds']:>8.2f}"
                )
    print(f"total {time.perf_counter() - started:.1f} s" + (" (times include tracemalloc's overhead)" if trace else ""))


if __name__ == "__main__":
    main()
