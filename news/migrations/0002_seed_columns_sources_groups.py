"""The columns and source every installation starts with, and the two editorial groups."""

from django.db import migrations

from core.groups import grant_permissions

COLUMNS = [
    ("协会动态", "association-news", 10, "本会工作与活动的报道。"),
    ("通知公告", "notices", 20, "本会发布的通知、公告与公示。"),
    ("党建工作", "party-building", 30, "律师行业党的建设工作。"),
    ("领导讲话", "speeches", 40, "领导同志的讲话与致辞。"),
    ("行业要闻", "industry-news", 50, "律师行业与司法行政的重要新闻。"),
]

EDITOR_PERMISSIONS = [
    "news.add_article",
    "news.change_article",
    "news.view_article",
    "news.add_attachment",
    "news.change_attachment",
    "news.view_attachment",
    "news.view_column",
    "news.view_source",
    "news.add_source",
]
REVIEWER_PERMISSIONS = [*EDITOR_PERMISSIONS, "news.publish_article", "news.pin_article"]
GROUPS = {"编辑": EDITOR_PERMISSIONS, "审核": REVIEWER_PERMISSIONS}


def seed(apps, schema_editor):
    Column = apps.get_model("news", "Column")
    Source = apps.get_model("news", "Source")
    for name, slug, order, description in COLUMNS:
        Column.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order, "description": description}
        )
    Source.objects.get_or_create(name="本站原创")
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
