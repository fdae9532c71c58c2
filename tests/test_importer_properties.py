"""Property tests (Hypothesis): any bytes into the importers are refused or accepted, never an
exception, and a refused upload writes nothing at all."""

import io
import itertools
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funding.importers import (
    NUMBER_FORMATS,
    TOTAL_TOLERANCE,
    _header,
    _RowReader,
    check_totals,
    read_upload,
    template_csv,
    template_xlsx,
)
from funding.importers.totals import DIM_INDEX
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


# Cells of each column of a long file, right and wrong: rows of right ones are often clean.
COLUMN_CELLS = {
    "measure": (["expenditure", "approvals", "Expenditure", "expenditure-share", "recipients"], ["x", ""]),
    "year": (["1995", "1996", 1996, 1996.0], ["199Z", "", None]),
    "source": (["rbtc", "undp", "_T", "all", "UNDP"], ["nope", "undp+unfpa", ""]),
    "region": (["africa", "_T", "asia-pacific", "Africa "], [""]),
    "country_group": (["", "_T", "ldc"], ["x"]),
    "input_type": (["", "_T", "_T", "experts"], ["x"]),
    "amount": (["5", "12.426", "1,234.5", "101", "400", 7, 7.5, "1.5"], ["-5", "", True, float("nan"), "1.2345"]),
    "share_percent": (["", "45.9"], []),
    "status": (["", "published", "Estimated"], ["bogus"]),
    "document": (["GB.X", "", "'=x"], ["a\x07b"]),
    "note": (["", "a note", "of which: part of Trust funds and multi-bi, not added to it; kept"], ["\u202e"]),
}


@st.composite
def long_tables(draw):
    """A header of some of the long layout's columns, and rows for it: mostly cells of each column, some
    rows shorter or longer than the header, some blank, some of any cells at all."""
    optional = draw(st.lists(st.sampled_from(["country_group", "input_type", "share_percent", "status", "document",
                                              "note"]), unique=True))  # fmt: skip
    header = draw(st.permutations(["measure", "year", "source", "region", "amount", *optional]))
    fitting = st.tuples(*(st.sampled_from(right * 8 + wrong) for right, wrong in map(COLUMN_CELLS.get, header)))
    fitting = fitting.map(list)
    other = st.one_of(st.lists(CELL, max_size=len(header) + 2), st.just([""] * len(header)), st.just([]))
    rows = draw(st.lists(st.one_of(fitting, fitting, fitting, other), max_size=30))
    return header, rows


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=long_tables(), fmt=st.sampled_from(sorted(NUMBER_FORMATS)))
def test_rows_read_by_columns_are_the_rows_read_one_at_a_time(db, table, fmt):
    # The reading by columns of a large file (_RowReader.read_many) must be the reading row by row,
    # problems, their order and ambiguous amounts included: it is what every upload's rows are.
    header, rows = table
    code_lists = upload_code_lists()

    def reader():
        columns = _header(header, [])
        return _RowReader(
            columns, width=len(header), amount_column="amount", number_format=fmt, code_lists=code_lists, max_year=2030
        )

    one_at_a_time = reader()
    expected = [
        None if one_at_a_time.blank(cells) else one_at_a_time.read(2 + i, cells) for i, cells in enumerate(rows)
    ]
    clean, found = reader().read_many(2, rows)
    if clean is not None:
        found = [(row, [], ambiguity) for row, ambiguity in zip(clean, found, strict=True)]
    assert found == expected
    assert all(row is not None and not row[1] for row in expected) == (clean is not None)


TOTALS_PARTS = {"source": ("rbtc", "undp"), "region": ("africa", "europe"), "input_type": ()}
TOTALS_CELLS = list(
    itertools.product(
        ["expenditure", "expenditure-share"],
        ["_T", "ldc"],
        [1995],
        ["_T", "rbtc", "undp", "unfpa"],
        ["_T", "africa", "europe"],
        ["_T", "experts"],
    )
)


@settings(max_examples=300, deadline=None)
@given(
    cells=st.sets(st.sampled_from(TOTALS_CELLS), min_size=10),
    values=st.lists(st.integers(min_value=0, max_value=5000), min_size=len(TOTALS_CELLS)),
    touched=st.sets(st.sampled_from(TOTALS_CELLS), max_size=10),
)
def test_check_totals_checks_every_total_of_its_definition(cells, values, touched):
    # check_totals looks for the totals from their parts; this is its definition, cell by cell: every
    # total of money along a dimension with a part given, where it or a part is touched. With every part
    # there, their sum is the total within the tolerance; with one missing, at most the total plus it.
    amounts = dict(zip(sorted(cells), values, strict=False))
    expected = {}
    for key, total in amounts.items():
        for dim, index in DIM_INDEX.items():
            parts = [(*key[:index], code, *key[index + 1 :]) for code in TOTALS_PARTS[dim]]
            given = [p for p in parts if p in amounts]
            if key[0] != "expenditure" or key[index] != "_T" or not given:
                continue
            if key in touched or any(p in touched for p in parts):
                expected[key, dim] = (given, total, sum(amounts[p] for p in given), len(given) == len(parts))
    checks = check_totals(amounts, TOTALS_PARTS, touched=touched)
    found = {(c["total_cell"], c["dimension"]): (c["part_cells"], c["total"], c["sum"], c["complete"]) for c in checks}
    assert found == expected
    assert len(checks) == len(expected)
    assert all(c["values"] == [amounts[p] for p in c["part_cells"]] for c in checks)
    for c in checks:
        if c["complete"]:
            assert c["ok"] == (abs(c["difference"]) <= TOTAL_TOLERANCE)
        else:
            assert c["ok"] == (c["difference"] <= TOTAL_TOLERANCE)
