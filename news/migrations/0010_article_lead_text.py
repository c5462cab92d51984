"""The plain-text lead stored with each article, so that lists never read the body."""

from django.db import migrations

import news.models

BATCH = 2000


def fill_leads(apps, schema_editor):
    Article = apps.get_model("news", "Article")
    last = 0
    while True:
        rows = list(
            Article.objects.filter(pk__gt=last).order_by("pk").only("pk", "summary", "body")[:BATCH]
        )
        if not rows:
            return
        for article in rows:
            article.lead_text = news.models.lead_of(article.summary, article.body)
        Article.objects.bulk_update(rows, ["lead_text"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("news", "0009_legacy_import_and_proposals")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="lead_text",
            field=news.models.LeadField(blank=True, editable=False, verbose_name="lead"),
        ),
        migrations.RunPython(fill_leads, migrations.RunPython.noop, elidable=True),
    ]
