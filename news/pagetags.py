"""What each cached news page lists, and which of those lists a change touches.

The page cache (core.pagecache) records by itself every row a page loads; this module
names the *lists*: a page that lists the articles of a column depends on the group
``articles/column:<slug>``, and saving an article published in that column bumps it. An
article's change is judged on the article as it was and as it is, so moving it to another
column, another month or out of the public's sight clears both places.

A change touches:
- an article (published, or scheduled: its time must be known to the pages): its own page,
  the pages of its neighbours in the column (``articles/page:<pk>``: their previous/next
  links), the general lists
  (``articles``: home, all news, the archive index, the feeds, sitemaps, search), its
  column's, its source's, its year's and month's lists, and the pages of the events,
  speeches, people and organisations it reports (they list their reports, and become
  public with it). A draft touches nothing public.
- an event, speech or participant: its own page (by its row), the lists of events and
  speeches, and the pages of the event, speaker, person and organisation it names.
- an attachment: its article's page.
- a column or source: every page (they are in the menu and every filter form).
"""

from django.utils import timezone

from core import pagecache
from members.models import Organization, Person
from news.models import (
    Article,
    Attachment,
    Column,
    Event,
    Participation,
    Source,
    Speech,
)

ARTICLES = "articles"
EVENTS = "events"
SPEECHES = "speeches"


def column_group(slug) -> str:
    return f"articles/column:{slug}"


def source_group(source_id) -> str:
    return f"articles/source:{source_id}"


def page_group(article_id) -> str:
    """An article's own page, as distinct from its row: its neighbours' changes show there."""
    return f"articles/page:{article_id}"


def year_group(year) -> str:
    return f"articles/year:{int(year)}"


def month_group(year, month) -> str:
    return f"articles/month:{int(year)}-{int(month):02d}"


def _rows(model, pks) -> set[str]:
    return {pagecache.row_tag(model, pk) for pk in pks if pk is not None}


def _event_tags(event_ids) -> set[str]:
    """The events, and everyone and everything their pages name."""
    if not event_ids:
        return set()
    tags = _rows(Event, event_ids)
    people, organizations = set(), set()
    for person, organization in Participation.objects.filter(event__in=event_ids).values_list(
        "person_id", "organization_id"
    ):
        people.add(person)
        organizations.add(organization)
    for speech, speaker in Speech.objects.filter(event__in=event_ids).values_list(
        "pk", "speaker_id"
    ):
        tags.add(pagecache.row_tag(Speech, speech))
        people.add(speaker)
    organizations.update(
        Event.objects.filter(pk__in=event_ids).values_list("organizer_id", flat=True)
    )
    return tags | _rows(Person, people) | _organization_tags(organizations)


def _organization_tags(organization_ids) -> set[str]:
    """Organisations and their parents (a parent's page lists its public children)."""
    organization_ids = {pk for pk in organization_ids if pk is not None}
    parents = Organization.objects.filter(pk__in=organization_ids).values_list(
        "parent_id", flat=True
    )
    return _rows(Organization, organization_ids | set(parents))


def article_affects(article) -> set[str]:
    if article.status != Article.Status.PUBLISHED:
        return set()  # drafts, articles in review and withdrawn ones are on no public page
    local = timezone.localtime(article.published_at)
    slug = Column.objects.filter(pk=article.column_id).values_list("slug", flat=True).first()
    tags = {
        ARTICLES,
        column_group(slug),
        source_group(article.source_id),
        year_group(local.year),
        month_group(local.year, local.month),
    }
    if article.pk is None:
        return tags
    in_column = Article.objects.published().filter(column_id=article.column_id)
    at = article.published_at
    for neighbour in (
        in_column.filter(published_at__lt=at).order_by("-published_at", "-pk").first(),
        in_column.filter(published_at__gt=at).order_by("published_at", "pk").first(),
        in_column.filter(published_at=at).exclude(pk=article.pk).first(),
    ):
        if neighbour is not None:
            tags.add(page_group(neighbour.pk))
    event_ids = set(article.events.values_list("pk", flat=True))
    speeches = list(article.speeches.values_list("pk", "speaker_id", "event_id"))
    if event_ids or speeches:
        tags |= {EVENTS, SPEECHES}
    tags |= _event_tags(event_ids | {event for _, _, event in speeches if event})
    tags |= _rows(Speech, (pk for pk, _, _ in speeches))
    tags |= _rows(Person, (speaker for _, speaker, _ in speeches))
    return tags


def event_affects(event) -> set[str]:
    return {EVENTS, SPEECHES}


def speech_affects(speech) -> set[str]:
    return {SPEECHES} | _rows(Person, [speech.speaker_id]) | _rows(Event, [speech.event_id])


def participation_affects(participation) -> set[str]:
    return (
        {EVENTS}
        | _rows(Event, [participation.event_id])
        | _rows(Person, [participation.person_id])
        | _organization_tags([participation.organization_id])
    )


def attachment_affects(attachment) -> set[str]:
    return {page_group(attachment.article_id)}


# --- What each page lists -------------------------------------------------------------------


def article_list_groups(request, **kwargs) -> list[str]:
    """/news/: a filter by column, source or year lists only what that group covers."""
    query = request.GET
    if query.get("q"):
        return [ARTICLES]
    if query.get("column"):
        return [column_group(query["column"])]
    if query.get("source", "").isdigit():
        return [source_group(query["source"])]
    if query.get("year", "").isdigit() and not (query.get("date_from") or query.get("date_to")):
        return [year_group(query["year"])]
    return [ARTICLES]


def register() -> None:
    pagecache.site_wide(Column, Source)
    pagecache.watch(Article, affects=article_affects)
    pagecache.watch(Event, affects=event_affects)
    pagecache.watch(Speech, affects=speech_affects)
    pagecache.watch(Participation, affects=participation_affects)
    pagecache.watch(Attachment, affects=attachment_affects)

    listing = {"covers": [Article]}
    pagecache.depend("news:home", [ARTICLES], **listing)
    pagecache.depend("news:article-list", article_list_groups, **listing)
    pagecache.depend("news:archive", [ARTICLES], **listing)
    pagecache.depend("news:year", lambda request, year: [year_group(year)], **listing)
    pagecache.depend(
        "news:month", lambda request, year, month: [month_group(year, month)], **listing
    )
    pagecache.depend("news:column", lambda request, slug: [column_group(slug)], **listing)
    pagecache.depend("news:feed-rss", [ARTICLES], **listing)
    pagecache.depend("news:feed-atom", [ARTICLES], **listing)
    for name in ("news:column-feed-rss", "news:column-feed-atom"):
        pagecache.depend(name, lambda request, slug: [column_group(slug)], **listing)
    pagecache.depend("news:event-list", [EVENTS], covers=[Event])
    pagecache.depend("news:speech-list", [SPEECHES], covers=[Speech])
    pagecache.depend("news:search", [ARTICLES, EVENTS, SPEECHES], covers=[Article, Event, Speech])
    everything = [Article, Event, Speech, Participation, Person, Organization]
    for name in ("sitemap-index", "sitemap-section"):
        pagecache.depend(name, [ARTICLES, EVENTS, SPEECHES], covers=everything)
    # The article, event, speech, person and organisation pages depend on the rows they
    # load, which the changes above bump; an article's page also on its neighbours.
    pagecache.depend("news:article", lambda request, pk, **kwargs: [page_group(pk)])
    for name in ("news:event", "news:speech", "news:person", "news:organization"):
        pagecache.depend(name, [])
