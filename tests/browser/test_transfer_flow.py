"""组织关系转接 at 1280 px, in chromium: the sending branch's secretary requests, the
committee approves and prints the letter, the receiving branch's secretary receives."""

import re

import pytest

from party_building.models import Membership
from party_building.models.transfers import Transfer
from tests.browser.conftest import sign_in
from tests.party_building.factories import (
    BranchFactory,
    CommitteeFactory,
    administrator,
    member_of,
    secretary_of,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]


def press(page, action):
    page.click(f"button[name=_action][value={action}]")
    page.wait_for_load_state()


def test_a_member_moves_from_one_branch_to_another(live_server, new_page, tmp_path):
    committee = CommitteeFactory(name="市律师行业党委")
    sending = BranchFactory(name="甲所党支部", parent=committee)
    receiving = BranchFactory(name="乙所党支部", parent=committee)
    member = member_of(sending, member__person__name="张三")
    secretary_of(sending, username="secretary-a")
    secretary_of(receiving, username="secretary-b", email="b@example.org")
    administrator()
    url = live_server.url

    # The sending secretary requests the transfer.
    page = new_page()
    sign_in(page.context, live_server, "secretary-a")
    page.goto(f"{url}/party/transfers/")
    page.click("text=转出申请")
    page.select_option("#id_member", label="张三")
    page.check("input[name=kind][value=internal]")
    page.select_option("#id_to_branch", label="乙所党支部")
    page.fill("#id_reason", "调往乙所执业")
    page.screenshot(path=str(tmp_path / "transfer-request-1280.png"), full_page=True)
    page.click("button[type=submit].default")
    page.wait_for_url(re.compile(r"/party/transfers/\d+/$"))
    assert "待审批" in page.inner_text(".facts")
    assert page.locator("button[name=_action]").count() == 0  # the committee's step
    transfer = Transfer.objects.get()

    # The committee approves; the letter is there to print.
    committee_page = new_page()
    sign_in(committee_page.context, live_server, "party-admin")
    committee_page.goto(f"{url}{transfer.get_absolute_url()}")
    press(committee_page, "approve")
    assert "已审批" in committee_page.inner_text(".facts")
    letter = committee_page.locator("a", has_text="打印介绍信")
    response = committee_page.request.get(f"{url}{letter.get_attribute('href')}")
    assert response.headers["content-type"] == "application/pdf"

    # The receiving secretary finds it in their list and receives the member today.
    receiver = new_page()
    sign_in(receiver.context, live_server, "secretary-b")
    receiver.goto(f"{url}/party/transfers/")
    receiver.click("table.transfers a:has-text('张三')")
    receiver.wait_for_load_state()
    assert receiver.locator("#id_day").input_value()  # today, filled in
    screenshot = tmp_path / "transfer-receive-1280.png"
    receiver.screenshot(path=str(screenshot), full_page=True)
    press(receiver, "receive")
    assert "已接收" in receiver.inner_text(".facts")
    assert "组织关系已更新" in receiver.inner_text("main")
    assert receiver.evaluate("document.documentElement.scrollWidth <= innerWidth")
    receiver.screenshot(path=str(tmp_path / "transfer-received-1280.png"), full_page=True)

    current = Membership.objects.get(member=member, end__isnull=True)
    assert current.organization == receiving
