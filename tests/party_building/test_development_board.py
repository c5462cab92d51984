"""The 党员发展 tab of the board: counts per stage, the steps due, scoped, in a fixed number of
queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.party_building.factories import (
    BranchFactory,
    DevelopmentRecordFactory,
    administrator,
    development_record,
    secretary_of,
)
from tests.queries import page_queries
from tests.validators import html_errors

pytestmark = pytest.mark.django_db

URL = reverse("party_building:board-tab", kwargs={"tab": "development"})
XLSX = reverse("party_building:board-tab-xlsx", kwargs={"tab": "development"})
# The year 2024 by quarter, seen on 10 October 2024.
PERIODS = {"unit": "quarter", "start": "2024-01-01", "end": "2024-12-31"}
TODAY = datetime.date(2024, 10, 10)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)


@pytest.fixture
def branches():
    jia, yi = BranchFactory(name="甲所党支部"), BranchFactory(name="乙所党支部")
    # 甲: an applicant whose talk was due on 31 August (overdue), an activist of a year and
    # more, a probationary member confirmed in 2024 and one whose probation ended on 15
    # September 2024 (overdue).
    DevelopmentRecordFactory(
        branch=jia, person__name="逾期谈话", applied_on=datetime.date(2024, 8, 1)
    )
    development_record(jia, "activist")
    development_record(jia, "full", person__name="已转正")
    development_record(jia, "probationary", person__name="待转正")
    # 乙: an applicant talked with.
    development_record(yi, "activist", person__name="乙所积极分子")
    return jia, yi


def test_the_tab_counts_each_branch_by_stage_overdue_first(client, branches):
    client.force_login(administrator())
    response = client.get(URL, PERIODS)
    rows = {row.branch.name: row for row in response.context["page_obj"]}
    jia = rows["甲所党支部"]
    assert jia.stage_counts == [1, 1, 0, 1]
    assert (jia.ready, jia.confirmed, jia.overdue) == (1, 1, 2)
    assert rows["乙所党支部"].stage_counts == [0, 1, 0, 0]
    assert next(row.branch.name for row in response.context["page_obj"]) == "甲所党支部"
    page = response.content.decode()
    assert "逾期谈话" in page and "与入党申请人谈话" in page
    assert "待转正" in page and "召开支部大会讨论转正" in page
    assert "已转正" not in page  # no deadline left


def test_a_confirmation_outside_the_periods_is_not_counted(client, branches):
    client.force_login(administrator())
    response = client.get(URL, {**PERIODS, "start": "2023-01-01", "end": "2023-12-31"})
    rows = {row.branch.name: row for row in response.context["page_obj"]}
    assert rows["甲所党支部"].confirmed == 0


def test_a_secretary_sees_only_their_branch_in_the_tab_and_its_export(client, branches):
    _jia, yi = branches
    client.force_login(secretary_of(yi))
    page = client.get(URL, PERIODS).content.decode()
    assert "乙所积极分子" not in page  # not due: listed nowhere but in the counts
    assert "甲所党支部" not in page and "逾期谈话" not in page and "待转正" not in page
    sheet = load_workbook(io.BytesIO(client.get(XLSX, PERIODS).content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["乙所党支部"]


def test_the_tab_runs_the_same_queries_for_3_and_12_branches(client):
    client.force_login(administrator())

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL, PERIODS).status_code == 200
        return page_queries(context)

    for _ in range(3):
        branch = BranchFactory()
        development_record(branch, "probationary")
        DevelopmentRecordFactory(branch=branch, applied_on=datetime.date(2024, 8, 1))
    few = queries()
    for _ in range(9):
        branch = BranchFactory()
        development_record(branch, "probationary")
        DevelopmentRecordFactory(branch=branch, applied_on=datetime.date(2024, 8, 1))
    assert queries() == few


@pytest.mark.validators
def test_the_tab_with_records_and_steps_due_is_valid_html(client, branches, java):
    client.force_login(administrator())
    page = client.get(URL, PERIODS).content
    assert "逾期谈话" in page.decode()
    assert html_errors(java, {URL: page}) == []
