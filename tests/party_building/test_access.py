"""A branch secretary reaches their own branch's data only, through every URL."""

import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from openpyxl import load_workbook

from party_building import access
from party_building.models import (
    Attendance,
    BranchActivity,
    Campaign,
    Commitment,
    DuesBand,
    DuesBase,
    DuesPayment,
    Membership,
    OrganizationManager,
    PartyMember,
    PartyOrganization,
    ReminderLog,
    Requirement,
)
from party_building.models.assessments import (
    AppraisalCap,
    AssessmentItem,
    BranchAssessment,
    MemberAppraisal,
    StarThreshold,
)
from party_building.models.development import DevelopmentRecord, DevelopmentRule
from party_building.models.terms import CommitteeElection
from party_building.models.transfers import TransferPolicy
from tests.factories import UserFactory
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    CampaignFactory,
    CommitmentFactory,
    CommitteeFactory,
    administrator,
    development_record,
    member_of,
    party_article,
    secretary_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = datetime.date
PARTY_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "party_building"),
    key=lambda model: model._meta.model_name,
)
# Reference data every secretary may read, and that belongs to no branch.
SHARED = {Campaign, DuesBand, Requirement, TransferPolicy}
SHARED |= {AppraisalCap, AssessmentItem, StarThreshold}
SHARED |= {DevelopmentRule}


@pytest.fixture
def world():
    committee = CommitteeFactory()
    a = BranchFactory(name="甲所党支部", parent=committee)
    b = BranchFactory(name="乙所党支部", parent=committee)
    secretary = secretary_of(a, username="secretary-a")
    secretary_b = secretary_of(b, username="secretary-b", email="b@example.org")
    member_a = member_of(a, member__person__name="甲所党员")
    member_b = member_of(b, member__person__name="乙所党员")
    activity_a = ActivityFactory(branch=a, topic="甲所学习会", date=D(2024, 2, 1))
    activity_b = ActivityFactory(branch=b, topic="乙所学习会", date=D(2024, 2, 1))
    AttendanceFactory(activity=activity_a, member=member_a)
    AttendanceFactory(activity=activity_b, member=member_b)
    campaign = CampaignFactory()
    return {
        "committee": committee,
        "a": a,
        "b": b,
        "secretary": secretary,
        "member_a": member_a,
        "member_b": member_b,
        "activity_a": activity_a,
        "activity_b": activity_b,
        # One record of branch B for every model in the admin.
        "b_records": {
            PartyOrganization: b,
            PartyMember: member_b,
            Membership: member_b.memberships.get(),
            BranchActivity: activity_b,
            Commitment: CommitmentFactory(member=member_b, campaign=campaign),
            OrganizationManager: OrganizationManager.objects.get(user=secretary_b),
            ReminderLog: ReminderLog.objects.create(
                user=secretary_b, kind="daily", sent_on=D(2024, 2, 1)
            ),
            Campaign: campaign,
            Requirement: Requirement.objects.first(),
            DuesBand: DuesBand.objects.first(),
            AppraisalCap: AppraisalCap.objects.first(),
            AssessmentItem: AssessmentItem.objects.first(),
            StarThreshold: StarThreshold.objects.first(),
            MemberAppraisal: MemberAppraisal.objects.create(
                member=member_b, branch=b, year=2024, result="excellent"
            ),
            BranchAssessment: BranchAssessment.objects.create(branch=b, year=2024, total=88),
            TransferPolicy: TransferPolicy.current(),
            DevelopmentRule: DevelopmentRule.objects.first(),
            CommitteeElection: CommitteeElection.objects.create(
                organization=b, elected_on=D(2023, 1, 1)
            ),
            DevelopmentRecord: development_record(b, "probationary"),
            DuesBase: DuesBase.objects.create(
                member=member_b, valid_from=D(2024, 1, 1), base_fen=800_000
            ),
            DuesPayment: DuesPayment.objects.create(
                member=member_b,
                branch=b,
                month=D(2024, 1, 1),
                amount_fen=12_000,
                paid_on=D(2024, 1, 10),
            ),
        },
    }


