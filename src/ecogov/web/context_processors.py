from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecogov import access
from ecogov.supervision.notify import unread_count

# The modules of EcoGov in the order of the work; those without a URL are still to come.
MODULES = (
    ("units", _("Member units and duties"), "unit_list"),
    ("jurisdictions", _("Jurisdictions"), "jurisdiction_list"),
    ("people", _("People"), "person_list"),
    ("grid", _("Grids and patrols"), "grid_map"),
    ("cases", _("Cases"), "case_list"),
    ("plans", _("Plans, tasks and targets"), "plan_list"),
    ("supervision", _("Supervision ledger"), "supervision_ledger"),
    ("meetings", _("Coordination meetings"), "meeting_list"),
    ("campaigns", _("Joint enforcement campaigns"), "campaign_list"),
    ("ledgers", _("Rectification ledgers"), "rectification_batches"),
    ("monitoring", _("Online monitoring"), "monitoring_overview"),
    ("assessment", _("Assessment and notices"), "assess:index"),
    ("disclosure", _("Public disclosure"), "public_disclosed"),
)


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    section = getattr(request, "section", "")
    modules = [
        {"key": key, "label": label, "url": reverse(url) if url else None, "active": key == section}
        for key, label, url in MODULES
    ]
    return {
        "modules": modules,
        "is_admin": access.is_admin(request.user),
        "can_see_history": access.can_see_history(request.user),
        "unread_notices": unread_count(request.user),
    }
