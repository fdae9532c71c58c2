"""About: the facts that travel with the data (the JSON `meta` block, the XLSX "About" sheet): title,
filters, unit, releases, documents, notes on stated figures, source and licence. Pure; in the active
language (keys and codes stay English)."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext

from ..events import moment_words
from ..vocabulary import (
    DIMENSIONS,
    INPUT_TYPE_ALONE,
    MEASURE_TITLES,
    REPRODUCE_LABEL,
    STATUS_MEANINGS,
    TOTAL,
    UNIT_NAMES,
    asks_input_type_crossed,
    breakdown_words,
    group_param,
    in_a_list,
    is_stated_share,
    member_words,
    names,
    row_documents,
    row_member,
    series_members,
    share_basis,
    unit_of,
    value_title,
    years_in_words,
)
from ..vocabulary import (
    chosen as chosen_members,
)

NO_DATA_NOTE = gettext_lazy("A year with no data is absent (an empty cell in the wide layout), never zero.")
# What every export of money says (and the data package, whose amounts are money).
STANDING_NOTES = (
    gettext_lazy("Amounts are in thousands of US dollars, as printed, excluding administrative expenditure."),
    NO_DATA_NOTE,
    gettext_lazy("Totals are the published totals; a total can differ from the sum of its parts by rounding."),
    gettext_lazy("The by-source and by-region tables are separate views of the same money: never add them together."),
)
# What an export says by its measure's unit: a count of countries is no money, and no sum of its parts.
UNIT_NOTES = {
    "usd-thousands": STANDING_NOTES,
    "countries": (
        gettext_lazy("Values are numbers of countries, as stated in the documents."),
        NO_DATA_NOTE,
        gettext_lazy(
            "A count of countries is not a sum: a country can receive technical cooperation from several "
            "sources and in several years, so never add counts together."
        ),
    ),
}
SOURCE_STATEMENT = gettext_lazy(
    "Source: International Labour Office, Governing Body documents, as cited with each value. "
    "Compiled by tcdash, which adds no figures of its own."
)
LICENCE_STATEMENT = gettext_lazy(
    "The figures are those published in ILO Governing Body documents; "
    "cite the ILO and the document given with each value."
)


def title(query, *, code_lists):
    """A one-line title: measure, breakdown, chosen members, countries, value and years."""
    named = names(code_lists)
    parts = [str(MEASURE_TITLES.get(query.measure, query.measure))]
    breakdowns = [breakdown_words(b) for b in query.by if b != "total"]
    if breakdowns:
        parts.append(_(" and ").join(breakdowns))
    chosen = [named[dim].get(c, c) for dim in DIMENSIONS for c in chosen_members(query, dim)]
    text = " ".join(parts)
    if chosen:
        text += f" ({', '.join(chosen)})"
    if query.group != TOTAL:
        text += ", " + _("least developed countries")
    if query.value != "amount":
        text += f", {value_title(query.measure, query.value)}"
    return f"{text}, {years_in_words(query.year_from, query.year_to)}"


def _unit(query):
    """The unit of an export in words: its measure's (a count of countries has no US dollars), and
    the share or change it shows."""
    if unit_of(query.measure) != "usd-thousands":
        return str(UNIT_NAMES[unit_of(query.measure)])
    if query.value == "amount":
        return _("USD thousands")
    return in_a_list([_("USD thousands"), str(value_title(query.measure, query.value))])


def _filters(query):
    return {
        "from": query.year_from,
        "to": query.year_to,
        "by": list(query.by),
        "source": list(query.sources),
        "region": list(query.regions),
        "input_type": list(query.input_types),
        "group": group_param(query.group),
        "value": query.value,
    }


def _describe(filters, code_lists, measure):
    named = names(code_lists)
    every = _("all")
    text = _(
        "Years %(years)s; breakdown: %(by)s; sources: %(sources)s; regions: %(regions)s; "
        "countries: %(countries)s; value: %(value)s"
    ) % {
        "years": years_in_words(filters["from"], filters["to"]),
        "by": ", ".join(breakdown_words(b) for b in filters["by"]),
        "sources": ", ".join(named["source"].get(c, c) for c in filters["source"]) or every,
        "regions": ", ".join(named["region"].get(c, c) for c in filters["region"]) or every,
        "countries": _("least developed countries") if filters["group"] == "ldc" else pgettext("all countries", "all"),
        "value": value_title(measure, filters["value"]),
    }
    if filters["input_type"]:
        chosen = ", ".join(named["input_type"].get(c, c) for c in filters["input_type"])
        text += _("; types of input: %(input_types)s") % {"input_types": chosen}
    return text


def _series_label(row, named, query):
    """ "1995 (UNDP)", "1995 (Sum of 2 regions: Africa, Europe)", or "1995" for the published total."""
    codes = {dim: row_member(row, dim, chosen_members(query, dim)) for dim in DIMENSIONS}
    label = ", ".join(member_words(code, dim, named[dim]) for dim, code in codes.items() if code != TOTAL)
    return f"{row['year']} ({label})" if label else str(row["year"])


def _documents(rows):
    """Each document the rows cite once, with its address: every document of a sum of several cells."""
    seen = {}
    for row in rows:
        for document, url in row_documents(row):
            if document and document not in seen:
                seen[document] = url
    return [{"document": document, "url": url} for document, url in seen.items()]


def _values(rows):
    """`rows` with each value once: two breakdowns of a view can show the same cell (the total of
    `source=undp` is UNDP's row of `by=source`), which is one value to note and count."""
    seen = set()
    for row in rows:
        key = (row["measure"], row["year"], *series_members(row))
        if key not in seen:
            seen.add(key)
            yield row


def _stated_share_notes(rows, code_lists, query):
    """One note for the shares the documents give without an amount (measure expenditure-share)."""
    named = names(code_lists)
    by_note = {}
    for row in _values(rows):
        if is_stated_share(row):
            by_note.setdefault((share_basis(row)[1], row["measure"]), []).append(_series_label(row, named, query))
    return [
        _("%(values)s: %(note)s; no amount is published (measure %(measure)s, unit %(unit)s).")
        % {"values": ", ".join(labels), "note": note, "measure": measure, "unit": unit_of(measure)}
        for (note, measure), labels in by_note.items()
    ]


# "3 values rounded: ...": one whole message per status, so that each language makes the status agree
# with the value(s) counted (French "3 valeurs arrondies", Spanish "3 valores redondeados").
STATUS_COUNT_NOTES = {
    "derived": ngettext_lazy(
        "%(count)s value derived: %(values)s. %(meaning)s.",
        "%(count)s values derived: %(values)s. %(meaning)s.",
        "count",
    ),
    "provisional": ngettext_lazy(
        "%(count)s value provisional: %(values)s. %(meaning)s.",
        "%(count)s values provisional: %(values)s. %(meaning)s.",
        "count",
    ),
    "rounded": ngettext_lazy(
        "%(count)s value rounded: %(values)s. %(meaning)s.",
        "%(count)s values rounded: %(values)s. %(meaning)s.",
        "count",
    ),
    "estimated": ngettext_lazy(
        "%(count)s value estimated: %(values)s. %(meaning)s.",
        "%(count)s values estimated: %(values)s. %(meaning)s.",
        "count",
    ),
    "approximate": ngettext_lazy(
        "%(count)s value approximate: %(values)s. %(meaning)s.",
        "%(count)s values approximate: %(values)s. %(meaning)s.",
        "count",
    ),
}


def _status_notes(rows, code_lists, query):
    named = names(code_lists)
    by_status = {}
    for row in _values(rows):
        if row["status"] != "published":
            by_status.setdefault(row["status"], []).append(_series_label(row, named, query))
    notes = []
    for status, labels in by_status.items():
        meaning = str(STATUS_MEANINGS.get(status, status))
        values = {"count": len(labels), "values": ", ".join(labels), "meaning": meaning[0].upper() + meaning[1:]}
        notes.append(str(STATUS_COUNT_NOTES[status] % values))
    return notes


def about(query, *, code_lists, rows, releases, url, generated_at):
    """The facts that travel with an export (the JSON `meta` block, the XLSX "About" sheet).

    `rows` are the selector rows exported; `releases` the releases their values come from, as
    dicts {"id", "title", "published_at"} (a datetime or None); `url` the absolute URL that gives
    the same file again; `generated_at` an aware datetime. Returns plain JSON types only.
    """
    filters = _filters(query)
    return {
        "title": title(query, code_lists=code_lists),
        "filters": filters,
        "description": _describe(filters, code_lists, query.measure),
        "unit": _unit(query),
        "releases": [
            {
                "id": release["id"],
                "title": release["title"],
                "published_at": release["published_at"].isoformat() if release["published_at"] else None,
            }
            for release in releases
        ],
        "documents": _documents(rows),
        "notes": [
            *([str(INPUT_TYPE_ALONE)] if asks_input_type_crossed(query) else []),
            *_status_notes(rows, code_lists, query),
            *_stated_share_notes(rows, code_lists, query),
            *(str(note) for note in UNIT_NOTES[unit_of(query.measure)]),
        ],
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "url": url,
        "source": str(SOURCE_STATEMENT),
        "licence": str(LICENCE_STATEMENT),
    }


def about_rows(meta):
    """The `about` dict as (label, value) rows of the XLSX "About" sheet, one fact per row."""
    yield _("Title"), meta["title"]
    yield _("Filters"), meta["description"]
    yield _("Unit"), meta["unit"]
    yield str(REPRODUCE_LABEL), meta["url"]
    # The sheet is read by people: its times are written as every page writes them (the JSON keeps ISO).
    yield _("Generated"), moment_words(datetime.datetime.fromisoformat(meta["generated_at"]))
    for release in meta["releases"]:
        published = release["published_at"] and moment_words(datetime.datetime.fromisoformat(release["published_at"]))
        values = {"id": release["id"], "title": release["title"], "published": published}
        if release["published_at"]:
            yield _("Release"), _("%(id)s: %(title)s (published %(published)s)") % values
        else:
            yield _("Release"), _("%(id)s: %(title)s (not published)") % values
    for document in meta["documents"]:
        yield _("Document"), f"{document['document']} {document['url']}".strip()
    for note in meta["notes"]:
        yield _("Note"), note
    yield _("Source"), meta["source"]
    yield _("Licence"), meta["licence"]
