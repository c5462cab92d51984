from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from core import health

pytestmark = pytest.mark.django_db

URL = "/healthz"


@pytest.fixture(autouse=True)
def _migrations_not_yet_checked(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def database_down():
    error = OperationalError('connection to server at "10.0.0.5", port 5432 failed: secret')
    return mock.patch.object(connections["default"], "cursor", side_effect=error)


def migration_pending():
    return mock.patch.object(
        MigrationExecutor, "migration_plan", return_value=[(mock.Mock(), False)]
    )


def test_the_address_is_healthz():
    assert reverse("core:healthz") == URL


def test_ok_when_the_database_answers_and_every_migration_is_applied(client):
    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}


def test_answers_anonymous_head_requests_too(client):
    assert client.head(URL).status_code == 200


def test_is_never_cached(client):
    assert "no-store" in client.get(URL)["Cache-Control"]


def test_says_database_without_the_error_text_when_the_database_fails(client):
    with database_down():
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "reason": "database"}
    assert b"10.0.0.5" not in response.content
    assert b"secret" not in response.content
    assert "no-store" in response["Cache-Control"]


def test_says_migrations_when_a_migration_is_unapplied(client):
    with migration_pending():
        response = client.get(URL)

    assert response.status_code == 503
    assert response.json() == {"status": "error", "reason": "migrations"}


def test_remembers_applied_migrations_but_asks_the_database_every_time(client):
    assert client.get(URL).status_code == 200

    with migration_pending() as plan:
        assert client.get(URL).status_code == 200
    plan.assert_not_called()

    with database_down():
        assert client.get(URL).json() == {"status": "error", "reason": "database"}
