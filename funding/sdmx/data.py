"""SDMX data messages, written as they are read: SDMX-ML 2.1 generic and structure-specific data,
SDMX-JSON 1.0 data and SDMX-CSV 1.0 and 2.0, from the cells of `selectors.cells`.

Each writer is a generator of text chunks over cells ordered by series then year, so memory stays
flat however many observations a query matches (the JSON names the codes it used at the end).
"""

import csv
import io
import json
from collections import deque
from itertools import groupby

from ..exporters.tables import json_amount, neutralise
from .formats import CSV, CSV2, GENERIC, JSON, STRUCTURE_SPECIFIC
from .model import AGENCY, ATTRIBUTES, DIMENSIONS, DSD, FLOW, PRIMARY_MEASURE, TIME, VERSION, unit_attributes
from .xml import DECLARATION, element, header, xmlns

SERIES_DIMENSIONS = [(did, dim) for did, _, _, dim in DIMENSIONS]
FLOW_URN_ID = f"{AGENCY}:{FLOW}({VERSION})"


def series(cells, query):
    """Cells -> [(series key {dimension id: code}, observations)], with first/lastNObservations."""
    for key, group in groupby(cells, key=lambda c: tuple(c[dim] for _, dim in SERIES_DIMENSIONS)):
        observations = list(group)
        if query.first_n:
            observations = observations[: query.first_n]
        if query.last_n:
            observations = list(deque(observations, maxlen=query.last_n))
        yield dict(zip((did for did, _ in SERIES_DIMENSIONS), key, strict=True)), observations


def observation_attributes(cell):
    """{attribute id: value} of one observation; text attributes only where the cell has them."""
    unit, unit_mult = unit_attributes(cell["measure"])
    values = {"status": cell["status"], "unit": unit, "unit_mult": unit_mult}
    return {
        aid: values.get(name, cell.get(name)) or None
        for aid, _, _, _, name in ATTRIBUTES
        if values.get(name, cell.get(name))
    }


def _value(amount):
    return f"{amount:f}"


def _structure_header(query, *, message_id, prepared, namespace=None):
    structure = element(
        "mes:Structure",
        element("com:Structure", element("Ref", agencyID=AGENCY, id=DSD, version=VERSION)),
        structureID=DSD,
        namespace=namespace,
        dimensionAtObservation=query.dimension_at_observation,
    )
    return header(message_id=message_id, prepared=prepared, structure=structure)


def _parts(query):
    with_obs = query.detail in ("full", "dataonly")
    with_attributes = query.detail in ("full", "nodata")
    return with_obs, with_attributes


def generic(cells, query, *, message_id, prepared, **_):
    """SDMX-ML 2.1 generic data (SDMX's default data format)."""
    yield DECLARATION + f"<mes:GenericData{_xmlns('mes', 'com', 'gen')}>"
    yield _structure_header(query, message_id=message_id, prepared=prepared)
    yield element("mes:DataSet", "", structureRef=DSD)[:-2] + ">"
    with_obs, with_attributes = _parts(query)
    flat = query.dimension_at_observation == "AllDimensions"
    for key, observations in series(cells, query):
        chunk = []
        if not flat:
            chunk.append("<gen:Series>" + _gen_values("gen:SeriesKey", key))
        for cell in observations if with_obs else ():
            obs = (
                _gen_values("gen:ObsKey", {**key, TIME[0]: cell["year"]})
                if flat
                else element("gen:ObsDimension", value=cell["year"])
            )
            obs += element("gen:ObsValue", value=_value(cell["amount"]))
            if with_attributes:
                obs += _gen_values("gen:Attributes", observation_attributes(cell))
            chunk.append(element("gen:Obs", obs))
        if not flat:
            chunk.append("</gen:Series>")
        yield "".join(chunk)
    yield "</mes:DataSet></mes:GenericData>"


def _gen_values(tag, values):
    return element(tag, "".join(element("gen:Value", id=name, value=value) for name, value in values.items()))


def _xmlns(*prefixes, **extra):
    return "".join(f' {name}="{uri}"' for name, uri in xmlns(*prefixes, **extra).items())


