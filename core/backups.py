"""Backing up and restoring the whole site: the database and the uploaded files, in one archive.

An archive is a tar.gz holding

``manifest.json``
    what was saved and how to prove it came back: the migration state, the row count of every
    model table, a SHA-256 of every article body, and a SHA-256 and size of every other file.
``database.dump``
    PostgreSQL: ``pg_dump --format=custom``, taken in the same snapshot as the manifest.
``database.sqlite3``
    SQLite: a consistent copy made with sqlite3's online backup API.
``media/…``
    every file under MEDIA_ROOT. Object storage is not copied: its provider backs it up.

The first part of this module is plain Python (checksums, the manifest, comparisons); the rest
talks to the database, to pg_dump and pg_restore and to the file storage. The `backup` and
`restore` commands are thin layers over `create_backup` and `restore_backup`.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from news.models import Article, SearchEntry
from news.search import FTS_TABLE

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
_CHUNK = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the person running it."""


# --- Plain Python: checksums, the manifest, comparisons -------------------------------------


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_checksum(path: Path) -> dict:
    """The SHA-256 and size of a file, as the manifest records them."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


@dataclass(frozen=True)
class DatabaseState:
    """What the manifest says about a database, and what restore measures to compare."""

    migrations: dict[str, list[str]]  # app label -> applied migration names, sorted
    row_counts: dict[str, int]  # model table -> rows
    article_body_sha256: dict[str, str]  # article id -> SHA-256 of its body
    search_index: int  # rows holding search terms (FTS5 rows or tsvectors)


def build_manifest(
    *,
    created_at: datetime,
    vendor: str,
    state: DatabaseState,
    dump: dict,
    media: dict[str, dict] | None,
) -> dict:
    """The manifest of an archive. `media` is None when the files live in object storage."""
    return {
        "format": FORMAT_VERSION,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": DUMP_NAMES[vendor], **dump},
        "migrations": state.migrations,
        "row_counts": state.row_counts,
        "article_body_sha256": state.article_body_sha256,
        "search_index": state.search_index,
        "media": {"included": media is not None, "files": media or {}},
    }


def archived_files(manifest: dict) -> dict[str, dict]:
    """Every file the archive must hold besides the manifest: name -> checksum."""
    database = manifest["database"]
    files = {database["file"]: {"sha256": database["sha256"], "size": database["size"]}}
    for name, checksum in manifest["media"]["files"].items():
        files[f"{MEDIA_DIR}/{name}"] = checksum
    return files


def is_safe_relative_path(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def check_files(expected: dict[str, dict], root: Path, *, allow_extra: bool = False) -> list[str]:
    """Compare the files under `root` with their recorded checksums; return the problems."""
    problems = []
    for name, recorded in sorted(expected.items()):
        path = root / name
        if not path.is_file():
            problems.append(f"缺少文件：{name}")
            continue
        actual = file_checksum(path)
        if actual["size"] != recorded["size"]:
            problems.append(
                f"大小不符：{name}（应为 {recorded['size']} 字节，实为 {actual['size']}）"
            )
        elif actual["sha256"] != recorded["sha256"]:
            problems.append(f"SHA-256 不符：{name}")
    if not allow_extra:
        present = {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}
        for name in sorted(present - set(expected) - {MANIFEST}):
            problems.append(f"清单里没有的文件：{name}")
    return problems


def compare_states(manifest: dict, state: DatabaseState) -> dict[str, list[str]]:
    """Compare a restored database with the manifest: the differences found by each check."""
    return {
        "migrations": _compare_migrations(manifest["migrations"], state.migrations),
        "row_counts": _compare_row_counts(manifest["row_counts"], state.row_counts),
        "article_bodies": _compare_bodies(
            manifest["article_body_sha256"], state.article_body_sha256
        ),
        "search_index": (
            []
            if manifest["search_index"] == state.search_index
            else [
                f"搜索索引：备份 {manifest['search_index']} 条，恢复后 {state.search_index} 条"
                "（可运行 manage.py reindex_search 重建）"
            ]
        ),
    }


def _compare_migrations(recorded: dict, actual: dict) -> list[str]:
    problems = []
    for app in sorted(set(recorded) | set(actual)):
        missing = sorted(set(recorded.get(app, [])) - set(actual.get(app, [])))
        extra = sorted(set(actual.get(app, [])) - set(recorded.get(app, [])))
        if missing or extra:
            problems.append(f"迁移状态：{app} 缺少 {missing}，多出 {extra}")
    return problems


def _compare_row_counts(recorded: dict, actual: dict) -> list[str]:
    problems = []
    for table in sorted(set(recorded) | set(actual)):
        if table not in actual:
            problems.append(f"表 {table} 不存在")
        elif table not in recorded:
            problems.append(f"表 {table} 不在清单里")
        elif recorded[table] != actual[table]:
            problems.append(f"表 {table}：备份 {recorded[table]} 行，恢复后 {actual[table]} 行")
    return problems


def _compare_bodies(recorded: dict, actual: dict) -> list[str]:
    groups = {
        "缺少的文章": set(recorded) - set(actual),
        "多出的文章": set(actual) - set(recorded),
        "正文不符的文章": {pk for pk in set(recorded) & set(actual) if recorded[pk] != actual[pk]},
    }
    problems = []
    for label, ids in groups.items():
        if ids:
            ordered = sorted(ids, key=int)
            shown = "、".join(ordered[:10]) + ("……" if len(ordered) > 10 else "")
            problems.append(f"{label}：{len(ordered)} 篇（id {shown}）")
    return problems


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            break
    return f"{size:.1f} {unit}"


# --- The database ---------------------------------------------------------------------------


def model_tables() -> list[str]:
    """Every table behind an installed model, including the automatic many-to-many tables."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def inspect_database(cursor) -> DatabaseState:
    """Measure a database through a DB-API cursor of the site's vendor (Django's or sqlite3's)."""
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names(cursor))
    counts = {}
    for table in model_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (our table names)  # nosec B608 # the models' own table names, quoted
            counts[table] = cursor.fetchone()[0]
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
        migrations = {app: sorted(names) for app, names in sorted(migrations.items())}
    bodies = {}
    if Article._meta.db_table in existing:
        columns = (
            f"{quote(Article._meta.pk.column)}, {quote(Article._meta.get_field('body').column)}"
        )
        cursor.execute(f"SELECT {columns} FROM {quote(Article._meta.db_table)}")  # noqa: S608  # nosec B608 # the models' own table and column names, quoted
        while rows := cursor.fetchmany(500):
            bodies.update((str(pk), sha256_text(body)) for pk, body in rows)
    return DatabaseState(
        migrations=migrations,
        row_counts=counts,
        article_body_sha256=bodies,
        search_index=_search_index_size(cursor, existing),
    )


