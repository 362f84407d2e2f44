"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): what each resource
says, and how a posted request becomes a case. The views (``views.py``) only choose.

Services. The case categories and the router's sub-categories (``catalogue.py``: codes
``air`` and ``air.open_barbecue``), grouped by the category's label. Every service has the
same three optional attributes, and a noise service must say when the noise happens
(the noise law judges night-time noise differently): ``when`` (morning … night,
irregular), ``ongoing`` (yes/no) and ``cause`` (who or what causes it, free text). They
need no model of their own: they become lines of the case's text, in the install's
language, after the reporter's description, which a sub-category service begins with
the sub-category's name (【餐饮油烟】) so that the router reads it as a citizen would
have said it.

Posting. A request is a public report: ``cases.services.case_register`` with channel
PUBLIC, as the portal registers one, so the same routing, text cleaning and duplicate
detection apply; the same hourly budgets (``limits.REPORTS`` for accepted ones,
``limits.REFUSED_REPORTS`` for refused ones) answer 429. The reporter (first_name,
last_name, email, phone) is stored in the confidential ``Reporter`` row as the portal
stores it and never appears in any answer. ``media_url`` is kept as a line of the text
for the dispatcher; the server never fetches it (a fetch from the intranet at a
client's command would be a way into the intranet). ``device_id`` and ``account_id``
are ignored.

What the poster sees. The answer comes at once: ``service_request_id`` (the public case
number, which the disclosure list shows anyway), ``token`` and a ``service_notice``. The
tracking code, the reporter's secret on the portal, is never given: the client is a
third party's system. The token (the case's id and an HMAC of its tracking code with the
server's key: unguessable, and useless for reaching the portal's tracking page) resolves
at ``tokens/{token}`` to the case number for as long as the case exists.

