from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("lawyers/lookup/", views.LawyerLookupView.as_view(), name="lawyer-lookup"),
    path("firms/lookup/", views.LawFirmLookupView.as_view(), name="firm-lookup"),
    path("firms/<int:pk>/", views.LawFirmView.as_view(), name="firm"),
]
