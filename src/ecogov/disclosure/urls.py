"""The public disclosure pages and open data, under /public/ (no account): the
environment's quality and the plan's targets (quality_urls), the penalties, the
complaint statistics, the open data sets with their dictionary and the Atom feed
(data_urls)."""

from django.urls import include, path

app_name = "disclosure"

urlpatterns = [
    path("", include("ecogov.disclosure.quality_urls")),
    path("", include("ecogov.disclosure.data_urls")),
]
