"""Demo party organisations, members, memberships, officers, activities and attendance.

Called by ``manage.py generate_demo_data`` after ``demo.register``: the branches sit in the
generated law firms and their members are mostly the firms' lawyers. Activities are planned
first (``plan_activities``) so that ``demo.newsroom`` can write the 党建工作 articles reporting
some of them; ``create_activities`` then stores them with those articles.

Rows are added with ``bulk_create`` in batches, one transaction per batch: no signals and no
history records (django-simple-history writes them on ``save()`` only).
"""

import datetime
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import transaction

from demo import text as demo_text
from demo.newsroom import ActivityReport, Role, Span, paragraphs_html, years_later
from demo.register import Register, batches, random_day
from members.models import Organization, Person
from party_building import compliance
from party_building.models import (
    Attendance,
    BranchActivity,
    Campaign,
    Commitment,
    CommitteeElection,
    Membership,
    Officer,
    PartyMember,
    PartyOrganization,
)

Progress = Callable[[int, int], None] | None

CITY_COMMITTEE = "市律师行业党委"
DISTRICT_COMMITTEES = 4  # the districts with most firms get their own committee
PARTY_SHARE = 0.3  # of practising lawyers
MIN_BRANCH_MEMBERS = 3  # a branch needs three full members (党章)
GENERAL_BRANCH_MEMBERS = 60  # a firm with this many members has a 党总支 over branches
MEMBERS_PER_SUB_BRANCH = 25
JOINT_SHARE = 0.1  # of branches: joint branches of small firms
TERM_YEARS = 3  # a branch committee's term (中国共产党支部工作条例（试行）)
TRANSFER_SHARE = 0.04
LEFT_SHARE = 0.03

KIND_WEIGHTS = {
    "committee_meeting": 18,
    "group_meeting": 14,
    "themed_day": 20,
    "general_meeting": 12,
    "party_lecture": 12,
    "organizational_life_meeting": 5,
    "member_appraisal": 4,
    "other": 15,
}
YEARLY_KINDS = ("organizational_life_meeting", "member_appraisal")
# Kinds whose attendance is taken: all members are expected. The others record none, which
# keeps the attendance table modest (about a third of the activities have any).
ATTENDED_KINDS = ("general_meeting", "party_lecture", *YEARLY_KINDS)
REPORTED_KINDS = ("themed_day", "party_lecture", "general_meeting", *YEARLY_KINDS)
REPORT_SHARE = 0.05  # of the activities of a reported kind
MINUTES_SHARE = 0.4
ONLINE_YEARS = range(2020, 2023)
# The share of required meetings a branch holds, for plan_kept_year: most keep them all.
DILIGENCE = (1.0, 1.0, 1.0, 1.0, 0.97, 0.9, 0.7)


@dataclass
class Branch:
    """A branch as generated: its memberships and its secretaries' terms, for the activities."""

    organization: PartyOrganization
    venue: str
    # (member, first day, last day or None), including those of members transferred away.
    memberships: list[tuple[PartyMember, datetime.date, datetime.date | None]] = field(
        default_factory=list
    )
    # (first day, last day or None, secretary)
    terms: list[tuple[datetime.date, datetime.date | None, Person]] = field(default_factory=list)
    candidates: list[tuple[Person, datetime.date]] = field(default_factory=list)

    def members_on(self, day: datetime.date) -> list[PartyMember]:
        return [
            member
            for member, start, end in self.memberships
            if start <= day and (end is None or day <= end)
        ]

    def secretary_on(self, day: datetime.date) -> Person | None:
        for start, end, person in self.terms:
            if start <= day and (end is None or day <= end):
                return person
        return None


@dataclass
class Party:
    committees: list[PartyOrganization]
    branches: list[Branch]
    # Current branch secretaries, for the news generator's meetings.
    roles: list[Role] = field(default_factory=list)


@dataclass
class PlannedActivity:
    branch: Branch
    kind: str
    day: datetime.date
    venue: str
    topic: str
    presider: Person | None
    minutes: str
    attendance: list[tuple[PartyMember, str, str]]  # (member, status, reason)
    report: int | None = None  # index into the reports handed to demo.newsroom


# --- Organisations and members --------------------------------------------------------------


