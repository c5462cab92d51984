"""How long the admin's article and lawyer lists take on the full demo set.

    .venv/bin/python bench/admin_lists.py --database-url postgres://…/lvxie_bench --rounds 20
    (or DATABASE_URL=… .venv/bin/python bench/admin_lists.py)

Reads the database `make bench` fills (100,000 articles, 20,000 lawyers) and writes nothing
to it: the superuser, the second factor's device and the session it needs are made inside
one transaction that is rolled back at the end. Each page is rendered in-process through
django.test.Client, signed in as that superuser with the second factor done the way the
tests do it (a confirmed device in the session): once to warm up, then `--rounds` times.
Prints the median and the 95th percentile in milliseconds, the number of queries, and the
median as a multiple of the bare page's (a page of twenty items rendered from memory, the
`ceiling` of bench/load.py) measured in the same run, so that runs on a busy machine compare.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGES = [
    ("article list", "/admin/news/article/"),
    ("article list page 900", "/admin/news/article/?p=900"),
    (
        "articles published, one column",
        "/admin/news/article/?status__exact=published&column__id__exact=1",
    ),
    ("articles of one year", "/admin/news/article/?published_at__year=2015"),
    ("articles pinned", "/admin/news/article/?is_pinned__exact=1"),
    ("article search (律师)", "/admin/news/article/?q=%E5%BE%8B%E5%B8%88"),
    ("lawyer list", "/admin/members/lawyer/"),
    ("lawyer list page 100", "/admin/members/lawyer/?p=100"),
    ("lawyers practising", "/admin/members/lawyer/?practice_status__exact=practising"),
    ("lawyers suspended", "/admin/members/lawyer/?practice_status__exact=suspended"),
    ("lawyer search (name)", "/admin/members/lawyer/?q=%E7%8E%8B"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (or DATABASE_URL): the database of the full demo set")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["BENCHMARK_CEILING"] = "1"
    os.environ.setdefault("DEBUG", "0")

    import django

    django.setup()

    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    warnings.simplefilter("ignore")  # the static files' folder: not needed in-process
    # Static files by their plain names: the run needs no collectstatic.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages), transaction.atomic():
        client = signed_in_superuser(Client(SERVER_NAME="localhost"))
        print(f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× bare':>8}")
        bare = measure(client, "/_bench/ceiling/", args.rounds)
        report("bare page (ceiling)", bare, None, bare)
        for label, url in PAGES:
            times = measure(client, url, args.rounds)
            with CaptureQueriesContext(connection) as context:
                client.get(url)
            report(label, times, len(context), bare)
        transaction.set_rollback(True)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


def signed_in_superuser(client):
    from django.contrib.auth import get_user_model
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser("admin-lists-bench", password=None)
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["_login_at"] = session["_seen_at"] = time.time()
    session.save()
    return client


def measure(client, url, rounds) -> list[float]:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(label, times, queries, bare) -> None:
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 2 else times[0]
    ratio = p50 / statistics.median(bare)
    shown = "" if queries is None else queries
    print(f"{label:<34} {p50:8.1f} {p95:8.1f} {shown:>8} {ratio:8.1f}")


if __name__ == "__main__":
    sys.exit(main())
