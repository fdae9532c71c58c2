"""Records and files several test modules share: a selector row, the rows of one breakdown, the upload
template's header with a small upload of new 1992 figures, the counts of what a write creates, a
live cell, and the rows and writes the property tests of the live summaries draw. The users (with
their permissions) are fixtures in conftest.py."""

import itertools
import re
from dataclasses import replace
from decimal import Decimal


def make_row(
    year,
    amount,
    *,
    breakdown="total",
    source=None,
    region=None,
    status="published",
    document="Doc A",
    document_url="",
    measure="expenditure",
    **extra,
):
    """A row as selectors.view_rows() returns it; `extra` adds the "share", "change" or "note" of a view."""
    return {
        "breakdown": breakdown,
        "measure": measure,
        "year": year,
        "source": source,
        "region": region,
        "amount": None if amount is None else Decimal(amount),
        "status": status,
        "document": document,
        "document_url": document_url,
        **extra,
    }


# One address of every kind of public page: the overview, the explorer's views, history, releases, sign-in.
PAGE_KINDS = [
    "/",
    "/?from=1993&to=1996",
    "/expenditure/",
    "/expenditure/?value=share&by=source",
    "/expenditure/?value=change&by=region",
    "/expenditure/?from=1994&to=1994&by=source&by=region",
    "/expenditure/?source=undp&by=total&by=region&year=1994",
    "/approvals/?by=source",
    "/expenditure/?from=1994&to=1995&by=input_type",
    "/expenditure/?by=input_type&value=share",
    "/expenditure/?region=africa&by=input_type",
    "/expenditure/history/?year=1995&source=undp",
    "/expenditure/history/?year=1995&input_type=training",
    "/releases/",
    "/accounts/login/",
]

HEADER = "measure,year,source,region,amount_usd_thousands,status,document\n"
# 1992 expenditure by source of funds, with its total: not in the shipped data (new values).
NEW_1992 = (
    HEADER + "expenditure,1992,rbtc,_T,17000,published,GB.X\n"
    "expenditure,1992,undp,_T,70000,published,GB.X\n"
    "expenditure,1992,trust-funds,_T,60000,published,GB.X\n"
    "expenditure,1992,unfpa,_T,9000,published,GB.X\n"
    "expenditure,1992,_T,_T,156000,published,GB.X\n"
).encode()


def rows_of(query, breakdown="total"):
    """The live rows of one breakdown of `query`, as the page reads them (selectors.view_rows)."""
    from funding.selectors import view_rows

    return view_rows(replace(query, by=(breakdown,)))


