"""Page URLs of the park registry (namespace "parks")."""

from django.urls import path

from parklink.parks import views

app_name = "parks"

urlpatterns = [
    path("", views.park_list, name="list"),
    path("new/", views.park_create, name="create"),
    path("<int:pk>/", views.park_detail, name="detail"),
    path("<int:pk>/edit/", views.park_edit, name="edit"),
]
