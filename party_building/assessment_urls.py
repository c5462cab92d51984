"""/party/appraisals/: 民主评议党员 and 书记述职评议 / 星级评定 (party_building namespace)."""

from django.urls import path

from party_building import assessment_views as views

urlpatterns = [
    path("", views.AppraisalOverviewView.as_view(), name="appraisals"),
    path("<int:year>/export.xlsx", views.AppraisalExportView.as_view(), name="appraisals-xlsx"),
    path(
        "<int:year>/branches/<int:pk>/",
        views.BranchAppraisalView.as_view(),
        name="appraisal-branch",
    ),
    path(
        "<int:year>/branches/<int:pk>/score/",
        views.BranchScoreView.as_view(),
        name="assessment",
    ),
]
