"""Forms: parse and validate what a user sends (a view's query string; an upload)."""

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _

from .importers import (
    DEFAULT_NUMBER_FORMAT,
    NUMBER_FORMAT_NAMES,
    TOTAL_KEYS,
    ReadOptions,
    member_key,
    provenance_problem,
    too_large_message,
)
from .models import MAX_YEAR, MIN_YEAR
from .selectors import ViewQuery, code_lists
from .vocabulary import (
    BREAKDOWNS,
    DEFAULT_FROM,
    DEFAULT_TO,
    DIMENSIONS,
    GROUPS,
    STATUS_NAMES,
    TOTAL,
    VALUES,
    Measure,
    Status,
    unit_of,
    years_in_words,
)

FILTER_PARAMS = {"from", "to", "source", "region", "input_type", "by", "group", "value", "year"}

_GIVEN_TIMES = gettext_lazy("Parameter '%(name)s' is given %(count)s times; give it once.")
_UNKNOWN_PARAMETER = gettext_lazy("Unknown parameter '%(name)s'.")
_UNKNOWN_OPTION = gettext_lazy("Unknown %(name)s '%(value)s'. Known: %(known)s.")
_NOT_FOR_FORMAT = gettext_lazy("Parameter '%(name)s' does not apply to .%(format)s files; .%(format)s takes %(known)s.")
_NOT_FOR_JSON = gettext_lazy("Parameter '%(name)s' does not apply to .%(format)s files; use it with %(formats)s.")
_UNKNOWN_GROUP = gettext_lazy("Unknown group '%(value)s'. Known codes: %(known)s.")
_SPACED = gettext_lazy(
    "Parameter '%(name)s' is given as '%(value)s', with a space before or after it (in an address, + is a "
    "space): give it without spaces."
)
# A value a message quotes is cut to this many characters: a message names the bad value, it does not
# repeat a page of it.
SHOWN_LENGTH = 40


class FilterError(ValueError):
    """A query string that does not make sense; `messages` name each bad parameter, each a sentence."""

    def __init__(self, messages):
        self.messages = messages
        super().__init__(self.text)

    @property
    def text(self):
        """The messages as one text: sentences one after another, as each ends with its own full stop."""
        return " ".join(str(message) for message in self.messages)


def shown(value):
    """A value given in a query string, as a message quotes it: as given, or its first SHOWN_LENGTH
    characters and an ellipsis."""
    return value if len(value) <= SHOWN_LENGTH else value[:SHOWN_LENGTH] + "…"


def _values(params, name, errors):
    """Every value of a parameter, as given; one with a space before or after it is an error, left out.
    A value is read as written (its case aside), never trimmed: `from=+1990` (a + is a space) is no
    year and `source=%20undp` no code, each named as such rather than silently read as another."""
    values = []
    for value in params.getlist(name):
        if value != value.strip():
            errors.append(_SPACED % {"name": shown(name), "value": shown(value)})
        else:
            values.append(value)
    return values


def _one(params, name, errors):
    """The value of a parameter given at most once, or None when absent (or refused: given twice, which
    is never a silent pick of one of them, or with spaces around it). Every parameter that takes one
    value is read here."""
    given = params.getlist(name)
    if len(given) > 1:
        errors.append(_GIVEN_TIMES % {"name": name, "count": len(given)})
        return None
    values = _values(params, name, errors)
    return values[0] if values else None


def _year(params, name, default, errors):
    text = _one(params, name, errors)
    if text is None:
        return default
    # Four ASCII digits: not "1990.0", "1e3" or "١٩٩٠" (digits that Python's int() would read).
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        errors.append(
            _("Parameter '%(name)s' must be a year such as %(example)s, not '%(value)s'.")
            % {"name": name, "example": default or DEFAULT_FROM, "value": shown(text)}
        )
        return default
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        errors.append(
            _("Parameter '%(name)s' must be a year between %(min)s and %(max)s, not %(year)s.")
            % {"name": name, "min": MIN_YEAR, "max": MAX_YEAR, "year": text}  # as given: "0001", not 1
        )
        return default
    return year


def _asked(params, names=DIMENSIONS):
    """The member codes a query string names, as _codes reads them: the code lists a page reads. Only
    what could be a code (a slug) is looked up; anything else is unknown anyway, and _codes names it
    (PostgreSQL refuses a NUL character in a query, so it must not reach one)."""
    return {
        name: sorted({code for value in params.getlist(name) if _SLUG.fullmatch(code := value.lower())})
        for name in names
    }


_SLUG = re.compile(r"[-a-z0-9_]+")


