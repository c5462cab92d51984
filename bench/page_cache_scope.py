"""How much of the page cache survives each kind of change, on the full demo set.

    .venv/bin/python bench/page_cache_scope.py --database-url postgres://…/lvxie_bench

Fills a private in-memory page cache with a sample of the public pages an anonymous reader
gets (the home page, the lists, every column, year and a month of the archive, the feeds,
the sitemaps, and pages of articles, events, speeches, people and organisations), then makes
each kind of change the way staff make it (a save, an m2m add) and counts the sample's pages
still served from the cache (no query at all) and those rendered again. Also prints how
long each change took, its invalidation included. Everything runs in one transaction that is
rolled back: the database is left as it was.
"""

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--items", type=int, default=40, help="detail pages of each kind")
    parser.add_argument("--show", action="store_true", help="name the pages rendered again")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (or DATABASE_URL): the database of the full demo set")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    warnings.simplefilter("ignore")

    import django

    django.setup()

    from django.conf import settings
    from django.db import transaction
    from django.test.utils import override_settings

    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Room for every page and tag, as in Redis (the in-memory default culls at 300 keys).
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    }
    with override_settings(STORAGES=storages, CACHES=caches), transaction.atomic():
        run(args.items, show=args.show)
        transaction.set_rollback(True)
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


def sample(items: int) -> list[str]:
    from news.models import Article, Column, Event, Speech, public_organizations, public_people

    rng = random.Random(1)
    published = list(Article.objects.published().values_list("pk", flat=True))
    years = sorted({d.year for d in Article.objects.published().dates("published_at", "year")})
    urls = ["/", "/news/", "/archive/", "/events/", "/speeches/", "/feeds/rss/", "/sitemap.xml"]
    urls += ["/sitemap-articles.xml", "/news/?page=2"]
    urls += [column.get_absolute_url() for column in Column.objects.all()]
    urls += [f"/archive/{year}/" for year in years] + [f"/archive/{years[-1]}/05/"]
    urls += [
        a.get_absolute_url() for a in Article.objects.filter(pk__in=rng.sample(published, items))
    ]
    pick = lambda queryset: rng.sample(list(queryset.values_list("pk", flat=True)[:2000]), items)  # noqa: E731
    urls += [f"/events/{pk}/" for pk in pick(Event.objects.public())]
    urls += [f"/speeches/{pk}/" for pk in pick(Speech.objects.public())]
    urls += [f"/people/{pk}/" for pk in pick(public_people())]
    urls += [f"/organizations/{pk}/" for pk in pick(public_organizations())]
    return urls


def still_cached(client, urls) -> tuple[int, list[str]]:
    """(served from the cache, pages rendered again); rendering again stores them anew."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    kept, again = 0, []
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        # Savepoints are the request's transaction, inside the run's: not a read.
        reads = [q for q in context if "SAVEPOINT" not in q["sql"]]
        if response.status_code == 200 and not reads:
            kept += 1
        else:
            again.append(url)
    return kept, again


def changes():
    """(label, function making the change) in the order they are measured."""
    from django.utils import timezone

    from members.models import Person
    from news.models import Article, Event, Participation
    from party_building.models import Attendance, BranchActivity, PartyMember

    def publish():
        article = Article.objects.filter(status=Article.Status.IN_REVIEW).first()
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
        article.save()

    def edit():
        article = Article.objects.published().order_by("-published_at")[5]
        article.title += "（修订）"
        article.save()

    def withdraw():
        article = Article.objects.published().order_by("-published_at")[7]
        article.status = Article.Status.WITHDRAWN
        article.save()

    def rename():
        person = Person.objects.get(pk=Participation.objects.values("person").first()["person"])
        person.name += "（更名）"
        person.save()

    def event():
        item = Event.objects.public().first()
        item.name += "（更正）"
        item.save()

    def draft():
        article = Article.objects.filter(status=Article.Status.DRAFT).first()
        article.body += "<p>补充一段。</p>"
        article.save()

    def attendance():
        activity = BranchActivity.objects.first()
        recorded = Attendance.objects.filter(activity=activity).values("member")
        member = PartyMember.objects.exclude(pk__in=recorded).first()
        Attendance.objects.create(activity=activity, member=member, status="present")

    return [
        ("an article saved as a draft", draft),
        ("attendance recorded", attendance),
        ("an article edited (title)", edit),
        ("an event edited (name)", event),
        ("a person renamed", rename),
        ("an article published", publish),
        ("an article withdrawn", withdraw),
    ]


def run(items: int, show: bool = False) -> None:
    from django.test import Client

    client = Client(SERVER_NAME="localhost")
    urls = sample(items)
    started = time.perf_counter()
    still_cached(client, urls)
    print(f"{len(urls)} pages in the sample, rendered in {time.perf_counter() - started:.1f} s")
    kept, _ = still_cached(client, urls)
    print(f"{'change':<30} {'change ms':>10} {'kept':>6} {'rendered again':>15}")
    print(f"{'(none)':<30} {'':>10} {kept:>6} {len(urls) - kept:>15}")
    for label, change in changes():
        started = time.perf_counter()
        change()
        took = (time.perf_counter() - started) * 1000
        kept, again = still_cached(client, urls)
        print(f"{label:<30} {took:10.1f} {kept:>6} {len(again):>15}")
        if show:
            print("    " + " ".join(again))


if __name__ == "__main__":
    sys.exit(main())
