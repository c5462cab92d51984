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
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(CommandError, match=r"broken\.txt：不是文本文件"):
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


LEGACY = Path(__file__).resolve().parents[2] / "tests" / "data" / "legacy"


def mirror(tmp_path):
    """A small mirrored site: a folder of text and HTML pages, one of them nested."""
    (tmp_path / "news" / "2012").mkdir(parents=True)
    for name in ("shls-centenary.txt", "tongji-baotou.txt"):
        (tmp_path / "news" / "2012" / name).write_bytes((LEGACY / "pages" / name).read_bytes())
    html = (LEGACY / "html" / "shsfj-songjiang.html").read_bytes()
    (tmp_path / "songjiang.htm").write_bytes(html)
    return tmp_path


def test_a_folder_is_read_recursively_text_and_html_alike(tmp_path):
    run(mirror(tmp_path))
    assert Article.objects.count() == 3
    assert set(Article.objects.values_list("legacy_url", flat=True)) == {
        "/news/2012/shls-centenary.txt",
        "/news/2012/tongji-baotou.txt",
        "/zwyw_dwjs/20241018/f1955a27a0bc46d5a6441776e873c666.html",  # its canonical link
    }


def test_complete_pages_are_published_with_their_stated_date(tmp_path):
    run(mirror(tmp_path))
    article = Article.objects.get(title="回顾历史 展望未来——群策群力议律师公会百年纪念")
    assert article.is_published() and not article.needs_review
    assert article.get_absolute_url().startswith("/news/2012/05/17/")


def test_pages_with_doubts_are_drafts_to_be_checked_with_their_reasons(tmp_path):
    output = run(mirror(tmp_path))
    article = Article.objects.get(title="第十八届中心城市律师事务所协作会在包头召开")
    assert article.status == Article.Status.DRAFT and article.needs_review
    assert "来源缺失" in article.import_doubts
    assert "疑问：来源缺失" in output


def test_a_dry_run_prints_the_table_and_writes_nothing(tmp_path):
    output = run(mirror(tmp_path), dry_run=True)
    assert not Article.objects.exists()
    assert "标题：回顾历史 展望未来" in output and "日期：2012-05-17" in output
    assert "来源：上海市律师协会" in output and "作者：宣传部" in output
    assert "栏目：协会动态" in output


def test_importing_a_folder_twice_adds_nothing(tmp_path):
    run(mirror(tmp_path))
    output = run(tmp_path)
    assert Article.objects.count() == 3
    assert output.count("已存在，跳过") == 3


def test_one_empty_file_in_a_folder_imports_nothing(tmp_path):
    mirror(tmp_path)
    (tmp_path / "news" / "empty.html").write_bytes(b"")
    with pytest.raises(CommandError, match=r"empty\.html：文件为空"):
        run(tmp_path)
    assert not Article.objects.exists()
