from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one tar.gz archive of the database and the uploaded files, with a manifest of "
        "row counts and checksums that `restore` verifies."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive's file name, or a directory to put a dated archive in "
            "(default: the current directory); never inside MEDIA_ROOT or STATIC_ROOT.",
        )

    def handle(self, *args, output=None, **options):
        try:
            create_backup(output, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            raise CommandError(f"数据库出错：{exc}") from exc
