"""The public side of consultations, under /public/consultations/."""

from django.urls import path

from ecogov.consultations import public_views as views

app_name = "public_consultations"

urlpatterns = [
    path("", views.index, name="index"),
    path("index.json", views.index_json, name="index_json"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>.json", views.detail_json, name="detail_json"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/thanks/", views.thanks, name="thanks"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("hearings/<int:pk>/record/", views.record, name="record"),
]
