"""KPI pages (namespace "kpi", under /kpi/)."""

from django.urls import path

from parklink.kpi import (
    views,
    views_departments,
    views_exports,
    views_liaison,
    views_reports,
    views_surveys,
)

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
    path("departments/", views_departments.department_list, name="departments"),
    path("departments/<int:pk>/", views_departments.department_detail, name="department"),
    path("reports/", views_reports.report_page, name="reports"),
    path("reports/<int:pk>/file/", views_reports.report_download, name="report_file"),
    path("rates/", views_reports.exchange_rates, name="rates"),
    path("findings/", views_reports.findings, name="findings"),
    path("findings/export/", views_exports.findings_export, name="findings_export"),
    path("surveys/<int:pk>/export/", views_exports.survey_export, name="survey_export"),
    path("offices/export/", views_exports.offices_export, name="offices_export"),
    path("surveys/", views_surveys.survey_list, name="surveys"),
    path("surveys/new/", views_surveys.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views_surveys.survey_detail, name="survey"),
    path(
        "surveys/<int:pk>/recipients/",
        views_surveys.add_recipients,
        name="survey_recipients",
    ),
    path(
        "surveys/<int:pk>/rates/<str:group>/<str:rate>/",
        views_surveys.rate_behind,
        name="survey_rate",
    ),
    path(
        "surveys/<int:pk>/recipients/<int:rid>/answer/",
        views_surveys.answer,
        name="survey_answer",
    ),
    path(
        "surveys/<int:pk>/recipients/<int:rid>/link/",
        views_surveys.issue_link,
        name="survey_issue_link",
    ),
    path("s/<str:token>/", views_surveys.survey_link, name="survey_link"),
    path("help/", views_surveys.help_list, name="helps"),
    path("help/<int:pk>/", views_surveys.help_detail, name="help"),
    path("offices/", views_liaison.office_list, name="offices"),
    path("offices/new/", views_liaison.office_edit, name="office_new"),
    path("offices/<int:pk>/", views_liaison.office_detail, name="office"),
    path("offices/<int:pk>/edit/", views_liaison.office_edit, name="office_edit"),
    path("offices/<int:pk>/link/", views_liaison.link_by_name, name="office_link"),
    path("projects/<int:project>/office/", views_liaison.link_project, name="project_office"),
]
