"""The explorer in words: names of the chosen members, amounts, percentages, runs of years, and the
summary sentences above the charts. Pure: a ViewQuery, its rows and the code lists in, strings out."""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..selectors import share_whole
from ..vocabulary import (
    BREAKDOWNS,
    CHOSEN_FIELDS,
    DIMENSIONS,
    GROUP_PHRASES,
    QUALIFIED,
    STATUS_NAMES,
    TOTAL,
    Measure,
    chosen,
    is_stated_share,
    names,
    papers_cited,
    percent_words,
    years_in_words,
)


def filter_label(query, code_lists):
    """The chosen members in words ("UNDP", "UNDP, Africa", "Training"), or "" when nothing is chosen."""
    named = names(code_lists)
    parts = [" + ".join(named[dim][c] for c in chosen(query, dim)) for dim in DIMENSIONS]
    return ", ".join(part for part in parts if part)


def subject(query, code_lists):
    """What the figures measure, in words: "Expenditure from UNDP in Africa for the least developed countries",
    "Expenditure on Training"."""
    named = names(code_lists)
    text = str(Measure(query.measure).label)
    if query.sources:
        text = _("%(measure)s from %(sources)s") % {
            "measure": text,
            "sources": and_list(named["source"][c] for c in query.sources),
        }
    if query.regions:
        text = _("%(measure)s in %(regions)s") % {
            "measure": text,
            "regions": and_list(named["region"][c] for c in query.regions),
        }
    if query.input_types:
        text = _("%(measure)s on %(input_types)s") % {
            "measure": text,
            "input_types": and_list(named["input_type"][c] for c in query.input_types),
        }
    if query.group != TOTAL:
        text = _("%(measure)s for %(group)s") % {"measure": text, "group": GROUP_PHRASES[query.group]}
    return text


def and_list(items):
    """["a", "b", "c"] -> "a, b and c", with the language's "and"."""
    items = [str(item) for item in items]
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def year_list(years):
    """[1990, 1991, 1992, 1995] -> "1990-1992 and 1995": runs of years joined the way prose does."""
    runs = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return and_list(years_in_words(a, b) for a, b in runs)


