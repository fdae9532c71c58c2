"""Workbooks: look inside an XLSX (a zip of XML parts) before a single cell is read.

Which sheet a person sees (hidden and "very hidden" sheets are not read), how far its cells really
reach and how large its shared strings are: a reader lays a sheet out as a dense grid from A1 to its
last cell, so one cell at XFD1048576 in a 2 KB file would ask for hundreds of gigabytes. The limits
below are far above any file in the upload template and far below what could hurt the server.
"""

import posixpath
import re
import xml.etree.ElementTree as ET  # noqa: S405 - expat >= 2.4 refuses entity expansion attacks
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..vocabulary import in_a_list

# Column SR: the long template has 14 columns, and the widest file tcdash writes, the wide export of
# every year it keeps (1950-2100: an amount and a status a year, 306 columns), uploads back.
MAX_COLUMNS = 512
MAX_ROWS = 200_000
MAX_CELLS = 3_000_000
MAX_SHEET_BYTES = 100 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
MAX_WORKBOOK_PART_BYTES = 4 * 1024 * 1024  # workbook.xml and its relationships
# The cells a refusal of formulas without saved values names, the others counted.
UNSAVED_NAMED = 5
# The sheet names of the upload template and of the exports: read first when visible.
TEMPLATE_SHEETS = ("figures", "data")

_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
# A tag's namespace prefix is kept: a cell's formula has its cell's (the <xm:f> of a data validation in
# the sheet's extensions is no cell's formula). The last group says the tag is closed at once (<v></v>).
# The text after a tag, up to 40 bytes, is a <v>'s value: an error cell's (#DIV/0!) is named in its problem.
# A <mergeCell ref="A2:A3"> (after the cells) is a merged range, refused by the readers (merged_cell_problems).
# A <col min="3" max="4" hidden="1"/> (before the cells) and a <row hidden="1"> are hidden columns and
# rows (hidden by hand or by a filter): a cell in one that holds a value is refused (hidden_rows_message).
_TAG = re.compile(rb"<([A-Za-z_][\w.-]*:)?(row|col|c|v|is|f|mergeCell)(?=[\s/>])([^>]*)>(</)?([^<]{0,40})")
_HIDDEN_ATTR = re.compile(rb"(?:^|\s)hidden\s*=\s*[\"'](?:1|true)[\"']")
_MIN_ATTR = re.compile(rb"(?:^|\s)min\s*=\s*[\"']([0-9]{1,7})[\"']")
_MAX_ATTR = re.compile(rb"(?:^|\s)max\s*=\s*[\"']([0-9]{1,7})[\"']")
_REF_ATTR = re.compile(rb"(?:^|\s)r\s*=\s*[\"']([^\"']*)[\"']")
_RANGE_ATTR = re.compile(rb"(?:^|\s)ref\s*=\s*[\"']([^\"']*)[\"']")  # a <mergeCell>'s
# Any run of letters and digits: a reference past XFD1048576 (`ZZZZZ99999999999999`) is read as
# what it says and refused by its extent, never passed on (a reader would allocate for it).
_CELL_REF = re.compile(r"^\$?([A-Za-z]+)\$?([0-9]+)$")
_TEXT_TYPE = re.compile(rb"(?:^|\s)t\s*=\s*[\"'](?:str|inlineStr|s)[\"']")
_ERROR_TYPE = re.compile(rb"(?:^|\s)t\s*=\s*[\"']e[\"']")
_ANY_TYPE = re.compile(rb"(?:^|\s)t\s*=")
_NUMBER_TYPE = re.compile(rb"(?:^|\s)t\s*=\s*[\"']n[\"']")
_UNIQUE_COUNT = re.compile(rb"\buniqueCount\s*=\s*[\"']([0-9]+)[\"']")


class WorkbookRefused(Exception):
    """The workbook cannot be read as it is; the message says why, for a person."""


@dataclass(frozen=True)
class Sheet:
    name: str
    path: str
    state: str  # "visible", "hidden" or "veryHidden"

    @property
    def visible(self):
        return self.state == "visible"