def _every_code(dim):
    """Every code of a code list but its total, members under a parent included (multi-bi): what an
    error names. Read only when a code is unknown, so a page reads only the members it can show."""
    return [m["code"] for m in code_lists()[f"{dim}s"] if m["code"] != TOTAL]


def _codes(params, name, known, errors, *, every=None):
    chosen = []
    for value in _values(params, name, errors):
        code = value.lower()
        if code not in known:
            errors.append(
                _("Unknown %(name)s '%(value)s'. Known codes: %(known)s.")
                % {"name": name, "value": shown(value), "known": ", ".join(every() if every else known)}
            )
        elif code not in chosen:
            chosen.append(code)
    return tuple(chosen)


def parse_filters(params: QueryDict, *, measure, allowed_extra=(), empty_range=False):
    """A view's query string -> (ViewQuery, code_lists()). Raises FilterError naming every bad parameter.

    Parameters: from, to (years), source, region and input_type (repeatable codes), by (repeatable:
    total, source, region, source-region, input_type), group (all or ldc), value (amount, share,
    change), year (the year a drill-down came through: shown in the breadcrumbs, never a filter of
    the data). `allowed_extra` names the further parameters a view understands; any other name is
    an error, never a silently ignored filter.
    `from` after `to` is an error for a page, which says so, and so is a `year` outside `from`-`to`; with
    `empty_range` (the API, whose OpenAPI description cannot say that `from` <= `to`) it is a range of no
    years and gives no rows, and `year`, which changes no row, is not held to the range.
    """
    if measure not in Measure.values:
        raise FilterError([_("Unknown measure '%(measure)s'.") % {"measure": measure}])
    errors = []
    for name in params:
        if name not in FILTER_PARAMS and name not in allowed_extra:
            errors.append(_UNKNOWN_PARAMETER % {"name": shown(name)})
    year_from = _year(params, "from", DEFAULT_FROM, errors)
    year_to = _year(params, "to", DEFAULT_TO, errors)
    focus_year = _year(params, "year", None, errors)
    if year_from > year_to and not empty_range:
        errors.append(
            _("Parameter 'from' (%(from)s) is after parameter 'to' (%(to)s).") % {"from": year_from, "to": year_to}
        )
    elif focus_year is not None and not empty_range and not year_from <= focus_year <= year_to:
        # The page's breadcrumbs would lead through a year it does not show.
        errors.append(
            _(
                "Parameter 'year' (%(year)s) is not one of the years shown, %(years)s: it names the year "
                "a drill-down came through."
            )
            % {"year": focus_year, "years": years_in_words(year_from, year_to)}
        )
    lists = code_lists(asked=_asked(params))

    def codes(dim):
        known = [m["code"] for m in lists[f"{dim}s"] if m["code"] != TOTAL]
        return _codes(params, dim, known, errors, every=lambda: _every_code(dim))

    sources, regions, input_types = codes("source"), codes("region"), codes("input_type")
    for dim, chosen_codes in (("source", sources), ("region", regions), ("input_type", input_types)):
        errors += _part_and_whole(lists, dim, chosen_codes)
    by = _codes(params, "by", list(BREAKDOWNS), errors) or ("total",)
    group = TOTAL
    if (given := _one(params, "group", errors)) is not None:
        group = GROUPS.get(given.lower())
        if group is None:
            errors.append(_UNKNOWN_GROUP % {"value": shown(given), "known": ", ".join(GROUPS)})
    value = "amount"
    if (given := _one(params, "value", errors)) is not None:
        value = given.lower()
        if value not in VALUES:
            errors.append(
                _("Unknown value '%(value)s'. Known: %(known)s.") % {"value": shown(given), "known": ", ".join(VALUES)}
            )
        elif value == "share" and unit_of(measure) == "countries":
            errors.append(
                _(
                    "A count of countries has no share: a country may receive from several sources and "
                    "regions, so counts are never added up. Use value=amount or value=change."
                )
            )
    if errors:
        raise FilterError(errors)
    return ViewQuery(
        measure=measure,
        year_from=year_from,
        year_to=year_to,
        sources=sources,
        regions=regions,
        input_types=input_types,
        by=by,
        group=group,
        value=value,
        focus_year=focus_year,
    ), lists


def _part_and_whole(lists, dim, chosen_codes):
    """A problem for each chosen member whose parent is chosen too (multi-bi and trust funds): the part
    is in its parent's published figure ("of which"), so the view's sum of its chosen members would
    count it twice (113,059 for 1996, 115% of the year's total)."""
    parents = {m["code"]: m["parent__code"] for m in lists[f"{dim}s"]}
    return [
        _(
            "In '%(name)s', '%(part)s' is part of '%(whole)s' (of which), so a view of both would count it twice: "
            "choose one of them."
        )
        % {"name": dim, "part": code, "whole": parents[code]}
        for code in chosen_codes
        if parents.get(code) in chosen_codes
    ]


