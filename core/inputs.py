"""Input no page can use: refused at the door with a 400, never a 500 further in.

PostgreSQL cannot store or compare a string holding a NUL character; a query parameter that
carries one (an admin autocomplete ``term=%00``, any search box) would fail inside the database.
Form fields already refuse it (Django's ProhibitNullCharactersValidator); this covers the
parameters that no form reads.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


def has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in item for item in items) for key, items in values)


class RejectNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request.GET.lists()):
            return HttpResponseBadRequest(
                _("The request contains an invalid character (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
