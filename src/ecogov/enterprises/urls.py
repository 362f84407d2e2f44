"""The enterprises' addresses, under /enterprises/: the record of one pollution source
(企业档案) with its export and the registration of its discharge permits; the blacklist
and the project register (the portal's blacklist is in ecogov.urls with the other public
pages, under /public/blacklist/)."""

from django.urls import path

from ecogov.enterprises import record_views, views

app_name = "enterprises"

urlpatterns = [
    path("sources/<int:pk>/", record_views.record, name="record"),
    path("sources/<int:pk>/record.xlsx", record_views.record_export, name="record_export"),
    path("sources/<int:pk>/permits/new/", record_views.permit_add, name="permit_add"),
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
