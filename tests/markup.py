"""Pages read as a browser reads them: parsed HTML (lxml), never regular expressions over the markup."""

import copy
import json
import re

from lxml import html as lxml_html


def body(response):
    """A response's bytes as the client receives them, streamed or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def parse(page):
    """A response, bytes or text -> the parsed document (an lxml element)."""
    content = getattr(page, "content", page)
    return lxml_html.fromstring(content.decode() if isinstance(content, bytes) else content)


def text(element, *, leave_out=()):
    """An element's text, each run of spaces, tabs and newlines as one space (the no-break spaces the
    locales write numbers with are kept); `leave_out`: XPaths of the parts to drop first."""
    if leave_out:
        element = copy.deepcopy(element)
        for part in element.xpath("|".join(leave_out)):
            part.drop_tree()
    return re.sub(r"[ \t\r\n]+", " ", element.text_content()).strip()


def words(page):
    """A page's (or an element's) text as read cell by cell: every text node, each run of spaces, tabs
    and newlines as one space, the nodes joined by a space (`<td>1</td><td>2</td>` reads "1 2")."""
    element = parse(page) if hasattr(page, "content") or isinstance(page, (bytes, str)) else page
    return " ".join(part for node in element.xpath(".//text()") if (part := re.sub(r"[ \t\r\n]+", " ", node).strip()))


def one(element, xpath):
    """The single element `xpath` finds (fails if it finds none or several)."""
    found = element.xpath(xpath)
    assert len(found) == 1, f"{xpath}: {len(found)} found"
    return found[0]


CHART_SPECS = './/script[@type="application/json"][substring(@id, string-length(@id) - 10) = "-chart-spec"]'


def chart_specs(element):
    """{chart id: the JSON it is drawn from} of every chart on a page."""
    return {spec.get("id").removesuffix("-spec"): json.loads(spec.text) for spec in element.xpath(CHART_SPECS)}


def chart_spec(element, chart_id=None):
    """The JSON a chart is drawn from (its json_script); without `chart_id`, the only chart's."""
    spec = one(element, CHART_SPECS if chart_id is None else f'.//script[@id="{chart_id}-spec"]')
    return json.loads(spec.text)
