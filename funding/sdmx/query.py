"""SDMX REST 2.1 requests -> what to read and how to answer: the data query (flow, key, periods,
release, detail) and the structure query, with SDMX's errors for whatever does not parse."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models import MAX_YEAR, MIN_YEAR
from .model import AGENCY, DIMENSIONS, DSD, FLOW, VERSION
from .structure import OTHER_TYPES, REFERENCES, TYPES

# SDMX error codes and their HTTP statuses (SDMX REST 2.1, "Error handling").
NO_RESULTS = (100, 404)
SYNTAX = (140, 400)
NOT_IMPLEMENTED = (501, 501)
NOT_ACCEPTABLE = (1000, 406)


class SdmxError(Exception):
    """A request SDMX answers with an error message: `code` (SDMX), `status` (HTTP), `text`."""

    def __init__(self, kind, text):
        super().__init__(text)
        self.code, self.status = kind
        self.text = text


def no_results():
    return SdmxError(NO_RESULTS, "No results found")


# The resources of SDMX REST 2.1 besides data and the structures: tcdash serves none of them, so a
# query for one is SDMX's 501 "not implemented" (at any depth), neither the 400 of a structure type
# SDMX does not know nor the 404 of an address naming no resource. Each with where to look instead.
NOT_SERVED = {
    "availableconstraint": f"For the series that have data, ask /sdmx/data/{FLOW}/all?detail=serieskeysonly.",
    "metadata": "There is no reference metadata: each value's document and note are attributes of the data.",
    "schema": f"The data structure is at /sdmx/datastructure/{AGENCY}/{DSD}/{VERSION}.",
}


def not_served(resource):
    """The 501 of an SDMX 2.1 resource tcdash does not serve (one of NOT_SERVED)."""
    return SdmxError(NOT_IMPLEMENTED, f"The SDMX resource '{resource}' is not served here. {NOT_SERVED[resource]}")


def bad_request(text):
    """The 400 of a request whose parameters cannot be read (too many of them): SDMX's syntax error."""
    return SdmxError(SYNTAX, text)


def no_resource(path):
    """The 404 of an address under /sdmx/ that names no SDMX resource (`/sdmx/`, `/sdmx/data/`): SDMX's
    "No results found" (code 100), saying which addresses the service answers."""
    return SdmxError(
        NO_RESULTS,
        f"No results found: '{path[:200]}' is no SDMX resource. Data: /sdmx/data/FLOW[/KEY[/PROVIDER]], "
        f"e.g. /sdmx/data/{FLOW}/all; structures: /sdmx/TYPE[/AGENCY[/ID[/VERSION]]], "
        f"e.g. /sdmx/dataflow/{AGENCY}/{FLOW}/{VERSION}.",
    )


@dataclass(frozen=True)
class DataQuery:
    """A parsed data query: codes per dimension (empty: every code), years, release, options."""

    members: dict = field(default_factory=dict)  # the app's dimension -> tuple of codes
    year_from: int | None = None
    year_to: int | None = None
    release: int | None = None
    detail: str = "full"
    dimension_at_observation: str = "TIME_PERIOD"
    first_n: int | None = None
    last_n: int | None = None


DATA_PARAMS = {
    "startPeriod",
    "endPeriod",
    "detail",
    "dimensionAtObservation",
    "firstNObservations",
    "lastNObservations",
    "includeHistory",
    "updatedAfter",
    "format",
    "release",
}
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")
# A structure query's details in SDMX 2.1: only "full" is served (501 for the others, 400 for none of them).
STRUCTURE_DETAILS = (
    "full",
    "allstubs",
    "referencestubs",
    "allcompletestubs",
    "referencecompletestubs",
    "referencepartial",
)
# What dimensionAtObservation may name: a dimension, the time, or every dimension (a flat list).
AT_OBSERVATION = ("TIME_PERIOD", "AllDimensions")
# ASCII digits only (`\d` alone also takes "١٩٩٥"), and the whole text (`$` alone lets a final newline by).
PERIOD = re.compile(r"(\d{4})(-(\d{2}|\d{2}-\d{2}|A1|S[12]|Q[1-4]|M\d{2}|W\d{2}|D\d{3}))?", re.ASCII)


def parse_flow(flow_ref):
    """`TC_FUNDING`, `ILO,TC_FUNDING`, `ILO,TC_FUNDING,1.0` (or `latest`, `all`) -> None, or raise 404."""
    parts = flow_ref.split(",")
    if len(parts) > 3:
        raise SdmxError(
            SYNTAX, f"Bad flow reference '{flow_ref}': give AGENCY,FLOW,VERSION, e.g. {AGENCY},{FLOW},{VERSION}."
        )
    if len(parts) == 1:
        parts = ["all", *parts]
    agency, flow, version = (parts + ["latest"])[:3]
    if agency not in ("all", AGENCY) or flow != FLOW or version not in ("all", "latest", VERSION):
        raise no_results()


