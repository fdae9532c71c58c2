"""Template filters for text written into a style sheet: a CSS string (the briefing pack's page
footers, which WeasyPrint reads from `@page` margin boxes)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# Characters a CSS string inside <style> cannot hold as they are: its quotes and escape, line breaks,
# and what could close the element or read as markup. Everything else stays as written.
_ESCAPED = frozenset("\"'\\<>&")


@register.filter
def css_string(value):
    """Text -> the inside of a double-quoted CSS string, each unsafe character a CSS escape, its code
    point in hex and a space that ends it (`'` is `\\27 `; the space is the escape's, so a space after
    it stays), so that WeasyPrint prints the text as written. JavaScript's escapes (`escapejs`:
    `\\u0027`) are no CSS escapes: a style sheet reads them as "u0027"."""
    escaped = "".join(f"\\{ord(c):x} " if c in _ESCAPED or ord(c) < 0x20 or ord(c) == 0x7F else c for c in str(value))
    return mark_safe(escaped)  # noqa: S308 - nothing left in it can end the string or the <style> element
