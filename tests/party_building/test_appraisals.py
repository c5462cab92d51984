"""民主评议党员 and 书记述职评议 / 星级评定: recording, the rules, the workbook, who sees what."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from party_building.models import (
    AppraisalCap,
    AssessmentItem,
    BranchAssessment,
    MemberAppraisal,
    StarThreshold,
    members_to_appraise,
)
from tests.party_building.factories import (
    BranchFactory,
    CommitteeFactory,
    administrator,
    member_of,
    secretary_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = 2025
# The queries of each page, whatever the number of branches or members (session and user
# included).
OVERVIEW_QUERIES, EXPORT_QUERIES, BRANCH_PAGE_QUERIES, SAVE_QUERIES = 10, 11, 11, 14


@pytest.fixture
def world():
    committee = CommitteeFactory(name="市律师行业党委")
    a = BranchFactory(name="甲所党支部", parent=committee)
    b = BranchFactory(name="乙所党支部", parent=committee)
    members = [member_of(a, member__person__name=f"甲所党员{n}") for n in range(1, 5)]
    member_b = member_of(b, member__person__name="乙所党员")
    return {
        "committee": committee,
        "a": a,
        "b": b,
        "members": members,
        "member_b": member_b,
        "secretary": secretary_of(a, username="secretary-a"),
    }


def branch_url(branch, year=YEAR):
    return reverse("party_building:appraisal-branch", args=[year, branch.pk])


def score_url(branch, year=YEAR):
    return reverse("party_building:assessment", args=[year, branch.pk])


def export_url(year=YEAR):
    return reverse("party_building:appraisals-xlsx", args=[year])


def results(members, **overrides):
    """The form's data: every member 合格 unless named in ``overrides`` (index → (result, note))."""
    data = {}
    for index, member in enumerate(members):
        result, note = overrides.get(f"m{index}", ("qualified", ""))
        data[f"result-{member.pk}"] = result
        data[f"note-{member.pk}"] = note
    return data


def scores(**by_name):
    data = {"comment": "工作扎实"}
    for item in AssessmentItem.objects.for_year(YEAR):
        data[f"item-{item.pk}"] = str(by_name.get(item.name, item.max_score))
    return data


@pytest.fixture
def as_secretary(client, world):
    client.force_login(world["secretary"])
    return client


@pytest.fixture
def as_admin(client, world):
    client.force_login(administrator())
    return client


# --- Who is appraised ----------------------------------------------------------------------


def test_a_member_transferred_during_the_year_is_appraised_by_the_branch_they_ended_it_in(world):
    a, b = world["a"], world["b"]
    moved = world["members"][0]
    moved.transfer(b, on=D(YEAR, 7, 1))
    assert moved not in members_to_appraise(a, YEAR)
    assert moved in members_to_appraise(b, YEAR)
    # The year before, the member was still the old branch's.
    assert moved in members_to_appraise(a, YEAR - 1)


def test_members_who_joined_after_or_left_before_the_year_are_not_appraised(world):
    late = member_of(world["a"], start=D(YEAR + 1, 3, 1))
    gone = member_of(world["a"], start=D(2015, 1, 1), end=D(YEAR - 1, 12, 31))
    listed = set(members_to_appraise(world["a"], YEAR))
    assert listed == set(world["members"])
    assert late not in listed and gone not in listed


# --- The secretary records the branch's results ---------------------------------------------


def test_the_form_lists_the_whole_branch_as_qualified_by_default(as_secretary, world):
    response = as_secretary.get(branch_url(world["a"]))
    assert response.status_code == 200
    form = response.context["form"]
    assert [row[0] for row in form.rows] == world["members"]
    assert {row[1].value() for row in form.rows} == {"qualified"}
    assert "乙所党员" not in response.content.decode()


