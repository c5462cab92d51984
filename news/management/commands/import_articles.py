import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from news.assistant import accept_proposals
from news.importers import ImportRefused, files_from_paths, import_plan, plan
from news.models import Column


class Progress:
    """A progress bar on standard error: `label 1234/10000 [#####     ] 56 篇/秒`."""

    def __init__(self, label: str, total: int, stream=None, enabled: bool = True):
        import time

        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.clock = time.monotonic
        self.started = self.clock()

    def __call__(self) -> None:
        self.done += 1
        if self.enabled and (self.done % 50 == 0 or self.done == self.total):
            width = 30
            filled = width * self.done // self.total
            rate = self.done / max(self.clock() - self.started, 1e-9)
            self.stream.write(
                f"\r{self.label} {self.done}/{self.total} [{'#' * filled}{' ' * (width - filled)}]"
                f" {rate:.0f} 篇/秒"
            )
            if self.done >= self.total:
                self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a legacy site's pages (plain text, saved .html/.htm, whole folders): "
        "a table of what was read first, then all of them or none."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the table of what would be imported, and write nothing",
        )
        parser.add_argument(
            "--record-facts",
            action="store_true",
            help="also record the meeting, speeches and participants the text reports, as "
            "从正文识别 proposes them (for trusted exports; editors review them in the admin)",
        )
        parser.add_argument(
            "--column",
            default="association-news",
            help="slug of the column the articles go into (default: association-news)",
        )
        parser.add_argument(
            "--progress", action="store_true", help="show a progress bar on standard error"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that read the pages of a large run (default: one per core)",
        )

    def handle(self, *args, paths, column, record_facts=False, dry_run=False, **options):
        try:
            target = Column.objects.get(slug=column)
        except Column.DoesNotExist as exc:
            raise CommandError(f"没有栏目“{column}”。") from exc
        files = list(files_from_paths(paths))
        show = options.get("progress", False)
        reading = plan(
            files,
            progress=Progress("读取", len(files), enabled=show),
            workers=options.get("workers") or 1,
            with_terms=not dry_run,
        )
        self.print_table(reading, target)
        if reading.problems:
            raise CommandError("未导入任何文章：\n" + "\n".join(reading.problems))
        if dry_run:
            self.stdout.write(
                f"试运行：可发布 {len(reading.complete)} 篇，待核 {len(reading.to_review)} 篇，"
                f"跳过 {len(reading.skipped)} 篇。未写入任何内容。"
            )
            return
        writes = len(reading.complete) + len(reading.to_review)
        try:
            report = import_plan(reading, target, progress=Progress("导入", writes, enabled=show))
        except ImportRefused as exc:
            raise CommandError("未导入任何文章：\n" + "\n".join(exc.problems)) from exc
        for article in report.created:
            self.stdout.write(f"已导入：{article.title}（{article.get_absolute_url()}）")
            if record_facts:
                event = accept_proposals(article)
                if event is not None:
                    self.stdout.write(f"  已记录会议：{event.name}")
        for article in report.to_review:
            self.stdout.write(f"待核（草稿）：{article.title}")
        for name in report.skipped:
            self.stdout.write(f"已存在，跳过：{name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"导入 {len(report.created)} 篇，待核 {len(report.to_review)} 篇，"
                f"跳过 {len(report.skipped)} 篇。"
            )
        )

    def print_table(self, reading, column) -> None:
        """Every file with what was read and each doubt with its reason."""
        if len(reading.rows) > 200:
            self.stdout.write(f"共 {len(reading.rows)} 个文件；以下仅列出有疑问或出错的文件。")
        for row in reading.rows:
            article = row.article
            if len(reading.rows) > 200 and article and article.is_complete and not row.skipped:
                continue
            if row.error:
                self.stdout.write(f"✗ {row.name}：拒绝——{row.error}")
                continue
            date = article.published_on.isoformat() if article.published_on else "—"
            mark = "跳过" if row.skipped else ("✓" if article.is_complete else "待核")
            self.stdout.write(
                f"{mark} {row.name} | 标题：{row.title} | 来源：{article.source or '—'} | "
                f"日期：{date} | 作者：{article.author or '—'} | 栏目：{column} | "
                f"正文：{row.opening}"
            )
            for doubt in article.doubts:
                self.stdout.write(f"    疑问：{doubt}")
            if row.skipped:
                self.stdout.write(f"    跳过：{row.skipped}")
