"""The explorer in words: names of the chosen members, amounts, percentages, runs of years, and the
summary sentences above the charts. Pure: a ViewQuery, its rows and the code lists in, strings out."""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from ..selectors import ViewQuery
from ..vocabulary import GROUP_PHRASES, QUALIFIED, TOTAL, Measure, names, years_in_words


def filter_label(query, code_lists):
    """The chosen members in words ("UNDP", "UNDP, Africa"), or "" when nothing is chosen."""
    named = names(code_lists)
    parts = [
        " + ".join(named["source"][c] for c in query.sources),
        " + ".join(named["region"][c] for c in query.regions),
    ]
    return ", ".join(part for part in parts if part)


def subject(query, code_lists):
    """What the figures measure, in words: "Expenditure from UNDP in Africa for the least developed countries"."""
    named = names(code_lists)
    text = Measure(query.measure).label
    if query.sources:
        text += " from " + " and ".join(named["source"][c] for c in query.sources)
    if query.regions:
        text += " in " + " and ".join(named["region"][c] for c in query.regions)
    if query.group != TOTAL:
        text += " for " + GROUP_PHRASES[query.group]
    return text


def year_list(years):
    """[1990, 1991, 1992, 1995] -> "1990-1992 and 1995": runs of years joined the way prose does."""
    runs = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    spans = [years_in_words(a, b) for a, b in runs]
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]


def money(amount, status="published"):
    """Thousands of US dollars in words: Decimal("148670") -> "$148.7 million"; stated figures keep
    their stated precision ("about $170 million")."""
    if amount >= 1000:
        millions = (Decimal(amount) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        text = f"${millions:,} million"
        if status in ("approximate", "rounded") and millions == millions.to_integral_value():
            text = f"${millions.to_integral_value():,} million"
    else:
        text = f"${Decimal(amount) * 1000:,.0f}"
    return f"about {text}" if status == "approximate" else text


def percent(value):
    return f"{Decimal(value).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def short_document(document):
    """ "GB.270/TC/2 (Nov 1997), para. 17" -> "GB.270/TC/2": the paper a reader would look up."""
    return document.split(" (")[0].split(",")[0].split(";")[0].strip()


class _Mentions:
    """Writes "$X in YEAR", qualifying a stated figure the first time the text mentions it."""

    def __init__(self):
        self.seen = set()

    def __call__(self, row, template="{money} in {year}"):
        text = template.format(money=money(row["amount"], row["status"]), year=row["year"])
        key = (row["breakdown"], row["source"], row["region"], row["year"])
        if row["status"] in QUALIFIED and key not in self.seen:
            text += f" ({row['status']}, stated in {short_document(row['document'])})"
        self.seen.add(key)
        return text


def _moved(before, after):
    return "rose" if after > before else "fell" if after < before else "stayed"


def summary(query, rows, *, code_lists):
    """The sentences above the charts, as the Governing Body papers put them.

    `rows` are view_rows() of summary_query(query): the total series with its share of all
    sources and regions, the split by source with shares of that total, and the year before the range
    (for "down x% from" in a one-year view). Every figure in the text is one of these rows.
    """
    totals = [r for r in rows if r["breakdown"] == "total" and r["year"] >= query.year_from]
    before = {r["year"]: r for r in rows if r["breakdown"] == "total" and r["year"] < query.year_from}
    by_source = [r for r in rows if r["breakdown"] == "source" and r["year"] >= query.year_from]
    if not totals:
        return []
    named = names(code_lists)
    mention = _Mentions()
    who = subject(query, code_lists)
    sentences = []
    first, last = totals[0], totals[-1]
    if len(totals) == 1:
        text = f"In {first['year']} {who[0].lower()}{who[1:]} was {mention(first, '{money}')}"
        previous = before.get(first["year"] - 1)
        if previous and previous["amount"]:
            change = (first["amount"] - previous["amount"]) * 100 / previous["amount"]
            direction = "down" if change < 0 else "up"
            text += f", {direction} {percent(abs(change))} from {mention(previous)}"
        sentences.append(text + ".")
    else:
        peak = max(totals, key=lambda r: r["amount"])  # the earliest of equal peaks
        moved = _moved(first["amount"], last["amount"])
        if moved == "stayed":
            sentence = f"{who} was {mention(first)} and {mention(last)}"
        elif peak is first and moved == "fell":
            sentence = f"{who} fell from {mention(first, 'a peak of {money} in {year}')} to {mention(last)}"
        elif peak is last and moved == "rose":
            sentence = f"{who} rose from {mention(first)} to {mention(last, 'a peak of {money} in {year}')}"
        else:
            sentence = f"{who} {moved} from {mention(first)} to {mention(last)}"
            sentence += f"; it peaked at {mention(peak)}" if peak not in (first, last) else ""
        trough = min(totals, key=lambda r: r["amount"])
        if trough not in (first, last, peak):
            sentence += f"; its low point was {mention(trough)}"
        sentences.append(sentence + ".")

    shares = [r for r in totals if r.get("share") is not None] if query.sources or query.regions else []
    if shares:
        of_all = f"of all {subject(ViewQuery(measure=query.measure, group=query.group), code_lists).lower()}"
        whose = "Its"
        if len(query.sources) + len(query.regions) == 1:
            whose = f"{filter_label(query, code_lists)}'s"
        a, b = shares[0], shares[-1]
        moved = _moved(a["share"], b["share"])
        if a is b:
            sentences.append(f"{whose} share {of_all} was {percent(a['share'])} in {a['year']}.")
        elif moved == "stayed":
            sentences.append(f"{whose} share {of_all} was {percent(a['share'])} in {a['year']} and {b['year']}.")
        else:
            sentences.append(
                f"{whose} share {of_all} {moved} from {percent(a['share'])} in {a['year']} "
                f"to {percent(b['share'])} in {b['year']}."
            )
    if len(query.sources) != 1 and by_source:
        last_year = by_source[-1]["year"]
        largest = max((r for r in by_source if r["year"] == last_year), key=lambda r: r["amount"])
        name = named["source"][largest["source"]]
        own = [r for r in by_source if r["source"] == largest["source"] and r.get("share") is not None]
        if len(own) > 1 and own[0]["year"] != last_year:
            moved = _moved(own[0]["share"], own[-1]["share"])
            trend = (
                "stayed at" if moved == "stayed" else f"{moved} from {percent(own[0]['share'])} in {own[0]['year']} to"
            )
            share = percent(own[-1]["share"])
            sentences.append(f"The largest source of funds in {last_year} was {name}, whose share {trend} {share}.")
        elif own:
            sentences.append(
                f"The largest source of funds in {last_year} was {name}, with {mention(largest, '{money}')} "
                f"({percent(own[-1]['share'])} of the total)."
            )

    missing = [y for y in range(query.year_from, query.year_to + 1) if y not in {r["year"] for r in totals}]
    if missing and len(totals) > 1:
        sentences.append(f"No figures are available for {year_list(missing)}.")
    return sentences


def summary_query(query):
    """The read behind summary(): the total and the split by source of the same filters, as shares,
    from the year before the range."""
    return replace(query, by=("total", "source"), value="share", year_from=query.year_from - 1)
