import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from party_building.models import DuesBase, PartyOrganization, ReminderLog
from tests.party_building.factories import (
    ActivityFactory,
    BranchFactory,
    administrator,
    hold_year,
    member_of,
    secretary_of,
)

pytestmark = pytest.mark.django_db

MONDAY, TUESDAY = "2025-04-07", "2025-04-08"


@pytest.fixture
def branches():
    """甲 missed the first quarter's general meeting; 乙 held everything."""
    late = BranchFactory(name="甲所党支部")
    fine = BranchFactory(name="乙所党支部")
    for branch in (late, fine):
        hold_year(branch, 2024)
    hold_year(late, 2025, skip={("general_meeting", 2)})
    hold_year(fine, 2025)
    return late, fine


@pytest.fixture
def secretaries(branches):
    late, fine = branches
    return (
        secretary_of(late, username="late", email="late@example.org"),
        secretary_of(fine, username="fine", email="fine@example.org"),
    )


def run(day, **options):
    out = io.StringIO()
    call_command("send_compliance_reminders", f"--date={day}", stdout=out, **options)
    return out.getvalue()


def test_a_secretary_hears_of_their_overdue_meeting_in_chinese(secretaries):
    run(TUESDAY)
    [message] = mail.outbox
    assert message.to == ["late@example.org"]
    assert "党支部" in message.subject and "需召开" in message.subject
    assert "甲所党支部" in message.body
    assert "【已逾期】 2025年第1季度 支部党员大会 应召开1次，已召开0次" in message.body
    assert "乙所党支部" not in message.body


def test_a_meeting_due_within_two_weeks_is_announced(branches):
    branch = BranchFactory(name="丙所党支部")
    hold_year(branch, 2024)
    hold_year(branch, 2025, skip={("themed_day", 4)})
    secretary_of(branch, username="soon", email="soon@example.org")
    run("2025-04-20")
    [message] = mail.outbox
    assert "【即将到期】 2025年4月 主题党日 应开展1次，已开展0次" in message.body


def test_a_secretary_with_nothing_to_do_gets_no_mail(secretaries):
    run(TUESDAY)
    assert "fine@example.org" not in [address for m in mail.outbox for address in m.to]


def test_accounts_without_an_email_or_inactive_get_no_mail(branches):
    late, _fine = branches
    secretary_of(late, username="no-mail", email="")
    inactive = secretary_of(late, username="gone", email="gone@example.org")
    inactive.is_active = False
    inactive.save()
    run(TUESDAY)
    assert mail.outbox == []


def test_a_second_run_on_the_same_day_sends_nothing_new(secretaries):
    run(TUESDAY)
    run(TUESDAY)
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_an_overdue_meeting_is_mailed_once_not_every_day(secretaries):
    run(TUESDAY)
    run("2025-04-09")
    run("2025-05-09")
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_a_dry_run_does_not_count_as_telling_the_secretary(secretaries):
    run(TUESDAY, dry_run=True)
    run("2025-04-09")
    assert [m.to for m in mail.outbox] == [["late@example.org"]]


def test_once_the_missed_meeting_is_recorded_the_next_days_mail_does_not_list_it(branches):
    late, _fine = branches
    secretary_of(late, username="late", email="late@example.org")
    ActivityFactory(branch=late, kind="general_meeting", date=datetime.date(2025, 4, 8))
    run("2025-04-09")
    assert not [m for m in mail.outbox if "支部党员大会" in m.body]


def test_the_greeting_puts_the_family_name_first_without_a_space(secretaries):
    late_secretary, _fine = secretaries
    late_secretary.first_name, late_secretary.last_name = "建", "蒋"
    late_secretary.save()
    run(TUESDAY)
    [message] = mail.outbox
    assert message.body.startswith("蒋建同志：")


def test_a_general_branch_manager_hears_about_the_branches_under_it(branches):
    late, _fine = branches
    general = PartyOrganization.objects.create(kind="general_branch", name="联合党总支")
    late.parent = general
    late.save()
    secretary_of(general, username="general", email="general@example.org")
    run(TUESDAY)
    [message] = mail.outbox
    assert message.to == ["general@example.org"] and "甲所党支部" in message.body


def test_on_monday_administrators_get_the_weekly_summary_of_overdue_branches(secretaries):
    administrator(email="committee@example.org")
    run(MONDAY)
    [summary] = [m for m in mail.outbox if m.to == ["committee@example.org"]]
    assert "每周汇总" in summary.subject
    assert "甲所党支部" in summary.body and "乙所党支部" not in summary.body


def test_no_weekly_summary_on_other_days_unless_asked(secretaries):
    administrator(email="committee@example.org")
    run(TUESDAY)
    assert not [m for m in mail.outbox if m.to == ["committee@example.org"]]
    run(TUESDAY, weekly=True)
    assert [m for m in mail.outbox if m.to == ["committee@example.org"]]


def test_the_weekly_summary_is_sent_once_a_day_too(secretaries):
    administrator(email="committee@example.org")
    run(MONDAY)
    run(MONDAY, weekly=True)
    assert len([m for m in mail.outbox if m.to == ["committee@example.org"]]) == 1


def test_a_dry_run_names_the_recipients_and_sends_nothing(secretaries):
    out = run(TUESDAY, dry_run=True)
    assert "late@example.org" in out
    assert mail.outbox == [] and not ReminderLog.objects.exists()


def test_the_command_reports_what_it_sent(secretaries):
    assert "Sent 1 daily digest(s) and 0 weekly summary(ies) for 2025-04-08." in run(TUESDAY)


def test_the_weekly_summary_lists_the_dues_owed_per_branch(secretaries, branches):
    late, _fine = branches
    member = member_of(late, start=datetime.date(2024, 1, 1))
    DuesBase.objects.create(member=member, valid_from=datetime.date(2025, 1, 1), base_fen=800_000)
    administrator(email="committee@example.org")
    run(MONDAY)
    [summary] = [m for m in mail.outbox if m.to == ["committee@example.org"]]
    # January to March 2025 unpaid, 120 元 a month.
    assert "近十二个月欠缴党费：" in summary.body
    assert "甲所党支部：1名党员欠缴，共360.00元" in summary.body
