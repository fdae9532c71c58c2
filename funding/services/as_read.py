"""The preview of a wide or appendix file: each table as read, cell by cell, beside the live values."""

from django.utils.translation import gettext, gettext_lazy, ngettext

from ..importers import LAYOUT_NAMES, sheet_names, thousands_text
from ..importers.totals import cell_key
from ..vocabulary import TOTAL, Measure

# A table larger than this is shown in part: the preview's Values table lists every value anyway.
SHOWN_ROWS = 200
# The note on the empty cells left as on record names this many of them; its count covers them all.
NAMED_EMPTY_CELLS = 10
KIND_WORDS = {
    "amount": "$",
    # xgettext:no-python-format
    "share": gettext_lazy("% share"),
    # xgettext:no-python-format
    "change": gettext_lazy("% change"),
}
# What a table read is "by", as its summary line says it (not vocabulary.DIMENSION_WORDS: a phrase).
BY_DIMENSION = {
    "source": gettext_lazy("by source of funds"),
    "region": gettext_lazy("by region"),
    "input_type": gettext_lazy("by type of input"),
    "": "",
}


def _percent(value):
    return f"{value}%" if value is not None else ""


def tables_as_read(check):
    """An UploadCheck -> plain dicts for the preview: one per table read, each cell as written, as
    read, and, for an amount, the live value and what the file does to it; for a printed share or
    change, the value computed from the amounts and whether they agree.

    Each table: sheet, title, header (address), by (words), measure, columns [{"year", "kind"}],
    rows [{"row", "label", "name", "is_total", "cells"}]; each cell: address, kind, written, read,
    live, state ("new", "changed", "unchanged", "same" for a figure another table gives too,
    "missing", "ok", "mismatch", "unchecked"), note.
    """
    if not check.tables:
        return []
    # The table as read says "changed" for a change of any part of a value (the values table says which).
    kinds = {
        cell_key(change.row): "changed" if change.kind in ("amount", "status", "provenance") else change.kind
        for change in check.changes
    }
    live = {cell_key(change.row): change.old.amount for change in check.changes if change.old is not None}
    # An empty cell where a value is live: left as on record (uploads.empty_cells_on_record).
    kept = {cell["where"]: cell["live"] for cell in check.left_as_on_record}
    tables = []
    for table in check.tables:
        columns = [
            {"year": c["year"] if isinstance(c, dict) else c.year, "kind": c["kind"] if isinstance(c, dict) else c.kind}
            for c in table.columns
        ]
        rows = []
        for line in table.rows[:SHOWN_ROWS]:
            cells = [_cell(cell, kinds, live, kept) for cell in line["cells"]]
            rows.append({**{k: line[k] for k in ("row", "label", "name", "is_total")}, "cells": cells})
        tables.append(
            {
                "sheet": table.sheet,
                "title": table.title,
                "header": table.header_address,
                "by": BY_DIMENSION.get(table.dimension, ""),
                "measure": Measure(table.measure).label if table.measure else "",
                "columns": [{**c, "heading": f"{c['year']} {KIND_WORDS[c['kind']]}"} for c in columns],
                "rows": rows,
                "row_count": len(table.rows),
                "notes": table.notes,
            }
        )
    return tables


def _cell(cell, kinds, live, kept):
    out = {"address": cell["address"], "kind": cell["kind"], "written": cell["text"], "read": "", "live": ""}
    if cell.get("missing"):
        if cell["where"] in kept:
            live_text = thousands_text(kept[cell["where"]])
            return {**out, "live": live_text, "state": "missing", "note": gettext("empty: left as on record")}
        return {**out, "state": "missing", "note": gettext("no figure")}
    if cell["kind"] != "amount":
        if "printed" not in cell:
            return {**out, "state": "unchecked", "note": ""}
        state = "unchecked" if "ok" not in cell else ("ok" if cell["ok"] else "mismatch")
        note = (
            cell.get("why", "")
            if state == "unchecked"
            else gettext("computed %(percent)s") % {"percent": _percent(cell.get("computed"))}
        )
        return {**out, "read": _percent(cell["printed"]), "state": state, "note": note}
    read = thousands_text(cell["dollars"]) if cell.get("dollars") is not None else ""
    key = cell.get("key")
    if key is None:
        return {**out, "read": read, "state": "unchecked", "note": ""}
    old = live.get(key)
    out.update(read=read, live=thousands_text(old) if old is not None else "")
    if cell.get("same_as"):
        return {**out, "state": "same", "note": gettext("as %(address)s") % {"address": cell["same_as"]}}
    state = kinds.get(key, "unchanged")
    note = (
        gettext("same amount; its status or document changes") if state == "changed" and old == cell["dollars"] else ""
    )
    return {**out, "state": state, "note": note}


