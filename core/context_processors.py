from django.conf import settings


def site(request):
    """The site's name and this page's canonical address, for every template."""
    base = (
        settings.SITE_URL.rstrip("/")
        if settings.SITE_URL
        else f"{request.scheme}://{request.get_host()}"
    )
    return {"SITE_NAME": settings.SITE_NAME, "canonical_url": base + request.path}
