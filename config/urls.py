from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.pagecache import cache_for_anonymous
from news.sitemaps import SITEMAPS, sitemap_index

urlpatterns = [
    path("admin/", admin.site.urls),
    path(
        "robots.txt",
        cache_for_anonymous(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain")
        ),
        name="robots",
    ),
    path(
        "sitemap.xml",
        require_safe(sitemap_index),
        name="sitemap-index",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(cache_for_anonymous(sitemap_views.sitemap)),
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
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
