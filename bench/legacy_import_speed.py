"""How fast saved HTML pages are imported: 10,000 pages of a mirrored legacy site.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lvxie_legacy \
        .venv/bin/python bench/legacy_import_speed.py [--pages 10000]

The pages are demo-like association news (demo/text.py) wrapped in a government CMS template
(header with the render date, navigation, breadcrumb, sidebar, the labelled metadata line,
footer, scripts), written to a temporary folder. The run reads them all (the dry run), imports
them in one transaction, and imports them again (every page skipped), with a progress bar,
in a scratch database made by Django's test machinery (test_<name>), created and destroyed by
the run. It prints pages per second for each stage; the target is 50 pages/s end to end.
"""

import argparse
import datetime
import os
import random
import resource
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

from demo.text import association_news, industry_news  # noqa: E402
from news.importers import files_from_paths, import_plan, plan  # noqa: E402
from news.management.commands.import_articles import Progress  # noqa: E402
from news.models import Column  # noqa: E402

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_协会动态_市律师协会</title>
<link rel="canonical" href="http://old.example.org/xhdt/{year}/{n}.html">
<script src="/js/jquery.min.js"></script><script>var today = "2026年12月2日";</script>
<style>.nav li{{float:left}}</style></head><body>
<div class="top">今天是:2026年12月2日 星期三 <a href="/">设为首页</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/xhdt/">协会动态</a></li>
<li><a href="/tzgg/">通知公告</a></li><li><a href="/djgz/">党建工作</a></li></ul></div>
<div class="location">当前位置:<a href="/">首页</a> &gt; <a href="/xhdt/">协会动态</a>
&gt; 正文</div>
<div class="sidebar"><h3>热点新闻</h3><ul>
<li><a href="/a/1.html">全市律师工作会议召开</a> 2025-01-08</li>
<li><a href="/a/2.html">市律协召开理事会</a> 2024-12-30</li></ul></div>
<div class="article"><h1>{title}</h1>
<div class="info">来源:{source} 发布时间:{date} 10:30 作者:{author} 浏览次数:{views}</div>
<div class="content">{body}</div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> 关闭窗口</div>
<div class="pager">上一篇:<a href="/a/3.html">关于年度考核的通知</a></div></div>
<div class="footer">版权所有:市律师协会 地址:人民路1号 电话:0000-12345678 京ICP备05000000号</div>
</body></html>
"""


def write_pages(folder: Path, count: int) -> None:
    rng = random.Random(14)
    start = datetime.date(2005, 1, 1)
    for n in range(count):
        day = start + datetime.timedelta(days=n * 7300 // count)
        text = (association_news if n % 3 else industry_news)(rng, day)
        body = "".join(f"<p>{escape(p)}</p>" for p in text.paragraphs)
        page = TEMPLATE.format(
            title=escape(text.title),
            year=day.year,
            n=n,
            source=rng.choice(["本站原创", "市司法局", "法制日报"]),
            date=day.isoformat(),
            author=rng.choice(["市律协", "宣传部", "秘书处"]),
            views=rng.randint(10, 9999),
            body=body,
        )
        path = folder / str(day.year) / f"{n}.html"
        path.parent.mkdir(exist_ok=True)
        path.write_text(page, encoding="utf-8")


def cpu_seconds() -> float:
    """CPU time of this process and of the reading processes it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        column = Column.objects.get(slug="association-news")
        with tempfile.TemporaryDirectory() as directory:
            folder = Path(directory)
            print(f"数据库：{connection.vendor}；生成 {args.pages} 个 HTML 页面…")
            write_pages(folder, args.pages)
            files = list(files_from_paths([folder]))

            cpu_started = cpu_seconds()
            started = time.perf_counter()
            workers = os.cpu_count() or 1
            reading = plan(
                files, progress=Progress("读取", len(files)), workers=workers, with_terms=True
            )
            read_seconds = time.perf_counter() - started
            complete, review = len(reading.complete), len(reading.to_review)
            print(
                f"读取   {read_seconds:7.1f} 秒 {len(files) / read_seconds:7.1f} 篇/秒"
                f"（可发布 {complete}，待核 {review}，拒绝 {len(reading.problems)}）"
            )

            started = time.perf_counter()
            report = import_plan(reading, column, progress=Progress("写入", complete + review))
            write_seconds = time.perf_counter() - started
            print(
                f"写入   {write_seconds:7.1f} 秒 {len(files) / write_seconds:7.1f} 篇/秒"
                f"（发布 {len(report.created)}，待核 {len(report.to_review)}）"
            )
            total = read_seconds + write_seconds
            print(f"合计   {total:7.1f} 秒 {len(files) / total:7.1f} 篇/秒（目标 ≥ 50 篇/秒）")
            cpu = cpu_seconds() - cpu_started
            print(
                f"CPU    {cpu:7.1f} 秒（本进程与读取进程，不含 PostgreSQL），"
                f"每核 {len(files) / cpu:5.1f} 篇/秒；负载 {os.getloadavg()[0]:.1f}"
            )

            started = time.perf_counter()
            again = plan(files, progress=Progress("再次读取", len(files)), workers=workers)
            print(f"再次导入 {time.perf_counter() - started:5.1f} 秒，跳过 {len(again.skipped)} 篇")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