@pytest.fixture
def as_secretary(client, world):
    client.force_login(world["secretary"])
    return client


# --- The rule --------------------------------------------------------------------------------


def test_a_secretary_sees_their_own_branch_only(world):
    assert list(access.organizations_for(world["secretary"])) == [world["a"]]
    assert access.can_manage(world["secretary"], world["a"])
    assert not access.can_manage(world["secretary"], world["b"])


def test_a_general_branch_manager_sees_the_branches_under_it(world):
    general = PartyOrganization.objects.create(
        kind="general_branch", name="联合党总支", parent=world["committee"]
    )
    under = BranchFactory(parent=general)
    manager = secretary_of(general, username="general")
    assert set(access.organizations_for(manager)) == {general, under}


def test_committee_administrators_see_every_organisation(world):
    assert access.organizations_for(administrator()).count() == 3


def test_anonymous_and_inactive_users_see_nothing(world):
    world["secretary"].is_active = False
    assert not access.organizations_for(world["secretary"]).exists()
    assert not access.organizations_for(AnonymousUser()).exists()


# --- Every admin URL -------------------------------------------------------------------------


def admin_url(model, view, *args):
    return reverse(f"admin:party_building_{model._meta.model_name}_{view}", args=args)


def test_the_walk_covers_every_model_in_the_admin(world):
    assert set(world["b_records"]) == set(PARTY_MODELS)


@pytest.mark.parametrize("model", PARTY_MODELS, ids=lambda model: model._meta.model_name)
def test_a_secretary_cannot_reach_another_branchs_record_in_the_admin(as_secretary, world, model):
    record = world["b_records"][model]
    if model in SHARED:
        # Shared reference data: readable, never deletable by a secretary.
        assert as_secretary.get(admin_url(model, "delete", record.pk)).status_code == 403
        return
    for view in ("change", "delete", "history"):
        response = as_secretary.get(admin_url(model, view, record.pk))
        assert response.status_code in (403, 404), (view, response.status_code)
        response = as_secretary.post(admin_url(model, view, record.pk), {"post": "yes"})
        assert response.status_code in (403, 404), (view, "POST", response.status_code)
    assert model.objects.filter(pk=record.pk).exists()
    changelist = as_secretary.get(admin_url(model, "changelist"))
    if changelist.status_code == 200:
        assert record.pk not in {row.pk for row in changelist.context["cl"].result_list}
    else:
        assert changelist.status_code == 403


