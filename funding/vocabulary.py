"""The domain's words, each written once: measures, breakdowns, values, country groups, statuses with
their marks and meanings, the total code, the default years, and the names of code-list members.

Every other module imports these; none writes them again. Pure: imports nothing from the app
(`models` imports its choices from here). The members of the code lists themselves (sources,
regions) are data, kept in the database, where the admin may add more: read them with
`selectors.code_lists()` and name them with `names()` / `members()`.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import get_language, override, pgettext
from django.utils.translation import gettext_lazy as _

# --- The cube -------------------------------------------------------------------------------------

# The explicit total member of every dimension (SDMX `_T`): the published total is a cell of its own.
TOTAL = "_T"
# The dimensions a view may filter and break down, in the order every address and title names them.
# A dimension's name is also its query parameter (`?input_type=training`), its breakdown (`by=`),
# the column of its code in files and the upload template, and the key of its code in every row.
DIMENSIONS = ("source", "region", "input_type")
# A cell's coordinates besides its measure and year: the view's dimensions and the country group, in
# the order of a cell's key (the files' columns, the live cell's and the observation's indexes).
CELL_DIMENSIONS = ("source", "region", "country_group", "input_type")
# Each code list as a message names it ("Unknown source of funds 'x'"): the view's dimensions and the
# country group, which a file's rows name too.
DIMENSION_WORDS = {
    "source": _("source of funds"),
    "region": _("region"),
    "country_group": _("country group"),
    "input_type": _("type of input"),
}
# The ViewQuery field holding the members chosen of each dimension.
CHOSEN_FIELDS = {"source": "sources", "region": "regions", "input_type": "input_types"}
# The dimensions a drill-down walks, in turn (a year's bar opens that year by each of them): the
# ILO's two main tables. Type of input is a table of its own (GB.267/TC/1 Appendix II, 1994-95)
# with nothing below it, so its bars open the record of their cell.
DRILL_DIMENSIONS = ("source", "region")
# The years a view shows when it names none (the range of GB.270/TC/2's figures).
DEFAULT_FROM = 1990
DEFAULT_TO = 1996


class Measure(models.TextChoices):
    EXPENDITURE = "expenditure", _("Expenditure")
    APPROVALS = "approvals", _("Extra-budgetary approvals")
    # What the documents state only as a share of the year's total expenditure (GB.270/TC/2, para. 18:
    # 1990 by source of funds): a measure of its own, never turned into an amount.
    EXPENDITURE_SHARE = "expenditure-share", _("Share of expenditure (stated)")
    # How many countries received technical cooperation (GB.270/TC/2, para. 20).
    RECIPIENTS = "recipients", _("Recipient countries")


# The measures with an explorer page (/expenditure/), and those with data twins at their own address
# (/expenditure.json, .csv, .xlsx): the recipient countries' count has twins and no page of its own.
EXPLORER_MEASURES = (Measure.EXPENDITURE, Measure.APPROVALS)
TWIN_MEASURES = (*EXPLORER_MEASURES, Measure.RECIPIENTS)
# The measures whose total is the sum of its parts (within the ILO's rounding): the money. A stated
# share is not, and neither is a count of countries (a country receives from several sources).
ADDITIVE_MEASURES = frozenset({Measure.EXPENDITURE.value, Measure.APPROVALS.value})

# --- Units: fixed by the measure ---------------------------------------------------------------------
# As ILOSTAT's indicators carry their unit in the indicator (a distribution "_DT" beside the number
# "_NB"), each measure has exactly one unit: a value's unit is an attribute of its measure, not a
# dimension of the cube, so a cell's key (measure, year, source, region, group, input type) stays as
# it is and a share can never be summed with an amount. Every value is stored as an integer 1,000 times
# the value in its unit (US dollars for thousands of US dollars; 45.9% is 45,900), so `thousands()`
# gives it back exactly. Files name the unit in a `unit` column; SDMX in UNIT_MEASURE and UNIT_MULT.
MEASURE_UNITS = {
    Measure.EXPENDITURE: "usd-thousands",
    Measure.APPROVALS: "usd-thousands",
    Measure.EXPENDITURE_SHARE: "percent-of-total",
    Measure.RECIPIENTS: "countries",
}
UNIT_NAMES = {
    "usd-thousands": _("Thousands of US dollars"),
    "percent-of-total": _("Percentage of the year's total"),
    "countries": _("Countries"),
}
# The column that holds a measure's values in files (the long CSV and XLSX, the data package), named
# for its unit, as the upload reads it back (importers.AMOUNT_ALIASES): a count of countries is never in
# a column that says it is thousands of US dollars. A stated share's is `value` (in the data package;
# the long layout gives it in `share_percent`).
UNIT_COLUMNS = {"usd-thousands": "amount_usd_thousands", "percent-of-total": "value", "countries": "countries"}
# The word the wide layout heads each year's amounts with, named for the unit as the long layout's value
# column is (UNIT_COLUMNS, its first word): `amount_1995` in thousands of US dollars, `countries_1995` for
# the recipient countries, never `amount_1995`.
WIDE_UNIT_WORDS = {"usd-thousands": "amount", "percent-of-total": "value", "countries": "countries"}
# What the value of an amounts view (`value=amount`) is, in words, by its measure's unit.
UNIT_VALUE_TITLES = {
    "usd-thousands": _("amount in thousands of US dollars"),
    "percent-of-total": _("share of the year's total, per cent"),
    "countries": _("number of countries"),
}
# SDMX's UNIT_MEASURE and UNIT_MULT of each unit (the code lists CL_UNIT and CL_UNIT_MULT).
SDMX_UNITS = {"usd-thousands": ("USD", "3"), "percent-of-total": ("PT", "0"), "countries": ("COUNTRIES", "0")}
# The measure that states an amount measure's shares where the documents give no amounts.
STATED_SHARES = {Measure.EXPENDITURE: Measure.EXPENDITURE_SHARE}


def unit_of(measure):
    """The unit code of a measure ("usd-thousands", "percent-of-total", "countries")."""
    return MEASURE_UNITS[measure]


def unit_column(measure):
    """The name of the column holding `measure`'s values in files: `amount_usd_thousands`, `countries`."""
    return UNIT_COLUMNS[unit_of(measure)]