def column_letters(number):
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters):
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _grouped(number):
    return number_format(number, force_grouping=True)


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _xml(archive, name):
    info = archive.getinfo(name)
    if info.file_size > MAX_WORKBOOK_PART_BYTES:
        raise WorkbookRefused(
            _("The workbook part %(part)s is %(size)s bytes; a real one is far smaller.")
            % {"part": name, "size": _grouped(info.file_size)}
        )
    try:
        return ET.fromstring(archive.read(name))  # noqa: S314 - size-bounded; expat refuses entity bombs
    except ET.ParseError:
        raise WorkbookRefused(
            _("The workbook part %(part)s is damaged (not well-formed XML).") % {"part": name}
        ) from None


def sheets(archive):
    """The worksheets of a workbook (a zipfile.ZipFile), in the order its tabs are shown."""
    names = set(archive.namelist())
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for rel in _xml(archive, "xl/_rels/workbook.xml.rels"):
            if _local(rel.tag) == "Relationship" and rel.get("Type", "").endswith("/worksheet"):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                targets[rel.get("Id")] = path
    found = []
    for element in _xml(archive, "xl/workbook.xml").iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((value for key, value in element.attrib.items() if _local(key) == "id"), None)
        path = targets.get(rel_id)
        if path in names:  # a chart sheet or a dangling entry holds no cells to read
            found.append(Sheet(name=element.get("name", ""), path=path, state=element.get("state", "visible")))
    return found


def _declared_end(archive, sheet):
    """The last cell the sheet's <dimension ref="A1:K58"> declares, as (row, column), or None."""
    with archive.open(sheet.path) as stream:
        head = stream.read(64 * 1024)
    match = _DIMENSION.search(head)
    if not match:
        return None
    end = match.group(1).decode("ascii", "replace").split(":")[-1]
    parsed = _CELL_REF.match(end)
    if not parsed:
        return None
    return int(parsed.group(2)), _column_number(parsed.group(1))


def _refuse_extent(sheet, rows, columns, *, declared=False, cells=None):
    said = (
        _("The sheet '%(sheet)s' declares cells up to %(ref)s (%(size)s);")
        if declared
        else _("The sheet '%(sheet)s' has cells up to %(ref)s (%(size)s);")
    )
    if cells is not None:
        size = ngettext("%(count)s cell", "%(count)s cells", cells) % {"count": _grouped(cells)}
    else:
        size = (
            ngettext("%(count)s column", "%(count)s columns", columns) % {"count": _grouped(columns)}
            + " "
            + ngettext("by %(count)s row", "by %(count)s rows", rows) % {"count": _grouped(rows)}
        )
    said %= {"sheet": sheet.name, "ref": f"{column_letters(columns)}{rows}", "size": size}
    raise WorkbookRefused(
        said
        + " "
        + _(
            "a file in the upload template has at most %(columns)s columns (%(last)s), %(rows)s rows and "
            "%(cells)s cells. It was not read. Delete the rows and columns beyond your figures (or copy the "
            "figures into a new workbook) and upload it again."
        )
        % {
            "columns": MAX_COLUMNS,
            "last": column_letters(MAX_COLUMNS),
            "rows": _grouped(MAX_ROWS),
            "cells": _grouped(MAX_CELLS),
        }
    )


def _check_extent(sheet, rows, columns, *, declared=False):
    if columns > MAX_COLUMNS or rows > MAX_ROWS or rows * columns > MAX_CELLS:
        _refuse_extent(sheet, rows, columns, declared=declared)


def _tags(archive, sheet, chunk_size=1024 * 1024):
    """(prefix or None, name, attributes, "</" when closed at once or None, the text after it) of each <row>,
    <c>, <v>, <is>, <f> and <mergeCell> tag of a sheet, read in chunks."""
    tail = b""
    with archive.open(sheet.path) as stream:
        while chunk := stream.read(chunk_size):
            buffer = tail + chunk
            cut = buffer.rfind(b"<")
            if cut > 0 and buffer.startswith(b"</", cut):
                cut = buffer.rfind(b"<", 0, cut)  # a tag and the closing tag after it stay together (<v></v>)
            if cut == -1 or len(buffer) - cut > 64 * 1024:
                cut = len(buffer)  # no tag is that long: nothing worth carrying over
            for match in _TAG.finditer(buffer, 0, cut):
                yield match.groups()
            tail = buffer[cut:]
    for match in _TAG.finditer(tail):
        yield match.groups()


