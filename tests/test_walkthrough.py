"""Every page as every role, on a desktop and on a phone, in a real browser.

For each persona (and an anonymous visitor) every page URL of ``ecogov.urls`` is asked
for; those the role may open are shown in Chromium (on the desktop, but for the roles
that the phone walk shows), and with ECOGOV_WALKTHROUGH_SHOTS=1
(``make screenshots``) photographed, full page, under
var/screenshots/walkthrough/<viewport>/<role>/. No answer may be a server error, no page
may break the Content-Security-Policy (the ``page_for`` fixture fails the test), and on
the phone no public page may be wider than the screen. Pages outside the portal that
overflow on the phone are listed in var/screenshots/walkthrough/overflow-phone.txt.

The walk relies on URL names and roles only, not on what the pages say: a page added to
``ecogov.urls`` without arguments here fails the test until it is added to ``ARGUMENTS``.
"""

import base64
import datetime
import os
import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from ecogov.accounts.models import Role
from ecogov.campaigns.sample import campaigns_sample_load
from ecogov.cases import services as cases
from ecogov.cases.models import Channel, Outcome
from ecogov.grid.models import Grid
from ecogov.grid.services import contract_add
from ecogov.monitoring.models import Alarm, Point
from ecogov.monitoring.sample import monitoring_sample_load
from ecogov.patrols.services import patrol_record
from ecogov.plans.models import Plan
from ecogov.plans.sample import plans_sample_load
from ecogov.sources.models import Source
from ecogov.sources.sample import sources_sample_load
from ecogov.suggestions import services as suggestions
from ecogov.supervision import services as supervision
from ecogov.testing import make_person, make_personas
from test_browser import browser, page_for  # noqa: F401  (the fixtures, with the CSP watch)

pytestmark = [pytest.mark.browser, pytest.mark.walkthrough]

SHOTS = Path(settings.VAR_DIR) / "screenshots" / "walkthrough"
# Photographing some 800 pages full length is most of the walk's time and nobody looks at
# the photographs of a test run: `make screenshots` takes them (the checks are the same).
PHOTOGRAPH = os.environ.get("ECOGOV_WALKTHROUGH_SHOTS", "") == "1"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
VIEWPORTS = {"desktop": False, "phone": True}
# Who works on a phone: citizens, grid workers, units' liaisons. The server answers every
# role the same on either screen, so the desktop walk finds every role's errors; the
# phone walk is about what fits (the portal must; staff pages are reported).
PHONE_ROLES = frozenset({"anonymous", "grid-worker", "liaison", "township-liaison"})
# Pages that are not in ecogov.urls' own list (included URL sets).
INCLUDED = ("/admin/", "/api/docs")
# What a citizen sees: these must fit a phone's width.
PUBLIC = re.compile(r"^/(public/|accounts/login/)")


