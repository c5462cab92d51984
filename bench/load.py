"""Load benchmark: gunicorn with the production settings against PostgreSQL on loopback.

    .venv/bin/python bench/load.py [--duration 5] [--rounds 3] [--only list article]
                                   [--connections 16] [--database-url …] [--redis-url …]

Needs wrk (apt-get install wrk) and a database filled by `manage.py generate_demo_data`
(default: postgres://postgres@127.0.0.1:5432/lvxie_bench). It starts gunicorn with two
sync workers on a free loopback port and, round after round, measures the bare page (the
ceiling: twenty items rendered from memory through the same base template, no database)
and then every endpoint with wrk (-t2, 16 connections, warmed up for a second; bounded in
time, 127.0.0.1 only). Each public endpoint is one row, measured three times: as an
anonymous reader and as a signed-in reader (both served from the page cache, which every
reader shares), and as a signed-in reader of a second server, started beside the first
with the whole-page cache off (PAGE_CACHE=0; the counts and menus stay cached): the page
rendered afresh on every request, which is what the first reader after a change waits
for. The staff pages are measured once, with a staff session. For each it prints requests
per second, latency p50 and p99, and the ratio to the bare page of the same round (medians
over the rounds), the queries the uncached page runs, the load average, and the memory of
both servers' processes. Ratios are what to compare between runs: wrk and gunicorn share
the cores.
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
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (medians)")
    parser.add_argument(
        "--only", nargs="*", default=[], help="rows whose name contains one of these words"
    )
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
    """(name, path, who) for every row of the table.

    who: "both" (a public page: measured anonymous and signed in, from the page cache, and
    signed in with no page cache), "reader" (a page never cached, signed in), or a staff
    cookie ("editor", "party").
    """
    from django.db.models import Count

    from members.models import Lawyer, Person
    from news.models import Article, Event
    from news.search import public_entries
    from news.views import PAGE_SIZE

    published = Article.objects.published()
    article = published.order_by("-published_at").first()
    event = Event.objects.filter(participations__isnull=False).order_by("-pk").first()
    person = Person.objects.filter(speeches__isnull=False).order_by("pk").first()
    by_source = published.values("source").annotate(n=Count("pk")).order_by("-n", "source").first()
    lawyer = Lawyer.objects.select_related("person").order_by("pk").first()
    assert public_entries().exists(), "the search index is empty: run reindex_search"
    last_page = max(1, -(-published.count() // PAGE_SIZE))
    year = article.published_at.year
    source = by_source["source"]
    return [
        ("home", "/", "both"),
        ("list page 1", "/news/", "both"),
        (f"list page {last_page:,} (last)", f"/news/?page={last_page}", "both"),
        ("list by source", f"/news/?source={source}", "both"),
        ("list by year", f"/news/?year={year - 3}", "both"),
        ("list by source and year", f"/news/?source={source}&year={year - 3}", "both"),
        ("article", article.get_absolute_url(), "both"),
        ("event", event.get_absolute_url(), "both"),
        ("event list", "/events/", "both"),
        ("speech list", "/speeches/", "both"),
        ("person", f"/people/{person.pk}/", "both"),
        ("search 律师", "/search/?q=律师", "both"),
        ("search 律师, newest first", "/search/?q=律师&order=date", "both"),
        ("search 创先争优", "/search/?q=创先争优", "both"),
        ("search 井冈山", "/search/?q=井冈山", "both"),
        (
            "lawyer lookup",
            f"/lawyers/lookup/?name={urllib.parse.quote(lawyer.person.name)}",
            "reader",
        ),
        ("compliance board", "/party/board/", "party"),
        ("admin article list", "/admin/news/article/?status__exact=published", "editor"),
    ]


# The columns of the table: who asks, and of which server.
ANONYMOUS = (None, "cached")
SIGNED_IN = ("reader", "cached")
UNCACHED = ("reader", "uncached")


def measurements(rows) -> list[tuple[str, str, str | None, str]]:
    """(row name, path, cookie owner, server) for each wrk run; an anonymous run has no
    cookie; the "uncached" server never stores a page."""
    runs = []
    for name, path, who in rows:
        if who == "both":
            runs += [(name, path, *column) for column in (ANONYMOUS, SIGNED_IN, UNCACHED)]
        else:
            runs.append((name, path, who, "cached"))
    return runs


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


def query_counts(runs, cookies) -> dict:
    """The queries of each run's page rendered afresh (nothing is stored meanwhile)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = {}
    with override_settings(PAGE_CACHE=False):
        for name, path, who, server in runs:
            client = Client(HTTP_HOST="127.0.0.1")
            if who:
                key, value = cookies[who].split("=", 1)
                client.cookies[key] = value
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path).status_code
            counts[name, who, server] = len(captured) if status == 200 else f"HTTP {status}"
    return counts


