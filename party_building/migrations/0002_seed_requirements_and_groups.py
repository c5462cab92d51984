"""The requirements every installation starts with, and the two party-building groups.

Requirements come from compliance.DEFAULT_REQUIREMENTS (中国共产党支部工作条例（试行）,
2018); administrators change them in the admin afterwards. The groups:

- 党委管理员, the committee's administrators: every party_building permission, including
  manage_all_organizations (see access.py), and linking accounts to organisations;
- 支部书记, branch secretaries: record the activities, attendance, members and commitments
  of the organisations their account is linked to (access.py limits the rows), and read
  the organisations, officers, campaigns and requirements.
"""

from django.db import migrations

from core.groups import grant_permissions
from party_building.compliance import DEFAULT_REQUIREMENTS

MODELS = [
    "partyorganization",
    "officer",
    "partymember",
    "membership",
    "requirement",
    "branchactivity",
    "activityattachment",
    "activityphoto",
    "attendance",
    "campaign",
    "commitment",
    "organizationmanager",
    "reminderlog",
]
ADMINISTRATOR_PERMISSIONS = [
    *(
        f"party_building.{action}_{model}"
        for model in MODELS
        for action in ("add", "change", "delete", "view")
    ),
    "party_building.manage_all_organizations",
    "members.view_person",
    "members.add_person",
    "auth.view_user",
]
SECRETARY_PERMISSIONS = [
    *(
        f"party_building.{action}_{model}"
        for model in [
            "branchactivity",
            "activityattachment",
            "activityphoto",
            "attendance",
            "partymember",
            "membership",
            "commitment",
        ]
        for action in ("add", "change", "view")
    ),
    *(
        f"party_building.view_{model}"
        for model in ["partyorganization", "officer", "campaign", "requirement"]
    ),
    "members.view_person",
    "members.add_person",
]
GROUPS = {"党委管理员": ADMINISTRATOR_PERMISSIONS, "支部书记": SECRETARY_PERMISSIONS}


def seed(apps, schema_editor):
    Requirement = apps.get_model("party_building", "Requirement")
    for requirement in DEFAULT_REQUIREMENTS:
        Requirement.objects.get_or_create(
            kind=str(requirement.kind),
            defaults={"unit": str(requirement.unit), "times": requirement.times},
        )
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [
        ("party_building", "0001_initial"),
        ("members", "0002_law_firms_and_lawyers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
