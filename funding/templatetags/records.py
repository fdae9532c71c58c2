"""Template filters of the release record: an event's words in the reader's language."""

from django import template

from ..events import describe_event, event_line

register = template.Library()


@register.filter
def event_words(event):
    """A ReleaseEvent -> its detail in the active language (events.describe_event)."""
    return describe_event(event.action, event.facts, event.detail)


@register.filter
def event_record(event, show_by=False):
    """A ReleaseEvent -> its line of the record (events.event_line), naming the editor when `show_by`."""
    by = event.by.get_username() if show_by and event.by else ""
    label = event.get_action_display()
    return event_line(label=label, at=event.at, action=event.action, facts=event.facts, detail=event.detail, by=by)
