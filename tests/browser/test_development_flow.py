"""党员发展 at 1280 px, in chromium: the branch secretary records an application and takes it
through every stage in order (refused when the mentors are missing), to the confirmation
(转正); the committee's administrator then finds the branch on the board's 党员发展 tab."""

import pytest

from party_building.models import DevelopmentRecord, PartyMember
from tests.browser.conftest import sign_in
from tests.party_building.factories import (
    BranchFactory,
    CommitteeFactory,
    PersonFactory,
    administrator,
    member_of,
    secretary_of,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reseed"),
]


def save(page):
    page.click("input[name=_continue]")
    page.wait_for_load_state()


def fill(page, **days):
    for field, value in days.items():
        page.fill(f"#id_{field}", value)


def add_sponsor(page, row, role, name):
    page.click(".add-row a")
    page.select_option(f"#id_sponsors-{row}-role", role)
    page.select_option(f"#id_sponsors-{row}-member", label=name)


def test_an_application_goes_to_the_confirmation_in_order(live_server, new_page, tmp_path):
    committee = CommitteeFactory(name="市律师行业党委")
    branch = BranchFactory(name="甲所党支部", parent=committee)
    for name in ("张三", "李四", "王五", "赵六"):
        member_of(branch, member__person__name=name)
    PersonFactory(name="王小明")
    secretary_of(branch, username="secretary-a")
    administrator()
    url = live_server.url

    # The secretary records the application, choosing the person by name.
    page = new_page()
    sign_in(page.context, live_server, "secretary-a")
    page.goto(f"{url}/admin/party_building/developmentrecord/add/")
    page.click("#id_person + .select2 .select2-selection")
    page.fill(".select2-search__field", "王小明")
    page.click(".select2-results__option >> text=王小明")
    page.select_option("#id_branch", label="甲所党支部")
    fill(page, applied_on="2022-03-01")
    save(page)
    assert "成功" in page.inner_text(".messagelist")
    record = DevelopmentRecord.objects.get()
    assert record.stage == "applicant"

    # The talk, then 入党积极分子.
    fill(page, talk_on="2022-03-20", activist_on="2022-06-01")
    page.select_option("#id_stage", "activist")
    save(page)
    record.refresh_from_db()
    assert record.stage == "activist"

    # 发展对象 without mentors is refused; with two it is recorded.
    fill(page, candidate_on="2023-06-01")
    page.select_option("#id_stage", "candidate")
    save(page)
    assert "两名培养联系人" in page.inner_text(".errorlist")
    add_sponsor(page, 0, "mentor", "张三")
    add_sponsor(page, 1, "mentor", "李四")
    save(page)
    record.refresh_from_db()
    assert record.stage == "candidate"

    # Vetting, the public notice, the general meeting's vote with two introducers.
    fill(
        page,
        vetted_on="2023-08-01",
        publicized_from="2023-09-01",
        publicized_to="2023-09-07",
        admitted_on="2023-09-15",
        admission_vote="应到6人，实到6人，赞成6票",
    )
    add_sponsor(page, 2, "introducer", "王五")
    add_sponsor(page, 3, "introducer", "赵六")
    page.select_option("#id_stage", "probationary")
    save(page)
    record.refresh_from_db()
    assert record.stage == "probationary"
    assert PartyMember.objects.get(person=record.person).status == "probationary"

    # 转正 once the year of probation is over.
    fill(page, confirmed_on="2024-09-20", confirmation_vote="应到7人，实到7人，赞成7票")
    page.select_option("#id_stage", "full")
    save(page)
    record.refresh_from_db()
    assert record.stage == "full"
    assert PartyMember.objects.get(person=record.person).status == "full"
    page.set_viewport_size({"width": 1280, "height": 900})
    shot = tmp_path / "development-confirmed-1280.png"
    page.screenshot(path=str(shot), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280, width

    # The administrator sees the branch's confirmation on the board's tab.
    admin_page = new_page()
    sign_in(admin_page.context, live_server, "party-admin")
    admin_page.goto(f"{url}/party/board/development/?unit=year&start=2024-01-01&end=2024-12-31")
    table = admin_page.inner_text("table.data")
    assert "甲所党支部" in table
    admin_page.screenshot(path=str(tmp_path / "development-board-1280.png"), full_page=True)
    assert admin_page.evaluate("document.documentElement.scrollWidth") <= 1280
