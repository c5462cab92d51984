from django.core.management.base import BaseCommand
from django.db import transaction

from news.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text index of every article, speech and event."

    def handle(self, *args, **options):
        def progress(done, total):
            width = 30
            filled = width * done // total if total else width
            self.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
            )

        with transaction.atomic():
            count = reindex_all(progress=progress)
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"已重建索引：{count} 条。"))
