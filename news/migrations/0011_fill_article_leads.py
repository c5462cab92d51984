"""Fill the stored lead of existing articles, a batch a transaction.

Not atomic: on PostgreSQL the column is added (0010) and committed first, so that reading
the articles is not locked out while every article is converted; each batch commits on its
own. Until an article's lead is stored, a list shows it without one (its page derives it).
"""

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
    atomic = False
    dependencies = [("news", "0010_article_lead_text")]

    operations = [migrations.RunPython(fill_leads, migrations.RunPython.noop, elidable=True)]
