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


# The application and the word segmenter's dictionary (about 55 MB in memory) are loaded once,
# in the master, before the workers are forked: the workers share those pages instead of
# each loading its own copy (docs/DECISIONS.md). New code therefore needs a restart; a HUP
# only renews the workers from the code the master has loaded. GUNICORN_PRELOAD=0 loads the
# application in each worker instead.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in ("0", "false", "no")


def load_dictionary():
    # Before the first search or save needs it (about a second), so that no reader waits.
    from news.segmentation import index_terms

    index_terms("律师协会")


def when_ready(server):
    if server.cfg.preload_app:
        import gc

        from django.db import connections

        load_dictionary()
        # The URL configuration, and with it every view module, is read at the first
        # request otherwise: in each worker, a copy each. (Only once the site is loaded: an
        # application that is not Django's has none.)
        from django.apps import apps
        from django.urls import get_resolver

        if apps.ready:
            get_resolver().url_patterns  # noqa: B018  (reading it imports the views)
        # No connection of the master's may be inherited by the workers.
        connections.close_all()
        # What is loaded so far stays where it is: the collector never writes to those
        # objects, so their pages stay shared with the workers.
        gc.freeze()


def post_worker_init(worker):
    if not worker.cfg.preload_app:
        load_dictionary()
