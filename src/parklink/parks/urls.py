"""Page URLs of the park registry and its linkages (namespace "parks")."""

from django.urls import path

from parklink.parks import linkage_views, park_form_views, views

app_name = "parks"

urlpatterns = [
    path("", views.park_list, name="list"),
    path("new/", park_form_views.park_create, name="create"),
    path("<int:pk>/", views.park_detail, name="detail"),
    path("<int:pk>/edit/", park_form_views.park_edit, name="edit"),
    path("linkages/", linkage_views.linkage_list, name="linkage_list"),
    path("linkages/new/", linkage_views.linkage_create, name="linkage_create"),
    path("linkages/<int:pk>/", linkage_views.linkage_detail, name="linkage_detail"),
    path("linkages/<int:pk>/edit/", linkage_views.linkage_edit, name="linkage_edit"),
]
