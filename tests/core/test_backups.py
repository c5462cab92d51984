"""Backups: a full round trip through real `manage.py` processes, on SQLite and PostgreSQL.

Each site (source or restored) is its own process with its own DATABASE_URL and MEDIA_ROOT,
as in production; the test compares the two with a fingerprint of its own, not with the
restore command's report.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from core import backups

ROOT = Path(settings.BASE_DIR)
PG = {"host": "127.0.0.1", "port": "5432", "user": "postgres"}

# The site's data (columns and sources come with the migrations): people, organisations,
# events with participants and speeches, ARTICLES articles in every status (some reporting
# events), a cover image, an attachment, an editor upload that no row refers to and a file in
# the private storage.
LOAD_DATA = """
import datetime, io
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.utils import timezone
from PIL import Image
from members.models import Organization, Person
from news.models import Article, Attachment, Column, Event, Participation, Source, Speech

def png(color):
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), color).save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="photo.png")

bureau = Organization.objects.create(name="市司法局", kind="justice_bureau")
firms = [Organization.objects.create(name=f"第{i}律师事务所", kind="law_firm") for i in range(5)]
people = [Person.objects.create(name=f"律师{i}", note=firms[i % 5].name) for i in range(20)]
events, speeches = [], []
for i in range(12):
    event = Event.objects.create(
        name=f"第{i}次理事会", start_date=datetime.date(2024, i + 1, 10), place="市律师协会",
        organizer=bureau, description=f"<p>第{i}次理事会议程。</p>",
    )
    Participation.objects.create(event=event, person=people[i], role="host", post="会长")
    Participation.objects.create(event=event, organization=firms[i % 5], role="attendee", order=1)
    speeches.append(Speech.objects.create(
        speaker=people[i], speaker_post="会长", event=event, title=f"在第{i}次理事会上的讲话",
        text="<p>同志们：加强和服务，创先争优。</p>",
    ))
    events.append(event)
columns, sources = list(Column.objects.all()), list(Source.objects.all())
statuses = ["published", "draft", "in_review", "withdrawn"]
for i in range(ARTICLES):
    article = Article.objects.create(
        title=f"律师协会第{i}次会员大会召开", column=columns[i % len(columns)],
        source=sources[i % len(sources)], author="市律协", status=statuses[i % 4],
        published_at=timezone.now() - datetime.timedelta(days=i, minutes=i),
        body=f"<p>本网讯 第{i}次会员大会在本会召开。</p><p>{'加强和服务，' * (i % 9)}𠀀 ✓</p>",
    )
    if i % 10 == 0:
        article.events.add(events[i % 12])
        article.speeches.add(speeches[i % 12])
first = Article.objects.order_by("pk").first()
first.cover_image = png("red")
first.save()
Attachment.objects.create(
    article=first, title="会议通知", file=ContentFile(b"%PDF-1.4 notice", name="notice.pdf")
)
default_storage.save("editor/2024/01/upload.png", png("blue"))
storages["private"].save("party/minutes.pdf", ContentFile(b"%PDF-1.4 minutes"))
"""

# What the test compares: rows of every model table that exists, every article body's hash,
# the applied migrations and what the search finds.
FINGERPRINT = """
import hashlib, json
from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from news import search, segmentation
from news.models import Article
existing = set(connection.introspection.table_names())
tables = {
    model._meta.db_table: model._base_manager.count()
    for model in apps.get_models(include_auto_created=True)
    if model._meta.managed and not model._meta.proxy and model._meta.db_table in existing
}
bodies = {
    str(pk): hashlib.sha256(body.encode()).hexdigest()
    for pk, body in Article.objects.values_list("pk", "body")
}
found = {
    q: sorted(search.search(search.public_entries(), segmentation.parse_query(q))
              .values_list("kind", "object_id"))
    for q in ["律师协会", "理事会", "和服", "井冈山"]
}
print(json.dumps({
    "tables": tables, "bodies": bodies, "found": found,
    "migrations": sorted(MigrationRecorder(connection).applied_migrations()),
}))
"""


@dataclass
class Site:
    env: dict
    database: Path | None
    media: Path

    @property
    def private(self) -> Path:
        return Path(self.env["PRIVATE_MEDIA_ROOT"])


def site(database_url: str, media: Path, database: Path | None = None) -> Site:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "PRIVATE_MEDIA_ROOT": str(media.with_name(media.name + "-private")),
        "DEBUG": "0",
    }
    return Site(env=env, database=database, media=media)


def sqlite_site(directory: Path) -> Site:
    database = directory / "site.sqlite3"
    return site(f"sqlite:///{database}", directory / "media", database)


def manage(target: Site, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py, no shell)
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=target.env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if check and result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result


def load_site(target: Site, articles: int, migrated: Path | None = None) -> None:
    """Migrate the site's database (or copy `migrated`, a SQLite file so migrated) and load it."""
    if migrated is None:
        manage(target, "migrate", "--noinput", "-v0")
    else:
        shutil.copyfile(migrated, target.database)
    manage(target, "shell", "--no-imports", "-c", LOAD_DATA.replace("ARTICLES", str(articles)))