def scan_extent(archive, sheet):
    """How far the sheet's cells really reach -> {"rows", "columns", "cells", "values", "unsaved", "held", "merged"}.

    Reads the sheet's XML as a stream of tags, never as cells: a row or cell without its `r`
    attribute comes after the previous one, as readers place it; an empty formatted cell (`<c/>`)
    takes no room. Stops with WorkbookRefused as soon as the extent passes the limits. `unsaved`
    ({"count", "cells"}) counts the cells holding a formula without its saved value
    (`<c><f>A1*2</f></c>`: written by a program, never opened and saved in a spreadsheet) and names the
    first UNSAVED_NAMED of them. `held` ({(row, column): text}) names the cells a reader sees as empty
    though they hold something: an error (`<c t="e"><v>#DIV/0!</v></c>`: its text) or a number saved
    without digits (`<c><v></v></c>`, as openpyxl writes NaN and infinity: "NaN"). `merged` lists the
    merged ranges as layouts.Sheet keeps them: (first row, first column, last row, last column), 0-based.
    """
    row = column = last_row = last_column = cells = values = 0
    unsaved = {"count": 0, "cells": []}
    held = {}
    merged = []
    hidden_columns = []  # (first, last) column numbers, 1-based
    row_hidden = False
    hidden = {"rows": set(), "columns": set()}  # where a hidden row or column holds a value
    cell_prefix = cell_attributes = b""  # of the last <c>
    formula = value = False  # the cell being read has a formula, and its saved value
    for prefix, name, attributes, closed, text in _tags(archive, sheet):
        if name in (b"v", b"is"):
            values += 1
            if row_hidden:
                hidden["rows"].add(row)
            if hidden_columns and any(first <= column <= last for first, last in hidden_columns):
                hidden["columns"].add(column)
            if name == b"v" and _ERROR_TYPE.search(cell_attributes):
                held[row, column] = text.decode("utf-8", "replace").strip()
            elif name == b"v" and not formula and (closed or attributes.endswith(b"/")) and _is_number(cell_attributes):
                held[row, column] = "NaN"
            if formula and not value:
                # <v></v> saves no value (openpyxl writes it for every formula), unless the formula's result
                # is a text, an empty one.
                empty = closed or attributes.endswith(b"/")
                value = not empty or _TEXT_TYPE.search(cell_attributes) is not None
            continue
        if name == b"f":
            formula = formula or prefix == cell_prefix
            continue
        if formula:  # the cell before this <c> or <row> ended
            if not value:
                _note_unsaved(unsaved, column, row)
            formula = value = False
        if name == b"col":
            first, last = _MIN_ATTR.search(attributes), _MAX_ATTR.search(attributes)
            if first and last and _HIDDEN_ATTR.search(attributes):
                hidden_columns.append((int(first.group(1)), min(int(last.group(1)), MAX_COLUMNS + 1)))
            continue
        if name == b"mergeCell":
            span = _RANGE_ATTR.search(attributes)
            span = _span(span.group(1).decode("ascii", "replace")) if span else None
            if span:
                merged.append(span)
            continue
        if name == b"c":
            cell_prefix, cell_attributes = prefix, attributes
        ref = _REF_ATTR.search(attributes)
        ref = ref.group(1).decode("ascii", "replace") if ref else ""
        if name == b"row":
            row = int(ref) if ref.isdigit() else row + 1
            row_hidden = _HIDDEN_ATTR.search(attributes) is not None
            column = 0
            continue
        parsed = _CELL_REF.match(ref)
        if parsed:
            column, row = _column_number(parsed.group(1)), int(parsed.group(2))
        elif ref:
            raise WorkbookRefused(
                _("The sheet '%(sheet)s' has a cell at '%(ref)s', which is not a cell address; the file was not read.")
                % {"sheet": sheet.name, "ref": ref[:40]}
            )
        else:
            column += 1
        if attributes.rstrip().endswith(b"/"):
            continue  # <c r="K9" s="1"/>: formatting without a value takes no room in a reader
        cells += 1
        last_row, last_column = max(last_row, row), max(last_column, column)
        _check_extent(sheet, last_row, last_column)
        if cells > MAX_CELLS:  # the same cell written again and again still costs memory
            _refuse_extent(sheet, last_row, last_column, cells=cells)
    if formula and not value:
        _note_unsaved(unsaved, column, row)
    return {
        "rows": last_row,
        "columns": last_column,
        "cells": cells,
        "values": values,
        "unsaved": unsaved,
        "held": held,
        "merged": merged,
        "hidden": {"rows": sorted(hidden["rows"]), "columns": sorted(hidden["columns"])},
    }


