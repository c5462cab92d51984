import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from party_building.board import dues_arrears_by_branch
from party_building.dues import arrears, monthly_dues, yuan
from party_building.models import DuesBand, DuesBase, DuesPayment, PartyOrganization
from tests.party_building.factories import (
    BranchFactory,
    PartyMemberFactory,
    member_of,
    secretary_of,
)

# The usual bands for members in work, as seeded: ≤ 3,000 元 0.5 %, to 5,000 1 %,
# to 10,000 1.5 %, above 2 %.
WORKING = [(300_000, 50), (500_000, 100), (1_000_000, 150), (None, 200)]


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        (300_000, 1_500),  # 3,000 元 exactly: 0.5 % → 15 元
        (300_001, 3_000),  # just above: 1 % of the whole base
        (500_000, 5_000),
        (800_000, 12_000),  # 8,000 元: 1.5 % → 120 元
        (1_000_001, 20_000),  # above 10,000 元: 2 %
        (0, 0),
    ],
)
def test_the_rate_of_the_band_applies_to_the_whole_base(base, expected):
    assert monthly_dues(base, WORKING) == expected


def test_dues_are_rounded_half_up_to_a_fen():
    assert monthly_dues(12_345, WORKING) == 62  # 61.725 分


def test_the_bands_may_come_in_any_order():
    assert monthly_dues(800_000, list(reversed(WORKING))) == 12_000


def test_bands_without_an_open_top_leave_high_bases_uncovered():
    with pytest.raises(ValueError):
        monthly_dues(2_000_000, WORKING[:3])


def test_a_negative_base_is_refused():
    with pytest.raises(ValueError):
        monthly_dues(-1, WORKING)


def test_fen_are_shown_as_yuan_with_two_decimals():
    assert (yuan(12_345), yuan(5), yuan(0)) == ("123.45", "0.05", "0.00")


# --- The bands as seeded, and the records -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "base", "expected"),
    [
        ("working", 800_000, 12_000),  # 8,000 元 in work: 1.5 %
        ("retired", 800_000, 8_000),  # 8,000 元 pension: 1 %
        ("retired", 400_000, 2_000),  # 4,000 元 pension: 0.5 %
    ],
)
def test_the_seeded_bands_give_the_usual_dues(category, base, expected):
    dues_base = DuesBase(member=PartyMemberFactory(), base_fen=base, category=category)
    assert dues_base.monthly_dues_fen() == expected


@pytest.mark.django_db
def test_a_probationary_member_pays_like_a_full_member():
    full = DuesBase(member=PartyMemberFactory(status="full"), base_fen=450_000)
    probationary = DuesBase(member=PartyMemberFactory(status="probationary"), base_fen=450_000)
    assert probationary.monthly_dues_fen() == full.monthly_dues_fen() == 4_500


@pytest.mark.django_db
def test_an_edited_band_changes_the_dues():
    DuesBand.objects.filter(category="working", up_to_fen=300_000).update(rate_bp=100)
    assert DuesBase(member=PartyMemberFactory(), base_fen=200_000).monthly_dues_fen() == 2_000


@pytest.mark.django_db
def test_a_payment_is_for_a_whole_month():
    branch = BranchFactory()
    payment = DuesPayment(
        member=member_of(branch),
        branch=branch,
        month=datetime.date(2024, 3, 5),
        amount_fen=1_000,
        paid_on=datetime.date(2024, 3, 5),
    )
    with pytest.raises(ValidationError) as error:
        payment.full_clean()
    assert "month" in error.value.message_dict


@pytest.mark.django_db
def test_a_payment_is_recorded_by_a_branch_the_member_belonged_to_that_month():
    payment = DuesPayment(
        member=member_of(BranchFactory()),
        branch=BranchFactory(),
        month=datetime.date(2024, 3, 1),
        amount_fen=1_000,
        paid_on=datetime.date(2024, 3, 5),
    )
    with pytest.raises(ValidationError) as error:
        payment.full_clean()
    assert "member" in error.value.message_dict


