"""The benchmark's ceiling: a page of twenty items rendered from memory, with no database.

Served only when BENCHMARK_CEILING=1, so that `bench/load.py` can measure what the server
and Django themselves cost on this machine, and report every page as a ratio of it.
"""

from django.shortcuts import render

ITEMS = [
    {"title": f"市律师协会召开第{n}次理事会", "column": "协会动态", "date": "2014-05-13"}
    for n in range(1, 21)
]


def ceiling(request):
    return render(request, "bench/ceiling.html", {"items": ITEMS})
