"""Open data, its dictionary, the feed, penalties and complaint statistics, and the hub of
everything public (/public/)."""

from django.urls import path

from ecogov.disclosure import data_views, feeds

urlpatterns = [
    path("", data_views.index, name="index"),
    path("data/", data_views.data_catalogue, name="data"),
    path("data/<slug:slug>.csv", data_views.dataset_csv, name="dataset_csv"),
    path("data/<slug:slug>.json", data_views.dataset_json, name="dataset_json"),
    path("penalties/", data_views.penalties, name="penalties"),
    path("complaints/", data_views.complaints, name="complaints"),
    path("feed.atom", feeds.feed, name="feed"),
]