def walk_data():
    """Enough of a district for every page to have something to show: the personas, the
    sample sources and plans, three days of monitoring (alarms, a case), a case with a
    file, a disclosed case, a patrol with a finding and its photo, a contract."""
    people = make_personas()
    district = people.district
    sources_sample_load(district)
    plans_sample_load()
    monitoring_sample_load(district, days=3)
    case = cases.case_register(
        jurisdiction=district, channel=Channel.HOTLINE, text="南滩街道排洪渠常年是黑水",
        address="南滩街道某家属院", reporter={"name": "王举报人", "phone": "13900001111"},
        files=[SimpleUploadedFile("site.png", PNG)], lead=people.construction, by=people.dora,
    )  # fmt: skip
    done = cases.case_register(
        jurisdiction=district, channel=Channel.HOTLINE, text="夜间工地施工噪声扰民",
        address="南川东路", reporter={"name": "李居民", "phone": "13900002222"},
        lead=people.construction, by=people.dora,
    )  # fmt: skip
    cases.case_accept(done, by=people.liam)
    cases.case_report(done, investigation="查明夜间施工。", measures="已责令停工。",
                      outcome=Outcome.RECTIFIED, by=people.liam)  # fmt: skip
    cases.case_verify(done, confirmed=True, note="复查无夜间施工。", by=people.dora)
    cases.case_close(done, by=people.dora)
    cases.case_answer(done, text="已整改。", by=people.dora)
    cases.case_disclose(done, summary="夜间施工噪声：已整改。", by=people.dora)
    source = Source.objects.filter(grid__parent=people.grid).select_related("grid").first()
    patrol, _ = patrol_record(
        source=source, worker=people.gary, patrolled_at=timezone.now(), client_id=uuid.uuid4(),
        finding=True,
        note="夜间露天烧烤", photos=[SimpleUploadedFile("p.png", PNG)],
    )  # fmt: skip
    village = source.grid
    contract = contract_add(
        lower=village, signed_on=datetime.date(2026, 3, 1), note="2026年度", by=people.ada,
        file=SimpleUploadedFile("责任状.pdf", b"%PDF-1.4\n%walk\n"),
    )  # fmt: skip
    plan = Plan.objects.filter(jurisdiction=district).order_by("pk").first()
    task = plan.tasks.order_by("pk").first()
    item = supervision.item_create(
        jurisdiction=district, kind="instruction", title="关于城中河整治的批示",
        lead=people.construction, supervisor=people.bureau, deadline=datetime.date(2026, 12, 31),
        by=people.dora,
    )  # fmt: skip
    report = supervision.item_report(item, text="已开工", files=[SimpleUploadedFile("p.png", PNG)],
                                     by=people.liam)  # fmt: skip
    proposal = suggestions.suggestion_register(
        jurisdiction=district, kind="suggestion", session="区十八届人大三次会议", number=12,
        title="关于加强建筑工地扬尘治理的建议", text="南川东路沿线工地扬尘严重。",
        received_on=datetime.date(2026, 3, 1), authors=[{"name": "张明", "body": "deputy"}],
        by=people.dora,
    )  # fmt: skip
    suggestions.suggestion_assign(proposal, main=people.construction, co=[people.health],
                                  by=people.dora)  # fmt: skip
    opinion = suggestions.opinion_send(proposal, text="建议加强夜间巡查。", by=people.lily,
                                       files=[SimpleUploadedFile("意见.pdf", b"%PDF-1.4\n%o\n")])  # fmt: skip
    suggestions.answer_give(proposal, answer_class="A", letter="已全部整改。", by=people.liam)
    campaign = campaigns_sample_load(district)["campaign"]
    today = timezone.localdate()
    minutes = walk_meeting(people, today)
    rectification = walk_rectification(district)
    sanctions = walk_sanctions(district)
    assessment = walk_assess(district)
    enterprises = walk_enterprises(district)  # after the assessments: it publishes another
    public = walk_public(district, done)
    ids = {
        "district": district.pk, "unit": people.construction.pk, "person": people.liam.pk,
        "duty": people.construction.duties.order_by("pk").first().pk,
        "grid": village.pk, "town": Grid.objects.get(name="总寨镇").pk,
        "contract": contract.pk, "photo": patrol.photos.get().pk, "source": source.pk,
        "case": case.pk, "file": case.attachments.get().pk, "finding": patrol.report.pk,
        "code": done.tracking_code, "number": done.number, "plan": plan.pk, "task": task.pk,
        "target": plan.targets.order_by("pk").first().pk,
        "point": Point.objects.filter(jurisdiction=district).order_by("pk").first().pk,
        "alarm": Alarm.objects.order_by("pk").first().pk,
        "year": today.year, "quarter": (today.month - 1) // 3 + 1,
        "item": item.pk, "evidence": report.evidence.get().pk, "suggestion": proposal.pk,
        "opinion": opinion.pk,
        "meeting": minutes.meeting_id, "minutes": minutes.pk,
        "topic_file": minutes.meeting.topics.get().files.get().pk,
        "campaign": campaign.pk,
        "inspection": campaign.inspections.filter(patrol__finding=True).first().pk,
        "implementation": plan.implementations.exclude(document=None).first().pk,
        **rectification, **sanctions, **assessment, **enterprises, **public,
    }  # fmt: skip
    roles = {
        "administrator": people.ada, "dispatcher": people.dora, "liaison": people.liam,
        "township-liaison": make_person("tina", Role.LIAISON, people.township, name="Tina"),
        "grid-worker": people.gary, "leader": people.lena, "inspector": people.ian,
        "outsider": people.oscar, "anonymous": None,
    }  # fmt: skip
    return roles, ids


