"""Search benchmark on PostgreSQL: recall against a substring scan, page times, throughput.

    .venv/bin/python bench/search.py [--queries 20] [--seed 1] [--duration 5] [--no-wrk]

Uses the database in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lvxie_bench,
filled by `manage.py generate_demo_data`). Three parts:

1. **Recall.** For 15 two-character words drawn from the articles and the issue's rarer
   words (创先争优, 井冈山: read from the index's candidates), every published article
   whose body contains the word (`body LIKE '%word%'`, the ground truth) must be among the
   search's matches, the exact count must agree, and the first hundred results newest first
   must be exactly the hundred newest of those matches.
2. **Single client.** The search page rendered afresh (the whole-page cache off, the counts
   cached for the current content kept, as on a server started with PAGE_CACHE=0), in this
   process: the issue's words (律师 in almost every article, 创先争优 in about 2,400, 井冈山
   in about 90, 律师 协会), one word, two words and quoted phrases drawn from the articles,
   by relevance and newest first, with no filter and with a column, a source or a year;
   median, p95 and max per kind.
3. **Under load** (unless --no-wrk). gunicorn with two workers and wrk, as bench/load.py
   runs them, as a signed-in reader: the bare page (the ceiling), the issue's rows asked of
   a server with the page cache off, and a varied row that sends a different search on every
   request (every drawn and fixed query, both orders, each filter) to that server and to one
   as deployed (page cache on); requests per second, p50, p99 and the ratio to the ceiling.
"""

import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py: the server, wrk and the session cookies)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=20, help="drawn queries of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per row")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-wrk", action="store_true", help="skip the load part")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lvxie_bench"),
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    return parser.parse_args()


def percentile(values, share):
    values = sorted(values)
    return values[max(0, int(len(values) * share + 0.999) - 1)]


def drawn_words(rng, count):
    from core.text import html_to_text
    from news.models import Article

    ids = list(Article.objects.published().values_list("pk", flat=True))
    sample = Article.objects.filter(pk__in=rng.sample(ids, min(400, len(ids)))).only("body")
    texts = [html_to_text(article.body) for article in sample]

    def word(length):
        while True:
            text = rng.choice(texts)
            start = rng.randrange(0, max(1, len(text) - length))
            candidate = text[start : start + length]
            if len(candidate) == length and all("\u4e00" <= c <= "\u9fff" for c in candidate):
                return candidate

    return {
        "one word": [word(2) for _ in range(count)],
        "two words": [f"{word(2)} {word(2)}" for _ in range(count)],
        "phrase": [f'"{word(rng.randint(4, 6))}"' for _ in range(count)],
    }, word


def recall(word) -> int:
    """Check 15 drawn words and the rare ones against a substring scan; return the misses."""
    from news import search_walk, segmentation
    from news.models import Article, SearchEntry

    misses = 0
    print("recall (against body LIKE '%word%' over all published articles):")
    for q in [word(2) for _ in range(15)] + ["创先争优", "井冈山"]:
        query = segmentation.parse_query(q)
        entries = SearchEntry.objects.filter(kind="article")
        found = search_walk.Search(entries, query, "date")
        matches = dict(
            found._public_matches().order_by(*search_walk.NEWEST).values_list("pk", "object_id")
        )
        truth = set(
            Article.objects.published().filter(body__contains=q).values_list("pk", flat=True)
        )
        missed = len(truth - set(matches.values()))
        newest = list(matches)[:100]
        walked = found.ids(100)
        count = found.exact_count()
        ok = missed == 0 and walked == newest and count == len(matches)
        misses += missed + (walked != newest) + (count != len(matches))
        print(
            f"  {q}: {len(truth):6} in the bodies, {len(matches):6} found, count {count:6},"
            f" first 100 newest {'=' if walked == newest else '≠'}  {'ok' if ok else 'MISSED'}"
        )
    return misses


def filters():
    """The filters a search is measured with: none, a column, a source, a year."""
    from news.models import Column, Source

    column = Column.objects.order_by("pk").values_list("slug", flat=True)[1]
    source = Source.objects.order_by("pk").values_list("pk", flat=True)[0]
    return {
        "": {},
        "column": {"column": column},
        "source": {"source": source},
        "year": {"date_from": "2014-01-01", "date_to": "2014-12-31"},
    }