def wide_column(measure, value, year):
    """The wide layout's column of one year's values of a view of `measure` showing `value`: the unit's
    word for amounts (`amount_1995`, `countries_1995`: WIDE_UNIT_WORDS), the value's name for the computed
    values (`share_1995`, `change_1995`). Its status is in `status_{year}`."""
    word = WIDE_UNIT_WORDS[unit_of(measure)] if value == "amount" else value
    return f"{word}_{year}"


def value_title(measure, value):
    """What a view shows, in words: its `value` (share, change), or for amounts its measure's unit
    ("amount in thousands of US dollars", "number of countries")."""
    return UNIT_VALUE_TITLES[unit_of(measure)] if value == "amount" else VALUE_TITLES[value]


def unit_words(measure):
    """ "Recipient countries: countries.": a measure and its unit, as a table of values of several
    measures (the upload preview) names the unit each of its values is in."""
    unit = str(UNIT_NAMES[unit_of(measure)])
    return pgettext("a measure and its unit", "%(measure)s: %(unit)s.") % {
        "measure": Measure(measure).label,
        "unit": unit[0].lower() + unit[1:],
    }


# A measure's title (exports, the API) and the footnote printed under its figures.
MEASURE_TITLES = {
    Measure.EXPENDITURE: _("ILO technical cooperation expenditure"),
    Measure.APPROVALS: _("ILO extra-budgetary technical cooperation approvals"),
    Measure.EXPENDITURE_SHARE: _("ILO technical cooperation expenditure: shares stated in the documents"),
    Measure.RECIPIENTS: _("Countries receiving ILO technical cooperation"),
}
MEASURE_FOOTNOTES = {
    Measure.EXPENDITURE: _("Excluding administrative expenditure; amounts as printed in the Governing Body documents."),
    Measure.APPROVALS: _("Extra-budgetary: every source of funds other than the ILO's regular budget."),
}
# What the documents say a split's members hold, printed under every figure of that split: the
# overview's Figure 2 (GB.270/TC/2) and the explorer's views by source of funds, and GB.267/TC/1
# Appendix II's notes 1 and 2 under a view by type of input. {(measure, dimension): sentence}.
SPLIT_FOOTNOTES = {
    (Measure.EXPENDITURE, "source"): _(
        "UNDP includes projects in which the ILO acts as an associated agency and TSS-1 (later SPPD) "
        "projects, and excludes TSS-2 (later STS) projects. Trust funds and multi-bi include funds "
        "deposited by beneficiary governments, reimbursable work for UNEP, UNICEF, UNHCR and others, "
        "development banks, and multi-bilateral programmes including associate experts."
    ),
    (Measure.EXPENDITURE, "input_type"): _(
        "Other personnel: national experts, external collaborators, local project staff, UNVs and other "
        "staff costs. Training: mainly fellowships, seminars and in-service training (GB.267/TC/1, "
        "Appendix II, notes 1 and 2)."
    ),
}


