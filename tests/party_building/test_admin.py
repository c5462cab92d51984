"""The party-building admin as the committee's administrators use it."""

import datetime

import pytest
from django.urls import reverse

from party_building.models import Attendance, Membership
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    administrator,
    member_of,
    secretary_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def member_form(member, rows):
    """The member's change form with ``rows`` of (pk, organization, start, end)."""
    data = {
        "person": member.person.pk,
        "status": member.status,
        "joined_party": member.joined_party.isoformat() if member.joined_party else "",
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(sum(1 for row in rows if row[0])),
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }
    for i, (pk, organization, start, end) in enumerate(rows):
        data.update(
            {
                f"memberships-{i}-id": pk or "",
                f"memberships-{i}-member": member.pk,
                f"memberships-{i}-organization": organization.pk,
                f"memberships-{i}-start": start,
                f"memberships-{i}-end": end,
                f"memberships-{i}-role": "member",
            }
        )
    return data


@pytest.fixture
def as_administrator(client):
    client.force_login(administrator())
    return client


def change_url(member):
    return reverse("admin:party_building_partymember_change", args=[member.pk])


def test_a_transfer_is_saved_in_one_go_by_ending_the_old_row_and_adding_the_new(
    as_administrator,
):
    old, new = BranchFactory(), BranchFactory()
    member = member_of(old, start=D(2015, 1, 1))
    current = member.memberships.get()
    rows = [
        (current.pk, old, "2015-01-01", "2024-06-30"),
        (None, new, "2024-07-01", ""),
    ]
    response = as_administrator.post(change_url(member), member_form(member, rows))
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert list(member.memberships.order_by("start").values_list("organization", "end")) == [
        (old.pk, D(2024, 6, 30)),
        (new.pk, None),
    ]


def test_overlapping_rows_in_one_save_are_still_refused(as_administrator):
    old, new = BranchFactory(), BranchFactory()
    member = member_of(old, start=D(2015, 1, 1))
    current = member.memberships.get()
    rows = [
        (current.pk, old, "2015-01-01", "2024-07-15"),
        (None, new, "2024-07-01", ""),
    ]
    response = as_administrator.post(change_url(member), member_form(member, rows))
    assert response.status_code == 200
    assert member.memberships.count() == 1


def test_a_row_outside_the_form_still_counts_for_the_overlap(as_administrator):
    old, new = BranchFactory(), BranchFactory()
    member = member_of(old, start=D(2015, 1, 1))
    # What the form shows is the user's own rows; the database holds the rest.
    rows = [(None, new, "2024-07-01", "")]
    response = as_administrator.post(change_url(member), member_form(member, rows))
    # The open row in the old branch is not in this form (it was left out): refused.
    assert response.status_code == 200
    assert Membership.objects.filter(member=member).count() == 1


def transfer(client, members, to, day):
    return client.post(
        reverse("admin:party_building_partymember_changelist"),
        {
            "action": "transfer_selected",
            "_selected_action": [member.pk for member in members],
            "organization": to.pk,
            "day": day,
        },
    )


def test_the_transfer_action_ends_the_old_membership_and_opens_the_new(as_administrator):
    old, new = BranchFactory(), BranchFactory()
    member = member_of(old, start=D(2015, 1, 1))
    response = transfer(as_administrator, [member], new, "2024-07-01")
    assert response.status_code == 302
    assert list(member.memberships.order_by("start").values_list("organization", "end")) == [
        (old.pk, D(2024, 6, 30)),
        (new.pk, None),
    ]


def test_the_transfer_action_saves_all_or_nothing(as_administrator):
    old, new = BranchFactory(), BranchFactory()
    movable = member_of(old, start=D(2015, 1, 1))
    already_there = member_of(new, start=D(2015, 1, 1))
    transfer(as_administrator, [movable, already_there], new, "2024-07-01")
    assert movable.memberships.get().organization == old


def test_a_secretary_is_not_offered_the_transfer_action(client):
    branch = BranchFactory()
    member_of(branch)
    client.force_login(secretary_of(branch))
    response = client.get(reverse("admin:party_building_partymember_changelist"))
    assert b"transfer_selected" not in response.content


def test_an_administrator_is_offered_the_transfer_action(as_administrator):
    member_of(BranchFactory())
    response = as_administrator.get(reverse("admin:party_building_partymember_changelist"))
    assert b"transfer_selected" in response.content


def mark_present(client, activities):
    return client.post(
        reverse("admin:party_building_branchactivity_changelist"),
        {
            "action": "mark_whole_branch_present",
            "_selected_action": [activity.pk for activity in activities],
        },
    )


def test_attendance_starts_with_every_current_member_of_the_branch_present(client):
    branch = BranchFactory()
    first, second = member_of(branch), member_of(branch)
    gone = member_of(branch, start=D(2015, 1, 1))
    gone.transfer(BranchFactory(), on=D(2024, 1, 1))
    activity = ActivityFactory(branch=branch, date=D(2024, 3, 5))
    client.force_login(secretary_of(branch))
    assert mark_present(client, [activity]).status_code == 302
    assert set(activity.attendance.values_list("member", "status")) == {
        (first.pk, "present"),
        (second.pk, "present"),
    }


def test_starting_attendance_keeps_what_was_already_recorded(client):
    branch = BranchFactory()
    excused, other = member_of(branch), member_of(branch)
    activity = ActivityFactory(branch=branch, date=D(2024, 3, 5))
    AttendanceFactory(activity=activity, member=excused, status="excused")
    client.force_login(secretary_of(branch))
    mark_present(client, [activity])
    assert set(activity.attendance.values_list("member", "status")) == {
        (excused.pk, "excused"),
        (other.pk, "present"),
    }


def test_starting_attendance_is_kept_in_the_history(client):
    branch = BranchFactory()
    member_of(branch)
    activity = ActivityFactory(branch=branch, date=D(2024, 3, 5))
    secretary = secretary_of(branch)
    client.force_login(secretary)
    mark_present(client, [activity])
    assert Attendance.history.get().history_user == secretary


def test_a_secretary_cannot_start_attendance_for_another_branchs_activity(client):
    mine, theirs = BranchFactory(), BranchFactory()
    member_of(theirs)
    activity = ActivityFactory(branch=theirs, date=D(2024, 3, 5))
    client.force_login(secretary_of(mine))
    mark_present(client, [activity])
    assert not activity.attendance.exists()
