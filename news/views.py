from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DateDetailView, DetailView, ListView, TemplateView
from django.views.generic.dates import ArchiveIndexView, MonthArchiveView, YearArchiveView
from django_filters.views import FilterView

from core.clientaddr import client_network
from core.pagecache import cache_public_page
from core.pagination import FastPaginator, paginate
from news.filters import ArticleFilter, EventFilter, SpeechFilter
from news.models import (
    Article,
    Attachment,
    Column,
    Event,
    Participation,
    Speech,
    public_organizations,
    public_people,
)

PAGE_SIZE = 20
# Years a date URL may name: the calendar's ends overflow once shifted to UTC.
MIN_YEAR, MAX_YEAR = 2, 9998
# A reader who opens the same article again within this time is counted once.
READ_WINDOW_SECONDS = 30 * 60
# The home page shows this many columns, each with its latest items: a bounded number of queries.
HOME_COLUMNS = 8
HOME_ITEMS_PER_COLUMN = 8
HOME_PINNED = 5


@cache_public_page
class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().summaries()
        columns = list(Column.objects.all()[:HOME_COLUMNS])
        sections = [
            (column, list(published.filter(column=column)[:HOME_ITEMS_PER_COLUMN]))
            for column in columns
        ]
        return super().get_context_data(
            pinned=list(published.filter(is_pinned=True)[:HOME_PINNED]),
            sections=sections,
            **kwargs,
        )


@cache_public_page
class ArticleListView(FilterView):
    filterset_class = ArticleFilter
    paginate_by = PAGE_SIZE
    paginator_class = FastPaginator
    template_name = "news/article_list.html"

    def get_queryset(self):
        return Article.objects.published().summaries()


class CalendarBoundsMixin:
    """A year at the calendar's very ends (year 1, year 9999) names no page: 404, never 500.

    The date views turn the URL's day into an aware datetime range in Asia/Shanghai; at those
    ends the range leaves what a datetime can hold.
    """

    def dispatch(self, request, *args, **kwargs):
        year = kwargs.get("year")
        if year is not None and not (MIN_YEAR <= int(year) <= MAX_YEAR):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ArchiveMixin(CalendarBoundsMixin):
    date_field = "published_at"
    paginate_by = PAGE_SIZE
    paginator_class = FastPaginator
    allow_empty = True
    make_object_list = True
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().summaries()


@cache_public_page
class ArticleArchiveIndexView(ArchiveMixin, ArchiveIndexView):
    template_name = "news/article_archive.html"


@cache_public_page
class ArticleYearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "news/article_archive_year.html"


@cache_public_page
class ArticleMonthArchiveView(ArchiveMixin, MonthArchiveView):
    template_name = "news/article_archive_month.html"


@cache_public_page
class ColumnView(ListView):
    paginate_by = PAGE_SIZE
    paginator_class = FastPaginator
    template_name = "news/column_detail.html"

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        return Article.objects.published().summaries().filter(column=self.column)

    def get_context_data(self, **kwargs):
        return super().get_context_data(column=self.column, **kwargs)


@cache_public_page
class ArticleDetailView(CalendarBoundsMixin, DateDetailView):
    """The public article page: published articles only, for everyone."""

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    allow_future = True  # the queryset already hides scheduled articles from the public
    template_name = "news/article_detail.html"
    model = Article  # the date lookups need the model only, not the queryset again

    def get_queryset(self):
        # Whether the article has attachments, reports events or speeches: most have none,
        # and a relation known to be empty is not queried (get_object).
        articles = Article.objects.for_listing().annotate(
            has_attachments=Exists(Attachment.objects.filter(article=OuterRef("pk"))),
            has_events=Exists(Article.events.through.objects.filter(article=OuterRef("pk"))),
            has_speeches=Exists(Article.speeches.through.objects.filter(article=OuterRef("pk"))),
        )
        # Everyone, staff too, reads the published article here; drafts have their own
        # preview, for those who may change them (ArticleAdmin.preview_view).
        return articles.published()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        # The template skips a relation flagged empty (has_events is False …); the others
        # are loaded here, each in one query.
        related = []
        if article.has_attachments:
            related.append("attachments")
        if article.has_events:
            participations = Participation.objects.select_related("person", "organization")
            events = Event.objects.prefetch_related(
                Prefetch("participations", queryset=participations)
            )
            related.append(Prefetch("events", queryset=events))
        if article.has_speeches:
            related.append(Prefetch("speeches", queryset=Speech.objects.select_related("speaker")))
        if related:
            prefetch_related_objects([article], *related)
        return article

    def get_context_data(self, **kwargs):
        article = self.object
        in_column = Article.objects.published().filter(column_id=article.column_id)
        at = article.published_at
        # Each bound on the time alone as well, so that the database starts reading the
        # column's index at this article instead of filtering the whole column (the newest
        # article has no next one: without the bound, every article of its column is read).
        previous = (
            in_column.filter(published_at__lte=at)
            .filter(Q(published_at__lt=at) | Q(pk__lt=article.pk))
            .order_by("-published_at", "-pk")
            .only("title", "published_at")
            .first()
        )
        following = (
            in_column.filter(published_at__gte=at)
            .filter(Q(published_at__gt=at) | Q(pk__gt=article.pk))
            .order_by("published_at", "pk")
            .only("title", "published_at")
            .first()
        )
        return super().get_context_data(previous=previous, next=following, **kwargs)


