import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from news.models import Article

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"


def run(*args, **options):
    out = io.StringIO()
    call_command("import_articles", *map(str, args), stdout=out, **options)
    return out.getvalue()


def test_the_seed_is_imported_as_a_published_article():
    run(SEED, column="speeches")
    article = Article.objects.get()
    assert article.is_published()
    assert (article.source.name, article.author, article.column.slug) == (
        "本站原创",
        "市律协",
        "speeches",
    )
    assert article.get_absolute_url().startswith("/news/2014/05/13/")
    assert article.body.startswith("<p>本网讯 全国律师行业")
    assert article.body.count("<p>") == 11


def test_importing_twice_does_not_duplicate():
    run(SEED)
    output = run(SEED)
    assert Article.objects.count() == 1
    assert "跳过" in output


def test_one_unreadable_file_imports_nothing_and_is_named(tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_text("只有标题\n\n没有署名行的正文\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken\.txt"):
        run(SEED, bad)
    assert not Article.objects.exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match=r"nothing\.txt"):
        run(tmp_path / "nothing.txt")


def test_an_unknown_column_is_refused():
    with pytest.raises(CommandError, match="没有栏目"):
        run(SEED, column="nope")


def test_recording_facts_on_import_gives_the_seeds_meeting():
    run(SEED, column="speeches", record_facts=True)
    from news.models import Event, Speech

    event = Event.objects.get()
    assert (event.name, event.place, event.date_as_written) == (
        "全国律师行业党的基层组织和党员创先争优活动座谈会",
        "井冈山",
        "7月30日",
    )
    assert Speech.objects.get().speaker.name == "吴爱英"
    assert event.participations.filter(role="presenter").count() == 6
