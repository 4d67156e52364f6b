"""Page URLs of the enterprise registry (namespace "enterprises")."""

from django.urls import path

from parklink.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("uscc-check/", views.uscc_check, name="uscc_check"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
]
