"""The usual 党费 bands, and who may record dues.

Bands (中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》, 2008), as data that
administrators edit in the admin afterwards:

- members in work, by monthly base: ≤ 3,000 元 0.5 %; 3,000–5,000 元 1 %; 5,000–10,000 元
  1.5 %; above 10,000 元 2 %;
- retired members, by monthly pension: ≤ 5,000 元 0.5 %; above 5,000 元 1 %.

Probationary members pay like full members. 党委管理员 get every permission on the dues
models; 支部书记 record the bases and payments of their branches and read the bands.
"""

from django.db import migrations

from core.groups import grant_permissions

BANDS = [
    ("working", 300_000, 50),
    ("working", 500_000, 100),
    ("working", 1_000_000, 150),
    ("working", None, 200),
    ("retired", 500_000, 50),
    ("retired", None, 100),
]
MODELS = ["duesband", "duesbase", "duespayment"]
GROUPS = {
    "党委管理员": [
        f"party_building.{action}_{model}"
        for model in MODELS
        for action in ("add", "change", "delete", "view")
    ],
    "支部书记": [
        *(
            f"party_building.{action}_{model}"
            for model in ["duesbase", "duespayment"]
            for action in ("add", "change", "view")
        ),
        "party_building.view_duesband",
    ],
}


def seed(apps, schema_editor):
    DuesBand = apps.get_model("party_building", "DuesBand")
    for category, up_to_fen, rate_bp in BANDS:
        DuesBand.objects.get_or_create(
            category=category, up_to_fen=up_to_fen, defaults={"rate_bp": rate_bp}
        )
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("party_building", "0007_dues")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
