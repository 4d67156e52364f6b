"""Page URLs of the chains app (namespace "chains", under /chains/)."""

from django.urls import path

from parklink.chains import views, views_metros, views_templates

app_name = "chains"

urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.chain_map, name="map"),
    path("map/gaps.xlsx", views.gaps_download, name="gaps_download"),
    path("compare/", views.compare, name="compare"),
    path("targets/", views.target_list, name="targets"),
    path("targets/targets.xlsx", views.targets_download, name="targets_download"),
    path("targets/lead/", views.make_lead, name="make_lead"),
    path("metros/", views_metros.metro_list, name="metros"),
    path("metros/new/", views_metros.metro_create, name="metro_create"),
    path("metro/<slug:key>/", views.metro, name="metro"),
    path("metro/<slug:key>/edit/", views_metros.metro_edit, name="metro_edit"),
    path("focus/", views_metros.focus, name="focus"),
    path("focus/<int:pk>/remove/", views_metros.focus_remove, name="focus_remove"),
    path("accuracy/", views.accuracy, name="accuracy"),
    path("rules/", views.rules, name="rules"),
    path("classify/", views.classify, name="classify"),
    path("jobs/<int:pk>/", views.job_status, name="job"),
    path("enterprises/<int:pk>/correct/", views.correct, name="correct"),
    path("templates/new/", views_templates.template_create, name="template_create"),
    path("templates/<int:pk>/", views_templates.template_detail, name="template"),
    path("templates/<int:pk>/edit/", views_templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/copy/", views_templates.template_copy, name="template_copy"),
]
