"""The dashboard's own wide export (`layout=wide`) -> observation rows: export, then upload, changes nothing.

Pure. The wide file is `source,source_name,region,region_name` (and `input_type,input_type_name`
in an export by type of input) then, for each year, `amount_YEAR`
and `status_YEAR` (older exports: the bare year, no status), one row a series, the TOTAL row last;
names are ignored (the codes say it), an empty cell is a year without a figure, and a status cell
left empty is as on record. It does not name its measure or country group: they come from the form
or the command line, else from what the export itself says (its file name,
`tcdash-expenditure-by-source-ldc-1993-1995-wide`, or the "Reproduce" address on its About sheet).
A file of shares or changes (`value=share`) is refused: those are computed, never uploaded.
"""

import re
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import MIN_YEAR, TOTAL, Status
from .appendix import DIMENSION_WORDS, MAX_PROBLEMS, AppendixRead, Table, closest_codes, stopped_message
from .files import Problem, at_cell
from .texts import cell_text
from .totals import cell_key, check_totals, total_message

KEY_COLUMNS = ("source", "source_name", "region", "region_name", "input_type", "input_type_name")
CODE_COLUMNS = ("source", "region", "input_type")
FILE_NAME = re.compile(
    r"^tcdash-(?P<measure>expenditure|approvals)-(?P<rest>.*?)-(?P<start>\d{4})-(?P<end>\d{4})(?:\D.*)?$"
)
STATUS_LABELS = list(Status.labels)
# Shares and changes are computed, never uploaded: an export of them (its name or About sheet says
# value=share or value=change), or a column of them.
COMPUTED_EXPORTS = {
    "share": gettext_lazy(
        "This export holds shares (value=share), not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default) instead."
    ),
    "change": gettext_lazy(
        "This export holds changes (value=change), not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default) instead."
    ),
}
COMPUTED_COLUMNS = {
    "share": gettext_lazy(
        "The column '%(column)s' holds shares, not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default)."
    ),
    "change": gettext_lazy(
        "The column '%(column)s' holds changes, not amounts: shares and changes are computed from the "
        "amounts, never uploaded. Export the view with the amounts (the default)."
    ),
}


def export_facts(*, file_name, about=None):
    """{"measure", "group", "value"} as far as the export's file name or About sheet says them."""
    facts = {}
    stem = file_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0].strip()
    match = FILE_NAME.match(stem)
    if match:
        facts["measure"] = match["measure"]
        words = match["rest"].split("-")
        if "ldc" in words:
            facts["group"] = "ldc"
        for value in ("share", "change"):
            if value in words:
                facts["value"] = value
    for label, value in about or ():
        if cell_text(label).lower() != "reproduce":
            continue
        parts = urlsplit(cell_text(value))
        path = re.search(r"/(expenditure|approvals)\.(?:csv|xlsx)$", parts.path)
        if path:
            facts["measure"] = path.group(1)
        query = parse_qs(parts.query)
        if query.get("group", [""])[0] == "ldc":
            facts["group"] = "ldc"
        if query.get("value", ["amount"])[0] in ("share", "change"):
            facts["value"] = query["value"][0]
    return facts