WRK_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, seconds: int, connections: int, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = {p: float(v) * UNITS[u] for p, v, u in WRK_LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return {
        "rps": rate,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (int(timeouts.group(1)) if timeouts else 0),
    }


def server_memory(master_pid: int) -> list[dict]:
    """Memory of the gunicorn master and of each worker, in MiB.

    rss: resident now; peak: the highest resident (VmHWM); pss: resident with each page
    shared by n processes counted 1/n; uss: resident in this process alone. Pages a
    preloaded master shares with its workers count in each one's rss, once in all pss.
    """
    processes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
            rollup = (status.parent / "smaps_rollup").read_text()
        except OSError:
            continue
        pid = int(status.parent.name)
        parent = int(re.search(r"^PPid:\s+(\d+)$", text, re.MULTILINE).group(1))
        if pid != master_pid and parent != master_pid:
            continue

        def kib(field, source=rollup):
            found = re.search(rf"^{field}:\s+(\d+) kB", source, re.MULTILINE)
            return int(found.group(1)) / 1024 if found else 0.0

        processes.append(
            {
                "role": "master" if pid == master_pid else "worker",
                "rss": kib("VmRSS", text),
                "peak": kib("VmHWM", text),
                "pss": kib("Pss"),
                "uss": kib("Private_Clean") + kib("Private_Dirty"),
            }
        )
    return sorted(processes, key=lambda process: process["role"] != "master")


def drain(url: str, seconds: float = 180) -> None:
    """Wait until the server answers the bare page at once again.

    wrk stops after its time, but a slow page leaves requests queued in the listen backlog
    that the workers still serve; the next endpoint must not be measured behind them.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=30):  # noqa: S310 (loopback)
                pass
        except OSError:
            continue
        if time.monotonic() - started < 0.5:
            return


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


def median(values):
    values = sorted(value for value in values if value is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def summarise(rounds: list[dict], key) -> dict:
    """Medians over the rounds of one run's figures; the ratio to each round's own ceiling."""
    per_round = [measured[key] for measured in rounds]
    ratios = [measured[key]["rps"] / measured["ceiling"]["rps"] for measured in rounds]
    return {
        "rps": median(r["rps"] for r in per_round),
        "p50": median(r["p50"] for r in per_round),
        "p99": median(r["p99"] for r in per_round),
        "errors": sum(r["errors"] for r in per_round),
        "ratio": median(ratios),
    }


def cell(result, width=30) -> str:
    if result is None:
        return " " * width

    def ms(value):
        return f"{value:7.1f}" if value is not None else f"{'—':>7}"

    text = f"{result['rps']:6.0f} {ms(result['p50'])} {ms(result['p99'])} {result['ratio']:6.2f}"
    if result["errors"]:
        text += f" !{result['errors']}"
    return f"{text:<{width}}"


def print_table(rows, results, counts, ceiling) -> None:
    print()
    titles = ("anonymous (page cache)", "signed in (page cache)", "uncached (signed in, staff)")
    print(f"{'':30} " + " | ".join(f"{title:30}" for title in titles) + "  queries")
    heading = f"{'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6}"
    print(f"{'endpoint':30} " + " | ".join(f"{heading:30}" for _ in titles))
    print(f"{'bare page (the ceiling)':30} {cell(ceiling)} |")
    for name, _path, who in rows:
        if who == "both":
            columns = [results.get((name, *column)) for column in (ANONYMOUS, SIGNED_IN)]
            uncached = (name, *UNCACHED)
        else:  # never cached: the third column only
            columns, uncached = [None, None], (name, who, "cached")
        queries = counts.get(uncached, "")
        label = name if who in ("both", "reader") else f"{name} ({who})"
        cells = " | ".join(cell(result) for result in [*columns, results.get(uncached)])
        print(f"{label:30} {cells}  {queries!s:>7}")
    print(
        "ratio: requests per second over the bare page's in the same round; "
        "medians of the rounds; !n: non-2xx answers; queries: the page rendered afresh"
    )


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
    rows = [row for row in endpoints() if not args.only or any(w in row[0] for w in args.only)]
    runs = measurements(rows)
    counts = query_counts(runs, cookies)

    servers = {
        "cached": start_server(env),
        "uncached": start_server({**env, "PAGE_CACHE": "0"}),
    }
    load_before = os.getloadavg()
    rounds: list[dict] = []
    try:
        for base, process in servers.values():
            wait_until_up(f"{base}/_bench/ceiling/", process)
        for number in range(1, args.rounds + 1):
            measured = {}
            for name, path, who, server in [("ceiling", "/_bench/ceiling/", None, "cached"), *runs]:
                base = servers[server][0]
                cookie = cookies.get(who) if who else None
                url = base + urllib.parse.quote(path, safe="/?=&%")
                wrk(url, 1, args.connections, cookie)  # warm up (and fill the cache)
                key = name if name == "ceiling" else (name, who, server)
                measured[key] = wrk(url, seconds, args.connections, cookie)
                drain(f"{base}/_bench/ceiling/")
                print(
                    f"  round {number}: {name} ({who or 'anonymous'}, {server}): "
                    f"{measured[key]['rps']:.0f} req/s",
                    file=sys.stderr,
                )
            rounds.append(measured)
        memory = {server: server_memory(process.pid) for server, (_, process) in servers.items()}
    finally:
        for _, process in servers.values():
            process.send_signal(signal.SIGTERM)
        for _, process in servers.values():
            process.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)
    load_after = os.getloadavg()

    results = {key: summarise(rounds, key) for key in rounds[0] if key != "ceiling"}
    ceiling = summarise(rounds, "ceiling")
    print(
        f"wrk -t2 -c{args.connections}, {seconds} s per run, {args.rounds} round(s), "
        f"gunicorn 2 sync workers; load average before "
        f"{' '.join(f'{x:.2f}' for x in load_before)}, after "
        f"{' '.join(f'{x:.2f}' for x in load_after)}"
    )
    print_table(rows, results, counts, ceiling)
    for server, processes in memory.items():
        print()
        print(f"memory of the {server} server after the run (MiB):")
        print_memory(processes)
    return 0


def start_server(env: dict) -> tuple[str, subprocess.Popen]:
    """gunicorn as deployed (gunicorn.conf.py, two sync workers) on a free loopback port."""
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi",
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
         "--max-requests", "0", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    return f"http://127.0.0.1:{port}", process


def print_memory(memory: list[dict]) -> None:
    for process in memory:
        print(
            f"  {process['role']:6}  rss {process['rss']:5.0f}  peak {process['peak']:5.0f}"
            f"  pss {process['pss']:5.0f}  uss {process['uss']:5.0f}"
        )
    workers = [process for process in memory if process["role"] == "worker"]
    print(
        f"  all processes: pss {sum(p['pss'] for p in memory):.0f}; per worker: peak rss "
        + ", ".join(f"{p['peak']:.0f}" for p in workers)
        + ", pss "
        + ", ".join(f"{p['pss']:.0f}" for p in workers)
    )


if __name__ == "__main__":
    sys.exit(main())
