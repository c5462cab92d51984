"""Every kind of reminder mail, rendered as it arrives: in Chinese, with what it must say.

The kinds come from party_building.mail_previews (each kind the reminder command sends
registers a preview there), so a new kind is checked as soon as it is registered.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from party_building import mail_previews

KINDS = sorted(mail_previews.PREVIEWS)
URL = re.compile(r"https?://\S+")


def test_every_kind_the_command_sends_has_a_preview():
    # Each mail the command sends is logged under its kind (ReminderLog.Kind).
    from party_building.models import ReminderLog

    assert set(ReminderLog.Kind.values) <= set(KINDS)
    assert {"daily", "weekly", "development"} <= set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_each_mail_reads_in_chinese_with_what_it_must_say(kind):
    subject, body = mail_previews.render(kind)
    assert subject and "\n" not in subject
    for text in mail_previews.PREVIEWS[kind].expect:
        assert text in subject + body, text
    # No English left once addresses are taken out: every string went through the .po file.
    leftover = re.findall(r"[A-Za-z]{3,}", URL.sub("", subject + "\n" + body))
    assert leftover == []
    assert body.startswith("蒋建同志：")


def test_the_daily_digest_lists_meetings_and_terms_with_deadlines():
    _subject, body = mail_previews.render("daily")
    assert "【已逾期】 2025年第4季度 支部党员大会 应召开1次，已召开0次（截止 2025-12-31）" in body
    assert "长沙明德律师事务所党支部：【已逾期】 2022-12-20 选举，任期3年，2025-12-20 届满" in body


def test_the_command_prints_the_previews():
    out = io.StringIO()
    call_command("preview_party_mails", "daily", "weekly", stdout=out)
    text = out.getvalue()
    assert "===== daily =====" in text and "===== weekly =====" in text
    assert "主题：党建工作每周汇总" in text


def test_the_command_refuses_an_unknown_kind():
    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("preview_party_mails", "nope", stdout=io.StringIO())
