from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView, TemplateView

from core.pagecache import cache_public_page
from news.sitemaps import SITEMAPS, sitemap_index


class FaviconView(RedirectView):
    def get_redirect_url(self, *args, **kwargs):
        return static_url("favicon.ico")  # asked per request: the manifest exists by then


urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "robots.txt",
        cache_public_page(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain")
        ),
        name="robots",
    ),
    # Browsers ask for /favicon.ico whatever the page links; the file lives with the static
    # ones. They keep the answer for a day instead of asking again after every page.
    path(
        "favicon.ico",
        require_safe(cache_control(public=True, max_age=24 * 60 * 60)(FaviconView.as_view())),
        name="favicon",
    ),
    path(
        "sitemap.xml",
        require_safe(sitemap_index),
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(cache_public_page(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("core.urls")),
    path("", include("news.urls")),
    path("", include("members.urls")),
    path("party/", include("party_building.urls")),
]

if settings.BENCHMARK_CEILING:
    from core.ceiling import ceiling

    urlpatterns.append(path("_bench/ceiling/", ceiling))

if settings.DEBUG:
    from core.media import serve_public_media

    urlpatterns += static(
        settings.MEDIA_URL, view=serve_public_media, document_root=settings.MEDIA_ROOT
    )

# Error pages in Chinese, in the site's frame or (for staff in the admin) the admin's.
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"
