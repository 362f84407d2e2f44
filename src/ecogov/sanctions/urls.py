"""The sanctions' addresses, under /sanctions/ (the portal's notices are in ecogov.urls
with the other public pages, under /public/notices/)."""

from django.urls import path

from ecogov.sanctions import views

urlpatterns = [
    path("", views.index, name="sanctions"),
    path("notices/new/", views.notice_new, name="sanctions_notice_new"),
    path("notices/<int:pk>/", views.notice_detail, name="sanctions_notice"),
    path("notices/<int:pk>/edit/", views.notice_edit, name="sanctions_notice_edit"),
    path("notices/<int:pk>/act/<str:action>/", views.notice_act, name="sanctions_notice_act"),
    path("notices/<int:pk>/notice.docx", views.notice_docx, name="sanctions_notice_docx"),
    path("admonitions/new/", views.admonition_new, name="sanctions_admonition_new"),
    path("admonitions/<int:pk>/", views.admonition_detail, name="sanctions_admonition"),
    path(
        "admonitions/<int:pk>/act/<str:action>/",
        views.admonition_act,
        name="sanctions_admonition_act",
    ),
    path(
        "admonitions/<int:pk>/record.docx",
        views.admonition_docx,
        name="sanctions_admonition_docx",
    ),
    path("restrictions/new/", views.restriction_new, name="sanctions_restriction_new"),
    path("restrictions/<int:pk>/", views.restriction_detail, name="sanctions_restriction"),
    path(
        "restrictions/<int:pk>/act/<str:action>/",
        views.restriction_act,
        name="sanctions_restriction_act",
    ),
    path("referrals/new/", views.referral_new, name="sanctions_referral_new"),
    path("referrals/<int:pk>/", views.referral_detail, name="sanctions_referral"),
    path("referrals/<int:pk>/act/<str:action>/", views.referral_act, name="sanctions_referral_act"),
    path("referrals/<int:pk>/dossier/", views.referral_dossier, name="sanctions_dossier"),
    path(
        "referrals/<int:pk>/dossier.docx",
        views.referral_dossier_docx,
        name="sanctions_dossier_docx",
    ),
]