def fingerprint(target: Site) -> dict:
    output = manage(target, "shell", "--no-imports", "-c", FINGERPRINT).stdout
    return json.loads(output.strip().splitlines()[-1])


def media_files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def back_up(target: Site, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    manage(target, "backup", "--output", str(directory))
    (archive,) = directory.glob("*.tar.gz")
    return archive


def read_manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile(backups.MANIFEST))


def tampered(archive: Path, destination: Path, member: str) -> Path:
    """A copy of `archive` with one byte of `member` changed and the manifest left as it was."""
    with tarfile.open(archive) as source, tarfile.open(destination, "w:gz") as copy:
        for info in source:
            data = source.extractfile(info).read()
            if info.name == member:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
            copy.addfile(info, io.BytesIO(data))
    return destination


def has_tables(database: Path) -> bool:
    if not database.exists():
        return False
    with sqlite3.connect(database) as db:
        return bool(db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])


# --- Plain helpers --------------------------------------------------------------------------


def test_the_manifest_records_what_restore_checks():
    state = backups.DatabaseState(
        migrations={"news": ["0001_initial"]},
        row_counts={"news_article": 2, "news_article_events": 1},
        checks={"article_body_sha256": {"1": backups.sha256_text("<p>正文</p>")}},
    )
    manifest = backups.build_manifest(
        created_at=datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC),
        vendor="postgresql",
        state=state,
        dump={"sha256": "ab", "size": 3},
        files={"media": {"covers/a.jpg": {"sha256": "cd", "size": 4}}, "private": None},
    )
    assert manifest["format"] == backups.FORMAT_VERSION
    assert manifest["created_at"] == "2025-03-01T10:00:00+00:00"
    assert manifest["database"] == {
        "vendor": "postgresql",
        "file": "database.dump",
        "sha256": "ab",
        "size": 3,
    }
    assert manifest["checks"]["article_body_sha256"] == {
        "1": hashlib.sha256("<p>正文</p>".encode()).hexdigest()
    }
    assert manifest["files"]["private"] == {"included": False, "files": {}}
    assert backups.archived_files(manifest) == {
        "database.dump": {"sha256": "ab", "size": 3},
        "media/covers/a.jpg": {"sha256": "cd", "size": 4},
    }
    assert backups.compare_states(manifest, state) == {
        "migrations": [],
        "row_counts": [],
        "article_body_sha256": [],
    }


