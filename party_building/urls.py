from django.urls import include, path

from party_building import assessment_urls, member_urls, transfer_urls, views

app_name = "party_building"

urlpatterns = [
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/export.xlsx", views.BoardExportView.as_view(format="xlsx"), name="board-xlsx"),
    path("board/export.csv", views.BoardExportView.as_view(format="csv"), name="board-csv"),
    path("board/<slug:tab>/", views.BoardView.as_view(), name="board-tab"),
    path(
        "board/<slug:tab>/export.xlsx",
        views.BoardExportView.as_view(format="xlsx"),
        name="board-tab-xlsx",
    ),
    path(
        "board/<slug:tab>/export.csv",
        views.BoardExportView.as_view(format="csv"),
        name="board-tab-csv",
    ),
    path("branches/<int:pk>/", views.BranchView.as_view(), name="branch"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path(
        "activities/export.xlsx",
        views.ActivityExportView.as_view(format="xlsx"),
        name="activities-xlsx",
    ),
    path(
        "activities/export.csv",
        views.ActivityExportView.as_view(format="csv"),
        name="activities-csv",
    ),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity"),
    # settings.PRIVATE_MEDIA_URL: the private storage's links.
    path("files/<path:name>", views.activity_file, name="activity-file"),
    path("appraisals/", include(assessment_urls.urlpatterns)),
    path("public/branches/", views.PublicBranchListView.as_view(), name="public-branch-list"),
    path("public/branches/<int:pk>/", views.PublicBranchView.as_view(), name="public-branch"),
]

# The members' own pages, the sign-in code and the campaigns' public commitments.
urlpatterns += member_urls.urlpatterns

# 组织关系转接: the list, the requests, each transfer and its letter.
urlpatterns += transfer_urls.urlpatterns