OVERVIEW_PARAMS = ("from", "to")


def parse_overview(params: QueryDict):
    """The overview's query string -> (ViewQuery, code_lists()): `from` and `to` only. A filter the
    overview cannot apply is an error naming it, never silently ignored."""
    errors = [
        _("Parameter '%(name)s' does not apply to the overview; the Expenditure and Approvals explorers take it.")
        % {"name": name}
        for name in params
        if name in FILTER_PARAMS and name not in OVERVIEW_PARAMS
    ]
    try:
        parsed = parse_filters(params, measure=Measure.EXPENDITURE)
    except FilterError as error:
        errors += error.messages
    if errors:
        raise FilterError(errors)
    return parsed


# --- Export options (the `.csv` and `.xlsx` twins) ---------------------------------------------

EXPORT_CHOICES = {
    "layout": ("long", "wide"),
    "bom": ("0", "1"),
    "lang": ("en", "fr", "es"),
    "dialect": ("plain", "excel-fr"),
}
EXPORT_PARAMS = tuple(EXPORT_CHOICES)
# The options each format takes: any other is refused with a message naming it, never ignored
# (a workbook has no byte order mark and no separator; the JSON has neither layout nor language).
FORMAT_OPTIONS = {"csv": EXPORT_PARAMS, "xlsx": ("layout", "lang"), "json": ()}


@dataclass(frozen=True)
class ExportOptions:
    layout: str = "long"  # "long" (the upload template's columns) or "wide" (years as columns)
    # Start the CSV with a UTF-8 byte order mark, for Excel: True (bom=1), False (bom=0), or None
    # (not given: no mark, except with dialect=excel-fr).
    bom: bool | None = None
    lang: str = "en"  # language of the names and words (default: the address's, "/fr/expenditure.csv")
    # "plain": RFC 4180 (comma, decimal point, UTF-8); "excel-fr": for spreadsheets in comma-decimal
    # locales (French, German, Spanish... Excel and LibreOffice): semicolon, decimal comma, BOM.
    dialect: str = "plain"

    @property
    def writes_bom(self):
        return self.dialect == "excel-fr" if self.bom is None else self.bom


def _formats_taking(name):
    """The formats that take the export option `name`, as a message names them: ".csv or .xlsx", ".csv"."""
    formats = [f".{fmt}" for fmt, options in FORMAT_OPTIONS.items() if name in options]
    return pgettext("between the last two items of a list", " or ").join(
        [", ".join(formats[:-1]), formats[-1]] if len(formats) > 1 else formats
    )


def _not_for_format(params, fmt):
    message = _NOT_FOR_FORMAT if FORMAT_OPTIONS[fmt] else _NOT_FOR_JSON
    return [
        message
        % {"name": name, "format": fmt, "known": ", ".join(FORMAT_OPTIONS[fmt]), "formats": _formats_taking(name)}
        for name in EXPORT_PARAMS
        if name in params and name not in FORMAT_OPTIONS[fmt]
    ]


def parse_nothing(params: QueryDict):
    """The query string of an address that takes no parameter (the data package, the OpenAPI
    description): any parameter is refused by name, as everywhere, rather than ignored (each
    ignored one would also have been an entry of its own in the cache)."""
    if params:
        raise FilterError([_UNKNOWN_PARAMETER % {"name": shown(name)} for name in params])


def parse_json(params: QueryDict, *, measure):
    """A `.json` twin's query string: the page's parameters only. An export option (`layout`, `bom`,
    `lang`, `dialect`) is refused by name, as every parameter that does not apply."""
    errors = []
    try:
        parsed = parse_filters(params, measure=measure, allowed_extra=EXPORT_PARAMS, empty_range=True)
    except FilterError as error:
        errors += error.messages
    errors += _not_for_format(params, "json")
    if errors:
        raise FilterError(errors)
    return parsed


