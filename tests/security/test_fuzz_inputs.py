"""Bad input never gives a 500: every public list, filter and lookup, fuzzed with hypothesis.

Each endpoint gets random query strings over its own parameters: any text but surrogates
(control characters, right-to-left marks, emoji, very long strings), numbers far out of
range, impossible dates, and the syntax of SQL, PostgreSQL's tsquery and SQLite's FTS5.
The answer is a page (200), a refusal (400), no such page (404) or the lookup's limit (429),
never an error; a 200 is a whole page.
"""

import datetime

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from members.models import Lawyer
from news.models import Event, Speech
from tests.members.factories import LawFirmFactory, LawyerFactory
from tests.news.factories import ArticleFactory
from tests.party_building.factories import ActivityFactory, BranchFactory, party_article

pytestmark = pytest.mark.django_db

NASTY = [
    # SQL
    "' OR 1=1 --", "'; DROP TABLE news_article; --", '" OR ""="', "1 UNION SELECT * FROM auth_user",
    "' || pg_sleep(5) --", "%", "_", "%%", "\\", "\\'", "`",
    # PostgreSQL tsquery
    "a & b", "a | !b", "a:*", "!!", "(", ")", "a <-> b", "<2>", "&", "|", "!", ":*", "''", "a:A",
    # SQLite FTS5
    '"', '""', '"a" "b', "a OR b", "a AND", "NOT", "NEAR(a b)", "a*", "^a", "{a b}: c",
    "words:x", "grams:x", "-a", "+", "*", "a NEAR/3 b", "rowid:1", "MATCH",
    # Numbers and dates out of range
    "-1", "0", "00", "1e309", "NaN", "Infinity", "9" * 40, "-" + "9" * 40, "0x10", "1_000",
    "2024-02-30", "0000-00-00", "9999-12-31", "0001-01-01", "2024-13-01", "-0001-01-01",
    "1899-12-31", "3000-01-01", "2024-1-1", "２０２４-０１-０１",
    # Characters
    "\x00", "\x1b[31m", "\r\n", "\t", "\u202e", "\ufeff", "\u200b", "𝕏", "😀", "ﷺ",
    "一" * 300, "律师" * 1000, "<script>alert(1)</script>", "{{7*7}}", "../../etc/passwd",
]  # fmt: skip

ANY_TEXT = st.characters(blacklist_categories=("Cs",))
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(ANY_TEXT, max_size=40),
    st.text(ANY_TEXT, min_size=300, max_size=3000),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.from_regex(r"-?\d{1,6}-\d{1,3}-\d{1,3}", fullmatch=True),
)


def queries(*names):
    """Query strings over ``names``: some of them, each with a hostile value (or a list)."""
    one = st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=3))
    return st.dictionaries(st.sampled_from(names), one, max_size=len(names))


