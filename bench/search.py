"""Search benchmark: recall against a substring scan, and query times, on PostgreSQL.

    .venv/bin/python bench/search.py [--queries 60] [--seed 1]

Uses the database in DATABASE_URL (default postgres://postgres@127.0.0.1:5432/lvxie_bench,
filled by `manage.py generate_demo_data`). Words are drawn from the articles' own text:
two-character words, two-word queries and quoted phrases. For each query it runs the
site's search (news.search, as the search page does: the first page of twenty by
relevance, and the count) and times it; and it compares every article the search finds
with those a plain substring scan of the bodies finds (body LIKE '%word%'), which is the
ground truth: recall must be 100%.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=60, help="queries of each kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lvxie_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from core.text import html_to_text
    from news import search, segmentation
    from news.models import Article

    if connection.vendor != "postgresql":
        raise SystemExit("this benchmark measures PostgreSQL: set DATABASE_URL")
    total = Article.objects.count()
    print(f"articles: {total:,}")
    rng = random.Random(args.seed)
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

    kinds = {
        "one word": [word(2) for _ in range(args.queries)],
        "two words": [f"{word(2)} {word(2)}" for _ in range(args.queries)],
        "phrase": [f'"{word(rng.randint(4, 6))}"' for _ in range(args.queries)],
    }
    public = search.public_entries().filter(kind="article")
    recall_misses = 0
    checked = 0
    print(f"{'kind':10} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'mean hits':>10}")
    for kind, queries in kinds.items():
        times, hits = [], []
        for q in queries:
            query = segmentation.parse_query(q)
            started = time.perf_counter()
            results = search.search(public, query)
            first_page = list(results[:20])
            count = results.count()
            times.append((time.perf_counter() - started) * 1000)
            hits.append(count)
            del first_page
            if kind == "one word" and checked < 15:
                # The ground truth: published articles whose body contains the word.
                truth = set(
                    Article.objects.published()
                    .filter(body__contains=q)
                    .values_list("pk", flat=True)
                )
                found = set(results.values_list("object_id", flat=True))
                recall_misses += len(truth - found)
                checked += 1
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{kind:10} {statistics.median(times):10.1f} {p95:8.1f} {max(times):8.1f} "
            f"{statistics.mean(hits):10.0f}"
        )
    print(f"recall: {checked} words checked against a substring scan, {recall_misses} missed")
    return 0 if recall_misses == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