def split_footnotes(measure, breakdown):
    """The sentences SPLIT_FOOTNOTES gives a figure of `breakdown` (each dimension it splits)."""
    return [SPLIT_FOOTNOTES[measure, dim] for dim in BREAKDOWNS[breakdown] if (measure, dim) in SPLIT_FOOTNOTES]


# --- Breakdowns (`by=`): the dimensions each splits, and their words, in one word order ------------

BREAKDOWNS = {
    "total": (),
    "source": ("source",),
    "region": ("region",),
    "source-region": ("source", "region"),
    "input_type": ("input_type",),
}
BREAKDOWN_TITLES = {
    "total": _("Total"),
    "source": _("By source of funds"),
    "region": _("By region"),
    "source-region": _("By source of funds and region"),
    "input_type": _("By type of input"),
}
# The heading of a data table's first column.
BREAKDOWN_HEADINGS = {
    "total": "",
    "source": _("Source of funds"),
    "region": _("Region"),
    "source-region": _("Source of funds / region"),
    "input_type": _("Type of input"),
}
# What a breakdown without rows says: "No regional split of UNDP is published for 1990-1996 for all countries".
NO_SPLIT_SENTENCES = {
    "source": _("No split of %(what)s by source of funds is published for %(years)s for %(group)s"),
    "region": _("No regional split of %(what)s is published for %(years)s for %(group)s"),
    "source-region": _("No split of %(what)s by source of funds and region is published for %(years)s for %(group)s"),
    "input_type": _("No split of %(what)s by type of input is published for %(years)s for %(group)s"),
}


# Type of input is a table of its own (GB.267/TC/1 Appendix II): expenditure of all sources of funds, all
# regions and all countries, split by type of input and by nothing else. A type of input by source, by region
# or for the least developed countries is published nowhere: no cell holds one (an upload of one is refused),
# and a view asking for one has no rows and says why (its twins in their notes, its page in words).
INPUT_TYPE_ALONE = _(
    "Types of input are published for all sources of funds, all regions and all countries only (GB.267/TC/1 "
    "Appendix II): no document gives a type of input by source of funds, by region or for the least developed "
    "countries."
)


def crosses_input_type(cell):
    """Whether a cell ({"source", "region", "country_group", "input_type"} codes) is a type of input by
    source, by region or for a country group: no published cell (see INPUT_TYPE_ALONE)."""
    return cell["input_type"] != TOTAL and any(cell[dim] != TOTAL for dim in ("source", "region", "country_group"))


def asks_input_type_crossed(query):
    """Whether a view (a ViewQuery) asks, in any of its breakdowns, for types of input by source, by
    region or for the least developed countries (see INPUT_TYPE_ALONE)."""
    chosen_dims = {dim for dim in DIMENSIONS if chosen(query, dim)}
    for breakdown in query.by:
        dims = set(BREAKDOWNS[breakdown]) | chosen_dims
        if "input_type" in dims and (dims != {"input_type"} or query.group != TOTAL):
            return True
    return False


