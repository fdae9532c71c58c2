"""Template tags of documents: the one place a stored document URL becomes a link (or stays text)."""

from django import template
from django.utils.html import format_html

from ..links import is_web_link

register = template.Library()


@register.simple_tag
def document_link(url, text):
    """`<a href=url rel="noopener noreferrer">text</a>` when `url` is an http(s) web address
    (links.is_web_link), else `text` alone, escaped: a bad value already stored never becomes a link."""
    if is_web_link(url):
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', url, text)
    return format_html("{}", text)
