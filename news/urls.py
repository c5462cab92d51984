from django.urls import path, re_path

from news import views

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
    path("columns/<slug:slug>/", views.ColumnView.as_view(), name="column"),
]
