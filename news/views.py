from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.views.generic import DateDetailView, ListView, TemplateView
from django.views.generic.dates import ArchiveIndexView, MonthArchiveView, YearArchiveView
from django_filters.views import FilterView

from news.filters import ArticleFilter
from news.models import Article, Column

PAGE_SIZE = 20
# The home page shows this many columns, each with its latest items: a bounded number of queries.
HOME_COLUMNS = 8
HOME_ITEMS_PER_COLUMN = 8
HOME_PINNED = 5


class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
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


class ArticleListView(FilterView):
    filterset_class = ArticleFilter
    paginate_by = PAGE_SIZE
    template_name = "news/article_list.html"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArchiveMixin:
    date_field = "published_at"
    paginate_by = PAGE_SIZE
    allow_empty = True
    make_object_list = True
    month_format = "%m"

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleArchiveIndexView(ArchiveMixin, ArchiveIndexView):
    template_name = "news/article_archive.html"


class ArticleYearArchiveView(ArchiveMixin, YearArchiveView):
    template_name = "news/article_archive_year.html"


class ArticleMonthArchiveView(ArchiveMixin, MonthArchiveView):
    template_name = "news/article_archive_month.html"


class ColumnView(ListView):
    paginate_by = PAGE_SIZE
    template_name = "news/column_detail.html"

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        return Article.objects.published().for_listing().filter(column=self.column)

    def get_context_data(self, **kwargs):
        return super().get_context_data(column=self.column, **kwargs)


class ArticleDetailView(DateDetailView):
    """The public article page; staff also see unpublished articles here, as a preview."""

    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    allow_future = True  # the queryset already hides scheduled articles from the public
    template_name = "news/article_detail.html"

    def get_queryset(self):
        articles = Article.objects.for_listing().prefetch_related("attachments")
        if self.request.user.is_staff:
            return articles
        return articles.published()

    def get_object(self, queryset=None):
        article = super().get_object(queryset)
        if article.is_published() and not self.request.user.is_staff:
            Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
        return article

    def get_context_data(self, **kwargs):
        article = self.object
        in_column = Article.objects.published().filter(column_id=article.column_id)
        at = article.published_at
        previous = (
            in_column.filter(Q(published_at__lt=at) | Q(published_at=at, pk__lt=article.pk))
            .order_by("-published_at", "-pk")
            .only("title", "published_at")
            .first()
        )
        following = (
            in_column.filter(Q(published_at__gt=at) | Q(published_at=at, pk__gt=article.pk))
            .order_by("published_at", "pk")
            .only("title", "published_at")
            .first()
        )
        return super().get_context_data(previous=previous, next=following, **kwargs)
