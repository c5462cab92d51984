import datetime

import factory
from django.contrib.auth.models import Group

from members.credentials import credit_code_check_character
from news.models import Article, Column
from party_building.models import (
    Attendance,
    BranchActivity,
    Campaign,
    Commitment,
    Membership,
    Officer,
    OrganizationManager,
    PartyMember,
    PartyOrganization,
    Requirement,
)
from tests import factories
from tests.members import factories as members
from tests.news.factories import ArticleFactory


def credit_code(n: int) -> str:
    first17 = f"31110000MD{n:07d}"
    return first17 + credit_code_check_character(first17)


class PersonFactory(members.PersonFactory):
    name = factory.Sequence(lambda n: f"党员{n}")


class LawFirmFactory(members.LawFirmFactory):
    name = factory.Sequence(lambda n: f"天地人{n}律师事务所")
    credit_code = factory.Sequence(lambda n: credit_code(7_000_000 + n))


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    kind = PartyOrganization.Kind.COMMITTEE
    name = factory.Sequence(lambda n: f"市律师行业党委{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganization

    kind = PartyOrganization.Kind.BRANCH
    name = factory.Sequence(lambda n: f"第{n:03d}律师事务所党支部")
    law_firm = factory.SubFactory(LawFirmFactory)
    established = datetime.date(2010, 1, 1)


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    person = factory.SubFactory(PersonFactory)
    joined_party = datetime.date(2005, 7, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member = factory.SubFactory(PartyMemberFactory)
    organization = factory.SubFactory(BranchFactory)
    start = datetime.date(2015, 1, 1)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    organization = factory.SubFactory(BranchFactory)
    person = factory.SubFactory(PersonFactory)
    role = Officer.Role.SECRETARY
    term_start = datetime.date(2020, 1, 1)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BranchActivity

    branch = factory.SubFactory(BranchFactory)
    kind = "general_meeting"
    date = datetime.date(2024, 2, 15)
    topic = factory.Sequence(lambda n: f"学习贯彻会议精神（第{n}次）")
    place = "律所会议室"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    member = factory.SubFactory(PartyMemberFactory)
    status = Attendance.Status.PRESENT


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"创先争优活动{n}")
    start = datetime.date(2010, 4, 1)
    end = datetime.date(2012, 6, 30)


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    member = factory.SubFactory(PartyMemberFactory)
    campaign = factory.SubFactory(CampaignFactory)
    text = "每年办理法律援助案件不少于三件"
    made_on = datetime.date(2010, 5, 1)


class PartyArticleFactory(ArticleFactory):
    """An article in the 党建工作 column (published unless told otherwise)."""

    title = "党支部开展主题党日活动"
    column = factory.LazyFunction(lambda: Column.objects.get(slug="party-building"))
    body = "<p>本网讯</p>"
    status = Article.Status.PUBLISHED
    published_at = datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)


party_article = PartyArticleFactory


def member_of(branch, start=datetime.date(2015, 1, 1), **fields):
    membership = MembershipFactory(organization=branch, start=start, **fields)
    return membership.member


class SecretaryFactory(factories.UserFactory):
    """A staff account in group 支部书记 managing ``organizations``."""

    class Meta:
        skip_postgeneration_save = True  # the hooks add related rows only

    is_staff = True
    email = "secretary@example.org"

    @factory.post_generation
    def organizations(self, create, extracted, **kwargs):
        if not create:
            return
        self.groups.add(Group.objects.get(name="支部书记"))
        for organization in extracted or ():
            OrganizationManager.objects.create(user=self, organization=organization)


class AdministratorFactory(factories.UserFactory):
    """A staff account in group 党委管理员."""

    class Meta:
        skip_postgeneration_save = True  # the hooks add related rows only

    is_staff = True
    username = "party-admin"
    email = "admin@example.org"

    @factory.post_generation
    def in_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="党委管理员"))


def secretary_of(*organizations, username=None, email="secretary@example.org"):
    """A staff account in group 支部书记 linked to ``organizations``."""
    return SecretaryFactory(
        username=username or f"secretary-{organizations[0].pk}",
        email=email,
        organizations=organizations,
    )


def administrator(username="party-admin", email="admin@example.org"):
    return AdministratorFactory(username=username, email=email)


# Activities that meet every default requirement in a year, and the ones to leave out.
def hold_year(branch, year, *, skip=(), start_month=1):
    """Bulk-create a year of activities meeting every requirement, except ``skip``.

    ``skip`` holds (kind, month) pairs: a monthly kind is held on the 10th of each month,
    a quarterly one on the 15th of the middle month, a yearly one on 1 December.
    """
    activities = []
    for requirement in Requirement.objects.all():
        if requirement.unit == "month":
            days = [datetime.date(year, month, 10) for month in range(1, 13)]
        elif requirement.unit == "quarter":
            days = [datetime.date(year, month, 15) for month in (2, 5, 8, 11)]
        else:
            days = [datetime.date(year, 12, 1)]
        for day in days:
            if (requirement.kind, day.month) in skip or day.month < start_month:
                continue
            for _ in range(requirement.times):
                activities.append(
                    BranchActivity(branch=branch, kind=requirement.kind, date=day, topic="例行会议")
                )
    return BranchActivity.objects.bulk_create(activities)


# --- 党员发展 ---------------------------------------------------------------------------------

# The days of a path through every step by the default rules, stage by stage.
DEVELOPMENT_DAYS = {
    "applicant": {"applied_on": datetime.date(2022, 3, 1)},
    "activist": {"talk_on": datetime.date(2022, 3, 20), "activist_on": datetime.date(2022, 6, 1)},
    "candidate": {"candidate_on": datetime.date(2023, 6, 1)},
    "probationary": {
        "vetted_on": datetime.date(2023, 8, 1),
        "publicized_from": datetime.date(2023, 9, 1),
        "publicized_to": datetime.date(2023, 9, 7),
        "admitted_on": datetime.date(2023, 9, 15),
    },
    "full": {"confirmed_on": datetime.date(2024, 9, 20)},
}


class DevelopmentRecordFactory(factory.django.DjangoModelFactory):
    """An applicant's record; ``development_record`` builds one further along."""

    class Meta:
        model = "party_building.DevelopmentRecord"

    person = factory.SubFactory(PersonFactory, name=factory.Sequence(lambda n: f"申请人{n}"))
    branch = factory.SubFactory(BranchFactory)
    stage = "applicant"
    applied_on = datetime.date(2022, 3, 1)


class DevelopmentSponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "party_building.DevelopmentSponsor"

    record = factory.SubFactory(DevelopmentRecordFactory)
    role = "mentor"
    member = factory.SubFactory(PartyMemberFactory)


def development_record(branch, stage="applicant", **fields):
    """A record of ``branch`` that went through every step up to ``stage`` by the default
    rules, with two mentors (from 发展对象 on) and two introducers (from 预备党员 on)."""
    from party_building.development_rules import STAGES

    days = {}
    for step in STAGES[: STAGES.index(stage) + 1]:
        days.update(DEVELOPMENT_DAYS[step])
    record = DevelopmentRecordFactory(branch=branch, stage=stage, **{**days, **fields})
    reached = STAGES.index(stage)
    for role, from_stage in (("mentor", "candidate"), ("introducer", "probationary")):
        if reached >= STAGES.index(from_stage):
            for _ in range(2):
                DevelopmentSponsorFactory(record=record, role=role, member=member_of(branch))
    return record