# "Of which": the members under the one member a view chose (the multi-bilateral programme under trust
# funds), read beside its total, never added to it and never shown as what its total leaves. Not a
# breakdown a user asks for: a view that chose one member of a dimension gets them, under the total
# each of its tables ends with (a split's too), in its pages and its files alike.
OF_WHICH = {"source": "of-which-source", "region": "of-which-region"}  # dimension -> the rows' breakdown
OF_WHICH_WORDS = _("of which: %(name)s")
# The note of an "of which" row in the long files (English, as every note in files is), which an
# upload of the file reads back as the note it was before the export added it (importers.own_note).
OF_WHICH_NOTE = "of which: part of %(name)s, not added to it"

# The label of the address an XLSX export's About sheet gives for reproducing it, in the export's
# language; an upload of the export reads what it holds from that address (importers.wide).
REPRODUCE_LABEL = _("Reproduce")


def breakdown_words(breakdown):
    """A breakdown as a title continues it: "by source of funds" ("total" for the total)."""
    title = str(BREAKDOWN_TITLES[breakdown])
    return title[0].lower() + title[1:]


# --- Values (`value=`): what a view shows of each row ---------------------------------------------

VALUES = ("amount", "share", "change")
VALUE_LABELS = {  # the page's toggle
    "amount": _("Amounts (US$ thousands)"),
    "share": _("Share of the year's total (%)"),
    "change": _("Change on the previous year (%)"),
}
VALUE_UNITS = {  # a chart's axis and a table's unit
    "amount": _("Thousands of US dollars"),
    "share": _("Percentage of the year's total"),
    "change": _("Percentage change on the previous year"),
}
VALUE_TITLES = {  # an export's title and filters in words (of amounts: value_title, by the measure's unit)
    "amount": UNIT_VALUE_TITLES["usd-thousands"],
    "share": _("share of the year's total, per cent"),
    "change": _("change on the previous year, per cent"),
}

# --- Country groups (`group=`) ----------------------------------------------------------------------

GROUPS = {"all": TOTAL, "ldc": "ldc"}  # the code in an address -> the country group's code
GROUP_PHRASES = {TOTAL: _("all countries"), "ldc": _("the least developed countries")}
GROUP_LABELS = {TOTAL: _("All countries"), "ldc": _("Least developed countries")}  # the filter form


def group_param(group):
    """A country group's code as an address writes it ("all" for the total)."""
    return next(param for param, code in GROUPS.items() if code == group)


# --- Statuses: how far a value is the document's own printed number -------------------------------


class Status(models.IntegerChoices):
    """Observation status, ordered from strongest to weakest so that Max() gives the weakest."""

    PUBLISHED = 1, "published"
    DERIVED = 2, "derived"
    PROVISIONAL = 3, "provisional"
    ROUNDED = 4, "rounded"
    ESTIMATED = 5, "estimated"
    APPROXIMATE = 6, "approximate"


# The mark printed next to a value that is not published as such, and what it means (legends,
# hover notes, the notes of an export). A published value has no mark.
STATUS_MARKS = {"approximate": "≈", "rounded": "r", "estimated": "e", "provisional": "p", "derived": "d"}
STATUS_MEANINGS = {
    "approximate": _("stated approximately in the text of the document ('about', 'close to'), not in a table"),
    "rounded": _("stated rounded in the text of the document (for example '$2.2 million'), not in a table"),
    "estimated": _("an estimate"),
    "provisional": _("the ILO may revise it"),
    "derived": _(
        "computed from published values (a sum of published parts, a total taken from a companion table of "
        "the same document, or what the shares a document states leave of 100%), not printed as such"
    ),
}
# What a published value is: it has no mark, so no legend says it; the API and SDMX's CL_OBS_STATUS do.
PUBLISHED_MEANING = _("printed in a table of the document")
# A status in words, for readers (the codes above stay English in files and the API).
STATUS_NAMES = {
    "published": _("published"),
    "derived": _("derived"),
    "provisional": _("provisional"),
    "rounded": _("rounded"),
    "estimated": _("estimated"),
    "approximate": _("approximate"),
}
# Statuses the prose qualifies where it mentions a value: the ILO stated them, it did not tabulate them.
QUALIFIED = ("approximate", "rounded", "estimated", "provisional")


