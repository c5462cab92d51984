"""The party-building pages, staff and public, are valid HTML by the Nu HTML Checker."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from party_building import board, checkin
from party_building.models.transfers import Transfer
from tests.factories import UserFactory
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    CommitmentFactory,
    CommitteeFactory,
    OfficerFactory,
    administrator,
    hold_year,
    member_of,
    party_article,
)
from tests.validators import html_errors

pytestmark = [pytest.mark.validators, pytest.mark.django_db]


def party_pages():
    committee = CommitteeFactory()
    branch = BranchFactory(parent=committee)
    hold_year(branch, 2024, skip={("general_meeting", 5)})
    member = member_of(branch)
    OfficerFactory(organization=branch)
    activity = ActivityFactory(
        branch=branch,
        minutes="<p>会议记录</p>",
        article=party_article(),
        date=datetime.date(2024, 3, 3),
    )
    AttendanceFactory(activity=activity, member=member, status="excused", reason="出差")
    transfer = Transfer.objects.create(
        member=member, from_branch=branch, to_branch=BranchFactory(parent=committee)
    ).take("approve", None)
    return [
        reverse("party_building:board"),
        reverse("party_building:board") + "?unit=month&start=2024-01-01&end=2024-12-31",
        reverse("party_building:board") + f"?unit=year&parent={committee.pk}",
        reverse("party_building:board") + "?unit=week",
        *[tab.get_absolute_url() + "?unit=month" for tab in board.tabs()],
        reverse("party_building:branch", args=[branch.pk]),
        reverse("party_building:branch", args=[committee.pk]),
        reverse("party_building:activity-list") + "?kind=general_meeting",
        reverse("party_building:activity", args=[activity.pk]),
        reverse("party_building:public-branch-list"),
        reverse("party_building:public-branch", args=[branch.pk]),
        reverse("party_building:check-in-code", args=[activity.pk]),
        reverse("party_building:transfer-list") + "?overdue=on",
        reverse("party_building:transfer-request"),
        reverse("party_building:transfer-incoming"),
        transfer.get_absolute_url(),
    ]


def member_pages(client):
    """A member's own pages and the check-in steps, signed in as the member."""
    branch = BranchFactory()
    member = member_of(branch)
    member.user = UserFactory(username="member-a")
    member.save()
    meeting = ActivityFactory(branch=branch, date=timezone.localdate())
    AttendanceFactory(activity=ActivityFactory(branch=branch), member=member)
    commitment = CommitmentFactory(member=member, is_public=True)
    check_in = reverse("party_building:check-in", args=[checkin.make_token(meeting)])
    pages = {
        url: client.get(url).content
        for url in (
            reverse("party_building:public-campaign-list"),
            commitment.campaign.get_absolute_url(),
            reverse("party_building:member-login"),
        )
    }
    client.force_login(member.user)
    for url in (
        reverse("party_building:my-record"),
        reverse("party_building:my-meeting", args=[meeting.pk]),
        check_in,
    ):
        pages[url] = client.get(url).content
    pages[check_in + "#done"] = client.post(check_in).content
    pages["/party/check-in/forged/"] = client.get("/party/check-in/forged/").content
    return pages


def test_the_members_pages_are_valid_html(client, java):
    assert html_errors(java, member_pages(client)) == []


def test_party_building_pages_are_valid_html(client, java):
    client.force_login(administrator())
    pages = {}
    for url in party_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    assert html_errors(java, pages) == []
