"""The board's tabs in chromium: a committee administrator goes through every tab at
1280 px, keeping the chosen periods, then a branch secretary reads them on a 375 px phone.
Nothing scrolls sideways but the tables inside their own scrolling box."""

import datetime

import pytest

from members.models import Lawyer
from party_building import board, terms
from party_building.models import CommitteeElection, DuesBase
from tests.browser.conftest import sign_in
from tests.members.factories import LawyerFactory
from tests.party_building.factories import (
    BranchFactory,
    CommitteeFactory,
    LawFirmFactory,
    MembershipFactory,
    administrator,
    hold_year,
    member_of,
    secretary_of,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def build():
    today = datetime.date.today()
    committee = CommitteeFactory(name="市律师行业党委")
    branch = BranchFactory(name="湖南天地人律师事务所党支部", parent=committee)
    joint = BranchFactory(name="律师行业联合党支部", parent=committee, law_firm=None)
    hold_year(branch, today.year - 1, skip={("general_meeting", 5)})
    member = member_of(branch, member__person__name="欠费党员")
    DuesBase.objects.create(
        member=member, valid_from=datetime.date(today.year - 1, 1, 1), base_fen=800_000
    )
    firm = LawFirmFactory(name="三人未建支部律师事务所")
    for _n in range(3):
        lawyer = LawyerFactory(firm=firm, practice_status=Lawyer.Status.PRACTISING)
        MembershipFactory(member__person=lawyer.person, organization=joint)
    CommitteeElection.objects.create(organization=branch, elected_on=terms.add_years(today, -4))
    administrator()
    secretary_of(joint, username="joint-secretary")


def test_every_tab_of_the_board_at_1280_and_on_a_phone(live_server, browser, tmp_path):
    build()
    url = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(context, live_server, "party-admin")
    page = context.new_page()
    page.goto(f"{url}/party/board/?unit=year")
    assert "支部党员大会" in page.inner_text("main")  # the missed meeting
    labels = [str(tab.label) for tab in board.tabs()]
    for tab, label in zip(board.tabs(), labels, strict=True):
        page.click(f"nav.board-tabs >> text={label}")
        page.wait_for_load_state()
        assert page.url.endswith(f"{tab.get_absolute_url()}?unit=year"), page.url
        assert page.locator("nav.board-tabs [aria-current=page]").inner_text() == label
        assert page.locator("#id_unit").input_value() == "year"
        assert page.evaluate(OVERFLOW) <= 0, tab.key
        page.screenshot(path=str(tmp_path / f"board-{tab.key}-1280.png"), full_page=True)
    page.goto(f"{url}/party/board/dues/?unit=year")
    assert "欠费党员" in page.inner_text("main")
    page.goto(f"{url}/party/board/coverage/")
    assert "三人未建支部律师事务所" in page.inner_text("main")
    page.goto(f"{url}/party/board/terms/")
    assert "已到期未换届" in page.inner_text("main")
    context.close()

    # The joint branch's secretary on a phone: their branch only, every tab fits.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 800})
    sign_in(phone, live_server, "joint-secretary")
    page = phone.new_page()
    for tab in board.tabs():
        page.goto(f"{url}{tab.get_absolute_url()}")
        text = page.inner_text("main")
        assert "湖南天地人律师事务所党支部" not in text, tab.key
        assert page.evaluate(OVERFLOW) <= 0, tab.key
        page.screenshot(path=str(tmp_path / f"board-{tab.key}-375.png"), full_page=True)
    page.goto(f"{url}/party/board/coverage/")
    assert "三人未建支部律师事务所" in page.inner_text("main")
    phone.close()