@pytest.mark.parametrize(
    ("model", "own"),
    [
        (BranchActivity, "activity_a"),
        (PartyMember, "member_a"),
        (PartyOrganization, "a"),
    ],
)
def test_a_secretary_reads_their_own_records_but_cannot_delete_them(
    as_secretary, world, model, own
):
    record = world[own]
    assert as_secretary.get(admin_url(model, "change", record.pk)).status_code == 200
    assert as_secretary.get(admin_url(model, "history", record.pk)).status_code == 200
    assert (
        as_secretary.post(admin_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    )
    assert model.objects.filter(pk=record.pk).exists()


def test_an_administrator_reaches_every_branchs_records(client, world):
    client.force_login(administrator())
    for model, record in world["b_records"].items():
        url = admin_url(model, "change", record.pk)
        assert client.get(url).status_code == 200, model


def activity_form(branch, **overrides):
    data = {
        "branch": branch.pk,
        "kind": "themed_day",
        "date": "2024-03-05",
        "place": "会议室",
        "topic": "主题党日：重温入党誓词",
        "minutes": "<p>重温入党誓词。</p>",
        "attendance-TOTAL_FORMS": "0",
        "attendance-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_secretary_records_an_activity_with_attendance_for_their_branch(as_secretary, world):
    response = as_secretary.post(
        admin_url(BranchActivity, "add"),
        activity_form(
            world["a"],
            **{
                "attendance-TOTAL_FORMS": "1",
                "attendance-0-member": world["member_a"].pk,
                "attendance-0-status": "present",
            },
        ),
    )
    assert response.status_code == 302
    activity = BranchActivity.objects.get(topic="主题党日：重温入党誓词")
    assert (activity.branch, activity.created_by) == (world["a"], world["secretary"])
    assert list(activity.attendance.values_list("member", flat=True)) == [world["member_a"].pk]


def test_a_secretary_cannot_record_an_activity_for_another_branch(as_secretary, world):
    response = as_secretary.post(admin_url(BranchActivity, "add"), activity_form(world["b"]))
    assert response.status_code == 200  # the form comes back with an error
    assert "branch" in response.context["adminform"].form.errors
    assert not BranchActivity.objects.filter(topic="主题党日：重温入党誓词").exists()


def test_a_secretary_cannot_move_their_activity_to_another_branch(as_secretary, world):
    activity = world["activity_a"]
    as_secretary.post(
        admin_url(BranchActivity, "change", activity.pk),
        activity_form(world["b"], **{"attendance-INITIAL_FORMS": "0"}),
    )
    activity.refresh_from_db()
    assert activity.branch == world["a"]


def test_a_secretary_cannot_record_another_branchs_member_as_attending(as_secretary, world):
    response = as_secretary.post(
        admin_url(BranchActivity, "add"),
        activity_form(
            world["a"],
            **{
                "attendance-TOTAL_FORMS": "1",
                "attendance-0-member": world["member_b"].pk,
                "attendance-0-status": "present",
            },
        ),
    )
    assert response.status_code == 200
    assert not Attendance.objects.filter(member=world["member_b"], activity__branch=world["a"])


def test_the_member_autocomplete_offers_the_secretarys_members_only(as_secretary, world):
    response = as_secretary.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "party_building",
            "model_name": "attendance",
            "field_name": "member",
            "term": "党员",
        },
    )
    assert [row["text"] for row in response.json()["results"]] == ["甲所党员"]


def test_a_secretary_adds_a_member_to_their_branch_and_only_there(as_secretary, world):
    from members.models import Person

    person = Person.objects.create(name="新党员")
    data = {
        "person": person.pk,
        "status": "probationary",
        "joined_party": "2024-07-01",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-organization": world["b"].pk,
        "memberships-0-start": "2024-07-01",
        "memberships-0-role": "member",
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }
    assert as_secretary.post(admin_url(PartyMember, "add"), data).status_code == 200
    assert not PartyMember.objects.filter(person=person).exists()
    data["memberships-0-organization"] = world["a"].pk
    assert as_secretary.post(admin_url(PartyMember, "add"), data).status_code == 302
    assert PartyMember.objects.get(person=person).memberships.get().organization == world["a"]


def test_a_secretary_must_put_a_new_member_in_a_branch(as_secretary, world):
    from members.models import Person

    person = Person.objects.create(name="无支部党员")
    data = {
        "person": person.pk,
        "status": "full",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }
    assert as_secretary.post(admin_url(PartyMember, "add"), data).status_code == 200
    assert not PartyMember.objects.filter(person=person).exists()


def test_the_branch_filter_in_the_admin_offers_the_secretarys_branches_only(as_secretary, world):
    page = as_secretary.get(admin_url(BranchActivity, "changelist")).content.decode()
    assert "甲所党支部" in page and "乙所党支部" not in page


# --- Every staff and public URL ----------------------------------------------------------------


def staff_urls(world):
    b = world["b"]
    return [
        reverse("party_building:branch", args=[b.pk]),
        reverse("party_building:activity", args=[world["activity_b"].pk]),
    ]


def test_a_secretary_gets_404_for_another_branchs_staff_pages(as_secretary, world):
    for url in staff_urls(world):
        assert as_secretary.get(url).status_code == 404, url
    assert (
        as_secretary.get(reverse("party_building:branch", args=[world["a"].pk])).status_code == 200
    )


