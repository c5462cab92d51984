from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database, then check every row "
        "count, what the apps registered (article bodies, the search index) and every file "
        "against the archive's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz file made by `backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Write the archive's files into a MEDIA_ROOT (or private storage root) that "
            "already holds files. It never allows restoring into a database that holds data.",
        )

    def handle(self, *args, archive, force, **options):
        try:
            restore_backup(archive, force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"数据库出错：{exc}") from exc