def parse_key(key, read_lists):
    """A data key (`expenditure.undp+rbtc._T..`, or `all`) -> {the app's dimension: codes}.

    One position per dimension, in DIMENSIONS' order, separated by dots; an empty position is
    every code; `+` joins several codes. Codes are matched as written or in any case. Raises a
    400 naming the bad position and the codes it takes.

    `read_lists(codes)` gives the code lists (model.codelists) holding only the members `codes`
    ({the app's dimension: codes as written, or None for every member}) names: the key's codes are
    looked up, and a whole code list is read only to name its codes for an unknown one."""
    if key in ("all", ""):
        return {}
    if any(ord(char) < 32 for char in key):  # a NUL is no code, and PostgreSQL refuses it in a query
        raise SdmxError(SYNTAX, f"Bad key {key!r}: it holds a control character, which no code has.")
    positions = key.split(".")
    if len(positions) != len(DIMENSIONS):
        order = ".".join(d[0] for d in DIMENSIONS)
        raise SdmxError(
            SYNTAX, f"Bad key '{key}': it has {len(positions)} positions, the key has {len(DIMENSIONS)} ({order})."
        )
    asked = {
        dim: position.split("+") for position, (_, _, _, dim) in zip(positions, DIMENSIONS, strict=True) if position
    }
    lists = read_lists(asked)
    members = {}
    for position, (did, _, codelist, dim) in zip(positions, DIMENSIONS, strict=True):
        if not position:
            continue
        known = {code["id"].lower(): code["id"] for code in lists[codelist]}
        chosen = []
        for code in asked[dim]:
            if code.lower() not in known:
                every = ", ".join({c["id"].lower(): c["id"] for c in read_lists({dim: None})[codelist]}.values())
                raise SdmxError(SYNTAX, f"Bad key '{key}': '{code}' is not a code of {did}. Its codes: {every}.")
            chosen.append(known[code.lower()])
        members[dim] = tuple(dict.fromkeys(chosen))
    return members


def _one(params, name):
    values = params.getlist(name)
    if len(values) > 1:
        raise SdmxError(SYNTAX, f"Parameter '{name}' is given {len(values)} times; give it once.")
    return values[0] if values else None


def period_days(text):
    """An SDMX period -> (its first day, its last day), or None if it is none: `1995`, `1995-07`,
    `1995-07-14`, and the reporting periods `1995-A1`, `-S2`, `-Q3`, `-M07`, `-W28` (ISO weeks), `-D195`."""
    match = PERIOD.fullmatch(text)
    if not match:
        return None
    year, part = int(match.group(1)), match.group(3)
    try:
        if part is None or part == "A1":
            return date(year, 1, 1), date(year, 12, 31)
        if part[0] in "SQM" or part.isdigit():  # a half, a quarter or a month: so many months from January
            size = {"S": 6, "Q": 3}.get(part[0], 1)
            number = int(part.lstrip("SQM"))
            if not 1 <= number <= 12 // size:
                return None
            first = date(year, (number - 1) * size + 1, 1)
            after = date(year + 1, 1, 1) if number * size == 12 else date(year, number * size + 1, 1)
            return first, after - timedelta(days=1)
        if part[0] == "W":
            first = date.fromisocalendar(year, int(part[1:]), 1)
            return first, first + timedelta(days=6)
        if part[0] == "D":
            first = date(year, 1, 1) + timedelta(days=int(part[1:]) - 1)
            return (first, first) if first.year == year and int(part[1:]) >= 1 else None
        day = date(year, int(part[:2]), int(part[3:]))  # a date, YYYY-MM-DD
        return day, day
    except ValueError:  # no such month, week or day (1995-13, 1995-W54, 1995-02-30), or year 0
        return None


def _period(params, name):
    """The first and last day of the period `name` gives, or None when it is not given."""
    value = _one(params, name)
    if value is None:
        return None
    days = period_days(value)  # as given: " 1995" (startPeriod=+1995) is no period
    if days is None:
        raise SdmxError(SYNTAX, f"Parameter '{name}' must be a period such as 1995 or 1995-01, not '{value[:40]}'.")
    return days