@pytest.mark.parametrize(
    "name",
    ["board", "board-csv", "activity-list", "activities-csv"],
)
def test_lists_and_exports_leave_out_other_branches(as_secretary, world, name):
    content = as_secretary.get(reverse(f"party_building:{name}")).content.decode("utf-8-sig")
    assert "甲所" in content
    assert "乙所" not in content


@pytest.mark.parametrize("name", ["board-xlsx", "activities-xlsx"])
def test_excel_exports_leave_out_other_branches(as_secretary, world, name):
    response = as_secretary.get(reverse(f"party_building:{name}"))
    cells = [
        str(value)
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        for value in row
    ]
    assert any("甲所" in cell for cell in cells)
    assert not any("乙所" in cell for cell in cells)


def test_asking_for_another_branch_by_filter_is_refused(as_secretary, world):
    b = world["b"].pk
    assert (
        as_secretary.get(reverse("party_building:activities-xlsx"), {"branch": b}).status_code
        == 400
    )
    listing = as_secretary.get(reverse("party_building:activity-list"), {"branch": b})
    assert "乙所学习会" not in listing.content.decode()
    board = as_secretary.get(reverse("party_building:board"), {"parent": world["committee"].pk})
    assert [row.branch for row in board.context["board"].rows] == [world["a"]]


def test_the_public_branch_page_shows_no_member_or_attendance_data(client, world):
    page = client.get(
        reverse("party_building:public-branch", args=[world["b"].pk])
    ).content.decode()
    assert "乙所党支部" in page
    assert "乙所党员" not in page and "乙所学习会" not in page  # not reported: not public