def parse_export(params: QueryDict, *, measure, fmt="csv"):
    """An export's query string (a page's parameters + the options of `fmt`: `layout`, `bom`, `lang`,
    `dialect` for "csv"; `layout`, `lang` for "xlsx") -> (ViewQuery, code_lists(), ExportOptions).
    Raises FilterError naming every bad parameter, filters and options, and every option that does
    not apply to the format.
    """
    errors = []
    try:
        query, lists = parse_filters(params, measure=measure, allowed_extra=EXPORT_PARAMS, empty_range=True)
    except FilterError as error:
        errors += error.messages
    errors += _not_for_format(params, fmt)
    chosen = {}
    for name in FORMAT_OPTIONS[fmt]:
        choices = EXPORT_CHOICES[name]
        given = _one(params, name, errors)
        if given is not None:
            value = given.lower()
            if value not in choices:
                errors.append(_UNKNOWN_OPTION % {"name": name, "value": shown(given), "known": ", ".join(choices)})
            chosen[name] = value
    if errors:
        raise FilterError(errors)
    options = ExportOptions(
        layout=chosen.get("layout", "long"),
        bom={"1": True, "0": False}.get(chosen.get("bom")),
        lang=chosen.get("lang", get_language() or "en"),
        dialect=chosen.get("dialect", "plain"),
    )
    return query, lists, options


# --- Uploads (releases) --------------------------------------------------------------------------


def checked_text(column, text):
    """A free text given in a form (a document, its URL, a note), stripped, held to the importer's rule
    for the file's column of the same name (importers.provenance_problem): one rule for every form's
    note, so that a withdrawal's reason refuses the control character an upload's note refuses. A
    control character in a document broke every SDMX-ML answer citing it (not well-formed XML), and
    one in a note was printed raw in the release history."""
    text = text.strip()
    problem = provenance_problem(column, text) if text else None
    if problem:
        raise forms.ValidationError(problem)
    return text


