"""A member signed in sees their own record, and nobody else's; 签到 with the meeting's code."""

import datetime
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from party_building import checkin
from party_building.models import Attendance, DuesBase, DuesPayment
from tests.factories import PASSWORD, UserFactory
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    administrator,
    development_record,
    member_of,
    secretary_of,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def with_account(member, username):
    member.user = UserFactory(username=username)
    member.save()
    return member.user


@pytest.fixture
def world():
    today = timezone.localdate()
    branch_a, branch_b = BranchFactory(name="甲所党支部"), BranchFactory(name="乙所党支部")
    a = member_of(branch_a, start=D(2015, 1, 1), member__person__name="张三")
    b = member_of(branch_b, start=D(2015, 1, 1), member__person__name="李四")
    with_account(a, "zhangsan")
    with_account(b, "lisi")
    past_a = ActivityFactory(branch=branch_a, topic="甲支部学习党章", date=D(2024, 5, 1))
    past_b = ActivityFactory(branch=branch_b, topic="乙支部学习党章", date=D(2024, 5, 1))
    AttendanceFactory(activity=past_a, member=a)
    AttendanceFactory(activity=past_b, member=b)
    next_a = ActivityFactory(
        branch=branch_a, topic="甲支部下次党员大会", date=today + datetime.timedelta(days=7)
    )
    next_b = ActivityFactory(
        branch=branch_b, topic="乙支部下次党员大会", date=today + datetime.timedelta(days=7)
    )
    return {
        "today": today,
        "branch_a": branch_a,
        "branch_b": branch_b,
        "a": a,
        "b": b,
        "past_a": past_a,
        "past_b": past_b,
        "next_a": next_a,
        "next_b": next_b,
    }


def signed_in(client, member):
    client.force_login(member.user)
    return client


# --- 我的党员档案 --------------------------------------------------------------------------------


