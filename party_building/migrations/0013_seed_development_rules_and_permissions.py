"""The usual 党员发展 spans, and who may record development.

From 《中国共产党发展党员工作细则》 (2014), as data that administrators edit in the admin
afterwards (党员发展期限规则):

- the branch talks with an applicant within a month of the application: 30 days, reminded
  7 days before;
- an activist is observed for at least a year before becoming a 发展对象;
- the probation lasts a year; the 转正 vote is reminded 30 days before it ends.

党委管理员 get every permission on the development models; 支部书记 record the development
of their branches (records and sponsors) and read the rules.
"""

from django.db import migrations

from core.groups import grant_permissions

RULES = [
    ("talk_within", 30, "day", 7),
    ("activist_at_least", 1, "year", 30),
    ("probation", 1, "year", 30),
]
GROUPS = {
    "党委管理员": [
        f"party_building.{action}_{model}"
        for model in ["developmentrule", "developmentrecord", "developmentsponsor"]
        for action in ("add", "change", "delete", "view")
    ],
    "支部书记": [
        *(
            f"party_building.{action}_{model}"
            for model in ["developmentrecord", "developmentsponsor"]
            for action in ("add", "change", "view")
        ),
        "party_building.view_developmentrule",
    ],
}


def seed(apps, schema_editor):
    DevelopmentRule = apps.get_model("party_building", "DevelopmentRule")
    for key, amount, unit, remind_before_days in RULES:
        DevelopmentRule.objects.get_or_create(
            key=key,
            defaults={"amount": amount, "unit": unit, "remind_before_days": remind_before_days},
        )
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("party_building", "0012_development")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
