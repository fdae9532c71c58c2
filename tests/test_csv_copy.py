"""The long CSV that PostgreSQL writes (funding/csv_copy.py): the same bytes as the Python writer."""

import pytest
from django.db import connection
from django.http import QueryDict

from funding import exporters
from funding.csv_copy import copies
from funding.forms import ExportOptions, parse_export
from funding.selectors import ViewQuery, iter_view_rows
from funding.services import publish_release

VIEWS = [
    "",
    "by=source&by=total&source=trust-funds&from=1995&to=1996",  # the total once, with its "of which"
    "by=region&by=source-region&group=ldc&source=undp&from=1993&to=1995",  # the same cells once
    "by=source&from=1995&to=1996&source=undp&source=unfpa",
    "by=source&by=region&by=source-region&from=1990&to=1996",
    "by=source-region&group=ldc&from=1993&to=1995",
    "source=trust-funds&from=1990&to=1996",  # with its "of which" rows (multi-bi)
    "by=input_type&from=1994&to=1995",
    "region=africa&region=europe&by=source",  # no year has both: the header alone
    "region=africa&region=asia-pacific&from=1990&to=1996",  # a sum of two regions, with its note
    "source=rbtc&source=multi-bi&from=1995&to=1996",  # 1996 sums cells of two papers: both, each address
    "by=source&from=1990&to=1996&lang=fr&dialect=excel-fr",
    "by=region&from=1990&to=1996&bom=1&lang=es",
    "region=hostile&by=source&from=1995&to=1995",
    "by=region&from=1995&to=1995&region=hostile&region=asia-pacific",
]


@pytest.fixture
def hostile(ilo_data):
    """A region under Africa whose 1995 UNDP value has a formula for a document, a note with a comma,
    quotes and a line break, an amount with decimals, and an address."""
    from funding.models import Region

    Region.objects.create(
        code="hostile", name='=Hostile, "quoted"', order=900, parent=Region.objects.get(code="africa")
    )
    row = {"measure": "expenditure", "year": 1995, "region": "hostile", "status": "provisional"}
    publish_release(
        title="hostile",
        rows=[
            {**row, "source": "undp", "amount": 1_234_500, "document": "=HYPERLINK(1)", "note": 'a, "b"\nc'},
            {**row, "source": "_T", "amount": 7, "document": "", "document_url": "http://example.org/a,b"},
        ],
        checksum="hostile-csv",
    )


def python_writer_bytes(querystring):
    """What the Python writer makes of the view: exporters.csv_chunks of long_table of view_rows."""
    query, lists, options = parse_export(QueryDict(querystring), measure="expenditure")
    rows = iter_view_rows(query, code_lists=lists, once=True)
    header, rows = exporters.long_table(rows, query=query, code_lists=lists, lang=options.lang)
    return b"".join(exporters.csv_chunks(header, rows, bom=options.writes_bom, dialect=options.dialect))


@pytest.mark.parametrize("querystring", VIEWS)
def test_the_csv_export_has_the_python_writers_bytes(client, hostile, querystring):
    response = client.get(f"/expenditure.csv?{querystring}")
    assert response.status_code == 200
    served = b"".join(response.streaming_content)
    assert served == python_writer_bytes(querystring)


def test_the_hostile_cells_are_quoted_neutralised_and_exact(client, hostile):
    served = b"".join(client.get("/expenditure.csv?region=hostile&by=source&from=1995&to=1995").streaming_content)
    lines = served.decode().split("\r\n")
    assert lines[1] == (
        'expenditure,1995,undp,UNDP,hostile,"\'=Hostile, ""quoted""",_T,1234.5,provisional,\'=HYPERLINK(1),,'
        '"a, ""b""\nc",usd-thousands'
    )
    assert lines[2:] == [""]


def test_postgresql_writes_the_long_layout_of_amounts_only():
    amounts, shares = ViewQuery(), ViewQuery(value="share")
    on_postgresql = connection.vendor == "postgresql"
    assert copies(amounts, ExportOptions()) is on_postgresql
    assert copies(amounts, ExportOptions(dialect="excel-fr", lang="fr", bom=True)) is on_postgresql
    assert copies(amounts, ExportOptions(layout="wide")) is False
    assert copies(shares, ExportOptions()) is False
