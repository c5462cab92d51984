import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from members.models import Lawyer
from news.models import Article
from party_building import compliance
from party_building.models import Attendance, BranchActivity, Membership, Requirement
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    CampaignFactory,
    CommitmentFactory,
    MembershipFactory,
    PartyMemberFactory,
    member_of,
    party_article,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Requirements and groups -----------------------------------------------------------------


def test_requirements_are_seeded_from_the_default_rules():
    assert Requirement.objects.rules() == list(compliance.DEFAULT_REQUIREMENTS)


def test_an_administrator_may_change_how_often_a_kind_is_required():
    Requirement.objects.filter(kind="party_lecture").update(times=2)
    [lecture] = Requirement.objects.rules(["party_lecture"])
    assert (lecture.unit, lecture.times) == ("quarter", 2)


def test_a_requirement_needs_at_least_one_activity():
    with pytest.raises(IntegrityError), transaction.atomic():
        Requirement.objects.filter(kind="party_lecture").update(times=0)


def test_branch_secretaries_may_record_but_neither_delete_nor_see_everything():
    codes = set(Group.objects.get(name="支部书记").permissions.values_list("codename", flat=True))
    assert {"add_branchactivity", "change_attendance", "add_partymember"} <= codes
    assert "manage_all_organizations" not in codes
    assert not any(code.startswith("delete_") for code in codes)


def test_committee_administrators_hold_every_party_building_permission():
    group = Group.objects.get(name="党委管理员")
    codes = set(
        group.permissions.filter(content_type__app_label="party_building").values_list(
            "codename", flat=True
        )
    )
    assert {"manage_all_organizations", "change_requirement", "add_organizationmanager"} <= codes


# --- Members and memberships -----------------------------------------------------------------


def test_a_members_lawyer_record_is_reached_through_the_person():
    member = PartyMemberFactory()
    assert member.lawyer is None
    Lawyer.objects.create(person=member.person, license_number="11101201010000001")
    member.person.refresh_from_db()
    assert member.lawyer.license_number == "11101201010000001"


def test_a_membership_is_valid_from_its_first_to_its_last_day():
    membership = MembershipFactory(start=D(2024, 1, 1), end=D(2024, 6, 30))
    valid = Membership.objects.filter(pk=membership.pk)
    assert [valid.valid_on(day).exists() for day in (D(2023, 12, 31), D(2024, 1, 1))] == [
        False,
        True,
    ]
    assert [valid.valid_on(day).exists() for day in (D(2024, 6, 30), D(2024, 7, 1))] == [
        True,
        False,
    ]


def test_a_transfer_closes_the_old_membership_the_day_before_and_opens_the_new():
    old, new = BranchFactory(), BranchFactory()
    member = member_of(old, start=D(2020, 1, 1))
    member.transfer(new, on=D(2024, 7, 1))
    assert list(
        member.memberships.order_by("start").values_list("organization", "start", "end")
    ) == [
        (old.pk, D(2020, 1, 1), D(2024, 6, 30)),
        (new.pk, D(2024, 7, 1), None),
    ]


def test_a_transfer_into_the_same_branch_is_refused():
    branch = BranchFactory()
    member = member_of(branch)
    with pytest.raises(ValidationError):
        member.transfer(branch, on=D(2024, 7, 1))