def walk_rectification(district) -> dict:
    """The sample's two batches: a closed-out problem with its document, a look-back, a
    transferred complaint."""
    from ecogov.rectification.models import Batch, LookBack, Problem, TransferredCase
    from ecogov.rectification.sample import rectification_sample_load

    rectification_sample_load(district)
    problem = Problem.objects.exclude(closeout_file="").order_by("pk").first()
    return {
        "batch": Batch.objects.filter(jurisdiction=district).order_by("pk").first().pk,
        "problem": problem.pk, "lookback": LookBack.objects.order_by("pk").first().pk,
        "transfer": TransferredCase.objects.order_by("pk").first().pk,
    }  # fmt: skip


def walk_assess(district) -> dict:
    """The sample's assessments: a published quarter with a manual bonus and an accepted
    objection, and a year's draft."""
    from ecogov.assess.models import Assessment, Line, Objection
    from ecogov.assess.sample import assess_sample_load

    assess_sample_load(district)
    published = Assessment.objects.get(state=Assessment.State.PUBLISHED)
    draft = Assessment.objects.get(state=Assessment.State.DRAFT)
    return {
        "scheme": published.scheme_id, "assessment": published.pk, "draft": draft.pk,
        "draft_score": draft.scores.order_by("rank", "pk").first().pk,
        "score": published.scores.order_by("rank", "pk").first().pk,
        "manual": Line.objects.exclude(evidence="").order_by("pk").first().pk,
        "objection": Objection.objects.order_by("pk").first().pk,
    }  # fmt: skip


def walk_enterprises(district) -> dict:
    """The sample's blacklisted enterprise with its permit, cases and listing, its
    projects, and the credit rating with its approved repair."""
    from ecogov.assess.models import Repair
    from ecogov.assess.sample import credit_sample_load
    from ecogov.enterprises.models import Listing, Project
    from ecogov.enterprises.sample import enterprises_sample_load
    from ecogov.sources.models import Source

    enterprises_sample_load(district)
    credit_sample_load(district)
    listing = Listing.objects.order_by("pk").first()
    return {
        "listing": listing.pk, "enterprise": listing.source_id,
        "key_source": Source.objects.filter(key=True, jurisdiction=district).order_by("pk").first().pk,
        "project": Project.objects.order_by("pk").first().pk,
        "repair": Repair.objects.order_by("pk").first().pk,
    }  # fmt: skip


def walk_sanctions(district) -> dict:
    """The sample sanctions: a published notice, a talk, a restriction, a referral."""
    from ecogov.sanctions.models import Admonition, CriticismNotice, Referral, Restriction
    from ecogov.sanctions.sample import sanctions_sample_load

    sanctions_sample_load(district)
    return {
        "sanction_notice": CriticismNotice.private_objects.order_by("pk").first().pk,
        "admonition": Admonition.objects.order_by("pk").first().pk,
        "restriction": Restriction.objects.order_by("pk").first().pk,
        "referral": Referral.objects.order_by("pk").first().pk,
    }