def test_every_difference_from_the_manifest_is_reported():
    recorded = backups.DatabaseState(
        migrations={"news": ["0001_initial", "0002_x"]},
        row_counts={"news_article": 3, "auth_user": 1},
        checks={"article_body_sha256": {"1": "a", "2": "b", "3": "c"}, "search_index": 3},
    )
    manifest = backups.build_manifest(
        created_at=datetime.datetime.now(datetime.UTC),
        vendor="sqlite",
        state=recorded,
        dump={"sha256": "", "size": 0},
        files={"media": None},
    )
    restored = backups.DatabaseState(
        migrations={"news": ["0001_initial"]},
        row_counts={"news_article": 2},
        checks={"article_body_sha256": {"1": "a", "2": "changed", "4": "d"}, "search_index": 0},
    )
    found = backups.compare_states(manifest, restored)
    assert found["migrations"] == ["迁移状态：news 缺少 ['0002_x']，多出 []"]
    assert found["row_counts"] == ["表 auth_user 不存在", "表 news_article：备份 3 行，恢复后 2 行"]
    assert found["article_body_sha256"] == [
        "文章正文缺少：1 个（id 3）",
        "文章正文多出：1 个（id 4）",
        "文章正文不符：1 个（id 2）",
    ]
    assert found["search_index"] == [
        "搜索索引：备份 3，恢复后 0（可运行 manage.py reindex_search 重建）"
    ]


def test_the_apps_register_what_a_backup_must_prove():
    assert {"article_body_sha256", "search_index"} <= set(backups.CHECKS)


def test_a_manifest_of_the_first_format_is_read_as_today_s():
    old = {
        "format": 1,
        "created_at": "2025-03-01T10:00:00+00:00",
        "database": {"vendor": "sqlite", "file": "database.sqlite3", "sha256": "ab", "size": 3},
        "migrations": {},
        "row_counts": {"news_article": 1},
        "article_body_sha256": {"1": "a"},
        "search_index": 1,
        "media": {"included": True, "files": {"covers/a.jpg": {"sha256": "cd", "size": 4}}},
    }
    manifest = backups.upgrade_manifest(old)
    assert manifest["checks"] == {"article_body_sha256": {"1": "a"}, "search_index": 1}
    assert backups.archived_files(manifest) == {
        "database.sqlite3": {"sha256": "ab", "size": 3},
        "media/covers/a.jpg": {"sha256": "cd", "size": 4},
    }


@pytest.mark.parametrize("setting", ["MEDIA_ROOT", "STATIC_ROOT"])
def test_an_archive_inside_a_folder_the_site_serves_is_refused(tmp_path, settings, setting):
    served = tmp_path / "served"
    (served / "backups").mkdir(parents=True)
    setattr(settings, setting, served)
    with pytest.raises(backups.BackupError, match="备份不能放在"):
        backups.check_target(served / "backups" / "lvxie-backup.tar.gz")


def test_an_archive_beside_the_site_s_folders_is_accepted(tmp_path, settings):
    settings.MEDIA_ROOT, settings.STATIC_ROOT = tmp_path / "media", tmp_path / "static"
    backups.check_target(tmp_path / "lvxie-backup.tar.gz")


