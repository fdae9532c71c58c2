"""Release state kept once (2/2): who published or withdrew a release, and when, is in its events only
(read through `Release.objects.with_dates()`). Its own migration, so PostgreSQL alters the table in a
transaction of its own after 0010 wrote the events."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("funding", "0010_release_dates_from_events")]

    operations = [
        migrations.RemoveField(model_name="release", name="published_at"),
        migrations.RemoveField(model_name="release", name="published_by"),
        migrations.RemoveField(model_name="release", name="withdrawn_at"),
        migrations.RemoveField(model_name="release", name="withdrawn_by"),
    ]