def left_as_on_record_words(check):
    """The preview's note on the empty cells of a wide or appendix file where a value is live (an upload
    cannot delete one, so each stays as on record), naming the first NAMED_EMPTY_CELLS: 'C5 (rbtc 1994)'.
    "" when there are none."""
    left = check.left_as_on_record
    if not left:
        return ""
    cells = ", ".join(_empty_cell_words(cell) for cell in left[:NAMED_EMPTY_CELLS])
    more = len(left) - NAMED_EMPTY_CELLS
    if more > 0:
        cells = ngettext("%(cells)s and %(count)s more", "%(cells)s and %(count)s more", more) % {
            "cells": cells,
            "count": more,
        }
    return ngettext(
        "%(count)s empty cell is left as on record: a value is live there, and an upload cannot delete a value "
        "(%(cells)s).",
        "%(count)s empty cells are left as on record: a value is live in each, and an upload cannot delete a "
        "value (%(cells)s).",
        len(left),
    ) % {"count": len(left), "cells": cells}


def _empty_cell_words(cell):
    """'C5 (rbtc 1994)': an empty cell by its address and the members (codes) and year of its figure."""
    _measure, _group, year, *members = cell["key"]
    codes = " / ".join(code for code in members if code != TOTAL) or TOTAL
    return f"{cell['where']} ({codes} {year})"


def layout_words(check):
    """Which layout the file was read as, in words, with the sheets read: for the preview and the command."""
    words = str(LAYOUT_NAMES.get(check.layout, check.layout))
    if check.tables:
        count = len(check.tables)
        tables = ngettext("%(count)s table", "%(count)s tables", count) % {"count": count}
        named = [name for name in check.sheets if name]
        if named:
            tables = ngettext("%(tables)s on sheet %(names)s", "%(tables)s on sheets %(names)s", len(named)) % {
                "tables": tables,
                "names": sheet_names(named),
            }
        # Each language sets its own colon (French: a space before it).
        words = gettext("%(layout)s: %(tables)s") % {"layout": words, "tables": tables}
    if check.hidden_sheets:
        words = gettext("%(read)s; hidden sheets not read: %(names)s") % {
            "read": words,
            "names": sheet_names(check.hidden_sheets),
        }
    return words


def share_summary(check):
    """'20 printed shares and changes compared with the amounts: all consistent.' (or which are not)."""
    checks = check.share_checks
    if not checks:
        return ""
    bad = [c["where"] for c in checks if not c["ok"]]
    counted = ngettext(
        "%(count)s printed share and changes compared with the amounts",
        "%(count)s printed shares and changes compared with the amounts",
        len(checks),
    ) % {"count": len(checks)}
    if not bad:
        return gettext("%(counted)s: all consistent.") % {"counted": counted}
    return ngettext(
        "%(counted)s: %(count)s does not match (%(cells)s).",
        "%(counted)s: %(count)s do not match (%(cells)s).",
        len(bad),
    ) % {"counted": counted, "count": len(bad), "cells": ", ".join(bad)}


def restated_words(check):
    """'Expenditure 1995, Expenditure 1996': the measures and years the file restates, in the active language."""
    return ", ".join(f"{Measure(measure).label} {year}" for measure, year in check.restated_years)


def hidden_sheet_words(check):
    """ "'Old', 'Notes'": the hidden sheets of a workbook that were not read."""
    return sheet_names((check.sheet or {}).get("hidden") or [])
