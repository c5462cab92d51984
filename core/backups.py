"""Backing up and restoring the whole site: the database and the uploaded files, in one archive.

The database is copied by its own tools: ``pg_dump --format=custom`` / ``pg_restore`` on
PostgreSQL, sqlite3's online backup API on SQLite. What is ours is the proof that a restore
brought everything back. An archive is a tar.gz holding

``manifest.json``
    the migration state, the row count of every model table, what the apps registered
    (``register``: e.g. a SHA-256 of every article body), and a SHA-256 and size of every
    other file in the archive.
``database.dump`` or ``database.sqlite3``
    the dump, taken in the same snapshot as the manifest.
``media/…``, ``private/…``
    every file of the public uploads (MEDIA_ROOT) and of the private storage, when they live
    on the local disk. Object storage is not copied: its provider backs it up.

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
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from core.health import unapplied_migrations

FORMAT_VERSION = 2
MANIFEST = "manifest.json"
# The file storages an archive holds (alias in settings.STORAGES -> folder in the archive).
STORAGE_DIRS = {"default": "media", "private": "private"}
MEDIA_DIR = STORAGE_DIRS["default"]
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
_CHUNK = 1024 * 1024

Log = Callable[[str], None]


@dataclass(frozen=True)
class Check:
    """Something an app asks every backup to measure and every restore to find again.

    ``measure(cursor, tables)`` reads it through a DB-API cursor of the site's vendor (the
    live database's or the SQLite copy's); ``tables`` are the tables that exist. It returns
    a number, or a dict of id -> digest whose differences are reported by id.
    """

    name: str  # its key in the manifest
    label: str  # what it is, for the person reading the report
    measure: Callable[..., int | dict[str, str]]
    hint: str = ""  # what to do when it differs


CHECKS: dict[str, Check] = {}


def register(check: Check) -> None:
    """Apps call this in AppConfig.ready for what a backup of their data must prove."""
    CHECKS[check.name] = check


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
    checks: dict[str, int | dict[str, str]]  # registered check -> what it measured


def build_manifest(
    *,
    created_at: datetime,
    vendor: str,
    state: DatabaseState,
    dump: dict,
    files: dict[str, dict[str, dict] | None],
) -> dict:
    """The manifest of an archive.

    `files` maps each storage's folder in the archive to its files (name -> checksum), or to
    None when that storage is not on the local disk (object storage) and so not archived.
    """
    return {
        "format": FORMAT_VERSION,
        "created_at": created_at.astimezone(UTC).isoformat(timespec="seconds"),
        "database": {"vendor": vendor, "file": DUMP_NAMES[vendor], **dump},
        "migrations": state.migrations,
        "row_counts": state.row_counts,
        "checks": state.checks,
        "files": {
            folder: {"included": listed is not None, "files": listed or {}}
            for folder, listed in files.items()
        },
    }


def upgrade_manifest(manifest: dict) -> dict:
    """A manifest of format 1 in the form of today's: its checks sat at the top level."""
    if manifest.get("format") != 1:
        return manifest
    own = {"format", "created_at", "database", "migrations", "row_counts", "media"}
    return {
        **{key: manifest[key] for key in own - {"media"}},
        "format": FORMAT_VERSION,
        "checks": {key: value for key, value in manifest.items() if key not in own},
        "files": {MEDIA_DIR: manifest["media"]},
    }


def archived_files(manifest: dict) -> dict[str, dict]:
    """Every file the archive must hold besides the manifest: name -> checksum."""
    database = manifest["database"]
    files = {database["file"]: {"sha256": database["sha256"], "size": database["size"]}}
    for folder, listed in manifest["files"].items():
        for name, checksum in listed["files"].items():
            files[f"{folder}/{name}"] = checksum
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
    found = {
        "migrations": _compare_migrations(manifest["migrations"], state.migrations),
        "row_counts": _compare_row_counts(manifest["row_counts"], state.row_counts),
    }
    for name, recorded in manifest["checks"].items():
        check = CHECKS.get(name)
        label = check.label if check else name
        actual = state.checks.get(name)
        if isinstance(recorded, dict):
            problems = _compare_digests(label, recorded, actual or {})
        elif recorded != actual:
            problems = [f"{label}：备份 {recorded}，恢复后 {actual}"]
        else:
            problems = []
        if problems and check and check.hint:
            problems[-1] += f"（{check.hint}）"
        found[name] = problems
    return found


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


