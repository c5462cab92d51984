"""The audit trail: one JSON line per security-relevant event, with UTC time, user and address.

Logged: logins, failed logins, lockouts, permission denials, publishing, withdrawing,
deleting, imports and exports. Never passwords, tokens or session keys.
"""

import logging

from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.shortcuts import render

from core.clientaddr import client_address

logger = logging.getLogger("lvxie.audit")

# Keys that must never reach the log, whatever a caller passes.
SECRET_KEYS = {"password", "password1", "password2", "token", "otp_token", "secret", "key"}


def client_ip(request) -> str | None:
    # The one rule for the client's address (behind nginx: what nginx saw, never a header
    # the client wrote).
    return client_address(request) or None


def record(event: str, request=None, *, user=None, **details) -> None:
    """Write one audit line; `details` are the event's own facts (ids, counts, names)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    username = user.get_username() if user is not None and user.is_authenticated else None
    safe = {key: value for key, value in details.items() if key.lower() not in SECRET_KEYS}
    logger.info(event, extra={"audit": {"user": username, "ip": client_ip(request), **safe}})


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("login", request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("logout", request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    record("login_failed", request, attempted_username=credentials.get("username"))


@receiver(post_save, sender=LogEntry)
def _admin_deletion(sender, instance, created, **kwargs):
    if created and instance.action_flag == DELETION:
        logger.info(
            "delete",
            extra={
                "audit": {
                    "user": instance.user.get_username(),
                    "ip": None,
                    "model": instance.content_type.model if instance.content_type else None,
                    "object_id": instance.object_id,
                    "object": instance.object_repr,
                }
            },
        )


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out person sees (django-axes calls this), and the audit line for it."""
    username = (credentials or {}).get("username")
    record("lockout", request, attempted_username=username)
    return render(request, "lockout.html", {"username": username}, status=429)


class AuditDenialsMiddleware:
    """Records every 403 answered to a signed-in user or to a request for the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            record("permission_denied", request, path=request.path, method=request.method)
        return response
