"""/healthz: can this process serve the site? Asked by nginx, load balancers and monitoring.

It answers anyone, without a login, and says only "ok" or which of two things is wrong: no
exception text, versions or host names for an attacker to read.
"""

import logging

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Migrations are not unapplied while the site runs, so the first "all applied" is remembered
# for the life of the process. The database itself is asked on every request.
_migrations_applied = False


def unapplied_migrations() -> list:
    """The migrations of the code that the database has not applied yet."""
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def _unhealthy(reason: str) -> JsonResponse:
    return JsonResponse({"status": "error", "reason": reason}, status=503)


@require_safe
@never_cache
def healthz(request):
    global _migrations_applied
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        if not _migrations_applied:
            _migrations_applied = not unapplied_migrations()
    except DatabaseError:
        logger.warning("Health check: the database does not answer.", exc_info=True)
        return _unhealthy("database")
    if not _migrations_applied:
        return _unhealthy("migrations")
    return JsonResponse({"status": "ok"})
