"""Importing a legacy site's pages: plain text, saved HTML, folders and zip files.

Every run reads all its files first (`plan_*`), which is the dry run: a row per file with what
was read and each doubt with its reason. `import_plan` then writes the whole plan in one
transaction, or nothing if any file was refused. Complete files become published articles
with their stated dates; files with doubts become drafts marked 待核 with their doubts, never
published with a guessed value. A file whose legacy address (or title and day) is already on
the site is skipped, so a run can be repeated.
"""

import datetime
import io
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import cast
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html_join
from simple_history.utils import bulk_create_with_history

from core import pagecache
from news import search
from news.legacy import MAX_PAGE_BYTES, LegacyArticle, LegacyFormatError, read
from news.models import Article, Column, Source

SUFFIXES = (".txt", ".html", ".htm")
MAX_ZIP_MEMBERS = 20_000
MAX_ZIP_TOTAL_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 100  # uncompressed / compressed, per member
UNKNOWN_SOURCE = "来源不详"
PARALLEL_FROM = 200  # files; fewer are read in this process
WRITE_BATCH = 500
PAGE_LIMIT_MB = MAX_PAGE_BYTES // 1024 // 1024


class ImportRefused(Exception):
    """Nothing was imported; `problems` names each file that could not be read and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LegacyFile:
    """One file to read: its name for people, its path on the old site, its bytes on demand."""

    name: str
    legacy_path: str
    load: Callable[[], bytes]
    path: Path | None = None  # a file on disk, which another process may read


@dataclass
class Row:
    """One line of the dry-run table."""

    name: str
    article: LegacyArticle | None = None
    legacy_url: str = ""
    error: str = ""
    skipped: str = ""  # why nothing will be written for it
    terms: object = None  # the search index terms, when read ahead for an import

    @property
    def title(self) -> str:
        if self.article is None:
            return ""
        return self.article.title or draft_title(self.article)

    @property
    def opening(self) -> str:
        if self.article is None or not self.article.paragraphs:
            return ""
        text = self.article.paragraphs[0]
        return text[:40] + ("…" if len(text) > 40 else "")


@dataclass
class ImportPlan:
    rows: list[Row] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return [f"{row.name}：{row.error}" for row in self.rows if row.error]

    @property
    def complete(self) -> list[Row]:
        return [r for r in self.rows if r.article and not r.skipped and r.article.is_complete]

    @property
    def to_review(self) -> list[Row]:
        return [r for r in self.rows if r.article and not r.skipped and not r.article.is_complete]

    @property
    def skipped(self) -> list[Row]:
        return [r for r in self.rows if r.skipped]


@dataclass
class ImportReport:
    created: list[Article] = field(default_factory=list)
    to_review: list[Article] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already imported earlier


# --- Finding the files --------------------------------------------------------------------


def files_from_paths(paths: Iterable[Path]) -> Iterator[LegacyFile | str]:
    """Each page file under `paths` (folders recursively); a string names a path that is not one.

    A page's legacy path is its path under the folder given (the mirror's root); a file given on
    its own keeps its name.
    """
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*")):
                if found.is_file() and found.suffix.lower() in SUFFIXES:
                    relative = found.relative_to(path).as_posix()
                    yield LegacyFile(relative, "/" + relative, found.read_bytes, found)
        elif path.is_file():
            yield LegacyFile(path.name, "/" + path.name, path.read_bytes, path)
        else:
            yield f"{path.name}：文件不存在。"


def files_from_upload(name: str, upload) -> Iterator[LegacyFile | str]:
    """An uploaded page, or the pages inside an uploaded .zip."""
    if name.lower().endswith(".zip"):
        yield from files_from_zip(name, upload)
        return
    if not name.lower().endswith(SUFFIXES):
        yield f"{name}：不支持的文件类型（应为 .txt、.html、.htm 或 .zip）。"
        return
    if upload.size > MAX_PAGE_BYTES:
        yield f"{name}：文件过大（每篇上限 {MAX_PAGE_BYTES // 1024 // 1024} MB）。"
        return
    data = upload.read()
    yield LegacyFile(name, "/" + name, lambda: data)


def files_from_zip(name: str, fileobj) -> Iterator[LegacyFile | str]:
    """The pages of a zip, refusing paths outside its folder and anything that inflates too far."""
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        yield f"{name}：不是有效的 zip 文件。"
        return
    if len(members) > MAX_ZIP_MEMBERS:
        yield f"{name}：zip 内文件过多（{len(members)} 个，上限 {MAX_ZIP_MEMBERS} 个）。"
        return
    total = sum(member.file_size for member in members)
    if total > MAX_ZIP_TOTAL_BYTES:
        limit = MAX_ZIP_TOTAL_BYTES // 1024 // 1024
        yield f"{name}：zip 解压后过大（{total // 1024 // 1024} MB，上限 {limit} MB）。"
        return
    for member in members:
        path = member.filename.replace("\\", "/")
        pure = PurePosixPath(path)
        if path.startswith("/") or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
            yield f"{name}：{member.filename}：路径指向 zip 文件夹之外，拒绝导入。"
            continue
        if stat.S_ISLNK(member.external_attr >> 16):
            yield f"{name}：{member.filename}：符号链接，拒绝导入。"
            continue
        if member.is_dir() or not path.lower().endswith(SUFFIXES):
            continue
        if member.flag_bits & 0x1:
            yield f"{name}：{member.filename}：文件已加密。"
            continue
        if member.file_size > MAX_PAGE_BYTES:
            yield f"{name}：{member.filename}：文件过大（每篇上限 {PAGE_LIMIT_MB} MB）。"
            continue
        if member.compress_size and member.file_size / member.compress_size > MAX_ZIP_RATIO:
            yield f"{name}：{member.filename}：压缩比异常（疑似 zip 炸弹），拒绝导入。"
            continue
        yield LegacyFile(f"{name}/{path}", "/" + path, _zip_loader(archive, member))


def _zip_loader(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Callable[[], bytes]:
    def load() -> bytes:
        # Never trust the declared size: read at most one byte past the limit.
        with archive.open(member) as stream:
            data = stream.read(MAX_PAGE_BYTES + 1)
        if len(data) > MAX_PAGE_BYTES:
            raise LegacyFormatError("文件解压后过大（疑似 zip 炸弹）。")
        return data

    return load


# --- Reading ------------------------------------------------------------------------------


def _read_one(item: LegacyFile, with_terms: bool = False) -> Row:
    row = Row(item.name)
    try:
        data = item.path.read_bytes() if item.path is not None else item.load()
        row.article = read(data, item.name, "")
    except OSError as exc:
        row.error = f"无法读取文件（{exc.strerror or exc}）。"
    except LegacyFormatError as exc:
        row.error = str(exc)
    else:
        row.legacy_url = legacy_address(row.article.legacy_url or item.legacy_path)
        if with_terms:
            document = search.document_for(_article(row, None, None, timezone.now()))
            row.terms = search.encoded_terms(document)  # tsvector literals on PostgreSQL
    return row


def _read_with_terms(item: LegacyFile) -> Row:
    return _read_one(item, with_terms=True)


def _on_disk(item: LegacyFile) -> LegacyFile:
    return LegacyFile(item.name, item.legacy_path, bytes, item.path)  # picklable


def plan(
    files: Iterable[LegacyFile | str],
    progress: Callable[[], None] | None = None,
    workers: int = 1,
    with_terms: bool = False,
) -> ImportPlan:
    """Read every file: the dry run. Nothing is written.

    With `workers` > 1, files on disk are read by that many processes (pages are independent;
    the rows keep the order of the files). `with_terms` also prepares the search index terms
    of each page there, for an import that follows.
    """
    items = list(files)
    result = ImportPlan()
    seen: dict[str, str] = {}
    on_disk = [item for item in items if isinstance(item, LegacyFile) and item.path is not None]
    parallel = workers > 1 and len(on_disk) >= PARALLEL_FROM
    read_rows: Iterator[Row] = iter(())
    if parallel:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
        reader = _read_with_terms if with_terms else _read_one
        read_rows = pool.map(reader, [_on_disk(item) for item in on_disk], chunksize=16)
    try:
        for item in items:
            if isinstance(item, str):
                name, _, reason = item.partition("：")
                result.rows.append(Row(name, error=reason))
                continue
            if parallel and item.path is not None:
                row = next(read_rows)
            else:
                row = _read_one(item, with_terms)
            if row.article is not None:
                if row.legacy_url in seen:
                    row.skipped = f"与 {seen[row.legacy_url]} 的原地址相同"
                seen.setdefault(row.legacy_url, item.name)
            result.rows.append(row)
            if progress:
                progress()
    finally:
        if parallel:
            pool.shutdown()
    _mark_imported(result)
    return result


def legacy_address(url: str) -> str:
    """The path (and query) of an old address: the old domain will point at this site."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return (path + ("?" + parts.query if parts.query else ""))[:500]


