"""Page URLs of positioning (namespace "positioning", under /positioning/)."""

from django.urls import path

from parklink.positioning import views

app_name = "positioning"

urlpatterns = [
    path("", views.positioning, name="index"),
    path("export.xlsx", views.export, name="export"),
]
