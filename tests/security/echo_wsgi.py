"""A WSGI application that answers with the variables gunicorn gave it, for
test_gunicorn_headers: what a request header can and cannot become."""

import json


def application(environ, start_response):
    seen = {
        key: environ.get(key)
        for key in ("SCRIPT_NAME", "PATH_INFO", "REMOTE_USER", "HTTP_X_FORWARDED_FOR")
    }
    seen["wsgi.url_scheme"] = environ.get("wsgi.url_scheme")
    body = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]
