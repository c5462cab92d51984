"""Fill the database with realistic demo data: twenty years of a bar association's site.

It uses all three apps (members ← news ← party_building): ``demo.register`` makes the
register, ``demo.party`` the branches and their members, ``demo.newsroom`` the events,
speeches and articles (some reporting planned branch activities), and ``demo.party`` stores
those activities with their attendance.
docs/DEMO_DATA.md has the options, the figures measured and how to rerun it.
"""

import contextlib
import datetime
import multiprocessing
import random
import time
import unicodedata
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from core import pagecache
from demo import newsroom as news_demo
from demo import party as party_demo
from demo import register as members_demo
from news.models import Article
from party_building.models import Requirement

# The sizes, with their defaults: (option, default, what it counts).
SIZES = (
    ("articles", 100_000, "文章"),
    ("events", 5_000, "会议活动"),
    ("people", 20_000, "人员（律师以外）"),
    ("firms", 2_000, "律师事务所"),
    ("lawyers", 20_000, "律师"),
    ("branches", 500, "党支部"),
    ("activities", 50_000, "支部活动"),
)
# The last day of the generated years: fixed, so that a seed always gives the same data.
DEFAULT_UNTIL = datetime.date(2026, 9, 30)
# More articles than this and the database looks like a real site, not a scratch one.
REFUSE_ABOVE_ARTICLES = 1_000
BATCH_SIZE = 2_000
# Workers beside this process and PostgreSQL's: two keep a two-core machine busy.
PROCESSES = 2
LABEL_WIDTH = 12