def structure_specific(cells, query, *, message_id, prepared, **_):
    """SDMX-ML 2.1 structure-specific data: dimensions and attributes as XML attributes."""
    level = "AllDimensions" if query.dimension_at_observation == "AllDimensions" else f"ObsLevelDim:{TIME[0]}"
    namespace = f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={AGENCY}:{DSD}({VERSION}):{level}"
    yield DECLARATION + f"<mes:StructureSpecificData{_xmlns('mes', 'com', 'ss', 'xsi', ns1=namespace)}>"
    yield _structure_header(query, message_id=message_id, prepared=prepared, namespace=namespace)
    yield (
        element("mes:DataSet", "", ss__structureRef=DSD, xsi__type="ns1:DataSetType", ss__dataScope="DataStructure")[
            :-2
        ]
        + ">"
    )
    with_obs, with_attributes = _parts(query)
    flat = query.dimension_at_observation == "AllDimensions"
    for key, observations in series(cells, query):
        chunk = []
        for cell in observations if with_obs else ():
            values = {**key} if flat else {}
            values[TIME[0]] = cell["year"]
            values[PRIMARY_MEASURE[0]] = _value(cell["amount"])
            if with_attributes:
                values.update(observation_attributes(cell))
            chunk.append(element("Obs", **values))
        yield "".join(chunk) if flat else element("Series", "".join(chunk), **key)
    yield "</mes:DataSet></mes:StructureSpecificData>"


def _csv_line(values):
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def sdmx_csv(cells, query, *, version="1.0", **_):
    """SDMX-CSV 1.0 (`DATAFLOW` first) or 2.0 (`STRUCTURE,STRUCTURE_ID,ACTION` first): one line an
    observation, codes (not names), amounts as exact decimals. Without observations (detail
    serieskeysonly or nodata), one line a series key, its TIME_PERIOD and OBS_VALUE empty: every line
    has the header's columns, as CSV has no series element to hold a key alone.

    The attribute columns follow `detail`, as the standard has them, and are not an omission:
    - the SDMX-CSV 1.0 field guide (sdmx-twg/sdmx-csv, "Design principles") puts every dimension (one
      column each), then the measure (one column), then one column per attribute, and says the columns
      "for all attributes defined in the DSD are always present in the output, regardless of whether
      these attributes are used (unless of course the client makes use of the SDMX 2.1 RESTful detail
      parameter to disable the display of attributes)";
    - SDMX REST 2.1 (sdmx-rest, data queries) defines `detail`: `dataonly` excludes the attributes,
      `serieskeysonly` returns "only the series elements and the dimensions that make up the series
      keys", `nodata` the series "including attributes" without observations.
    So `full` and `nodata` have every attribute column (empty with nodata: all of ours are observation
    attributes, which a line without an observation has none of), while `dataonly` and `serieskeysonly`
    have none, the detail asked for having disabled them; TIME_PERIOD (a dimension) and OBS_VALUE (the
    measure) are always there. The generic and structure-specific messages leave the attributes out
    for the same details (`_parts`), so every format answers a detail alike.
    tests/test_sdmx.py::test_sdmx_csv_has_the_attribute_columns_that_its_detail_asks_for pins it."""
    lead = ["DATAFLOW"] if version == "1.0" else ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    lead_values = [FLOW_URN_ID] if version == "1.0" else ["dataflow", FLOW_URN_ID, "I"]
    with_obs, with_attributes = _parts(query)
    columns = [did for did, _ in SERIES_DIMENSIONS] + [TIME[0], PRIMARY_MEASURE[0]]
    attribute_ids = [a[0] for a in ATTRIBUTES] if with_attributes else []
    yield _csv_line(lead + columns + attribute_ids)
    for key, observations in series(cells, query):
        if not with_obs:
            yield _csv_line(lead_values + list(key.values()) + [""] * (2 + len(attribute_ids)))
            continue
        lines = []
        for cell in observations:
            attributes = observation_attributes(cell)
            lines.append(
                _csv_line(
                    lead_values
                    + list(key.values())
                    + [cell["year"], _value(cell["amount"])]
                    + [neutralise(str(attributes.get(aid, ""))) for aid in attribute_ids]
                )
            )
        yield "".join(lines)


