"""A draft's checked rows are kept compressed (models.PackedJSONField) instead of as `jsonb`.

The column is made again: a draft kept before has no checked rows, and its preview and publish read
its file again, as for a draft kept before rows were kept with drafts (services.uploads.check_draft).
"""

from django.db import migrations

import funding.models


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0016_observation_without_foreign_key_indexes"),
    ]

    operations = [
        migrations.RemoveField(model_name="release", name="checked"),
        migrations.AddField(
            model_name="release",
            name="checked",
            field=funding.models.PackedJSONField(blank=True, null=True),
        ),
    ]
