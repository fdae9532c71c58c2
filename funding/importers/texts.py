"""Text cells: read a cell as text, undo an export's formula guard, and check the provenance texts
(document, document URL, note) a value carries: their length, no control characters, links; and read
a note back without the words an export added to it."""

import functools
import re
import unicodedata

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext

from ..links import MAX_URL_LENGTH, url_problem
from ..models import MIN_YEAR
from ..vocabulary import INPUT_TYPE_ALONE, MEASURE_UNITS, OF_WHICH_NOTE, STATUS_NAMES, UNIT_NAMES, unit_of
from .numbers import grouped
from .template import FORMULA_PREFIXES

MAX_DOCUMENT_LENGTH = 255  # Observation.document's max_length
MAX_NOTE_LENGTH = 2000
# Characters that reorder text as it is shown ("Trojan Source"): never needed in a note.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
PROVENANCE_COLUMNS = ("document", "document_url", "note")


class SpreadsheetError(str):
    """A workbook cell holding a spreadsheet error (`#DIV/0!`, `#N/A`), as its text: read as text it is
    that text, and an amount says it is an error, never that the cell is empty (workbook.scan_extent)."""

    __slots__ = ()


def folded(text):
    """`text` without its accents ("Fonds de dépôt" -> "Fonds de depot"): how the readers compare a
    label, a name or a status whose accents a spreadsheet or a keyboard may have lost."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


# The French names are the site's, feminine as they qualify a value ("valeur publiée"); an editor may
# write them of a figure ("chiffre publié"), in the masculine.
STATUS_MASCULINE = {"publie": "published", "derive": "derived", "arrondi": "rounded", "estime": "estimated",
                    "approximatif": "approximate"}  # fmt: skip


@functools.cache
def _status_spellings():
    """{spelling: status code}: each status by its code and by its name in each of the site's languages
    (case and accents aside), as an editor may type it ("publié", "estimado")."""
    spellings = dict(STATUS_MASCULINE)
    for code, name in STATUS_NAMES.items():
        spellings[folded(code)] = code
        for language, _name in settings.LANGUAGES:
            with override(language):
                spellings.setdefault(folded(str(name).casefold()), code)
    return spellings


def read_status(text):
    """A status cell's text -> (its status code, None), or (None, the problem's message) when it names
    no status. The one reading of a status, in the template and the wide layout alike."""
    code = _status_spellings().get(folded(text.strip().casefold()))
    if code is not None:
        return code, None
    return None, _("Unknown status '%(status)s'. Use one of: %(known)s.") % {
        "status": text.strip(),
        "known": ", ".join(STATUS_NAMES),
    }


def cell_text(value):
    """A cell as stripped text: None is "", a whole float is written without `.0` (its digits in full
    below 10**15, past which a float's are not all real: 1e300 stays "1e+300", not 301 digits)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**15:
        return str(int(value))
    return str(value).strip()


# An "of which" row's note in a long export: the export's words, then the cell's own note after "; ".
OF_WHICH_PREFIX = re.compile(
    "^" + re.escape(OF_WHICH_NOTE).replace(re.escape("%(name)s"), "(?P<name>.+?)") + "(?:; |$)", re.DOTALL
)


def own_note(text, spellings):
    """A note as its cell holds it: without the "of which: part of Trust funds and multi-bi, not added
    to it" a long export begins an "of which" row's note with (the member named in any of its
    spellings, lower-cased keys of `spellings`), so that the export uploads back unchanged."""
    match = OF_WHICH_PREFIX.match(text)
    if match and " ".join(match["name"].split()).lower() in spellings:
        return text[match.end() :]
    return text


def summed_members_message(text):
    """Why a code cell such as `undp+unfpa` (an export filtered to several members) cannot be read."""
    return _(
        "'%(text)s' is a sum of several members the export was filtered to, not a published "
        "figure. Export the view without choosing several of them."
    ) % {"text": text}


def unit_column_message(column, *, unit, measure, name, chosen=False):
    """The problem of a value column named for another unit than `measure`'s (`countries` or
    `countries_1995` for an amount of expenditure): the column says what the file holds, so the problem
    names the measure in that unit first (Recipient countries), then the column's name for `measure`
    (`name`). `chosen`: the measure is the form's or the file name's (the wide layout), not each row's."""

    def words(unit):  # "Thousands of US dollars" as a sentence continues it
        text = str(UNIT_NAMES[unit])
        return text[0].lower() + text[1:]

    fitting = [m for m, its_unit in MEASURE_UNITS.items() if its_unit == unit]
    values = {
        "column": column,
        "unit": words(unit),
        "measure": measure,
        "its_unit": words(unit_of(measure)),
        "name": name,
    }
    if not fitting:
        return (
            _("The column '%(column)s' holds %(unit)s, but %(measure)s is in %(its_unit)s: name it %(name)s.") % values
        )
    values["fitting"] = pgettext("between measures", " or ").join(str(m.label) for m in fitting)
    values["codes"] = pgettext("between measures", " or ").join(m.value for m in fitting)
    if chosen:
        message = _(
            "The column '%(column)s' holds %(unit)s, the unit of %(fitting)s, but the measure read is %(measure)s, "
            "in %(its_unit)s. If the file gives %(fitting)s, choose %(fitting)s as the Measure in the form; if it "
            "gives %(measure)s, name the column %(name)s."
        )
    else:
        message = _(
            "The column '%(column)s' holds %(unit)s, the unit of %(fitting)s, but the row's measure is %(measure)s, "
            "in %(its_unit)s. If the row gives %(fitting)s, write %(codes)s as its measure; if it gives "
            "%(measure)s, name the column %(name)s."
        )
    return message % values


def width(cells):
    """How many cells a row really has: up to its last one that is not empty (a spreadsheet writes
    empty cells after the last one, `8265,,`, which are harmless)."""
    return next((i + 1 for i in range(len(cells) - 1, -1, -1) if cell_text(cells[i])), 0)


def year_outside_message(year, max_year):
    """The problem of a figure for a year before 1950 or after `max_year` (next year: figures are of
    years gone by), as the long layout's year cell and the wide layout's year column both say it."""
    return _("The year %(year)s is outside %(min)s-%(max)s.") % {"year": year, "min": MIN_YEAR, "max": max_year}


def beyond_header_message(cells, columns):
    """Why a row with more cells than its header (`columns` of them) cannot be read: what is beyond the
    header would be lost, and it is most often a cell split in two by an unquoted separator."""
    return _(
        "This row has %(count)s cells but the header has %(columns)s: what is beyond the header would be lost. "
        "A comma (or the file's separator) in a number or a text splits its cell in two unless the cell is "
        'quoted: write "8,265" or "GB.273, para. 18" in quotes, or leave out the separator.'
    ) % {"count": cells, "columns": columns}


def input_type_crossed_message():
    """Why a row giving a type of input by source, by region or for a country group is refused
    (vocabulary.crosses_input_type)."""
    return (
        str(INPUT_TYPE_ALONE)
        + " "
        + _("Give a type of input with _T as its source of funds, region and country group, or leave out the row.")
    )


def unguarded(text):
    """Undo the `'` an export puts before a leading formula character (`'=x` was written for `=x`),
    so that an exported file uploads back to exactly what is on record."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _control(text, *, line_breaks):
    for index, char in enumerate(text):
        if line_breaks and char in "\n\r":
            continue
        if char in BIDI_CONTROLS or (not char.isprintable() and char != " "):
            return index, char
    return None


def provenance_problem(column, text):
    """Why the text of a provenance column cannot be stored (a sentence), or None."""
    if column == "document_url":
        return url_problem(text) if text else None
    limit = MAX_DOCUMENT_LENGTH if column == "document" else MAX_NOTE_LENGTH
    if len(text) > limit:
        message = (
            _("The document is %(length)s characters long; at most %(limit)s are accepted.")
            if column == "document"
            else _("The note is %(length)s characters long; at most %(limit)s are accepted.")
        )
        return message % {"length": grouped(len(text)), "limit": grouped(limit)}
    found = _control(text, line_breaks=column == "note")
    if found:
        index, char = found
        message = (
            _(
                "The document holds a control character (%(char)s) at character %(index)s; "
                "remove it (it cannot be shown or printed)."
            )
            if column == "document"
            else _(
                "The note holds a control character (%(char)s) at character %(index)s; "
                "remove it (it cannot be shown or printed)."
            )
        )
        return message % {"char": f"U+{ord(char):04X}", "index": index + 1}
    return None


__all__ = [
    "MAX_URL_LENGTH",
    "PROVENANCE_COLUMNS",
    "SpreadsheetError",
    "cell_text",
    "provenance_problem",
    "unguarded",
]