def test_staff_pages_send_anonymous_users_to_the_login_page(client, world):
    response = client.get(reverse("party_building:board"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_a_party_organisation_are_refused(client, world):
    client.force_login(UserFactory(username="editor-only", is_staff=True))
    for name in ("board", "board-xlsx", "activity-list", "activities-csv"):
        assert client.get(reverse(f"party_building:{name}")).status_code == 403, name


def test_a_secretary_does_not_learn_where_a_former_member_went(as_secretary, world):
    world["member_a"].transfer(world["b"], on=D(2024, 7, 1))
    page = as_secretary.get(admin_url(PartyMember, "changelist")).content.decode()
    assert "甲所党员" in page  # still listed: their old attendance refers to them
    assert "乙所党支部" not in page


@pytest.mark.parametrize("model", PARTY_MODELS, ids=lambda model: model._meta.model_name)
def test_a_secretary_cannot_read_another_branchs_old_versions(as_secretary, world, model):
    record = world["b_records"][model]
    if model in SHARED or not hasattr(model, "history"):
        return
    version = record.history.first()
    url = reverse(
        f"admin:party_building_{model._meta.model_name}_simple_history",
        args=[record.pk, version.history_id],
    )
    assert as_secretary.get(url).status_code in (403, 404)
    assert as_secretary.post(url, {}).status_code in (403, 404)


def test_every_change_to_a_party_record_keeps_its_history(world):
    activity = world["activity_a"]
    activity.topic = "改过的主题"
    activity.save()
    assert [record.topic for record in activity.history.all()] == ["改过的主题", "甲所学习会"]


# --- Party membership stays inside the committee and the member's own branch -----------------


def add_member_form(person):
    return {
        "person": person.pk,
        "status": "full",
        "joined_party": "2024-07-01",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-organization": "",
        "memberships-0-start": "2024-07-01",
        "memberships-0-role": "member",
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }


def person_errors(client, world, person):
    data = add_member_form(person)
    data["memberships-0-organization"] = world["a"].pk
    response = client.post(admin_url(PartyMember, "add"), data)
    assert response.status_code == 200
    return response.context["adminform"].form.errors.get("person"), response.content.decode()


def test_adding_another_branchs_member_says_no_more_than_for_their_own(as_secretary, world):
    other, other_page = person_errors(as_secretary, world, world["member_b"].person)
    own, _page = person_errors(as_secretary, world, world["member_a"].person)
    assert other == own == ["无法在此添加此人。如其应加入本支部，请联系党委。"]
    assert "已存在" not in other_page and world["b"].name not in other_page
    assert PartyMember.objects.filter(person=world["member_b"].person).count() == 1


def test_the_committee_is_told_a_person_is_already_a_member(client, world):
    client.force_login(administrator())
    errors, _page = person_errors(client, world, world["member_b"].person)
    assert "已存在" in str(errors)


@pytest.fixture
def transferred(world):
    """Member A moved to branch B on 1 July 2024, with a commitment before and one after."""
    campaign = CampaignFactory(name="2024年公开承诺")
    member = world["member_a"]
    before = CommitmentFactory(
        member=member, campaign=campaign, made_on=D(2024, 3, 1), text="转出前的承诺"
    )
    member.transfer(world["b"], on=D(2024, 7, 1))
    after = CommitmentFactory(
        member=member, campaign=campaign, made_on=D(2024, 8, 1), text="转出后的承诺"
    )
    return {"member": member, "before": before, "after": after}


def test_after_a_transfer_the_old_branch_no_longer_sees_later_commitments(
    as_secretary, world, transferred
):
    assert set(access.commitments_for(world["secretary"])) == {transferred["before"]}
    changelist = as_secretary.get(admin_url(Commitment, "changelist"))
    assert list(changelist.context["cl"].result_list) == [transferred["before"]]
    assert (
        as_secretary.get(admin_url(Commitment, "change", transferred["after"].pk)).status_code
        == 404
    )
    assert (
        as_secretary.get(admin_url(Commitment, "change", transferred["before"].pk)).status_code
        == 200
    )
    member_page = as_secretary.get(
        admin_url(PartyMember, "change", transferred["member"].pk)
    ).content.decode()
    assert "转出前的承诺" in member_page and "转出后的承诺" not in member_page


def test_after_a_transfer_the_new_branch_sees_the_members_whole_file(world, transferred):
    new_secretary = OrganizationManager.objects.get(organization=world["b"]).user
    assert {transferred["before"], transferred["after"]} <= set(
        access.commitments_for(new_secretary)
    )


def test_the_news_report_choice_offers_only_published_party_building_articles(as_secretary, world):
    from news.models import Article, Column

    published = party_article(title="已发布的党建报道")
    party_article(title="党建报道草稿", status=Article.Status.DRAFT)
    party_article(title="已撤下的党建报道", status=Article.Status.WITHDRAWN)
    party_article(title="通知公告", column=Column.objects.get(slug="notices"))
    form = as_secretary.get(admin_url(BranchActivity, "add")).context["adminform"].form
    assert list(form.fields["article"].queryset) == [published]


def looked_up(client, model_name, field_name, term):
    """What the admin's autocomplete answers for a form's field: (status, the texts shown)."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "party_building",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    if response.status_code != 200:
        return response.status_code, []
    return 200, [row["text"] for row in response.json()["results"]]


def test_the_report_is_found_as_one_types_among_the_reports_the_field_accepts(as_secretary, world):
    from news.models import Article, Column

    published = party_article(title="已发布的党建报道")
    party_article(title="另一篇党建报道")
    party_article(title="党建报道草稿", status=Article.Status.DRAFT)
    party_article(title="已撤下的党建报道", status=Article.Status.WITHDRAWN)
    party_article(title="党建报道·通知公告", column=Column.objects.get(slug="notices"))

    # The form lists no report until one types: the one it holds, at most.
    page = as_secretary.get(admin_url(BranchActivity, "add")).content.decode()
    assert "已发布的党建报道" not in page and 'data-field-name="article"' in page
    # A secretary, with no right in the news admin, finds the published party-building
    # reports by their title, and nothing else.
    assert looked_up(as_secretary, "branchactivity", "article", "发布") == (200, [published.title])
    assert sorted(looked_up(as_secretary, "branchactivity", "article", "党建报道")[1]) == sorted(
        ["已发布的党建报道", "另一篇党建报道"]
    )


def test_only_those_who_record_activities_look_reports_up_there(client, world):
    from django.contrib.auth.models import Group

    party_article(title="已发布的党建报道")
    editor = UserFactory(username="news-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="编辑"))  # may read every article in the news admin
    client.force_login(editor)

    assert looked_up(client, "branchactivity", "article", "党建")[0] == 403


def test_the_committee_finds_a_law_firm_by_name_without_a_right_in_the_register(client, world):
    firm = world["a"].law_firm
    client.force_login(administrator())

    page = client.get(admin_url(PartyOrganization, "add")).content.decode()
    assert 'data-field-name="law_firm"' in page and firm.name not in page
    assert looked_up(client, "partyorganization", "law_firm", firm.name) == (200, [firm.name])
    # A secretary, who may only read the organisations, is not asked.
    client.force_login(world["secretary"])
    assert looked_up(client, "partyorganization", "law_firm", firm.name)[0] == 403


def test_an_activity_keeps_its_report_when_saved_after_the_report_is_withdrawn(as_secretary, world):
    from news.models import Article

    report = party_article(title="后来撤下的报道")
    activity = world["activity_a"]
    activity.article = report
    activity.save()
    Article.objects.filter(pk=report.pk).update(status=Article.Status.WITHDRAWN)
    data = activity_form(world["a"], article=report.pk, topic=activity.topic)
    response = as_secretary.post(admin_url(BranchActivity, "change", activity.pk), data)
    assert response.status_code == 302


def test_the_public_branch_page_links_its_news_page_only_while_a_report_names_it(client, world):
    from members.models import Organization
    from news.models import Event, Participation
    from tests.news.factories import ArticleFactory

    branch = world["a"]
    branch.organization = Organization.objects.create(name=branch.name, kind="party_organization")
    branch.save()
    link = f'href="/organizations/{branch.organization.pk}/"'
    url = f"/party/public/branches/{branch.pk}/"
    assert link not in client.get(url).content.decode()
    event = Event.objects.create(name="座谈会")
    Participation.objects.create(event=event, organization=branch.organization, role="presenter")
    ArticleFactory().events.add(event)
    assert link in client.get(url).content.decode()


def test_the_commitment_list_runs_a_bounded_number_of_queries(as_secretary, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as context:
            assert as_secretary.get(admin_url(Commitment, "changelist")).status_code == 200
        return page_queries(context)

    campaign = CampaignFactory(name="查询次数")
    CommitmentFactory(member=world["member_a"], campaign=campaign)
    few = count()
    for n in range(15):
        member = member_of(world["a"], member__person__name=f"党员{n}")
        CommitmentFactory(member=member, campaign=campaign)
    assert count() == few


def test_a_secretary_records_a_dues_payment_for_their_own_branch(as_secretary, world):
    data = {
        "member": world["member_a"].pk,
        "branch": world["a"].pk,
        "month": "2024-03-01",
        "amount_fen": "12000",
        "paid_on": "2024-03-05",
    }
    assert as_secretary.post(admin_url(DuesPayment, "add"), data).status_code == 302
    assert DuesPayment.objects.get(branch=world["a"]).amount_fen == 12_000


def test_a_secretary_cannot_record_dues_for_another_branch(as_secretary, world):
    data = {
        "member": world["member_b"].pk,
        "branch": world["b"].pk,
        "month": "2024-03-01",
        "amount_fen": "12000",
        "paid_on": "2024-03-05",
    }
    assert as_secretary.post(admin_url(DuesPayment, "add"), data).status_code == 200
    assert not DuesPayment.objects.filter(month=D(2024, 3, 1)).exists()