def walk_public(district, done) -> dict:
    """The public side: the sample's stations, its two consultations (an open one, an
    answered one with its hearing record), the Open311 token of the disclosed case."""
    from ecogov.consultations.models import Consultation, Document, Hearing
    from ecogov.consultations.sample import consultations_sample_load
    from ecogov.open311.georeport import token_for

    consultations_sample_load(district)
    points = Point.objects.filter(jurisdiction=district)
    open_one = Consultation.private_objects.filter(state="open").order_by("pk").first()
    document = Document.objects.create(  # the sample's consultations have no document
        consultation=open_one, file=SimpleUploadedFile("征求意见稿.pdf", b"%PDF-1.4\n%c\n"),
        name="征求意见稿.pdf", kind="pdf",
    )  # fmt: skip
    return {
        "air": points.filter(kind=Point.Kind.AIR_STATION).order_by("pk").first().pk,
        "water": points.filter(kind=Point.Kind.WATER_SECTION).order_by("pk").first().pk,
        "consultation": open_one.pk, "consultation_document": document.pk,
        "hearing": Hearing.objects.exclude(record="").order_by("pk").first().pk,
        "token": token_for(done),
    }  # fmt: skip


def walk_meeting(people, today):
    """A joint meeting with a topic and its material, held, whose minutes are issued."""
    from ecogov.meetings import services as meetings

    meeting = meetings.meeting_create(
        jurisdiction=people.district, kind="joint", title="2026年第一次联席会议",
        convener=people.bureau, starts_at=timezone.now(), invite=[people.construction],
        by=people.dora,
    )  # fmt: skip
    meetings.topic_propose(unit=None, title="排洪渠整治", meeting=meeting, by=people.liam,
                           files=[SimpleUploadedFile("现场.png", PNG)])  # fmt: skip
    meetings.meeting_hold(meeting, by=people.dora)
    meetings.attendance_record(meeting, unit=people.construction, attendance="present",
                               person="李建", by=people.dora)  # fmt: skip
    minutes = meetings.minutes_draft(meeting, text="会议议定如下。", by=people.dora)
    meetings.resolution_add(minutes, text="完成排洪渠整治。", lead=people.construction,
                            deadline=today + datetime.timedelta(days=30), by=people.dora)  # fmt: skip
    meetings.minutes_circulate(minutes, by=people.dora)
    return meetings.minutes_issue(minutes, number="城环委纪〔2026〕1号", by=people.dora)


