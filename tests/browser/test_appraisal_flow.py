"""民主评议党员 and 星级评定 at 1280 px, in chromium: the branch secretary records the whole
branch's results (refused above the cap on 优秀, and for 不合格 without a note), then the
committee scores the branch and downloads the year's workbook."""

import io

import pytest
from openpyxl import load_workbook

from party_building.models import BranchAssessment, MemberAppraisal
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

YEAR = 2025


def test_a_branch_is_appraised_scored_and_reported(live_server, new_page, tmp_path):
    committee = CommitteeFactory(name="市律师行业党委")
    branch = BranchFactory(name="甲所党支部", parent=committee)
    members = [member_of(branch, member__person__name=name) for name in ("张三", "李四", "王五")]
    secretary_of(branch, username="secretary-a")
    administrator()
    url = live_server.url

    # The secretary opens the year, then the branch: everyone is 合格 to start with.
    page = new_page()
    sign_in(page.context, live_server, "secretary-a")
    page.goto(f"{url}/party/appraisals/?year={YEAR}")
    page.click("text=录入评议结果")
    assert page.locator("select[name^=result-]").count() == 3
    assert page.locator("select[name^=result-] >> nth=0").input_value() == "qualified"
    assert "为本支部评分" not in page.content()

    # Two of three found 优秀 is over the cap of 1/3: refused, and nothing saved.
    zhang, li, wang = members
    page.select_option(f"#id_result-{zhang.pk}", "excellent")
    page.select_option(f"#id_result-{li.pk}", "excellent")
    page.click("text=保存评议结果")
    assert "评为优秀的党员过多" in page.inner_text("[role=alert]")
    assert not MemberAppraisal.objects.exists()

    # One 优秀; 王五 不合格, first without the 组织处置, then with it.
    page.select_option(f"#id_result-{li.pk}", "qualified")
    page.select_option(f"#id_result-{wang.pk}", "unqualified")
    page.click("text=保存评议结果")
    assert "请写明组织处置情况" in page.inner_text(".appraisal-form")
    page.fill(f"#id_note-{wang.pk}", "限期改正")
    page.click("text=保存评议结果")
    assert "已保存3名党员的评议结果" in page.inner_text("[role=status]")
    page.screenshot(path=str(tmp_path / "appraisal-secretary-1280.png"), full_page=True)
    assert dict(MemberAppraisal.objects.values_list("member__person__name", "result")) == {
        "张三": "excellent",
        "李四": "qualified",
        "王五": "unqualified",
    }

    # The committee scores the branch; the stars follow from the total.
    admin_page = new_page()
    sign_in(admin_page.context, live_server, "party-admin")
    admin_page.goto(f"{url}/party/appraisals/?year={YEAR}")
    admin_page.click(f"a[href$='/{YEAR}/branches/{branch.pk}/score/']")
    admin_page.get_by_label("三会一课").fill("22.5")
    admin_page.get_by_label("党费").fill("9")
    admin_page.get_by_label("组织建设").fill("18")
    admin_page.get_by_label("党员教育").fill("17")
    admin_page.get_by_label("作用发挥").fill("20")
    admin_page.get_by_label("评语").fill("三会一课规范")
    admin_page.click("text=保存评分")
    assert "评定为4星" in admin_page.inner_text("[role=status]")
    assert "86.5" in admin_page.inner_text("#score-heading + table")
    admin_page.screenshot(path=str(tmp_path / "appraisal-scored-1280.png"), full_page=True)
    assert BranchAssessment.objects.get().stars == 4

    # The overview shows the stars, and the year's workbook goes upward.
    admin_page.goto(f"{url}/party/appraisals/?year={YEAR}")
    assert "4 星" in admin_page.inner_text("table")
    with admin_page.expect_download() as download:
        admin_page.click("text=2025年度评议汇总表")
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    appraisals, assessments = workbook.worksheets
    assert [cell.value for cell in appraisals[2]] == [
        "甲所党支部",
        "市律师行业党委",
        3,
        1,
        1,
        0,
        1,
        1 / 3,
    ]
    assert [cell.value for cell in assessments[2]][-4:] == [86.5, 100, 4, "三会一课规范"]
    admin_page.screenshot(path=str(tmp_path / "appraisal-overview-1280.png"), full_page=True)

    # The board's 评议 tab shows the year among the chosen periods.
    admin_page.goto(f"{url}/party/board/appraisals/?unit=year&start={YEAR}-01-01&end={YEAR}-12-31")
    tab = admin_page.inner_text("#appraisals-heading + p + .table-scroll")
    assert "86.5 / 100.0" in tab and "4 星" in tab and "参评3名：优秀1名，不合格1名" in tab
    admin_page.screenshot(path=str(tmp_path / "appraisal-board-1280.png"), full_page=True)