def money(amount, status="published"):
    """Thousands of US dollars in words: Decimal("148670") -> "$148.7 million"; stated figures keep
    their stated precision ("about $170 million")."""
    if amount >= 1000:
        millions = (Decimal(amount) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if status in ("approximate", "rounded") and millions == millions.to_integral_value():
            millions = millions.to_integral_value()
        text = ngettext("$%(amount)s million", "$%(amount)s million", plural_count(millions)) % {
            "amount": number_format(millions, force_grouping=True)
        }
    else:
        whole = (Decimal(amount) * 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        text = _("$%(amount)s") % {"amount": number_format(whole, force_grouping=True)}
    return _("about %(amount)s") % {"amount": text} if status == "approximate" else text


def plural_count(number):
    """The whole number to give ngettext for a decimal `number` (1.4, 2.5, 170) so that each catalogue's
    Plural-Forms picks the form CLDR gives the decimal.

    CLDR: English and Spanish take the plural for any number with a fraction (1.4 millones), French
    the singular below 2 (1,4 million); a whole number takes its own form in each. A fraction below 2
    becomes 0, the one whole number that is singular in French (n > 1) and plural in Spanish and
    English (n != 1); any other number becomes its whole part, which the three forms agree on.
    """
    whole = int(number)
    if number != whole and whole < 2:
        return 0
    return whole


# How a value is mentioned: "$148.7 million in 1995", "a peak of $148.7 million in 1995", "$148.7 million".
IN_YEAR = "in_year"
PEAK = "peak"
BARE = "bare"


def _mention_text(form, money_text, year):
    if form == IN_YEAR:
        return _("%(money)s in %(year)s") % {"money": money_text, "year": year}
    if form == PEAK:
        return _("a peak of %(money)s in %(year)s") % {"money": money_text, "year": year}
    return money_text


class _Mentions:
    """Writes "$X in YEAR", qualifying a stated figure the first time the text mentions it."""

    def __init__(self):
        self.seen = set()

    def __call__(self, row, form=IN_YEAR):
        text = _mention_text(form, money(row["amount"], row["status"]), row["year"])
        key = (row["breakdown"], row["source"], row["region"], row.get("input_type"), row["year"])
        if row["status"] in QUALIFIED and key not in self.seen:
            words = {"value": text, "status": STATUS_NAMES[row["status"]], "document": papers_cited(row)}
            if words["document"]:
                text = _("%(value)s (%(status)s, stated in %(document)s)") % words
            else:  # published without a document
                text = _("%(value)s (%(status)s)") % words
        self.seen.add(key)
        return text


def _moved(before, after):
    return "rose" if after > before else "fell" if after < before else "stayed"


# --- Sentences that name what a view pins -----------------------------------------------------------
#
# A summary sentence names what the view keeps to: the sources of funds, regions or types of input it
# chose, and its country group. Each sentence is one message for each combination of them that a view
# with figures can pin (any of sources, regions and the country group; a type of input alone, as types
# of input are published: vocabulary.INPUT_TYPE_ALONE), keyed by pinned(), so that each language words
# the whole sentence (its prepositions, its order) instead of having the pinned parts pasted into it.


def pinned(query):
    """What `query` pins, in the order prose names it: a key of the sentence tables below, such as
    (), ("regions",), ("sources", "group")."""
    pins = tuple(CHOSEN_FIELDS[dim] for dim in DIMENSIONS if chosen(query, dim))
    return (*pins, "group") if query.group != TOTAL else pins


def pinned_values(query, code_lists, *, lower=False):
    """The placeholders of a sentence of the tables below: the measure ("Expenditure", or
    "expenditure" with `lower`, for the middle of a sentence), the members chosen of each dimension
    pinned ("sources": "UNDP and UNFPA") and the country group ("the least developed countries")."""
    label = str(Measure(query.measure).label)
    named = names(code_lists)
    values = {"measure": label[0].lower() + label[1:] if lower else label, "group": GROUP_PHRASES[query.group]}
    for dim in DIMENSIONS:
        if chosen(query, dim):
            values[CHOSEN_FIELDS[dim]] = and_list(named[dim][c] for c in chosen(query, dim))
    return values


# "Expenditure rose from $X in 1990 to $Y in 1996" and its siblings: {pins: {"rose", "fell", "stayed"}}.
TREND_SENTENCES = {
    (): {
        "rose": gettext_lazy("%(measure)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s was %(first)s and %(last)s"),
    },
    ("sources",): {
        "rose": gettext_lazy("%(measure)s from %(sources)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s from %(sources)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s from %(sources)s was %(first)s and %(last)s"),
    },
    ("regions",): {
        "rose": gettext_lazy("%(measure)s in %(regions)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s in %(regions)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s in %(regions)s was %(first)s and %(last)s"),
    },
    ("group",): {
        "rose": gettext_lazy("%(measure)s for %(group)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s for %(group)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s for %(group)s was %(first)s and %(last)s"),
    },
    ("sources", "regions"): {
        "rose": gettext_lazy("%(measure)s from %(sources)s in %(regions)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s from %(sources)s in %(regions)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s from %(sources)s in %(regions)s was %(first)s and %(last)s"),
    },
    ("sources", "group"): {
        "rose": gettext_lazy("%(measure)s from %(sources)s for %(group)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s from %(sources)s for %(group)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s from %(sources)s for %(group)s was %(first)s and %(last)s"),
    },
    ("regions", "group"): {
        "rose": gettext_lazy("%(measure)s in %(regions)s for %(group)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s in %(regions)s for %(group)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s in %(regions)s for %(group)s was %(first)s and %(last)s"),
    },
    ("sources", "regions", "group"): {
        "rose": gettext_lazy(
            "%(measure)s from %(sources)s in %(regions)s for %(group)s rose from %(first)s to %(last)s"
        ),
        "fell": gettext_lazy(
            "%(measure)s from %(sources)s in %(regions)s for %(group)s fell from %(first)s to %(last)s"
        ),
        "stayed": gettext_lazy("%(measure)s from %(sources)s in %(regions)s for %(group)s was %(first)s and %(last)s"),
    },
    ("input_types",): {
        "rose": gettext_lazy("%(measure)s on %(input_types)s rose from %(first)s to %(last)s"),
        "fell": gettext_lazy("%(measure)s on %(input_types)s fell from %(first)s to %(last)s"),
        "stayed": gettext_lazy("%(measure)s on %(input_types)s was %(first)s and %(last)s"),
    },
}
# "In 1995 expenditure was $112.9 million": {pins: sentence}, the measure in lower case.
ONE_YEAR_SENTENCES = {
    (): gettext_lazy("In %(year)s %(measure)s was %(value)s"),
    ("sources",): gettext_lazy("In %(year)s %(measure)s from %(sources)s was %(value)s"),
    ("regions",): gettext_lazy("In %(year)s %(measure)s in %(regions)s was %(value)s"),
    ("group",): gettext_lazy("In %(year)s %(measure)s for %(group)s was %(value)s"),
    ("sources", "regions"): gettext_lazy("In %(year)s %(measure)s from %(sources)s in %(regions)s was %(value)s"),
    ("sources", "group"): gettext_lazy("In %(year)s %(measure)s from %(sources)s for %(group)s was %(value)s"),
    ("regions", "group"): gettext_lazy("In %(year)s %(measure)s in %(regions)s for %(group)s was %(value)s"),
    ("sources", "regions", "group"): gettext_lazy(
        "In %(year)s %(measure)s from %(sources)s in %(regions)s for %(group)s was %(value)s"
    ),
    ("input_types",): gettext_lazy("In %(year)s %(measure)s on %(input_types)s was %(value)s"),
}


def summary(query, rows, *, code_lists):
    """The sentences above the charts, as the Governing Body papers put them, in the active language.

    `rows` are view_rows() of summary_query(query): the total series with its share of the year's
    published total, the split the view shows (split_dimension: by source, region or type of input)
    with each member's share of the published total of all members (selectors.share_whole: the same
    whichever members are chosen), and the year before the range (for "down x% from" in a one-year
    view). The largest member is of that split, in the last year it has figures. Every figure in the
    text is one of these rows, and each sentence about a share says what it is of; a share the
    document does not state (derived) is qualified as a stated amount is.
    """
    # A share the documents state without an amount (1990 by source) speaks in the share sentences
    # only: the sentences about money read amounts.
    in_range = [r for r in rows if r["year"] >= query.year_from]
    stated_totals = [r for r in in_range if r["breakdown"] == "total"]
    totals = [r for r in stated_totals if r["amount"] is not None]
    before = {r["year"]: r for r in rows if r["breakdown"] == "total" and r["year"] < query.year_from}
    dimension = split_dimension(query)
    members = [r for r in in_range if r["breakdown"] == dimension and r["amount"] is not None]
    only_shares = sorted({r["year"] for r in in_range if r["amount"] is None} - {r["year"] for r in totals})
    if not totals:
        return []
    mention = _Mentions()  # shared by every sentence: a stated figure is qualified the first time only
    if len(totals) == 1:
        sentences = [_one_year_sentence(query, totals[0], before.get(totals[0]["year"] - 1), mention, code_lists)]
    else:
        sentences = [_trend_sentence(query, totals, mention, code_lists)]
    filtered = any(chosen(query, dim) for dim in DIMENSIONS)
    shares = [r for r in stated_totals if r.get("share") is not None] if filtered else []
    if shares:
        sentences.append(_share_sentence(query, shares, code_lists))
    if len(chosen(query, dimension)) != 1 and members:
        sentences += _largest_member_sentence(query, dimension, members, code_lists, mention)
    # A year is missing when the view has no amount for it, neither a total nor a member's.
    shown = {r["year"] for r in totals + members} | set(only_shares)
    missing = [y for y in range(query.year_from, query.year_to + 1) if y not in shown]
    if only_shares:
        sentences.append(
            _("For %(years)s only shares of the total are published, not amounts.") % {"years": year_list(only_shares)}
        )
    if missing and len(totals) > 1:
        sentences.append(
            ngettext(
                "No figures are available for %(years)s.",
                "No figures are available for %(years)s.",
                len(missing),
            )
            % {"years": year_list(missing)}
        )
    return sentences


def _one_year_sentence(query, row, previous, mention, code_lists):
    """ "In 1995 expenditure was $112.9 million, down 11.5% from $127.6 million in 1994." """
    values = {**pinned_values(query, code_lists, lower=True), "year": row["year"], "value": mention(row, BARE)}
    text = ONE_YEAR_SENTENCES[pinned(query)] % values
    if previous and previous["amount"]:
        change = (row["amount"] - previous["amount"]) * 100 / previous["amount"]
        values = {"sentence": text, "change": percent_words(abs(change)), "previous": mention(previous)}
        if change < 0:
            text = _("%(sentence)s, down %(change)s from %(previous)s") % values
        else:
            text = _("%(sentence)s, up %(change)s from %(previous)s") % values
    return text + "."


def _trend_sentence(query, totals, mention, code_lists):
    """From the first year to the last, with the peak and the low point when they fall in between."""
    first, last = totals[0], totals[-1]
    peak = max(totals, key=lambda r: r["amount"])  # the earliest of equal peaks
    moved = _moved(first["amount"], last["amount"])
    if peak is first and moved == "fell":
        first_text, last_text = mention(first, PEAK), mention(last)
    elif peak is last and moved == "rose":
        first_text, last_text = mention(first), mention(last, PEAK)
    else:
        first_text, last_text = mention(first), mention(last)
    values = {**pinned_values(query, code_lists), "first": first_text, "last": last_text}
    sentence = TREND_SENTENCES[pinned(query)][moved] % values
    if moved != "stayed" and peak not in (first, last):
        sentence = _("%(sentence)s; it peaked at %(peak)s") % {"sentence": sentence, "peak": mention(peak)}
    trough = min(totals, key=lambda r: r["amount"])
    if trough not in (first, last, peak):
        sentence = _("%(sentence)s; its low point was %(low)s") % {"sentence": sentence, "low": mention(trough)}
    return sentence + "."


def _whole_words(query, breakdown, code_lists):
    """What `breakdown`'s shares are of, in words to follow "share of all": "expenditure",
    "expenditure in Africa for the least developed countries" (selectors.share_whole, the one rule)."""
    whole = subject(share_whole(query, breakdown), code_lists)
    return whole[0].lower() + whole[1:]


def _share_mention(row):
    """A share as the text gives it: "24.0%", and a share the document does not state qualified as the
    amounts are: the residual of 100% the stated shares leave (status derived) or a sum of several
    stated shares, "8.7% (derived, not stated in GB.270/TC/2)"."""
    text = percent_words(row["share"])
    if is_stated_share(row) and (row.get("summed") or row["status"] == "derived"):
        words = {"share": text, "status": STATUS_NAMES["derived"], "document": papers_cited(row)}
        if words["document"]:
            text = _("%(share)s (%(status)s, not stated in %(document)s)") % words
        else:  # published without a document
            text = _("%(share)s (%(status)s)") % words
    return text


def _share_sentence(query, shares, code_lists):
    """The chosen members' share of the year's published total (all sources and regions), first year
    and last."""
    single = sum(len(chosen(query, dim)) for dim in DIMENSIONS) == 1
    a, b = shares[0], shares[-1]
    moved = "stayed" if a is b else _moved(a["share"], b["share"])
    values = {
        "who": filter_label(query, code_lists),
        "whole": _whole_words(query, "total", code_lists),
        "first": _share_mention(a),
        "first_year": a["year"],
        "last": _share_mention(b),
        "last_year": b["year"],
    }
    if moved == "stayed":
        values["years"] = a["year"] if a is b else _("%(first)s and %(last)s") % {"first": a["year"], "last": b["year"]}
    group = share_whole(query, "total").group
    if group != TOTAL:
        # The whole is all of a country group's figures: one sentence with the measure and the group in
        # it, so each language says "of all expenditure for the least developed countries" its own way.
        label = str(Measure(query.measure).label)
        values.update(measure=label[0].lower() + label[1:], group=GROUP_PHRASES[group])
        return _group_share_texts(single)[moved] % values
    return _share_texts(single)[moved] % values


def _share_texts(single):
    """The share sentences of a whole of all countries: {"stayed", "rose", "fell"}."""
    if single:
        return {
            "stayed": _("%(who)s's share of all %(whole)s was %(first)s in %(years)s."),
            "rose": _(
                "%(who)s's share of all %(whole)s rose from %(first)s in %(first_year)s to %(last)s in %(last_year)s."
            ),
            "fell": _(
                "%(who)s's share of all %(whole)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s."
            ),
        }
    return {
        "stayed": _("Its share of all %(whole)s was %(first)s in %(years)s."),
        "rose": _("Its share of all %(whole)s rose from %(first)s in %(first_year)s to %(last)s in %(last_year)s."),
        "fell": _("Its share of all %(whole)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s."),
    }


def _group_share_texts(single):
    """The share sentences of a whole of one country group: {"stayed", "rose", "fell"}."""
    if single:
        return {
            "stayed": _("%(who)s's share of all %(measure)s for %(group)s was %(first)s in %(years)s."),
            "rose": _(
                "%(who)s's share of all %(measure)s for %(group)s rose from %(first)s in %(first_year)s to "
                "%(last)s in %(last_year)s."
            ),
            "fell": _(
                "%(who)s's share of all %(measure)s for %(group)s fell from %(first)s in %(first_year)s to "
                "%(last)s in %(last_year)s."
            ),
        }
    return {
        "stayed": _("Its share of all %(measure)s for %(group)s was %(first)s in %(years)s."),
        "rose": _(
            "Its share of all %(measure)s for %(group)s rose from %(first)s in %(first_year)s to %(last)s in "
            "%(last_year)s."
        ),
        "fell": _(
            "Its share of all %(measure)s for %(group)s fell from %(first)s in %(first_year)s to %(last)s in "
            "%(last_year)s."
        ),
    }


def split_dimension(query):
    """The dimension whose largest member the summary names: the one the view splits (its first
    breakdown that splits anything: source for by source and by source x region, else region, else type
    of input). A view of the total alone speaks of sources of funds, as the Governing Body papers do."""
    for breakdown in query.by:
        if BREAKDOWNS[breakdown]:
            return BREAKDOWNS[breakdown][0]
    return "source"


# The largest member's sentences of each split dimension: {dimension: {pins of its whole (what
# share_whole keeps of the view): {"stayed", "rose", "fell", "with"}}}, the measure in lower case.
LARGEST_SENTENCES = {
    "source": {
        (): {
            "stayed": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s stayed at "
                "%(last)s."
            ),
            "rose": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s rose from "
                "%(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s fell from "
                "%(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, with %(value)s (%(share)s of all %(measure)s)."
            ),
        },
        ("regions",): {
            "stayed": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s in "
                "%(regions)s stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s in "
                "%(regions)s rose from %(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s in "
                "%(regions)s fell from %(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, with %(value)s (%(share)s of all "
                "%(measure)s in %(regions)s)."
            ),
        },
        ("group",): {
            "stayed": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s for "
                "%(group)s stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s for "
                "%(group)s rose from %(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s for "
                "%(group)s fell from %(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, with %(value)s (%(share)s of all "
                "%(measure)s for %(group)s)."
            ),
        },
        ("regions", "group"): {
            "stayed": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s in "
                "%(regions)s for %(group)s stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s in "
                "%(regions)s for %(group)s rose from %(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, whose share of all %(measure)s in "
                "%(regions)s for %(group)s fell from %(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest source of funds in %(year)s was %(name)s, with %(value)s (%(share)s of all "
                "%(measure)s in %(regions)s for %(group)s)."
            ),
        },
    },
    "region": {
        (): {
            "stayed": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s rose from %(first)s "
                "in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s fell from %(first)s "
                "in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest region in %(year)s was %(name)s, with %(value)s (%(share)s of all %(measure)s)."
            ),
        },
        ("sources",): {
            "stayed": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s from %(sources)s "
                "stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s from %(sources)s "
                "rose from %(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s from %(sources)s "
                "fell from %(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest region in %(year)s was %(name)s, with %(value)s (%(share)s of all %(measure)s from "
                "%(sources)s)."
            ),
        },
        ("group",): {
            "stayed": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s for %(group)s "
                "stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s for %(group)s rose "
                "from %(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s for %(group)s fell "
                "from %(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest region in %(year)s was %(name)s, with %(value)s (%(share)s of all %(measure)s for "
                "%(group)s)."
            ),
        },
        ("sources", "group"): {
            "stayed": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s from %(sources)s "
                "for %(group)s stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s from %(sources)s "
                "for %(group)s rose from %(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest region in %(year)s was %(name)s, whose share of all %(measure)s from %(sources)s "
                "for %(group)s fell from %(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest region in %(year)s was %(name)s, with %(value)s (%(share)s of all %(measure)s from "
                "%(sources)s for %(group)s)."
            ),
        },
    },
    "input_type": {
        (): {
            "stayed": gettext_lazy(
                "The largest type of input in %(year)s was %(name)s, whose share of all %(measure)s stayed at %(last)s."
            ),
            "rose": gettext_lazy(
                "The largest type of input in %(year)s was %(name)s, whose share of all %(measure)s rose from "
                "%(first)s in %(first_year)s to %(last)s."
            ),
            "fell": gettext_lazy(
                "The largest type of input in %(year)s was %(name)s, whose share of all %(measure)s fell from "
                "%(first)s in %(first_year)s to %(last)s."
            ),
            "with": gettext_lazy(
                "The largest type of input in %(year)s was %(name)s, with %(value)s (%(share)s of all %(measure)s)."
            ),
        },
    },
}


