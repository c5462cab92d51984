"""A branch secretary's desk lists what their branches have let lapse, and nothing else's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from party_building import board
from party_building.models import OrganizationManager
from tests.party_building.factories import (
    ActivityFactory,
    BranchFactory,
    administrator,
    secretary_of,
)

pytestmark = pytest.mark.django_db


def test_a_secretary_sees_the_overdue_items_of_their_branch(client):
    branch = BranchFactory(name="天地人律师事务所党支部")  # no activity recorded at all
    other = BranchFactory(name="别的律师事务所党支部")
    client.force_login(secretary_of(branch))
    page = client.get(reverse("admin:index")).content.decode()
    panel = page[page.index('id="desk-overdue"') :]
    assert "天地人律师事务所党支部" in panel and "逾期" in panel
    assert other.name not in page


def test_the_committee_has_the_board_not_this_panel(client):
    BranchFactory()
    client.force_login(administrator())
    assert 'id="desk-overdue"' not in client.get(reverse("admin:index")).content.decode()


def menu_count(client) -> int:
    page = client.get(reverse("admin:news_source_changelist")).content.decode()
    menu = page[page.index('class="desk-menu"') :]
    return int(menu[menu.index('class="desk-count">') + len('class="desk-count">') :].split("<")[0])


@pytest.fixture
def worked_out(monkeypatch):
    """How many times the branches' due items were worked out."""
    calls = []
    real = board.due_items_by_branch

    def due_items_by_branch(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(board, "due_items_by_branch", due_items_by_branch)
    return calls


def test_the_menu_count_is_kept_until_a_branch_record_changes(client, worked_out):
    branch = BranchFactory(established=datetime.date(2023, 1, 1))
    client.force_login(secretary_of(branch))
    before = menu_count(client)
    assert before > 0
    assert menu_count(client) == before
    assert len(worked_out) == 1  # the second page used the kept count
    # Last month's committee meeting, recorded late: one overdue item fewer.
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    ActivityFactory(branch=branch, kind="committee_meeting", date=last_month)
    assert menu_count(client) == before - 1
    assert len(worked_out) == 2


def test_the_menu_count_is_kept_per_user_and_per_day(client, worked_out, monkeypatch):
    first, second = BranchFactory(), BranchFactory()
    ActivityFactory(branch=second, kind="general_meeting", date=timezone.localdate())
    client.force_login(secretary_of(first))
    count = menu_count(client)
    client.force_login(secretary_of(second, email="second@example.org"))
    menu_count(client)
    assert len(worked_out) == 2  # not the first secretary's count
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)
    client.force_login(secretary_of(first, username="first-again", email="a@example.org"))
    assert menu_count(client) >= count
    assert len(worked_out) == 3


def test_who_manages_a_branch_moves_the_count(client, worked_out):
    mine, other = BranchFactory(), BranchFactory()
    secretary = secretary_of(mine)
    client.force_login(secretary)
    before = menu_count(client)
    OrganizationManager.objects.create(user=secretary, organization=other)
    assert menu_count(client) > before