def _span(ref):
    """A merged range's ref ("A2:B3", or "A2" for one cell) -> (first row, first column, last row, last
    column), 0-based; None when it is no range."""
    corners = [_CELL_REF.match(corner) for corner in ref.split(":")]
    if not 1 <= len(corners) <= 2 or not all(corners):
        return None
    first, last = corners[0], corners[-1]
    return (
        int(first.group(2)) - 1,
        _column_number(first.group(1)) - 1,
        int(last.group(2)) - 1,
        _column_number(last.group(1)) - 1,
    )


def _is_number(cell_attributes):
    """Whether a <c>'s attributes make it a number: `t="n"`, or no type (a number is the default)."""
    return not _ANY_TYPE.search(cell_attributes) or _NUMBER_TYPE.search(cell_attributes) is not None


def _note_unsaved(unsaved, column, row):
    unsaved["count"] += 1
    if len(unsaved["cells"]) < UNSAVED_NAMED:
        unsaved["cells"].append(f"{column_letters(column)}{row}")


def _refuse_unsaved_formulas(sheet, extent):
    """Refuse a sheet with formulas whose values were never saved: a reader sees such a cell as empty."""
    count, named = extent["unsaved"]["count"], extent["unsaved"]["cells"]
    if not count:
        return
    cells = ", ".join(named)
    if count > len(named):
        cells += " " + _("and %(count)s more") % {"count": _grouped(count - len(named))}
    raise WorkbookRefused(
        ngettext(
            "The cell %(cells)s of the sheet '%(sheet)s' holds a formula with no saved value, so its figure "
            "cannot be read. Open the file in Excel or LibreOffice and save it, so that its values are stored, "
            "then upload it again.",
            "The cells %(cells)s of the sheet '%(sheet)s' hold formulas with no saved value, so their figures "
            "cannot be read. Open the file in Excel or LibreOffice and save it, so that its values are stored, "
            "then upload it again.",
            count,
        )
        % {"cells": cells, "sheet": sheet.name}
    )


def _refuse_hidden_values(sheet, hidden, named=5):
    """Refuse a sheet whose hidden rows or columns (hidden by hand, or by a filter) hold values: they
    would be read and published though the person who checked the sheet never saw them."""
    rows, columns = hidden["rows"], hidden["columns"]
    if not rows and not columns:
        return
    parts = []
    if rows:
        shown = ", ".join(map(str, rows[:named])) + ("..." if len(rows) > named else "")
        parts.append(ngettext("row %(list)s", "rows %(list)s", len(rows)) % {"list": shown})
    if columns:
        shown = ", ".join(map(column_letters, columns[:named])) + ("..." if len(columns) > named else "")
        parts.append(ngettext("column %(list)s", "columns %(list)s", len(columns)) % {"list": shown})
    raise WorkbookRefused(
        _(
            "The sheet '%(sheet)s' holds values hidden from view, in %(where)s (hidden by hand or by a filter); "
            "tcdash reads what a person sees. Unhide them and check them, or delete them, then upload the file again."
        )
        % {"sheet": sheet.name, "where": in_a_list(parts)}
    )


def _check_shared_strings(archive, sizes):
    name = "xl/sharedStrings.xml"
    if name not in sizes:
        return
    if sizes[name] > MAX_SHARED_STRINGS_BYTES:
        raise WorkbookRefused(
            _(
                "The workbook's shared strings (its texts) unpack to %(size)s bytes; a file in the upload "
                "template needs far less than the limit of %(limit)s. It was not read."
            )
            % {"size": _grouped(sizes[name]), "limit": _grouped(MAX_SHARED_STRINGS_BYTES)}
        )
    with archive.open(name) as stream:
        match = _UNIQUE_COUNT.search(stream.read(4096))
    if match and int(match.group(1)) > MAX_SHARED_STRINGS:
        raise WorkbookRefused(
            _(
                "The workbook declares %(count)s different texts; a file in the upload template "
                "has far fewer than the limit of %(limit)s. It was not read."
            )
            % {"count": _grouped(int(match.group(1))), "limit": _grouped(MAX_SHARED_STRINGS)}
        )


