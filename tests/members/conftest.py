import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_lookup_counts():
    # The lookup limit counts in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()
