from django.urls import path, re_path
from django.views.decorators.http import require_safe

from news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news/", views.ArticleListView.as_view(), name="article-list"),
    path("archive/", views.ArticleArchiveIndexView.as_view(), name="archive"),
    re_path(r"^archive/(?P<year>\d{4})/$", views.ArticleYearArchiveView.as_view(), name="year"),
    re_path(
        r"^archive/(?P<year>\d{4})/(?P<month>\d{2})/$",
        views.ArticleMonthArchiveView.as_view(),
        name="month",
    ),
    re_path(
        r"^news/(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})/(?P<pk>\d+)/$",
        views.ArticleDetailView.as_view(),
        name="article",
    ),
    path("news/<int:pk>/read/", views.count_read, name="article-read"),
    path("columns/<slug:slug>/", views.ColumnView.as_view(), name="column"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Feeds answer GET and HEAD only (405 otherwise), like the sitemaps.
    path("feeds/", views.FeedsView.as_view(), name="feeds"),
    path("feeds/rss/", require_safe(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom/", require_safe(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path(
        "feeds/columns/<slug:slug>/rss/",
        require_safe(feeds.ColumnFeed()),
        name="column-feed-rss",
    ),
    path(
        "feeds/columns/<slug:slug>/atom/",
        require_safe(feeds.ColumnAtomFeed()),
        name="column-feed-atom",
    ),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/<int:pk>/", views.EventDetailView.as_view(), name="event"),
    path("speeches/", views.SpeechListView.as_view(), name="speech-list"),
    path("speeches/<int:pk>/", views.SpeechDetailView.as_view(), name="speech"),
    path("people/<int:pk>/", views.PersonView.as_view(), name="person"),
    path("organizations/<int:pk>/", views.OrganizationView.as_view(), name="organization"),
]
