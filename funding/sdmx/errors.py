"""SDMX error messages: SDMX-ML 2.1 `<mes:Error>`, or the SDMX-JSON errors object for JSON."""

import json

from .formats import JSON
from .xml import DECLARATION, element, text, xmlns


def error_message(error, *, media_type=None):
    """(body, content type) of the message that answers `error` (a query.SdmxError)."""
    if media_type == JSON:
        body = {"errors": [{"code": error.code, "title": error.text, "detail": error.text}]}
        return json.dumps(body), "application/json; charset=utf-8"
    body = element(
        "mes:Error",
        element("mes:ErrorMessage", text("com:Text", error.text, xml__lang="en"), code=str(error.code)),
        **xmlns("mes", "com"),
    )
    return DECLARATION + body, "application/xml; charset=utf-8"