def raw_xlsx(*sheets, shared_strings=None):
    """A workbook written part by part, as a hostile or odd file would be: each sheet is
    (name, sheetData XML, state), (name, sheetData XML, state, extra XML before sheetData) or (..., extra
    XML before, extra XML after sheetData), where state is "visible", "hidden" or "veryHidden".
    `shared_strings`, when given, is the sst XML."""
    import io
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    types = [
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
    ]
    entries, rels, parts = [], [], {}
    for index, (name, data, state, *extra) in enumerate(sheets, start=1):
        shown = "" if state == "visible" else f' state="{state}"'
        entries.append(f'<sheet name="{name}" sheetId="{index}"{shown} r:id="rId{index}"/>')
        rels.append(f'<Relationship Id="rId{index}" Type="{rel}/worksheet" Target="worksheets/sheet{index}.xml"/>')
        types.append(
            f'<Override PartName="/xl/worksheets/sheet{index}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        parts[f"xl/worksheets/sheet{index}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{main}">'
            f"{extra[0] if extra else ''}<sheetData>{data}</sheetData>{extra[1] if len(extra) > 1 else ''}</worksheet>"
        )
    if shared_strings is not None:
        rels.append(f'<Relationship Id="rId{len(sheets) + 1}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>')
        types.append(
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        )
        parts["xl/sharedStrings.xml"] = shared_strings
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types">{"".join(types)}</Types>'
    )
    parts["_rels/.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
        f"<sheets>{''.join(entries)}</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">{"".join(rels)}</Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def sheet_row(number, *cells):
    """One <row> of sheetData: cells are (ref, value); a number is a numeric cell, text an inline string."""
    xml = []
    for ref, value in cells:
        if isinstance(value, str):
            xml.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
        else:
            xml.append(f'<c r="{ref}"><v>{value}</v></c>')
    return f'<row r="{number}">{"".join(xml)}</row>'


# --- Hostile files (issue 9): each made here, small, and refused or read as a person would expect. ---

LONG_HEADER = ("measure", "year", "source", "region", "amount")


def header_row():
    return sheet_row(1, *((f"{'ABCDE'[i]}1", name) for i, name in enumerate(LONG_HEADER)))


def figure_row(number, amount):
    """A row of sheetData: expenditure 1992, total; `amount` a number, or raw XML for the value."""
    cells = [("A", "expenditure"), ("B", 1992), ("C", "_T"), ("D", "_T")]
    xml = "".join(
        f'<c r="{c}{number}" t="inlineStr"><is><t>{v}</t></is></c>'
        if isinstance(v, str)
        else f'<c r="{c}{number}"><v>{v}</v></c>'
        for c, v in cells
    )
    return f'<row r="{number}">{xml}<c r="E{number}"><v>{amount}</v></c></row>'


def far_cell_xlsx(ref="XFD1048576"):
    """A 1.5 KB workbook whose only cell sits at `ref`: a dense reader would lay out the whole grid."""
    row = "".join(ch for ch in ref if ch.isdigit())
    return raw_xlsx(("Sheet1", f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>', "visible"))


def sparse_xlsx():
    """The template's header, then one cell at K1048576."""
    return raw_xlsx(("Sheet1", header_row() + '<row r="1048576"><c r="K1048576"><v>1</v></c></row>', "visible"))


def declared_xlsx():
    """One real cell, and a <dimension> that declares the whole grid."""
    return raw_xlsx(("Sheet1", header_row(), "visible", '<dimension ref="A1:XFD1048576"/>'))


def nan_xlsx(value="NaN"):
    return raw_xlsx(("Sheet1", header_row() + figure_row(2, value), "visible"))


def very_hidden_xlsx():
    """A very hidden first sheet says 999,999; the visible one, the one a person sees, says 1."""
    return raw_xlsx(
        ("Secret", header_row() + figure_row(2, 999999), "veryHidden"),
        ("Visible", header_row() + figure_row(2, 1), "visible"),
    )


def hidden_only_xlsx():
    """The figures are on a hidden sheet; the visible one is empty."""
    return raw_xlsx(("Figures", "", "visible"), ("Old", header_row() + figure_row(2, 5), "hidden"))


def many_strings_xlsx():
    """A workbook declaring two million different texts."""
    sst = (
        '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'count="2000000" uniqueCount="2000000"><si><t>x</t></si></sst>'
    )
    return raw_xlsx(("Sheet1", header_row(), "visible"), shared_strings=sst)


def _csv(text):
    return text.encode()


LIMITS = "a file in the upload template has at most 512 columns (SR), 200,000 rows and 3,000,000 cells. It was not read. Delete the rows and columns beyond your figures (or copy the figures into a new workbook) and upload it again."  # noqa: E501
NOT_A_WEB_ADDRESS = (
    "is not a web address: a document URL starts with http:// or https:// (for example https://www.ilo.org/...)."  # noqa: E501
)
URL_HEADER = "measure,year,source,region,amount_usd_thousands,document_url\n"
# (file name, bytes or a function making them, row, column, the exact message): each hostile case
# of issue 9, refused whole with its message.
# fmt: off
HOSTILE_FILES = [
    (
        "javascript.csv",
        _csv(URL_HEADER + "expenditure,1992,_T,_T,5,javascript:alert(document.domain)\n"),
        2,
        "document_url",
        f"'javascript:alert(document.domain)' {NOT_A_WEB_ADDRESS}",
    ),
    (
        "data-url.csv",
        _csv(URL_HEADER + 'expenditure,1992,_T,_T,5,"data:text/html;base64,PHNjcmlwdD4="\n'),
        2,
        "document_url",
        f"'data:text/html;base64,PHNjcmlwdD4=' {NOT_A_WEB_ADDRESS}",
    ),
    ("relative.csv", _csv(URL_HEADER + "expenditure,1992,_T,_T,5,/gb/doc.pdf\n"), 2, "document_url",
     f"'/gb/doc.pdf' {NOT_A_WEB_ADDRESS}"),
    ("formula.csv", _csv(URL_HEADER + 'expenditure,1992,_T,_T,5,"=HYPERLINK(""http://x.example"")"\n'), 2,
     "document_url", f"'=HYPERLINK(\"http://x.example\")' {NOT_A_WEB_ADDRESS}"),
    # Characters no URI holds unencoded, which Django's URL validator lets through.
    ("markup-url.csv", _csv(URL_HEADER + 'expenditure,1992,_T,_T,5,"https://e.example/a""><script>"\n'), 2,
     "document_url", "'https://e.example/a\"><script>' is not a valid web address."),
    ("long-url.csv", _csv(URL_HEADER + "expenditure,1992,_T,_T,5,https://x.example/" + "a" * 490 + "\n"), 2,
     "document_url", "The document URL is 508 characters long; at most 500 are accepted."),
    ("control.csv", _csv("measure,year,source,region,amount,note\nexpenditure,1992,_T,_T,5,a\x07b\n"), 2, "note",
     "The note holds a control character (U+0007) at character 2; remove it (it cannot be shown or printed)."),
    ("long-document.csv",
     _csv("measure,year,source,region,amount,document\nexpenditure,1992,_T,_T,5," + "d" * 256 + "\n"), 2,
     "document", "The document is 256 characters long; at most 255 are accepted."),
    ("xfd.xlsx", far_cell_xlsx, None, "",
     f"The sheet 'Sheet1' has cells up to XFD1048576 (16,384 columns by 1,048,576 rows); {LIMITS}"),
    ("sparse.xlsx", sparse_xlsx, None, "",
     f"The sheet 'Sheet1' has cells up to K1048576 (11 columns by 1,048,576 rows); {LIMITS}"),
    ("declared.xlsx", declared_xlsx, None, "",
     f"The sheet 'Sheet1' declares cells up to XFD1048576 (16,384 columns by 1,048,576 rows); {LIMITS}"),
    ("strings.xlsx", many_strings_xlsx, None, "",
     "The workbook declares 2,000,000 different texts; a file in the upload template has far fewer than the "
     "limit of 1,000,000. It was not read."),
    ("nan.xlsx", nan_xlsx, 2, "amount",
     "The cell holds NaN (not a number), not an amount. Write the figure, or leave out the row."),
    ("inf.xlsx", lambda: nan_xlsx("INF"), 2, "amount",
     "The cell holds infinity, not an amount. Write the figure, or leave out the row."),
    ("hidden.xlsx", hidden_only_xlsx, None, "",
     "The sheet 'Figures' holds no figures, and the figures are on the hidden sheet 'Old'. tcdash reads what a person "
     "sees: unhide the sheet with the figures (or copy them to a visible one) and upload it again."),
    ("fullwidth.csv", _csv("measure,year,source,region,amount\nexpenditure,1992,_T,_T,１２３\n"), 2, "amount",
     "'１２３' is written in Fullwidth digits; write amounts with the digits 0-9."),
    ("arabic.csv", _csv("measure,year,source,region,amount\nexpenditure,1992,_T,_T,١٢٣\n"), 2, "amount",
     "'١٢٣' is written in Arabic-Indic digits; write amounts with the digits 0-9."),
    ("arabic-year.csv", _csv("measure,year,source,region,amount\nexpenditure,١٩٩٢,_T,_T,5\n"), 2, "year",
     "'١٩٩٢' is written in Arabic-Indic digits; write the year with the digits 0-9, such as 1995."),
    ("utf16.csv", "measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\n".encode("utf-16"), None, "",
     "The file is UTF-16 text (Excel's 'Unicode Text'); tcdash reads UTF-8. In Excel, use Save As and choose "
     "'CSV UTF-8 (Comma delimited)', then upload that file."),
    ("utf16le.csv", "measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\n".encode("utf-16-le"), None, "",
     "The file is UTF-16 text (Excel's 'Unicode Text'); tcdash reads UTF-8. In Excel, use Save As and choose "
     "'CSV UTF-8 (Comma delimited)', then upload that file."),
    # UTF-32 begins with the same two bytes as UTF-16 (FF FE 00 00): it is named as what it is.
    ("utf32.csv", "measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\n".encode("utf-32"), None, "",
     "The file is UTF-32 text; tcdash reads UTF-8. Save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma "
     "delimited)'), then upload that file."),
    ("utf32le.csv", "measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\n".encode("utf-32-le"), None, "",
     "The file is UTF-32 text; tcdash reads UTF-8. Save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma "
     "delimited)'), then upload that file."),
    ("utf32be.csv", "measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\n".encode("utf-32-be"), None, "",
     "The file is UTF-32 text; tcdash reads UTF-8. Save it as UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma "
     "delimited)'), then upload that file."),
    ("open-quote.csv", _csv('measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\nexpenditure,1993,_T,_T,"5\n'),
     3, "", 'A quote (") opened in row 3 is never closed, so the rest of the file would read as one cell. '
     "Close the quote, or remove it."),
    ("huge-cell.csv", _csv("measure,year,source,region,amount\nexpenditure,1992,_T,_T,5\n"
                           'expenditure,1993,_T,_T,"' + "9" * 140_000 + '"\n'),
     3, "", 'Row 3 holds a cell of more than 131,072 characters, which no figure needs. Is a quote (") opened '
     "there and never closed?"),
]
# fmt: on


def counts():
    """(releases, observations, release events): what a write creates, or leaves alone."""
    from funding.models import Observation, Release, ReleaseEvent

    return (Release.objects.count(), Observation.objects.count(), ReleaseEvent.objects.count())


def live(year, source="_T", region="_T", *, measure="expenditure", group="_T", input_type="_T"):
    """The live Observation of one cell (totals `_T` unless named)."""
    from funding.models import Observation

    return Observation.objects.current().get(
        measure=measure,
        year=year,
        source__code=source,
        region__code=region,
        country_group__code=group,
        input_type__code=input_type,
    )


_CHECKSUMS = itertools.count(1)


def publish_rows(rows, title="test"):
    """Publish `rows` (service rows: `value_row`) as one release of its own checksum; the release."""
    from funding.services import publish_release

    return publish_release(title=title, rows=rows, checksum=f"rows-{next(_CHECKSUMS)}".ljust(64, "0"))[0]


def value_row(measure="expenditure", year=2001, source="_T", region="_T", amount=1000, group="_T", **extra):
    """A row as publish_release takes it, published, of whole dollars (totals `_T` unless named)."""
    return {
        "measure": measure,
        "year": year,
        "source": source,
        "region": region,
        "country_group": group,
        "amount": amount,
        "status": "published",
        **extra,
    }


def apply_write(kind, argument, published, rows_of):
    """One write a property test drew, on the releases it `published` so far (kept up to date):
    ("publish", drawn) publishes rows_of(drawn) (nothing where the draw repeats the live values);
    ("withdraw", n) withdraws one of them, which stays published where its values' rules refuse it."""
    import contextlib

    from funding.models import Release
    from funding.services import NothingToPublish, WithdrawRefused, withdraw_release

    if kind == "publish":
        with contextlib.suppress(NothingToPublish):  # a draw may repeat the live values
            published.append(publish_rows(rows_of(argument)))
    elif kind == "withdraw" and published:
        release = published[argument % len(published)]
        try:
            withdraw_release(release=release)
        except WithdrawRefused:  # the values drawn need not agree: it stays published, as it was
            assert Release.objects.get(pk=release.pk).state == "published"
        else:
            published.remove(release)


def release_contents_read(queries):
    """The SQL of captured `queries` that reads a release's file or a draft's kept rows (Release.CONTENTS)
    into Python: either column among what a query selects, not merely tested for NULL."""
    selects = [query["sql"].split(" FROM ")[0] for query in queries]
    return [sql for sql in selects if re.search(r'"funding_release"\."(file_bytes|checked)"(?! IS (NOT )?NULL)', sql)]
