"""党员发展 in the admin: forward in order, an administrator's override with its reason,
the person becoming a member, and each branch's records for its own secretary only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from party_building import development
from party_building.models import DevelopmentRecord, DevelopmentRule, PartyMember
from tests.party_building.factories import (
    BranchFactory,
    PersonFactory,
    administrator,
    development_record,
    member_of,
    secretary_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = datetime.date
ADD = reverse("admin:party_building_developmentrecord_add")
CHANGELIST = reverse("admin:party_building_developmentrecord_changelist")


def change_url(record):
    return reverse("admin:party_building_developmentrecord_change", args=[record.pk])


def form(record=None, *, sponsors=(), **fields):
    """The admin form's data for ``record`` as it stands, changed by ``fields``."""
    data = {"sponsors-TOTAL_FORMS": "0", "sponsors-INITIAL_FORMS": "0"}
    if record is not None:
        for name in development.rules.DATED_STEPS:
            value = getattr(record, name)
            data[name] = value.isoformat() if value else ""
        data.update(person=record.person_id, branch=record.branch_id, stage=record.stage)
        existing = list(record.sponsors.all())
        for i, sponsor in enumerate(existing):
            data.update(
                {
                    f"sponsors-{i}-id": sponsor.pk,
                    f"sponsors-{i}-record": record.pk,
                    f"sponsors-{i}-role": sponsor.role,
                    f"sponsors-{i}-member": sponsor.member_id,
                }
            )
        data["sponsors-TOTAL_FORMS"] = data["sponsors-INITIAL_FORMS"] = str(len(existing))
    for role, member in sponsors:
        i = int(data["sponsors-TOTAL_FORMS"])
        data.update({f"sponsors-{i}-role": role, f"sponsors-{i}-member": member.pk})
        data["sponsors-TOTAL_FORMS"] = str(i + 1)
    data.update({key: value.isoformat() if hasattr(value, "isoformat") else value
                 for key, value in fields.items()})  # fmt: skip
    return data


def errors(response):
    """Every error the admin page shows: the form's and the sponsors' formset's."""
    assert response.status_code == 200, response.status_code
    found = [str(e) for e in response.context["adminform"].form.non_field_errors()]
    for field_errors in response.context["adminform"].form.errors.values():
        found += [str(e) for e in field_errors]
    for formset in response.context["inline_admin_formsets"]:
        found += [str(e) for e in formset.formset.non_form_errors()]
    return found


@pytest.fixture
def branch():
    return BranchFactory(name="甲所党支部")


@pytest.fixture
def secretary(client, branch):
    client.force_login(secretary_of(branch, username="secretary-a"))
    return client


# --- Forward, in order --------------------------------------------------------------------


def test_a_secretary_records_an_application(secretary, branch):
    person = PersonFactory(name="王小明")
    response = secretary.post(
        ADD, form(person=person.pk, branch=branch.pk, stage="applicant", applied_on=D(2024, 3, 1))
    )
    assert response.status_code == 302, errors(response)
    record = DevelopmentRecord.objects.get(person=person)
    assert (record.branch, record.stage) == (branch, "applicant")