def _count(params, name):
    value = _one(params, name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and value.strip("0")):
        raise SdmxError(SYNTAX, f"Parameter '{name}' must be a whole number above 0, not '{value[:40]}'.")
    # A series has one observation a year: more than that many is all of them (and a number of any
    # length, 2**63 or 5,000 digits, is no count to allocate for).
    most = MAX_YEAR - MIN_YEAR + 1
    return most if len(value.lstrip("0")) > len(str(most)) else min(int(value), most)


def parse_data_params(params, *, releases):
    """The query string of a data query -> DataQuery fields (not the key). `releases` is the ids of
    the published and withdrawn releases, for `release=`. Raises SdmxError naming what is wrong."""
    unknown = sorted(set(params) - DATA_PARAMS)
    if unknown:
        raise SdmxError(SYNTAX, f"Unknown parameter '{unknown[0]}'. Known: {', '.join(sorted(DATA_PARAMS))}.")
    start, end = _period(params, "startPeriod"), _period(params, "endPeriod")
    # Compared as the days they span, whatever their formats: 1995-S2 starts after 1995-S1 ends.
    if start is not None and end is not None and start[0] > end[1]:
        given = {name: params[name] for name in ("startPeriod", "endPeriod")}
        raise SdmxError(SYNTAX, f"startPeriod ({given['startPeriod']}) is after endPeriod ({given['endPeriod']}).")
    # Annual observations: a period takes in every year it overlaps.
    year_from = start[0].year if start else None
    year_to = end[1].year if end else None
    detail = _one(params, "detail") or "full"
    if detail not in DETAILS:
        raise SdmxError(SYNTAX, f"Unknown detail '{detail}'. Known: {', '.join(DETAILS)}.")
    at_observation = _one(params, "dimensionAtObservation") or "TIME_PERIOD"
    if at_observation not in AT_OBSERVATION:
        dimensions = [dim_id for dim_id, *_ in DIMENSIONS]
        if at_observation not in dimensions:  # not a dimension: a bad request, not one tcdash leaves unserved
            raise SdmxError(
                SYNTAX,
                f"Unknown dimensionAtObservation '{at_observation[:40]}'. "
                f"Known: {', '.join([*AT_OBSERVATION, *dimensions])}.",
            )
        raise SdmxError(
            NOT_IMPLEMENTED, f"dimensionAtObservation={at_observation}: only TIME_PERIOD and AllDimensions are served."
        )
    if (_one(params, "includeHistory") or "false") != "false":
        raise SdmxError(NOT_IMPLEMENTED, "includeHistory: use release= for the values as an earlier release left them.")
    if _one(params, "updatedAfter") is not None:
        raise SdmxError(NOT_IMPLEMENTED, "updatedAfter is not served: use release= for an earlier release's values.")
    release = _one(params, "release")
    if release is not None:
        if not (release.isascii() and release.isdigit() and int(release) in releases):
            known = ", ".join(str(r) for r in sorted(releases)) or "none"
            raise SdmxError(SYNTAX, f"Unknown release '{release}'. Published releases: {known}.")
        release = int(release)
    return {
        "year_from": year_from,
        "year_to": year_to,
        "release": release,
        "detail": detail,
        "dimension_at_observation": at_observation,
        "first_n": _count(params, "firstNObservations"),
        "last_n": _count(params, "lastNObservations"),
    }


STRUCTURE_PARAMS = {"references", "detail", "format"}


def parse_structure(kind, params):
    """A structure query's type and query string -> the `references` asked for. Raises SdmxError."""
    if kind not in TYPES and kind not in OTHER_TYPES:
        raise SdmxError(SYNTAX, f"Unknown structure type '{kind}'. Known: {', '.join(sorted({*TYPES, *OTHER_TYPES}))}.")
    unknown = sorted(set(params) - STRUCTURE_PARAMS)
    if unknown:
        raise SdmxError(SYNTAX, f"Unknown parameter '{unknown[0]}'. Known: {', '.join(sorted(STRUCTURE_PARAMS))}.")
    references = _one(params, "references") or "none"
    if references not in REFERENCES and references not in TYPES and references not in OTHER_TYPES:
        raise SdmxError(
            SYNTAX, f"Unknown references '{references}'. Known: {', '.join(REFERENCES)}, or a structure type."
        )
    detail = _one(params, "detail") or "full"
    if detail not in STRUCTURE_DETAILS:
        raise SdmxError(SYNTAX, f"Unknown detail '{detail[:40]}'. Known: {', '.join(STRUCTURE_DETAILS)}.")
    if detail != "full":
        raise SdmxError(NOT_IMPLEMENTED, f"detail={detail}: only full structures are served.")
    return references
