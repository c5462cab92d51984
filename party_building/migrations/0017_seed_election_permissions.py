"""Who may record committee elections (换届选举): the committee's administrators record them;
branch secretaries read their own organisations' elections."""

from django.db import migrations

from core.groups import grant_permissions

GROUPS = {
    "党委管理员": [
        f"party_building.{action}_committeeelection"
        for action in ("add", "change", "delete", "view")
    ],
    "支部书记": ["party_building.view_committeeelection"],
}


def seed(apps, schema_editor):
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("party_building", "0016_committee_elections")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
