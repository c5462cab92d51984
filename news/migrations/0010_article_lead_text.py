"""The plain-text lead stored with each article (filled by the next migration)."""

from django.db import migrations

import news.models


class Migration(migrations.Migration):
    dependencies = [("news", "0009_legacy_import_and_proposals")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="lead_text",
            field=news.models.LeadField(blank=True, editable=False, verbose_name="lead"),
        ),
    ]