def _search_index_size(cursor, existing: set[str]) -> int:
    # The search terms are not model fields on SQLite (an FTS5 table) and are never read back
    # as values on PostgreSQL (tsvector columns); count them so that a restore proves they came.
    if connection.vendor == "sqlite":
        if FTS_TABLE not in existing:
            return 0
        cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")  # noqa: S608  # nosec B608 # the constant name of our FTS table
    else:
        if SearchEntry._meta.db_table not in existing:
            return 0
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(SearchEntry._meta.db_table)}"  # noqa: S608  # nosec B608 # the model's own table name, quoted
            " WHERE grams_vector IS NOT NULL"
        )
    return cursor.fetchone()[0]


def current_state() -> DatabaseState:
    with connection.cursor() as cursor:
        return inspect_database(cursor)


# Connection settings that libpq reads from the environment (see "Environment Variables" in
# the libpq manual). Passing them this way keeps the password out of `ps`.
_PG_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def pg_environment(database: dict, base: dict | None = None) -> dict:
    """The environment for pg_dump and pg_restore, from a DATABASES entry."""
    env = dict(os.environ if base is None else base)
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
    }
    options = database.get("OPTIONS") or {}
    values.update({variable: options.get(option) for option, variable in _PG_OPTIONS.items()})
    env.update({name: str(value) for name, value in values.items() if value})
    env["PGAPPNAME"] = "lvxie-backup"
    return env


