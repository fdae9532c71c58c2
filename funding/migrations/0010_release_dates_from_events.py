"""Release state kept once (1/2): the events say everything the release's dates said.

Before the fields go (0011), every release they date gets the event saying the same (a release published or
withdrawn before events were kept had none), and an event that lacks its user or differs in time
takes the field's, so every date and name shown before is shown again. Reversed, the fields are
filled from the events.
"""

from django.conf import settings
from django.db import migrations

ACTIONS = (("publish", "published_at", "published_by"), ("withdraw", "withdrawn_at", "withdrawn_by"))


def events_from_fields(apps, schema_editor):
    Release = apps.get_model("funding", "Release")
    ReleaseEvent = apps.get_model("funding", "ReleaseEvent")
    for action, at_field, by_field in ACTIONS:
        dated = Release.objects.exclude(**{at_field: None}).values_list("pk", at_field, f"{by_field}_id")
        for release_id, at, by_id in dated.iterator():
            event = ReleaseEvent.objects.filter(release_id=release_id, action=action).order_by("at", "id").first()
            if event is None:
                event = ReleaseEvent.objects.create(
                    release_id=release_id, action=action, by_id=by_id, detail="recorded from the release's dates"
                )
            # `at` is set on creation (auto_now_add): the release's own date is written afterwards.
            ReleaseEvent.objects.filter(pk=event.pk).update(at=at, by_id=event.by_id or by_id)


def fields_from_events(apps, schema_editor):
    Release = apps.get_model("funding", "Release")
    ReleaseEvent = apps.get_model("funding", "ReleaseEvent")
    for action, at_field, by_field in ACTIONS:
        for event in ReleaseEvent.objects.filter(action=action).order_by("-at", "-id").iterator():
            Release.objects.filter(pk=event.release_id).update(**{at_field: event.at, f"{by_field}_id": event.by_id})


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0009_names_in_spanish"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(events_from_fields, fields_from_events),
    ]
