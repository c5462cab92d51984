"""Error pages in Chinese, in the frame the reader was in: the site's for readers, the
admin's for staff at work in the admin (400, 403, 404, 500).

Which frame is a matter of presentation only: the view that raised decided the status.
"""

from django.contrib import admin
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RESPONSES = {
    400: HttpResponseBadRequest,
    403: HttpResponseForbidden,
    404: HttpResponseNotFound,
    500: HttpResponseServerError,
}


def _in_admin(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or admin.site.name not in match.namespaces:
        return False
    try:
        user = request.user
        return user.is_active and user.is_staff
    except Exception:  # the database may be why we are here
        return False


def _render(request, status, *, with_context=True):
    if _in_admin(request):
        name = f"admin/errors/{status}.html"
        context = admin.site.each_context(request) if with_context else {}
    else:
        name = f"{status}.html"
        context = {}
    body = loader.get_template(name).render(context, request if with_context else None)
    return RESPONSES[status](body)


@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _render(request, 403)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, 404)


@requires_csrf_token
def server_error(request):
    # Nothing that may need the database: the page itself must not fail.
    return _render(request, 500, with_context=False)


def csrf_failure(request, reason=""):
    """A form sent without its token (an expired page, usually): the same Chinese 403 page."""
    return _render(request, 403)