# The words, each measured on its own: 律师 is in almost every article, 创先争优 in
# about 2,400 and 井冈山 in about 90.
FIXED = {
    "律师": ["律师"],
    "创先争优": ["创先争优"],
    "井冈山": ["井冈山"],
    "律师 协会": ["律师 协会"],
}
FIXED_REPEAT = 5


def single_client(kinds, cookie):
    """Time the search page rendered afresh (page cache off) for every kind, order and filter.

    The whole-page cache serves signed-in readers too, so it is turned off here
    (``PAGE_CACHE=False``): every request renders the page, as the first reader after a
    change gets it. The counts cached for the current content stay, as in production.
    """
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    orders = {"relevance": {}, "newest first": {"order": "date"}}
    print()
    print("single client, the search page rendered afresh (page cache off; ms):")
    print(f"{'query':22} {'order':14} {'filter':8} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}")
    all_times, by_kind = [], {}
    with override_settings(PAGE_CACHE=False):
        client = Client(HTTP_HOST="127.0.0.1")
        key, value = cookie.split("=", 1)
        client.cookies[key] = value
        client.get("/search/", {"q": "律师"})  # the first request loads what every one needs
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/", {"q": "律师"})
        if not captured:
            raise SystemExit("the page cache answered: this setup cannot turn it off")
        fixed = {kind: queries * FIXED_REPEAT for kind, queries in FIXED.items()}
        for kind, queries in {**fixed, **kinds}.items():
            for label, order in orders.items():
                for name, chosen in filters().items():
                    times = []
                    for q in queries:
                        started = time.perf_counter()
                        response = client.get("/search/", {"q": q, **order, **chosen})
                        times.append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200, (q, response.status_code)
                    all_times += times
                    by_kind.setdefault(kind, []).extend(times)
                    print(
                        f"{kind:22} {label:14} {name or '—':8} {len(times):4}"
                        f" {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f}"
                        f" {max(times):8.1f}"
                    )
    print()
    for kind, times in {**by_kind, "all": all_times}.items():
        print(
            f"{kind:22} {'every order and filter':23} {len(times):4}"
            f" {statistics.median(times):8.1f} {percentile(times, 0.95):8.1f} {max(times):8.1f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


# wrk's requests for the varied row: the paths in turn, each thread from its own place.
VARIED_SCRIPT = """
paths = {%s}
local threads = 0
function setup(thread)
  thread:set("offset", threads * math.floor(#paths / 2))
  threads = threads + 1
end
function init(args)
  position = offset or 0
end
function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end
"""


def varied_paths(kinds, rng) -> list[str]:
    """Search paths for every drawn and fixed query, in both orders and with each filter."""
    queries = [q for queries in FIXED.values() for q in queries]
    queries += [q for queries in kinds.values() for q in queries]
    paths = [
        "/search/?" + urllib.parse.urlencode({"q": q, **order, **chosen})
        for q in queries
        for order in ({}, {"order": "date"})
        for chosen in filters().values()
    ]
    rng.shuffle(paths)
    return paths


def wrk_varied(url: str, paths, seconds: int, connections: int, cookie: str) -> dict:
    """wrk sending the next of ``paths`` on every request (bench/load.py's wrk has one URL)."""
    quoted = ", ".join('"' + path.replace('"', "%22") + '"' for path in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(VARIED_SCRIPT % quoted)
    try:
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
        command += ["--timeout", "10s", "-H", f"Cookie: {cookie}", "-s", script.name, url]
        output = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 30
        ).stdout
    finally:
        os.unlink(script.name)
    latency = {p: float(v) * load.UNITS[u] for p, v, u in load.WRK_LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "errors": (int(errors.group(1)) if errors else 0)
        + (int(timeouts.group(1)) if timeouts else 0),
    }


def under_load(args, env, cookie, kinds):
    """wrk against two servers: as deployed (page cache on), and with the page cache off.

    The repeated-word rows ask the server with the page cache off, since the other serves
    a repeated page from the cache; the varied rows send a different search on every
    request (every drawn and fixed query, both orders, each filter), to both servers.
    """
    column = filters()["column"]["column"]
    rows = [
        ("ceiling (bare page)", "/_bench/ceiling/", "cached"),
        ("search 律师, by relevance", "/search/?q=律师", "uncached"),
        ("search 律师, newest first", "/search/?q=律师&order=date", "uncached"),
        ("search 律师, filtered", f"/search/?q=律师&column={column}", "uncached"),
        ("search 创先争优", "/search/?q=创先争优", "uncached"),
        ("search 井冈山", "/search/?q=井冈山", "uncached"),
        ("search 律师 协会 (two words)", "/search/?q=律师+协会", "uncached"),
        ("varied searches, page cache off", None, "uncached"),
        ("varied searches, page cache on", None, "cached"),
        # Last: its first requests count every match before the count is cached.
        ("search 律师, exact count", "/search/?q=律师&count=exact", "uncached"),
    ]
    paths = varied_paths(kinds, random.Random(args.seed))
    seconds = max(1, min(args.duration, 30))
    servers = {
        "cached": load.start_server(env),
        "uncached": load.start_server({**env, "PAGE_CACHE": "0"}),
    }
    results = {}
    load_before = os.getloadavg()
    try:
        for base, process in servers.values():
            load.wait_until_up(f"{base}/_bench/ceiling/", process)
        # One request per row first, in turn: every worker past its first requests, and the
        # exact count counted once, as after the first reader who asked for it.
        for _, path, server in rows:
            if path is not None:
                url = servers[server][0] + urllib.parse.quote(path, safe="/?=&%+")
                request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
                for _ in range(2):
                    with urllib.request.urlopen(request, timeout=120):  # noqa: S310 (loopback)
                        pass
        for name, path, server in rows:
            base = servers[server][0]
            who = None if path == "/_bench/ceiling/" else cookie
            if path is None:
                wrk_varied(base, paths, 1, args.connections, who)  # warm up
                results[name] = wrk_varied(base, paths, seconds, args.connections, who)
            else:
                url = base + urllib.parse.quote(path, safe="/?=&%+")
                load.wrk(url, 1, args.connections, who)  # warm up
                results[name] = load.wrk(url, seconds, args.connections, who)
            load.drain(f"{base}/_bench/ceiling/")
    finally:
        for _, process in servers.values():
            process.send_signal(signal.SIGTERM)
        for _, process in servers.values():
            process.wait(timeout=30)
    ceiling = results[rows[0][0]]["rps"]
    print()
    print(
        f"under load: wrk -t2 -c{args.connections}, {seconds} s, gunicorn 2 workers, signed-in"
        f" reader; varied: {len(paths)} different searches in turn; load average before"
        f" {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f}"
    )
    print(f"{'endpoint':34} {'server':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}")
    for name, _, server in rows:
        r = results[name]
        flag = f"  ({r['errors']} non-2xx)" if r["errors"] else ""
        print(
            f"{name:34} {server:9} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f}"
            f" {r['rps'] / ceiling:6.2f}{flag}"
        )


def main() -> int:
    args = arguments()
    static_root = Path(tempfile.mkdtemp(prefix="lvxie-static-"))
    env = load.server_environment(args, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip
    try:
        load.setup_django(env)
        from django.db import connection

        from news.models import Article

        if connection.vendor != "postgresql":
            raise SystemExit("this benchmark measures PostgreSQL: set DATABASE_URL")
        print(f"articles: {Article.objects.count():,}; load average {os.getloadavg()[0]:.1f}")
        rng = random.Random(args.seed)
        kinds, word = drawn_words(rng, args.queries)
        misses = recall(word)
        cookies = load.session_cookies()
        single_client(kinds, cookies["reader"])
        if not args.no_wrk:
            if shutil.which("wrk") is None:
                raise SystemExit("wrk is not installed: apt-get install wrk")
            under_load(args, env, cookies["reader"], kinds)
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}; recall misses: {misses}")
        return 0 if misses == 0 else 1
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
