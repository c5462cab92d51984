"""The SQLite test database as the migrations leave it, kept between runs of the suite.

Migrating the in-memory test database takes each worker about ten seconds of CPU (more on a
slow machine), the same work every run. The first worker to need it migrates as usual and
keeps a copy in var/test-databases/; the other workers, and every later run, copy it into
their own in-memory database with SQLite's backup API instead of migrating.

The copy is named by a fingerprint of everything that decides what the migrations write: the
project's own Python files (the migrations, and the code they import: seeds, permissions,
fields), the installed distributions and the Python and SQLite versions. Change any of them
and the next run migrates again. Nothing but `migrate` is replaced: the test database is still
created, its cache table made and its connection set up by Django.
"""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import os
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIRECTORY = ROOT / "var" / "test-databases"
# What the project's migrations may import (demo is an installed app too); tests/ and bench/
# write nothing there.
SOURCES = ("config", "core", "demo", "members", "news", "party_building")


def fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (sys.version, sqlite3.sqlite_version):
        digest.update(part.encode())
    distributions = sorted(
        f"{dist.metadata['Name']}=={dist.version}" for dist in importlib.metadata.distributions()
    )
    digest.update("\n".join(distributions).encode())
    for package in SOURCES:
        for path in sorted((ROOT / package).rglob("*.py")):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def cached_path() -> Path:
    return DIRECTORY / f"migrated-{fingerprint()}.sqlite3"


def _in_memory_sqlite(connection) -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _forget_older_copies(path: Path) -> None:
    for old in DIRECTORY.glob("migrated-*.sqlite3"):  # earlier fingerprints' copies
        if old != path:
            old.unlink(missing_ok=True)


def _keep(connection, path: Path) -> None:
    """Write the migrated database to path, whole or not at all."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    copy = sqlite3.connect(partial)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    partial.replace(path)
    _forget_older_copies(path)


@contextlib.contextmanager
def _only_one_process():
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    with open(DIRECTORY / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def migrated_file(migrate) -> Path:
    """The kept copy, made first by `migrate(path)` (a new SQLite file) if there is none.

    For the tests that run the site in processes of their own: on PostgreSQL the suite's
    own database is no SQLite file to copy, and the SQLite pass has usually kept one.
    """
    with _only_one_process():
        path = cached_path()
        if not path.exists():
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            partial.unlink(missing_ok=True)
            migrate(partial)
            partial.replace(path)
            _forget_older_copies(path)
        return path


def _load(connection, path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


@contextlib.contextmanager
def migrations_from_cache(connections):
    """While the test databases are made: `migrate` on SQLite in memory comes from the copy."""
    from django.core import management

    original = management.call_command

    def call_command(name, *args, **options):
        connection = connections[options.get("database", "default")]
        if name != "migrate" or not _in_memory_sqlite(connection):
            return original(name, *args, **options)
        # One process migrates; the others wait for its copy rather than migrate too.
        with _only_one_process():
            path = cached_path()
            connection.ensure_connection()
            if path.exists():
                _load(connection, path)
                return None
            result = original(name, *args, **options)
            _keep(connection, path)
            return result

    management.call_command = call_command
    try:
        yield
    finally:
        management.call_command = original
