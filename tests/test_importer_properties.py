"""Property tests (Hypothesis): any bytes into the importers are refused or accepted, never an
exception, and a refused upload writes nothing at all."""

import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.importers import NUMBER_FORMATS, read_upload, template_csv, template_xlsx
from funding.models import Observation, Release, ReleaseEvent
from funding.services import create_draft, template_code_rows, upload_code_lists

HEADER = "measure,year,source,region,amount_usd_thousands,status,document"
# Cells near what an upload holds, so the checks past the header are reached too.
CELL = st.one_of(
    st.sampled_from(
        [
            "expenditure",
            "approvals",
            "1995",
            "199Z",
            "rbtc",
            "undp",
            "_T",
            "all",
            "africa",
            "12.426",
            "1,234.5",
            "-5",
            "1e9",
            "published",
            "estimated",
            "GB.X",
            "",
            " ",
            '"',
            "=1+1",
            "ldc",
            "\u00a0",
            "99999999999999999999",
        ]
    ),
    st.text(max_size=12),
)
ROW = st.lists(CELL, min_size=0, max_size=9)
SEPARATOR = st.sampled_from([",", ";", "\t"])


def check(data, file_name, number_format, code_lists):
    result = read_upload(data, file_name=file_name, number_format=number_format, code_lists=code_lists)
    # Accepted whole (no problem) or refused whole (problems, each with a message, and no row).
    if not result.ok:
        assert result.rows == []
        assert all(isinstance(problem.message, str) and problem.message for problem in result.problems)
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), name=st.sampled_from(["f.csv", "f.xlsx", "f.CSV", "f", "f.txt"]))
def test_read_upload_takes_any_bytes(db, data, name):
    check(data, name, "en", upload_code_lists())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, max_size=12), sep=SEPARATOR, fmt=st.sampled_from(sorted(NUMBER_FORMATS)), bom=st.booleans())
def test_read_upload_takes_any_table_under_the_real_header(db, rows, sep, fmt, bom):
    text = "\n".join([HEADER.replace(",", sep), *(sep.join(row) for row in rows)])
    data = ("\ufeff" if bom else "").encode() + text.encode()
    check(data, "figures.csv", fmt, upload_code_lists())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=6))
def test_read_upload_takes_any_damaged_workbook(db, flips):
    workbook = bytearray(template_xlsx(template_code_rows()))
    for position, byte in flips:
        workbook[position % len(workbook)] = byte
    check(bytes(workbook), "figures.xlsx", "en", upload_code_lists())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(member=st.binary(max_size=2000), name=st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "x"]))
def test_read_upload_takes_a_zip_that_is_not_a_workbook(db, member, name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, member)
    check(buffer.getvalue(), "figures.xlsx", "en", upload_code_lists())


def _counts():
    return (Release.objects.count(), Observation.objects.count(), ReleaseEvent.objects.count())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.lists(ROW, max_size=8).map(lambda rows: "\n".join([HEADER, *(",".join(row) for row in rows)]).encode()),
    )
)
def test_an_upload_is_a_draft_or_nothing(ilo_data, data):
    before = _counts()
    check_result, draft = create_draft(data=data, file_name="figures.csv")
    after = _counts()
    if draft is None:
        # Refused (or the same as a live release): not one row written.
        assert after == before
    else:
        assert check_result.ok
        assert draft.state == Release.State.DRAFT
        # A draft is one release (with its upload event) and no observation until it is published.
        assert after[1] == before[1]


def test_the_template_is_accepted_as_it_is_downloaded(db):
    # The properties above must not hold only because nothing is ever accepted.
    for data, name in [(template_csv(), "t.csv"), (template_xlsx(template_code_rows()), "t.xlsx")]:
        result = read_upload(data, file_name=name, code_lists=upload_code_lists())
        assert result.ok, result.problems
        assert len(result.rows) > 0
