"""Template filters of the release record: an event's words in the reader's language."""

from django import template

from ..events import describe_event

register = template.Library()


@register.filter
def event_words(event):
    """A ReleaseEvent -> its detail in the active language (events.describe_event)."""
    return describe_event(event.action, event.facts, event.detail)
