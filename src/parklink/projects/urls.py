"""Page URLs of this app (its views are in views.py)."""

from django.urls import path

from parklink.projects import views, views_daily, views_outputs

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("export/", views.project_export, name="export"),
    path("ledger/", views_outputs.ledger_page, name="ledger"),
    path("ledger/export/", views_outputs.ledger_export, name="ledger_export"),
    path("map/", views_outputs.map_page, name="map"),
    path("map/data/", views_outputs.map_json, name="map_data"),
    path("<int:pk>/brief.pdf", views_outputs.brief_pdf, name="brief"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/transition/form/", views.transition_form, name="transition_form"),
    path("<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/done/", views.milestone_done, name="milestone_done"
    ),
    path("<int:pk>/approvals/", views.approval_set, name="approval_set"),
    path("<int:pk>/funds/", views.funds_add, name="funds_add"),
    path("<int:pk>/progress/", views_daily.progress_add, name="progress_add"),
    path(
        "<int:pk>/progress/<int:entry_pk>/edit/",
        views_daily.progress_edit,
        name="progress_edit",
    ),
    path(
        "<int:pk>/progress/<int:entry_pk>/delete/",
        views_daily.progress_delete,
        name="progress_delete",
    ),
    path("<int:pk>/problems/", views_daily.problem_add, name="problem_add"),
    path(
        "<int:pk>/problems/<int:problem_pk>/edit/",
        views_daily.problem_edit,
        name="problem_edit",
    ),
    path(
        "<int:pk>/problems/<int:problem_pk>/status/",
        views_daily.problem_status,
        name="problem_status",
    ),
    path("<int:pk>/year-plans/", views_daily.year_plan_set, name="year_plan_set"),
    path("problems/", views_daily.problem_list, name="problems"),
    path("problems/export/", views_daily.problem_export, name="problem_export"),
    path("warning-rules/", views_daily.warning_rules, name="warning_rules"),
]