def padded(label: str, width: int = LABEL_WIDTH) -> str:
    """``label`` padded to ``width`` columns, a Chinese character taking two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
    return label + " " * max(0, width - columns)


class ProgressBar:
    """A one-line bar on stderr, redrawn at most five times a second."""

    def __init__(self, stream, label: str, width: int = 30):
        self.stream = stream
        self.label = padded(label)
        self.width = width
        self.drawn_at = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.drawn_at < 0.2:
            return
        self.drawn_at = now
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total}", ending="")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r" + " " * (LABEL_WIDTH + self.width + 30) + "\r", ending="")


class Command(BaseCommand):
    help = (
        "Add realistic demo data: people, law firms, lawyers, party branches with members and "
        "activities, events with speeches, and twenty years of articles, with their search "
        "entries. The same --seed gives the same data."
    )

    def add_arguments(self, parser):
        for name, default, meaning in SIZES:
            parser.add_argument(
                f"--{name}", type=int, default=default, help=f"{meaning}（默认 {default}）"
            )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply every size by this, e.g. 0.01 (a size above 0 stays at least 1).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--until",
            type=datetime.date.fromisoformat,
            default=DEFAULT_UNTIL,
            help=f"Last day of the twenty years, YYYY-MM-DD (default {DEFAULT_UNTIL}).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=news_demo.SPAN_YEARS,
            help=f"How many years the data covers, up to --until (default {news_demo.SPAN_YEARS}).",
        )
        parser.add_argument(
            "--kept-year",
            action="store_true",
            help="Instead of --activities over the years: the last twelve months of activities, "
            "each branch holding most of what the requirements ask (a board with colour).",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--processes",
            type=int,
            default=PROCESSES,
            help="Worker processes that write and segment the text while this one stores it "
            f"(default {PROCESSES}; 0: all in this process). The data is the same either way.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=f"Add even if the database already has more than {REFUSE_ABOVE_ARTICLES} "
            "articles (a real site, or an earlier run).",
        )

    def handle(self, *args, **options):
        sizes = {name: scaled(options[name], options["scale"]) for name, _, _ in SIZES}
        if any(size < 0 for size in sizes.values()) or options["scale"] < 0:
            raise CommandError("Sizes cannot be negative.")
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        if options["years"] < 1:
            raise CommandError("--years must be at least 1.")
        existing = Article.objects.count()
        if existing > REFUSE_ABOVE_ARTICLES and not options["force"]:
            raise CommandError(
                f"数据库中已有 {existing} 篇文章，不像是空白或演示用的数据库。"
                "演示数据只会追加，不会替换；确实要追加，请加 --force。"
            )
        missing = news_demo.missing_columns()
        if missing:
            raise CommandError(f"缺少栏目 {'、'.join(missing)}：请先运行 migrate。")

        self.seed = options["seed"]
        self.batch_size = options["batch_size"]
        self.timings = Counter()
        span = news_demo.Span(until=options["until"], now=timezone.now(), years=options["years"])
        if options["kept_year"]:
            sizes["activities"] = 0
        summary = "，".join(
            f"{meaning} {sizes[name]}"
            for name, _, meaning in SIZES
            if not (name == "activities" and options["kept_year"])
        )
        if options["kept_year"]:
            summary += "，近一年的支部活动（按要求）"
        self.stdout.write(
            f"生成演示数据（种子 {self.seed}，{span.first} 至 {span.until}）：{summary}"
        )
        started = time.perf_counter()

        register = self.register(sizes, span)
        party = self.stage(
            "党组织",
            lambda bar: party_demo.create_organizations(
                self.rng("branches"), sizes["branches"], register, span, **self.bulk(bar)
            ),
        )
        self.stage(
            "党员",
            lambda bar: party_demo.create_members(
                self.rng("members"), party, register, span, **self.bulk(bar)
            ),
        )
        activities, reports = self.stage(
            "活动计划",
            lambda bar: (
                party_demo.plan_kept_year(
                    self.rng("activities"), party, span, Requirement.objects.rules()
                )
                if options["kept_year"]
                else party_demo.plan_activities(
                    self.rng("activities"), sizes["activities"], party, span
                )
            ),
        )
        cast = news_demo.cast(self.rng("cast"), register, span, party.roles)
        # Every event, speech (one or two an event) and article gets a search entry.
        entries = sizes["events"] * 3 + sizes["articles"]
        with (
            self.workers(options["processes"]) as pool,
            news_demo.search_index_load(entries, self.timings),
        ):
            stories = self.stage(
                "会议讲话",
                lambda bar: news_demo.create_events(
                    self.rng("events"),
                    sizes["events"],
                    cast,
                    span,
                    pool=pool,
                    timings=self.timings,
                    **self.bulk(bar),
                ),
            )
            report_articles = self.stage(
                "文章",
                lambda bar: news_demo.create_articles(
                    self.rng("articles"),
                    sizes["articles"],
                    span,
                    stories=stories,
                    reports=reports,
                    cast=cast,
                    pool=pool,
                    timings=self.timings,
                    **self.bulk(bar),
                ),
            )
        if self.timings["index build"]:
            self.report("检索索引重建", self.timings["index build"])
        attendance = self.stage(
            "支部活动",
            lambda bar: party_demo.create_activities(activities, report_articles, **self.bulk(bar)),
        )
        self.stage(
            "换届与承诺",
            lambda bar: party_demo.create_elections_and_commitments(
                self.rng("commitments"), party, **self.bulk(bar)
            ),
        )
        self.stage("收尾", lambda bar: self.finish())

        self.stdout.write(
            f"  （其中写入检索条目 {self.timings['index']:.1f} 秒，已计入“会议讲话”和“文章”；"
            "分词在工作进程中与写入同时进行）"
        )
        reported = sum(1 for pk in report_articles if pk)
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：共 {time.perf_counter() - started:.1f} 秒（{connection.vendor}）。"
                f"出勤记录 {attendance} 条，报道支部活动的文章 {reported} 篇。"
            )
        )

    def register(self, sizes: dict, span) -> members_demo.Register:
        def people(bar):
            bodies = members_demo.create_bodies()
            people, officials = members_demo.create_people(
                self.rng("people"), sizes["people"], bodies, **self.bulk(bar)
            )
            return members_demo.Register(bodies, people, officials, firms=[], lawyers=[])

        register = self.stage("人员", people)
        register.firms = self.stage(
            "律师事务所",
            lambda bar: members_demo.create_firms(
                self.rng("firms"), sizes["firms"], until=span.until, **self.bulk(bar)
            ),
        )
        register.lawyers = self.stage(
            "律师",
            lambda bar: members_demo.create_lawyers(
                self.rng("lawyers"),
                sizes["lawyers"],
                register.firms,
                until=span.until,
                **self.bulk(bar),
            ),
        )
        return register

    @contextlib.contextmanager
    def workers(self, processes: int):
        """A pool of forked processes, or None (no fork on this system, or 0 asked)."""
        if processes < 1 or "fork" not in multiprocessing.get_all_start_methods():
            yield None
            return
        # Children never use the database, and leave by os._exit without closing what they
        # inherited; closing first still keeps a connection from being shared at all. (Not
        # inside a transaction, as in tests: that would end it.)
        if not connection.in_atomic_block:
            connections.close_all()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield pool

    def rng(self, stage: str) -> random.Random:
        # One stream per stage: changing one size leaves the other stages' data as it was.
        return random.Random(f"{self.seed}:{stage}")  # noqa: S311  (demo data, not secrets)

    def bulk(self, bar) -> dict:
        return {"batch_size": self.batch_size, "progress": bar}

    def stage(self, label: str, work):
        bar = ProgressBar(self.stderr, label)
        started = time.perf_counter()
        result = work(bar)
        bar.clear()
        self.report(label, time.perf_counter() - started)
        return result

    def report(self, label: str, seconds: float) -> None:
        self.stdout.write(f"  {padded(label)} {seconds:7.1f} 秒")

    def finish(self) -> None:
        # Bulk inserts send no signals: tell the page cache, and give the planner statistics.
        pagecache.content_changed()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def scaled(size: int, scale: float) -> int:
    """``size`` times ``scale``, rounded; a size above 0 stays at least 1."""
    if size <= 0:
        return size
    return max(1, round(size * scale))
