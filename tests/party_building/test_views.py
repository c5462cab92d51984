import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from news.models import Article
from party_building.models import DuesBase, Officer, PartyOrganization
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    CommitteeFactory,
    OfficerFactory,
    PartyMemberFactory,
    administrator,
    member_of,
    party_article,
    secretary_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def admin_client(client, db):
    client.force_login(administrator())
    return client


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return page_queries(context)


# --- The branch page ----------------------------------------------------------------------------


@pytest.fixture
def branch():
    branch = BranchFactory(name="湖南天地人律师事务所党支部", parent=CommitteeFactory())
    member_of(branch, member__person__name="张三")
    gone = member_of(branch, start=D(2015, 1, 1), member__person__name="李四")
    gone.transfer(BranchFactory(), on=D(2020, 1, 1))
    OfficerFactory(
        organization=branch, person=gone.person, term_start=D(2015, 1, 1), term_end=D(2019, 12, 31)
    )
    OfficerFactory(organization=branch, person__name="王书记", role=Officer.Role.SECRETARY)
    ActivityFactory(branch=branch, topic="学习党章", date=D(2024, 5, 1))
    return branch


def test_the_branch_page_shows_current_members_officers_and_activities(admin_client, branch):
    page = admin_client.get(branch.get_absolute_url()).content.decode()
    assert "张三" in page and "李四" not in page  # 李四 moved away in 2020
    assert "书记：王书记" in page
    assert "学习党章" in page
    assert "最近四个季度的落实情况" in page
    assert branch.get_public_url() in page


def test_the_branch_page_shows_each_requirement_per_quarter(admin_client, branch):
    response = admin_client.get(branch.get_absolute_url())
    labels = [requirement.label for requirement, _details in response.context["requirement_rows"]]
    assert "支部党员大会 每季度1次" in labels
    assert all(len(details) == 4 for _requirement, details in response.context["requirement_rows"])


def test_the_branch_page_paginates_members_and_activities(admin_client, branch):
    for _ in range(25):
        member_of(branch)
        ActivityFactory(branch=branch)
    response = admin_client.get(
        branch.get_absolute_url(), {"members_page": 2, "activities_page": 2}
    )
    assert response.context["memberships"].number == 2
    assert len(response.context["activities"].object_list) == 6
    assert "members_page=2&amp;activities_page=1" in response.content.decode()


def test_the_branch_page_runs_the_same_queries_for_5_and_30_rows(admin_client, branch):
    def add(count):
        for _ in range(count):
            member = member_of(branch)
            activity = ActivityFactory(branch=branch, article=party_article())
            AttendanceFactory(activity=activity, member=member)

    add(5)
    few = count_queries(admin_client, branch.get_absolute_url())
    add(25)
    assert count_queries(admin_client, branch.get_absolute_url()) == few


def test_an_unknown_branch_answers_404(admin_client):
    assert admin_client.get(reverse("party_building:branch", args=[999])).status_code == 404


# --- Activities -----------------------------------------------------------------------------------


def test_the_activity_list_filters_by_kind_and_date(admin_client):
    wanted = ActivityFactory(kind="party_lecture", date=D(2024, 3, 1))
    ActivityFactory(kind="party_lecture", date=D(2023, 3, 1))
    ActivityFactory(kind="themed_day", date=D(2024, 3, 1))
    response = admin_client.get(
        reverse("party_building:activity-list"),
        {"kind": "party_lecture", "date_from": "2024-01-01"},
    )
    assert list(response.context["page_obj"].object_list) == [wanted]


@pytest.mark.parametrize(
    "params", [{"date_from": "0001-01-01"}, {"date_to": "x"}, {"branch": "abc"}, {"page": "99"}]
)
def test_bad_activity_filters_never_break_the_list(admin_client, params):
    ActivityFactory()
    response = admin_client.get(reverse("party_building:activity-list"), params)
    # A page past the end is "not found"; every other bad filter shows the list.
    assert response.status_code == (404 if "page" in params else 200)


def test_the_activity_list_runs_the_same_queries_for_5_and_60_activities(admin_client):
    def add(count):
        for _ in range(count):
            activity = ActivityFactory(
                article=party_article(), presided_by=PartyMemberFactory().person
            )
            AttendanceFactory(activity=activity, member=member_of(activity.branch))

    add(5)
    few = count_queries(admin_client, reverse("party_building:activity-list"))
    add(55)
    assert count_queries(admin_client, reverse("party_building:activity-list")) == few