FUZZ = settings(
    max_examples=100,
    deadline=None,
    database=None,  # nothing written into the work tree; every run draws afresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ANSWERS = {200, 400, 404, 429}


@pytest.fixture(scope="module")
def content_made_once(django_db_setup, django_db_blocker):
    """A little of everything, so that filters have something to narrow.

    Made once for the module's tests, which only read it, and rolled back after them (each
    test still runs in a transaction of its own, inside this one).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_content()
        transaction.set_rollback(True)


@pytest.fixture
def content(content_made_once, settings):
    settings.LOOKUP_RATE_LIMIT = 1_000_000
    return content_made_once


def make_content():
    for n in range(3):
        ArticleFactory(title=f"律师协会召开会议{n}", body=f"<p>座谈会 第{n}次 会议</p>")
    event = Event.objects.create(
        name="座谈会", place="井冈山", start_date=datetime.date(2010, 7, 30)
    )
    from members.models import Person

    speaker = Person.objects.create(name="吴某")
    speech = Speech.objects.create(
        speaker=speaker, event=event, title="讲话", date=event.start_date
    )
    report = ArticleFactory(title="座谈会召开")  # what a report names is public through it
    report.events.add(event)
    report.speeches.add(speech)
    firm = LawFirmFactory(name="湖南天地人律师事务所")
    LawyerFactory(person__name="张伟", firm=firm)
    LawyerFactory(person__name="张伟", firm=firm, practice_status=Lawyer.Status.SUSPENDED)
    branch = BranchFactory(name="天地人党支部", law_firm=firm)
    ActivityFactory(branch=branch, article=party_article())
    return {"event": event, "speaker": speaker, "firm": firm, "branch": branch}


def assert_answers_well(client, url, params):
    response = client.get(url, params)
    assert response.status_code in ANSWERS, (url, params, response.status_code)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        assert page.rstrip().endswith("</html>"), (url, params)


@FUZZ
@given(params=queries("column", "source", "year", "month", "date_from", "date_to", "page"))
def test_the_news_list_filters(client, content, params):
    assert_answers_well(client, "/news/", params)


@FUZZ
@given(
    params=queries("q", "kind", "column", "source", "date_from", "date_to", "order", "page"),
)
def test_the_search(client, content, params):
    assert_answers_well(client, "/search/", params)


@FUZZ
@given(q=st.one_of(VALUES, st.lists(st.sampled_from(NASTY), min_size=2, max_size=8).map(" ".join)))
def test_the_search_words_alone(client, content, q):
    # The words are what reaches tsquery and FTS5; here they come alone, and in heaps.
    assert_answers_well(client, "/search/", {"q": q})
    assert_answers_well(client, "/search/", {"q": q, "order": "date"})


@FUZZ
@given(
    year=st.from_regex(r"\d{4}", fullmatch=True),
    month=st.from_regex(r"\d{2}", fullmatch=True),
    params=queries("page"),
)
def test_the_archive(client, content, year, month, params):
    assert_answers_well(client, "/archive/", params)
    assert_answers_well(client, f"/archive/{year}/", params)
    assert_answers_well(client, f"/archive/{year}/{month}/", params)


@FUZZ
@given(
    events=queries("name", "year", "place", "page"),
    speeches=queries("speaker", "event", "year", "page"),
)
def test_the_event_and_speech_lists(client, content, events, speeches):
    assert_answers_well(client, "/events/", events)
    assert_answers_well(client, "/speeches/", speeches)


@FUZZ
@given(params=queries("name", "license_number", "firm", "page"))
def test_the_lawyer_lookup(client, content, params):
    assert_answers_well(client, "/lawyers/lookup/", params)


@FUZZ
@given(params=queries("name", "credit_code", "page"))
def test_the_firm_lookup_and_page(client, content, params):
    assert_answers_well(client, "/firms/lookup/", params)
    assert_answers_well(client, content["firm"].get_absolute_url(), params)


@FUZZ
@given(pages=queries("page", "speeches_page", "events_page"))
def test_the_pages_of_people_organisations_columns_and_branches(client, content, pages):
    assert_answers_well(client, f"/people/{content['speaker'].pk}/", pages)
    assert_answers_well(client, "/columns/association-news/", pages)
    assert_answers_well(client, "/party/public/branches/", pages)
    assert_answers_well(client, content["branch"].get_public_url(), pages)


@FUZZ
@given(pk=st.integers(min_value=0, max_value=10**30))
def test_ids_that_do_not_exist_answer_404(client, content, pk):
    for url in (f"/events/{pk}/", f"/speeches/{pk}/", f"/people/{pk}/", f"/organizations/{pk}/",
                f"/firms/{pk}/", f"/party/public/branches/{pk}/",
                f"/news/2024/01/01/{pk}/"):  # fmt: skip
        response = client.get(url)
        assert response.status_code in {200, 404}, (url, response.status_code)


def public_url_patterns() -> list[str]:
    """The regular expression of every URL the site answers outside the admin, in full."""
    skipped = ("admin/", "account/", "_bench/")
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            regex = entry.pattern.regex.pattern.removeprefix("^")
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + regex)
            else:
                full = prefix + regex.removesuffix(r"\Z").removesuffix("$")
                if not full.startswith(skipped):
                    found.append(full)

    walk(get_resolver().url_patterns, "")
    return found


PATTERNS = public_url_patterns()


def test_the_url_patterns_are_all_found():
    # The walk must reach the included apps, or the fuzzing below proves little.
    joined = " ".join(PATTERNS)
    for part in ("news/", "events/", "people/", "firms/", "party/public/branches/", "sitemap"):
        assert part in joined


@FUZZ
@example(path="archive/0001/")
@example(path="archive/0001/01/")
@example(path="news/9999/12/31/1/")
@example(path="people/99999999999999999999999/")
@given(
    path=st.sampled_from(PATTERNS).flatmap(
        lambda regex: st.from_regex(f"^{regex}$", fullmatch=True)
    )
)
def test_every_public_url_pattern_with_any_value_never_fails(client, content, path):
    # Years, months, days and ids of any size (the calendar's ends included), any slug.
    response = client.get("/" + path)
    assert response.status_code in ANSWERS | {301, 302, 403, 405}, (path, response.status_code)