def _run(argv: list[str], env: dict) -> None:
    try:
        # A fixed argument list, no shell; the connection travels in the environment.
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到 {argv[0]}：请安装 PostgreSQL 客户端（主版本不低于数据库服务器）。"
        ) from exc
    if result.returncode != 0:
        raise BackupError(
            f"{argv[0]} 失败（退出码 {result.returncode}）：\n{result.stderr.strip()}"
        )


def _dump_postgresql(path: Path) -> DatabaseState:
    # The manifest is measured in the very snapshot pg_dump copies, so that a busy site's
    # counts and hashes match its dump exactly.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={path}",
            ],
            pg_environment(settings.DATABASES["default"]),
        )
        return inspect_database(cursor)


def _dump_sqlite(path: Path) -> DatabaseState:
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)  # one step: a consistent copy of a live database
        return inspect_database(copy.cursor())
    finally:
        copy.close()


# --- Backup ---------------------------------------------------------------------------------


def media_root() -> Path | None:
    """Where uploads live on disk, or None when the default storage is not the file system."""
    if isinstance(default_storage, FileSystemStorage):
        return Path(default_storage.path(""))
    return None


class _HashingReader:
    """Reads a file into the archive and hashes exactly the bytes that went in."""

    def __init__(self, file):
        self.file = file
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_media(tar: tarfile.TarFile, root: Path) -> dict[str, dict]:
    files = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        info = tarfile.TarInfo(f"{MEDIA_DIR}/{name}")
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
        with open(path, "rb") as file:
            reader = _HashingReader(file)
            tar.addfile(info, reader)
        files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}
    return files


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
    tar.addfile(info, io.BytesIO(data))


def archive_path(output: Path | None, now: datetime) -> Path:
    """The archive's file name: `output` itself, or a dated name inside a directory."""
    name = f"lvxie-backup-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.tar.gz"
    if output is None:
        return Path.cwd() / name
    if output.is_dir():
        return output / name
    return output


