"""The enterprises' addresses, under /enterprises/ (the portal's blacklist is in
ecogov.urls with the other public pages, under /public/blacklist/)."""

from django.urls import path

from ecogov.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("blacklist/", views.listings, name="listings"),
    path("blacklist/new/", views.listing_new, name="listing_new"),
    path("blacklist/candidates/", views.candidates, name="candidates"),
    path("blacklist/<int:pk>/", views.listing_detail, name="listing"),
    path("blacklist/<int:pk>/remove/", views.listing_remove, name="listing_remove"),
    path("blacklist/<int:pk>/document/", views.listing_document, name="listing_document"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
]
