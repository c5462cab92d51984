"""Settings for the test suite: the site's settings with what makes tests slow or leaky off.

pytest reads this module (pyproject.toml); the site, the commands and the benchmarks keep
config.settings. Only what a test does not look at changes here.
"""

from config.settings import *  # noqa: F403

# A password hash costs 0.4 s with PBKDF2; tests create hundreds of users. What a hasher
# does is Django's to prove, not ours.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# No whole-page cache: a test reads what the view renders now. Tests of the cache itself are
# marked `page_cache`, and tests/conftest.py turns it on for them with the site's own value.
PAGE_CACHE_SECONDS_IN_PRODUCTION = PAGE_CACHE_SECONDS  # noqa: F405
PAGE_CACHE_SECONDS = 0
# With no page stored, a change need not work out which pages it affects (a third of the
# database tests' time went there); it still moves the change counter. The `page_cache`
# tests turn it back on.
PAGE_CACHE_TAGS = False
