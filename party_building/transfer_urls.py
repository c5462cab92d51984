"""The addresses of 组织关系转接, under /party/transfers/."""

from django.urls import path

from party_building import transfer_views as views

urlpatterns = [
    path("transfers/", views.TransferListView.as_view(), name="transfer-list"),
    path("transfers/new/", views.RequestView.as_view(), name="transfer-request"),
    path(
        "transfers/new-incoming/",
        views.IncomingRequestView.as_view(),
        name="transfer-incoming",
    ),
    path("transfers/<int:pk>/", views.TransferView.as_view(), name="transfer"),
    path("transfers/<int:pk>/letter.pdf", views.LetterView.as_view(), name="transfer-letter"),
]