def test_an_applicant_becomes_an_activist_after_the_talk(secretary, branch):
    record = development_record(branch)
    response = secretary.post(
        change_url(record), form(record, stage="activist", activist_on=D(2022, 6, 1))
    )
    assert any("谈话" in e for e in errors(response))
    response = secretary.post(
        change_url(record),
        form(record, stage="activist", talk_on=D(2022, 3, 20), activist_on=D(2022, 6, 1)),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.stage == "activist"


def test_a_stage_cannot_be_skipped(secretary, branch):
    record = development_record(branch, "activist")
    response = secretary.post(
        change_url(record), form(record, stage="probationary", candidate_on=D(2023, 6, 1))
    )
    assert any("发展对象" in e for e in errors(response))
    record.refresh_from_db()
    assert record.stage == "activist"


def test_a_candidate_needs_a_year_as_activist_and_two_mentors(secretary, branch):
    record = development_record(branch, "activist")
    mentors = [member_of(branch), member_of(branch)]
    too_early = secretary.post(
        change_url(record),
        form(
            record,
            stage="candidate",
            candidate_on=D(2023, 5, 1),
            sponsors=[("mentor", m) for m in mentors],
        ),
    )
    assert any("2023-06-01" in e for e in errors(too_early))
    alone = secretary.post(
        change_url(record),
        form(
            record, stage="candidate", candidate_on=D(2023, 6, 1), sponsors=[("mentor", mentors[0])]
        ),
    )
    assert any("两名培养联系人" in e for e in errors(alone))
    fine = secretary.post(
        change_url(record),
        form(
            record,
            stage="candidate",
            candidate_on=D(2023, 6, 1),
            sponsors=[("mentor", m) for m in mentors],
        ),
    )
    assert fine.status_code == 302
    record.refresh_from_db()
    assert record.stage == "candidate" and record.sponsors.count() == 2


def test_a_mentor_is_a_full_member(secretary, branch):
    record = development_record(branch, "activist")
    probationary = member_of(branch, member__status="probationary")
    response = secretary.post(change_url(record), form(record, sponsors=[("mentor", probationary)]))
    assert response.status_code == 200
    assert not record.sponsors.exists()


def test_a_secretary_cannot_take_a_record_back(secretary, branch):
    record = development_record(branch, "candidate")
    response = secretary.post(change_url(record), form(record, stage="activist"))
    assert any("不能退回" in e for e in errors(response))
    assert "override_reason" not in response.context["adminform"].form.fields
    record.refresh_from_db()
    assert record.stage == "candidate"


def test_an_administrator_takes_a_record_back_only_with_a_reason_kept_in_history(client, branch):
    client.force_login(administrator())
    record = development_record(branch, "candidate")
    without = client.post(change_url(record), form(record, stage="activist"))
    assert any("原因" in e for e in errors(without))
    reason = "政审材料不全，退回入党积极分子阶段继续考察。"
    response = client.post(
        change_url(record), form(record, stage="activist", override_reason=reason)
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.stage == "activist"
    latest = record.history.first()
    assert (latest.stage, latest.history_change_reason) == ("activist", reason)
    history = client.get(
        reverse("admin:party_building_developmentrecord_history", args=[record.pk])
    )
    assert reason in history.content.decode()


def test_the_general_meetings_vote_makes_a_probationary_member_of_the_branch(secretary, branch):
    record = development_record(branch, "candidate")
    introducers = [member_of(branch), member_of(branch)]
    response = secretary.post(
        change_url(record),
        form(
            record,
            stage="probationary",
            vetted_on=D(2023, 8, 1),
            publicized_from=D(2023, 9, 1),
            publicized_to=D(2023, 9, 7),
            admitted_on=D(2023, 9, 15),
            admission_vote="应到12人，实到11人，赞成11票",
            sponsors=[("introducer", m) for m in introducers],
        ),
    )
    assert response.status_code == 302, errors(response)
    member = PartyMember.objects.get(person=record.person)
    assert (member.status, member.joined_party) == ("probationary", D(2023, 9, 15))
    assert member.memberships.get().organization == branch


def test_the_confirmation_comes_after_the_probation_and_makes_a_full_member(secretary, branch):
    record = development_record(branch, "probationary")
    early = secretary.post(
        change_url(record), form(record, stage="full", confirmed_on=D(2024, 9, 1))
    )
    assert any("2024-09-15" in e for e in errors(early))
    response = secretary.post(
        change_url(record), form(record, stage="full", confirmed_on=D(2024, 9, 20))
    )
    assert response.status_code == 302, errors(response)
    assert PartyMember.objects.get(person=record.person).status == "full"


def test_an_administrator_edits_the_rules_and_the_order_follows_them(client, branch):
    DevelopmentRule.objects.filter(key="activist_at_least").update(amount=6, unit="month")
    client.force_login(administrator())
    record = development_record(branch, "activist")
    mentors = [("mentor", member_of(branch)), ("mentor", member_of(branch))]
    response = client.post(
        change_url(record),
        form(record, stage="candidate", candidate_on=D(2022, 12, 1), sponsors=mentors),
    )
    assert response.status_code == 302, errors(response)


def test_stage_of_says_where_a_person_is(branch):
    record = development_record(branch, "activist")
    info = development.stage_of(record.person)
    assert (info.stage, info.label, info.since) == ("activist", "入党积极分子", D(2022, 6, 1))
    assert development.stage_of(PersonFactory()) is None


# --- Each branch's records for its own secretary -----------------------------------------


@pytest.fixture
def other_record():
    return development_record(BranchFactory(name="乙所党支部"), "probationary")


def test_another_branchs_record_answers_404_to_a_secretary(secretary, other_record):
    for view in ("change", "history"):
        url = reverse(f"admin:party_building_developmentrecord_{view}", args=[other_record.pk])
        assert secretary.get(url).status_code == 404, view
        assert secretary.post(url, form(other_record)).status_code == 404, view
    changelist = secretary.get(CHANGELIST)
    assert other_record not in changelist.context["cl"].result_list
    other_record.refresh_from_db()
    assert other_record.stage == "probationary"


def test_a_secretary_cannot_file_a_record_in_another_branch(secretary, other_record):
    response = secretary.post(
        ADD,
        form(
            person=PersonFactory().pk,
            branch=other_record.branch_id,
            stage="applicant",
            applied_on=D(2024, 3, 1),
        ),
    )
    assert "branch" in response.context["adminform"].form.errors
    assert DevelopmentRecord.objects.count() == 1


def test_a_secretary_cannot_name_another_branchs_member_as_mentor(secretary, branch, other_record):
    record = development_record(branch, "activist")
    stranger = member_of(other_record.branch)
    response = secretary.post(change_url(record), form(record, sponsors=[("mentor", stranger)]))
    assert response.status_code == 200
    assert not record.sponsors.exists()


def test_an_administrator_sees_every_branchs_records(client, branch, other_record):
    development_record(branch)
    client.force_login(administrator())
    assert len(client.get(CHANGELIST).context["cl"].result_list) == 2
    assert client.get(change_url(other_record)).status_code == 200


def test_the_seeded_rules_are_the_usual_ones():
    assert DevelopmentRule.current() == development.rules.default_rules()
    assert DevelopmentRule.objects.count() == 3


def test_without_the_sponsors_inline_the_form_itself_keeps_the_order(client, branch):
    """An account that may change records but not mentors (no inline on its page)."""
    from django.contrib.auth.models import Permission

    from party_building.models import OrganizationManager
    from tests.factories import UserFactory

    user = UserFactory(username="records-only", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_developmentrecord", "change_developmentrecord"]
        )
    )
    OrganizationManager.objects.create(user=user, organization=branch)
    client.force_login(user)
    record = development_record(branch, "activist")
    data = form(record, stage="candidate", candidate_on=D(2023, 6, 1))
    del data["sponsors-TOTAL_FORMS"], data["sponsors-INITIAL_FORMS"]
    response = client.post(change_url(record), data)
    assert any("两名培养联系人" in e for e in errors(response))
    record.refresh_from_db()
    assert record.stage == "activist"


def test_the_list_runs_the_same_queries_for_3_and_12_records(secretary, branch):
    def queries():
        with CaptureQueriesContext(connection) as context:
            response = secretary.get(CHANGELIST)
        assert response.status_code == 200
        return page_queries(context)

    for stage in ("applicant", "activist", "probationary"):
        development_record(branch, stage)
    few = queries()
    for stage in ("applicant", "candidate", "probationary") * 3:
        development_record(branch, stage)
    assert queries() == few
