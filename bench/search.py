"""Search benchmark on PostgreSQL: recall against a substring scan, page times, throughput.

    .venv/bin/python bench/search.py [--queries 20] [--seed 1] [--duration 5] [--no-wrk]

Uses the database in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lvxie_bench,
filled by `manage.py generate_demo_data`). Three parts:

1. **Recall.** For 15 two-character words drawn from the articles, every published article
   whose body contains the word (`body LIKE '%word%'`, the ground truth) must be among the
   search's matches, the exact count must agree, and the first hundred results newest first
   must be exactly the hundred newest of those matches.
2. **Single client.** The search page as a signed-in reader gets it (no page cache), in
   this process: one words, two words and quoted phrases drawn from the articles, and the
   issue's words (律师 in almost every article, 创先争优, 井冈山), by relevance and newest
   first, with and without a filter; median, p95 and max per kind.
3. **Under load** (unless --no-wrk). gunicorn with two workers and wrk, as bench/load.py
   runs them: the bare page (the ceiling) and the search rows of the performance issue's
   table, as a signed-in reader; requests per second, p50, p99 and the ratio to the ceiling.
"""

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
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
    """Check 15 words against a substring scan; return the number of articles missed."""
    from news import search_walk, segmentation
    from news.models import Article, SearchEntry

    misses = 0
    print("recall (against body LIKE '%word%' over all published articles):")
    for _ in range(15):
        q = word(2)
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


def single_client(kinds, client):
    """Time the search page (signed in, no page cache) for every query of every kind."""
    from news.models import Column

    column = Column.objects.order_by("pk").values_list("slug", flat=True)[1]
    variants = {
        "relevance": {},
        "newest first": {"order": "date"},
        "relevance, filtered": {"column": column},
        "newest, filtered": {"order": "date", "date_from": "2012-01-01", "date_to": "2016-12-31"},
    }
    fixed = {"律师": ["律师"], "创先争优 / 井冈山": ["创先争优", "井冈山"]}
    print()
    print("single client, the whole search page as a signed-in reader gets it (ms):")
    print(f"{'query':22} {'order':22} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}")
    all_times = []
    for kind, queries in {**fixed, **kinds}.items():
        for label, params in variants.items():
            times = []
            for q in queries:
                started = time.perf_counter()
                response = client.get("/search/", {"q": q, **params})
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (q, response.status_code)
            all_times += times
            print(
                f"{kind:22} {label:22} {len(times):4} {statistics.median(times):8.1f}"
                f" {percentile(times, 0.95):8.1f} {max(times):8.1f}"
            )
    print(
        f"{'all':22} {'':22} {len(all_times):4} {statistics.median(all_times):8.1f}"
        f" {percentile(all_times, 0.95):8.1f} {max(all_times):8.1f}"
    )


def under_load(args, env, cookie):
    from news.models import Column

    column = Column.objects.order_by("pk").values_list("slug", flat=True)[1]
    rows = [
        ("ceiling (bare page)", "/_bench/ceiling/", None),
        ("search 律师, by relevance", "/search/?q=律师", cookie),
        ("search 律师, newest first", "/search/?q=律师&order=date", cookie),
        ("search 律师, filtered", f"/search/?q=律师&column={column}", cookie),
        ("search 创先争优", "/search/?q=创先争优", cookie),
        ("search 井冈山", "/search/?q=井冈山", cookie),
        ("search 律师 协会 (two words)", "/search/?q=律师+协会", cookie),
        # Last: its first requests count every match (seconds) before the count is cached.
        ("search 律师, exact count", "/search/?q=律师&count=exact", cookie),
    ]
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi",
         "--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null",
         "--max-requests", "0", "--no-control-socket", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    results = {}
    try:
        load.wait_until_up(f"{base}/_bench/ceiling/", server)
        for name, path, who in rows:
            url = base + urllib.parse.quote(path, safe="/?=&%+")
            load.wrk(url, 1, args.connections, who)  # warm up
            results[name] = load.wrk(url, max(1, min(args.duration, 30)), args.connections, who)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    ceiling = results[rows[0][0]]["rps"]
    print()
    print(f"under load: wrk -t2 -c{args.connections}, gunicorn 2 workers, signed-in reader")
    print(f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}")
    for name, _, _ in rows:
        r = results[name]
        flag = f"  ({r['errors']} non-2xx)" if r["errors"] else ""
        print(
            f"{name:34} {r['rps']:8.0f} {r['p50']:8.1f} {r['p99']:8.1f}"
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
        from django.test import Client

        from news.models import Article

        if connection.vendor != "postgresql":
            raise SystemExit("this benchmark measures PostgreSQL: set DATABASE_URL")
        print(f"articles: {Article.objects.count():,}; load average {os.getloadavg()[0]:.1f}")
        rng = random.Random(args.seed)
        kinds, word = drawn_words(rng, args.queries)
        misses = recall(word)
        cookies = load.session_cookies()
        client = Client(HTTP_HOST="127.0.0.1")
        key, value = cookies["reader"].split("=", 1)
        client.cookies[key] = value
        single_client(kinds, client)
        if not args.no_wrk:
            if shutil.which("wrk") is None:
                raise SystemExit("wrk is not installed: apt-get install wrk")
            under_load(args, env, cookies["reader"])
        print(f"\nload average at the end {os.getloadavg()[0]:.1f}; recall misses: {misses}")
        return 0 if misses == 0 else 1
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
