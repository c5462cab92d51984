from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from news.assistant import accept_proposals
from news.importers import ImportRefused, import_legacy_articles
from news.models import Column


class Command(BaseCommand):
    help = "Import articles from the legacy site's plain-text files: all of them, or none."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="legacy .txt files")
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

    def handle(self, *args, paths, column, record_facts=False, **options):
        try:
            target = Column.objects.get(slug=column)
        except Column.DoesNotExist as exc:
            raise CommandError(f"没有栏目“{column}”。") from exc
        try:
            report = import_legacy_articles(paths, target)
        except ImportRefused as exc:
            raise CommandError("未导入任何文章：\n" + "\n".join(exc.problems)) from exc
        for article in report.created:
            self.stdout.write(f"已导入：{article.title}（{article.get_absolute_url()}）")
            if record_facts:
                event = accept_proposals(article)
                if event is not None:
                    self.stdout.write(f"  已记录会议：{event.name}")
        for name in report.skipped:
            self.stdout.write(f"已存在，跳过：{name}")
        self.stdout.write(
            self.style.SUCCESS(f"导入 {len(report.created)} 篇，跳过 {len(report.skipped)} 篇。")
        )
