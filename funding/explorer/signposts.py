"""Where the reader is, and what is not there: the breadcrumbs of a view and the message, with a link to
where figures do exist, for each breakdown without a row. Pure: plain data in, dicts out."""

from dataclasses import replace

from django.utils.translation import gettext as _

from ..addresses import view_url
from ..selectors import ViewQuery
from ..vocabulary import (
    DEFAULT_FROM,
    DEFAULT_TO,
    DRILL_DIMENSIONS,
    GROUP_PHRASES,
    INPUT_TYPE_ALONE,
    NO_SPLIT_SENTENCES,
    TOTAL,
    asks_input_type_crossed,
    years_in_words,
)
from .drill import _range_around, _remaining, years_with_data
from .words import filter_label, subject, year_list


def why_none(query):
    """Why a view has no figures where no document could have them, as a sentence, or "": types of input
    by source, by region or for a country group (vocabulary.INPUT_TYPE_ALONE, as the view's files
    say it in their notes)."""
    return str(INPUT_TYPE_ALONE) if asks_input_type_crossed(query) else ""


def no_data_sentence(label, years):
    """ "No data for UNDP for 1990-1996", or "No data for 1990-1996" when nothing is chosen."""
    if label:
        return _("No data for %(what)s for %(years)s") % {"what": label, "years": years}
    return _("No data for %(years)s") % {"years": years}


def breadcrumbs(query, *, code_lists):
    """The drill path to `query`: [{"label", "url"}], from "All years" down; the last is the page
    itself (url None). Each crumb keeps the group and the value shown."""
    keep = {"group": query.group, "value": query.value, "measure": query.measure}
    focus = query.focus_year
    if focus is None and query.year_from == query.year_to:
        focus = query.year_from
    crumbs = [(_("All years"), ViewQuery(**keep))]
    if focus is not None:
        crumbs.append((str(focus), ViewQuery(**keep, year_from=focus, year_to=focus, by=DRILL_DIMENSIONS)))
    label = filter_label(query, code_lists)
    if label:
        year_from, year_to = _range_around(query, focus) if focus is not None else (DEFAULT_FROM, DEFAULT_TO)
        if query.year_from != query.year_to:
            year_from, year_to = query.year_from, query.year_to
        series = replace(query, year_from=year_from, year_to=year_to, focus_year=focus)
        crumbs.append((label, replace(series, by=("total", *_remaining(series)))))
        if query.year_from == query.year_to:
            crumbs.append((_("%(label)s in %(year)s") % {"label": label, "year": query.year_from}, query))
    result = [{"label": text, "url": view_url(target)} for text, target in crumbs]
    result[-1]["url"] = None
    return result


def gap_messages(query, rows, *, coverage, code_lists):
    """A message for each breakdown of `query` without a row, so the page says in words what is not
    published rather than drawing an empty chart: {"breakdown", "text", "link_text", "link_url", "why"}
    (the link points to the other country group where that one has the breakdown; "why" is why_none)."""
    drawn = {row["breakdown"] for row in rows}
    span = years_in_words(query.year_from, query.year_to)
    label = filter_label(query, code_lists)
    messages = []
    for breakdown in query.by:
        if breakdown in drawn:
            continue
        if breakdown == "total":
            text = no_data_sentence(label, span)
        else:
            what = (
                label
                or subject(replace(query, sources=(), regions=(), input_types=(), group=TOTAL), code_lists).lower()
            )
            text = NO_SPLIT_SENTENCES[breakdown] % {"what": what, "years": span, "group": GROUP_PHRASES[query.group]}
        message = {"breakdown": breakdown, "text": text, "link_text": "", "link_url": "", "why": why_none(query)}
        everywhere = replace(query, year_from=1, year_to=9999)
        same_group = years_with_data(everywhere, breakdown, coverage=coverage, code_lists=code_lists)
        other = "ldc" if query.group == TOTAL else TOTAL
        other_group = years_with_data(
            replace(everywhere, group=other), breakdown, coverage=coverage, code_lists=code_lists
        )
        if same_group:
            # The breakdown exists, in other years: offer those.
            target = replace(query, year_from=same_group[0], year_to=same_group[-1], focus_year=None)
            message["link_text"] = _("there are figures for %(years)s") % {"years": year_list(same_group)}
        elif other_group:
            inside = any(query.year_from <= y <= query.year_to for y in other_group)
            target = replace(query, group=other)
            if not inside:
                target = replace(target, year_from=other_group[0], year_to=other_group[-1], focus_year=None)
            if other == "ldc":
                text = _("the least developed countries table has one for %(years)s")
            else:
                text = _("the figures for all countries have one for %(years)s")
            message["link_text"] = text % {"years": year_list(other_group)}
        if message["link_text"]:
            message["link_url"] = view_url(target)
        messages.append(message)
    return messages
