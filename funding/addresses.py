"""One address per view: the canonical URL of every view, built here and nowhere else.

A view's query string names its parameters in the order of the filter form (from, to, source,
region, input_type, by, group, value, year) and leaves out every default, so one view has one address: the
explorer's links, breadcrumbs and messages, the overview's drill links and downloads, the twins'
links and the filter forms (`static/js/filters.js` drops the defaults a form would send) all
build it with `querystring` / `view_url`; the download links, the address an export cites for
itself and the briefing pack's are built here too (`downloads`, `export_url`, `briefing_url`).
`forms.parse_filters` reads it back.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import get_language

from .exporters import file_stem
from .forms import ExportOptions
from .vocabulary import DEFAULT_FROM, DEFAULT_TO, DIMENSIONS, TOTAL, chosen, group_param

# What a parameter is when the address leaves it out (the filter form's `data-default`s).
DEFAULTS = {"from": DEFAULT_FROM, "to": DEFAULT_TO, "by": "total", "group": "all", "value": "amount"}
# What the address of a cell's record leaves out (cell_url; the record's form's `data-default`s): a
# dimension at its total member, all countries.
CELL_DEFAULTS = {**dict.fromkeys(DIMENSIONS, TOTAL), "group": DEFAULTS["group"]}


def view_params(query):
    """The parameters of a view's canonical address, as (name, value) pairs in their order."""
    params = []
    if query.year_from != DEFAULT_FROM:
        params.append(("from", query.year_from))
    if query.year_to != DEFAULT_TO:
        params.append(("to", query.year_to))
    params += [(dim, code) for dim in DIMENSIONS for code in chosen(query, dim)]
    if tuple(query.by) != (DEFAULTS["by"],):
        params += [("by", breakdown) for breakdown in query.by]
    if query.group != TOTAL:
        params.append(("group", group_param(query.group)))
    if query.value != DEFAULTS["value"]:
        params.append(("value", query.value))
    if query.focus_year is not None:
        params.append(("year", query.focus_year))
    return params


def querystring(query):
    """The canonical query string of a view: "?source=undp&by=total&by=region", or "" for the default view."""
    params = view_params(query)
    return "?" + urlencode(params) if params else ""


def view_url(query, *, twin=None):
    """The address of the explorer page of `query` (its measure), or of its `.json`, `.csv` or `.xlsx`
    twin when `twin` names one."""
    name = query.measure if twin is None else f"{query.measure}-{twin}"
    return reverse(f"funding:{name}") + querystring(query)


def export_url(query, *, twin, options=None):
    """The address of a view's `.json`, `.csv` or `.xlsx` twin with its export options (a
    forms.ExportOptions, None for the JSON): the view's parameters, then each option that is not what
    the address gives without it, in the order forms.EXPORT_CHOICES names them (`bom` only where the
    dialect would write the other, `lang` only where it is not the address's language). The URL an
    export cites for itself (the JSON's `meta.url`, the About sheet's "Reproduce")."""
    url = view_url(query, twin=twin)
    if options is None:
        return url
    params = []
    if options.layout != "long":
        params.append(("layout", options.layout))
    if options.bom is not None and options.bom != (options.dialect == "excel-fr"):
        params.append(("bom", int(options.bom)))
    if options.lang != get_language():
        params.append(("lang", options.lang))
    if options.dialect != "plain":
        params.append(("dialect", options.dialect))
    return url + ("&" if "?" in url else "?") + urlencode(params) if params else url


# The download links a page offers for its view (templates/funding/_downloads.html): the format and
# the options of each (None: the JSON, which takes none).
DOWNLOADS = {
    "csv": ("csv", {}),
    "csv_excel": ("csv", {"bom": True}),  # a byte order mark, so that Excel reads accented names
    "csv_excel_fr": ("csv", {"dialect": "excel-fr"}),
    "xlsx": ("xlsx", {}),
    "json": ("json", None),
}


def downloads(query):
    """The download links of `query`'s view: {key of DOWNLOADS: {"href", "name"}}, each address the
    one the file cites for itself (export_url) and each name the one the server gives the file
    (exporters.file_stem), in the page's language, which the links' files are in (`/fr/` pages link
    to French files, `-fr`). The JSON opens in the browser: it has no file name."""
    links = {}
    for key, (twin, choices) in DOWNLOADS.items():
        options = None if choices is None else ExportOptions(lang=get_language() or "en", **choices)
        name = "" if options is None else f"{file_stem(query, **asdict(options))}.{twin}"
        links[key] = {"href": export_url(query, twin=twin, options=options), "name": name}
    return links


def _years(query):
    params = [(name, value) for name, value in view_params(query) if name in ("from", "to")]
    return "?" + urlencode(params) if params else ""


def overview_url(query):
    """The overview's address for the years of `query` (the only parameters it takes)."""
    return reverse("funding:overview") + _years(query)


def briefing_url(query):
    """The briefing pack's address for the years of `query`: the overview's, as a PDF."""
    return reverse("funding:briefing") + _years(query)


def history_url(query):
    """The record of the view's most specific figure: its drill year (or last year), its source,
    region and type of input where one is chosen, its country group."""
    return cell_url(
        query.measure,
        year=query.focus_year or query.year_to,
        codes={dim: codes[0] for dim in DIMENSIONS if len(codes := chosen(query, dim)) == 1},
        group=query.group,
    )


def cell_url(measure, *, year, codes, group=TOTAL):
    """The record of one cell (`/expenditure/history/?year=1995&input_type=training`): `codes` is
    {dimension: code}, a total member or a missing dimension left out, as forms.parse_cell reads it."""
    params = [("year", year)]
    params += [(dim, codes[dim]) for dim in DIMENSIONS if codes.get(dim) not in (None, TOTAL)]
    if group != TOTAL:
        params.append(("group", group_param(group)))
    return reverse(f"funding:{measure}-history") + "?" + urlencode(params)
