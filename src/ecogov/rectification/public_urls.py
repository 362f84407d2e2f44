"""The portal's public list of the rectification, under /public/rectification/."""

from django.urls import path

from ecogov.rectification import public_views

urlpatterns = [
    path("", public_views.rectification_list, name="public_rectification"),
]