def sheet_names(names):
    """Sheet names as every message quotes them: "'Old', 'Notes'" (as in "sheet 'By region', B7")."""
    return ", ".join(f"'{name}'" for name in names)


def inspect_workbook(archive, sizes):
    """Choose the sheet to read and check it can be read safely -> {"name", "hidden", "held", "merged"}
    (the chosen sheet's held cells and merged ranges: scan_extent).

    `sizes` maps each part of the archive to the bytes it really unpacks to. The sheet read is the
    visible one named like the template's ("Figures") or the exports' ("Data"), else the first
    visible sheet. Raises WorkbookRefused when every sheet is hidden, when a visible sheet's declared
    or real extent passes the limits, or when its texts are too many. (A visible sheet without figures
    beside hidden ones with some is refused once it is read: importers.read_upload.)
    """
    found = sheets(archive)
    if not found:
        raise WorkbookRefused(_("The workbook has no worksheet to read."))
    visible = [s for s in found if s.visible]
    hidden = [s for s in found if not s.visible]
    chosen = next((s for s in visible if s.name.strip().lower() in TEMPLATE_SHEETS), visible[0] if visible else None)
    if chosen is None:
        raise WorkbookRefused(
            _(
                "Every sheet of the workbook is hidden (%(names)s); tcdash reads what a person sees. "
                "Unhide the sheet with the figures (right-click a sheet tab > Unhide) and upload it again."
            )
            % {"names": sheet_names(s.name for s in hidden)}
        )
    # Every visible sheet, not only the one read first: an appendix file is read sheet by sheet.
    held, merged = {}, []
    for sheet in [chosen, *(s for s in visible if s is not chosen)]:
        if sizes.get(sheet.path, 0) > MAX_SHEET_BYTES:
            raise WorkbookRefused(
                _("The sheet '%(sheet)s' unpacks to %(size)s bytes; the limit is %(limit)s. It was not read.")
                % {"sheet": sheet.name, "size": _grouped(sizes[sheet.path]), "limit": _grouped(MAX_SHEET_BYTES)}
            )
        declared = _declared_end(archive, sheet)
        if declared:
            _check_extent(sheet, *declared, declared=True)
        extent = scan_extent(archive, sheet)
        _refuse_unsaved_formulas(sheet, extent)
        _refuse_hidden_values(sheet, extent["hidden"])
        if sheet is chosen:
            held, merged = extent["held"], extent["merged"]
    _check_shared_strings(archive, sizes)
    return {"name": chosen.name, "hidden": [s.name for s in hidden], "held": held, "merged": merged}


def _holds_values(archive, sheet):
    """Whether a sheet holds any value (a <v> or an inline string), read as tags up to the first one."""
    return any(name in (b"v", b"is") for _prefix, name, _attributes, _closed, _text in _tags(archive, sheet))


def hidden_with_values(archive):
    """The names of the hidden (and very hidden) sheets of a workbook that hold any value, in tab order;
    a sheet past MAX_SHEET_BYTES is not looked into."""
    return [
        s.name
        for s in sheets(archive)
        if not s.visible and archive.getinfo(s.path).file_size <= MAX_SHEET_BYTES and _holds_values(archive, s)
    ]


def figures_hidden_message(sheet, hidden):
    """A visible sheet without figures, and the hidden sheets that hold some: what to do, naming them."""
    return ngettext(
        "The sheet '%(sheet)s' holds no figures, and the figures are on the hidden sheet %(names)s. tcdash "
        "reads what a person sees: unhide the sheet with the figures (or copy them to a visible one) "
        "and upload it again.",
        "The sheet '%(sheet)s' holds no figures, and the figures are on the hidden sheets %(names)s. tcdash "
        "reads what a person sees: unhide the sheet with the figures (or copy them to a visible one) "
        "and upload it again.",
        len(hidden),
    ) % {"sheet": sheet, "names": sheet_names(hidden)}