def test_a_member_cannot_have_two_open_memberships():
    member = member_of(BranchFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(member=member, organization=BranchFactory(), start=D(2024, 1, 1))


def test_overlapping_memberships_are_rejected_by_validation():
    member = member_of(BranchFactory(), start=D(2020, 1, 1))
    overlapping = Membership(
        member=member, organization=BranchFactory(), start=D(2019, 1, 1), end=D(2020, 3, 1)
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_a_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start=D(2024, 5, 1), end=D(2024, 4, 1))


# --- Activities ------------------------------------------------------------------------------


def test_in_period_includes_both_ends():
    branch = BranchFactory()
    dates = [D(2023, 12, 31), D(2024, 1, 1), D(2024, 3, 31), D(2024, 4, 1)]
    for day in dates:
        ActivityFactory(branch=branch, date=day)
    found = BranchActivity.objects.in_period(D(2024, 1, 1), D(2024, 3, 31))
    assert sorted(found.values_list("date", flat=True)) == [D(2024, 1, 1), D(2024, 3, 31)]


@pytest.mark.parametrize(
    ("status", "days_from_now", "public"),
    [
        (Article.Status.PUBLISHED, -1, True),
        (Article.Status.PUBLISHED, 1, False),  # scheduled
        (Article.Status.DRAFT, -1, False),
        (Article.Status.WITHDRAWN, -1, False),
    ],
)
def test_an_activity_is_public_only_while_its_report_is_published(status, days_from_now, public):
    from django.utils import timezone

    article = party_article(
        status=status, published_at=timezone.now() + datetime.timedelta(days=days_from_now)
    )
    activity = ActivityFactory(article=article)
    assert BranchActivity.objects.published().filter(pk=activity.pk).exists() is public
    assert activity.is_published() is public


def test_an_activity_without_a_report_is_not_public():
    activity = ActivityFactory()
    assert not BranchActivity.objects.published().exists()
    assert activity.is_published() is False


def test_minutes_are_sanitised_on_save():
    activity = ActivityFactory(minutes='<p onclick="x()">讨论<script>alert(1)</script></p>')
    activity.refresh_from_db()
    assert "script" not in activity.minutes and "onclick" not in activity.minutes
    assert "讨论" in activity.minutes


# --- Attendance --------------------------------------------------------------------------------


def test_attendance_of_someone_outside_the_branch_on_that_day_is_rejected():
    activity = ActivityFactory(date=D(2024, 3, 1))
    stranger = member_of(BranchFactory())
    with pytest.raises(ValidationError) as error:
        Attendance(activity=activity, member=stranger).full_clean()
    assert "member" in error.value.message_dict


def test_attendance_of_a_member_of_the_branch_on_that_day_is_accepted():
    activity = ActivityFactory(date=D(2024, 3, 1))
    member = member_of(activity.branch, start=D(2024, 3, 1))
    Attendance(activity=activity, member=member).full_clean()


def test_attendance_counts_only_members_of_the_branch_on_the_activity_date():
    old, new = BranchFactory(), BranchFactory()
    mover = member_of(old, start=D(2020, 1, 1))
    stayer = member_of(old, start=D(2020, 1, 1))
    mover.transfer(new, on=D(2024, 7, 1))
    june = ActivityFactory(branch=old, date=D(2024, 6, 20))
    august = ActivityFactory(branch=old, date=D(2024, 8, 20))
    for activity in (june, august):
        AttendanceFactory(activity=activity, member=stayer)
        # Recorded at the old branch after the move (as a guest): neither 应到 nor 实到.
        AttendanceFactory(activity=activity, member=mover)
    counts = {
        a.date: (a.present_count, a.expected_count)
        for a in BranchActivity.objects.with_attendance()
    }
    assert counts == {D(2024, 6, 20): (2, 2), D(2024, 8, 20): (1, 1)}


def test_excused_and_absent_members_are_expected_but_not_present():
    activity = ActivityFactory()
    for status in ("present", "present", "excused", "absent"):
        AttendanceFactory(activity=activity, member=member_of(activity.branch), status=status)
    row = BranchActivity.objects.with_attendance().get()
    assert (row.expected_count, row.present_count, row.excused_count, row.absent_count) == (
        4,
        2,
        1,
        1,
    )


def test_a_membership_cannot_start_before_the_member_joined_the_party():
    member = PartyMemberFactory(joined_party=D(2010, 7, 1))
    membership = Membership(member=member, organization=BranchFactory(), start=D(2010, 6, 30))
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "start" in error.value.message_dict


def test_a_membership_may_start_the_day_the_member_joined_the_party():
    member = PartyMemberFactory(joined_party=D(2010, 7, 1))
    Membership(member=member, organization=BranchFactory(), start=D(2010, 7, 1)).full_clean()


def test_a_commitment_cannot_be_dated_before_its_campaign():
    commitment = CommitmentFactory.build(
        campaign=CampaignFactory(start=D(2010, 4, 1), end=D(2012, 6, 30)), made_on=D(2010, 3, 31)
    )
    with pytest.raises(ValidationError) as error:
        commitment.full_clean(exclude=["member"])
    assert "made_on" in error.value.message_dict


def test_a_commitment_cannot_be_dated_after_its_campaign():
    commitment = CommitmentFactory.build(
        campaign=CampaignFactory(start=D(2010, 4, 1), end=D(2012, 6, 30)), made_on=D(2012, 7, 1)
    )
    with pytest.raises(ValidationError) as error:
        commitment.full_clean(exclude=["member"])
    assert "made_on" in error.value.message_dict


def test_a_review_cannot_precede_its_commitment_in_the_database():
    commitment = CommitmentFactory(made_on=D(2010, 5, 1))
    commitment.reviewed_on = D(2010, 4, 30)
    with pytest.raises(IntegrityError), transaction.atomic():
        commitment.save()


def test_a_review_before_its_commitment_is_refused_in_chinese():
    commitment = CommitmentFactory(made_on=D(2010, 5, 1))
    commitment.reviewed_on = D(2010, 4, 30)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        commitment.full_clean()
    assert "不能早于" in " ".join(error.value.messages)
