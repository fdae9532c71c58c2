"""The moment a release was uploaded, published or withdrawn, as every page writes it in every
language (`SHORT_DATETIME_FORMAT`, read by funding.events.moment_words alone, which the record, a
figure's record of values and the printed release line use, and the `moment` filter): the day,
the month abbreviated as the language abbreviates it (Django's "N": "déc.", "dic.", "Dec."; "M"
gave "Déc", which French does not write), the year and the time."""

from django.conf.locale.fr.formats import *  # noqa: F403

SHORT_DATETIME_FORMAT = "j N Y H:i"  # 2 déc. 2026 16:39
