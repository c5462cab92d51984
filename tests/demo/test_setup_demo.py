"""`manage.py setup_demo`, what `make run` loads: a small set that shows the whole site."""

import io
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from members.models import LawFirm, Lawyer, Person
from news.models import Article, Column, Event, Participation, SearchEntry, Speech
from news.views import HOME_COLUMNS
from party_building import board, compliance
from party_building.forms import default_window
from party_building.models import BranchActivity, OrganizationManager, PartyOrganization

# Every test here is a database test: pytest-django runs the tests without the mark at the end
# of the session, and the module's data set would be made a second time for them.
pytestmark = pytest.mark.django_db

SEED_TITLE = "吴爱英在全国律师行业党的基层组织和党员创先争优活动座谈会上讲话"
ACCOUNTS = ("admin", "editor", "reviewer", "secretary")


def setup_demo(accounts_file):
    out = io.StringIO()
    started = time.perf_counter()
    call_command("setup_demo", accounts_file=accounts_file, stdout=out)
    return out.getvalue(), time.perf_counter() - started


def counts():
    models = (Article, Event, Speech, Participation, SearchEntry, Person, LawFirm, Lawyer,
              PartyOrganization, BranchActivity, get_user_model(), OrganizationManager)  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """setup_demo run twice on one database, rolled back after the tests that read it."""
    accounts_file = tmp_path_factory.mktemp("var") / "demo-accounts.txt"
    with django_db_blocker.unblock(), transaction.atomic():
        first_output, seconds = setup_demo(accounts_file)
        first_counts = counts()
        first_passwords = accounts_file.read_text(encoding="utf-8")
        second_output, _ = setup_demo(accounts_file)
        # A figure to read, not a limit to assert: the machine's load decides it.
        print(f"\nsetup_demo (the small set, first run): {seconds:.1f} s")
        yield {
            "first_output": first_output,
            "second_output": second_output,
            "first_counts": first_counts,
            "first_passwords": first_passwords,
            "accounts_file": accounts_file,
        }
        transaction.set_rollback(True)


def test_a_second_run_adds_nothing(demo, db):
    assert counts() == demo["first_counts"]
    assert demo["first_counts"]["Article"] > 100


def test_every_home_column_has_articles_over_several_years(demo, client):
    response = client.get(reverse("news:home"))

    sections = response.context["sections"]
    assert len(sections) == min(HOME_COLUMNS, Column.objects.count())
    assert all(articles for _, articles in sections)
    for column, _ in sections:
        years = Article.objects.published().filter(column=column).dates("published_at", "year")
        assert len(years) >= 3, column.name


def test_the_seed_article_is_there_with_its_meeting_speech_and_participants(demo, db):
    article = Article.objects.get(title=SEED_TITLE)

    event = article.events.get()
    assert article.speeches.filter(event=event).exists()
    assert Participation.objects.filter(event=event, role="host").exists()
    assert Participation.objects.filter(event=event, role="presenter").count() > 1


def test_the_lawyer_lookup_finds_a_demo_lawyer_by_licence(demo, client):
    lawyer = Lawyer.objects.practising().filter(firm__isnull=False).order_by("pk").first()

    response = client.get(
        reverse("members:lawyer-lookup"), {"license_number": lawyer.license_number}
    )

    assert list(response.context["object_list"]) == [lawyer]
    assert lawyer.person.name in response.content.decode()


def test_the_firm_lookup_finds_thirty_firms_and_the_register_has_three_hundred_lawyers(demo, db):
    assert LawFirm.objects.count() == 30
    assert Lawyer.objects.count() == 300


def test_the_board_has_a_dozen_branches_with_a_year_of_activities_held_and_missed(demo, db):
    today = timezone.localdate()
    branches = PartyOrganization.objects.filter(kind=PartyOrganization.Kind.BRANCH)
    first, last = default_window("month", today)

    result = board.build_board(branches, "month", first, last, today)

    assert branches.count() == 12
    statuses = {cell.status for row in result.rows for cell in row.cells}
    assert {compliance.Status.DONE, compliance.Status.MISSING} <= statuses
    year_ago = today.replace(year=today.year - 1)
    for branch in branches:
        assert BranchActivity.objects.filter(branch=branch, date__gt=year_ago).count() > 20


def test_the_accounts_keep_their_passwords_and_a_secretary_manages_a_branch(demo, db):
    assert demo["accounts_file"].read_text(encoding="utf-8") == demo["first_passwords"]
    passwords = dict(line.split(" ") for line in demo["first_passwords"].splitlines())
    User = get_user_model()
    for username in ACCOUNTS:
        assert User.objects.get(username=username).check_password(passwords[username])
        assert passwords[username] in demo["second_output"]
    secretary = User.objects.get(username="secretary")
    assert secretary.groups.filter(name="支部书记").exists()
    assert OrganizationManager.objects.filter(user=secretary).exists()


@pytest.mark.django_db
def test_a_run_clears_the_demo_accounts_lockouts_but_no_one_elses(tmp_path):
    for username in ("editor", "someone"):
        AccessAttempt.objects.create(
            username=username, ip_address="127.0.0.1", failures_since_start=5, user_agent=""
        )

    call_command(
        "setup_demo", "--seed-only", accounts_file=tmp_path / "a.txt", stdout=io.StringIO()
    )

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["someone"]