def test_the_activity_page_shows_minutes_and_attendance(admin_client):
    activity = ActivityFactory(minutes="<p>会议讨论了年度工作计划。</p>")
    AttendanceFactory(
        activity=activity,
        member=member_of(activity.branch, member__person__name="赵六"),
        status="excused",
        reason="出差",
    )
    page = admin_client.get(activity.get_absolute_url()).content.decode()
    assert "会议讨论了年度工作计划。" in page
    assert "赵六" in page and "请假" in page and "出差" in page
    assert "应到 1 人，实到 0 人，请假 1 人，缺席 0 人" in page


# --- The public branch page ----------------------------------------------------------------


@pytest.fixture
def reported():
    branch = BranchFactory(name="湖南天地人律师事务所党支部")
    member = member_of(branch, member__person__name="张三")
    public = ActivityFactory(
        branch=branch, topic="重温入党誓词", article=party_article(), kind="themed_day"
    )
    AttendanceFactory(activity=public, member=member)
    ActivityFactory(branch=branch, topic="尚未报道的支委会")
    ActivityFactory(
        branch=branch, topic="报道还是草稿", article=party_article(status=Article.Status.DRAFT)
    )
    return branch, public


def test_the_public_branch_page_lists_published_activities_only(client, reported):
    branch, public = reported
    page = client.get(branch.get_public_url()).content.decode()
    assert "重温入党誓词" in page and public.article.get_absolute_url() in page
    assert "主题党日" in page
    assert "尚未报道的支委会" not in page and "报道还是草稿" not in page


def test_the_public_branch_page_never_shows_members_or_attendance(client, reported):
    branch, _public = reported
    page = client.get(branch.get_public_url()).content.decode()
    assert "张三" not in page and "出勤" not in page and "实到" not in page


def test_the_public_branch_page_names_the_law_firm(client, reported):
    branch, _public = reported
    assert branch.law_firm.name in client.get(branch.get_public_url()).content.decode()


def test_the_public_pages_run_the_same_queries_for_5_and_40_activities(client, reported):
    branch, _public = reported
    urls = [branch.get_public_url(), reverse("party_building:public-branch-list")]

    def add(count):
        for _ in range(count):
            ActivityFactory(branch=branch, article=party_article())
            ActivityFactory(article=party_article())  # another branch

    add(5)
    few = [count_queries(client, url) for url in urls]
    add(35)
    assert [count_queries(client, url) for url in urls] == few


def test_the_public_list_shows_branches_with_reported_activities(client, reported):
    BranchFactory(name="没有报道的支部")
    page = client.get(reverse("party_building:public-branch-list")).content.decode()
    assert "湖南天地人律师事务所党支部" in page and "没有报道的支部" not in page


def test_a_committee_has_no_public_branch_page(client):
    committee = CommitteeFactory()
    assert (
        client.get(reverse("party_building:public-branch", args=[committee.pk])).status_code == 404
    )


def test_a_secretary_reaches_the_board_of_their_branch(client):
    branch = BranchFactory()
    client.force_login(secretary_of(branch))
    response = client.get(reverse("party_building:board"))
    assert [row.branch for row in response.context["board"].rows] == [branch]
    assert PartyOrganization.objects.count() == 1


def test_the_default_board_selects_the_quarter_it_shows(admin_client):
    BranchFactory()
    response = admin_client.get(reverse("party_building:board"))
    assert response.context["board"].unit == "quarter"
    assert '<option value="quarter" selected>' in response.content.decode()


def test_the_board_lists_members_owing_dues_in_the_chosen_periods(admin_client):
    branch = BranchFactory(name="欠费所党支部")
    member = member_of(branch, member__person__name="欠费党员")
    DuesBase.objects.create(member=member, valid_from=D(2024, 1, 1), base_fen=800_000)
    params = {"unit": "quarter", "start": "2024-01-01", "end": "2024-03-31"}
    dues_tab = reverse("party_building:board-tab", args=["dues"])
    page = admin_client.get(dues_tab, params).content.decode()
    assert "欠费党员" in page and "360.00" in page  # three months at 120 元
    assert (
        "欠费党员" not in admin_client.get(reverse("party_building:board"), params).content.decode()
    )
