"""Page URLs of the account pages (my account, organisation members)."""

from django.urls import path

from parklink.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account, name="account"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.password, name="password"),
    path("tokens/", views.token_create, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("members/", views.members, name="members"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/password/", views.member_password, name="member_password"),
    path("members/<int:pk>/unlock/", views.member_unlock, name="member_unlock"),
]
