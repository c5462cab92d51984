"""Addresses of the members' own pages, the sign-in code and the public commitments; added to
``party_building.urls`` (under /party/)."""

from django.urls import path

from party_building import member_views as views

urlpatterns = [
    path("me/", views.MyRecordView.as_view(), name="my-record"),
    path("me/sign-in/", views.MemberLoginView.as_view(), name="member-login"),
    path("me/sign-out/", views.MemberLogoutView.as_view(), name="member-logout"),
    path("me/meetings/<int:pk>/", views.MyMeetingView.as_view(), name="my-meeting"),
    path(
        "activities/<int:pk>/check-in-code/",
        views.CheckInCodeView.as_view(),
        name="check-in-code",
    ),
    path("check-in/<str:token>/", views.CheckInView.as_view(), name="check-in"),
    path("public/campaigns/", views.PublicCampaignListView.as_view(), name="public-campaign-list"),
    path("public/campaigns/<int:pk>/", views.PublicCampaignView.as_view(), name="public-campaign"),
]