# A share the documents state where they publish no amount (selectors.view_rows, value="share"): its
# mark on a bar and in a table, and the note beside it. The residual the stated shares leave of 100%
# is stored with status "derived", which says it is not stated.
STATED_SHARE_MARK = "s"
STATED_SHARE_WORDS = _("stated as a share")
# What a cell without a value reads: nothing published, or (in an amounts view) only its share, which
# the documents state (selectors.stated_share_cells): each cell says what is true of it, whichever
# row of a table (a member's, the total line's) or figure shows it.
NO_DATA_WORDS = _("no data")
ONLY_SHARES_WORDS = _("only shares published")


# A Governing Body paper's symbol, as a document cites it first: "GB.270/TC/2", "GB.267/PFA/3/1".
GB_PAPER = re.compile(r"GB\.\d+(?:/[A-Za-z0-9.]+)+")
# The source list's entry for values published without a document (an upload may leave it out).
NO_DOCUMENT_WORDS = _("No document given")
# A row that sums several cells cites each document (and its address) its cells cite. They come from
# the database as one text column, the same in every breakdown of a UNION ALL and for PostgreSQL's
# COPY to format (selectors.CitedPairs, exporters.tables): each (document, address) pair between two
# RECORD marks, the two split by a UNIT mark (ASCII RS and US, which importers.texts refuses in a
# document and links in an address). In a file, a row's documents, and its addresses, are each listed
# once, in code-point order, joined by DOCUMENTS_JOINER.
CITED_RECORD, CITED_UNIT = "\x1e", "\x1f"
DOCUMENTS_JOINER = "; "


def cited_pairs(text):
    """The sorted distinct (document, address) pairs of a cited-pairs column (see CITED_RECORD)."""
    pieces = (text or "").split(CITED_RECORD)
    return sorted({tuple(piece.split(CITED_UNIT, 1)) for piece in pieces if CITED_UNIT in piece})


def documents_text(pairs):
    """(document, address) pairs -> (documents, addresses) as a file writes them: each distinct
    non-empty one once, in code-point order, joined by DOCUMENTS_JOINER ("" where there is none)."""
    documents = sorted({document for document, _ in pairs if document})
    addresses = sorted({url for _, url in pairs if url})
    return DOCUMENTS_JOINER.join(documents), DOCUMENTS_JOINER.join(addresses)


def row_documents(row):
    """The (document, address) pairs a row cites: a view row's "cited" (every document of the cells it
    sums), else its own "document" and "document_url"."""
    return row.get("cited") or [(row.get("document") or "", row.get("document_url") or "")]


def paper_of(document):
    """ "GB.270/TC/2 (Nov 1997), para. 17" -> "GB.270/TC/2": the paper a reader would look up (the first
    of a value's documents where it has several, "A; B"). A document that is no Governing Body paper
    ("Programme and Budget for 1998-99") is given whole, but for a date in brackets after it; "" where
    there is no document."""
    first = (document or "").split(";")[0].strip()
    symbol = GB_PAPER.match(first)
    return symbol[0] if symbol else first.split(" (")[0].strip()


def papers_cited(row):
    """The papers a row's numbers come from (paper_of each document it cites, once each, in order),
    joined: "GB.270/TC/2; GB.273/TC/1" for a sum of cells from two papers; "" where it cites none."""
    papers = dict.fromkeys(paper_of(document) for document, _ in row_documents(row))
    return DOCUMENTS_JOINER.join(paper for paper in papers if paper)


def is_gb_paper(paper):
    """Whether paper_of gave a Governing Body paper's symbol (the footer names these as such)."""
    return GB_PAPER.fullmatch(paper) is not None


