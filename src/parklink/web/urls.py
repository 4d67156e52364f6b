from django.contrib.auth import views as auth_views
from django.urls import path

from parklink.web import import_views, search_views, views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", search_views.search_page, name="search"),
    path("search/suggest/", search_views.search_suggest, name="search_suggest"),
    path("search/pick/<slug:kind>/", search_views.search_pick, name="search_pick"),
    path("import/", import_views.import_page, name="import"),
    path("import/validate/", import_views.import_validate, name="import_validate"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/cancel/", import_views.import_cancel, name="import_cancel"),
    path("import/jobs/<int:job_id>/", import_views.import_job, name="import_job"),
    path("import/template/<str:kind>/", import_views.import_template, name="import_template"),
]
