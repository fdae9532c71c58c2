"""The SDMX structures of the cube: ids, dimensions, attributes and code lists, as plain data.

Dimension order (the order of a data key): MEASURE.SOURCE.REGION.COUNTRY_GROUP.INPUT_TYPE, then the
time dimension TIME_PERIOD (years). Code ids are the app's own codes, unchanged, so a key reads like
the CSV it matches: `expenditure.undp._T._T._T` is UNDP's expenditure, `_T` a total member.
"""

from ..vocabulary import (
    MEASURE_TITLES,
    PUBLISHED_MEANING,
    SDMX_UNITS,
    STATUS_MEANINGS,
    TOTAL,
    Measure,
    Status,
    in_every_language,
    unit_of,
)

AGENCY = "ILO"
FLOW = "TC_FUNDING"
VERSION = "1.0"
DSD = "DSD_TC_FUNDING"
CONCEPTS = "CS_TC_FUNDING"
SENDER = "tcdash"
FLOW_NAME = "ILO technical cooperation: expenditure and extra-budgetary approvals"
FLOW_DESCRIPTION = (
    "The tables the ILO published to its Governing Body, as cells of one cube: each dimension has an "
    "explicit total member _T, a total is the printed total (never re-added from its parts), and the "
    "by-source and by-region tables are two views of the same money. Amounts in thousands of US dollars; "
    "the shares the documents state without amounts (measure expenditure-share) in per cent of the year's "
    "total, the recipient countries in countries: each observation's UNIT_MEASURE and UNIT_MULT say which."
)

# (dimension id, concept name, code list id, the app's dimension)
DIMENSIONS = (
    ("MEASURE", "Measure", "CL_MEASURE", "measure"),
    ("SOURCE", "Source of funds", "CL_SOURCE", "source"),
    ("REGION", "Region", "CL_REGION", "region"),
    ("COUNTRY_GROUP", "Country group", "CL_COUNTRY_GROUP", "country_group"),
    ("INPUT_TYPE", "Type of input", "CL_INPUT_TYPE", "input_type"),
)
TIME = ("TIME_PERIOD", "Time period (year)")
PRIMARY_MEASURE = ("OBS_VALUE", "Observation value")
# (attribute id, concept name, code list id or None for text, mandatory, the cell's field)
ATTRIBUTES = (
    ("OBS_STATUS", "Observation status", "CL_OBS_STATUS", True, "status"),
    ("UNIT_MEASURE", "Unit of measure", "CL_UNIT", True, "unit"),
    ("UNIT_MULT", "Unit multiplier", "CL_UNIT_MULT", True, "unit_mult"),
    ("DOCUMENT", "Document the value is published in", None, False, "document"),
    ("DOCUMENT_URL", "Address of the document", None, False, "document_url"),
    ("COMMENT_OBS", "Note on the observation", None, False, "note"),
)
CODELIST_NAMES = {
    "CL_MEASURE": "Measure",
    "CL_SOURCE": "Source of funds",
    "CL_REGION": "Region",
    "CL_COUNTRY_GROUP": "Country group",
    "CL_INPUT_TYPE": "Type of input",
    "CL_OBS_STATUS": "Observation status",
    "CL_UNIT": "Unit of measure",
    "CL_UNIT_MULT": "Unit multiplier",
}
# Each measure's unit, which the measure fixes (vocabulary.MEASURE_UNITS): an amount is thousands of
# US dollars (unit USD, multiplier 10^3), a stated share per cent of the year's total (PT, 10^0), a
# count of countries (COUNTRIES, 10^0). UNIT_MEASURE and UNIT_MULT are attributes, not dimensions: the
# key of a cell is the same whatever its unit, and no two units ever share a series.
UNIT_CODES = {
    "USD": ("US dollars", {"fr": "dollars des États-Unis", "es": "dólares de los Estados Unidos"}),
    "PT": (
        "Per cent of the year's total",
        {"fr": "Pour cent du total de l'année", "es": "Por ciento del total del año"},
    ),
    "COUNTRIES": ("Countries", {"fr": "Pays", "es": "Países"}),
}


def unit_attributes(measure):
    """(UNIT_MEASURE, UNIT_MULT) of a measure's every observation."""
    return SDMX_UNITS[unit_of(measure)]


# A status code is named by what it means (CL_OBS_STATUS.rounded: "Stated rounded in the text ...").
STATUS_CODE_NAMES = {"published": PUBLISHED_MEANING, **STATUS_MEANINGS}


def _sentence(text):
    """A name as a sentence begins it: the first letter in capitals, the rest as written ("The ILO ...")."""
    return text[:1].upper() + text[1:]


def _vocabulary_code(code, words, shape=str):
    """A code named by the vocabulary's translatable words, in each of the app's languages: the same
    catalogues the pages and exports read, so the code lists say what the XLSX About sheet says."""
    names = {lang: shape(text) for lang, text in in_every_language(words).items()}
    return {"id": code, "names": names, "parent": None}


def _code(code, name, translations=None, parent=None):
    names = {"en": str(name)}
    names.update({lang: str(text) for lang, text in (translations or {}).items() if text})
    return {"id": code, "names": names, "parent": parent}


def _translations(member):
    """{"fr": ..., "es": ...} from a member's `name_xx` fields (empty ones left out)."""
    return {key[5:]: value for key, value in member.items() if key.startswith("name_") and value}


def codelists(members):
    """{code list id: [{"id", "names": {lang: name}, "parent"}]} from selectors.dimension_members().

    Names in English, and in every other language the code list has names in (French, Spanish). A member's
    parent is its parent in the code list (a country under its region), or `_T` for a top-level
    member: in SDMX terms the total is the parent of what it sums, so a client can draw the hierarchy.
    """
    lists = {
        "CL_MEASURE": [_vocabulary_code(m.value, MEASURE_TITLES[m]) for m in Measure],
        "CL_OBS_STATUS": [_vocabulary_code(s.label, STATUS_CODE_NAMES[s.label], _sentence) for s in Status],
        "CL_UNIT": [_code(code, name, names) for code, (name, names) in UNIT_CODES.items()],
        "CL_UNIT_MULT": [
            _code("0", "Units", {"fr": "Unités", "es": "Unidades"}),
            _code("3", "Thousands", {"fr": "Milliers", "es": "Miles"}),
        ],
    }
    for _, _, codelist, dim in DIMENSIONS[1:]:
        lists[codelist] = [
            _code(m["code"], m["name"], _translations(m), m["parent__code"] or (TOTAL if m["code"] != TOTAL else None))
            for m in members[dim]
        ]
    return lists
