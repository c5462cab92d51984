"""Every kind of public page is valid HTML by the Nu HTML Checker (vnu.jar, run offline)."""

import pytest

from tests.site_pages import build_public_pages, expected_status
from tests.validators import html_errors

pytestmark = [pytest.mark.validators, pytest.mark.django_db]


def test_public_pages_are_valid_html(client, java, settings):
    settings.LOOKUP_RATE_LIMIT = 1000
    pages = {}
    for url in build_public_pages():
        response = client.get(url)
        assert response.status_code == expected_status(url), url
        pages[url] = response.content
    settings.LOOKUP_RATE_LIMIT = 0  # and the page a client gets once over the lookup limit
    throttled = client.get("/lawyers/lookup/?name=张伟")
    assert throttled.status_code == 429
    pages["lookup over the limit"] = throttled.content
    assert html_errors(java, pages) == []