def arguments(ids) -> dict[str, dict]:
    """The arguments of every page of ecogov.urls, by URL name (a page without any here
    fails the walk: add it)."""
    unit, grid = {"pk": ids["unit"]}, {"pk": ids["grid"]}
    return {
        "jurisdiction_detail": {"pk": ids["district"]},
        "unit_detail": unit, "unit_edit": unit, "unit_rename": unit, "alias_add": unit,
        "duty_add": unit, "duty_edit": {"pk": ids["duty"]}, "duty_delete": {"pk": ids["duty"]},
        "person_detail": {"pk": ids["person"]}, "person_edit": {"pk": ids["person"]},
        "public_grid": grid, "grid_detail": grid, "grid_edit": {"pk": ids["town"]},
        "grid_member_add": grid, "grid_member_remove": {"pk": ids["grid"], "member_id": 0},
        "grid_contract_add": grid, "grid_contract_file": {"pk": ids["contract"]},
        "evaluation_form": {"pk": ids["grid"], "year": ids["year"], "quarter": ids["quarter"],
                            "kind": "self"},
        "patrol_form": {"source_id": ids["source"]}, "patrol_photo": {"pk": ids["photo"]},
        "source_detail": {"pk": ids["source"]},
        "case_detail": {"pk": ids["case"]}, "case_act": {"pk": ids["case"], "action": "accept"},
        "case_attachment": {"pk": ids["file"]}, "finding_take": {"pk": ids["finding"]},
        "public_case": {"code": ids["code"]}, "public_disclosed_case": {"number": ids["number"]},
        "plan_detail": {"pk": ids["plan"]}, "plan_export": {"pk": ids["plan"]},
        "plan_dispatch_report": {"pk": ids["plan"]}, "plan_progress_import": {"pk": ids["plan"]},
        "plan_supervision": {"pk": ids["plan"]}, "plan_ranking": {"pk": ids["plan"]},
        "target_detail": {"pk": ids["target"]}, "target_export": {"pk": ids["target"]},
        "task_detail": {"pk": ids["task"]},
        "monitoring_point": {"pk": ids["point"]}, "monitoring_alarm": {"pk": ids["alarm"]},
        "item_detail": {"pk": ids["item"]}, "item_act": {"pk": ids["item"], "action": "report"},
        "evidence_file": {"pk": ids["evidence"]},
        "suggestion_detail": {"pk": ids["suggestion"]},
        "suggestion_act": {"pk": ids["suggestion"], "action": "rate"},
        "suggestion_letter": {"pk": ids["suggestion"], "round": 1},
        "suggestion_opinion_file": {"pk": ids["opinion"]},
        "meeting_detail": {"pk": ids["meeting"]},
        "meeting_act": {"pk": ids["meeting"], "action": "hold"},
        "topic_file": {"pk": ids["topic_file"]}, "minutes_detail": {"pk": ids["minutes"]},
        "minutes_act": {"pk": ids["minutes"], "action": "circulate"},
        "minutes_docx": {"pk": ids["minutes"]},
        "implementation_upload": {"pk": ids["implementation"]},
        "implementation_document": {"pk": ids["implementation"]},
        "implementation_tasks": {"pk": ids["implementation"]},
        "campaign_detail": {"pk": ids["campaign"]}, "campaign_edit": {"pk": ids["campaign"]},
        "campaign_close": {"pk": ids["campaign"]}, "campaign_plan_file": {"pk": ids["campaign"]},
        "campaign_inspection_new": {"pk": ids["campaign"]},
        "campaign_inspection_case": {"pk": ids["inspection"]},
        "rectification_batch": {"pk": ids["batch"]},
        "rectification_problem_new": {"pk": ids["batch"]},
        "rectification_problem": {"pk": ids["problem"]},
        "rectification_act": {"pk": ids["problem"], "action": "report"},
        "rectification_closeout": {"pk": ids["problem"]},
        "rectification_lookback_file": {"pk": ids["lookback"]},
        "rectification_transfers": {"pk": ids["batch"]},
        "rectification_transfer_new": {"pk": ids["batch"]},
        "rectification_transfer_import": {"pk": ids["batch"]},
        "rectification_transfer_publish": {"pk": ids["transfer"]},
        "rectification_progress": {"pk": ids["batch"]},
        "rectification_progress_xlsx": {"pk": ids["batch"]},
        "rectification_progress_docx": {"pk": ids["batch"]},
        "public_assessment": {"pk": ids["assessment"]},
        "assess:scheme": {"pk": ids["scheme"]},
        "assess:scheme_act": {"pk": ids["scheme"], "action": "run"},
        "assess:assessment": {"pk": ids["assessment"]},
        "assess:assessment_act": {"pk": ids["assessment"], "action": "publish"},
        "assess:assessment_docx": {"pk": ids["assessment"], "which": "notice"},
        "assess:score": {"pk": ids["score"]},
        "assess:score_act": {"pk": ids["score"], "action": "object"},
        "assess:line_evidence": {"pk": ids["manual"]},
        "assess:objection_evidence": {"pk": ids["objection"]},
        "sanctions_notice": {"pk": ids["sanction_notice"]},
        "sanctions_notice_edit": {"pk": ids["sanction_notice"]},
        "sanctions_notice_act": {"pk": ids["sanction_notice"], "action": "publish"},
        "sanctions_notice_docx": {"pk": ids["sanction_notice"]},
        "public_notice": {"pk": ids["sanction_notice"]},
        "sanctions_admonition": {"pk": ids["admonition"]},
        "sanctions_admonition_act": {"pk": ids["admonition"], "action": "commit"},
        "sanctions_admonition_docx": {"pk": ids["admonition"]},
        "sanctions_restriction": {"pk": ids["restriction"]},
        "sanctions_restriction_act": {"pk": ids["restriction"], "action": "lift"},
        "sanctions_referral": {"pk": ids["referral"]},
        "sanctions_referral_act": {"pk": ids["referral"], "action": "acknowledge"},
        "sanctions_dossier": {"pk": ids["referral"]},
        "sanctions_dossier_docx": {"pk": ids["referral"]},
        "enterprises:record": {"pk": ids["enterprise"]},
        "enterprises:record_export": {"pk": ids["enterprise"]},
        "enterprises:permit_add": {"pk": ids["enterprise"]},
        "enterprises:listing": {"pk": ids["listing"]},
        "enterprises:listing_remove": {"pk": ids["listing"]},
        "enterprises:listing_document": {"pk": ids["listing"]},
        "enterprises:project": {"pk": ids["project"]},
        "public_enterprise": {"pk": ids["key_source"]},
        "public_enterprise_json": {"pk": ids["key_source"]},
        "assess:repair_evidence": {"pk": ids["repair"]},
        **public_arguments(ids),
    }  # fmt: skip