def test_saving_records_every_member_with_its_history(as_secretary, world):
    members = world["members"]
    data = results(members, m1=("excellent", ""), m2=("basically_qualified", "学习不够"))
    response = as_secretary.post(branch_url(world["a"]), data)
    assert response.status_code == 302
    saved = {a.member: a for a in MemberAppraisal.objects.filter(year=YEAR)}
    assert saved[members[1]].result == "excellent"
    assert saved[members[2]].note == "学习不够"
    assert {a.branch for a in saved.values()} == {world["a"]}
    assert {a.created_by for a in saved.values()} == {world["secretary"]}
    history = MemberAppraisal.history.filter(member=members[1])
    assert history.get().history_user == world["secretary"]
    # Saved again with one change: one more history row, for that member only.
    data[f"result-{members[0].pk}"] = "basically_qualified"
    data[f"note-{members[0].pk}"] = "参加活动少"
    assert as_secretary.post(branch_url(world["a"]), data).status_code == 302
    assert MemberAppraisal.history.filter(member=members[0]).count() == 2
    assert MemberAppraisal.history.filter(member=members[1]).count() == 1
    assert MemberAppraisal.objects.get(member=members[0]).result == "basically_qualified"


def test_more_excellent_than_the_cap_allows_is_refused_with_a_clear_message(as_secretary, world):
    # 4 members, at most 1/3: one may be excellent.
    data = results(world["members"], m0=("excellent", ""), m1=("excellent", ""))
    response = as_secretary.post(branch_url(world["a"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "评为优秀的党员过多" in page and "1/3" in page
    assert not MemberAppraisal.objects.exists()
    data = results(world["members"], m0=("excellent", ""))
    assert as_secretary.post(branch_url(world["a"]), data).status_code == 302


def test_the_cap_is_data_for_each_year(as_secretary, world):
    AppraisalCap.objects.create(from_year=YEAR, numerator=1, denominator=2)
    data = results(world["members"], m0=("excellent", ""), m1=("excellent", ""))
    assert as_secretary.post(branch_url(world["a"]), data).status_code == 302
    assert AppraisalCap.objects.for_year(YEAR - 1).share == "1/3"  # earlier years keep theirs
    assert as_secretary.post(branch_url(world["a"], YEAR - 1), data).status_code == 400


def test_unqualified_needs_a_note_on_what_the_organisation_did(as_secretary, world):
    member = world["members"][3]
    data = results(world["members"], m3=("unqualified", "  "))
    response = as_secretary.post(branch_url(world["a"]), data)
    assert response.status_code == 400
    assert response.context["form"].errors[f"note-{member.pk}"]
    assert "组织处置" in response.content.decode()
    data = results(world["members"], m3=("unqualified", "限期改正"))
    assert as_secretary.post(branch_url(world["a"]), data).status_code == 302
    assert MemberAppraisal.objects.get(member=member).note == "限期改正"


def test_the_database_refuses_unqualified_without_a_note(world):
    appraisal = MemberAppraisal(
        member=world["members"][0], branch=world["a"], year=YEAR, result="unqualified"
    )
    with pytest.raises(ValidationError):
        appraisal.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        appraisal.save()


# --- Access at every step ---------------------------------------------------------------------


def test_a_secretary_gets_404_for_another_branchs_appraisal(as_secretary, world):
    b = world["b"]
    assert as_secretary.get(branch_url(b)).status_code == 404
    response = as_secretary.post(branch_url(b), results([world["member_b"]]))
    assert response.status_code == 404
    assert not MemberAppraisal.objects.exists()


def test_a_secretary_sees_their_branchs_score_but_cannot_score(as_secretary, world):
    BranchAssessment.objects.create(
        branch=world["a"], year=YEAR, total=Decimal(86), max_total=Decimal(100), stars=4
    )
    page = as_secretary.get(branch_url(world["a"])).content.decode()
    assert "86.0" in page and "4 星" in page
    assert "为本支部评分" not in page
    assert as_secretary.get(score_url(world["a"])).status_code == 403
    assert as_secretary.post(score_url(world["a"]), scores()).status_code == 403
    assert as_secretary.get(score_url(world["b"])).status_code == 403
    assert BranchAssessment.objects.get().total == Decimal(86)


def test_the_overview_and_the_workbook_leave_out_other_branches(as_secretary, world):
    overview = as_secretary.get(reverse("party_building:appraisals"), {"year": YEAR})
    assert [row["branch"] for row in overview.context["rows"]] == [world["a"]]
    workbook = load_workbook(io.BytesIO(as_secretary.get(export_url()).content))
    cells = [str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row]
    assert any("甲所" in cell for cell in cells)
    assert not any("乙所" in cell for cell in cells)


def test_an_administrator_records_and_scores_every_branch(as_admin, world):
    b = world["b"]
    assert as_admin.post(branch_url(b), results([world["member_b"]])).status_code == 302
    response = as_admin.post(score_url(b), scores(三会一课="20.5", 党费=8))
    assert response.status_code == 302
    assessment = BranchAssessment.objects.get(branch=b, year=YEAR)
    assert (assessment.total, assessment.max_total, assessment.stars) == (
        Decimal("93.5"),
        Decimal(100),
        5,
    )
    assert [s.score for s in assessment.scores.order_by("item__order")] == [
        Decimal(20),
        Decimal("20.5"),
        Decimal(20),
        Decimal(25),
        Decimal(8),
    ]
    assert assessment.created_by.username == "party-admin"


def test_a_score_above_its_item_is_refused(as_admin, world):
    response = as_admin.post(score_url(world["b"]), scores(党费=11))
    assert response.status_code == 400
    assert not BranchAssessment.objects.exists()


def test_the_stars_follow_the_thresholds_in_force_when_saved(as_admin, world):
    as_admin.post(score_url(world["a"]), scores(作用发挥=10))  # 85 points
    assert BranchAssessment.objects.get().stars == 4
    StarThreshold.objects.filter(stars=4).update(min_percent=88)
    as_admin.post(score_url(world["a"]), scores(作用发挥=10))
    assessment = BranchAssessment.objects.get()
    assert assessment.stars == 3
    assert assessment.history.count() == 2


def test_a_changed_sheet_applies_from_its_year(as_admin, world):
    party_dues = AssessmentItem.objects.get(name="党费")
    party_dues.until_year = YEAR - 1
    party_dues.save()
    AssessmentItem.objects.create(name="品牌创建", max_score=10, order=6, from_year=YEAR)
    names = [item.name for item in AssessmentItem.objects.for_year(YEAR)]
    assert names[-1] == "品牌创建" and "党费" not in names
    assert "党费" in [item.name for item in AssessmentItem.objects.for_year(YEAR - 1)]


def test_years_outside_the_range_are_not_found(as_admin, world):
    assert as_admin.get(branch_url(world["a"], 1999)).status_code == 404
    assert as_admin.get(reverse("party_building:appraisals"), {"year": "abc"}).status_code == 400


# --- The workbook reported upward -----------------------------------------------------------


def test_the_workbook_has_the_counts_per_branch_and_the_scores_as_numbers(as_admin, world):
    as_admin.post(
        branch_url(world["a"]),
        results(world["members"], m0=("excellent", ""), m3=("unqualified", "劝其退党")),
    )
    as_admin.post(branch_url(world["b"]), results([world["member_b"]]))
    as_admin.post(score_url(world["a"]), scores(三会一课="20.5"))
    response = as_admin.get(export_url())
    assert response["Content-Disposition"] == 'attachment; filename="party-appraisals-2025.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    appraisals, assessments = workbook.worksheets
    assert appraisals.title == "2025年民主评议党员"
    assert assessments.title == "2025年支部星级评定"
    rows = list(appraisals.iter_rows(values_only=True))
    assert rows[0] == (
        "党支部",
        "所属党组织",
        "参评党员",
        "优秀",
        "合格",
        "基本合格",
        "不合格",
        "优秀比例",
    )
    # Branches by name: 乙 (U+4E59) before 甲 (U+7532).
    assert rows[1] == ("乙所党支部", "市律师行业党委", 1, 0, 1, 0, 0, 0)
    assert rows[2] == ("甲所党支部", "市律师行业党委", 4, 1, 2, 0, 1, 0.25)
    assert rows[3] == ("合计", None, 5, 1, 3, 0, 1, 0.2)
    assert appraisals["H2"].number_format == "0%"
    assert appraisals.freeze_panes == "A2"
    assert appraisals.column_dimensions["A"].width >= 12
    rows = list(assessments.iter_rows(values_only=True))
    assert rows[0][:3] == ("党支部", "所属党组织", "组织建设（满分20.0）")
    assert rows[0][-4:] == ("总分", "满分", "星级", "评语")
    assert rows[1][:2] == ("乙所党支部", "市律师行业党委")
    assert rows[1][-1] == "未评定" and rows[1][-2] is None
    assert rows[2] == (
        "甲所党支部",
        "市律师行业党委",
        20,
        20.5,
        20,
        25,
        10,
        95.5,
        100,
        5,
        "工作扎实",
    )
    assert assessments.column_dimensions["C"].width >= 20  # 组织建设（满分20.0）


def test_text_typed_by_users_cannot_run_as_a_formula(as_admin, world):
    data = scores()
    data["comment"] = "=HYPERLINK(1)"
    as_admin.post(score_url(world["a"]), data)
    sheet = load_workbook(io.BytesIO(as_admin.get(export_url()).content)).worksheets[1]
    assert sheet["K3"].value == "'=HYPERLINK(1)"


# --- Bounded queries --------------------------------------------------------------------------


def many_branches(committee, count):
    branches = BranchFactory.create_batch(count, parent=committee)
    for branch in branches:
        member_of(branch)
        BranchAssessment.objects.create(
            branch=branch, year=YEAR, total=Decimal(75), max_total=Decimal(100), stars=3
        )
    return branches


def queries(client, url, data=None):
    """The number of queries one request runs, and its status code."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data is not None else client.get(url)
    return page_queries(captured), response.status_code


def test_the_overview_and_the_workbook_run_the_same_queries_for_2_and_12_branches(as_admin, world):
    many_branches(world["committee"], 2)
    few = [queries(as_admin, reverse("party_building:appraisals")), queries(as_admin, export_url())]
    many_branches(world["committee"], 10)
    many = [
        queries(as_admin, reverse("party_building:appraisals")),
        queries(as_admin, export_url()),
    ]
    assert few == many
    (overview, _status), (export, _status) = few
    assert overview <= OVERVIEW_QUERIES and export <= EXPORT_QUERIES, few
    assert {status for _count, status in few} == {200}


def test_the_branch_page_runs_the_same_queries_for_4_and_20_members(as_admin, world):
    large = BranchFactory(name="丙所党支部", parent=world["committee"])
    for _ in range(20):
        member_of(large)
    counts = []
    for branch in (world["a"], large):
        members = list(members_to_appraise(branch, YEAR))
        shown = queries(as_admin, branch_url(branch))
        created = queries(as_admin, branch_url(branch), results(members))
        changed = queries(as_admin, branch_url(branch), results(members, m0=("excellent", "")))
        counts.append([shown, created, changed])
    assert counts[0] == counts[1]
    (shown, _), (created, _), (changed, _) = counts[0]
    assert shown <= BRANCH_PAGE_QUERIES and max(created, changed) <= SAVE_QUERIES, counts[0]
    assert [status for _count, status in counts[0]] == [200, 302, 302]


# --- The board's 评议 tab ---------------------------------------------------------------------


def test_the_board_tab_shows_each_years_score_stars_and_results(as_admin, world):
    a = world["a"]
    BranchAssessment.objects.create(
        branch=a, year=YEAR - 1, total=Decimal(72), max_total=Decimal(100), stars=3
    )
    BranchAssessment.objects.create(
        branch=a, year=YEAR, total=Decimal("91.5"), max_total=Decimal(100), stars=5
    )
    for member, result in zip(
        world["members"][:3], ["excellent", "qualified", "qualified"], strict=True
    ):
        MemberAppraisal.objects.create(member=member, branch=a, year=YEAR, result=result)
    choices = {"unit": "year", "start": f"{YEAR - 1}-01-01", "end": f"{YEAR}-12-31"}
    url = reverse("party_building:board-tab", kwargs={"tab": "appraisals"})
    response = as_admin.get(url, choices)
    assert response.context["years"] == [YEAR - 1, YEAR]
    rows = dict(response.context["appraisal_rows"])
    before, this_year = rows[a]
    assert (before["assessment"].stars, this_year["assessment"].stars) == (3, 5)
    assert (this_year["appraised"], this_year["counts"]["excellent"]) == (3, 1)
    assert rows[world["b"]][1]["assessment"] is None
    page = response.content.decode()
    assert "91.5" in page and "5 星" in page and "参评3名：优秀1名，不合格0名" in page
    export = as_admin.get(
        reverse("party_building:board-tab-xlsx", kwargs={"tab": "appraisals"}), choices
    )
    sheet = load_workbook(io.BytesIO(export.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[2:4] == [f"{YEAR - 1}年总分", f"{YEAR - 1}年星级"]
    row = [cell.value for cell in sheet[3]]  # 甲 after 乙
    assert row == ["甲所党支部", "市律师行业党委", 72, 3, 0, 0, 0, 91.5, 5, 3, 1, 0]


def test_the_admin_lists_results_and_sheets_but_changes_them_on_their_pages(as_admin, world):
    appraisal = MemberAppraisal.objects.create(
        member=world["members"][0], branch=world["a"], year=YEAR, result="excellent"
    )
    assert as_admin.get(reverse("admin:party_building_memberappraisal_add")).status_code == 403
    change = reverse("admin:party_building_memberappraisal_change", args=[appraisal.pk])
    assert as_admin.get(change).status_code == 200  # read only
    as_admin.post(change, {"result": "qualified", "note": ""})
    appraisal.refresh_from_db()
    assert appraisal.result == "excellent"


@pytest.mark.validators
def test_the_appraisal_pages_are_valid_html_with_and_without_errors(as_admin, world, java):
    from tests.validators import html_errors

    a = world["a"]
    MemberAppraisal.objects.create(member=world["members"][0], branch=a, year=YEAR)
    BranchAssessment.objects.create(
        branch=a, year=YEAR, total=Decimal(88), max_total=Decimal(100), stars=4, comment="好"
    )
    pages = {
        url: as_admin.get(url).content
        for url in (
            reverse("party_building:appraisals") + f"?year={YEAR}",
            branch_url(a),
            score_url(a),
            reverse("party_building:board-tab", kwargs={"tab": "appraisals"}) + "?unit=year",
        )
    }
    refused = results(world["members"], m0=("excellent", ""), m1=("unqualified", ""))
    pages[branch_url(a) + "#refused"] = as_admin.post(branch_url(a), refused).content
    pages[score_url(a) + "#refused"] = as_admin.post(score_url(a), scores(党费=11)).content
    assert html_errors(java, pages) == []


def test_what_an_administrator_typed_about_an_item_is_shown_as_text(as_admin, world):
    AssessmentItem.objects.filter(name="党费").update(description="<b>按时</b>足额")
    page = as_admin.get(score_url(world["a"])).content.decode()
    assert "&lt;b&gt;按时&lt;/b&gt;足额" in page and "<b>按时</b>" not in page
