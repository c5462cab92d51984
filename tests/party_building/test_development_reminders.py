"""党员发展 reminders: each deadline mailed once to the branch's secretary, none once the
step is recorded, in Chinese."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from party_building.models import DevelopmentNotice, DevelopmentRule, ReminderLog
from tests.party_building.factories import (
    BranchFactory,
    DevelopmentRecordFactory,
    development_record,
    secretary_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def run(day, **options):
    out = io.StringIO()
    call_command("send_compliance_reminders", f"--date={day}", stdout=out, **options)
    return out.getvalue()


def development_mail():
    return [m for m in mail.outbox if "党员发展" in m.subject]


@pytest.fixture
def branch():
    branch = BranchFactory(name="甲所党支部")
    secretary_of(branch, username="jia", email="jia@example.org")
    return branch


@pytest.fixture
def applicant(branch):
    """Applied on 1 May 2025: the talk is due by 31 May, announced from 24 May."""
    return DevelopmentRecordFactory(branch=branch, person__name="王小明", applied_on=D(2025, 5, 1))


def test_nothing_is_mailed_before_the_notice_period(applicant):
    run("2025-05-23")
    assert development_mail() == []


def test_the_talk_is_announced_once_before_its_deadline(applicant, settings):
    settings.SITE_URL = "https://lvxie.example.org"
    run("2025-05-24")
    [message] = development_mail()
    assert message.to == ["jia@example.org"]
    assert message.subject == "党员发展期限提醒：1 个党支部"
    assert "甲所党支部" in message.body
    assert "【即将到期】 王小明：与入党申请人谈话（截止 2025-05-31）" in message.body
    assert (
        f"https://lvxie.example.org/admin/party_building/developmentrecord/{applicant.pk}/change/"
        in message.body
    )
    run("2025-05-25")
    run("2025-06-10")  # overdue now, but already told
    assert len(development_mail()) == 1
    assert ReminderLog.objects.filter(kind="development").count() == 1


def test_a_deadline_never_announced_is_mailed_once_overdue(applicant):
    run("2025-06-10")
    [message] = development_mail()
    assert "【已逾期】 王小明：与入党申请人谈话" in message.body


def test_the_reminder_stops_once_the_talk_is_recorded(applicant):
    applicant.talk_on = D(2025, 5, 20)
    applicant.save()
    run("2025-05-24")
    run("2025-06-10")
    assert development_mail() == []


def test_the_end_of_the_probation_is_announced_once(branch):
    # Admitted on 15 September 2023: the probation ends on 15 September 2024, announced
    # thirty days before.
    record = development_record(branch, "probationary", person__name="李红")
    run("2024-08-15")
    assert development_mail() == []
    run("2024-08-16")
    [message] = development_mail()
    assert "李红：召开支部大会讨论转正（截止 2024-09-15）" in message.body
    assert DevelopmentNotice.objects.get().record == record
    run("2024-09-30")
    assert len(development_mail()) == 1


def test_the_confirmation_recorded_stops_the_reminder(branch):
    development_record(branch, "full")
    run("2024-08-20")
    assert development_mail() == []


def test_the_notice_follows_the_editable_rule(applicant):
    DevelopmentRule.objects.filter(key="talk_within").update(remind_before_days=14)
    run("2025-05-17")
    assert len(development_mail()) == 1


def test_another_branchs_secretary_hears_nothing_of_it(applicant):
    other = BranchFactory(name="乙所党支部")
    secretary_of(other, username="yi", email="yi@example.org")
    run("2025-05-24")
    assert [m.to for m in development_mail()] == [["jia@example.org"]]


def test_a_dry_run_sends_and_remembers_nothing(applicant):
    out = run("2025-05-24", dry_run=True)
    assert "jia@example.org" in out
    assert mail.outbox == [] and not DevelopmentNotice.objects.exists()
    run("2025-05-24")
    assert len(development_mail()) == 1
