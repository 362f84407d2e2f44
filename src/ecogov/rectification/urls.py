"""The rectification ledger's addresses, under /rectification/."""

from django.urls import path

from ecogov.rectification import report_views, views

urlpatterns = [
    path("", views.batch_list, name="rectification_batches"),
    path("batches/new/", views.batch_new, name="rectification_batch_new"),
    path("batches/<int:pk>/", views.batch_detail, name="rectification_batch"),
    path("batches/<int:pk>/progress/", report_views.batch_progress, name="rectification_progress"),
    path(
        "batches/<int:pk>/progress.xlsx",
        report_views.batch_progress_xlsx,
        name="rectification_progress_xlsx",
    ),
    path(
        "batches/<int:pk>/progress.docx",
        report_views.batch_progress_docx,
        name="rectification_progress_docx",
    ),
    path("batches/<int:pk>/problems/new/", views.problem_new, name="rectification_problem_new"),
    path("problems/<int:pk>/", views.problem_detail, name="rectification_problem"),
    path("problems/<int:pk>/act/<str:action>/", views.problem_act, name="rectification_act"),
    path("problems/<int:pk>/closeout/", views.closeout_file, name="rectification_closeout"),
    path("lookbacks/<int:pk>/file/", views.lookback_file, name="rectification_lookback_file"),
]
