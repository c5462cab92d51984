import datetime
import io
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.text import html_to_text
from members.models import Person
from news.models import Article, Column, Event, SearchEntry, Source, Speech
from news.templatetags.search_results import highlighted
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BODY = (
    "<p>全国律师行业党的基层组织和党员创先争优活动座谈会7月30日在井冈山召开。"
    "司法部党组书记、部长吴爱英在会上讲话。建立健全“三会一课”制度，完善组织生活会制度。</p>"
)


def found(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return [result.item for result in response.context["results"]]


@pytest.fixture
def article():
    return ArticleFactory(title="创先争优活动座谈会在井冈山召开", body=BODY)


def test_a_word_is_found_inside_a_longer_word(client):
    article = ArticleFactory(title="市律师协会召开理事会", body="<p>会议通过了工作报告。</p>")
    assert found(client, q="律师") == [article]


def test_every_two_character_substring_finds_the_article(client, article):
    text = html_to_text(BODY)
    pairs = sorted({text[i : i + 2] for i in range(len(text) - 1) if text[i : i + 2].isalnum()})
    for pair in random.Random(7).sample(pairs, 25):
        assert found(client, q=pair) == [article], pair


def test_all_words_must_occur(client, article):
    ArticleFactory(title="井冈山红色教育", body="<p>参观学习。</p>")
    assert found(client, q="井冈山 吴爱英") == [article]


def test_a_quoted_phrase_must_occur_as_written(client, article):
    assert found(client, q="“三会一课”") == [article]
    assert found(client, q='"三会一课制度"') == []  # the quotes in the text break the phrase
    assert found(client, q='"组织生活会制度"') == [article]


def test_words_that_do_not_occur_find_nothing(client, article):
    assert found(client, q="律师费收费标准") == []


def test_unpublished_and_scheduled_articles_are_not_found(client):
    ArticleFactory(title="草稿里的井冈山", status=Article.Status.DRAFT)
    ArticleFactory(
        title="明天发布的井冈山", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert found(client, q="井冈山") == []


def test_withdrawing_an_article_removes_it_from_results(client, article):
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert found(client, q="井冈山") == []


def test_an_article_withdrawn_without_signals_is_not_found(client, article):
    Article.objects.filter(pk=article.pk).update(status=Article.Status.WITHDRAWN)
    assert SearchEntry.objects.get(object_id=article.pk).is_public  # the entry is stale
    response = client.get("/search/", {"q": "井冈山"})
    assert response.context["results"] == []
    assert response.context["paginator"].count == 0


def test_an_article_rescheduled_without_signals_waits_for_its_time(client, article):
    later = timezone.now() + datetime.timedelta(days=1)
    Article.objects.filter(pk=article.pk).update(published_at=later)
    assert found(client, q="井冈山") == []


def test_speeches_and_events_are_found_only_through_a_published_report(client, article):
    event = Event.objects.create(name="井冈山座谈会")
    speech = Speech.objects.create(
        speaker=Person.objects.create(name="吴爱英"), title="井冈山讲话", event=event
    )
    draft = ArticleFactory(status=Article.Status.DRAFT, title="草稿")
    draft.events.add(event)
    draft.speeches.add(speech)
    assert found(client, q="井冈山") == [article]
    article.events.add(event)
    article.speeches.add(speech)
    assert set(found(client, q="井冈山")) == {article, event, speech}


def test_deleting_an_article_removes_its_entry(client, article):
    article.delete()
    assert not SearchEntry.objects.exists()
    assert found(client, q="井冈山") == []


def test_speeches_and_events_are_found_and_filtered_by_kind(client, article):
    speaker = Person.objects.create(name="吴爱英")
    event = Event.objects.create(name="律师行业座谈会", place="井冈山")
    speech = Speech.objects.create(speaker=speaker, title="在井冈山座谈会上的讲话", event=event)
    article.events.add(event)
    article.speeches.add(speech)
    assert set(found(client, q="井冈山")) == {article, speech, event}
    assert found(client, q="井冈山", kind="speech") == [speech]
    assert found(client, q="井冈山", kind="event") == [event]


def test_results_filter_by_column_source_and_date(client, article):
    source = Source.objects.create(name="司法部网站")
    notice = ArticleFactory(
        title="井冈山通知",
        column=Column.objects.get(slug="notices"),
        source=source,
        published_at=timezone.make_aware(datetime.datetime(2014, 5, 13, 9)),
    )
    assert found(client, q="井冈山", column="notices") == [notice]
    assert found(client, q="井冈山", source=source.pk) == [notice]
    assert found(client, q="井冈山", date_from="2014-05-13", date_to="2014-05-13") == [notice]


def test_results_can_be_ordered_by_date(client):
    older = ArticleFactory(title="井冈山", published_at=timezone.now() - datetime.timedelta(days=9))
    newer = ArticleFactory(
        title="会议在井冈山", published_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert found(client, q="井冈山", order="date") == [newer, older]


def test_a_whole_word_match_ranks_above_a_substring_match(client):
    substring = ArticleFactory(
        title="加强和服务管理", published_at=timezone.now() - datetime.timedelta(days=1)
    )
    word = ArticleFactory(
        title="和服展览", published_at=timezone.now() - datetime.timedelta(days=5)
    )
    assert found(client, q="和服") == [word, substring]


def test_matched_words_are_highlighted_and_escaped(client):
    ArticleFactory(title="<b>井冈山</b>", body="<p>会议在井冈山召开。</p>")
    page = client.get("/search/", {"q": "井冈山"}).content.decode()
    assert "<mark>井冈山</mark>" in page
    assert "&lt;b&gt;" in page and "<b>井冈山" not in page


def test_an_empty_query_lists_nothing(client, article):
    response = client.get("/search/", {"q": "   "})
    assert response.context["results"] == []
    assert "请输入" in response.content.decode()


@pytest.mark.parametrize(
    "q",
    ['"', "'", "\\", "a&b|c!", "(律师", "律师)*", "<script>", "' OR 1=1 --", "律" * 3000,
     "：：", "NEAR(律师 协会)", "col:律师", "^律师", '"律师" AND "协会"', "-律师"],
)  # fmt: skip
def test_hostile_input_never_fails(client, article, q):
    assert client.get("/search/", {"q": q}).status_code == 200


def test_a_nul_character_is_refused_before_the_search(client, article):
    # core.inputs answers 400: no database can compare a NUL.
    assert client.get("/search/", {"q": "律\x00师"}).status_code == 400


def test_the_results_page_runs_a_bounded_number_of_queries(client):
    def count():
        with CaptureQueriesContext(connection) as context:
            client.get("/search/", {"q": "井冈山"})
        return len(context)

    ArticleFactory.create_batch(3, title="井冈山会议")
    few = count()
    ArticleFactory.create_batch(30, title="井冈山会议")
    assert count() == few


def test_reindexing_rebuilds_every_entry(client, article):
    Article.objects.filter(pk=article.pk).update(title="改名后的标题")  # bypasses the signals
    SearchEntry.objects.all().delete()
    assert found(client, q="井冈山") == []
    call_command("reindex_search", stdout=io.StringIO(), stderr=io.StringIO())
    assert found(client, q="井冈山") == [article]
    assert found(client, q="改名") == [article]


def test_a_search_lists_at_most_the_limit_and_says_so(client, monkeypatch):
    from news import search_walk

    monkeypatch.setattr(search_walk, "LIMIT", 5)
    ArticleFactory.create_batch(8, title="井冈山会议")
    response = client.get("/search/", {"q": "井冈山"})
    assert response.context["paginator"].count == 5
    page = response.content.decode()
    assert "共 8 条结果" in page
    assert "列出最新的 5 条" in page


def test_a_highlighted_title_escapes_every_piece_and_marks_the_matches():
    segments = [('<img src=x onerror="a()">', False), ("律师&协会", True), ("</mark>", False)]

    assert highlighted(segments) == (
        "&lt;img src=x onerror=&quot;a()&quot;&gt;<mark>律师&amp;协会</mark>&lt;/mark&gt;"
    )


def test_the_search_box_shows_each_search_its_own_words_and_escapes_them(client, article):
    """The form's HTML is kept per values sent: a search never shows another's words."""
    for words in ["井冈山", "座谈会", '"><script>x</script>', "井冈山"]:
        page = client.get("/search/", {"q": words, "order": "date"}).content.decode()
        box = page.split('name="q"', 1)[1].split(">", 1)[0]
        assert 'value="' + words.replace('"', "&quot;").replace("<", "&lt;").replace(
            ">", "&gt;"
        ) in box.replace("&#x27;", "'")
        assert "<script>x" not in page


SPEECH = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"


def heap_pages_of_entries() -> tuple[int, int]:
    """The table pages the search entries' rows fill, and their smallest words vector."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT (ctid::text::point)[0]), min(pg_column_size(words_vector))"  # noqa: S608  # nosec B608 # the model's own table name
            f" FROM {SearchEntry._meta.db_table}"
        )
        return cursor.fetchone()


@pytest.mark.parametrize("written_by", ["saving", "reindexing"])
def test_the_vectors_are_stored_aside_and_sixty_entries_fill_a_few_pages(written_by):
    """A search reads the rows of many candidates: the vectors must not widen them.

    Each words vector here is over 600 bytes: kept in the rows, sixty entries fill fifteen
    pages. Stored aside, three (four when saved: each row was written, then its vectors).
    """
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's storage of long values (TOAST)")
    text = SPEECH.read_text(encoding="utf-8")
    for n in range(60):
        start = n * 37 % (len(text) - 400)
        ArticleFactory(title=text[start : start + 60], body=f"<p>{text[start : start + 400]}</p>")
    if written_by == "reindexing":
        call_command("reindex_search", stdout=io.StringIO(), stderr=io.StringIO())
    pages, smallest_words_vector = heap_pages_of_entries()
    assert smallest_words_vector > 600
    assert pages <= 5
