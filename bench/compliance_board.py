"""How long each tab of the board takes for 500 branches and 50,000 activities.

    .venv/bin/python bench/compliance_board.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvxie_bench5 \
        .venv/bin/python bench/compliance_board.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvxie_bench \
        .venv/bin/python bench/compliance_board.py --existing

By default it works in a scratch database made by Django's test machinery (test_<name>, or
an in-memory SQLite database), created and destroyed by the run, so that real data is
never touched: 500 branches, 50,000 activities, and for each branch the sample records of
every registered tab (``Tab.sample``). With ``--existing`` it reads the database named by
DATABASE_URL as it is (for instance one filled by ``manage.py generate_demo_data``) and
writes nothing: requests are built by RequestFactory for an unsaved superuser.

Every tab (board.tabs(), so tabs added later are measured too) is rendered by quarter (the
default: the last four quarters), by month (the last twelve months) and by year (the last
three), each twice: the first time with cold caches, the second warm; then its exports
once. Each time is also given as a multiple of a bare page (robots.txt) measured in the
same run, and the machine's load average is printed.
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


VIEWS = [
    ("按季度（默认）", {}),
    ("按月（12 个月）", {"unit": "month"}),
    ("按年（3 年）", {"unit": "year"}),
]
LIMIT_SECONDS = 1.0


def timed(get, url, params):
    """(seconds, queries, response) of one request."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = get(url, params)
        seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return seconds, len(queries), response


def bare_seconds(get):
    """The median of eleven requests for robots.txt: the cost of any request at all."""
    url = reverse("robots")
    times = sorted(timed(get, url, {})[0] for _ in range(11))
    return times[5]


def measure_tabs(get):
    """Every tab, each view cold then warm, then its exports: returns the slowest view."""
    from party_building import board

    bare = bare_seconds(get)
    print(f"空白页（robots.txt）{bare * 1000:.1f} 毫秒；负载 {load_average()}")
    slowest = 0.0
    for tab in board.tabs():
        for label, params in VIEWS:
            for attempt in ("冷", "热"):
                seconds, queries, _response = timed(get, tab.get_absolute_url(), params)
                slowest = max(slowest, seconds)
                flag = "" if seconds < LIMIT_SECONDS else "  ← 超过 1 秒"
                print(
                    f"{tab.key:<12}{label:<12}（{attempt}）{seconds:6.2f} 秒  "
                    f"查询 {queries:3d} 次  空白页的 {seconds / bare:5.0f} 倍{flag}"
                )
        if tab.export is not None:
            for url in (tab.xlsx_url, tab.csv_url):
                seconds, queries, response = timed(get, url, {})
                print(
                    f"{tab.key:<12}导出 {url.rsplit('.', 1)[-1]:<8}    {seconds:6.2f} 秒  "
                    f"查询 {queries:3d} 次  {len(response.content) // 1024} KB"
                )
    print(f"最慢的页面：{slowest:.2f} 秒（{'达标' if slowest < LIMIT_SECONDS else '未达标'}）")
    return slowest


def load_average():
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}（{os.cpu_count()} 核）"


def add_samples():
    """Each registered tab's sample records for every branch (Tab.sample)."""
    from party_building import board

    today = timezone.localdate()
    branches = list(PartyOrganization.objects.filter(kind="branch").order_by("pk"))
    for tab in board.tabs():
        if tab.sample is not None:
            for branch in branches:
                tab.sample(branch, today)


def measuring_settings():
    # As in the tests: files served as they are (no collectstatic), and the second factor
    # (not what is measured here) is off.
    return override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        TWO_FACTOR_REQUIRED=False,
    )


def scratch():
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        activities, attendance = build_data()
        add_samples()
        if connection.vendor == "postgresql":
            # As autovacuum would soon after such a load: the planner needs the row counts.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"数据库：{connection.vendor}（临时），党支部 {BRANCHES} 个，活动 {activities} 次，"
            f"出勤记录 {attendance} 条，另有各分项的样本记录"
            f"（准备用时 {time.perf_counter() - started:.1f} 秒）"
        )
        user = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
        client = Client()
        client.force_login(user)
        return measure_tabs(client.get)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def existing():
    """Read the database as it is: no user, session or row is written."""
    from django.contrib.sessions.backends.cache import SessionStore
    from django.test import RequestFactory
    from django.urls import resolve

    from party_building.models import BranchActivity

    user = get_user_model()(username="bench", is_staff=True, is_superuser=True, is_active=True)
    factory = RequestFactory()

    def get(url, params):
        request = factory.get(url, params)
        request.user = user
        request.session = SessionStore()
        match = resolve(url)
        response = match.func(request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
        return response

    print(
        f"数据库：{connection.vendor}（{connection.settings_dict['NAME']}，只读），党支部 "
        f"{PartyOrganization.objects.filter(kind='branch').count()} 个，活动 "
        f"{BranchActivity.objects.count()} 次，出勤记录 {Attendance.objects.count()} 条"
    )
    return measure_tabs(get)


def main():
    import logging

    logging.getLogger("lvxie.audit").setLevel(logging.WARNING)  # an export line per export
    setup_test_environment()
    measuring = measuring_settings()
    measuring.enable()
    try:
        slowest = existing() if "--existing" in sys.argv[1:] else scratch()
    finally:
        measuring.disable()
        teardown_test_environment()
    sys.exit(0 if slowest < LIMIT_SECONDS else 1)


if __name__ == "__main__":
    main()
