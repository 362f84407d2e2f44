from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from ecogov.accounts import views as people
from ecogov.api import api
from ecogov.assess import views as assess
from ecogov.campaigns import views as campaigns
from ecogov.cases import oversight as case_oversight
from ecogov.cases import portal
from ecogov.cases import views as cases
from ecogov.disclosure.freshness import shared
from ecogov.enterprises import public_views as enterprises_public
from ecogov.grid import views as grid
from ecogov.meetings import views as meetings
from ecogov.monitoring import views as monitoring
from ecogov.org import views as org
from ecogov.patrols import evaluation_views as evaluation
from ecogov.patrols import views as patrols
from ecogov.plans import views as plans
from ecogov.rectification import public_views as rectification_public
from ecogov.sanctions import public_views as sanctions_public
from ecogov.sources import views as sources
from ecogov.suggestions import views as suggestions
from ecogov.supervision import views as supervision
from ecogov.web import audit_views as audit
from ecogov.web import views as web

admin.site.site_header = _("EcoGov back office")
admin.site.site_title = _("EcoGov back office")

urlpatterns = [
    path("", web.home, name="home"),
    path("favicon.ico", web.favicon, name="favicon"),
    path("audit/", audit.audit_trail, name="audit_trail"),
    path("audit/export.xlsx", audit.audit_export, name="audit_export"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(success_url="/"),
        name="password_change",
    ),
    # The language switch is a preference, not an act of the visitor's account: without
    # a CSRF token in its form every public page can be shared by caches (ecogov.disclosure
    # .freshness). A forged switch changes nothing but the language of the next page.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("jurisdictions/", org.jurisdiction_list, name="jurisdiction_list"),
    path("jurisdictions/<int:pk>/", org.jurisdiction_detail, name="jurisdiction_detail"),
    path("units/", org.unit_list, name="unit_list"),
    path("units/<int:pk>/", org.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", org.unit_edit, name="unit_edit"),
    path("units/<int:pk>/rename/", org.unit_rename_view, name="unit_rename"),
    path("units/<int:pk>/aliases/", org.alias_add, name="alias_add"),
    path("units/<int:pk>/duties/", org.duty_add, name="duty_add"),
    path("duties/<int:pk>/edit/", org.duty_edit, name="duty_edit"),
    path("duties/<int:pk>/delete/", org.duty_delete, name="duty_delete"),
    path("people/", people.person_list, name="person_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("public/grids/", grid.public_grid_page, name="public_grids"),
    path("public/grids/<int:pk>/", grid.public_grid_page, name="public_grid"),
    path("public/grids/locate", grid.public_grid_locate, name="public_grid_locate"),
    path("public/places/", grid.public_place_search, name="public_place_search"),
    path("grids/", grid.grid_map, name="grid_map"),
    path("grids/<int:pk>/", grid.grid_detail, name="grid_detail"),
    path("grids/<int:pk>/edit/", grid.grid_edit, name="grid_edit"),
    path("grids/<int:pk>/members/", grid.grid_member_add, name="grid_member_add"),
    path(
        "grids/<int:pk>/members/<int:member_id>/remove/",
        grid.grid_member_remove,
        name="grid_member_remove",
    ),
    path("grids/<int:pk>/contracts/", grid.grid_contract_add, name="grid_contract_add"),
    path("contracts/<int:pk>/file/", grid.grid_contract_file, name="grid_contract_file"),
    path("grids/evaluation/", evaluation.evaluation_overview, name="evaluation_overview"),
    path("grids/evaluation/export.xlsx", evaluation.evaluation_export, name="evaluation_export"),
    path(
        "grids/<int:pk>/evaluation/<int:year>/<int:quarter>/<str:kind>/",
        evaluation.evaluation_form,
        name="evaluation_form",
    ),
    path("patrol/", patrols.due_list, name="patrol_due"),
    path("patrol/<int:source_id>/", patrols.patrol_form, name="patrol_form"),
    path("patrol/submit/", patrols.patrol_submit, name="patrol_submit"),
    path("patrols/", patrols.patrol_list, name="patrol_list"),
    path("patrols/photos/<int:pk>/", patrols.patrol_photo, name="patrol_photo"),
    path("sources/", sources.source_list, name="source_list"),
    path("sources/<int:pk>/", sources.source_detail, name="source_detail"),
    path("sources/export.xlsx", sources.source_export, name="source_export"),
    path("sources/import/", sources.source_import, name="source_import"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_new, name="case_new"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/act/<str:action>/", cases.case_act, name="case_act"),
    path("cases/files/<int:pk>/", cases.case_attachment, name="case_attachment"),
    path("cases/findings/<int:pk>/take/", cases.finding_take, name="finding_take"),
    path("cases/rewards/", cases.reward_ledger, name="reward_ledger"),
    path("cases/overview/", case_oversight.case_overview, name="case_overview"),
    path("cases/supervision/", case_oversight.case_supervision, name="case_supervision"),
    path("cases/export.xlsx", case_oversight.case_export, name="case_export"),
    path("public/report/", portal.report, name="public_report"),
    path("public/report/thanks/", portal.report_received, name="public_report_received"),
    path("public/track/", portal.track, name="public_track"),
    path("public/track/<str:code>/", portal.tracked_case, name="public_case"),
    path(
        "public/cases/", shared(portal.disclosed_list, "disclosed-cases"), name="public_disclosed"
    ),
    path(
        "public/cases/<str:number>/",
        shared(portal.disclosed_case, "disclosed-cases"),
        name="public_disclosed_case",
    ),
    path("public/rewards/", shared(portal.reward_statistics, "rewards"), name="public_rewards"),
    path(
        "public/assessments/",
        shared(assess.public_list, "assessment-results"),
        name="public_assessments",
    ),
    path(
        "public/assessments/<int:pk>/",
        shared(assess.public_detail, "assessment-results"),
        name="public_assessment",
    ),
    path(
        "public/rectification/",
        shared(rectification_public.rectification_list, "rectification-problems"),
        name="public_rectification",
    ),
    path(
        "public/notices/",
        shared(sanctions_public.notice_list, "criticism-notices"),
        name="public_notices",
    ),
    path(
        "public/notices/<int:pk>/",
        shared(sanctions_public.notice_detail, "criticism-notices"),
        name="public_notice",
    ),
    path(
        "public/blacklist/",
        shared(enterprises_public.blacklist, "blacklist"),
        name="public_blacklist",
    ),
    path(
        "public/enterprises/",
        shared(enterprises_public.enterprise_list_page, "key-enterprises"),
        name="public_enterprises",
    ),
    path(
        "public/enterprises/index.json",
        shared(enterprises_public.enterprise_list_json, "key-enterprises"),
        name="public_enterprises_json",
    ),
    path(
        "public/enterprises/<int:pk>/",
        shared(enterprises_public.enterprise_page, "key-enterprises"),
        name="public_enterprise",
    ),
    path(
        "public/enterprises/<int:pk>.json",
        shared(enterprises_public.enterprise_json, "key-enterprises"),
        name="public_enterprise_json",
    ),
    path("public/", include("ecogov.disclosure.urls")),
    path("public/consultations/", include("ecogov.consultations.public_urls")),
    path("consultations/", include("ecogov.consultations.urls")),
    path("open311/v2/", include("ecogov.open311.urls")),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/import/", plans.plan_import_page, name="plan_import"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/ledger.xlsx", plans.plan_export, name="plan_export"),
    path("plans/<int:pk>/dispatch.docx", plans.plan_dispatch_report, name="plan_dispatch_report"),
    path("plans/<int:pk>/progress/", plans.plan_progress_import, name="plan_progress_import"),
    path("plans/<int:pk>/supervision/", plans.plan_supervision, name="plan_supervision"),
    path("plans/<int:pk>/ranking/", plans.plan_ranking, name="plan_ranking"),
    path(
        "plans/implementation/<int:pk>/upload/",
        plans.implementation_upload,
        name="implementation_upload",
    ),
    path(
        "plans/implementation/<int:pk>/document/",
        plans.implementation_document,
        name="implementation_document",
    ),
    path(
        "plans/implementation/<int:pk>/tasks/",
        plans.implementation_tasks,
        name="implementation_tasks",
    ),
    path("tasks/", plans.task_list, name="task_list"),
    path("targets/<int:pk>/", plans.target_detail, name="target_detail"),
    path("targets/<int:pk>/values.xlsx", plans.target_export, name="target_export"),
    path("tasks/<int:pk>/", plans.task_detail, name="task_detail"),
    path("monitoring/", monitoring.monitoring_overview, name="monitoring_overview"),
    path("monitoring/points/<int:pk>/", monitoring.monitoring_point, name="monitoring_point"),
    path("monitoring/alarms/", monitoring.monitoring_alarms, name="monitoring_alarms"),
    path("monitoring/alarms/<int:pk>/", monitoring.monitoring_alarm, name="monitoring_alarm"),
    path("supervision/", supervision.ledger_page, name="supervision_ledger"),
    path("supervision/export.xlsx", supervision.ledger_export, name="supervision_export"),
    path("supervision/import/", supervision.ledger_import, name="supervision_import"),
    path("supervision/new/", supervision.item_new, name="item_new"),
    path("supervision/items/<int:pk>/", supervision.item_detail, name="item_detail"),
    path("supervision/items/<int:pk>/act/<str:action>/", supervision.item_act, name="item_act"),
    path("supervision/evidence/<int:pk>/", supervision.evidence_file, name="evidence_file"),
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/new/", suggestions.suggestion_new, name="suggestion_new"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
    path(
        "suggestions/<int:pk>/act/<str:action>/", suggestions.suggestion_act, name="suggestion_act"
    ),
    path(
        "suggestions/<int:pk>/answers/<int:round>/letter.docx",
        suggestions.answer_letter,
        name="suggestion_letter",
    ),
    path(
        "suggestions/opinions/<int:pk>/", suggestions.opinion_file, name="suggestion_opinion_file"
    ),
    path("rectification/", include("ecogov.rectification.urls")),
    path("sanctions/", include("ecogov.sanctions.urls")),
    path("enterprises/", include("ecogov.enterprises.urls")),
    path("assess/", include("ecogov.assess.urls")),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_form, name="campaign_new"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_form, name="campaign_edit"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign_close"),
    path("campaigns/<int:pk>/plan/", campaigns.campaign_plan_file, name="campaign_plan_file"),
    path(
        "campaigns/<int:pk>/inspections/", campaigns.inspection_new, name="campaign_inspection_new"
    ),
    path(
        "campaigns/inspections/<int:pk>/case/",
        campaigns.inspection_case,
        name="campaign_inspection_case",
    ),
    path("notices/", supervision.notice_list, name="notice_list"),
    path("notices/read/", supervision.notices_read, name="notices_read"),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/act/<str:action>/", meetings.meeting_act, name="meeting_act"),
    path("meetings/topics/new/", meetings.topic_new, name="topic_new"),
    path("meetings/topics/files/<int:pk>/", meetings.topic_file, name="topic_file"),
    path("meetings/minutes/<int:pk>/", meetings.minutes_detail, name="minutes_detail"),
    path("meetings/minutes/<int:pk>/act/<str:action>/", meetings.minutes_act, name="minutes_act"),
    path("meetings/minutes/<int:pk>/minutes.docx", meetings.minutes_docx, name="minutes_docx"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