def public_arguments(ids) -> dict[str, dict]:
    """Issue 22's pages: Open311 (in JSON; XML in more_urls), disclosure, consultations."""
    json = {"format": "json"}
    consultation, air, water = {"pk": ids["consultation"]}, {"pk": ids["air"]}, {"pk": ids["water"]}
    return {
        "open311:discovery": json, "open311:services": json, "open311:requests": json,
        "open311:service_definition": {**json, "code": "air"},
        "open311:request": {**json, "number": ids["number"]},
        "open311:token": {**json, "token": ids["token"]},
        "disclosure:air_station": air, "disclosure:air_station_json": air,
        "disclosure:water_section": water, "disclosure:water_section_json": water,
        "disclosure:target": {"pk": ids["target"]}, "disclosure:target_json": {"pk": ids["target"]},
        "disclosure:dataset_csv": {"slug": "penalties"},
        "disclosure:dataset_json": {"slug": "consultations"},
        "consultations:detail": consultation, "consultations:edit": consultation,
        "consultations:act": {**consultation, "action": "close"},
        "consultations:document": {"pk": ids["consultation_document"]},
        "consultations:record": {"pk": ids["hearing"]},
        "public_consultations:detail": consultation,
        "public_consultations:detail_json": consultation,
        "public_consultations:comment": consultation, "public_consultations:thanks": consultation,
        "public_consultations:document": {"pk": ids["consultation_document"]},
        "public_consultations:record": {"pk": ids["hearing"]},
    }  # fmt: skip


def more_urls(ids) -> list[str]:
    """Pages that are asked for with other arguments too: the other document, a draft
    (which the assessed units may not read) and its score."""
    return [
        reverse("assess:assessment_docx", kwargs={"pk": ids["assessment"], "which": "ranking"}),
        reverse("assess:assessment", kwargs={"pk": ids["draft"]}),
        reverse("assess:assessment_docx", kwargs={"pk": ids["draft"], "which": "ranking"}),
        reverse("assess:score", kwargs={"pk": ids["draft_score"]}),
        reverse("open311:services", kwargs={"format": "xml"}),
        reverse("open311:requests", kwargs={"format": "xml"}),
        reverse("open311:request", kwargs={"format": "xml", "number": ids["number"]}),
    ]


# URL sets of our own with a namespace, walked like the others ("assess:score").
OWN_NAMESPACES = frozenset(
    {"assess", "enterprises", "open311", "disclosure", "consultations", "public_consultations"}
)


