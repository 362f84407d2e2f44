"""The assessment's addresses, under /assess/."""

from django.urls import path

from ecogov.assess import views

app_name = "assess"
urlpatterns = [
    path("", views.index, name="index"),
    path("behind/", views.behind, name="behind"),
    path("schemes/new/", views.scheme_new, name="scheme_new"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/act/<str:action>/", views.scheme_act, name="scheme_act"),
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/act/<str:action>/", views.assessment_act, name="assessment_act"),
    path("<int:pk>/<str:which>.docx", views.assessment_docx, name="assessment_docx"),
    path("scores/<int:pk>/", views.score_detail, name="score"),
    path("scores/<int:pk>/act/<str:action>/", views.score_act, name="score_act"),
    path("lines/<int:pk>/evidence/", views.line_evidence, name="line_evidence"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("repairs/<int:pk>/evidence/", views.repair_evidence, name="repair_evidence"),
]
