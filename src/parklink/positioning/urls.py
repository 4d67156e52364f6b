"""Page URLs of positioning (namespace "positioning", under /positioning/)."""

from django.urls import path

from parklink.positioning import views, views_systems

app_name = "positioning"

urlpatterns = [
    path("", views.positioning, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("systems/", views_systems.system_list, name="systems"),
    path("systems/save/", views_systems.save_recommendation, name="save"),
    path("systems/<int:pk>/", views_systems.system_detail, name="system"),
    path("systems/industries/<int:pk>/", views_systems.industry_change, name="industry"),
]
