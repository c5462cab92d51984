"""Response headers that Django itself does not set."""

from django.conf import settings

# CKEditor 5 styles its own widgets inline and shows pasted images as blob: URLs while they
# upload; only the admin, where staff work, gets these.
ADMIN_CSP_UPDATE = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        # Decided by the view that answered (one of the admin site's), not by the path.
        match = getattr(request, "resolver_match", None)
        if match is not None and "admin" in match.namespaces:
            response._csp_update = ADMIN_CSP_UPDATE
        return response