def test_the_private_storage_is_archived_beside_the_public_media(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    assert backups.storage_roots() == {"media": tmp_path / "media", "private": tmp_path / "private"}


def test_without_a_private_storage_only_the_media_are_archived(tmp_path, settings):
    settings.STORAGES = {key: value for key, value in settings.STORAGES.items() if key != "private"}
    assert set(backups.storage_roots()) == {"media"}


def test_file_checks_catch_a_changed_missing_or_unlisted_file(tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.txt").write_bytes(b"hello")
    (tmp_path / "media" / "b.txt").write_bytes(b"world")
    (tmp_path / "media" / "extra.txt").write_bytes(b"?")
    expected = {
        "media/a.txt": backups.file_checksum(tmp_path / "media" / "a.txt"),
        "media/b.txt": {"sha256": hashlib.sha256(b"World").hexdigest(), "size": 5},
        "media/gone.txt": {"sha256": "", "size": 1},
    }
    assert backups.check_files(expected, tmp_path) == [
        "SHA-256 不符：media/b.txt",
        "缺少文件：media/gone.txt",
        "清单里没有的文件：media/extra.txt",
    ]
    assert backups.check_files(expected, tmp_path, allow_extra=True) == [
        "SHA-256 不符：media/b.txt",
        "缺少文件：media/gone.txt",
    ]


def test_the_postgresql_password_travels_in_the_environment_only():
    database = {
        "NAME": "lvxie",
        "HOST": "db.internal",
        "PORT": 5433,
        "USER": "lvxie",
        "PASSWORD": "s3cret",
        "OPTIONS": {"sslmode": "require"},
    }
    env = backups.pg_environment(database, base={"PATH": "/usr/bin"})
    assert env == {
        "PATH": "/usr/bin",
        "PGHOST": "db.internal",
        "PGPORT": "5433",
        "PGUSER": "lvxie",
        "PGPASSWORD": "s3cret",
        "PGDATABASE": "lvxie",
        "PGSSLMODE": "require",
        "PGAPPNAME": "lvxie-backup",
    }


@pytest.mark.parametrize("name", ["covers/a.jpg", "a b/c.pdf"])
def test_media_paths_inside_the_media_root_are_safe(name):
    assert backups.is_safe_relative_path(name)


@pytest.mark.parametrize("name", ["", "/etc/passwd", "../x", "covers/../../x", "a\\..\\b"])
def test_media_paths_that_leave_the_media_root_are_refused(name):
    assert not backups.is_safe_relative_path(name)


# --- SQLite: the whole round trip through manage.py -----------------------------------------


@dataclass
class Backup:
    source: Site
    archive: Path
    fingerprint: dict


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory, migrated_sqlite):
    source = sqlite_site(tmp_path_factory.mktemp("source"))
    load_site(source, articles=40, migrated=migrated_sqlite)
    archive = back_up(source, tmp_path_factory.mktemp("archives"))
    return Backup(source=source, archive=archive, fingerprint=fingerprint(source))


def test_the_archive_is_private_and_its_manifest_describes_the_site(sqlite_backup):
    assert sqlite_backup.archive.stat().st_mode & 0o777 == 0o600
    manifest = read_manifest(sqlite_backup.archive)
    expected = sqlite_backup.fingerprint

    assert manifest["database"]["vendor"] == "sqlite"
    assert manifest["row_counts"] == expected["tables"]
    assert manifest["row_counts"]["news_article"] == 40
    assert manifest["row_counts"]["news_article_events"] > 0  # automatic M2M tables count too
    assert manifest["checks"]["article_body_sha256"] == expected["bodies"]
    assert sorted(
        [app, name] for app, names in manifest["migrations"].items() for name in names
    ) == sorted(expected["migrations"])
    media = manifest["files"]["media"]["files"]
    assert set(media) == set(media_files(sqlite_backup.source.media))
    assert any(name.startswith("covers/") for name in media)
    assert any(name.startswith("attachments/") for name in media)


def test_sqlite_round_trip_restores_every_row_body_and_file(sqlite_backup, tmp_path):
    restored = sqlite_site(tmp_path)

    result = manage(restored, "restore", str(sqlite_backup.archive))

    assert "恢复完成，核对全部通过" in result.stdout
    assert "✗" not in result.stdout
    assert fingerprint(restored) == sqlite_backup.fingerprint
    assert media_files(restored.media) == media_files(sqlite_backup.source.media)
    assert media_files(restored.private) == media_files(sqlite_backup.source.private)
    assert "party/minutes.pdf" in media_files(restored.private)


@pytest.mark.parametrize("part", ["media", "database"])
def test_a_changed_byte_is_refused_before_the_database_is_touched(sqlite_backup, tmp_path, part):
    manifest = read_manifest(sqlite_backup.archive)
    member = (
        manifest["database"]["file"]
        if part == "database"
        else f"media/{sorted(manifest['files']['media']['files'])[0]}"
    )
    archive = tampered(sqlite_backup.archive, tmp_path / "tampered.tar.gz", member)
    target = sqlite_site(tmp_path / "target")

    result = manage(target, "restore", str(archive), check=False)

    assert result.returncode != 0
    assert "备份文件校验失败，数据库和媒体目录都没有改动" in result.stderr
    assert f"SHA-256 不符：{member}" in result.stderr
    assert not has_tables(target.database)
    assert not target.media.exists()


def test_a_damaged_archive_is_refused(sqlite_backup, tmp_path):
    data = bytearray(sqlite_backup.archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive = tmp_path / "damaged.tar.gz"
    archive.write_bytes(data)
    target = sqlite_site(tmp_path / "target")

    result = manage(target, "restore", str(archive), check=False)

    assert result.returncode != 0
    assert "备份文件已损坏" in result.stderr
    assert not has_tables(target.database)


@pytest.mark.parametrize("force", [False, True])
def test_restoring_over_a_database_with_data_is_refused_even_with_force(sqlite_backup, force):
    arguments = ["restore", str(sqlite_backup.archive)] + (["--force"] if force else [])

    result = manage(sqlite_backup.source, *arguments, check=False)

    assert result.returncode != 0
    assert "目标数据库不是空的" in result.stderr
    assert "--force 也不例外" in result.stderr
    assert "DATABASE_URL=sqlite:///" in result.stderr  # says how to get an empty one
    assert fingerprint(sqlite_backup.source) == sqlite_backup.fingerprint


def test_media_files_already_in_place_need_force_and_are_kept(sqlite_backup, tmp_path):
    target = sqlite_site(tmp_path)
    target.media.mkdir()
    (target.media / "keep.txt").write_text("已有的文件")

    refused = manage(target, "restore", str(sqlite_backup.archive), check=False)
    assert refused.returncode != 0
    assert "--force" in refused.stderr
    assert not has_tables(target.database)

    manage(target, "restore", "--force", str(sqlite_backup.archive))
    assert (target.media / "keep.txt").read_text() == "已有的文件"
    assert media_files(target.media) == {
        **media_files(sqlite_backup.source.media),
        "keep.txt": hashlib.sha256("已有的文件".encode()).hexdigest(),
    }


# --- PostgreSQL -----------------------------------------------------------------------------


def postgresql_missing() -> str | None:
    """Why the PostgreSQL round trip cannot run here, or None when it can."""
    for tool in ("createdb", "dropdb", "pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    import psycopg2

    try:
        psycopg2.connect(dbname="postgres", connect_timeout=3, **PG).close()
    except psycopg2.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0]
        return f"no PostgreSQL server answers at {PG['host']}:{PG['port']} ({first_line})"
    return None


def pg(tool: str, *args: str) -> None:
    subprocess.run(  # noqa: S603 (a fixed PostgreSQL client and our own database names)
        [tool, "-h", PG["host"], "-p", PG["port"], "-U", PG["user"], *args],
        check=True,
        capture_output=True,
    )


def test_postgresql_round_trip_compares_every_row_count_and_article_body(tmp_path):
    # It makes its own two databases; it runs in the suite's PostgreSQL pass (.ci/run), where
    # the site's database is PostgreSQL too, and leaves the SQLite pass its SQLite round trip.
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("runs in the PostgreSQL pass of the suite (DATABASE_URL=postgres://…)")
    reason = postgresql_missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the PostgreSQL round trip: {reason}")
        pytest.skip(reason)
    names = [f"lvxie_backup_test_{role}_{uuid.uuid4().hex[:8]}" for role in ("source", "target")]
    url = "postgres://{user}@{host}:{port}/{{}}".format(**PG)
    source = site(url.format(names[0]), tmp_path / "source-media")
    restored = site(url.format(names[1]), tmp_path / "restored-media")
    timings = {}
    started = time.monotonic()
    try:
        for name in names:
            pg("createdb", "-E", "UTF8", "-T", "template0", name)
        load_site(source, articles=300)
        timings["migrate and load"] = time.monotonic() - started
        expected = fingerprint(source)

        started = time.monotonic()
        archive = back_up(source, tmp_path / "archives")
        timings["backup"] = time.monotonic() - started

        started = time.monotonic()
        result = manage(restored, "restore", str(archive))
        timings["restore"] = time.monotonic() - started

        assert "恢复完成，核对全部通过" in result.stdout
        assert expected["tables"]["news_article"] == 300
        assert fingerprint(restored) == expected
        assert media_files(restored.media) == media_files(source.media)
        assert media_files(restored.private) == media_files(source.private)

        again = manage(restored, "restore", "--force", str(archive), check=False)
        assert again.returncode != 0
        assert "目标数据库不是空的" in again.stderr
        assert "createdb" in again.stderr
    finally:
        for name in names:
            pg("dropdb", "--if-exists", "--force", name)
    print("PostgreSQL round trip: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
