"""The letter's validity (30 days, edited by administrators afterwards), and who takes which
step of a transfer (组织关系转接).

30 days: a letter is commonly valid 10 days within a city and 30 beyond it, at most three
months; one figure for every transfer, which the committee may change in the admin.

党委管理员 see every transfer, approve (审批) and may receive; 支部书记 request transfers of
their members (转出申请) and receive members into their branches (接收).
"""

from django.db import migrations

from core.groups import grant_permissions

GROUPS = {
    "党委管理员": [
        "party_building.view_transfer",
        "party_building.add_transfer",
        "party_building.approve_transfer",
        "party_building.receive_transfer",
        "party_building.view_transferpolicy",
        "party_building.change_transferpolicy",
    ],
    "支部书记": [
        "party_building.view_transfer",
        "party_building.add_transfer",
        "party_building.receive_transfer",
    ],
}


def seed(apps, schema_editor):
    TransferPolicy = apps.get_model("party_building", "TransferPolicy")
    if not TransferPolicy.objects.exists():
        TransferPolicy.objects.create(letter_valid_days=30)
    grant_permissions(apps, GROUPS)


class Migration(migrations.Migration):
    dependencies = [("party_building", "0014_transfers")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
