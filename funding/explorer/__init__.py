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

The words themselves (breakdown titles, value labels, country groups, status marks) are in
`funding.vocabulary`. Only what callers use is re-exported here.
"""

from .assembly import filter_form, page
from .drill import drill_target, history_querystring, querystring, reach
from .words import money, summary, summary_query, year_list

__all__ = [
    "drill_target",
    "filter_form",
    "history_querystring",
    "money",
    "page",
    "querystring",
    "reach",
    "summary",
    "summary_query",
    "year_list",
]
