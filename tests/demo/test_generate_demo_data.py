import datetime
import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from core.text import html_to_text
from members.credentials import validate_credit_code, validate_lawyer_license_number
from members.models import LawFirm, Lawyer, Person
from news import search, segmentation
from news.models import Article, Event, Participation, SearchEntry, Speech
from party_building.models import (
    Attendance,
    BranchActivity,
    Membership,
    Officer,
    PartyMember,
    PartyOrganization,
)
from tests.news.factories import ArticleFactory

UNTIL = datetime.date(2025, 12, 31)
SIZES = {
    "articles": 300,
    "events": 8,
    "people": 60,
    "firms": 8,
    "lawyers": 120,
    "branches": 4,
    "activities": 120,
}


def generate(**options):
    out = io.StringIO()
    options.setdefault("processes", 0)  # one process is quicker for data this small
    call_command("generate_demo_data", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One small data set for the tests that only read it, rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = generate(until=UNTIL, **SIZES)
        yield output
        transaction.set_rollback(True)


def fingerprint(seed, **options):
    """Generate in a transaction that is rolled back; return a digest of what was made."""
    with transaction.atomic():
        firsts = {model: model.objects.aggregate(last=Max("pk"))["last"] or 0 for model in MODELS}
        generate(seed=seed, until=UNTIL, **options)
        digest = hashlib.sha256()
        for model, fields in MODELS.items():
            rows = model.objects.filter(pk__gt=firsts[model]).order_by("pk").values_list(*fields)
            for row in rows:
                digest.update(repr(row).encode())
        transaction.set_rollback(True)
    return digest.hexdigest()


# What makes two runs the same: content, not ids or the time of the run. Scheduled
# articles' times follow the clock, so published_at is left out.
MODELS = {
    Article: ("title", "subtitle", "body", "status", "column__slug", "source__name", "is_pinned"),
    Event: ("name", "start_date", "place", "description"),
    Speech: ("title", "speaker__name", "speaker_post", "text"),
    Participation: ("role", "person__name", "organization__name", "post"),
    LawFirm: ("name", "credit_code", "address", "founded"),
    Lawyer: ("license_number", "person__name", "firm__name", "practice_status"),
    PartyOrganization: ("name", "kind", "established", "parent__name"),
    Membership: ("member__person__name", "organization__name", "start", "end", "role"),
    BranchActivity: ("branch__name", "kind", "date", "topic", "minutes", "article__title"),
    Attendance: ("member__person__name", "status", "reason"),
}
TINY = {name: max(1, size // 4) for name, size in SIZES.items()}


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = fingerprint(1, **TINY)
    assert fingerprint(1, **TINY) == first
    assert fingerprint(2, **TINY) != first


@pytest.mark.django_db
def test_worker_processes_and_batch_size_do_not_change_the_data():
    assert fingerprint(1, processes=2, batch_size=7, **TINY) == fingerprint(1, **TINY)


def counts():
    return {
        "articles": Article.objects.count(),
        "events": Event.objects.count(),
        "people": Person.objects.count(),
        "firms": LawFirm.objects.count(),
        "lawyers": Lawyer.objects.count(),
        "branches": PartyOrganization.objects.filter(kind="branch").count(),
        "activities": BranchActivity.objects.count(),
    }


@pytest.mark.django_db
def test_scale_multiplies_every_default_size():
    before = counts()
    generate(scale=0.001)
    added = {name: count - before[name] for name, count in counts().items()}

    assert added == {
        "articles": 100,
        "events": 5,
        "people": 20 + 20,  # the people, and a person for each lawyer
        "firms": 2,
        "lawyers": 20,
        "branches": 1,  # 0.5, and at least one
        "activities": 50,
    }


def test_counts_match_the_options(generated, db):
    assert Article.objects.count() == SIZES["articles"]
    assert Event.objects.count() == SIZES["events"]
    assert Person.objects.count() == SIZES["people"] + SIZES["lawyers"]
    assert LawFirm.objects.count() == SIZES["firms"]
    assert Lawyer.objects.count() == SIZES["lawyers"]
    assert PartyOrganization.objects.filter(kind="branch").count() == SIZES["branches"]
    assert BranchActivity.objects.count() == SIZES["activities"]
    items = Article.objects.count() + Event.objects.count() + Speech.objects.count()
    assert SearchEntry.objects.count() == items
    assert "完成" in generated


def test_generated_articles_are_found_by_search(generated, db):
    now = timezone.now()
    for article in Article.objects.published().order_by("pk")[:10]:
        body = html_to_text(article.body).splitlines()
        word = body[1][5:9]  # four characters from the middle of the second paragraph
        query = segmentation.parse_query(word)
        found = search.search(search.public_entries(), query).filter(kind="article")
        assert found.filter(object_id=article.pk).exists(), word
    scheduled = Article.objects.filter(published_at__gt=now).first()
    entries = search.search(search.public_entries(), segmentation.parse_query(scheduled.title))
    assert not entries.filter(kind="article", object_id=scheduled.pk).exists()


def test_licence_numbers_and_credit_codes_are_valid(generated, db):
    for lawyer in Lawyer.objects.all():
        assert validate_lawyer_license_number(lawyer.license_number) is None
        assert lawyer.first_licensed_year == int(lawyer.license_number[5:9])
    for firm in LawFirm.objects.select_related("organization"):
        assert validate_credit_code(firm.credit_code, law_firm=True) is None
        assert firm.organization.name == firm.name


def test_every_branch_has_members_and_a_secretary(generated, db):
    branches = PartyOrganization.objects.filter(kind="branch").annotate(
        members=Count("memberships")
    )
    assert all(branch.members >= 3 for branch in branches)
    for branch in branches:
        assert Officer.objects.filter(organization=branch, role="secretary").exists()
        assert branch.parent.kind in ("committee", "general_branch")
    assert PartyMember.objects.count() == Membership.objects.values("member").distinct().count()


def test_attendance_lists_only_members_of_the_branch_on_the_day(generated, db):
    activities = BranchActivity.objects.with_attendance().annotate(recorded=Count("attendance"))
    assert Attendance.objects.exists()
    for activity in activities:
        assert activity.expected_count == activity.recorded
    # Attendance is taken for meetings of all members only, so the table stays modest.
    assert Attendance.objects.exclude(activity__kind__in=ATTENDED_KINDS).count() == 0


ATTENDED_KINDS = ["general_meeting", "party_lecture", "organizational_life_meeting",
                  "member_appraisal"]  # fmt: skip


def test_each_secretary_term_begins_with_an_election_and_commitments_are_valid(generated, db):
    from party_building.models import Campaign, CommitteeElection

    elected = set(CommitteeElection.objects.values_list("organization", "elected_on"))
    terms = set(
        Officer.objects.filter(role="secretary", organization__kind="branch").values_list(
            "organization", "term_start"
        )
    )
    assert terms and terms <= elected
    campaign = Campaign.objects.public().get()  # 创先争优, with published commitments
    commitments = list(campaign.commitments.all())
    assert any(c.branch_id for c in commitments) and any(c.member_id for c in commitments)
    for commitment in commitments:
        commitment.full_clean()  # within the campaign, reviewed after it was made
        if commitment.member_id:
            assert (
                Membership.objects.valid_on(commitment.made_on)
                .filter(member=commitment.member)
                .exists()
            )


def test_some_activities_are_reported_by_published_party_building_articles(generated, db):
    reported = BranchActivity.objects.published()
    assert reported.exists()
    for activity in reported.select_related("article__column", "branch"):
        assert activity.article.column.slug == "party-building"
        assert activity.branch.name in activity.article.title
        assert activity.article.published_at.date() >= activity.date


def test_events_have_speeches_participants_and_reports(generated, db):
    roles = set(Participation.objects.values_list("role", flat=True))
    assert {"host", "speaker", "attendee"} <= roles
    assert Speech.objects.filter(event__isnull=False).exists()
    assert Event.objects.filter(articles__isnull=False).count() == SIZES["events"]
    assert Speech.objects.filter(articles__column__slug="speeches").count() == (
        Speech.objects.count()
    )


def test_dates_span_twenty_years_up_to_until(generated, db):
    now = timezone.now()
    dates = Article.objects.filter(published_at__lte=now).aggregate(
        first=Min("published_at"), last=Max("published_at")
    )
    first, last = (timezone.localtime(dates[key]).date() for key in ("first", "last"))
    assert last <= UNTIL
    assert first > UNTIL.replace(year=UNTIL.year - 20)
    assert (last - first).days > 17 * 365
    activities = BranchActivity.objects.aggregate(first=Min("date"), last=Max("date"))
    assert activities["last"] <= UNTIL


def test_articles_include_every_status_and_pinned_ones(generated, db):
    statuses = set(Article.objects.values_list("status", flat=True))
    assert statuses == {"draft", "in_review", "published", "withdrawn"}
    assert Article.objects.filter(status="published", published_at__gt=timezone.now()).exists()
    assert Article.objects.filter(is_pinned=True, status="published").exists()
    columns = set(Article.objects.values_list("column__slug", flat=True))
    assert columns == {"association-news", "notices", "party-building", "speeches",
                       "industry-news"}  # fmt: skip


@pytest.mark.django_db
def test_a_database_with_many_articles_is_refused_unless_forced():
    first = ArticleFactory()
    Article.objects.bulk_create(
        Article(title=f"旧文{n}", column=first.column, source=first.source, body="<p>旧文</p>")
        for n in range(1000)
    )
    before = Article.objects.count()
    with pytest.raises(CommandError, match="--force"):
        generate(scale=0.0001)
    assert Article.objects.count() == before

    generate(scale=0.0001, force=True)
    assert Article.objects.count() == before + 10  # 100,000 × 0.0001
