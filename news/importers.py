"""Turning legacy plain-text articles into Article rows: all of a run, or nothing."""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html_join

from news.legacy import LegacyArticle, LegacyFormatError, decode, parse
from news.models import Article, Column, Source


class ImportRefused(Exception):
    """Nothing was imported; `problems` names each file that could not be read and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportReport:
    created: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already imported earlier


def read_legacy_files(paths: list[Path]) -> list[tuple[Path, LegacyArticle]]:
    parsed, problems = [], []
    for path in paths:
        try:
            parsed.append((path, parse(decode(path.read_bytes()))))
        except OSError as exc:
            problems.append(f"{path.name}：无法读取文件（{exc.strerror}）。")
        except LegacyFormatError as exc:
            problems.append(f"{path.name}：{exc}")
    if problems:
        raise ImportRefused(problems)
    return parsed


def legacy_body_html(legacy: LegacyArticle) -> str:
    return format_html_join("\n", "<p>{}</p>", ((paragraph,) for paragraph in legacy.paragraphs))


@transaction.atomic
def import_legacy_articles(paths: list[Path], column: Column) -> ImportReport:
    """Import every file as a published article, or none if any file is unreadable.

    An article with the same title and publication day is taken as imported already, so
    running the same files again adds nothing.
    """
    report = ImportReport()
    for path, legacy in read_legacy_files(paths):
        published_at = timezone.make_aware(
            datetime.datetime.combine(legacy.published_on, datetime.time.min)
        )
        day_end = published_at + datetime.timedelta(days=1)
        if Article.objects.filter(
            title=legacy.title, published_at__gte=published_at, published_at__lt=day_end
        ).exists():
            report.skipped.append(path.name)
            continue
        source, _ = Source.objects.get_or_create(name=legacy.source)
        report.created.append(
            Article.objects.create(
                title=legacy.title,
                subtitle="\n".join(legacy.subtitle_lines),
                column=column,
                source=source,
                author=legacy.author,
                published_at=published_at,
                body=legacy_body_html(legacy),
                status=Article.Status.PUBLISHED,
            )
        )
    return report
