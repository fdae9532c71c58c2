"""Links to documents: which stored text may become a link on a page, and why another may not.

One rule for the importer (a `document_url` that breaks it is refused with its row) and for the
templates (a value that breaks it, stored before the rule existed, is shown as text, never as a
link): an absolute `http` or `https` URL of at most 500 characters, without spaces or control
characters or any a URI cannot hold (`"`, `<`, `>`...). `javascript:`, `data:`, relative and
formula-like values are not links.
"""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_URL_LENGTH = 500  # Observation.document_url's max_length
_web_url = URLValidator(schemes=("http", "https"))
# Characters a URI never holds unencoded (RFC 3986): `https://e.com/a"><script>` is no address.
NOT_IN_URLS = frozenset('"<>\\^`{|}')


def url_problem(text):
    """Why `text` is not a document link we accept (a sentence), or None when it is one."""
    if len(text) > MAX_URL_LENGTH:
        return _("The document URL is %(length)s characters long; at most %(limit)s are accepted.") % {
            "length": number_format(len(text), force_grouping=True),
            "limit": MAX_URL_LENGTH,
        }
    if any(c.isspace() or not c.isprintable() for c in text):
        return _("The document URL holds spaces or control characters; write it as one web address.")
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme not in ("http", "https"):
        shown = text if len(text) <= 60 else text[:57] + "..."
        return _(
            "'%(text)s' is not a web address: a document URL starts with http:// or https:// "
            "(for example https://www.ilo.org/...)."
        ) % {"text": shown}
    try:
        if NOT_IN_URLS.intersection(text):  # which Django's validator lets through
            raise ValidationError("characters a URI cannot hold")
        _web_url(text)
    except ValidationError:
        return _("'%(text)s' is not a valid web address.") % {"text": text}
    return None


def is_web_link(text):
    """True when `text` may be rendered as a link (see url_problem)."""
    return bool(text) and isinstance(text, str) and url_problem(text) is None