class UploadForm(forms.Form):
    """A file of figures to check and preview: the file, its number format, a note for the history."""

    file = forms.FileField(
        label=gettext_lazy("File of figures (.csv or .xlsx)"),
        help_text=gettext_lazy(
            "The upload template (one row per figure), the dashboard's wide export, or the appendix tables "
            "as printed (years as columns, a TOTAL row; one table a sheet or one under another). "
            "Amounts in thousands of US dollars."
        ),
        error_messages={
            "empty": gettext_lazy("The file is empty."),
            "required": gettext_lazy("Choose a file to upload."),
        },
    )
    number_format = forms.ChoiceField(
        label=gettext_lazy("How the file writes numbers"),
        choices=list(NUMBER_FORMAT_NAMES.items()),
        initial=DEFAULT_NUMBER_FORMAT,
        help_text=gettext_lazy("Every amount written as text is read this way and no other."),
    )
    # What a wide or appendix file does not say itself (the template's own columns win).
    measure = forms.ChoiceField(
        label=gettext_lazy("Measure"),
        required=False,
        choices=[("", gettext_lazy("As the file says (its title, or the export's name)")), *Measure.choices],
        help_text=gettext_lazy("For tables and wide files: expenditure or approvals."),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status of the figures"),
        required=False,
        choices=[("", gettext_lazy("As on record (new figures: published)"))]
        + [(label, STATUS_NAMES.get(label, label)) for _, label in Status.choices],
        help_text=gettext_lazy(
            "For tables, which carry no status, and a wide file's values whose status cell is empty."
        ),
    )
    document = forms.CharField(
        label=gettext_lazy("Document"),
        required=False,
        max_length=255,
        help_text=gettext_lazy(
            "For tables and wide files, e.g. 'GB.273/TC/1 (Nov 1998) Appendix I'. Empty: as on record."
        ),
    )
    document_url = forms.URLField(
        label=gettext_lazy("Document URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "The document's address (http or https). Empty: as on record, or none for a value whose document "
            "changes (the address on record is the old document's)."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the release history"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Where the figures come from, e.g. 'GB.273/TC/1 Appendix I, 1990-1992 expenditure'."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(too_large_message(upload.size, limit))
        return upload

    def clean_document(self):
        return checked_text("document", self.cleaned_data["document"])

    def clean_document_url(self):
        return checked_text("document_url", self.cleaned_data["document_url"])

    def clean_note(self):
        return checked_text("note", self.cleaned_data["note"])

    def read_options(self):
        """What the form says about the file, for importers.read_upload."""
        data = self.cleaned_data
        return ReadOptions(
            measure=data.get("measure", ""),
            status=data.get("status", ""),
            document=data.get("document", ""),
            document_url=data.get("document_url", ""),
        )


class PublishForm(forms.Form):
    """The fingerprint of the live values the user's preview was computed against."""

    fingerprint = forms.CharField(max_length=64, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Why is this release withdrawn? (kept in the history)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_note(self):
        return checked_text("note", self.cleaned_data["note"])


CELL_PARAMS = {"year", "source", "region", "input_type", "group"}


def parse_cell(params: QueryDict, *, measure):
    """A cell's query string (year, source, region, input_type, group; one each) -> dict of codes for
    selectors.cell_history, or None when no year is given yet. Raises FilterError naming each bad
    parameter. Source, region and type of input default to their totals (`_T`), the group to all
    countries."""
    errors = [_UNKNOWN_PARAMETER % {"name": shown(name)} for name in params if name not in CELL_PARAMS]
    year = _year(params, "year", None, errors)
    lists = code_lists(asked=_asked(params))
    cell = {"measure": measure, "year": year}
    for dim in DIMENSIONS:
        members = [m["code"] for m in lists[dim + "s"] if m["code"] != TOTAL]
        known = {code.lower(): code for code in members} | {"": TOTAL, "_t": TOTAL, "all": TOTAL, "total": TOTAL}
        given = _one(params, dim, errors)
        value = (given or TOTAL).lower()
        if value not in known:
            errors.append(
                _("Unknown %(name)s '%(value)s'. Known codes: %(known)s.")
                % {"name": dim, "value": shown(given), "known": ", ".join(["all", *_every_code(dim)])}
            )
        cell[dim] = known.get(value)
    given = _one(params, "group", errors)
    cell["group"] = GROUPS.get("all" if given is None else given.lower())
    if cell["group"] is None:
        errors.append(_UNKNOWN_GROUP % {"value": shown(given), "known": ", ".join(GROUPS)})
    if errors:
        raise FilterError(errors)
    return (cell if year is not None else None), lists


# A code is written in addresses, files and SDMX keys: lower-case words of letters and digits, joined
# by hyphens ("trust-funds"); the total member's is TOTAL ("_T").
MEMBER_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
SPELLING_FIELDS = ("code", "name", "name_fr", "name_es")


class CodeListMemberForm(forms.ModelForm):
    """A member of a code list (a source of funds, a region...) as a superuser adds or edits it in the
    admin. Each of its spellings (its code, its names in the three languages) names it in uploads:
    one that another member of its list has, or a word a reader takes for the total (`all`, `total`,
    `_T`...), would be read as that member or as the total, so it is refused (importers.member_key
    compares them as the loosest reader does). A part (multi-bi under trust funds) has a parent at the
    top of the list: never itself, the total, or a part; a member with parts is no part. The admin
    shows a code read-only once the member exists: every address and file already names it."""

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not MEMBER_CODE.fullmatch(code):
            raise forms.ValidationError(
                _(
                    "A code is lower-case letters and digits, words joined by hyphens (for example "
                    "trust-funds): it is written in addresses and files."
                )
            )
        return code

    def clean_colour(self):
        colour = self.cleaned_data["colour"]
        if not COLOUR.fullmatch(colour):
            raise forms.ValidationError(_("A colour is written #rrggbb (for example #1f77b4)."))
        return colour.lower()

    def clean(self):
        data = super().clean()
        member = self.instance
        is_total = (data.get("code") or member.code) == TOTAL
        taken = {}
        for other in type(member).objects.exclude(pk=member.pk).values(*SPELLING_FIELDS):
            for field in SPELLING_FIELDS:
                if other[field]:
                    taken.setdefault(member_key(other[field]), other["name"])
        for field in SPELLING_FIELDS:
            if field not in self.fields or not data.get(field):
                continue
            key = member_key(data[field])
            if key in TOTAL_KEYS and not is_total:
                self.add_error(
                    field,
                    _("'%(value)s' is read as the total in uploads: give the member another name.")
                    % {"value": data[field]},
                )
            elif key in taken:
                self.add_error(
                    field,
                    _("'%(value)s' already names %(other)s: in an upload it would be read as that member.")
                    % {"value": data[field], "other": taken[key]},
                )
        self._check_parent(data.get("parent"))
        return data

    def _check_parent(self, parent):
        member = self.instance
        if parent is None:
            return
        if member.pk is not None and parent.pk == member.pk:
            self.add_error("parent", _("A member cannot be a part of itself."))
        elif parent.code == TOTAL:
            self.add_error("parent", _("Every member is part of the total: leave the parent empty."))
        elif parent.parent_id is not None:
            self.add_error(
                "parent",
                _("%(parent)s is itself a part of %(whole)s: a part's parent is a member at the top of the list.")
                % {"parent": parent.name, "whole": parent.parent.name},
            )
        elif member.pk is not None and (parts := [part.name for part in member.children.all()]):
            self.add_error(
                "parent",
                _("%(name)s has parts of its own (%(parts)s), so it cannot be a part.")
                % {"name": member.name, "parts": ", ".join(parts)},
            )
