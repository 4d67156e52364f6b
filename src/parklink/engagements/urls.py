"""Page URLs of engagements (namespace "engagements", under /engagements/)."""

from django.urls import path

from parklink.engagements import views

app_name = "engagements"

urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("export.xlsx", views.engagement_export, name="export"),
    path("new/", views.engagement_create, name="create"),
    path("who-met/", views.who_met, name="who_met"),
    path("<int:pk>/", views.engagement_detail, name="detail"),
    path("<int:pk>/edit/", views.engagement_edit, name="edit"),
    path("<int:pk>/delete/", views.engagement_delete, name="delete"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
    path("follow-ups/", views.my_follow_ups, name="my_follow_ups"),
    path("follow-ups/<int:pk>/", views.follow_up_update, name="follow_up_update"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/export.xlsx", views.contact_export, name="contact_export"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
]
