"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py config.wsgi`."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: each request holds one worker, so a slow client is nginx's to buffer.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that no leak grows without bound.
max_requests = 50_000
max_requests_jitter = 5_000
accesslog = "-"
errorlog = "-"

# No request header becomes a WSGI variable. gunicorn would otherwise take SCRIPT_NAME and
# PATH_INFO from headers sent by a trusted front end (forwarder_headers), and a header with an
# underscore could pose as another (header_map): the application must see the path the
# client asked for. Headers with an underscore are dropped.
forwarder_headers = ""
header_map = "drop"
# Only the front end may say that the request came over HTTPS, and in one header only (the
# one nginx sets and Django reads). The same proxies that core.clientaddr trusts.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES") or "127.0.0.1"
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}


def post_worker_init(worker):
    # Load the word segmenter's dictionary before the first search needs it (about half a
    # second), so that no reader waits for it.
    from news.segmentation import index_terms

    index_terms("律师协会")
