"""Settings for 律协网, read top to bottom.

Every value that differs between a developer's machine and production comes from the
environment, with a default that is safe for development. Production is the same file with
other values: DEBUG=0, HTTPS=1, a real SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)

# The default key only serves development: `check --deploy` flags it (security.W009).
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-development-only-key-never-used-in-production"
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # django.contrib.admin, with the admin site that asks for the second factor.
    "core.apps.SecureAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "django_ckeditor_5",
    "simple_history",
    "core.apps.LoginProtectionConfig",  # axes, named in Chinese (as the two below)
    "django_otp",
    "core.apps.AuthenticatorAppsConfig",  # django_otp.plugins.otp_totp
    "core.apps.RecoveryCodesConfig",  # django_otp.plugins.otp_static
    "csp",
    "core",
    "members",
    "news",
    "party_building",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.inputs.RejectNulCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous readers get whole cached pages; conditional GET answers 304 when unchanged.
    "django.middleware.http.ConditionalGetMiddleware",
    "core.pagecache.PublicPageCacheMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.sessions.StaffSessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.audit.AuditDenialsMiddleware",
    # A 404 at an imported article's old address becomes a 301 to its new one.
    "news.redirects.LegacyRedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database and cache ---------------------------------------------------------------------

# SQLite file by default (no server needed); PostgreSQL in production through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lvxie",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a public page may be served from the cache at most; a change to the
# content makes the cached pages it affects stale at once (core.pagecache).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Whole pages off (PAGE_CACHE=0): every page is rendered afresh, while the counts and menus
# cached for the current content stay (to measure or debug what a render costs).
PAGE_CACHE = env_bool("PAGE_CACHE", True)

# --- Language and time ----------------------------------------------------------------------

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Several app servers share uploads through S3-compatible object storage (django-storages,
# with boto3 installed); one server keeps them in MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }

# Private files (party records' photos and attachments, register imports waiting for their
# confirmation) live in a storage of their own, outside MEDIA_ROOT: nothing serves them but
# the views that check who may read each one. Their links start with PRIVATE_MEDIA_URL (the
# party records' file view). With PRIVATE_MEDIA_ACCEL_PREFIX (nginx, see deploy/) the view
# answers with X-Accel-Redirect to that internal location and nginx sends the bytes.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
PRIVATE_MEDIA_URL = "/party/files/"
PRIVATE_MEDIA_ACCEL_PREFIX = os.environ.get("PRIVATE_MEDIA_ACCEL_PREFIX", "")
STORAGES["private"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": PRIVATE_MEDIA_URL},
}
# Several app servers: a private bucket (or the same bucket's private/ prefix, which its
# policy must keep from public reading); links still go through the checking view.
PRIVATE_AWS_STORAGE_BUCKET_NAME = os.environ.get(
    "PRIVATE_AWS_STORAGE_BUCKET_NAME", AWS_STORAGE_BUCKET_NAME
)
if PRIVATE_AWS_STORAGE_BUCKET_NAME:
    STORAGES["private"] = {
        "BACKEND": "core.private_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Source maps are only for developers; leaving them out keeps collectstatic fast.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Uploads: editors attach documents and images, never more than this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS_PER_SIDE = 8000
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

# --- Accounts and security ------------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.passwords.UsernameInPasswordValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a login goes when its `next` is missing or refused as unsafe.
LOGIN_REDIRECT_URL = "admin:index"

# The client's address, for the lockout, the audit trail and the lookup limit alike
# (core.clientaddr): X-Forwarded-For is believed only from these proxies (addresses or
# networks). Behind the nginx of deploy/ on the same machine: 127.0.0.1.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

# django-axes: five failures for the same user name from the same address (an IPv6 client:
# its /64) lock that pair out for LOCKOUT_MINUTES; the same user from another address is not
# locked. An administrator unlocks earlier (admin: 访问尝试, or `manage.py axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.audit.lockout_response"
AXES_CLIENT_IP_CALLABLE = "core.clientaddr.client_network"

# Two-factor login (TOTP, with recovery codes) for staff who publish or see personal records.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = os.environ.get("SITE_NAME", "市律师协会")

# Staff sessions end after 30 minutes without a request, and 12 hours after login.
SESSION_IDLE_SECONDS = 30 * 60
SESSION_COOKIE_AGE = 12 * 60 * 60
# Sessions in the database, read through the cache (Redis when configured): any server can
# answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# HTTPS=1 says the site is served over TLS (behind nginx): cookies become Secure, with the
# __Host- prefix, and HSTS is sent. Off by default so that development runs over plain HTTP.
HTTPS = env_bool("HTTPS", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer asks /healthz over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (missing or stale CSRF token) gets the Chinese 403 page, not Django's English one.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

# Content-Security-Policy: only the site's own files; no inline scripts anywhere. The admin's
# rich-text editor sets inline styles, so core.security relaxes style-src there alone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# The public lookup: LOOKUP_RATE_LIMIT lookups per client (core.clientaddr, an IPv6 client
# by its /64) per LOOKUP_RATE_WINDOW seconds, counted by django-ratelimit in the cache.
LOOKUP_RATE_LIMIT = 30
LOOKUP_RATE_WINDOW = 600

# Only bench/load.py turns this on: it adds the page that measures the server's ceiling.
BENCHMARK_CEILING = env_bool("BENCHMARK_CEILING", False)

# --- Mail -----------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging --------------------------------------------------------------------------------

# The audit trail (core.audit) is one JSON object per line: to a file when AUDIT_LOG_FILE is
# set (rotate it with logrotate), to standard error otherwise.
AUDIT_LOG_FILE = os.environ.get("AUDIT_LOG_FILE", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.logformat.JsonLinesFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": (
            {"class": "logging.FileHandler", "filename": AUDIT_LOG_FILE, "formatter": "json"}
            if AUDIT_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "json"}
        ),
    },
    "loggers": {
        "lvxie.audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
        # A 404 or a 403 is an answer, not a fault: the web server's access log has each one,
        # and Django would write every one with a traceback (a crawler's misses by the
        # thousand). Server errors still are, and refused CSRF tokens (django.security).
        "django.request": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- The site -------------------------------------------------------------------------------

SITE_NAME = os.environ.get("SITE_NAME", "市律师协会")
# The absolute address of the site, for feeds, sitemaps and canonical links behind a proxy.
SITE_URL = os.environ.get("SITE_URL", "")

# --- Rich text (CKEditor 5) -----------------------------------------------------------------

# Uploads from the editor go through our own view (core.uploads), not the package's.
CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME = "core:editor-image-upload"
CKEDITOR_5_UPLOAD_FILE_TYPES = ["jpeg", "png", "gif", "webp"]
CKEDITOR_5_CONFIGS = {
    "default": {
        "language": "zh-cn",
        "toolbar": {
            "items": [
                "heading",
                "|",
                "bold",
                "italic",
                "underline",
                "strikethrough",
                "subscript",
                "superscript",
                "link",
                "|",
                "bulletedList",
                "numberedList",
                "blockQuote",
                "insertTable",
                "imageUpload",
                "horizontalLine",
                "|",
                "alignment",
                "removeFormat",
                "|",
                "undo",
                "redo",
            ],
            "shouldNotGroupWhenFull": True,
        },
        "heading": {
            "options": [
                {"model": "paragraph", "title": "正文", "class": "ck-heading_paragraph"},
                {
                    "model": "heading2",
                    "view": "h2",
                    "title": "标题 2",
                    "class": "ck-heading_heading2",
                },
                {
                    "model": "heading3",
                    "view": "h3",
                    "title": "标题 3",
                    "class": "ck-heading_heading3",
                },
            ]
        },
        "image": {
            "toolbar": [
                "imageTextAlternative",
                "|",
                "imageStyle:alignLeft",
                "imageStyle:alignCenter",
                "imageStyle:alignRight",
            ],
        },
        "table": {
            "contentToolbar": ["tableColumn", "tableRow", "mergeTableCells"],
        },
    },
}
