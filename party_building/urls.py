from django.urls import path

from party_building import member_urls, views

app_name = "party_building"

urlpatterns = [
    path("board/", views.BoardView.as_view(), name="board"),
    path("board/export.xlsx", views.BoardExportView.as_view(format="xlsx"), name="board-xlsx"),
    path("board/export.csv", views.BoardExportView.as_view(format="csv"), name="board-csv"),
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
    path("public/branches/", views.PublicBranchListView.as_view(), name="public-branch-list"),
    path("public/branches/<int:pk>/", views.PublicBranchView.as_view(), name="public-branch"),
]

# The members' own pages, the sign-in code and the campaigns' public commitments.
urlpatterns += member_urls.urlpatterns