def create_organizations(
    rng: random.Random,
    count: int,
    register: Register,
    span: Span,
    *,
    batch_size: int,
    progress: Progress = None,
) -> Party:
    """The committees, ``count`` branches (some under a firm's 党总支), with candidates.

    A firm's branch gets the firm's party members as candidates; joint branches take those
    of small firms; every branch gets a few party members who are staff, not lawyers.
    """
    city = _committee(CITY_COMMITTEE, None)
    firm_districts = [firm.address[:3] for firm in register.firms]
    ranked_districts = sorted(
        dict.fromkeys(firm_districts), key=lambda name: -firm_districts.count(name)
    )
    districts = {
        name: _committee(f"{name}律师行业党委", city)
        for name in ranked_districts[:DISTRICT_COMMITTEES]
    }

    # Who is a party member: about PARTY_SHARE of the practising lawyers of each firm.
    candidates_of: dict[int, list[tuple[Person, datetime.date]]] = {}
    for lawyer in register.lawyers:
        if lawyer.firm_id and lawyer.practice_status == "practising" and rng.random() < PARTY_SHARE:
            licensed = datetime.date(lawyer.first_licensed_year, 1, 1)
            candidates_of.setdefault(lawyer.firm_id, []).append((lawyer.person, licensed))
    firms = sorted(
        (firm for firm in register.firms if firm.pk in candidates_of),
        key=lambda firm: -len(candidates_of[firm.pk]),
    )

    joint_count = int(count * JOINT_SHARE)
    remaining = count - joint_count
    planned: list[tuple[PartyOrganization, str, list]] = []  # (branch, venue, candidates)
    general_branches: list[tuple[PartyOrganization, list]] = []
    leftovers: list[list] = []
    for firm in firms:
        candidates = candidates_of[firm.pk]
        parent = districts.get(firm.address[:3], city)
        established = _established(rng, firm.founded, span)
        if remaining <= 0 or len(candidates) < MIN_BRANCH_MEMBERS:
            leftovers.append(candidates)
            continue
        venue = f"{firm.name}会议室"
        parts = min(remaining, 4, len(candidates) // MEMBERS_PER_SUB_BRANCH)
        if len(candidates) >= GENERAL_BRANCH_MEMBERS and parts >= 2:
            general = PartyOrganization(
                kind=PartyOrganization.Kind.GENERAL_BRANCH,
                name=f"{firm.name}党总支",
                parent=parent,
                law_firm=firm,
                established=established,
            )
            general_branches.append((general, firm))
            for index in range(parts):
                branch = PartyOrganization(
                    kind=PartyOrganization.Kind.BRANCH,
                    name=f"{firm.name}第{demo_text.CHINESE_NUMBERS[index]}党支部",
                    parent=general,
                    law_firm=firm,
                    established=established,
                )
                planned.append((branch, venue, candidates[index::parts]))
            remaining -= parts
        else:
            branch = PartyOrganization(
                kind=PartyOrganization.Kind.BRANCH,
                name=f"{firm.name}党支部",
                parent=parent,
                law_firm=firm,
                established=established,
            )
            planned.append((branch, venue, candidates))
            remaining -= 1
    joint_count += max(0, remaining)
    for index in range(joint_count):
        district = rng.choice(ranked_districts or [demo_text.DISTRICTS[0]])
        branch = PartyOrganization(
            kind=PartyOrganization.Kind.BRANCH,
            name=f"{district}律师行业第{index + 1}联合党支部",
            parent=districts.get(district, city),
            established=random_day(rng, span.first, span.until - datetime.timedelta(days=365)),
        )
        planned.append((branch, f"{district}律师行业党群服务中心", []))
    # Small firms' members join the joint branches, a firm's members together.
    joints = [entry for entry in planned if entry[0].law_firm_id is None]
    for index, candidates in enumerate(leftovers):
        if joints:
            joints[index % len(joints)][2].extend(candidates)

    with transaction.atomic():
        _name_in_news(
            [general for general, _ in general_branches],
            [firm.organization for _, firm in general_branches],
        )
        PartyOrganization.objects.bulk_create([general for general, _ in general_branches])
    created: list[Branch] = []
    for batch in batches(planned, batch_size):
        with transaction.atomic():
            organizations = [branch for branch, _, _ in batch]
            _name_in_news(
                organizations,
                [
                    branch.law_firm.organization if branch.law_firm else None
                    for branch in organizations
                ],
            )
            PartyOrganization.objects.bulk_create(organizations)
        created += [
            Branch(branch, venue, candidates=candidates) for branch, venue, candidates in batch
        ]
        if progress:
            progress(len(created), len(planned))
    return Party([city, *districts.values()], created)


def _committee(name: str, parent: PartyOrganization | None) -> PartyOrganization:
    """A committee of that name, taken if a previous run made it."""
    committee = PartyOrganization.objects.filter(
        kind=PartyOrganization.Kind.COMMITTEE, name=name
    ).first()
    if committee is None:
        organization = Organization.objects.create(
            name=name, kind=Organization.Kind.PARTY_ORGANIZATION
        )
        committee = PartyOrganization.objects.create(
            kind=PartyOrganization.Kind.COMMITTEE,
            name=name,
            parent=parent,
            organization=organization,
        )
    return committee


def _name_in_news(
    organizations: Sequence[PartyOrganization], firms: Sequence[Organization | None]
) -> None:
    """Give each party organisation its Organization, under the firm's, as meetings name it."""
    named = Organization.objects.bulk_create(
        [
            Organization(name=item.name, kind=Organization.Kind.PARTY_ORGANIZATION, parent=firm)
            for item, firm in zip(organizations, firms, strict=True)
        ]
    )
    for item, organization in zip(organizations, named, strict=True):
        item.organization = organization


def _established(rng: random.Random, founded: datetime.date | None, span: Span) -> datetime.date:
    earliest = span.first - datetime.timedelta(days=5 * 365)
    if founded is not None:
        earliest = max(earliest, founded + datetime.timedelta(days=180))
    return random_day(rng, earliest, max(earliest, span.until - datetime.timedelta(days=90)))


def create_members(
    rng: random.Random,
    party: Party,
    register: Register,
    span: Span,
    *,
    batch_size: int,
    progress: Progress = None,
) -> None:
    """Party members, their memberships (a few transferred or gone) and the branch officers."""
    officials = {person.pk for person, _ in register.officials}
    staff = iter(rng.sample(register.people, len(register.people)))
    staff = (person for person in staff if person.pk not in officials)
    plans = []  # (branch, person, joined, first day, founding, role)
    for branch in party.branches:
        established = branch.organization.established
        candidates = list(branch.candidates)
        wanted = rng.choice((0, 1, 1, 2))
        while (len(candidates) < MIN_BRANCH_MEMBERS or wanted > 0) and (
            person := next(staff, None)
        ):
            candidates.append((person, random_day(rng, datetime.date(1990, 1, 1), span.until)))
            wanted -= 1
        # The most senior are the founding members; one in eight of the rest lead a group.
        candidates.sort(key=lambda candidate: candidate[1])
        leaders = len(candidates) // 8 if len(candidates) >= 10 else 0
        for index, (person, licensed) in enumerate(candidates):
            founding = index < MIN_BRANCH_MEMBERS
            role = (
                Membership.Role.GROUP_LEADER
                if MIN_BRANCH_MEMBERS <= index < MIN_BRANCH_MEMBERS + leaders
                else Membership.Role.MEMBER
            )
            if founding:
                start = established
                joined = random_day(rng, datetime.date(1975, 1, 1), established)
            else:
                joined = random_day(
                    rng, licensed.replace(year=max(1975, licensed.year - 8)), span.until
                )
                start = random_day(rng, max(established, joined, licensed), span.until)
            plans.append((branch, person, joined, start, founding, role))
        branch.candidates = []

    members = []
    for _, person, joined, _, _, _ in plans:
        probationary = joined > span.until - datetime.timedelta(days=365)
        members.append(
            PartyMember(
                person=person,
                joined_party=joined,
                status=PartyMember.Status.PROBATIONARY if probationary else PartyMember.Status.FULL,
            )
        )
    memberships = []
    branches = party.branches
    for member, (branch, _, joined, start, founding, role) in zip(members, plans, strict=True):
        end = None
        if not founding and rng.random() < TRANSFER_SHARE:
            previous = rng.choice(branches)
            earliest = max(previous.organization.established, joined)
            if previous is not branch and earliest < start - datetime.timedelta(days=60):
                before = random_day(rng, earliest, start - datetime.timedelta(days=30))
                until = start - datetime.timedelta(days=1)
                memberships.append(Membership(member=member, organization=previous.organization,
                                              start=before, end=until))  # fmt: skip
                previous.memberships.append((member, before, until))
        elif not founding and rng.random() < LEFT_SHARE and start < span.until:
            end = random_day(rng, start, span.until)
        memberships.append(
            Membership(
                member=member, organization=branch.organization, start=start, end=end, role=role
            )
        )
        branch.memberships.append((member, start, end))

    done = 0
    total = len(members) + len(memberships)
    for batch in batches(members, batch_size):
        with transaction.atomic():
            PartyMember.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    for batch in batches(memberships, batch_size):
        with transaction.atomic():
            Membership.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    officers = []
    for branch in branches:
        officers += _officers(rng, branch, span)
        secretary = branch.secretary_on(span.until)
        if secretary is not None:
            post = f"{branch.organization.name}书记"
            party.roles.append(
                Role(secretary, branch.organization.organization, (post,), span.first.year)
            )
    officials_list = [person for person, _ in register.officials]
    for committee in party.committees:
        if officials_list and not committee.officers.exists():
            officers.append(
                Officer(
                    organization=committee,
                    person=rng.choice(officials_list),
                    role=Officer.Role.SECRETARY,
                    term_start=span.first,
                )
            )
    for batch in batches(officers, batch_size):
        with transaction.atomic():
            Officer.objects.bulk_create(batch)


def _officers(rng: random.Random, branch: Branch, span: Span) -> list[Officer]:
    """Branch committees of TERM_YEARS each, from the founding day; the last one serving."""
    officers = []
    start = branch.organization.established
    while start <= span.until:
        following = years_later(start, TERM_YEARS)
        end = None if following > span.until else following - datetime.timedelta(days=1)
        serving = sorted(
            (
                (member_start, member)
                for member, member_start, member_end in branch.memberships
                if member_start <= start and (member_end is None or member_end >= (end or start))
            ),
            key=lambda item: item[0],
        )
        members = [member for _, member in serving]
        if members:
            secretary = members[0] if rng.random() < 0.6 else rng.choice(members)
            roles = [(secretary, Officer.Role.SECRETARY)]
            others = [member for member in members if member is not secretary]
            if len(members) >= 7:
                extra = 4 if len(members) >= 20 else 2
                chosen = rng.sample(others, min(extra, len(others)))
                roles += [(member, Officer.Role.COMMITTEE_MEMBER) for member in chosen]
                if len(members) >= 15 and len(others) > extra:
                    deputy = rng.choice([m for m in others if m not in chosen])
                    roles.append((deputy, Officer.Role.DEPUTY_SECRETARY))
            for member, role in roles:
                officers.append(
                    Officer(
                        organization=branch.organization,
                        person=member.person,
                        role=role,
                        term_start=start,
                        term_end=end,
                    )
                )
            branch.terms.append((start, end, secretary.person))
        start = following
    return officers


# --- Activities ----------------------------------------------------------------------------


def plan_activities(
    rng: random.Random, count: int, party: Party, span: Span
) -> tuple[list[PlannedActivity], list[ActivityReport]]:
    """``count`` activities over the branches, more in recent years, and the reports of some.

    Attendance is taken for the meetings of all members (ATTENDED_KINDS), among the members
    of the branch on the day.
    """
    branches = party.branches
    if not branches:
        return [], []
    weights = []
    for branch in branches:
        alive = (span.until - max(branch.organization.established, span.first)).days + 1
        weights.append(max(1, alive) * (1 + len(branch.memberships) / 20))
    shares = _apportion(count, weights)
    kinds, kind_weights = zip(*KIND_WEIGHTS.items(), strict=True)
    plans: list[PlannedActivity] = []
    reports: list[ActivityReport] = []
    for branch, share in zip(branches, shares, strict=True):
        first = max(branch.organization.established, span.first)
        days = (span.until - first).days
        for _ in range(share):
            kind = rng.choices(kinds, kind_weights)[0]
            day = first + datetime.timedelta(days=int(days * math.sqrt(rng.random())))
            if kind in YEARLY_KINDS:  # held in December, of the last year that had one
                december = day.replace(month=12, day=rng.randint(1, 28))
                if december > span.until:
                    december = december.replace(year=december.year - 1)
                day = december if december >= first else day
            plans.append(_planned(rng, branch, kind, day, span, reports))
    plans.sort(key=lambda plan: plan.day)
    return plans, reports


def plan_kept_year(
    rng: random.Random, party: Party, span: Span, requirements: Sequence[compliance.Requirement]
) -> tuple[list[PlannedActivity], list[ActivityReport]]:
    """The twelve months up to ``span.until``: each branch holds what ``requirements`` ask.

    Each branch has its own diligence: most hold every required meeting, a few miss some,
    so that the compliance board shows what a real one does. A period's meetings are held on
    days inside it, none after ``span.until``.
    """
    start = years_later(span.until, -1) + datetime.timedelta(days=1)
    plans: list[PlannedActivity] = []
    reports: list[ActivityReport] = []
    for branch in party.branches:
        diligence = rng.choice(DILIGENCE)
        first = max(start, branch.organization.established)
        for requirement in requirements:
            period = compliance.period_containing(requirement.unit, first)
            while period.start <= span.until:
                for _ in range(requirement.times):
                    day = random_day(rng, max(period.start, first), period.end)
                    # Meetings later in the current period are not held yet.
                    if rng.random() < diligence and day <= span.until:
                        plans.append(_planned(rng, branch, requirement.kind, day, span, reports))
                period = period.next()
        for _ in range(rng.randint(1, 4)):
            day = random_day(rng, first, span.until)
            plans.append(_planned(rng, branch, "other", day, span, reports))
    plans.sort(key=lambda plan: plan.day)
    return plans, reports


def _planned(
    rng: random.Random,
    branch: Branch,
    kind: str,
    day: datetime.date,
    span: Span,
    reports: list[ActivityReport],
) -> PlannedActivity:
    """One activity with its topic, place, minutes and attendance; a report of some."""
    topic = demo_text.party_topic(rng, day.year)
    if kind == "organizational_life_meeting":
        topic = f"{day.year}年度组织生活会：对照检查，开展批评与自我批评"
    elif kind == "member_appraisal":
        topic = f"{day.year}年度民主评议党员"
    venue = _venue(rng, branch, kind, day)
    presider = branch.secretary_on(day)
    minutes = ""
    if rng.random() < MINUTES_SHARE:
        name = presider.name if presider else "支部书记"
        minutes = paragraphs_html(demo_text.minutes(rng, kind, topic, name))
    attendance = []
    if kind in ATTENDED_KINDS:
        for member in branch.members_on(day):
            status = rng.choices(("present", "excused", "absent"), (85, 10, 5))[0]
            reason = rng.choice(demo_text.EXCUSES) if status == "excused" else ""
            attendance.append((member, status, reason))
    plan = PlannedActivity(branch, kind, day, venue, topic, presider, minutes, attendance)
    if kind in REPORTED_KINDS and day.year >= span.first.year + 2 and rng.random() < REPORT_SHARE:
        plan.report = len(reports)
        reports.append(
            ActivityReport(
                branch=branch.organization.name,
                kind=kind,
                topic=topic,
                day=day,
                venue=venue,
                presider=presider.name if presider else "支部书记",
                present=sum(1 for _, status, _ in attendance if status == "present")
                or len(branch.members_on(day)),
            )
        )
    return plan


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, in whole numbers that add up to it."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - exact[i])
    for index in by_remainder[: total - sum(shares)]:
        shares[index] += 1
    return shares


def _venue(rng: random.Random, branch: Branch, kind: str, day: datetime.date) -> str:
    if day.year in ONLINE_YEARS and rng.random() < 0.2:
        return "线上视频会议"
    if kind == "themed_day" and rng.random() < 0.5:
        return rng.choice(demo_text.RED_SITES)
    return branch.venue if rng.random() < 0.8 else "市律师行业党群服务中心"


def create_activities(
    plans: Sequence[PlannedActivity],
    report_articles: Sequence[int | None],
    *,
    batch_size: int,
    progress: Progress = None,
) -> int:
    """Store the planned activities with their attendance; return the attendance rows."""
    attendance_count = 0
    done = 0
    for batch in batches(plans, batch_size):
        activities = [
            BranchActivity(
                branch=plan.branch.organization,
                kind=plan.kind,
                date=plan.day,
                place=plan.venue,
                presided_by=plan.presider,
                topic=plan.topic[:200],
                minutes=plan.minutes,
                article_id=None if plan.report is None else report_articles[plan.report],
            )
            for plan in batch
        ]
        with transaction.atomic():
            BranchActivity.objects.bulk_create(activities)
            rows = [
                Attendance(activity=activity, member=member, status=status, reason=reason)
                for activity, plan in zip(activities, batch, strict=True)
                for member, status, reason in plan.attendance
            ]
            Attendance.objects.bulk_create(rows, batch_size=batch_size)
        attendance_count += len(rows)
        done += len(batch)
        if progress:
            progress(done, len(plans))
    return attendance_count


# --- Elections and public commitments --------------------------------------------------------

CAMPAIGN = ("创先争优活动", datetime.date(2010, 4, 1), datetime.date(2012, 12, 31))
COMMITMENT_SHARE = 0.2  # of the branches that existed during the campaign
BRANCH_COMMITMENTS = (
    "支部每季度组织一次进社区、进企业的公益法律服务",
    "支部党员每人每年办理法律援助案件不少于两件",
    "支部每年开展一次“党员律师示范岗”评比并公开结果",
)
MEMBER_COMMITMENTS = (
    "每年办理法律援助案件不少于三件",
    "每月参加一次社区法律咨询值班",
    "带教一名青年律师，帮助其独立执业",
    "诚信执业，全年无投诉",
)


def create_elections_and_commitments(
    rng: random.Random, party: Party, *, batch_size: int, progress: Progress = None
) -> tuple[int, int]:
    """Each branch committee's elections (a secretary's term begins with one) and the
    commitments of the 创先争优 campaign, some branches' published with their review."""
    elections = [
        CommitteeElection(organization=branch.organization, elected_on=day, term_years=TERM_YEARS)
        for branch in party.branches
        for day in sorted({start for start, _, _ in branch.terms})
    ]
    CommitteeElection.objects.bulk_create(elections, batch_size=batch_size)
    name, start, end = CAMPAIGN
    campaign, _ = Campaign.objects.get_or_create(
        name=name,
        defaults={
            "start": start,
            "end": end,
            "description": "律师行业党组织和党员公开承诺、践诺。",
        },
    )
    # The branches with members when the campaign began; a share of them (one at least).
    began = [
        (branch, random_day(rng, start, start + datetime.timedelta(days=90)))
        for branch in party.branches
    ]
    began = [(branch, day) for branch, day in began if branch.members_on(day)]
    committed = rng.sample(began, max(1, round(COMMITMENT_SHARE * len(began))) if began else 0)
    commitments = []
    for done, (branch, made_on) in enumerate(committed, start=1):
        reviewed_on = random_day(rng, end - datetime.timedelta(days=60), end)
        commitments.append(_commitment(rng, campaign, made_on, reviewed_on, branch=branch))
        members = branch.members_on(made_on)
        for member in rng.sample(members, min(2, len(members))):
            commitments.append(_commitment(rng, campaign, made_on, reviewed_on, member=member))
        if progress:
            progress(done, len(committed))
    Commitment.objects.bulk_create(commitments, batch_size=batch_size)
    return len(elections), len(commitments)


def _commitment(rng, campaign, made_on, reviewed_on, *, branch=None, member=None) -> Commitment:
    texts = BRANCH_COMMITMENTS if branch else MEMBER_COMMITMENTS
    return Commitment(
        campaign=campaign,
        branch=branch.organization if branch else None,
        member=member,
        text=rng.choice(texts),
        made_on=made_on,
        reviewed_on=reviewed_on,
        result=rng.choices([Commitment.Result.FULFILLED, Commitment.Result.PARTLY], weights=[4, 1])[
            0
        ],
        review="经支部党员大会评议，予以通报。",
        is_public=True,
    )
