"""The admin site, which refuses staff who must use a second factor until they have typed it.

The check is the site's own ``has_permission``, which Django asks on every admin view (the
model pages, history, autocomplete, the apps' extra views), whatever the address of the
request looked like. Staff who are signed in with only a password are sent to verification
(or to enrolment) instead of the login page; they may still sign out.
"""

from functools import wraps

from django.contrib import admin
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core import counters
from core.autocomplete import FormChoicesAutocompleteJsonView
from core.twofactor import must_verify, second_factor_redirect

# The admin's translations for its scripts change only with a release; the browser keeps them
# this long, and each process builds them once per language.
CATALOG_SECONDS = 24 * 60 * 60
_catalogs: dict[str, tuple[bytes, str]] = {}  # language: (script, content type)

# The apps and models an admin page lists (its side menu, the index) follow from the user's
# permissions, and for a few models from their rows: kept per user until one changes.
APP_LIST_GENERATION_KEY = "admin:app-list:generation"
APP_LIST_SECONDS = 300  # at most, should a change send no signal (bulk writes)


def app_list_depends_on(*models) -> None:
    """Declare models whose rows decide what a ModelAdmin allows (its ``has_add_permission``
    …): a change to them shows at once in every user's list of apps and models. Users,
    groups and their permissions are declared here."""
    counters.move_on_changes(APP_LIST_GENERATION_KEY, models)


class SecureAdminSite(admin.AdminSite):
    def _signed_in_staff(self, request) -> bool:
        return super().has_permission(request)

    def _waits_for_second_factor(self, request) -> bool:
        return self._signed_in_staff(request) and must_verify(request.user)

    def has_permission(self, request):
        return self._signed_in_staff(request) and not must_verify(request.user)

    def admin_view(self, view, cacheable=False):
        checked = super().admin_view(view, cacheable)
        # Signing out needs no second factor.
        let_through = csrf_protect(never_cache(view)) if view == self.logout else None

        @wraps(view)
        def admin_view_with_second_factor(request, *args, **kwargs):
            if self._waits_for_second_factor(request):
                if let_through is not None:
                    return let_through(request, *args, **kwargs)
                return never_cache(second_factor_redirect)(request)
            return checked(request, *args, **kwargs)

        # Django's admin_view leaves a view that says it is cacheable (the script catalog) to
        # set its own caching; every other one is never cached, the redirect above included.
        return (
            admin_view_with_second_factor
            if cacheable
            else never_cache(admin_view_with_second_factor)
        )

    def i18n_javascript(self, request, extra_context=None):
        """The admin's script translations, built once per language and process and kept by
        the browser for a day (private: only signed-in staff reach it)."""
        language = get_language()
        script = _catalogs.get(language)
        if script is None:
            response = super().i18n_javascript(request, extra_context)
            script = _catalogs[language] = (response.content, response["Content-Type"])
        response = HttpResponse(script[0], content_type=script[1])
        patch_cache_control(response, private=True, max_age=CATALOG_SECONDS)
        return response

    def get_app_list(self, request, app_label=None):
        key = ":".join(
            (
                "admin:app-list",
                str(request.user.pk),
                get_language() or "",
                app_label or "",
                str(counters.read(APP_LIST_GENERATION_KEY)),
            )
        )
        app_list = cache.get(key)
        if app_list is None:
            app_list = super().get_app_list(request, app_label)
            # The names are lazy translations; the key holds the language.
            for app in app_list:
                app["name"] = str(app["name"])
                for model in app["models"]:
                    model["name"] = str(model["name"])
            cache.set(key, app_list, APP_LIST_SECONDS)
        return app_list

    def autocomplete_view(self, request):
        # A form's own model admin may say what its autocomplete fields offer (core.autocomplete).
        return FormChoicesAutocompleteJsonView.as_view(admin_site=self)(request)

    def login(self, request, extra_context=None):
        if request.method == "GET" and self._waits_for_second_factor(request):
            return second_factor_redirect(request, next_url=request.GET.get("next", ""))
        return super().login(request, extra_context)