def test_a_member_sees_their_branch_meetings_and_the_next_meeting(client, world):
    page = signed_in(client, world["a"]).get(reverse("party_building:my-record"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "张三" in text and "甲所党支部" in text
    assert "甲支部学习党章" in text and "甲支部下次党员大会" in text
    assert "李四" not in text and "乙所党支部" not in text
    assert "乙支部学习党章" not in text and "乙支部下次党员大会" not in text
    assert "no-store" in page["Cache-Control"]


def test_a_probationary_member_sees_their_development_stage(client, world):
    record_page = reverse("party_building:my-record")
    assert "发展阶段" not in signed_in(client, world["a"]).get(record_page).content.decode()
    development_record(world["branch_a"], stage="probationary", person=world["a"].person)
    text = client.get(record_page).content.decode()
    assert "发展阶段" in text and "预备党员" in text


def test_a_member_sees_their_own_dues_paid_and_owed(client, world):
    a, today = world["a"], world["today"]
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    two_ago = (last_month - datetime.timedelta(days=1)).replace(day=1)
    DuesBase.objects.create(member=a, valid_from=D(2015, 1, 1), base_fen=800_000)  # 1.5 %: 120 元
    DuesPayment.objects.create(
        member=a, branch=world["branch_a"], month=last_month, amount_fen=12_000, paid_on=today
    )
    DuesPayment.objects.create(
        member=world["b"], branch=world["branch_b"], month=two_ago, amount_fen=98_765, paid_on=today
    )
    text = signed_in(client, a).get(reverse("party_building:my-record")).content.decode()
    assert "120.00" in text  # paid for last month
    assert "1320.00" in text  # eleven months owed at 120 元
    assert two_ago.strftime("%Y-%m") in text
    assert "987.65" not in text  # another member's payment


def test_a_member_opens_their_own_meeting_and_gets_404_for_another_branchs(client, world):
    signed_in(client, world["a"])
    own = client.get(reverse("party_building:my-meeting", args=[world["past_a"].pk]))
    assert own.status_code == 200 and "甲支部学习党章" in own.content.decode()
    for other in (world["past_b"], world["next_b"]):
        assert client.get(reverse("party_building:my-meeting", args=[other.pk])).status_code == 404


def test_member_a_asking_for_anything_of_member_b_gets_404_or_nothing_of_b(client, world):
    signed_in(client, world["a"])
    b = world["b"]
    # The own pages take no member id: a query naming B changes nothing.
    text = client.get(reverse("party_building:my-record"), {"member": b.pk}).content.decode()
    assert "李四" not in text
    # B's meetings are 404; the staff pages are closed to a member who is not staff.
    assert (
        client.get(reverse("party_building:my-meeting", args=[world["past_b"].pk])).status_code
        == 404
    )
    staff = client.get(reverse("party_building:activity", args=[world["past_b"].pk]))
    assert staff.status_code in (302, 403)
    admin_page = client.get(reverse("admin:party_building_partymember_change", args=[b.pk]))
    assert admin_page.status_code == 302 and "/admin/login/" in admin_page["Location"]


def test_an_account_without_a_member_is_told_so(client, world):
    client.force_login(UserFactory(username="lawyer-not-member"))
    page = client.get(reverse("party_building:my-record"))
    assert page.status_code == 403 and "尚未关联" in page.content.decode()


def test_an_anonymous_visitor_is_sent_to_the_members_sign_in(client, world):
    page = client.get(reverse("party_building:my-record"))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("party_building:member-login"))


def test_a_member_signs_in_on_the_members_page_and_lands_on_their_record(client, world):
    page = client.post(
        reverse("party_building:member-login"), {"username": "zhangsan", "password": PASSWORD}
    )
    assert page.status_code == 302 and page["Location"] == reverse("party_building:my-record")


def test_an_account_that_must_use_a_second_factor_types_it_first(client, world, settings):
    settings.TWO_FACTOR_REQUIRED = True
    secretary = secretary_of(world["branch_a"])
    world["a"].user = secretary
    world["a"].save()
    client.force_login(secretary)
    page = client.get(reverse("party_building:my-record"))
    assert page.status_code == 302 and "/account/2fa/" in page["Location"]


def test_the_record_page_runs_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    signed_in(client, world["a"])
    url = reverse("party_building:my-record")
    with django_assert_max_num_queries(13):
        client.get(url)
    for n in range(30):
        AttendanceFactory(
            activity=ActivityFactory(
                branch=world["branch_a"], date=D(2023, 1, 1) + datetime.timedelta(days=n)
            ),
            member=world["a"],
        )
    with django_assert_max_num_queries(13):
        page = client.get(url)
    assert "第 1 页，共 2 页" in page.content.decode()


# --- 签到 (check-in) ----------------------------------------------------------------------------


@pytest.fixture
def meeting_today(world):
    return ActivityFactory(branch=world["branch_a"], topic="今天的主题党日", date=world["today"])


def check_in_url(activity):
    return reverse("party_building:check-in", args=[checkin.make_token(activity)])


def test_the_secretary_sees_the_code_of_the_meeting(client, world, meeting_today):
    client.force_login(secretary_of(world["branch_a"]))
    page = client.get(reverse("party_building:check-in-code", args=[meeting_today.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text
    url = re.search(r'id="check-in-url" href="http://testserver(/party/check-in/([^/"]+)/)"', text)
    assert checkin.read_token(url.group(2)) == (meeting_today.pk, meeting_today.date)


def test_another_branchs_secretary_gets_404_for_the_code(client, world, meeting_today):
    client.force_login(secretary_of(world["branch_b"]))
    url = reverse("party_building:check-in-code", args=[meeting_today.pk])
    assert client.get(url).status_code == 404


def test_get_shows_a_button_and_records_nothing(client, world, meeting_today):
    page = signed_in(client, world["a"]).get(check_in_url(meeting_today))
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert not Attendance.objects.filter(activity=meeting_today).exists()


def test_a_member_checks_in_once_and_a_second_scan_says_so(client, world, meeting_today):
    signed_in(client, world["a"])
    first = client.post(check_in_url(meeting_today))
    assert first.status_code == 200 and "签到成功" in first.content.decode()
    second = client.post(check_in_url(meeting_today))
    assert second.status_code == 200 and "已经签到" in second.content.decode()
    attendance = Attendance.objects.get(activity=meeting_today)
    assert attendance.member == world["a"] and attendance.status == Attendance.Status.PRESENT
    assert attendance.history.get().history_user == world["a"].user
    # And the meeting is in the member's record.
    record = client.get(reverse("party_building:my-record")).content.decode()
    assert "今天的主题党日" in record


def test_a_member_of_another_branch_is_refused_and_nothing_is_recorded(
    client, world, meeting_today
):
    page = signed_in(client, world["b"]).post(check_in_url(meeting_today))
    assert page.status_code == 403 and "不是" in page.content.decode()
    assert not Attendance.objects.filter(activity=meeting_today).exists()


@pytest.mark.parametrize(("days", "words"), [(-1, "已过期"), (1, "当天")])
def test_a_code_outside_the_meetings_day_is_refused(client, world, days, words):
    activity = ActivityFactory(
        branch=world["branch_a"], date=world["today"] + datetime.timedelta(days=days)
    )
    page = signed_in(client, world["a"]).post(check_in_url(activity))
    assert page.status_code == 400 and words in page.content.decode()
    assert not Attendance.objects.filter(activity=activity).exists()


def test_a_tampered_code_is_refused(client, world, meeting_today):
    other = ActivityFactory(branch=world["branch_a"], date=world["today"])
    token = checkin.make_token(meeting_today)
    value, signature = token.rsplit(":", 1)
    forged_value = signing.dumps({"a": other.pk, "d": other.date.isoformat()}, salt=checkin.SALT)
    tampered = [
        f"{forged_value.rsplit(':', 1)[0]}:{signature}",  # another meeting under this signature
        f"{value}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        signing.dumps({"a": meeting_today.pk, "d": meeting_today.date.isoformat()}),  # no salt
        "not-a-code",
    ]
    signed_in(client, world["a"])
    for token in tampered:
        page = client.post(reverse("party_building:check-in", args=[token]))
        assert page.status_code == 400 and "无效" in page.content.decode()
    assert (
        not Attendance.objects.exists()
        or not Attendance.objects.filter(activity__in=[meeting_today, other]).exists()
    )


def test_a_code_shown_before_the_meeting_moved_no_longer_works(client, world, meeting_today):
    url = check_in_url(meeting_today)
    meeting_today.date = world["today"] + datetime.timedelta(days=1)
    meeting_today.save()
    page = signed_in(client, world["a"]).post(url)
    assert page.status_code == 400 and "改期" in page.content.decode()


def test_an_anonymous_scan_goes_to_the_sign_in_and_back(client, world, meeting_today):
    url = check_in_url(meeting_today)
    page = client.get(url)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("party_building:member-login"))
    assert "next=" in page["Location"]


def test_the_window_is_the_meetings_day_in_the_sites_time_zone():
    day = D(2026, 7, 1)
    start, end = checkin.window(day)
    checkin.check(day, day, start)
    checkin.check(day, day, end - datetime.timedelta(seconds=1))
    with pytest.raises(checkin.Refused) as early:
        checkin.check(day, day, start - datetime.timedelta(seconds=1))
    assert early.value.reason == checkin.NOT_YET
    with pytest.raises(checkin.Refused) as late:
        checkin.check(day, day, end)
    assert late.value.reason == checkin.EXPIRED
    # 00:00 in Beijing is 16:00 UTC the day before.
    assert start.astimezone(datetime.UTC).hour == 16


def test_a_member_signs_out_with_a_post(client, world):
    signed_in(client, world["a"])
    assert client.get(reverse("party_building:member-logout")).status_code == 405
    assert client.post(reverse("party_building:member-logout")).status_code == 302
    page = client.get(reverse("party_building:my-record"))
    assert page.status_code == 302 and "/party/me/sign-in/" in page["Location"]


# --- Linking the account -------------------------------------------------------------------------


def test_the_committee_links_an_account_and_a_secretary_cannot(client, world):
    from tests.party_building.test_admin import member_form

    member = world["a"]
    member.user = None
    member.save()
    account = UserFactory(username="zhangsan-new")
    current = member.memberships.get()
    rows = [(current.pk, world["branch_a"], "2015-01-01", "")]
    change = reverse("admin:party_building_partymember_change", args=[member.pk])

    client.force_login(secretary_of(world["branch_a"]))
    assert 'name="user"' not in client.get(change).content.decode()
    client.post(change, {**member_form(member, rows), "user": account.pk})
    member.refresh_from_db()
    assert member.user is None

    client.force_login(administrator())
    response = client.post(change, {**member_form(member, rows), "user": account.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user == account