def cited(document):
    """A document as a note cites it: "GB.270/TC/2 (Nov 1997), para. 18" -> "GB.270/TC/2, para. 18"."""
    return re.sub(r" \([^)]*\)", "", document or "").strip()


def stated_share_note(document):
    """ "stated as a share (GB.270/TC/2, para. 18)": how a stated share is marked ("stated as a share"
    alone where it was published without a document)."""
    if not cited(document):
        return str(STATED_SHARE_WORDS)
    return pgettext("a share and its document", "%(words)s (%(document)s)") % {
        "words": STATED_SHARE_WORDS,
        "document": cited(document),
    }


def is_stated_share(row):
    """Whether a view row is a share the documents give without an amount (see STATED_SHARES): one
    they state, or the residual of 100% their stated shares leave (status "derived")."""
    return row.get("measure") in STATED_SHARES.values()


def share_basis(row):
    """(mark, note) of a view row's share where the documents give no amount: ("s", "stated as a share
    (GB.270/TC/2, para. 18)"), or for the residual ("", "not stated: what the shares stated in
    GB.270/TC/2, para. 18 leave of 100%"), whose status mark "d" says it is derived, or for a sum of
    several stated shares ("", "the sum of shares stated in GB.270/TC/2, para. 18, not stated as such");
    ("", "") otherwise."""
    if not is_stated_share(row):
        return "", ""
    if row.get("summed"):  # the shares of several chosen members added: stated one by one, not as a sum
        words = _("the sum of shares stated in %(document)s, not stated as such")
        return "", words % {"document": cited(row["document"])}
    if row["status"] == "derived":
        return "", _("not stated: what the shares stated in %(document)s leave of 100%%") % {
            "document": cited(row["document"])
        }
    return STATED_SHARE_MARK, stated_share_note(row["document"])


def in_a_list(items):
    """`items` (texts) as a list within a sentence, joined the reader's language's way ("a; b", in
    French "a ; b"). The templates write the same separator with its context."""
    return pgettext("between the items of a list", "; ").join(str(item) for item in items)


def status_note(status):
    """A status with its meaning ("rounded: stated rounded in ..."), or "" for a published value."""
    meaning = STATUS_MEANINGS.get(status)
    return (
        pgettext("a status and its meaning", "%(status)s: %(meaning)s")
        % {
            "status": STATUS_NAMES[status],
            "meaning": meaning,
        }
        if meaning
        else ""
    )


# --- Years in words ---------------------------------------------------------------------------------


def title_years(year_from, year_to):
    """The years of a figure's title as the ILO writes them: "1990-96", "1995", "1998-2003"."""
    if year_from == year_to:
        return str(year_from)
    if year_from // 100 == year_to // 100:
        return f"{year_from}-{year_to % 100:02d}"
    return f"{year_from}-{year_to}"


def years_in_words(year_from, year_to):
    """Years as prose and exports write them, in full: "1990-1996" (titles use title_years, "1990-96")."""
    return str(year_from) if year_from == year_to else f"{year_from}-{year_to}"