def _compare_digests(label: str, recorded: dict, actual: dict) -> list[str]:
    groups = {
        "缺少": set(recorded) - set(actual),
        "多出": set(actual) - set(recorded),
        "不符": {key for key in set(recorded) & set(actual) if recorded[key] != actual[key]},
    }
    problems = []
    for how, keys in groups.items():
        if keys:
            ordered = sorted(keys, key=lambda key: (len(key), key))  # numeric ids in order
            shown = "、".join(ordered[:10]) + ("……" if len(ordered) > 10 else "")
            problems.append(f"{label}{how}：{len(ordered)} 个（id {shown}）")
    return problems


def summary(value: int | dict) -> int:
    return len(value) if isinstance(value, dict) else value


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
    checks = {name: check.measure(cursor, existing) for name, check in sorted(CHECKS.items())}
    return DatabaseState(migrations=migrations, row_counts=counts, checks=checks)


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


def storage_roots() -> dict[str, Path | None]:
    """Each configured file storage's folder in the archive -> its directory on disk.

    None for a storage that is not the local file system (object storage).
    """
    roots = {}
    for alias, folder in STORAGE_DIRS.items():
        if alias not in settings.STORAGES:
            continue
        storage = storages[alias]
        roots[folder] = Path(storage.path("")) if isinstance(storage, FileSystemStorage) else None
    return roots


def served_roots() -> list[Path]:
    """Directories the web server hands out to anyone: a backup must never land in one."""
    return [Path(root).resolve() for root in (settings.MEDIA_ROOT, settings.STATIC_ROOT) if root]


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


def _add_files(tar: tarfile.TarFile, folder: str, root: Path) -> dict[str, dict]:
    files = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(root).as_posix()
        stat = path.stat()
        info = tarfile.TarInfo(f"{folder}/{name}")
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


def check_target(target: Path) -> None:
    """Refuse a place where the archive could be downloaded or would archive itself."""
    resolved = target.resolve()
    roots = [*served_roots(), *(root.resolve() for root in storage_roots().values() if root)]
    for root in roots:
        if resolved.is_relative_to(root):
            raise BackupError(
                f"备份不能放在 {root} 里：这个目录里的文件由网站对外提供或会被一起打包。"
                "请用网站目录以外、只有网站用户能读的目录，例如 /var/backups/lvxie/。"
            )
    if target.exists():
        raise BackupError(f"文件已存在，不会覆盖：{target}")
    if not target.parent.is_dir():
        raise BackupError(f"目录不存在：{target.parent}")


def create_backup(output: Path | None, log: Log) -> Path:
    """Write one archive of the database and the uploads; return its path."""
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"不支持的数据库：{vendor}（只支持 PostgreSQL 和 SQLite）。")
    now = datetime.now(UTC)
    target = archive_path(output, now)
    check_target(target)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="lvxie-backup-") as tmp:
        dump = Path(tmp) / DUMP_NAMES[vendor]
        started = time.monotonic()
        state = _dump_postgresql(dump) if vendor == "postgresql" else _dump_sqlite(dump)
        dump_checksum = file_checksum(dump)
        measured = "，".join(
            f"{CHECKS[name].label} {summary(value)}" for name, value in state.checks.items()
        )
        log(
            f"数据库已导出（{vendor}）：{human_size(dump_checksum['size'])}，"
            f"{len(state.row_counts)} 个表共 {sum(state.row_counts.values())} 行"
            f"{'，' + measured if measured else ''}，用时 {time.monotonic() - started:.1f} 秒"
        )
        roots = storage_roots()
        # The archive holds password hashes and personal records: only its owner may read it.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
                    tar.add(dump, arcname=dump.name)
                    files = {
                        folder: _add_files(tar, folder, root) if root is not None else None
                        for folder, root in roots.items()
                    }
                    manifest = build_manifest(
                        created_at=now, vendor=vendor, state=state, dump=dump_checksum, files=files
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
    for folder, listed in files.items():
        if listed is None:
            log(f"{folder}：存储不是本地目录（对象存储），由存储服务商备份，未放入归档。")
        else:
            total = sum(entry["size"] for entry in listed.values())
            log(f"{folder}：{len(listed)} 个文件，共 {human_size(total)}（{roots[folder]}）")
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
    manifest = upgrade_manifest(manifest)
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"不认识的备份格式版本：{manifest.get('format')!r}")
    unsafe = [
        name
        for folder, listed in manifest["files"].items()
        for name in [folder, *listed["files"]]
        if not is_safe_relative_path(name)
    ]
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


