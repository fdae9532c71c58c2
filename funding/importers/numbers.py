"""Numbers as people write them: read an amount by one chosen format, find the other readings, and
show a number a workbook stores as its cell's number format does."""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy

NUMBER_FORMATS = {
    "1,234.5": ((",",), "."),
    "1.234,5": ((".",), ","),
    # A space, a no-break space or a narrow no-break space (French typography) between thousands.
    "1 234,5": ((" ", "\u00a0", "\u202f"), ","),
    "1'234.5": (("'", "\u2019"), "."),
    # GB.267/TC/1 prints `18 372` and `12.4`: a space between thousands, a point before decimals.
    "1 234.5": ((" ", "\u00a0", "\u202f"), "."),
}
DEFAULT_NUMBER_FORMAT = "1,234.5"
NUMBER_FORMAT_NAMES = {
    "1,234.5": gettext_lazy("1,234.5 (comma between thousands, point before decimals)"),
    "1.234,5": gettext_lazy("1.234,5 (point between thousands, comma before decimals)"),
    "1 234,5": gettext_lazy("1 234,5 (space between thousands, comma before decimals)"),
    "1'234.5": gettext_lazy("1'234.5 (apostrophe between thousands, point before decimals)"),
    "1 234.5": gettext_lazy("1 234.5 (space between thousands, point before decimals)"),
}


def _format_pattern(separators, decimal_mark):
    sep = "|".join(re.escape(s) for s in separators)
    dec = re.escape(decimal_mark)
    # [0-9], not \d: \d also matches full-width, Arabic-Indic and every other script's digits.
    return re.compile(rf"^(?:[0-9]{{1,3}}(?:(?:{sep})[0-9]{{3}})+|[0-9]+)(?:{dec}([0-9]+))?$")


PATTERNS = {name: _format_pattern(*spec) for name, spec in NUMBER_FORMATS.items()}


def read_number(text, number_format):
    """Text -> Decimal read by `number_format` alone, or None when it is not a number in that format.

    Thousands separators must group three digits (`12,34` is not a number in 1,234.5).
    """
    text = text.strip()
    if not PATTERNS[number_format].match(text):
        return None
    separators, decimal_mark = NUMBER_FORMATS[number_format]
    for sep in separators:
        text = text.replace(sep, "")
    return Decimal(text.replace(decimal_mark, "."))


def other_readings(text, number_format):
    """[(format, Decimal)] for every other common format that reads `text` as a different number."""
    mine = read_number(text, number_format)
    readings = []
    for other in NUMBER_FORMATS:
        if other == number_format:
            continue
        value = read_number(text, other)
        if value is not None and value != mine and all(value != v for _, v in readings):
            readings.append((other, value))
    return readings


# What a number format shows besides its digits: quoted text, an escaped character, a colour or
# condition ([Red], [<100]), the space of a character (_)) and a fill (*-).
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')


# A stored number at or beyond this has more digits than a float holds exactly, and quantizing it to
# its format's decimals would pass Decimal's 28 digits: as_shown leaves it as stored (1e300 is a
# mistyped figure, which its reader refuses), never raises.
SHOWN_IN_FULL = 10**15


def as_shown(value, cell_format):
    """A number a workbook stores (int or float) -> (Decimal, decimals) as its cell's number format shows it,
    or None when the format shows it as stored (General, none) or as no plain number (a date, a fraction,
    scientific). "0.0%" shows 0.12345 as 12.3, to 1 decimal; "#,##0.00" shows 1234.5 as 1234.50, to 2; a
    negative number is shown by the format's second section when it has one. Rounded half away from zero,
    as spreadsheets round."""
    if not cell_format or cell_format.strip().lower() == "general" or not abs(value) < SHOWN_IN_FULL:
        return None
    sections = _FORMAT_LITERALS.sub("", cell_format).split(";")
    section = sections[1] if value < 0 and len(sections) > 1 and sections[1].strip() else sections[0]
    if not re.search(r"[0#?]", section) or re.search(r"[dmyhsbe/@]", section, re.IGNORECASE):
        return None
    decimals = re.search(r"\.([0#?]*)", section)
    decimals = len(decimals.group(1)) if decimals else 0
    number = Decimal(repr(float(value))) * (100 if "%" in section else 1)
    return number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP), decimals


def foreign_digits(text):
    """The name of the first non-ASCII digits in `text` ("Fullwidth", "Arabic-Indic"), or None."""
    for char in text:
        if char.isdigit() and not char.isascii():
            name = unicodedata.name(char, "")
            return name.split(" DIGIT")[0].title() if " DIGIT" in name else "non-ASCII"
    return None


def plain(value):
    """A Decimal as plain text, without exponent or trailing zeros: 12.426, 12426."""
    return format(value.normalize(), "f")


def grouped(number):
    """A count or size for a message, grouped the reader's way: 10,000 / 10 000 / 10.000."""
    from django.utils.formats import number_format

    return number_format(number, force_grouping=True)