def percent_words(number, *, signed=False, decimals=1):
    """A per cent as the pages write it in the active language: one decimal (or `decimals`), rounded
    half up as people round and as the ILO prints its shares ("24.0%", "24,0 %"); with `signed`, a
    change's "+" before a rise ("+3.2%"). What rounds to zero has no sign ("0.0%", never "-0.0%")."""
    rounded = Decimal(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    text = number_format(rounded, decimal_pos=decimals, force_grouping=True)
    sign = "+" if signed and rounded > 0 else ""
    return sign + pgettext("a percentage", "%(number)s%%") % {"number": text}


# --- Members of the code lists ----------------------------------------------------------------------


def chosen(query, dim):
    """The members of `dim` a view chose (a ViewQuery's `sources`, `regions` or `input_types`)."""
    return getattr(query, CHOSEN_FIELDS[dim])


# A row summing several members a view chose of a dimension (UNDP and RBTC, the view not splitting by
# source) is no published cell: it is coded and named as that sum, never as the total, on the page
# (tables, legends), in the JSON and in the files alike. Its code joins theirs with "+" (`undp+rbtc`:
# a code list's codes never hold one, and an upload refuses it); its name says what it adds up.
SUM_WORDS = {
    "source": _("Sum of %(count)s sources: %(names)s"),
    "region": _("Sum of %(count)s regions: %(names)s"),
    "input_type": _("Sum of %(count)s types of input: %(names)s"),
}
# Its note in the files (English, as every note in files is).
SUM_NOTES = {
    "source": "sum of %(count)s sources",
    "region": "sum of %(count)s regions",
    "input_type": "sum of %(count)s types of input",
}
SUM_JOIN = "+"


def row_member(row, dim, codes):
    """The code of what a view row stands for along `dim`, the view having chosen `codes` of it: the
    row's own member; the chosen codes joined by "+" ("undp+rbtc") where the row sums several of them;
    TOTAL where it covers every member (the published total)."""
    code = row.get(dim)
    if code is not None:
        return code
    return SUM_JOIN.join(codes) if codes else TOTAL


def member_words(code, dim, named):
    """The name of a `row_member` code, `named` being names()[dim]: the member's name, "Sum of 2
    sources: UNDP, Regular budget (RBTC)", or the total's ("All sources")."""
    if SUM_JOIN in code:
        codes = code.split(SUM_JOIN)
        listed = ", ".join(named.get(c, c) for c in codes)
        return SUM_WORDS[dim] % {"count": len(codes), "names": listed}
    return named.get(code, code)


def member_note(code, dim):
    """A `row_member` code's note in files: "sum of 2 sources" for a sum of chosen members, else ""."""
    return SUM_NOTES[dim] % {"count": len(code.split(SUM_JOIN))} if SUM_JOIN in code else ""


def pinned_member(codes):
    """The code a view row gives a dimension it does not split, the view having chosen `codes` of it:
    the one member chosen, else None (every member, or the sum of the several chosen): a dimension's
    part of series_members."""
    return codes[0] if len(codes) == 1 else None


def series_members(row):
    """The members a view row is a value of, one a dimension (a code; None for all of them or for the
    sum of the members the view chose): its series. Two breakdowns of one view can give the same
    series (`by=source&by=total&source=undp`: UNDP is both a source shown and the view's total), and
    the same series is one row of a wide file and its values are counted once, however many
    breakdowns show it."""
    return tuple(row.get(dim) for dim in DIMENSIONS)


def code_list(code_lists, dim):
    """The members of `dim` in `selectors.code_lists()` ([] where a caller's lists leave it out)."""
    return code_lists.get(f"{dim}s", [])


def members(code_lists):
    """{dimension: {code: member}} of `selectors.code_lists()`, for every dimension."""
    return {dim: {member["code"]: member for member in code_list(code_lists, dim)} for dim in DIMENSIONS}


def in_every_language(words):
    """{language code: `words` (a translatable text) in that language}, for each of settings.LANGUAGES:
    what a file or a code list says in any of the site's languages."""
    said = {}
    for lang, _name in settings.LANGUAGES:
        with override(lang):
            said[lang] = str(words)
    return said


def name_field(lang=None):
    """The code lists' field holding a member's name in `lang` (default: the active language)."""
    lang = (lang or get_language() or "en")[:2]
    return {"fr": "name_fr", "es": "name_es"}.get(lang, "name")


def names(code_lists, lang=None):
    """{dimension: {code: name}} in `lang` (default: the active language); the English name where the
    code list has none in that language."""
    field = name_field(lang)
    if field == "name":
        field = "name_en"  # selectors.code_lists() keeps the English name there
    return {
        dim: {
            member["code"]: member.get(field) or member.get("name_en") or member["name"]
            for member in code_list(code_lists, dim)
        }
        for dim in DIMENSIONS
    }


def top_level(code_lists, dim):
    """The members of `dim`'s top level (the ILO's own sources or regions), the total left out, in
    order: what a breakdown splits into unless the view chose members."""
    return [m for m in code_list(code_lists, dim) if m["code"] != TOTAL and not m.get("parent__code")]
