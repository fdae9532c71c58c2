"""The briefing pack's PDF: the overview's panels through templates/funding/briefing.html and WeasyPrint;
and the pages' print line, in the pack's words (the release and its date, the address of the view).

WeasyPrint lays out HTML and CSS as print (A4 pages, running footers with page numbers) in the
process itself, offline, and keeps SVG as vector graphics; the figures are drawn as SVG in Python
(`funding.briefing`) from the same figure dicts as the page, so the pack and the page never differ.
"""

import base64

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..briefing import figure_svg
from ..charts import year_blocks
from ..events import moment_words
from ..selectors import live_release
from ..vocabulary import years_in_words


def release_words(release):
    """The release a pack or a printed page shows, with its date of publication, in the active language."""
    if release is None:
        return _("No release has been published yet.")
    return _("Release %(id)s: %(title)s, published %(date)s") % {
        "id": release.pk,
        "title": release.shown_title,
        "date": moment_words(release.published_at),
    }


def print_line(request, address):
    """What a page prints above its content and at the foot of every sheet, as the pack does: the live
    release with its date, and `address` (the view's canonical one) made absolute, to open it again."""
    return {"print_release": release_words(live_release()), "print_url": request.build_absolute_uri(address)}


def briefing_document(*, panels, query, release, url, base_url, key_facts=None):
    """PDF bytes of the pack: a cover line (years, release and its date, the URL), then one page a
    figure, then the key facts (the overview's: the recipient countries, with their documents)."""
    from weasyprint import HTML  # imported here: only the PDF needs it, and it loads Pango on import

    for panel in panels:
        svg = figure_svg(panel["figure"], title=panel["title"])
        panel["svg_uri"] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
        panel["table_blocks"] = year_blocks(panel["table"])
    release_line = release_words(release)
    heading = _("ILO technical cooperation, %(years)s") % {"years": years_in_words(query.year_from, query.year_to)}
    context = {
        "panels": panels,
        "key_facts": key_facts,
        "heading": heading,
        "release_line": release_line,
        "footer_line": f"tcdash · {release_line}",
        "page_word": _("Page"),
        "url": url,
    }
    html = render_to_string("funding/briefing.html", context)
    return HTML(string=html, base_url=base_url).write_pdf()
