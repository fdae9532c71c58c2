"""Template tags of documents: the one place a stored document URL becomes a link (or stays text)."""

from django import template
from django.utils.html import format_html, format_html_join

from ..links import is_web_link
from ..vocabulary import DOCUMENTS_JOINER

register = template.Library()


@register.simple_tag
def document_link(url, text):
    """`<a href=url rel="noopener noreferrer">text</a>` when `url` is an http(s) web address
    (links.is_web_link), else `text` alone, escaped: a bad value already stored never becomes a link."""
    if is_web_link(url):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, text)
    return format_html("{}", text)


@register.simple_tag
def document_links(parts):
    """The documents a number rests on (`parts`: [{"document", "url"}], charts' source entries), each
    through document_link, joined as a file joins them ("A; B"): a sum of cells from two documents
    links each to its own address."""
    return format_html_join(DOCUMENTS_JOINER, "{}", ((document_link(p["url"], p["document"]),) for p in parts))
