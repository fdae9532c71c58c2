"""Hostile uploads: how long the importer takes to refuse (or read) each file, and how much memory.

Usage: .venv/bin/python bench/hostile_uploads.py [RUNS]   (default 5; median and worst of RUNS)

Each file is made here, as tests/factories.py makes it for the tests (the same builders), and read
by `importers.read_upload` in a fresh interpreter per file, so that the peak resident memory
(growth over the interpreter with Django and pandas loaded) is the file's own. The workbooks must
be refused in milliseconds, before a reader lays out their grid; the 5 MB CSV of junk rows must
cost little memory, its problems listed up to 200 and the rest counted.
"""

import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import importlib, json, os, resource, sys, time
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcdash.settings")
import django
django.setup()
import pandas  # loaded before the baseline: every server process has it
from funding.importers import code_lists_from, read_upload
from tests import factories

REFERENCE = importlib.import_module("funding.migrations.0002_reference_data")
CODES = code_lists_from({{
    "source": [{{"code": "_T", "name": "All sources"}}] + [{{"code": c, "name": n}} for c, n, *_ in REFERENCE.SOURCES],
    "region": [{{"code": "_T", "name": "All regions"}}] + [{{"code": c, "name": n}} for c, n, *_ in REFERENCE.REGIONS],
    "country_group": [{{"code": c, "name": n}} for c, n, _ in REFERENCE.COUNTRY_GROUPS],
    "input_type": [{{"code": c, "name": n}} for c, n, _ in REFERENCE.INPUT_TYPES],
}})
name, runs = sys.argv[1], int(sys.argv[2])
builders = {{
    "xfd.xlsx": factories.far_cell_xlsx,
    "sparse.xlsx": factories.sparse_xlsx,
    "declared.xlsx": factories.declared_xlsx,
    "nan.xlsx": factories.nan_xlsx,
    "very-hidden.xlsx": factories.very_hidden_xlsx,
    "hidden.xlsx": factories.hidden_only_xlsx,
    "junk-5mb.csv": lambda: b"measure,year,source,region,amount\n" + b"x\n" * 2_600_000,
}}
data = builders[name]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
for _ in range(runs):
    start = time.perf_counter()
    result = read_upload(data, file_name=name, code_lists=CODES, max_bytes=5_242_880 * 2)
    times.append((time.perf_counter() - start) * 1000)
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({{"bytes": len(data), "times": times, "grown_mb": grown, "problems": len(result.problems),
                  "rows": len(result.rows), "first": str(result.problems[0]) if result.problems else ""}}))
"""

CASES = ["xfd.xlsx", "sparse.xlsx", "declared.xlsx", "nan.xlsx", "very-hidden.xlsx", "hidden.xlsx", "junk-5mb.csv"]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    print(f"{'file':<18} {'bytes':>10} {'median ms':>10} {'worst ms':>9} {'memory MB':>10}  outcome")
    for name in CASES:
        script = CASE.format(root=str(ROOT))
        runs_here = 1 if name.endswith(".csv") else runs
        done = subprocess.run(
            [sys.executable, "-c", script, name, str(runs_here)], capture_output=True, text=True, check=True
        )
        found = json.loads(done.stdout.strip().splitlines()[-1])
        outcome = f"read {found['rows']} rows" if found["rows"] else f"{found['problems']} problems: {found['first']}"
        print(
            f"{name:<18} {found['bytes']:>10,} {statistics.median(found['times']):>10.1f} "
            f"{max(found['times']):>9.1f} {found['grown_mb']:>10.1f}  {outcome[:90]}"
        )


if __name__ == "__main__":
    main()
