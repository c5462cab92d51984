"""Every tab of the board: its page and export run a fixed number of queries whatever the
number of branches, and a secretary sees only their branches in it.

New tabs are picked up from the registry (board.tabs()); each tab's ``sample(branch,
today)`` creates a few of its records per branch so that its queries run on real rows.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from party_building import board
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    administrator,
    member_of,
    secretary_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

TAB_KEYS = [tab.key for tab in board.tabs()]
MONTHS = {"unit": "month"}


def add_branches(count, prefix="支部"):
    today = timezone.localdate()
    branches = []
    for n in range(count):
        branch = BranchFactory(name=f"{prefix}{n:03d}党支部")
        member = member_of(branch, member__person__name=f"{prefix}{n:03d}党员")
        activity = ActivityFactory(branch=branch, date=today.replace(day=1))
        AttendanceFactory(activity=activity, member=member)
        for tab in board.tabs():
            if tab.sample is not None:
                tab.sample(branch, today)
        branches.append(branch)
    return branches


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return page_queries(context)


def urls_of(tab):
    urls = [tab.get_absolute_url()]
    if tab.export is not None:
        urls += [tab.xlsx_url, tab.csv_url]
    return urls


def test_the_tabs_include_the_meetings_dues_coverage_and_terms():
    assert {"meetings", "dues"} <= set(TAB_KEYS)
    assert TAB_KEYS[0] == "meetings"


def test_every_tab_runs_the_same_queries_for_5_and_50_branches(client):
    # One set of data for every tab: 50 branches is what costs time here.
    client.force_login(administrator())
    add_branches(5)
    urls = [url for tab in board.tabs() for url in urls_of(tab)]
    few = {url: count_queries(client, url, MONTHS) for url in urls}
    add_branches(45, prefix="新增")
    many = {url: count_queries(client, url, MONTHS) for url in urls}
    assert many == few


def test_a_secretary_sees_only_their_branches_in_every_tab(client):
    mine, _other = add_branches(1, prefix="本"), add_branches(1, prefix="他")
    client.force_login(secretary_of(*mine))
    for tab in board.tabs():
        for url in [url for url in urls_of(tab) if not url.endswith(".xlsx")]:  # zipped
            body = client.get(url, MONTHS).content.decode("utf-8-sig", errors="replace")
            assert "本000" in body or tab.key != "meetings", url
            assert "他000" not in body, url


def test_an_unknown_tab_answers_404(client):
    client.force_login(administrator())
    assert client.get(reverse("party_building:board-tab", args=["no-such-tab"])).status_code == 404


def test_tab_links_keep_the_chosen_periods(client):
    client.force_login(administrator())
    BranchFactory()
    page = client.get(reverse("party_building:board"), {"unit": "year", "page": "2"})
    html = page.content.decode()
    assert 'href="/party/board/dues/?unit=year"' in html
    assert 'aria-current="page">' in html


def test_each_tab_with_an_export_links_to_it(client):
    client.force_login(administrator())
    BranchFactory()
    for tab in board.tabs():
        page = client.get(tab.get_absolute_url(), {"unit": "year"}).content.decode()
        if tab.export is not None:
            assert f'href="{tab.csv_url}?unit=year"' in page, tab.key
            assert f'href="{tab.xlsx_url}?unit=year"' in page, tab.key


def test_registering_a_key_twice_is_an_error():
    with pytest.raises(ValueError):
        board.register_tab("meetings", "x", template="x.html")(lambda ctx: {})


def test_the_kind_filter_shows_only_on_tabs_that_use_it(client):
    client.force_login(administrator())
    BranchFactory()
    assert 'name="kind"' in client.get(reverse("party_building:board")).content.decode()
    dues = reverse("party_building:board-tab", args=["dues"])
    assert 'name="kind"' not in client.get(dues).content.decode()


def test_the_dues_export_lists_members_owing_as_numbers(client):
    from party_building.models import DuesBase

    client.force_login(administrator())
    branch = BranchFactory(name="欠费所党支部")
    member = member_of(branch, member__person__name="欠费党员")
    DuesBase.objects.create(member=member, valid_from=datetime.date(2024, 1, 1), base_fen=800_000)
    url = reverse("party_building:board-tab-csv", args=["dues"])
    body = client.get(url, {"unit": "quarter", "start": "2024-01-01", "end": "2024-03-31"})
    text = body.content.decode("utf-8-sig")
    assert "欠费所党支部,欠费党员,3,360.00" in text


@pytest.mark.parametrize("unit", ["month", "quarter", "year"])
def test_the_fast_statuses_agree_with_the_detailed_cells(unit):
    """board_statuses sorts the whole board; board_cell details a page: same judgement."""
    import random

    from party_building import compliance

    rng = random.Random(7)
    requirements = [
        *compliance.DEFAULT_REQUIREMENTS,
        compliance.Requirement("themed_day", "quarter", 2),
    ]
    periods = compliance.periods_between(
        unit, datetime.date(2023, 1, 1), datetime.date(2025, 6, 30)
    )
    for _branch in range(40):
        dates = {
            requirement.kind: [
                datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1000))
                for _n in range(rng.randrange(0, 40))
            ]
            for requirement in requirements
        }
        established = rng.choice([None, datetime.date(2023, 5, 10), datetime.date(2024, 7, 1)])
        today = datetime.date(2025, 3, 15)
        fast = compliance.board_statuses(requirements, dates, periods, today, established)
        slow = [
            compliance.board_cell(requirements, dates, period, today, established).status
            for period in periods
        ]
        assert fast == slow
