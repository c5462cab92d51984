"""Load benchmark: gunicorn with the production settings against PostgreSQL on loopback.

    .venv/bin/python bench/load.py [--duration 5] [--database-url …] [--redis-url …]

Needs wrk (apt-get install wrk) and a database filled by `manage.py generate_demo_data`
(default: postgres://postgres@127.0.0.1:5432/lvxie_bench). It starts gunicorn with two
workers on a free loopback port, warms each endpoint up, measures it with wrk (bounded in
time, 127.0.0.1 only), and prints for every endpoint: requests per second, latency p50 and
p99, database queries per page, and the ratio to the ceiling, a bare page of twenty items
rendered from memory on the same server. Ratios are what to compare between runs.

Uncached pages are measured as a signed-in reader gets them (the page cache serves only
anonymous readers); cached pages as an anonymous reader.
"""

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=5, help="seconds per endpoint (max 30)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lvxie_bench"),
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    return parser.parse_args()


def server_environment(args, static_root: Path) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "STATIC_ROOT": str(static_root),
        "BENCHMARK_CEILING": "1",
        "LOG_LEVEL": "ERROR",
    }


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def endpoints():
    """(name, path, who): who is None (anonymous), "reader", "editor" or "party"."""
    from django.db.models import Min

    from members.models import Lawyer, Person
    from news.models import Article, Event, Source
    from news.search import public_entries

    article = Article.objects.published().order_by("-published_at").first()
    event = Event.objects.filter(participations__isnull=False).order_by("-pk").first()
    person = Person.objects.filter(speeches__isnull=False).order_by("pk").first()
    source = Source.objects.annotate(first=Min("pk")).order_by("pk").last()
    lawyer = Lawyer.objects.select_related("person").order_by("pk").first()
    assert public_entries().exists(), "the search index is empty: run reindex_search"
    year = article.published_at.year
    pages = [
        ("home", "/"),
        ("article list page 1", "/news/"),
        ("article list page 2,000", "/news/?page=2000"),
        ("filtered list", f"/news/?source={source.pk}&year={year - 3}"),
        ("article", article.get_absolute_url()),
        ("event", event.get_absolute_url()),
        ("person", f"/people/{person.pk}/"),
        ("search, common word", "/search/?q=律师"),
        ("search, rare word", "/search/?q=井冈山"),
        ("lawyer lookup", f"/lawyers/lookup/?name={urllib.parse.quote(lawyer.person.name)}"),
    ]
    rows = [(name, path, "reader") for name, path in pages]
    rows += [(f"{name} (cached)", path, None) for name, path in pages if "lookup" not in name]
    rows += [
        ("compliance board", "/party/board/", "party"),
        ("admin article list", "/admin/news/article/?status__exact=published", "editor"),
    ]
    return rows


def session_cookies() -> dict:
    """Session cookies of a reader, an editor and a party administrator (second factor done)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group, User
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def user(username, groups=(), staff=False):
        account, _ = User.objects.get_or_create(username=f"bench-{username}")
        account.is_staff = staff
        account.set_unusable_password()
        account.save()
        account.groups.set(Group.objects.filter(name__in=groups))
        return account

    def cookie(account, device=None):
        session = SessionStore()
        session[SESSION_KEY] = str(account.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = account.get_session_auth_hash()
        session["_login_at"] = session["_seen_at"] = time.time() + 3600  # no idle logout
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    party = user("party", ["党委管理员"], staff=True)
    device, _ = TOTPDevice.objects.get_or_create(user=party, name="bench", confirmed=True)
    return {
        "reader": cookie(user("reader")),
        "editor": cookie(user("editor", ["编辑"], staff=True)),
        "party": cookie(party, device),
    }


def query_counts(rows, cookies) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, path, who in rows:
        client = Client(HTTP_HOST="127.0.0.1")
        if who:
            key, value = cookies[who].split("=", 1)
            client.cookies[key] = value
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        counts[name] = len(captured) if status == 200 else f"HTTP {status}"
    return counts


WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, connections: int, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: float(v) * UNITS[u] for p, v, u in WRK_LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rate,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def worker_peak_memory(master_pid: int) -> list[int]:
    """Peak resident memory (VmHWM, KiB) of each gunicorn worker."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.MULTILINE):
            peaks.append(int(re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE).group(1)))
    return peaks


def wait_until_up(url: str, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer in time")


def main() -> int:
    args = arguments()
    seconds = max(1, min(args.duration, 30))
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    static_root = Path(tempfile.mkdtemp(prefix="lvxie-static-"))
    env = server_environment(args, static_root)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    setup_django(env)
    from django.core.cache import cache

    from news.models import Article

    total = Article.objects.count()
    print(f"articles in the database: {total:,}")
    if total < 1000:
        raise SystemExit("fill the database first: manage.py generate_demo_data")
    cache.clear()
    cookies = session_cookies()
    rows = endpoints()
    counts = query_counts(rows, cookies)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi",
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
         "--max-requests", "0", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    results = {}
    try:
        wait_until_up(f"{base}/_bench/ceiling/", server)
        ceiling = None
        for name, path, who in [("ceiling", "/_bench/ceiling/", None), *rows]:
            cookie = cookies.get(who) if who else None
            url = base + urllib.parse.quote(path, safe="/?=&%")
            wrk(url, 1, args.connections, cookie)  # warm up (and fill the cache)
            results[name] = wrk(url, seconds, args.connections, cookie)
            if name == "ceiling":
                ceiling = results[name]["rps"]
            print(f"  measured {name}: {results[name]['rps']:.0f} req/s", file=sys.stderr)
        peaks = worker_peak_memory(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    print()
    print(f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} {'ratio':>6}")
    for name, _path, _who in [("ceiling", None, None), *rows]:
        r = results[name]
        queries = counts.get(name, 0)
        ratio = r["rps"] / ceiling if ceiling else 0
        flag = f"  ({r['errors']} non-2xx)" if r["errors"] else ""
        print(
            f"{name:34} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f} {queries!s:>8} "
            f"{ratio:6.2f}{flag}"
        )
    print()
    print("peak memory per worker (MiB): " + ", ".join(f"{kib / 1024:.0f}" for kib in peaks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
