"""Old addresses still land: a 404 whose path was an imported article's legacy address
answers with a permanent redirect to the article's address on this site."""

from urllib.parse import unquote

from django.http import HttpResponsePermanentRedirect

from news.models import Article


class LegacyRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        full = request.get_full_path()
        candidates = {full, unquote(full), request.path}
        article = (
            Article.objects.published()
            .filter(legacy_url__in=[c[:500] for c in candidates])
            .only("pk", "published_at")
            .first()
        )
        if article is None:
            return response
        return HttpResponsePermanentRedirect(article.get_absolute_url())
