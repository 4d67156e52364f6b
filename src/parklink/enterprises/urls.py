"""Page URLs of this app (its views are in views.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