def read_wide(sheet, *, number_format, code_lists, options, max_year, amount_reader, facts):
    """The wide export's sheet -> AppendixRead (rows, problems, mismatches, the table as read)."""
    result = AppendixRead(found=True)
    cells = sheet.cells
    h = next(i for i, row in enumerate(cells) if any(cell_text(c) for c in row))
    header = [cell_text(c).lower().replace(" ", "_") for c in cells[h]]

    def problem(r, c, message, into=result.problems):
        into.append(
            Problem(sheet.row_number(r), sheet.address(r, c).rstrip("0123456789"), at_cell(sheet.where(r, c), message))
        )

    measure = options.measure or facts.get("measure", "")
    if facts.get("value"):
        problem(h, 0, COMPUTED_EXPORTS[facts["value"]])
        return result
    if not measure:
        problem(
            h,
            0,
            _(
                "The file does not say whether it holds expenditure or approvals: choose the measure when "
                "uploading (the Measure field; --measure on the command line)."
            ),
        )
    group = facts.get("group", TOTAL)
    keys, years, statuses = {}, [], {}
    for c, name in enumerate(header):
        column = re.fullmatch(r"(?:(amount|share|change|status)_)?(\d{4})", name)
        if name in KEY_COLUMNS:
            keys[name] = c
        elif column and MIN_YEAR <= int(column[2]) <= max_year:
            kind, year = column[1] or "amount", int(column[2])
            if kind == "status":
                statuses[year] = c
            elif kind == "amount":
                years.append((c, year))
            else:
                problem(h, c, COMPUTED_COLUMNS[kind] % {"column": cell_text(cells[h][c])})
        elif name:
            problem(
                h,
                c,
                _("The column '%(column)s' is neither a code column of the wide export nor a year.")
                % {"column": cell_text(cells[h][c])},
            )
    table = Table(sheet=sheet.name, title="", header_address=sheet.where(h, 0), dimension="", measure=measure)
    table.columns = [{"index": c, "year": year, "kind": "amount"} for c, year in years]
    seen = {}
    for r in range(h + 1, len(cells)):
        if len(result.problems) >= MAX_PROBLEMS:
            result.problems.append(Problem(None, "", stopped_message()))
            break
        row = cells[r]
        if not any(cell_text(v) for v in row):
            continue
        codes = {}
        bad = False
        for dim in CODE_COLUMNS:
            c = keys.get(dim)
            text = cell_text(row[c]) if c is not None and c < len(row) else ""
            if c is None or (not text and dim not in keys):
                codes[dim] = TOTAL
                continue
            code = code_lists.aliases[dim].get(" ".join(text.split()).lower())
            if code is None:
                bad = True
                what = DIMENSION_WORDS[dim]
                if "+" in text:
                    message = _(
                        "'%(text)s' is a sum of several members the export was filtered to, not a published "
                        "figure. Export the view without choosing several of them."
                    ) % {"text": text}
                elif text:
                    message = _("Unknown %(what)s '%(text)s'.") % {"what": what, "text": text}
                    message += " " + closest_codes(dim, text, code_lists)
                else:
                    message = _("The %(what)s is missing; write _T for the total.") % {"what": what}
                problem(r, c, message)
            codes[dim] = code
        if bad:
            continue
        shown = [dim for dim in CODE_COLUMNS if dim != "input_type" or dim in keys]
        names = [code_lists.names.get(dim, {}).get(codes[dim], codes[dim]) for dim in shown]
        line = {
            "row": sheet.row_number(r),
            "label": " / ".join(names),
            "code": " / ".join(codes[dim] for dim in shown),
            "name": " / ".join(names),
            "is_total": all(code == TOTAL for code in codes.values()),
            "cells": [],
        }
        for c, year in years:
            value = row[c] if c < len(row) else ""
            cell = {"address": sheet.address(r, c), "where": sheet.where(r, c), "text": cell_text(value)}
            cell.update(kind="amount", year=year, dollars=None, key=None)
            line["cells"].append(cell)
            if not cell_text(value):
                cell["missing"] = True
                continue
            dollars, message, ambiguity = amount_reader(value, number_format, sheet.address(r, c))
            if message:
                problem(r, c, message)
                continue
            status = options.status or None
            if year in statuses:
                s = statuses[year]
                status_text = cell_text(row[s]).lower() if s < len(row) else ""
                if status_text and status_text not in STATUS_LABELS:
                    message = _("Unknown status '%(status)s'. Use one of: %(known)s.")
                    problem(r, s, message % {"status": status_text, "known": ", ".join(STATUS_LABELS)})
                    continue
                status = status_text or status
            cell["dollars"] = dollars
            if ambiguity:
                result.ambiguous.append(
                    {
                        "row": sheet.row_number(r),
                        "column": sheet.where(r, c),
                        **ambiguity,
                        "number_format": number_format,
                    }
                )
            if not measure:
                continue
            out = {
                "measure": measure,
                "year": year,
                "source": codes["source"],
                "region": codes["region"],
                "country_group": group,
                "input_type": codes["input_type"],
                "amount": dollars,
                "status": status,
                "document": options.document or None,
                "document_url": options.document_url or None,
                "note": None,
                "line": sheet.row_number(r),
                "cell": sheet.where(r, c),
            }
            key = cell_key(out)
            cell["key"] = key
            if key in seen:
                problem(r, c, _("This is the same figure as %(cell)s; give each figure once.") % {"cell": seen[key]})
                continue
            seen[key] = sheet.address(r, c)
            result.rows.append(out)
        table.rows.append(line)
    result.tables.append(table)
    if not result.problems:
        amounts = {cell_key(row): row["amount"] for row in result.rows}
        where = {cell_key(row): row["cell"] for row in result.rows}
        for check in check_totals(amounts, code_lists.parts, touched=amounts):
            if not check["ok"]:
                address = where[check["total_cell"]]
                column = address.rsplit(" ", 1)[-1].rstrip("0123456789")
                result.mismatches.append(
                    Problem(
                        int(address.rsplit(" ", 1)[-1][len(column) :]), column, at_cell(address, total_message(check))
                    )
                )
        if not result.rows:
            result.problems.append(Problem(None, "", _("The file has a header but no figures.")))
    return result
