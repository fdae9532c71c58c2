"""The release record's words: an event's facts (counts, the file) -> a sentence in the reader's language.

An event stores facts, not sentences (`ReleaseEvent.facts`), so the history reads in French to a
French reader and in Spanish to a Spanish one; what a person wrote (a withdrawal's reason) is kept
in `ReleaseEvent.detail` and shown as written, after the counts. `event_line` is the whole line of
the record, its colons as each language writes them, and none when nothing follows the time.

`moment_words` is the one way a page writes when something happened (the record, a figure's record
of values, the release a printed page or the briefing pack names), in each language its form.
"""

import datetime

from django.utils import formats
from django.utils.translation import gettext, ngettext


def upload_facts(*, file_name, values, number_format):
    return {"file": file_name, "values": values, "number_format": number_format}


def publish_facts(*, new, changed, amount, status, provenance, unchanged):
    return {
        "new": new,
        "changed": changed,
        "amount": amount,
        "status": status,
        "provenance": provenance,
        "unchanged": unchanged,
    }


def withdraw_facts(*, withdrawn, restored):
    return {"withdrawn": withdrawn, "restored": restored}


def new_and_changed_words(*, new, changed):
    """A release's counts of the values it adds and changes, in the active language, each noun and
    adjective agreeing with its own count: "1 new value and 0 changed values", "0 nouvelle valeur et
    2 valeurs modifiées" (French counts 0 as one), "1 valor nuevo y 0 valores modificados"."""
    return gettext("%(new)s and %(changed)s") % {
        "new": ngettext("%(count)s new value", "%(count)s new values", new) % {"count": new},
        "changed": ngettext("%(count)s changed value", "%(count)s changed values", changed) % {"count": changed},
    }


def published_message(*, number, new, changed):
    """What the editor is told once release `number` is published, with its counts (new_and_changed_words)."""
    return gettext("Release %(number)s is published: %(values)s are live.") % {
        "number": number,
        "values": new_and_changed_words(new=new, changed=changed),
    }


def withdrawn_message(*, number, facts):
    """What the editor is told once release `number` is withdrawn (`facts`: its withdraw_facts): the
    earlier values restored, counted as the record counts them, or that none came back and the
    release's values are simply no longer shown (a release that only added values); and, for a release
    that both added and changed values, how many of its values are gone with nothing in their place
    (each value withdrawn brings back at most one, in its own cell)."""
    restored = facts["restored"]
    gone = facts["withdrawn"] - restored
    if not restored:
        return gettext(
            "Release %(number)s is withdrawn: its values are no longer shown, and no earlier value was restored."
        ) % {"number": number}
    if gone > 0:
        return gettext("Release %(number)s is withdrawn: %(restored)s, and %(gone)s.") % {
            "number": number,
            "restored": ngettext(
                "%(count)s earlier value it replaced is live again",
                "%(count)s earlier values it replaced are live again",
                restored,
            )
            % {"count": restored},
            "gone": ngettext(
                "%(count)s value that replaced none is no longer shown",
                "%(count)s values that replaced none are no longer shown",
                gone,
            )
            % {"count": gone},
        }
    return ngettext(
        "Release %(number)s is withdrawn: %(count)s earlier value it replaced is live again.",
        "Release %(number)s is withdrawn: %(count)s earlier values it replaced are live again.",
        restored,
    ) % {"number": number, "count": restored}


def moment_words(at):
    """An aware time as every page writes it, in the active language: the language's
    SHORT_DATETIME_FORMAT (tcdash/formats: "2 Dec. 2026 16:39", "2 déc. 2026 16:39", "2 dic. 2026
    16:39") of the time in UTC, which it says: "2 Dec. 2026 16:39 UTC"."""
    when = formats.date_format(at.astimezone(datetime.UTC), "SHORT_DATETIME_FORMAT")
    return gettext("%(at)s UTC") % {"at": when}


def event_line(*, label, at, action, facts, detail="", by=""):
    """One event of the record, in the active language: "Published 2 Dec. 2026 16:39 UTC by ana: 156
    new, ...". `label` is the action's name, `at` its aware time (written by moment_words), `by` the
    editor's name or "" (left out); the words after the time are describe_event's, and without them
    the line stops at the time (or the name), with no colon."""
    line = gettext("%(action)s %(at)s") % {"action": label, "at": moment_words(at)}
    if by:
        line = gettext("%(event)s by %(name)s") % {"event": line, "name": by}
    words = describe_event(action, facts, detail)
    return gettext("%(event)s: %(words)s") % {"event": line, "words": words} if words else line


def describe_event(action, facts, detail=""):
    """(ReleaseEvent.action, facts, detail) -> the record's words in the active language; `detail`
    alone when there are no facts (a record kept before facts were), "" when there is neither. A
    detail of only spaces is no detail."""
    detail = (detail or "").strip()
    if not facts:
        return detail
    if facts.get("from_dates"):
        words = gettext("recorded from the release's dates")
    elif action == "upload":
        words = ngettext(
            "%(file)s, %(count)s value, number format %(number_format)s",
            "%(file)s, %(count)s values, number format %(number_format)s",
            facts["values"],
        ) % {"file": facts["file"], "count": facts["values"], "number_format": facts["number_format"]}
    elif action == "publish":
        words = gettext("%(new)s, %(changed)s (%(amount)s, %(status)s, %(provenance)s), %(unchanged)s") % {
            "new": ngettext("%(count)s new", "%(count)s new", facts["new"]) % {"count": facts["new"]},
            "changed": ngettext("%(count)s changed", "%(count)s changed", facts["changed"])
            % {"count": facts["changed"]},
            "amount": ngettext("%(count)s amount", "%(count)s amounts", facts["amount"]) % {"count": facts["amount"]},
            "status": ngettext("%(count)s status", "%(count)s statuses", facts["status"]) % {"count": facts["status"]},
            "provenance": ngettext("%(count)s provenance only", "%(count)s provenance only", facts["provenance"])
            % {"count": facts["provenance"]},
            "unchanged": ngettext("%(count)s unchanged", "%(count)s unchanged", facts["unchanged"])
            % {"count": facts["unchanged"]},
        }
    else:
        words = gettext("%(withdrawn)s, %(restored)s") % {
            "withdrawn": ngettext("%(count)s value withdrawn", "%(count)s values withdrawn", facts["withdrawn"])
            % {"count": facts["withdrawn"]},
            "restored": ngettext(
                "%(count)s earlier value restored", "%(count)s earlier values restored", facts["restored"]
            )
            % {"count": facts["restored"]},
        }
    return gettext("%(words)s: %(detail)s") % {"words": words, "detail": detail} if detail else words
