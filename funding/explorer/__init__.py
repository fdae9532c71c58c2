"""The explorer's logic: where each point drills to, the breadcrumbs, the summary sentences and the
"no data" messages of a view. Pure: a ViewQuery, its rows, the code lists and the coverage in, plain
dicts and strings out; no database, no request.

The drill path goes one level deeper per click, and every state lives in the query string:
all years -> one year by source and by region -> one source (or region) across the years, with
its split by the other dimension -> that source in one year by the other dimension -> one cell
across the years.

- `drill`: the canonical query string of a view, the view below each point (`drill_target`,
  `drill_url`), the years the page links reach, and which years the coverage has figures for.
- `words`: names, amounts, percentages and runs of years in words, and the summary sentences.
- `signposts`: the breadcrumbs back up the drill path, and a message (with a link to where figures
  exist) for each breakdown without a row.
- `assembly`: the filter form, the value toggle and `page`, the context the explorer template shows.
"""

from .assembly import BREAKDOWN_TITLES, FOOTNOTES, VALUE_LABELS, filter_form, page, value_links
from .drill import (
    DIMENSIONS,
    drill_target,
    drill_url,
    has_data,
    history_querystring,
    querystring,
    reach,
    years_with_data,
)
from .signposts import SPLIT_NOUNS, breadcrumbs, gap_messages
from .words import (
    GROUP_PHRASES,
    QUALIFIED,
    filter_label,
    money,
    percent,
    short_document,
    subject,
    summary,
    summary_query,
    year_list,
    years_in_words,
)

__all__ = [
    "BREAKDOWN_TITLES",
    "DIMENSIONS",
    "FOOTNOTES",
    "GROUP_PHRASES",
    "QUALIFIED",
    "SPLIT_NOUNS",
    "VALUE_LABELS",
    "breadcrumbs",
    "drill_target",
    "drill_url",
    "filter_form",
    "filter_label",
    "gap_messages",
    "has_data",
    "history_querystring",
    "money",
    "page",
    "percent",
    "querystring",
    "reach",
    "short_document",
    "subject",
    "summary",
    "summary_query",
    "value_links",
    "year_list",
    "years_in_words",
    "years_with_data",
]