class _Values:
    """The values a JSON message uses of one component, numbered in order of first use."""

    def __init__(self):
        self.index = {}

    def __call__(self, value):
        return self.index.setdefault(value, len(self.index))


def sdmx_json(cells, query, *, message_id, prepared, read_lists, **_):
    """SDMX-JSON 1.0 data: the data set first, then the structure naming every code it used, read
    once the data set is written (`read_lists` as for query.parse_key: only the codes used). With
    dimensionAtObservation=AllDimensions the observations sit in the data set, keyed by every dimension."""
    flat = query.dimension_at_observation == "AllDimensions"
    dims = {did: _Values() for did, _ in SERIES_DIMENSIONS}
    years = _Values()
    attribute_values = {a[0]: _Values() for a in ATTRIBUTES}
    with_obs, with_attributes = _parts(query)
    head = {
        "id": message_id,
        "test": False,
        "prepared": prepared.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sender": {"id": AGENCY, "name": "tcdash"},
    }
    level = "observations" if flat else "series"
    yield '{"header": ' + json.dumps(head) + ', "dataSets": [{"action": "Information", "' + level + '": {'
    first = True
    for key, observations in series(cells, query):
        index = ":".join(str(dims[did](code)) for did, code in key.items())
        obs = {}
        for cell in observations if with_obs else ():
            value = [json_amount(cell["amount"])]
            if with_attributes:
                attributes = observation_attributes(cell)
                value += [attribute_values[a[0]](attributes[a[0]]) if a[0] in attributes else None for a in ATTRIBUTES]
            obs[f"{index}:{years(cell['year'])}" if flat else str(years(cell["year"]))] = value
        if flat:
            chunk = ", ".join(json.dumps(k) + ": " + json.dumps(v) for k, v in obs.items())
        else:
            chunk = json.dumps(index) + ": " + json.dumps({"attributes": [], "observations": obs})
        if chunk:
            yield ("" if first else ", ") + chunk
            first = False
    lists = read_lists({dim: list(dims[did].index) for did, dim in SERIES_DIMENSIONS})
    structure = _json_structure(dims, years, attribute_values, lists=lists, flat=flat, with_attributes=with_attributes)
    yield '}}], "structure": ' + json.dumps(structure, ensure_ascii=False) + "}"


def _json_structure(dims, years, attribute_values, *, lists, flat, with_attributes):
    """The SDMX-JSON structure of a data message: every dimension and attribute with the codes the data
    set used, in the order it numbered them (`_Values`), named from the code lists."""
    names = {cl: {code["id"]: code["names"]["en"] for code in codes} for cl, codes in lists.items()}
    series_dims = [
        {
            "id": did,
            "name": name,
            "keyPosition": position,
            "values": [{"id": code, "name": names[cl].get(code, code)} for code in dims[did].index],
        }
        for position, (did, name, cl, _) in enumerate(DIMENSIONS)
    ]
    time = {
        "id": TIME[0],
        "name": TIME[1],
        "keyPosition": len(DIMENSIONS),
        "role": "time",
        "values": [{"id": str(year), "name": str(year)} for year in years.index],
    }
    attributes = []
    for aid, name, cl, _, _ in ATTRIBUTES if with_attributes else ():
        used = attribute_values[aid].index
        values = [{"id": v, "name": names[cl].get(v, v)} if cl else {"name": v} for v in used]
        attributes.append({"id": aid, "name": name, "values": values})
    structure = {
        "links": [{"rel": "dataflow", "urn": f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={FLOW_URN_ID}"}],
        "name": FLOW,
        "dimensions": {
            "dataSet": [],
            "series": [] if flat else series_dims,
            "observation": [*series_dims, time] if flat else [time],
        },
        "attributes": {"dataSet": [], "series": [], "observation": attributes},
    }
    return structure


# The writer of each data format (formats.negotiate's answer).
WRITERS = {
    GENERIC: generic,
    STRUCTURE_SPECIFIC: structure_specific,
    JSON: sdmx_json,
    CSV: sdmx_csv,
    CSV2: lambda cells, query, **kw: sdmx_csv(cells, query, version="2.0", **kw),
}
