"""The release record's lines (funding/events.py): the words in each language, and a colon only
where words follow it."""

import datetime
import re

import pytest
from django.utils import translation

from funding.events import describe_event, event_line, publish_facts, withdraw_facts
from tests.markup import parse, text

AT = datetime.datetime(2026, 12, 2, 16, 39, tzinfo=datetime.UTC)
PUBLISH = publish_facts(new=1, changed=2, amount=2, status=0, provenance=0, unchanged=0)


def line(language, **event):
    with translation.override(language):
        return event_line(at=AT, **{"label": "Uploaded", "action": "upload", "facts": {}, **event})


@pytest.mark.parametrize("detail", ["", "   ", "\n"])
def test_event_line_without_words_stops_at_the_time_or_the_name(detail):
    assert line("en", detail=detail) == "Uploaded 2 Dec. 2026 16:39 UTC"
    assert line("en", detail=detail, by="ana") == "Uploaded 2 Dec. 2026 16:39 UTC by ana"
    assert line("fr", label="Téléversée", detail=detail, by="ana") == "Téléversée le 2 déc. 2026 16:39 UTC par ana"
    assert line("es", label="Cargada", detail=detail, by="ana") == "Cargada el 2 dic. 2026 16:39 UTC por ana"


def test_event_line_puts_each_languages_colon_before_the_words():
    assert line("en", label="Published", action="publish", facts=PUBLISH) == (
        "Published 2 Dec. 2026 16:39 UTC: 1 new, 2 changed (2 amounts, 0 statuses, 0 provenance only), 0 unchanged"
    )
    assert line("fr", label="Publiée", action="publish", facts=PUBLISH, by="ana") == (
        "Publiée le 2 déc. 2026 16:39 UTC par ana : "
        "1 nouvelle, 2 modifiées (2 montants, 0 statut, 0 provenance seule), 0 inchangée"
    )
    spanish = line("es", label="Publicada", action="publish", facts=PUBLISH)
    assert spanish.startswith("Publicada el 2 dic. 2026 16:39 UTC: 1 nuevo, 2 modificados")


def test_event_line_keeps_what_a_person_wrote_after_the_counts():
    facts = withdraw_facts(withdrawn=3, restored=2)
    assert line("en", label="Withdrawn", action="withdraw", facts=facts, detail=" wrong annex ") == (
        "Withdrawn 2 Dec. 2026 16:39 UTC: 3 values withdrawn, 2 earlier values restored: wrong annex"
    )
    # A withdrawal without a reason: the counts, and no colon after them.
    assert line("fr", label="Retirée", action="withdraw", facts=facts, detail=" ") == (
        "Retirée le 2 déc. 2026 16:39 UTC : 3 valeurs retirées, 2 valeurs antérieures rétablies"
    )


def test_describe_event_of_a_record_without_facts_is_its_detail_or_nothing():
    assert describe_event("publish", {}, "") == ""
    assert describe_event("publish", None, " \n") == ""
    assert describe_event("publish", {}, "loaded by hand") == "loaded by hand"


AT_TIME = r"\d+ [\w.]+ \d{4} \d\d:\d\d UTC"
WITHDRAWN_WITHOUT_A_REASON = {
    "": rf"Withdrawn {AT_TIME} by editor: 156 values withdrawn, 0 earlier values restored",
    "/fr": rf"Retirée le {AT_TIME} par editor : 156 valeurs retirées, 0 valeur antérieure rétablie",
    "/es": rf"Retirada el {AT_TIME} por editor: 156 valores retirados, 0 valores anteriores restablecidos",
}


@pytest.mark.parametrize("prefix", ["", "/fr", "/es"])
def test_release_pages_print_a_withdrawal_without_a_reason_without_a_dangling_colon(client, ilo_data, editor, prefix):
    from funding.services import withdraw_release

    withdraw_release(release=ilo_data, user=editor, note="")
    client.force_login(editor)
    for page in (f"{prefix}/releases/", f"{prefix}/releases/{ilo_data.pk}/"):
        lines = [text(item) for item in parse(client.get(page)).xpath('//ul[@class="events"]/li')]
        withdrawn = [entry for entry in lines if re.fullmatch(WITHDRAWN_WITHOUT_A_REASON[prefix], entry)]
        assert len(lines) == 2 and len(withdrawn) == 1, (page, lines)
        assert [entry for entry in lines if entry.endswith(":")] == []
