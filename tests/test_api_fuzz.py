"""Schemathesis against the live OpenAPI description: no 5xx, no answer that breaks the description.

It reads /api/openapi.json from a live server with the real data and sends every operation
schema-valid and schema-invalid parameters, undeclared methods (QUERY, PUT...) and the edge cases of
each parameter (its coverage phase), checking status codes, content types, headers and bodies
against the description. Bounded by a number of cases, not by time, so that a run repeats: with the
seed fixed, every run sends the same cases (the coverage phase's edge cases of every parameter and
method, then MAX_EXAMPLES generated ones a phase and operation); SCHEMATHESIS_MAX_EXAMPLES asks for
more. Each request has a deadline (a server that hangs fails the test instead of stalling it).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MAX_EXAMPLES = os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "15")
REQUEST_DEADLINE = "30"  # seconds for one answer


@pytest.mark.cost(27)
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, ilo_data, tmp_path):
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{live_server.url}/api/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        MAX_EXAMPLES,
        "--request-timeout",
        REQUEST_DEADLINE,
        "--suppress-health-check",
        "too_slow",
        "--seed",
        "10",
        "--workers",
        "2",
        "--no-color",
        "--generation-database",
        "none",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert "No issues found" in output or "passed" in output, output[-5000:]
