"""Spanish numbers as the ILO prints them in its Spanish tables: 112.930 and 1.234,5 (Django's default
for Spanish groups with a non-breaking space, as the RAE recommends)."""

from django.conf.locale.es.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "."
SHORT_DATETIME_FORMAT = "j N Y H:i"  # 2 dic. 2026 16:39 (see fr)
