"""SDMX REST 2.1 on top of the selectors: structures (dataflow, data structure, concept scheme,
code lists) and data (generic and structure-specific SDMX-ML 2.1, SDMX-JSON 1.0, SDMX-CSV).

Written here, not with `sdmx1`'s model classes and writers. sdmx1 (pinned, used by the tests as a
real client) writes SDMX-ML structure messages and some data messages, but builds each message
whole in memory as one Python object per observation (no streaming), has no SDMX-JSON writer, and
writes SDMX-CSV 2.0 only, through pandas. The messages here are short text templates streamed from
the database cursor (kept whole, and so in the release-keyed cache, while an answer is at most
`caching.KEPT_WHOLE` bytes: caching.whole_or_streamed), and keeping sdmx1 out of the server means
the tests read our output with an independent implementation of the standard rather than the
writer's own reader.

The package: `model` (ids, dimension order, attributes, code lists as plain data), `structure`
(structure messages, references), `query` (paths and parameters -> what to read, SDMX errors),
`formats` (format= and Accept), `data` (the data writers, one a format: `WRITERS`), `xml` (escaping, header), `errors`.
Only what callers use is re-exported here.
"""

from .data import WRITERS
from .errors import error_message
from .formats import negotiate
from .model import FLOW, codelists
from .query import (
    NOT_SERVED,
    DataQuery,
    SdmxError,
    bad_request,
    no_resource,
    no_results,
    not_served,
    parse_data_params,
    parse_flow,
    parse_key,
    parse_structure,
)
from .structure import resolve, select, structure_message

__all__ = [
    "FLOW",
    "NOT_SERVED",
    "WRITERS",
    "DataQuery",
    "SdmxError",
    "bad_request",
    "codelists",
    "error_message",
    "negotiate",
    "no_resource",
    "no_results",
    "not_served",
    "parse_data_params",
    "parse_flow",
    "parse_key",
    "parse_structure",
    "resolve",
    "select",
    "structure_message",
]
