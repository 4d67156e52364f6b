"""KPI pages (namespace "kpi", under /kpi/)."""

from django.urls import path

from parklink.kpi import views

app_name = "kpi"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("assess/", views.run_assessment, name="assess"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("orgs/<int:org>/figures/<str:name>/", views.figure_projects, name="figure"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/new/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<slug:key>/", views.scheme_detail, name="scheme"),
    path("targets/", views.target_list, name="targets"),
]
