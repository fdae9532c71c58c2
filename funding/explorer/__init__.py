"""The explorer's logic: where each point drills to, the breadcrumbs, the summary sentences and the
"no data" messages of a view. Pure: a ViewQuery, its rows, the code lists and the coverage in, plain
dicts and strings out; no database, no request.

The drill path goes one level deeper per click, and every state lives in the query string:
all years -> one year by source and by region -> one source (or region) across the years, with
its split by the other dimension -> that source in one year by the other dimension -> one cell
across the years.

- `drill`: the view below each point (`drill_target`) and its address (`drill_url`, the one
  drill-link builder, which the overview uses too; `drill_links` works out each point's once), the
  years the page links reach, and which years the coverage has figures for. Every address is built
  by `funding.addresses`.
- `words`: names, amounts, percentages and runs of years in words, and the summary sentences.
- `signposts`: the breadcrumbs back up the drill path, and a message (with a link to where figures
  exist) for each breakdown without a row.
- `assembly`: the filter form, the value toggle, a panel's downloads (`panel_downloads`, which the
  overview uses too) and `page`, the context the explorer template shows.

The words themselves (breakdown titles, value labels, country groups, status marks) are in
`funding.vocabulary`. Only what callers use is re-exported here.
"""

from .assembly import filter_form, only_shares, page, panel_downloads
from .drill import drill_links, drill_target, drill_url, reach, rows_coverage
from .words import money, summary, summary_query, year_list

__all__ = [
    "drill_links",
    "drill_target",
    "drill_url",
    "filter_form",
    "money",
    "only_shares",
    "page",
    "panel_downloads",
    "reach",
    "rows_coverage",
    "summary",
    "summary_query",
    "year_list",
]