def _mark_imported(result: ImportPlan) -> None:
    """Rows already on the site: the same legacy address, or the same title on the same day."""
    rows = [row for row in result.rows if row.article and not row.skipped]
    for start in range(0, len(rows), 500):
        chunk = rows[start : start + 500]
        known = set(
            Article.objects.filter(legacy_url__in=[row.legacy_url for row in chunk]).values_list(
                "legacy_url", flat=True
            )
        )
        titles = {row.article.title for row in chunk if row.article and row.article.title}
        days = {
            (title, timezone.localdate(moment))
            for title, moment in Article.objects.filter(title__in=titles).values_list(
                "title", "published_at"
            )
        }
        for row in chunk:
            article = cast(LegacyArticle, row.article)  # the rows above all have one
            if row.legacy_url in known or (article.title, article.published_on) in days:
                row.skipped = "已导入过"


# --- Writing ------------------------------------------------------------------------------


def _aware(day: datetime.date, moment: datetime.time | None) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, moment or datetime.time.min))


def draft_title(article: LegacyArticle) -> str:
    opening = article.paragraphs[0][:20] if article.paragraphs else ""
    return f"（标题待核）{opening}"


def legacy_body_html(legacy: LegacyArticle) -> str:
    return format_html_join("\n", "<p>{}</p>", ((paragraph,) for paragraph in legacy.paragraphs))


