from django.urls import path

from parklink.reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("settings/", views.settings_page, name="settings"),
    path("webhooks/", views.webhooks_page, name="webhooks"),
    path("webhooks/<int:pk>/delete/", views.webhook_delete, name="webhook_delete"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
]
