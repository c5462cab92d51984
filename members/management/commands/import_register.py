import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core import audit
from members import importers
from members.tabular import TableError

PROGRESS_EVERY = 1000  # rows


class Command(BaseCommand):
    help = (
        "Import the register of law firms or lawyers from an .xlsx or .csv file. Without "
        "--commit, only report what would happen, row by row. With --commit, import every "
        "row or, if any row is refused, none."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=importers.KINDS, help="firms or lawyers")
        parser.add_argument("path", type=Path, help="the .xlsx or .csv file")
        parser.add_argument(
            "--commit", action="store_true", help="import (default: a dry run that writes nothing)"
        )

    def handle(self, *args, kind, path, commit, verbosity, **options):
        started = time.monotonic()
        run = importers.import_register if commit else importers.plan_import
        progress = self.progress(commit) if verbosity else None
        if progress:
            self.stderr.write(f"读取 {path.name}……")
        try:
            plan = run(kind, path, path.name, progress=progress)
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from error
        except TableError as error:
            raise CommandError(f"{path.name}：{error.message}") from error
        seconds = time.monotonic() - started

        for row in plan.rows:
            if row.action != importers.Action.UNCHANGED or verbosity > 1:
                self.stdout.write(self.describe(row))
        if plan.ignored_columns:
            self.stdout.write(f"未导入的列：{'、'.join(plan.ignored_columns)}")
        if plan.skipped_lines:
            lines = "、".join(f"第{number}行（{text}）" for number, text in plan.skipped_lines)
            self.stdout.write(f"不是记录、未导入的行：{lines}")
        counts = plan.counts
        summary = (
            f"新增 {counts['create']} 行，更新 {counts['update']} 行，"
            f"不变 {counts['unchanged']} 行，拒绝 {counts['refuse']} 行（{seconds:.1f} 秒）。"
        )
        if plan.refused:
            rows = "、".join(str(row.number) for row in plan.refused[:20])
            more = "等" if len(plan.refused) > 20 else ""
            raise CommandError(f"{summary}\n第 {rows}{more} 行被拒绝，未导入任何记录。")
        if commit:
            audit.record("import", register=kind, file=path.name, source="command", **counts)
            self.stdout.write(self.style.SUCCESS(f"已导入：{summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"预演，未写入：{summary}"))
            self.stdout.write("确认无误后，加 --commit 执行导入。")

    def describe(self, row) -> str:
        details = [*row.problems, *(f"{c.label}：{c.old} → {c.new}" for c in row.changes)]
        line = f"第 {row.number} 行 [{row.action.label}] {row.key} {row.name}"
        return f"{line}：{'；'.join(details)}" if details else line

    def progress(self, commit):
        """A counter on stderr while the rows are checked; writing follows in one go.

        Updated in place on a terminal; in a log, only the total is written.
        """
        every = PROGRESS_EVERY if self.stderr.isatty() else None
        start = "\r" if every else ""

        def count(rows):
            for done, row in enumerate(rows, start=1):
                if (every and done % every == 0) or done == len(rows):
                    self.stderr.write(f"{start}核对：{done}/{len(rows)} 行", ending="")
                    self.stderr.flush()
                yield row
            self.stderr.write("，写入数据库……" if commit else "")

        return count
