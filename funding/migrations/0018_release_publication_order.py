"""Publication order kept as a sequence: each release's publish and withdrawal get their place in it.

Until now the order of publication was read from a release's id (the order of upload) or from its
events' times; a draft previewed early and published late was ranked too old, and two events at one
instant had no order. The releases already published or withdrawn are numbered in the order of their
events (time, then id); one without an event (none is expected, 0010 gave every dated release one)
comes after, by id. Where a draft waits, the live data's generation moves on, so a draft previewed before this migration
works out again what its publish writes (a publish now writes only the values it adds or changes).
"""

from django.db import migrations, models
from django.db.models import F

ACTIONS = {"publish": "published_seq", "withdraw": "withdrawn_seq"}
STATES = {"publish": ("published", "withdrawn"), "withdraw": ("withdrawn",)}


def number_the_releases(apps, schema_editor):
    Release = apps.get_model("funding", "Release")
    ReleaseEvent = apps.get_model("funding", "ReleaseEvent")
    places = {action: {} for action in ACTIONS}  # {action: {release id: place}}
    events = ReleaseEvent.objects.filter(action__in=ACTIONS).order_by("at", "id")
    for action, release_id in events.values_list("action", "release_id"):
        if release_id not in places[action]:  # a release's first such event is its place
            places[action][release_id] = sum(len(numbered) for numbered in places.values()) + 1
    for action, field in ACTIONS.items():
        undated = Release.objects.filter(state__in=STATES[action]).exclude(pk__in=list(places[action]))
        for release_id in undated.order_by("id").values_list("id", flat=True):
            places[action][release_id] = sum(len(numbered) for numbered in places.values()) + 1
        for release_id, place in places[action].items():
            Release.objects.filter(pk=release_id).update(**{field: place})
    if Release.objects.filter(state="draft").exists():  # a draft's kept plan was made the old way
        apps.get_model("funding", "Dataset").objects.update(version=F("version") + 1)


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0017_draft_checked_rows_packed"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="published_seq",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="release",
            name="withdrawn_seq",
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(number_the_releases, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="release",
            constraint=models.UniqueConstraint(fields=("published_seq",), name="one_release_per_published_seq"),
        ),
        migrations.AddConstraint(
            model_name="release",
            constraint=models.UniqueConstraint(fields=("withdrawn_seq",), name="one_release_per_withdrawn_seq"),
        ),
    ]
