"""The rectification ledger's addresses, under /rectification/."""

from django.urls import path

from ecogov.rectification import import_views, report_views, transfer_views, views

urlpatterns = [
    path("", views.batch_list, name="rectification_batches"),
    path("batches/new/", views.batch_new, name="rectification_batch_new"),
    path("import/", import_views.import_list, name="rectification_import"),
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
    path(
        "batches/<int:pk>/transfers/", transfer_views.transfer_list, name="rectification_transfers"
    ),
    path(
        "batches/<int:pk>/transfers/new/",
        transfer_views.transfer_new,
        name="rectification_transfer_new",
    ),  # fmt: skip
    path(
        "batches/<int:pk>/transfers/import/",
        transfer_views.transfer_import,
        name="rectification_transfer_import",
    ),  # fmt: skip
    path(
        "transfers/<int:pk>/publish/",
        transfer_views.transfer_publish,
        name="rectification_transfer_publish",
    ),  # fmt: skip
    path("raise/", transfer_views.raise_choose, name="rectification_raise"),
]
