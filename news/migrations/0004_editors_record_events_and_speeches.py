"""Editors and reviewers record the events, speeches and people their articles report."""

from django.db import migrations

from core.groups import grant_permissions

RECORDS = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("news", "event"),
        ("news", "speech"),
        ("news", "participation"),
        ("members", "person"),
        ("members", "organization"),
    ]
    for action in ("add", "change", "view")
]


def grant(apps, schema_editor):
    grant_permissions(apps, {"编辑": RECORDS, "审核": RECORDS})


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_events_speeches_participations"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