@csrf_exempt
@require_POST
def count_read(request, pk):
    """One read of a published article, sent by the page's script (static/js/read-counter.js).

    The article page itself may come from the cache, so the page cannot count; the script
    does, once per reader network and article within READ_WINDOW_SECONDS. Staff reads and
    clients without scripts (most robots) are not counted. Nothing here changes what anyone
    sees, so it needs no CSRF token.
    """
    if not request.user.is_staff:
        key = f"news:read:{pk}:{client_network(request)}"
        if cache.add(key, True, READ_WINDOW_SECONDS):
            Article.objects.published().filter(pk=pk).update(view_count=F("view_count") + 1)
    return HttpResponse(status=204)


def with_reports(record, *, bodies: bool = False):
    """``record`` (an event or a speech) with `reports`: the newest published articles on it.

    What a list shows of them, and their ``bodies`` only if the page quotes them. One plain
    query for the one record a page shows; as a prefetch, sliced, Django wraps it in a window
    function over every article reporting the record.
    """
    articles = record.articles.published()
    articles = articles.for_listing() if bodies else articles.summaries()
    record.reports = list(articles[:PAGE_SIZE])
    return record


@cache_public_page
class EventListView(FilterView):
    filterset_class = EventFilter
    paginate_by = PAGE_SIZE
    paginator_class = FastPaginator
    template_name = "news/event_list.html"

    def get_queryset(self):
        return Event.objects.public()


@cache_public_page
class EventDetailView(DetailView):
    template_name = "news/event_detail.html"

    def get_queryset(self):
        # A public event's participants are public with it; its speeches only once reported.
        return (
            Event.objects.public()
            .select_related("organizer")
            .prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.select_related("person", "organization"),
                ),
                Prefetch("speeches", queryset=Speech.objects.public().select_related("speaker")),
            )
        )

    def get_object(self, queryset=None):
        return with_reports(super().get_object(queryset))

    def get_context_data(self, **kwargs):
        by_role = {}
        for participation in self.object.participations.all():
            by_role.setdefault(participation.role, []).append(participation)
        # Roles in the order a report names them: who presided, who spoke, who attended …
        groups = [
            (label, by_role[role]) for role, label in Participation.Role.choices if role in by_role
        ]
        return super().get_context_data(participant_groups=groups, **kwargs)


@cache_public_page
class SpeechListView(FilterView):
    filterset_class = SpeechFilter
    paginate_by = PAGE_SIZE
    paginator_class = FastPaginator
    template_name = "news/speech_list.html"

    def get_queryset(self):
        return Speech.objects.public().with_public_event().select_related("speaker").defer("text")


@cache_public_page
class SpeechDetailView(DetailView):
    template_name = "news/speech_detail.html"

    def get_queryset(self):
        return Speech.objects.public().with_public_event().select_related("speaker")

    def get_object(self, queryset=None):
        # The page quotes the first report's paragraphs that name the speaker.
        return with_reports(super().get_object(queryset), bodies=True)


@cache_public_page
class PersonView(DetailView):
    """A person's speeches and events, each with the post held at the time, newest first.

    Only while a published report names the person: otherwise 404, as for a missing id, so
    the register cannot be walked by number.
    """

    template_name = "news/person_detail.html"

    def get_queryset(self):
        return public_people()

    def get_context_data(self, **kwargs):
        speeches = (
            Speech.objects.public().with_public_event().filter(speaker=self.object).defer("text")
        )
        participations = (
            Participation.objects.public()
            .filter(person=self.object)
            .select_related("event", "organization")
            .order_by(F("event__start_date").desc(nulls_last=True), "-event_id")
        )
        return super().get_context_data(
            speeches=paginate(self.request, speeches, "speeches_page", public=True),
            participations=paginate(self.request, participations, "events_page", public=True),
            **kwargs,
        )


@cache_public_page
class OrganizationView(DetailView):
    """An organisation's events, and the people who took part on its behalf."""

    template_name = "news/organization_detail.html"

    def get_queryset(self):
        public = public_organizations()
        return public.select_related("parent").annotate(
            parent_is_public=Exists(public.filter(pk=OuterRef("parent_id")))
        )

    def get_context_data(self, **kwargs):
        participations = (
            Participation.objects.public()
            .filter(organization=self.object)
            .select_related("event", "person")
            .order_by(F("event__start_date").desc(nulls_last=True), "-event_id", "order")
        )
        return super().get_context_data(
            participations=paginate(self.request, participations, "page", public=True),
            children=public_organizations().filter(parent=self.object)[:PAGE_SIZE],
            **kwargs,
        )


from news.search_views import SearchView  # noqa: E402, F401  (the search page, for news/urls.py)


class FeedsView(TemplateView):
    """What a feed is and the address of each one: a reader subscribes, not reads XML."""

    template_name = "news/feeds.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=Column.objects.all(), **kwargs)
