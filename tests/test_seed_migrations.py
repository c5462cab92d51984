"""The rows the data migrations seed are there for every test, in any order.

A transactional test empties every table when it ends; tests/conftest.py seeds them again from
the migrations it names. A migration renamed or added without updating that list must fail
here, not leave later tests without their groups and columns.
"""

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db.migrations import RunPython

from news.models import Column
from party_building.models import Requirement
from tests import conftest

PROJECT_APPS = ["core", "members", "news", "party_building"]


def data_migrations():
    """Every migration module of the project's apps that runs Python code."""
    found = set()
    for label in PROJECT_APPS:
        package = f"{apps.get_app_config(label).name}.migrations"
        try:
            migrations = importlib.import_module(package)
        except ModuleNotFoundError:
            continue
        for module in pkgutil.iter_modules(migrations.__path__):
            name = f"{package}.{module.name}"
            operations = getattr(importlib.import_module(name), "Migration", None)
            if operations and any(isinstance(op, RunPython) for op in operations.operations):
                found.add(name)
    return found


def test_every_data_migration_is_either_a_seed_or_named_as_writing_no_rows():
    listed = {module for module, _ in conftest.SEED_MIGRATIONS}
    assert data_migrations() == listed | set(conftest.NOT_SEED_MIGRATIONS)


def test_a_renamed_seed_migration_is_an_error_not_skipped(monkeypatch):
    monkeypatch.setattr(
        conftest, "SEED_MIGRATIONS", [("news.migrations.0002_renamed_since", "seed")]
    )
    with pytest.raises(LookupError, match="0002_renamed_since"):
        conftest.seed_functions()


def test_a_seed_function_that_is_gone_is_an_error(monkeypatch):
    monkeypatch.setattr(
        conftest,
        "SEED_MIGRATIONS",
        [("news.migrations.0002_seed_columns_sources_groups", "seed_renamed")],
    )
    with pytest.raises(LookupError, match="seed_renamed"):
        conftest.seed_functions()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_starts_with_the_seeded_rows():
    assert Group.objects.filter(name__in=["编辑", "审核"]).count() == 2
    assert Column.objects.exists() and Requirement.objects.exists()
    Column.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_finds_the_rows_again_after_another_emptied_them():
    assert Column.objects.exists()
    Group.objects.all().delete()