def _largest_member_sentence(query, dimension, members, code_lists, mention):
    """The largest member of `dimension` (the view's split) in the last year it has figures, with how
    its share of the published total moved (selectors.share_whole: of all members, whichever are
    chosen): [] or [sentence]."""
    last_year = members[-1]["year"]
    largest = max((r for r in members if r["year"] == last_year), key=lambda r: r["amount"])
    whole = share_whole(query, dimension)
    values = {
        **pinned_values(whole, code_lists, lower=True),
        "year": last_year,
        "name": names(code_lists)[dimension][largest[dimension]],
    }
    texts = LARGEST_SENTENCES[dimension][pinned(whole)]
    own = [r for r in members if r[dimension] == largest[dimension] and r.get("share") is not None]
    if len(own) > 1 and own[0]["year"] != last_year:
        moved = _moved(own[0]["share"], own[-1]["share"])
        values.update(
            first=percent_words(own[0]["share"]), first_year=own[0]["year"], last=percent_words(own[-1]["share"])
        )
        return [texts[moved] % values]
    if own:
        values.update(value=mention(largest, BARE), share=percent_words(own[-1]["share"]))
        return [texts["with"] % values]
    return []


def summary_query(query):
    """The read behind summary(): the total and the split the view shows (split_dimension) of the same
    filters, as shares, from the year before the range."""
    return replace(query, by=("total", split_dimension(query)), value="share", year_from=query.year_from - 1)