def create_backup(output: Path | None, log: Log) -> Path:
    """Write one archive of the database and the uploads; return its path."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"不支持的数据库：{vendor}（只支持 PostgreSQL 和 SQLite）。")
    now = datetime.now(UTC)
    target = archive_path(output, now)
    if target.exists():
        raise BackupError(f"文件已存在，不会覆盖：{target}")
    if not target.parent.is_dir():
        raise BackupError(f"目录不存在：{target.parent}")
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="lvxie-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[vendor]
        started = time.monotonic()
        state = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        dump_checksum = file_checksum(dump)
        log(
            f"数据库已导出（{vendor}）：{human_size(dump_checksum['size'])}，"
            f"{len(state.row_counts)} 个表共 {sum(state.row_counts.values())} 行，"
            f"{len(state.article_body_sha256)} 篇文章，用时 {time.monotonic() - started:.1f} 秒"
        )
        # The archive holds password hashes and personal records: only its owner may read it.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    tar.add(dump, arcname=dump.name)
                    root = media_root()
                    media = _add_media(tar, root) if root is not None else None
                    manifest = build_manifest(
                        created_at=now, vendor=vendor, state=state, dump=dump_checksum, media=media
                    )
                    _add_bytes(
                        tar,
                        MANIFEST,
                        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode(),
                    )
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    if media is None:
        log("媒体文件：默认存储不是本地目录（对象存储），由存储服务商备份，未放入归档。")
    else:
        total = sum(entry["size"] for entry in media.values())
        log(f"媒体文件：{len(media)} 个，共 {human_size(total)}（{root}）")
    log(f"备份完成：{target}（{human_size(target.stat().st_size)}）")
    return target


# --- Restore --------------------------------------------------------------------------------


def _unpack(archive: Path, root: Path) -> dict:
    """Extract the archive into `root` and return its manifest; refuse anything odd in it."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if not (member.isfile() or member.isdir()):
                    raise BackupError(f"备份里有不该有的条目（链接或设备）：{member.name}")
                tar.extract(member, root, filter="data")
            # tarfile stops at the end-of-archive blocks, before gzip's CRC: read on to it.
            while tar.fileobj.read(_CHUNK):
                pass
    except FileNotFoundError as exc:
        raise BackupError(f"找不到备份文件：{archive}") from exc
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"备份文件已损坏，无法读取：{archive}（{exc}）") from exc
    try:
        manifest = json.loads((root / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("备份里没有可读的 manifest.json：这不是本站的备份文件。") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"不认识的备份格式版本：{manifest.get('format')!r}")
    unsafe = [name for name in manifest["media"]["files"] if not is_safe_relative_path(name)]
    if unsafe:
        raise BackupError(f"清单里有不安全的文件路径：{unsafe[:5]}")
    return manifest


def how_to_get_an_empty_database() -> str:
    database = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        host = database.get("HOST") or "127.0.0.1"
        port = database.get("PORT") or 5432
        user = database.get("USER") or "lvxie"
        return (
            "请新建一个空数据库，把 DATABASE_URL 指向它，再恢复（不要先运行 migrate，"
            "恢复会建好全部表）：\n"
            f"  createdb -h {host} -p {port} -U postgres -O {user} -E UTF8 -T template0 "
            "lvxie_restored\n"
            f"  DATABASE_URL=postgres://{user}@{host}:{port}/lvxie_restored "
            "python manage.py restore 备份文件.tar.gz"
        )
    return (
        "请把 DATABASE_URL 指向一个还不存在的 SQLite 文件，再恢复（不要先运行 migrate）：\n"
        "  DATABASE_URL=sqlite:////srv/lvxie/restored.sqlite3 "
        "python manage.py restore 备份文件.tar.gz"
    )


def _check_target_is_empty() -> None:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        occupied = []
        for table in model_tables():
            if table in existing:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608  # nosec B608 # the models' own table names, quoted
                if cursor.fetchone():
                    occupied.append(table)
    if occupied:
        raise BackupError(
            f"目标数据库不是空的：{len(occupied)} 个表里有数据（如 {'、'.join(occupied[:3])}）。"
            "恢复只写入空数据库，从不覆盖已有数据，--force 也不例外。\n"
            + how_to_get_an_empty_database()
        )
    if existing and connection.vendor == "postgresql":
        # pg_restore creates the tables itself; it cannot create them over existing ones.
        raise BackupError(
            f"目标数据库虽然没有数据，但已经有 {len(existing)} 个表（例如运行过 migrate）。"
            "恢复需要一个刚用 createdb 建好、没有任何表的数据库。\n"
            + how_to_get_an_empty_database()
        )


def _check_media_target(manifest: dict, force: bool, log: Log) -> Path | None:
    files = manifest["media"]["files"]
    root = media_root()
    if root is None:
        if files:
            log(
                f"注意：备份里有 {len(files)} 个媒体文件，但本站的默认存储不是本地目录，"
                "这些文件不会恢复；请用对象存储服务商的工具恢复。"
            )
        return None
    present = [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []
    if present and not force:
        raise BackupError(
            f"媒体目录 {root} 里已有 {len(present)} 个文件。请把 MEDIA_ROOT 指向一个空目录；"
            "或者加 --force，把备份里的文件写进这个目录（同名文件被覆盖，其他文件保留）。"
        )
    return root


def _report_code_migrations(manifest: dict, log: Log) -> None:
    """Say when the code and the backup's migrations differ: a restore is faithful either way."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(recorded - known)
    if unknown:
        log(
            f"注意：备份里有 {len(unknown)} 个本代码没有的迁移（如 {'.'.join(unknown[0])}）："
            "备份来自更新的代码，请先检出做备份时的代码版本再启动网站。"
        )


def _restore_postgresql(dump: Path) -> None:
    database = settings.DATABASES["default"]
    connection.close()
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={database['NAME']}",
            str(dump),
        ],
        pg_environment(database),
    )


def _restore_sqlite(dump: Path) -> None:
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("不能恢复到 SQLite 内存数据库：请用一个文件。")
    connection.close()
    source, target = sqlite3.connect(dump), sqlite3.connect(name)
    try:
        source.backup(target)  # replaces the whole target database, schema and all
    finally:
        source.close()
        target.close()


def _restore_media(manifest: dict, unpacked: Path, root: Path) -> None:
    for name in manifest["media"]["files"]:
        destination = root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(unpacked / MEDIA_DIR / name, destination)


def _unapplied_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def restore_backup(archive: Path, *, force: bool, log: Log) -> None:
    """Restore an archive into an empty database, then prove that everything came back.

    Raises BackupError, before the database is touched, when the archive's checksums fail,
    its database is of another vendor or the target database holds data; and after the
    restore when anything differs from the manifest.
    """
    with tempfile.TemporaryDirectory(prefix="lvxie-restore-") as tmp:
        unpacked = Path(tmp)
        manifest = _unpack(archive, unpacked)
        expected = archived_files(manifest)
        problems = check_files(expected, unpacked)
        if problems:
            raise BackupError(
                "备份文件校验失败，数据库和媒体目录都没有改动：\n  " + "\n  ".join(problems)
            )
        media_files = manifest["media"]["files"]
        log(
            f"备份校验通过：{manifest['created_at']} 的 {manifest['database']['vendor']} 备份，"
            f"数据库文件和 {len(media_files)} 个媒体文件的 SHA-256 全部一致"
        )
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"备份来自 {vendor} 数据库，目标是 {connection.vendor}：不能跨数据库种类恢复。"
            )
        _check_target_is_empty()
        root = _check_media_target(manifest, force, log)
        _report_code_migrations(manifest, log)

        started = time.monotonic()
        dump = unpacked / manifest["database"]["file"]
        if vendor == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
        log(f"数据库已恢复，用时 {time.monotonic() - started:.1f} 秒")
        if root is not None:
            _restore_media(manifest, unpacked, root)
            log(f"媒体文件已恢复：{len(media_files)} 个，写入 {root}")

    log("恢复后核对：")
    problems = verify_restore(manifest, root, log)
    if problems:
        raise BackupError(
            f"恢复后的核对发现 {len(problems)} 处不一致：\n  " + "\n  ".join(problems)
        )
    log("恢复完成，核对全部通过。")
    pending = _unapplied_migrations()
    if pending:
        log(f"本代码还有 {pending} 个迁移没有应用到恢复的数据库：请运行 python manage.py migrate")


def verify_restore(manifest: dict, root: Path | None, log: Log) -> list[str]:
    """Compare what is now in place with the manifest, one report line per check."""
    found = compare_states(manifest, current_state())
    counts = manifest["row_counts"]
    summaries = {
        "migrations": f"迁移状态：{sum(map(len, manifest['migrations'].values()))} 个迁移",
        "row_counts": f"行数：{len(counts)} 个表共 {sum(counts.values())} 行",
        "article_bodies": f"正文：{len(manifest['article_body_sha256'])} 篇文章的 SHA-256",
        "search_index": f"搜索索引：{manifest['search_index']} 条",
    }
    if root is not None:
        media = manifest["media"]["files"]
        found["media"] = check_files(media, root, allow_extra=True)
        summaries["media"] = f"媒体文件：{len(media)} 个文件的 SHA-256 和大小"
    for check, summary in summaries.items():
        log(f"  {'✗' if found[check] else '✓'} {summary}")
    return [problem for problems in found.values() for problem in problems]
