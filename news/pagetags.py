"""What each cached news page lists, and which of those lists a change touches.

The page cache (core.pagecache) records by itself every row a page loads; this module
names the *lists*: a page that lists the articles of a column depends on the group
``articles/column:<slug>``, and saving an article published in that column bumps it. An
article's change is judged on the article as it was and as it is, so moving it to another
column, another month or out of the public's sight clears both places.

A change touches:
- an article (published, or scheduled: its time must be known to the pages): its own page,
  the pages of its neighbours in the column (``articles/page:<pk>``: their previous/next
  links), the general lists (``articles``: home, all news, the archive index, the feeds,
  sitemaps, search), its column's, its source's, its year's and month's lists, and the
  pages of the events, speeches, people and organisations it reports (they list their
  reports, and become public with it). A draft touches nothing public.
- an event, speech or participant: its own page (by its row), the lists of events and
  speeches, and the pages of the event, speaker, person and organisation it names.

Those are the *pages* of a person or an event (``people/page:<pk>``), not their rows: an
article page that merely shows a participant's name depends on the person's row, which a
new report does not change, so publishing one report does not clear every page naming the
same people. Renaming the person bumps the row, and clears them all.
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


def event_page(pk) -> str:
    return f"events/page:{pk}"


def speech_page(pk) -> str:
    return f"speeches/page:{pk}"


def person_page(pk) -> str:
    return f"people/page:{pk}"


def organization_page(pk) -> str:
    return f"organizations/page:{pk}"


def children_of(pk) -> str:
    """The pages of an organisation's children: they link their parent while it is public."""
    return f"organizations/children-of:{pk}"


def _pages(group, pks) -> set[str]:
    return {group(pk) for pk in pks if pk is not None}


def _event_tags(event_ids) -> set[str]:
    """The pages of these events and of everyone and everything they name.

    Pages, not rows: a page that merely shows a person's name depends on the person's row,
    which a report does not change; the person's own page lists the events.
    """
    if not event_ids:
        return set()
    tags = _pages(event_page, event_ids)
    people, organizations = set(), set()
    for person, organization in Participation.objects.filter(event__in=event_ids).values_list(
        "person_id", "organization_id"
    ):
        people.add(person)
        organizations.add(organization)
    for speech, speaker in Speech.objects.filter(event__in=event_ids).values_list(
        "pk", "speaker_id"
    ):
        tags.add(speech_page(speech))
        people.add(speaker)
    organizations.update(
        Event.objects.filter(pk__in=event_ids).values_list("organizer_id", flat=True)
    )
    return tags | _pages(person_page, people) | _organization_tags(organizations)


def _organization_tags(organization_ids) -> set[str]:
    """Organisations' pages, their parents' (which list public children) and their
    children's (which link a public parent)."""
    organization_ids = {pk for pk in organization_ids if pk is not None}
    parents = Organization.objects.filter(pk__in=organization_ids).values_list(
        "parent_id", flat=True
    )
    return _pages(organization_page, organization_ids | set(parents)) | _pages(
        children_of, organization_ids
    )


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
    tags.add(page_group(article.pk))  # what it reports, when only that changes
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
    tags |= _pages(speech_page, (pk for pk, _, _ in speeches))
    tags |= _pages(person_page, (speaker for _, speaker, _ in speeches))
    return tags


def event_affects(event) -> set[str]:
    return {EVENTS, SPEECHES, event_page(event.pk)}


def speech_affects(speech) -> set[str]:
    return (
        {SPEECHES, speech_page(speech.pk)}
        | _pages(person_page, [speech.speaker_id])
        | _pages(event_page, [speech.event_id])
    )


def participation_affects(participation) -> set[str]:
    return (
        {EVENTS}
        | _pages(event_page, [participation.event_id])
        | _pages(person_page, [participation.person_id])
        | _organization_tags([participation.organization_id])
    )


def organization_affects(organization) -> set[str]:
    """A parent's page lists its children."""
    return _pages(organization_page, [organization.parent_id])


def attachment_affects(attachment) -> set[str]:
    return {page_group(attachment.article_id)}


NEWS_SITEMAPS = {"pages", "columns", "articles", "events", "speeches", "people", "organizations"}


def sitemap_groups(request, section=None, **kwargs) -> list[str]:
    """A news section of the sitemap; another app's section depends on any change."""
    return [ARTICLES, EVENTS, SPEECHES] if section in NEWS_SITEMAPS else [pagecache.ANY]


def organization_groups(request, pk, **kwargs) -> list[str]:
    parent = Organization.objects.filter(pk=pk).values_list("parent_id", flat=True).first()
    return [organization_page(pk), *_pages(children_of, [parent])]


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
    pagecache.watch(Organization, affects=organization_affects)

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
    pagecache.depend("sitemap-section", sitemap_groups, covers=everything)
    # The index names every non-empty section, other apps' too: any change.
    pagecache.depend("sitemap-index", [pagecache.ANY], covers=everything)
    # The article, event, speech, person and organisation pages depend on the rows they
    # load, and on their own group: what they list (reports, events, neighbours) changes.
    pagecache.depend("news:article", lambda request, pk, **kwargs: [page_group(pk)])
    pagecache.depend("news:event", lambda request, pk, **kwargs: [event_page(pk)])
    pagecache.depend("news:speech", lambda request, pk, **kwargs: [speech_page(pk)])
    pagecache.depend("news:person", lambda request, pk, **kwargs: [person_page(pk)])
    pagecache.depend("news:organization", organization_groups)
