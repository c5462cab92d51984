"""The private storage in S3-compatible object storage, for several app servers."""

from urllib.parse import urljoin

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Links point at the checking view, never at the bucket (no signed URL to pass around)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return urljoin(settings.PRIVATE_MEDIA_URL, filepath_to_uri(name))
