"""The enterprises' addresses, under /enterprises/: the record of one pollution source
(企业档案) with its export and the registration of its discharge permits."""

from django.urls import path

from ecogov.enterprises import views

app_name = "enterprises"

urlpatterns = [
    path("sources/<int:pk>/", views.record, name="record"),
    path("sources/<int:pk>/record.xlsx", views.record_export, name="record_export"),
    path("sources/<int:pk>/permits/new/", views.permit_add, name="permit_add"),
]