def _check_file_targets(manifest: dict, force: bool, log: Log) -> dict[str, Path]:
    """Where each archived storage's files go back to; refuse a directory holding files."""
    roots = storage_roots()
    targets = {}
    for folder, listed in manifest["files"].items():
        root = roots.get(folder)
        if root is None:
            if listed["files"]:
                log(
                    f"注意：备份里有 {len(listed['files'])} 个 {folder} 文件，但本站的这个存储"
                    "不是本地目录（或没有配置），这些文件不会恢复；请用存储服务商的工具恢复。"
                )
            continue
        present = [path for path in root.rglob("*") if path.is_file()] if root.is_dir() else []
        if present and not force:
            raise BackupError(
                f"目录 {root} 里已有 {len(present)} 个文件。请把它（MEDIA_ROOT 或私有存储）"
                "指向一个空目录；或者加 --force，把备份里的文件写进这个目录"
                "（同名文件被覆盖，其他文件保留）。"
            )
        targets[folder] = root
    return targets


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


def _restore_files(manifest: dict, unpacked: Path, targets: dict[str, Path]) -> None:
    for folder, root in targets.items():
        for name in manifest["files"][folder]["files"]:
            destination = root / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(unpacked / folder / name, destination)


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
        log(
            f"备份校验通过：{manifest['created_at']} 的 {manifest['database']['vendor']} 备份，"
            f"数据库文件和 {len(expected) - 1} 个上传文件的 SHA-256 全部一致"
        )
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"备份来自 {vendor} 数据库，目标是 {connection.vendor}：不能跨数据库种类恢复。"
            )
        _check_target_is_empty()
        targets = _check_file_targets(manifest, force, log)
        _report_code_migrations(manifest, log)

        started = time.monotonic()
        dump = unpacked / manifest["database"]["file"]
        if vendor == "postgresql":
            _restore_postgresql(dump)
        else:
            _restore_sqlite(dump)
        log(f"数据库已恢复，用时 {time.monotonic() - started:.1f} 秒")
        _restore_files(manifest, unpacked, targets)
        for folder, root in targets.items():
            log(f"{folder} 文件已恢复：{len(manifest['files'][folder]['files'])} 个，写入 {root}")

    log("恢复后核对：")
    problems = verify_restore(manifest, targets, log)
    if problems:
        raise BackupError(
            f"恢复后的核对发现 {len(problems)} 处不一致：\n  " + "\n  ".join(problems)
        )
    log("恢复完成，核对全部通过。")
    pending = len(unapplied_migrations())
    if pending:
        log(f"本代码还有 {pending} 个迁移没有应用到恢复的数据库：请运行 python manage.py migrate")


def verify_restore(manifest: dict, targets: dict[str, Path], log: Log) -> list[str]:
    """Compare what is now in place with the manifest, one report line per check."""
    found = compare_states(manifest, current_state())
    counts = manifest["row_counts"]
    summaries = {
        "migrations": f"迁移状态：{sum(map(len, manifest['migrations'].values()))} 个迁移",
        "row_counts": f"行数：{len(counts)} 个表共 {sum(counts.values())} 行",
    }
    for name, value in manifest["checks"].items():
        check = CHECKS.get(name)
        summaries[name] = f"{check.label if check else name}：{summary(value)}"
    for folder, root in targets.items():
        listed = manifest["files"][folder]["files"]
        found[folder] = check_files(listed, root, allow_extra=True)
        summaries[folder] = f"{folder} 文件：{len(listed)} 个文件的 SHA-256 和大小"
    for check, line in summaries.items():
        log(f"  {'✗' if found[check] else '✓'} {line}")
    return [problem for problems in found.values() for problem in problems]
