"""覆盖: firms with three or more full members and no branch of their own are flagged."""

import datetime

import pytest
from django.urls import reverse

from members.models import Lawyer
from tests.members.factories import LawyerFactory
from tests.party_building.factories import (
    BranchFactory,
    LawFirmFactory,
    MembershipFactory,
    administrator,
    secretary_of,
)

pytestmark = pytest.mark.django_db

COVERAGE = reverse("party_building:board-tab", args=["coverage"])
D = datetime.date


def lawyer_member(firm, branch, *, status="full", end=None, practising=True):
    lawyer = LawyerFactory(
        firm=firm,
        practice_status=Lawyer.Status.PRACTISING if practising else Lawyer.Status.SUSPENDED,
    )
    MembershipFactory(
        member__person=lawyer.person, member__status=status, organization=branch, end=end
    )
    return lawyer


@pytest.fixture
def joint():
    """A joint branch (联合党支部) where members of several firms are registered."""
    return BranchFactory(name="联合党支部", law_firm=None)


def flagged(client, user=None):
    client.force_login(user or administrator())
    response = client.get(COVERAGE)
    assert response.status_code == 200
    return [firm.name for firm, _where in response.context["firms"]]


def test_a_firm_with_three_full_members_and_no_branch_is_flagged(client, joint):
    firm = LawFirmFactory(name="三人律师事务所")
    for _n in range(3):
        lawyer_member(firm, joint)
    assert flagged(client) == ["三人律师事务所"]
    page = client.get(COVERAGE).content.decode()
    assert "联合党支部（3）" in page


def test_probationary_ended_and_non_practising_members_do_not_count(client, joint):
    firm = LawFirmFactory(name="差一人律师事务所")
    lawyer_member(firm, joint)
    lawyer_member(firm, joint)
    lawyer_member(firm, joint, status="probationary")
    lawyer_member(firm, joint, end=D(2020, 1, 1))  # left the bar's party organisations
    lawyer_member(firm, joint, practising=False)
    assert flagged(client) == []


def test_a_firm_with_a_branch_of_its_own_is_not_flagged(client, joint):
    firm = LawFirmFactory(name="有支部律师事务所")
    own = BranchFactory(law_firm=firm)
    for _n in range(2):
        lawyer_member(firm, joint)
    for _n in range(3):
        lawyer_member(firm, own)
    assert flagged(client) == []


def test_a_secretary_sees_the_firms_of_their_branch_only(client, joint):
    firm = LawFirmFactory(name="联合所甲")
    for _n in range(3):
        lawyer_member(firm, joint)
    other_joint = BranchFactory(name="另一联合党支部", law_firm=None)
    other = LawFirmFactory(name="联合所乙")
    for _n in range(3):
        lawyer_member(other, other_joint)
    assert flagged(client, secretary_of(joint)) == ["联合所甲"]
    csv = client.get(reverse("party_building:board-tab-csv", args=["coverage"]))
    text = csv.content.decode("utf-8-sig")
    assert "联合所甲" in text and "联合所乙" not in text
