"""Small helpers to write SDMX-ML 2.1 as text: escaped elements, namespaces, the message header."""

from xml.sax.saxutils import escape, quoteattr

from ..exporters.tables import NOT_XML

BASE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/"
NAMESPACES = {
    "mes": BASE + "message",
    "com": BASE + "common",
    "str": BASE + "structure",
    "gen": BASE + "data/generic",
    "ss": BASE + "data/structurespecific",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _xml_text(value):
    return NOT_XML.sub("", str(value))


def xmlns(*prefixes, **extra):
    """The namespace declarations of a root element, as attributes."""
    declared = {f"xmlns:{p}": NAMESPACES[p] for p in prefixes}
    declared.update({f"xmlns:{p}": uri for p, uri in extra.items()})
    return declared


def attrs(values):
    return "".join(f" {name}={quoteattr(_xml_text(value))}" for name, value in values.items() if value is not None)


def element(tag, content="", **values):
    """`<tag a="..">content</tag>`, or `<tag a=".."/>` without content. Content is XML already."""
    values = {name.rstrip("_").replace("__", ":"): value for name, value in values.items()}
    if not content:
        return f"<{tag}{attrs(values)}/>"
    return f"<{tag}{attrs(values)}>{content}</{tag}>"


def text(tag, value, **values):
    return element(tag, escape(_xml_text(value)), **values)


def names(tag, localized):
    """One `<com:Name xml:lang="..">` (or Description) per language."""
    return "".join(text(tag, value, xml__lang=lang) for lang, value in localized.items())


def header(*, message_id, prepared, structure=""):
    """The `<mes:Header>` of every message: id, test flag, preparation time, sender, structure."""
    return element(
        "mes:Header",
        text("mes:ID", message_id)
        + text("mes:Test", "false")
        + text("mes:Prepared", prepared.strftime("%Y-%m-%dT%H:%M:%SZ"))
        + element("mes:Sender", text("com:Name", "tcdash", xml__lang="en"), id="ILO")
        + structure,
    )
