"""One published release per reading of a file (its bytes, number format and the upload form's options),
not per file: the same bytes uploaded with another Status or Document from the form change other
values, and were refused as 'already published'."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funding', '0019_upload_titles_in_the_readers_language'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='release',
            name='one_published_release_per_checksum',
        ),
        migrations.AddConstraint(
            model_name='release',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'published')), fields=('checksum', 'number_format', 'read_options'), name='one_published_release_per_reading'),
        ),
    ]