What everybody sees. ``requests`` and ``requests/{id}`` show only disclosed cases (closed,
with the dispatcher's public summary: ``portal._disclosed``), as the portal's disclosure
list does; an open case, even the poster's own, is "not found" until it is disclosed, so
that neither its text nor its place nor its timing can point to whoever reported it. A
request shows the public case number, the service, ``status`` (``open``/``closed`` from
the case's state), ``status_notes`` (the last note of the public timeline), the disclosed
summary as ``description`` (never the reporter's words), the lead unit as
``agency_responsible``, the dates, the address the portal shows, and the coordinates
rounded to 0.001° (about 100 m: enough for a map, not a doorway). ``media_url`` stays
empty: the portal shows no photo of a case to the public.

``jurisdiction_id`` is the district's GB/T 2260 division code (``Jurisdiction.code``;
the database id for a district without one), among the districts that receive reports
(``portal.portal_jurisdictions``). Required to post when several districts receive
reports, optional otherwise; on a GET it narrows the requests to that district. Errors
are the spec's list of ``code`` and ``description``, in the format asked for.
"""

import datetime
import hmac
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ecogov.cases import portal, services
from ecogov.cases.models import OPEN_STATES, Case, CaseEvent, Category, Channel
from ecogov.open311.catalogue import BY_CODE, SERVICES, Service, known_subcategories, service_of
from ecogov.params import BadQuery, form_id
from ecogov.text import writable_text

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's behaviour last changed (discovery's changeset).
CHANGESET = "2026-12-04T00:00:00Z"
CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The format of an error about a format this endpoint does not know: XML, the one every
# GeoReport server must speak.
FALLBACK_FORMAT = "xml"
WINDOW = datetime.timedelta(days=90)  # the spec's default and widest date range
MAX_REQUESTS = 1000
MAX_IDS = 100
TOKEN_SALT = "ecogov.open311.token"
COORDINATE_STEP = Decimal("0.001")


class Open311Error(Exception):
    """An answer in the spec's error format: ``status`` and the messages."""

    def __init__(self, status: int, *messages: str):
        super().__init__(*messages)
        self.status = status
        self.messages = [str(m) for m in messages]


# --- documents ------------------------------------------------------------------------

# The element of each item of a list, by the list's element (spec's XML examples).
_ITEMS = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
          "formats": "format"}  # fmt: skip


def _fill(element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        for item in value:
            _fill(ElementTree.SubElement(element, _ITEMS[element.tag]), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = writable_text(str(value))


def xml_document(root: str, data, item: str = "") -> bytes:
    """``data`` (a dict, or a list of dicts each an ``item``) as the spec's XML."""
    element = ElementTree.Element(root)
    if isinstance(data, list):
        for row in data:
            _fill(ElementTree.SubElement(element, item), row)
    else:
        _fill(element, data)
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def document(fmt: str, data, root: str, item: str = "", status: int = 200) -> HttpResponse:
    if fmt == "xml":
        body = xml_document(root, data, item)
    else:
        body = DjangoJSONEncoder(ensure_ascii=False).encode(data).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_document(fmt: str, status: int, messages) -> HttpResponse:
    rows = [{"code": status, "description": str(message)} for message in messages]
    return document(fmt, rows, "errors", "error", status=status)


def w3c(moment: datetime.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def parse_w3c(text: str, name: str) -> datetime.datetime | None:
    """A W3C date-time (2010-01-01T00:00:00Z, an offset, or a date alone: its midnight
    in the install's time zone); BadQuery naming the parameter otherwise."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None or not 2000 <= moment.year <= 2100:
        raise BadQuery(
            _("“%(name)s” must be a W3C date and time such as 2026-11-30T08:00:00+08:00.")
            % {"name": name}
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# --- discovery and services -----------------------------------------------------------


def discovery(url: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": _("The district's ecology and environment bureau, through its 12369 hotline."),
        "key_service": _(
            "Reading needs no key. Posting needs one only where this installation says "
            "so; the bureau's administrator issues them."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service_row(service: Service) -> dict:
    return {
        "service_code": service.code,
        "service_name": str(service.name),
        "description": service.description,
        "metadata": bool(attributes_of(service)),
        "type": "realtime",
        "keywords": ",".join(service.keywords),
        "group": service.group,
    }


def services_rows() -> list[dict]:
    return [service_row(service) for service in SERVICES]


WHEN = {
    "morning": gettext_lazy("in the morning"),
    "daytime": gettext_lazy("during the day"),
    "evening": gettext_lazy("in the evening"),
    "night": gettext_lazy("at night (22:00–6:00)"),
    "all_day": gettext_lazy("all day"),
    "irregular": gettext_lazy("irregularly"),
}
ONGOING = {"yes": gettext_lazy("yes"), "no": gettext_lazy("no")}
MAX_CAUSE = 200


def attributes_of(service: Service) -> list[dict]:
    """The questions of a service (the spec's attributes)."""

    def values(choices):
        return [{"key": key, "name": str(name)} for key, name in choices.items()]

    return [
        {
            "variable": True, "code": "when", "datatype": "singlevaluelist",
            "required": service.category == Category.NOISE,
            "datatype_description": _("One of the values."),
            "order": 1, "description": _("When does it happen?"), "values": values(WHEN),
        },
        {
            "variable": True, "code": "ongoing", "datatype": "singlevaluelist",
            "required": False, "datatype_description": _("yes or no"),
            "order": 2, "description": _("Is it going on now?"), "values": values(ONGOING),
        },
        {
            "variable": True, "code": "cause", "datatype": "string", "required": False,
            "datatype_description": _("At most %(n)d characters.") % {"n": MAX_CAUSE},
            "order": 3,
            "description": _("Who or what causes it, if you know (a shop's or a site's name)."),
        },
    ]  # fmt: skip


def definition(service: Service) -> dict:
    return {"service_code": service.code, "attributes": attributes_of(service)}


def service_for(code: str) -> Service:
    service = BY_CODE.get(code.strip())
    if service is None:
        raise Open311Error(404, _("No service has the code “%(code)s”.") % {"code": code[:40]})
    return service


# --- jurisdictions ----------------------------------------------------------------------


def jurisdiction_id(jurisdiction) -> str:
    return jurisdiction.code or str(jurisdiction.pk)


def jurisdiction_for(value: str, *, required: bool):
    """The district ``jurisdiction_id`` names among those receiving reports; None when
    none is named and none is needed."""
    value = (value or "").strip()
    if not value and not required:  # a read of every district's: no query needed
        return None
    jurisdictions = list(portal.portal_jurisdictions())
    if not value:
        if len(jurisdictions) == 1:
            return jurisdictions[0]
        if required and not jurisdictions:
            raise Open311Error(400, _("No district receives reports here yet."))
        if required:
            raise Open311Error(400, _("jurisdiction_id is required: this server serves "
                                      "several districts."))  # fmt: skip
        return None
    for jurisdiction in jurisdictions:
        if jurisdiction_id(jurisdiction) == value:
            return jurisdiction
    raise Open311Error(400, _("No district has the jurisdiction_id “%(id)s”.")
                       % {"id": value[:40]})  # fmt: skip


# --- service requests ---------------------------------------------------------------------


def status_of(state: str) -> str:
    return "open" if state in OPEN_STATES else "closed"


def _blurred(value) -> float | None:
    if value is None:
        return None
    return float(Decimal(value).quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP))


def disclosed_requests():
    """The cases anyone may see, each with its last public note and last public step."""
    timeline = CaseEvent.objects.filter(case=OuterRef("pk"), public=True).order_by("-at", "-pk")
    return (
        portal._disclosed()
        .select_related("jurisdiction")
        .annotate(
            last_note=Subquery(timeline.exclude(public_note="").values("public_note")[:1]),
            last_step=Subquery(timeline.values("at")[:1]),
        )
    )


def request_row(case: Case) -> dict:
    """The public fields of a disclosed case, and nothing else."""
    service = service_of(case.category, case.subcategory)
    expected = None
    if case.is_open and case.finish_due:
        expected = timezone.make_aware(
            datetime.datetime.combine(case.finish_due, datetime.time(23, 59))
        )
    return {
        "service_request_id": case.number,
        "status": status_of(case.state),
        "status_notes": case.last_note or str(portal.PUBLIC_STATE.get(case.state, "")),
        "service_name": str(service.name),
        "service_code": service.code,
        "description": case.public_summary,
        "agency_responsible": case.lead.name if case.lead else None,
        "service_notice": None,
        "requested_datetime": w3c(case.registered_at),
        "updated_datetime": w3c(case.last_step or case.disclosed_at),
        "expected_datetime": w3c(expected),
        "address": case.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": _blurred(case.lat),
        "long": _blurred(case.lon),
        "media_url": None,
    }


def _ids(text: str) -> list[str]:
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if len(ids) > MAX_IDS:
        raise BadQuery(_("Ask for at most %(n)d service_request_id at once.") % {"n": MAX_IDS})
    return ids


def _service_filter(text: str) -> Q:
    query = Q(pk__in=[])
    for code in (part.strip() for part in text.split(",") if part.strip()):
        service = BY_CODE.get(code)
        if service is None:
            raise Open311Error(400, _("No service has the code “%(code)s”.") % {"code": code[:40]})
        if service.subcategory:
            query |= Q(category=service.category, subcategory=service.subcategory)
        else:
            query |= Q(category=service.category) & ~Q(
                subcategory__in=known_subcategories(service.category)
            )
    return query


def _status_filter(text: str) -> Q | None:
    wanted = {part.strip() for part in text.split(",") if part.strip()}
    if not wanted:
        return None
    if not wanted <= {"open", "closed"}:
        raise BadQuery(_("“status” must be open, closed or both."))
    if wanted == {"open", "closed"}:
        return None
    return Q(state__in=OPEN_STATES) if "open" in wanted else ~Q(state__in=OPEN_STATES)


def _window(start_text: str, end_text: str, now: datetime.datetime):
    start, end = parse_w3c(start_text, "start_date"), parse_w3c(end_text, "end_date")
    if start is None and end is None:
        end = now
    if start is None:
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if start > end:
        raise BadQuery(_("start_date must come before end_date."))
    if end - start > WINDOW:
        raise BadQuery(_("start_date and end_date may be at most 90 days apart."))
    return start, end


def requests_rows(query, jurisdiction=None, now=None) -> list[dict]:
    """The disclosed requests a GET asks for (``query``: the query string)."""
    cases = disclosed_requests()
    if jurisdiction is not None:
        cases = cases.filter(jurisdiction=jurisdiction)
    ids = _ids(query.get("service_request_id", ""))
    if ids:  # the spec: the ids override every other filter
        cases = cases.filter(number__in=ids)
    else:
        start, end = _window(query.get("start_date", ""), query.get("end_date", ""),
                             now or timezone.now())  # fmt: skip
        cases = cases.filter(registered_at__gte=start, registered_at__lte=end)
        if query.get("service_code", "").strip():
            cases = cases.filter(_service_filter(query["service_code"]))
        status = _status_filter(query.get("status", ""))
        if status is not None:
            cases = cases.filter(status)
    return [request_row(case) for case in cases.order_by("-registered_at")[:MAX_REQUESTS]]


def request_rows(number: str, jurisdiction=None) -> list[dict]:
    cases = disclosed_requests().filter(number=number.strip())
    if jurisdiction is not None:
        cases = cases.filter(jurisdiction=jurisdiction)
    case = cases.first()
    if case is None:
        raise Open311Error(404, _("No disclosed request has the id “%(id)s”; a request is "
                                  "shown once its case is closed and its result published.")
                           % {"id": number[:40]})  # fmt: skip
    return [request_row(case)]


# --- tokens -----------------------------------------------------------------------------------


def _digest(case: Case) -> str:
    return salted_hmac(TOKEN_SALT, f"{case.pk}:{case.tracking_code}").hexdigest()[:32]


def token_for(case: Case) -> str:
    return f"{case.pk}-{_digest(case)}"


def token_rows(token: str) -> list[dict]:
    pk, _sep, digest = token.partition("-")
    key = form_id(pk)
    case = Case.objects.filter(pk=key).first() if key else None
    if case is None or not hmac.compare_digest(_digest(case), digest):
        raise Open311Error(404, _("No request has this token."))
    return [{"service_request_id": case.number, "token": token}]


def receipt(case: Case) -> dict:
    return {
        "service_request_id": case.number,
        "token": token_for(case),
        "service_notice": _(
            "Registered as case %(number)s. Its result is published here once the case is closed."
        )
        % {"number": case.number},
        "account_id": None,
    }


# --- posting --------------------------------------------------------------------------------


def _answers(service: Service, data) -> dict[str, str]:
    """The attributes posted (``attribute[code]``), checked against the service's."""
    answers = {}
    for attribute in attributes_of(service):
        value = data.get(f"attribute[{attribute['code']}]", "").strip()
        if not value:
            if attribute["required"]:
                raise Open311Error(400, _("attribute[%(code)s] is required: %(question)s") % {
                    "code": attribute["code"], "question": attribute["description"]})  # fmt: skip
            continue
        keys = [choice["key"] for choice in attribute.get("values", [])]
        if keys and value not in keys:
            raise Open311Error(400, _("attribute[%(code)s] must be one of: %(keys)s.") % {
                "code": attribute["code"], "keys": ", ".join(keys)})  # fmt: skip
        if len(value) > MAX_CAUSE:
            raise Open311Error(
                400, _("attribute[%(code)s] is too long.") % {"code": attribute["code"]}
            )
        answers[attribute["code"]] = value
    return answers


def _media_url(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        raise Open311Error(400, _("media_url must be an http or https address.")) from None
    if len(text) > 500:
        raise Open311Error(400, _("media_url is too long."))
    return text


def case_text(service: Service, description: str, answers: dict, media_url: str) -> str:
    """What the case records: the sub-category, the reporter's words, the answers to the
    service's questions, in the install's language (the dispatchers read it)."""
    with translation.override(settings.LANGUAGE_CODE):
        lines = [f"【{service.subcategory}】{description}" if service.subcategory else description]
        if "when" in answers:
            lines.append(_("When it happens: %(value)s") % {"value": WHEN[answers["when"]]})
        if "ongoing" in answers:
            lines.append(_("Going on now: %(value)s") % {"value": ONGOING[answers["ongoing"]]})
        if "cause" in answers:
            lines.append(_("Caused by: %(value)s") % {"value": answers["cause"]})
        if media_url:
            lines.append(_("Photo: %(url)s") % {"url": media_url})
    return "\n".join(line for line in lines if line.strip())


def _reporter(data) -> dict:
    first, last = data.get("first_name", "").strip(), data.get("last_name", "").strip()
    # 王 + 小明 in Chinese order; "Jane Doe" for names in Latin letters.
    name = f"{first} {last}".strip() if (first + last).isascii() else f"{last}{first}"
    return {"name": name, "phone": data.get("phone", ""), "email": data.get("email", "").strip()}


def request_create(data) -> Case:
    """Register the posted request as a public report, as the portal does."""
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("service_code is required."))
    service = BY_CODE.get(code)
    if service is None:
        raise Open311Error(400, _("No service has the code “%(code)s”.") % {"code": code[:40]})
    jurisdiction = jurisdiction_for(data.get("jurisdiction_id", ""), required=True)
    lat, lon = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip()
    if not (lat or lon) and not address:
        raise Open311Error(400, _("Say where the problem is: lat and long, or address_string."))
    text = case_text(service, data.get("description", ""), _answers(service, data),
                     _media_url(data.get("media_url", "")))  # fmt: skip
    try:
        return services.case_register(
            jurisdiction=jurisdiction, channel=Channel.PUBLIC, text=text,
            category=service.category, subcategory=service.subcategory, address=address,
            lon=lon or None, lat=lat or None, reporter=_reporter(data),
        )  # fmt: skip
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from None
