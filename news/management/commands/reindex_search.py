import contextlib
import multiprocessing
import os
import time

from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction

from news.search import reindex_all


class Command(BaseCommand):
    help = "Rebuild the full-text index of every article, speech and event."

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=os.cpu_count() or 1,
            help="Worker processes that segment the text while this one stores it "
            "(0: all in this process). Default: one per core.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()

        def progress(done, total):
            width = 30
            filled = width * done // total if total else width
            rate = done / max(time.monotonic() - started, 1e-9)
            self.stderr.write(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:.0f} 条/秒",
                ending="",
            )

        with self.workers(options["processes"]) as pool, transaction.atomic():
            count = reindex_all(progress=progress, pool=pool)
        self.stderr.write("")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"已重建索引：{count} 条，用时 {seconds:.1f} 秒。"))

    @contextlib.contextmanager
    def workers(self, processes: int):
        """A pool of forked processes, or None (no fork here, 0 asked, or inside a transaction).

        The children never use the database; the connection is closed before forking so
        that none is shared. Inside a transaction (tests) it cannot be, so no pool then.
        """
        usable = processes > 0 and "fork" in multiprocessing.get_all_start_methods()
        if not usable or connection.in_atomic_block:
            yield None
            return
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield pool