def _article(row: Row, column, source, now) -> Article:
    """The Article a read page becomes (unsaved)."""
    legacy = cast(LegacyArticle, row.article)
    complete = legacy.is_complete
    return Article(
        title=(legacy.title or draft_title(legacy))[:200],
        subtitle="\n".join(legacy.subtitle_lines),
        column=column,
        source=source,
        author=legacy.author[:100],
        published_at=(
            _aware(legacy.published_on, legacy.published_time) if legacy.published_on else now
        ),
        body=legacy_body_html(legacy) or "<p></p>",
        status=Article.Status.PUBLISHED if complete else Article.Status.DRAFT,
        legacy_url=row.legacy_url or None,
        needs_review=not complete,
        import_doubts="\n".join(legacy.doubts),
    )


@transaction.atomic
def import_plan(
    plan_: ImportPlan, column: Column, progress: Callable[[], None] | None = None
) -> ImportReport:
    """Write a plan read by `plan`: everything, or nothing if any file was refused."""
    if plan_.problems:
        raise ImportRefused(plan_.problems)
    report = ImportReport(skipped=[row.name for row in plan_.skipped])
    sources: dict[str, Source] = {}
    now = timezone.now()
    batch: list[tuple[Article, object]] = []
    for row in plan_.rows:
        if not row.article or row.skipped:
            continue
        source_name = (row.article.source or UNKNOWN_SOURCE)[:100]
        if source_name not in sources:
            sources[source_name], _ = Source.objects.get_or_create(name=source_name)
        article = _article(row, column, sources[source_name], now)
        (report.created if row.article.is_complete else report.to_review).append(article)
        batch.append((article, row.terms))
        if len(batch) == WRITE_BATCH:
            _write(batch, progress)
            batch = []
    _write(batch, progress)
    if report.created or report.to_review:
        pagecache.content_changed()
    return report


def _write(batch: list[tuple[Article, object]], progress) -> None:
    """Articles, their history and their search entries, in bulk (no per-row signals)."""
    if not batch:
        return
    articles = [article for article, _ in batch]
    created = bulk_create_with_history(articles, Article, batch_size=WRITE_BATCH)
    for article, saved in zip(articles, created, strict=True):
        article.pk = saved.pk
    documents = [search.document_for(article) for article in articles]
    terms = [
        known or search.terms_of(document)
        for (_, known), document in zip(batch, documents, strict=True)
    ]
    search.store_entries(documents, terms)
    if progress:
        for _ in articles:
            progress()


def import_legacy_articles(paths: list[Path], column: Column) -> ImportReport:
    """Read and import files or folders in one go (all or nothing)."""
    return import_plan(plan(files_from_paths(paths)), column)


def read_uploads(uploads) -> ImportPlan:
    """The dry run of uploaded files (pages or zips)."""

    def files():
        for upload in uploads:
            yield from files_from_upload(upload.name, upload)

    return plan(files())


def zip_of(files: dict[str, bytes]) -> bytes:
    """A zip holding `files` (for tests and tools)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()
