"""Template filters of the release record: an event's words in the reader's language, a release's
counts of new and changed values (events.new_and_changed_words), and a moment as every page writes
it (events.moment_words)."""

from django import template

from ..events import describe_event, event_line, moment_words, new_and_changed_words

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


@register.filter
def moment(at):
    """An aware time (or None) -> "2 Dec. 2026 16:39 UTC" in the active language (events.moment_words)."""
    return moment_words(at) if at else ""


@register.filter
def new_and_changed(release):
    """A Release -> "156 new values and 0 changed values" in the active language (events.new_and_changed_words)."""
    return new_and_changed_words(new=release.new_values, changed=release.changed_values)
