"""How long the compliance board takes for 500 branches and 50,000 activities.

    .venv/bin/python bench/compliance_board.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvxie_bench5 \
        .venv/bin/python bench/compliance_board.py

It works in a scratch database made by Django's test machinery (test_<name>, or an in-memory
SQLite database), created and destroyed by the run, so that real data is never touched. The
board page is rendered through django.test.Client for a superuser, by quarter (the default:
the last four quarters) and by month (the last twelve months), each twice: the first time
with cold caches, the second warm.
"""

import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.credentials import credit_code_check_character  # noqa: E402
from members.models import LawFirm, Person  # noqa: E402
from party_building.compliance import period_containing  # noqa: E402
from party_building.models import (  # noqa: E402
    Attendance,
    BranchActivity,
    Membership,
    PartyMember,
    PartyOrganization,
)

BRANCHES = 500
ACTIVITIES = 50_000
MEMBERS_PER_BRANCH = 10
MONTHS = 24
BATCH = 2_000
# Each branch's activities over two years: monthly, quarterly and yearly kinds as the rules
# ask (92), a few others, and about one in thirty left out so that some cells are missing.
MONTHLY = ["committee_meeting", "group_meeting", "themed_day"]
QUARTERLY = ["general_meeting", "party_lecture"]
YEARLY = ["organizational_life_meeting", "member_appraisal"]


def months_back(today, count):
    month = period_containing("month", today)
    months = [month]
    for _ in range(count - 1):
        month = month.previous()
        months.append(month)
    return list(reversed(months))


def plan_activities(branch, months, rng):
    """(kind, date) pairs for one branch, ACTIVITIES / BRANCHES of them."""
    wanted = ACTIVITIES // BRANCHES
    plan = []
    for index, month in enumerate(months):
        day = month.start + datetime.timedelta(days=rng.randrange(4, 25))
        plan += [(kind, day) for kind in MONTHLY]
        if index % 3 == 1:
            plan += [(kind, day) for kind in QUARTERLY]
        if month.start.month == 11:
            plan += [(kind, day) for kind in YEARLY]
    plan = [item for item in plan if rng.random() > 1 / 30]
    while len(plan) < wanted:
        month = rng.choice(months)
        plan.append(("other", month.start + datetime.timedelta(days=rng.randrange(0, 27))))
    return [
        BranchActivity(branch=branch, kind=kind, date=day, topic="例行组织生活")
        for kind, day in plan[:wanted]
    ]


def build_data():
    rng = random.Random(5)
    today = timezone.localdate()
    months = months_back(today, MONTHS)
    committee = PartyOrganization.objects.create(kind="committee", name="市律师行业党委")
    firms = []
    for n in range(BRANCHES):
        first17 = f"31440300MD{n:07d}"
        firms.append(
            LawFirm(
                name=f"基准{n}律师事务所",
                credit_code=first17 + credit_code_check_character(first17),
            )
        )
    firms = LawFirm.objects.bulk_create(firms, batch_size=BATCH)
    branches = PartyOrganization.objects.bulk_create(
        [
            PartyOrganization(
                kind="branch",
                name=f"基准{n}律师事务所党支部",
                parent=committee,
                law_firm=firm,
                established=datetime.date(2010, 1, 1),
            )
            for n, firm in enumerate(firms)
        ],
        batch_size=BATCH,
    )
    people = Person.objects.bulk_create(
        [Person(name=f"党员{n}") for n in range(BRANCHES * MEMBERS_PER_BRANCH)], batch_size=BATCH
    )
    members = PartyMember.objects.bulk_create(
        [PartyMember(person=person) for person in people], batch_size=BATCH
    )
    members_of = {}
    memberships = []
    for index, member in enumerate(members):
        branch = branches[index // MEMBERS_PER_BRANCH]
        members_of.setdefault(branch.pk, []).append(member)
        memberships.append(
            Membership(member=member, organization=branch, start=datetime.date(2015, 1, 1))
        )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    activities = []
    for branch in branches:
        activities += plan_activities(branch, months, rng)
    activities = BranchActivity.objects.bulk_create(activities, batch_size=BATCH)
    # Attendance is recorded for general meetings only: modest, but enough to aggregate.
    attendance = [
        Attendance(
            activity=activity,
            member=member,
            status=rng.choices(["present", "excused", "absent"], [8, 1, 1])[0],
        )
        for activity in activities
        if activity.kind == "general_meeting"
        for member in members_of[activity.branch_id]
    ]
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    return len(activities), len(attendance)


def render(client, label, params):
    url = reverse("party_building:board")
    for attempt in ("冷", "热"):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, params)
            seconds = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        rows = len(response.context["board"].rows)
        print(
            f"{label:<12}（{attempt}）{seconds:6.2f} 秒  查询 {len(queries):3d} 次  "
            f"党支部 {rows} 个，本页 {len(response.context['page_obj'].object_list)} 个"
        )


def main():
    setup_test_environment()
    # As in the tests: files served as they are (no collectstatic), and the client signs in
    # with force_login, so the second factor (not what is measured here) is off.
    measuring = override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        TWO_FACTOR_REQUIRED=False,
    )
    measuring.enable()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        activities, attendance = build_data()
        print(
            f"数据库：{connection.vendor}，党支部 {BRANCHES} 个，活动 {activities} 次，"
            f"出勤记录 {attendance} 条（准备用时 {time.perf_counter() - started:.1f} 秒）"
        )
        user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        client = Client()
        client.force_login(user)
        render(client, "按季度（默认）", {})
        render(client, "按月（12 个月）", {"unit": "month"})
        render(client, "按年（3 年）", {"unit": "year"})
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        measuring.disable()
        teardown_test_environment()


if __name__ == "__main__":
    main()
