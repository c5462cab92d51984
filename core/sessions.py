"""Staff sessions end after a while without a request, and after a fixed time in all."""

import time

from django.conf import settings
from django.contrib.auth import logout

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
# The last request is recorded at most this often: the session is written once a minute of
# work, not on every page, and an idle session ends at most this much early, never late.
SEEN_RESOLUTION_SECONDS = 60


class StaffSessionTimeoutMiddleware:
    """Logs staff out after SESSION_IDLE_SECONDS idle or SESSION_COOKIE_AGE since login.

    Logging out flushes the session on the server, so the old cookie is worth nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = time.time()
            login_at = request.session.setdefault(LOGIN_AT, now)
            seen_at = request.session.get(SEEN_AT, now)
            idle = now - seen_at > settings.SESSION_IDLE_SECONDS
            expired = now - login_at > settings.SESSION_COOKIE_AGE
            if idle or expired:
                logout(request)
            elif SEEN_AT not in request.session or now - seen_at >= SEEN_RESOLUTION_SECONDS:
                request.session[SEEN_AT] = now
        return self.get_response(request)
