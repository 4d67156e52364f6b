"""Page URLs of 招商情报 (namespace "intel", under /intel/)."""

from django.urls import path

from parklink.intel import views

app_name = "intel"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("ingest/", views.ingest, name="ingest"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("documents/", views.documents, name="documents"),
    path("quality/", views.quality, name="quality"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/action/", views.item_action, name="item_action"),
]
