"""The moment a release was uploaded, published or withdrawn, as its record writes it (see fr)."""

from django.conf.locale.en.formats import *  # noqa: F403

SHORT_DATETIME_FORMAT = "j N Y H:i"  # 2 Dec. 2026 16:39
