"""换届: the term rule (plain Python), the board's tab, the reminders and who may record."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from party_building import terms
from party_building.models import CommitteeElection
from party_building.terms import TermState, term_state
from tests.party_building.factories import BranchFactory, administrator, secretary_of

D = datetime.date
TERMS = reverse("party_building:board-tab", args=["terms"])


# --- The rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2024, 12, 19), TermState.CURRENT),  # six months and a day before the end
        (D(2024, 12, 20), TermState.DUE_SOON),
        (D(2025, 6, 20), TermState.DUE_SOON),  # the term's last day
        (D(2025, 6, 21), TermState.OVERDUE),
    ],
)
def test_a_three_year_term_is_due_soon_in_its_last_six_months_then_overdue(today, state):
    term = term_state(D(2022, 6, 20), 3, today)
    assert term.ends == D(2025, 6, 20)
    assert term.state is state


def test_the_term_length_is_the_recorded_one_three_years_by_default():
    assert term_state(D(2020, 1, 1), 5, D(2024, 1, 1)).ends == D(2025, 1, 1)
    assert term_state(D(2020, 1, 1), None, D(2021, 1, 1)).ends == D(2023, 1, 1)


def test_a_term_from_29_february_ends_on_28_february():
    assert terms.add_years(D(2024, 2, 29), 3) == D(2027, 2, 28)
    assert terms.add_months(D(2025, 8, 31), -6) == D(2025, 2, 28)


def test_no_recorded_election_is_said_so():
    term = term_state(None, None, D(2025, 1, 1))
    assert term.state is TermState.NO_RECORD and term.label == "未登记换届"


# --- The board's tab and the reminders -----------------------------------------------------


@pytest.fixture
def elected(db):
    today = datetime.date.today()
    overdue = BranchFactory(name="到期所党支部")
    soon = BranchFactory(name="将到期所党支部")
    current = BranchFactory(name="任期内所党支部")
    BranchFactory(name="未登记所党支部")
    CommitteeElection.objects.create(organization=overdue, elected_on=terms.add_years(today, -4))
    CommitteeElection.objects.create(organization=overdue, elected_on=terms.add_years(today, -7))
    CommitteeElection.objects.create(
        organization=soon, elected_on=terms.add_months(terms.add_years(today, -3), 2)
    )
    CommitteeElection.objects.create(
        organization=current, elected_on=terms.add_years(today, -1), term_years=3
    )
    return overdue, soon, current


def test_the_tab_lists_overdue_then_due_soon_then_unrecorded_then_current(client, elected):
    client.force_login(administrator())
    response = client.get(TERMS)
    rows = [(branch.name, term.state) for branch, term in response.context["page_obj"]]
    assert rows == [
        ("到期所党支部", TermState.OVERDUE),
        ("将到期所党支部", TermState.DUE_SOON),
        ("未登记所党支部", TermState.NO_RECORD),
        ("任期内所党支部", TermState.CURRENT),
    ]
    page = response.content.decode()
    assert "已到期未换届" in page and "即将到期" in page and "任期内" in page


def test_a_secretary_sees_their_branch_terms_only(client, elected):
    _overdue, soon, _current = elected
    client.force_login(secretary_of(soon))
    names = [branch.name for branch, _term in client.get(TERMS).context["page_obj"]]
    assert names == ["将到期所党支部"]


def test_the_secretary_is_mailed_once_as_the_term_comes_due_and_once_when_overdue(elected):
    overdue, soon, _current = elected
    secretary_of(overdue, soon, username="both", email="both@example.org")
    today = datetime.date.today()
    call_command("send_compliance_reminders", f"--date={today}", stdout=io.StringIO())
    terms_mail = [m for m in mail.outbox if "换届" in m.body]
    assert len(terms_mail) == 1
    body = terms_mail[0].body
    assert "支部委员会换届" in body
    assert "到期所党支部：【已逾期】" in body and "将到期所党支部：【即将到期】" in body
    mail.outbox.clear()
    tomorrow = today + datetime.timedelta(days=1)
    call_command("send_compliance_reminders", f"--date={tomorrow}", stdout=io.StringIO())
    assert not any("换届" in m.body for m in mail.outbox)


def test_the_weekly_summary_lists_the_terms(elected):
    administrator()
    call_command(
        "send_compliance_reminders", "--weekly", "--dry-run", stdout=io.StringIO()
    )  # a dry run sends nothing
    assert mail.outbox == []
    call_command("send_compliance_reminders", "--weekly", stdout=io.StringIO())
    [summary] = [m for m in mail.outbox if "每周汇总" in m.subject]
    assert "已到期或即将到期的支部委员会换届" in summary.body
    assert "到期所党支部" in summary.body


def test_a_secretary_reads_elections_in_the_admin_but_cannot_add_them(client, elected):
    overdue, soon, _current = elected
    client.force_login(secretary_of(soon))
    listing = client.get(reverse("admin:party_building_committeeelection_changelist"))
    assert listing.status_code == 200
    assert "将到期所党支部" in listing.content.decode()
    assert "到期所党支部 " not in listing.content.decode()
    other = CommitteeElection.objects.filter(organization=overdue).first()
    change = reverse("admin:party_building_committeeelection_change", args=[other.pk])
    assert client.get(change).status_code == 404
    assert client.get(reverse("admin:party_building_committeeelection_add")).status_code == 403


def test_the_branch_page_shows_its_term(client, elected):
    overdue, _soon, _current = elected
    client.force_login(administrator())
    page = client.get(overdue.get_absolute_url()).content.decode()
    assert "已到期未换届（" in page


@pytest.mark.parametrize("state", [TermState.DUE_SOON, TermState.OVERDUE])
def test_a_term_notice_is_named_in_chinese_in_the_admin(state):
    from django.utils import translation

    from party_building.models import OverdueNotice

    notice = OverdueNotice(kind=f"term_{state}")  # as send_compliance_reminders records it
    with translation.override("zh-hans"):
        assert notice.get_kind_display().startswith("换届：")