def _patterns(patterns, prefix=""):
    """The named pages with their names, those of included sets of our own
    (/rectification/, /assess/) too; the admin's and the API's are walked through their
    entries in INCLUDED."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name:
                yield prefix + pattern.name, pattern
        elif pattern.namespace in OWN_NAMESPACES:
            yield from _patterns(pattern.url_patterns, f"{prefix}{pattern.namespace}:")
        elif pattern.namespace is None and str(pattern.pattern) != "i18n/":
            yield from _patterns(pattern.url_patterns, prefix)


def page_urls(ids) -> list[str]:
    """Every page URL of ecogov.urls with its arguments, and the included sets' entries."""
    given = arguments(ids)
    urls, missing = [], []
    for name, pattern in _patterns(get_resolver().url_patterns):
        if pattern.pattern.converters and name not in given:
            missing.append(name)
            continue
        urls.append(reverse(name, kwargs=given.get(name, {})))
    assert not missing, f"pages the walk-through does not know how to open: {missing}"
    return urls + more_urls(ids) + list(INCLUDED)


# Elements whose content is wider than they are (a table in a scrolling card): on a
# phone their right part is out of sight until the reader scrolls that box.
SCROLLING_BOXES = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
                 && ["auto", "scroll"].includes(getComputedStyle(e).overflowX))
  .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
              (e.className ? "." + String(e.className).split(" ")[0] : ""))"""


def visit(page, url: str, *, show: bool = True) -> tuple[int, bool]:
    """Open ``url`` in the page: its status (a redirect's own) and whether it is a page
    shown (HTML). It is asked for first without showing it (the browser context's own
    request, with its cookies): what is refused, redirected or not a page (a download, an
    empty 405) gives its status only, as does every URL when ``show`` is false. Most of a
    role's URLs are refused, and showing each refusal was a good part of the walk's time."""
    answer = page.request.get(url, max_redirects=0)
    if not show or answer.status != 200:
        return answer.status, False
    if not answer.headers.get("content-type", "").startswith("text/html"):
        return answer.status, False
    try:
        response = page.goto(url, wait_until="load")
    except PlaywrightError:  # a download, or an answer without a body the browser shows
        return page.request.get(url, max_redirects=0).status, False
    first = response.request
    while first.redirected_from is not None:
        first = first.redirected_from
    if first is not response.request:
        return first.response().status, False
    return response.status, response.headers.get("content-type", "").startswith("text/html")


def shot_path(viewport: str, role: str, url: str) -> Path:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", url).strip("-") or "home"
    return SHOTS / viewport / role / f"{slug}.png"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_as_every_role(transactional_db, page_for, live_server, viewport):  # noqa: F811
    roles, ids = walk_data()
    mobile = VIEWPORTS[viewport]
    urls = page_urls(ids)
    errors, overflowing, seen = [], [], 0
    for role, user in roles.items():
        if mobile and role not in PHONE_ROLES:
            continue
        page = page_for(user, mobile=mobile)
        # The phone walk shows these roles' pages in the browser (and watches the CSP
        # there): the desktop walk asks for them for their status only, unless photographing.
        show = mobile or role not in PHONE_ROLES or PHOTOGRAPH
        for url in urls:
            status, html = visit(page, f"{live_server.url}{url}", show=show)
            if status >= 500:
                errors.append(f"{role} {url}: {status}")
            if status != 200 or not html:
                continue  # refused, redirected, a download, or not a page for GET
            seen += 1
            if PHOTOGRAPH:
                path = shot_path(viewport, role, url)
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=True)
            if mobile:
                wider = page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                if wider > 1:
                    overflowing.append(f"{role} {url}: {wider}px wider than the phone")
                boxes = page.evaluate(SCROLLING_BOXES)
                if boxes:  # the page fits, but these parts scroll sideways (reported only)
                    overflowing.append(f"{role} {url}: scrolls sideways inside {boxes}")
    if mobile:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "overflow-phone.txt").write_text("\n".join(overflowing) + "\n")
    assert seen > 100  # the walk reached the pages
    assert errors == [], errors
    public = [line for line in overflowing if PUBLIC.match(line.split(" ")[1]) and "wider" in line]
    assert public == [], f"public pages wider than a phone: {public}"
