"""A branch secretary's desk lists what their branches have let lapse, and nothing else's."""

import pytest
from django.urls import reverse

from tests.party_building.factories import BranchFactory, administrator, secretary_of

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
