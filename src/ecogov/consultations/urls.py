"""Public consultation on major decisions (seed 003 §(五).1): the staff pages under
/consultations/; the public pages are in ecogov.consultations.public_urls."""

from django.urls import path

from ecogov.consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<str:action>/", views.act, name="act"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("hearings/<int:pk>/record/", views.record, name="record"),
]