def pay(member, branch, month, fen):
    return DuesPayment.objects.create(
        member=member, branch=branch, month=month, amount_fen=fen, paid_on=month
    )


@pytest.mark.django_db
def test_yearly_totals_per_branch_are_exported_as_numbers_in_yuan(client):
    mine, theirs = BranchFactory(name="甲所党支部"), BranchFactory(name="乙所党支部")
    first, second = member_of(mine), member_of(mine)
    pay(first, mine, datetime.date(2024, 1, 1), 12_000)
    pay(first, mine, datetime.date(2024, 2, 1), 12_000)
    pay(second, mine, datetime.date(2024, 1, 1), 1_505)
    pay(first, mine, datetime.date(2025, 1, 1), 12_000)
    pay(member_of(theirs), theirs, datetime.date(2024, 1, 1), 99_900)  # not the secretary's
    client.force_login(secretary_of(mine))
    response = client.post(
        reverse("admin:party_building_duespayment_changelist"),
        {
            "action": "export_yearly_totals",
            "_selected_action": list(DuesPayment.objects.values_list("pk", flat=True)),
        },
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows == [("甲所党支部", 2024, 3, 2, 255.05), ("甲所党支部", 2025, 1, 1, 120.0)]
    assert sheet.cell(row=2, column=5).number_format == "0.00"


# --- Arrears -----------------------------------------------------------------------------------

BANDS = {"working": WORKING}
JAN, FEB, MAR = datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)


def test_each_unpaid_month_is_owed_at_the_base_in_force_on_its_first_day():
    bases = [(JAN, 800_000, "working"), (MAR, 400_000, "working")]
    assert arrears([JAN, FEB, MAR], bases, {FEB: 12_000}, BANDS) == [(JAN, 12_000), (MAR, 4_000)]


def test_a_partial_payment_leaves_the_rest_owed():
    assert arrears([JAN], [(JAN, 800_000, "working")], {JAN: 10_000}, BANDS) == [(JAN, 2_000)]


def test_months_before_any_base_owe_nothing():
    assert arrears([JAN, FEB], [(FEB, 800_000, "working")], {}, BANDS) == [(FEB, 12_000)]


def test_arrears_are_listed_per_branch_for_months_that_have_ended(db, django_assert_num_queries):
    branch = BranchFactory()
    late, paid_up = member_of(branch), member_of(branch)
    for member in (late, paid_up):
        DuesBase.objects.create(member=member, valid_from=JAN, base_fen=800_000)
    for month in (JAN, FEB):
        pay(paid_up, branch, month, 12_000)
    pay(late, branch, JAN, 12_000)
    branches = PartyOrganization.objects.filter(pk=branch.pk)
    # Memberships, bases, payments, bands, and the members who owe.
    with django_assert_num_queries(5):
        arrears_by_branch = dues_arrears_by_branch(
            branches, JAN, datetime.date(2024, 3, 31), datetime.date(2024, 3, 15)
        )
    # March has not ended: only February is owed, by the member who skipped it.
    assert arrears_by_branch == {branch.pk: [(late, 1, 12_000)]}


def test_a_member_transferred_away_owes_the_old_branch_only_for_months_there(db):
    old, new = BranchFactory(), BranchFactory()
    mover = member_of(old, start=datetime.date(2015, 1, 1))
    DuesBase.objects.create(member=mover, valid_from=JAN, base_fen=800_000)
    mover.transfer(new, on=FEB)
    both = PartyOrganization.objects.filter(pk__in=[old.pk, new.pk])
    arrears_by_branch = dues_arrears_by_branch(
        both, JAN, datetime.date(2024, 2, 29), datetime.date(2024, 3, 15)
    )
    assert arrears_by_branch == {old.pk: [(mover, 1, 12_000)], new.pk: [(mover, 1, 12_000)]}
