"""Two app servers, one PostgreSQL and one Redis: what one publishes, the other shows at once.

    .venv/bin/python bench/two_servers.py

Starts two gunicorn instances on two loopback ports against the same scratch PostgreSQL
database and Redis (database 13, emptied first). An anonymous reader loads the home page
from server B (so B's page is cached); a reviewer publishes an article through server A's
admin; the very next request to B shows it, and so do the article page and the feed.
Prints PASS or FAIL and exits 0 or 1.
"""

import http.client
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "faults"))

import harness

REDIS_URL = "redis://127.0.0.1:6379/13"
TITLE = "两台服务器同时在线时发布的稿件"

# Run inside the scratch site: an article waiting for review, and a signed-in reviewer
# whose second factor is done; prints the article id and the session cookie.
PREPARE = f"""
import time
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from news.models import Article, Column, Source
article = Article.objects.create(
    title="{TITLE}", column=Column.objects.get(slug="notices"),
    source=Source.objects.get(name="本站原创"), body="<p>本网讯</p>", status="in_review")
user = User.objects.create_superuser("two-servers", password=None)
device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session["_login_at"] = session["_seen_at"] = time.time()
session.create()
print(article.pk, f"{{settings.SESSION_COOKIE_NAME}}={{session.session_key}}")
"""


def request(port, method, path, *, cookie=None, body=None):
    connection = http.client.HTTPConnection(harness.HOST, port, timeout=10)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
    finally:
        connection.close()


def publish_through(port, article_id, session_cookie):
    """Publish with the admin's action, as a reviewer does, CSRF token and all."""
    status, set_cookie, page = request(port, "GET", "/admin/news/article/", cookie=session_cookie)
    if status != 200:
        raise harness.FaultFailed(f"the admin answered {status}")
    csrf_cookie = re.search(r"(csrftoken=[^;]+)", set_cookie).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = (
        f"csrfmiddlewaretoken={token}&action=publish_selected&_selected_action={article_id}&index=0"
    )
    status, _, _ = request(
        port, "POST", "/admin/news/article/", cookie=f"{session_cookie}; {csrf_cookie}", body=form
    )
    if status != 302:
        raise harness.FaultFailed(f"publishing through server A answered {status}")


def body():
    failures = []
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    with harness.Scratch("twoservers") as scratch:
        scratch.env["REDIS_URL"] = REDIS_URL
        output = scratch.manage("shell", "-c", PREPARE).stdout.split()
        article_id, session_cookie = output[-2], output[-1]
        with harness.Gunicorn(scratch) as a, harness.Gunicorn(scratch) as b:
            _, _, before = request(b.port, "GET", "/")
            harness.check(TITLE not in before, "B does not show the article before", failures)
            request(b.port, "GET", "/")
            harness.say("B's home page is now in the shared cache")
            publish_through(a.port, article_id, session_cookie)
            harness.say(f"published article {article_id} through server A (port {a.port})")
            _, _, after = request(b.port, "GET", "/")
            harness.check(TITLE in after, "B's home page shows it on the next request", failures)
            _, _, feed = request(b.port, "GET", "/feeds/rss/")
            harness.check(TITLE in feed, "B's feed shows it", failures)
            _, _, live = request(b.port, "GET", "/news/", cookie=session_cookie)
            harness.check(TITLE in live, "B's list shows it to a signed-in reader", failures)
    subprocess.run(["redis-cli", "-n", "13", "flushdb"], check=True, capture_output=True)
    return "an article published through A is served by B at once", failures


if __name__ == "__main__":
    harness.main("two servers", body)
