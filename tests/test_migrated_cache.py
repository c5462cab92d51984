"""The migrated test database kept between runs: made once, loaded after, remade on a change."""

import sqlite3

import pytest
from django.core import management

from tests import migrated_cache


class InMemoryConnection:
    """What the cache asks of a Django connection, over a private SQLite database in memory."""

    vendor = "sqlite"

    def __init__(self):
        self.connection = sqlite3.connect(":memory:")

    def is_in_memory_db(self):
        return True

    def ensure_connection(self):
        pass


@pytest.fixture
def project(tmp_path, monkeypatch):
    for package in migrated_cache.SOURCES:
        (tmp_path / package / "migrations").mkdir(parents=True)
    (tmp_path / "news" / "migrations" / "0001_initial.py").write_text("operations = []\n")
    (tmp_path / "party_building" / "compliance.py").write_text("DEFAULT_REQUIREMENTS = []\n")
    monkeypatch.setattr(migrated_cache, "ROOT", tmp_path)
    monkeypatch.setattr(migrated_cache, "DIRECTORY", tmp_path / "var" / "test-databases")
    return tmp_path


@pytest.fixture
def migrations(monkeypatch):
    """A stand-in for `migrate`: it writes one seeded row, and counts its calls."""
    calls = []

    def call_command(name, *args, **options):
        calls.append(name)
        if name == "migrate":
            database = options["connections"][options.get("database", "default")].connection
            database.execute("create table if not exists seeded (name text)")
            database.execute("insert into seeded values ('市律协')")
            database.commit()

    monkeypatch.setattr(management, "call_command", call_command)
    return calls


def migrate(connections):
    with migrated_cache.migrations_from_cache(connections):
        management.call_command("migrate", connections=connections)


def test_the_first_run_migrates_and_the_next_loads_what_it_kept(project, migrations):
    first = {"default": InMemoryConnection()}
    migrate(first)
    assert migrations == ["migrate"]
    second = {"default": InMemoryConnection()}
    migrate(second)
    assert migrations == ["migrate"]  # not migrated again
    rows = second["default"].connection.execute("select name from seeded").fetchall()
    assert rows == [("市律协",)]
    assert [path.name for path in migrated_cache.DIRECTORY.glob("migrated-*")] == [
        migrated_cache.cached_path().name
    ]


@pytest.mark.parametrize(
    "changed", ["news/migrations/0001_initial.py", "party_building/compliance.py"]
)
def test_a_changed_migration_or_module_it_may_import_migrates_again(project, migrations, changed):
    migrate({"default": InMemoryConnection()})
    kept = migrated_cache.cached_path()
    (project / changed).write_text((project / changed).read_text() + "# changed\n")
    assert migrated_cache.cached_path() != kept
    migrate({"default": InMemoryConnection()})
    assert migrations == ["migrate", "migrate"]
    assert not kept.exists()  # the stale copy is gone


def test_other_commands_and_databases_on_disk_are_left_to_django(project, migrations, tmp_path):
    on_disk = InMemoryConnection()
    on_disk.is_in_memory_db = lambda: False
    migrate({"default": on_disk})
    migrate({"default": on_disk})
    with migrated_cache.migrations_from_cache({"default": InMemoryConnection()}):
        management.call_command("createcachetable")
    assert migrations == ["migrate", "migrate", "createcachetable"]
    assert not list(migrated_cache.DIRECTORY.glob("migrated-*"))


def test_a_file_for_processes_of_their_own_is_made_once_and_shared(project, migrations):
    made = []

    def migrate_file(path):
        made.append(path)
        sqlite3.connect(path).close()

    first = migrated_cache.migrated_file(migrate_file)
    assert migrated_cache.migrated_file(migrate_file) == first == migrated_cache.cached_path()
    assert len(made) == 1 and first.exists()
    # What the test database's migrations kept serves these processes too, and the other way.
    migrate({"default": InMemoryConnection()})
    assert migrations == []
