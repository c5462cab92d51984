"""签到 in chromium: the secretary shows the meeting's code at 1280 px, a member checks in on a
375 px phone (signing in on the way), is told so on a second scan, and finds the meeting in
their own record; the secretary's count goes up."""

import pytest
from django.utils import timezone

from party_building.models import Attendance
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, UserFactory
from tests.party_building.factories import ActivityFactory, BranchFactory, member_of, secretary_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_a_member_checks_in_with_the_code_the_secretary_shows(live_server, browser, tmp_path):
    branch = BranchFactory(name="天地人律师事务所党支部")
    secretary_of(branch, username="secretary")
    member = member_of(branch, member__person__name="张三")
    member.user = UserFactory(username="zhangsan")
    member.save()
    meeting = ActivityFactory(
        branch=branch, topic="学习贯彻党的二十大精神主题党日", date=timezone.localdate()
    )

    # The secretary opens the meeting and shows its code on the meeting room's screen.
    desk = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    sign_in(desk, live_server, "secretary")
    screen = desk.new_page()
    screen.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    screen.get_by_role("link", name="党员签到码（二维码）").click()
    assert screen.locator("figure.qr svg").is_visible()
    assert screen.locator("#present-count").inner_text() == "0"
    assert screen.evaluate(NO_SIDEWAYS_SCROLL)
    screen.screenshot(path=str(tmp_path / "check-in-code-1280.png"), full_page=True)
    code_url = screen.locator("#check-in-url").get_attribute("href")

    # The member scans it with a phone: signs in on the way, then confirms.
    phone_context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    phone = phone_context.new_page()
    phone.goto(code_url)
    assert "/party/me/sign-in/" in phone.url
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.screenshot(path=str(tmp_path / "check-in-sign-in-375.png"), full_page=True)
    phone.fill("#id_username", "zhangsan")
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(code_url)
    assert "学习贯彻党的二十大精神主题党日" in phone.locator("main").inner_text()
    assert not Attendance.objects.exists()  # seeing the page records nothing
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.screenshot(path=str(tmp_path / "check-in-confirm-375.png"), full_page=True)
    phone.get_by_role("button", name="我已到会，签到").click()
    assert "签到成功" in phone.locator("[role=status]").inner_text()
    phone.screenshot(path=str(tmp_path / "check-in-done-375.png"), full_page=True)

    # A second scan says so and records nothing more.
    phone.goto(code_url)
    assert "已经签到" in phone.locator("[role=status]").inner_text()
    assert phone.get_by_role("button", name="我已到会，签到").count() == 0
    attendance = Attendance.objects.get()
    assert (attendance.member, attendance.activity, attendance.status) == (
        member,
        meeting,
        Attendance.Status.PRESENT,
    )

    # The meeting is in the member's own record.
    phone.locator("main").get_by_role("link", name="我的党员档案").click()
    row = phone.locator("table.data tr", has_text="学习贯彻党的二十大精神主题党日")
    assert "实到" in row.inner_text()
    assert phone.evaluate(NO_SIDEWAYS_SCROLL)
    phone.screenshot(path=str(tmp_path / "my-record-375.png"), full_page=True)

    # The secretary refreshes the count.
    screen.get_by_role("link", name="刷新签到人数").click()
    assert screen.locator("#present-count").inner_text() == "1"
    desk.close()
    phone_context.close()
