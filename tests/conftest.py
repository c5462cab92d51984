import importlib
import itertools
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.contrib.staticfiles import handlers as staticfiles_handlers
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.test import testcases
from pytest_django.plugin import blocking_manager_key

from tests import migrated_cache
from tests.factories import UserFactory


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the test's connection.

    With SQLite in memory the live server's threads all use the test's one connection; two
    requests at once (a page and its beacon, a page and the next click) would interleave
    their savepoints on it. A browser still keeps its connections open; only the
    application is entered by one thread at a time.
    """

    lock = threading.Lock()

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)

        def one_at_a_time(environ, start_response):
            with self.lock:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


ROOT = Path(__file__).resolve().parents[1]

testcases.LiveServerThread.server_class = OneRequestAtATimeServer


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # The hashed-name storage needs collectstatic first; tests serve files as they are.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class StaticFilesKeptByTheBrowser(staticfiles_handlers.StaticFilesHandler):
    """The live server's static files, with a lifetime: a browser context loads each once.

    Without one, chromium keeps a file for a tenth of its age since it was last modified: in
    a fresh checkout, a few seconds, and every page after that asked again for every
    stylesheet and script it uses (a 304 each, through the live server's one-at-a-time lock).
    """

    def serve(self, request):
        response = super().serve(request)
        response["Cache-Control"] = "max-age=86400"
        return response


# pytest-django's live server takes the handler from this module when it starts.
staticfiles_handlers.StaticFilesHandler = StaticFilesKeptByTheBrowser


@pytest.fixture(scope="session")
def _media_roots(tmp_path_factory):
    """A new folder name for each test's uploads, made when a file is first stored there.

    (The `tmp_path` of each test cost a few milliseconds, growing with the tests run.)
    """
    base = tmp_path_factory.mktemp("media")
    return (base / str(n) for n in itertools.count())


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, _media_roots):
    root = next(_media_roots)
    settings.MEDIA_ROOT = root / "media"
    settings.PRIVATE_MEDIA_ROOT = root / "private"
    private = {"location": settings.PRIVATE_MEDIA_ROOT, "base_url": settings.PRIVATE_MEDIA_URL}
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": private},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached pages and lookup counts must not leak from one test into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _lookup_counts_in_one_window(monkeypatch):
    # django-ratelimit's windows are fixed, each client's ending at its own second: a test
    # whose two requests straddle that second would see its count start again. Its clock
    # stands still during a test, so every request of the test falls in one window.
    from django_ratelimit import core as ratelimit

    now = int(time.time())
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture(autouse=True)
def _page_cache_only_where_asked(request, settings):
    # config/settings_test.py turns the whole-page cache off; a test marked `page_cache` gets
    # it with the site's own lifetime.
    if request.node.get_closest_marker("page_cache"):
        settings.PAGE_CACHE_SECONDS = settings.PAGE_CACHE_SECONDS_IN_PRODUCTION
        settings.PAGE_CACHE_TAGS = True


@pytest.fixture(autouse=True)
def _second_factor_off(settings):
    # Tests of other things sign staff in with force_login; tests/core/test_twofactor.py
    # turns the requirement back on and proves it.
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def editor(db):
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="编辑"))
    return user


@pytest.fixture
def reviewer(db):
    user = UserFactory(username="reviewer", is_staff=True)
    user.groups.add(Group.objects.get(name="审核"))
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


# The data migrations that seed columns, sources, groups and requirements, as (module,
# function). A transactional test (a browser test) empties every table when it ends; they are
# run again right after, so that no test depends on running before or after one.
# tests/test_seed_migrations.py proves this list names every data migration that seeds.
SEED_MIGRATIONS = [
    ("news.migrations.0002_seed_columns_sources_groups", "seed"),
    ("news.migrations.0004_editors_record_events_and_speeches", "grant"),
    ("party_building.migrations.0002_seed_requirements_and_groups", "seed"),
    ("party_building.migrations.0008_seed_dues_bands_and_permissions", "seed"),
    ("party_building.migrations.0010_seed_appraisal_policy_and_permissions", "seed"),
    ("party_building.migrations.0013_seed_development_rules_and_permissions", "seed"),
    ("party_building.migrations.0015_seed_transfer_rule_and_permissions", "seed"),
    ("party_building.migrations.0017_seed_election_permissions", "seed"),
]
# Data migrations that seed no rows: indexes and statistics (they survive a flush), files
# moved between storages and leads filled in (an empty database has none).
NOT_SEED_MIGRATIONS = [
    "news.migrations.0006_search_indexes",
    "news.migrations.0011_fill_article_leads",
    "news.migrations.0012_search_newest_index",
    "news.migrations.0014_article_search_statistics",
    "news.migrations.0016_list_order_indexes",
    "news.migrations.0017_search_entry_narrow_rows",
    "party_building.migrations.0004_party_files_in_private_storage",
]
# Fixtures after which pytest-django empties every table.
FLUSHING_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def seed_functions():
    """The seed functions; a renamed or removed migration is an error, never skipped."""
    functions = []
    for module, function in SEED_MIGRATIONS:
        try:
            functions.append(getattr(importlib.import_module(module), function))
        except (ImportError, AttributeError) as error:
            raise LookupError(
                f"tests/conftest.py SEED_MIGRATIONS names {module}.{function}, which does not "
                f"exist: update the list ({error})"
            ) from error
    return functions


def seed_database():
    for seed in seed_functions():
        seed(apps, None)


def flushes_the_database(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences")
        or (marker.args and marker.args[0])
    ):
        return True
    return bool(FLUSHING_FIXTURES & set(getattr(item, "fixturenames", ())))


# Whether this process has its test databases now: before they are made, and after they are
# destroyed (the last test's teardown), seeding would write to the database the settings
# name, not to a test database.
TEST_DATABASES = {"ready": False}


# A copy of the SQLite test database taken right after its migrations: what `manage.py migrate`
# leaves in a new SQLite file, for the tests that run the site in processes of their own
# (the `migrated_sqlite` fixture), without migrating again in each of them.
MIGRATED_SQLITE: dict[str, Path | None] = {"path": None}


class MigratedDatabaseFromCache:
    """pytest-django's fixture makes the test databases: on SQLite in memory, from the copy
    the last run kept when nothing the migrations depend on has changed
    (tests/migrated_cache.py). A plugin, not a conftest hook: the fixture is session-scoped,
    and only plugins' hooks see the session's fixtures set up."""

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if fixturedef.argname != "django_db_setup" or fixturedef.baseid:
            return (yield)
        with migrated_cache.migrations_from_cache(connections):
            return (yield)


def pytest_configure(config):
    config.pluginmanager.register(MigratedDatabaseFromCache(), "migrated-database-from-cache")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    TEST_DATABASES["ready"] = True
    # Only a test database made here (in memory); none is made when no test collected needs one.
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        path = tmp_path_factory.mktemp("migrated") / "db.sqlite3"
        with django_db_blocker.unblock():
            connection.ensure_connection()
            copy = sqlite3.connect(path)
            connection.connection.backup(copy)
            copy.close()
        MIGRATED_SQLITE["path"] = path
    yield
    TEST_DATABASES["ready"] = False


@pytest.fixture(scope="session")
def migrated_sqlite(request, tmp_path_factory) -> Path:
    """A SQLite database file as `manage.py migrate` leaves it: copy it, do not change it.

    When the suite runs on SQLite, the test database copied right after its migrations;
    on PostgreSQL, the copy an earlier SQLite pass kept, or a file migrated once by
    `manage.py migrate` in a process of its own (and kept).
    """
    if "sqlite" in django_settings.DATABASES["default"]["ENGINE"]:
        request.getfixturevalue("django_db_setup")
    if MIGRATED_SQLITE["path"] is None:

        def migrate(path):
            env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
            subprocess.run(  # noqa: S603 (our own interpreter and manage.py, no shell)
                [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
                env={**env, "DATABASE_URL": f"sqlite:///{path}"},
                cwd=ROOT,
                check=True,
            )

        # The copy the SQLite pass kept (tests/migrated_cache.py), else migrated now.
        MIGRATED_SQLITE["path"] = migrated_cache.migrated_file(migrate)
    return MIGRATED_SQLITE["path"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # After pytest-django has emptied the tables (the last step of the teardown), seed them
    # again: the next test finds the database as the migrations left it, whatever its order.
    result = yield
    if TEST_DATABASES["ready"] and flushes_the_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            seed_database()
    return result


@pytest.fixture
def reseed(transactional_db):
    """A transactional test that needs the seeded rows (they are there; this says so).

    Nothing to write: the migrations seeded them, a test that is not transactional never
    commits, and after every transactional test the teardown above seeds them again
    (tests/test_seed_migrations.py proves it). Seeding here too cost 0.6 s a test.
    """


@pytest.fixture
def java():
    """Java for the Nu HTML Checker: required in CI, skipped where it cannot be installed."""
    from tests.validators import java_path

    path = java_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("java is required in CI: apt-get install default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    return path


# --- The headless browser, for tests that look at pages as a person does -------------

CHROMIUM = Path("/usr/bin/chromium")
# Flags for a headless chromium on a machine with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is required in CI: apt-get install chromium fonts-noto-cjk")
        pytest.skip("chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the
    # tests themselves are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_page(browser):
    contexts = []

    def open_page():
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
