"""The Open311 GeoReport v2 resources (what they say: ``georeport.py``).

No view reads the session or the signed-in user: a request posted from a browser with
a staff member's cookie is a citizen's report like any other, so the views may be
exempt from CSRF (other systems post without a cookie)."""

import hmac
from functools import wraps

from django.conf import settings
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from ecogov import limits
from ecogov.disclosure.datasets import changes, dataset
from ecogov.disclosure.freshness import public_page
from ecogov.open311 import georeport
from ecogov.open311.georeport import Open311Error
from ecogov.params import BadQuery

CACHE_SECONDS = 60


def endpoint(*methods: str):
    """A resource answering ``methods`` in the format its extension names; every refusal
    in the spec's error format; GETs cacheable by anyone for a minute."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def answer(request, format: str, **kwargs):
            if format not in georeport.CONTENT_TYPES:
                message = _("Unknown format “%(format)s”: use json or xml.") % {
                    "format": format[:10]
                }
                return georeport.error_document(georeport.FALLBACK_FORMAT, 404, [message])
            method = "GET" if request.method == "HEAD" else request.method
            if method not in methods:
                response = georeport.error_document(format, 405, [_("Method not allowed.")])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                response = view(request, format, **kwargs)
            except Open311Error as error:
                return georeport.error_document(format, error.status, error.messages)
            except BadQuery as error:
                return georeport.error_document(format, 400, [str(error)])
            if (
                method == "GET"
                and response.status_code == 200
                and not response.has_header("Cache-Control")
            ):
                patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
                patch_vary_headers(response, ["Accept-Language"])
            return response

        return answer

    return decorate


def _jurisdiction(request):
    return georeport.jurisdiction_for(request.GET.get("jurisdiction_id", ""), required=False)


@endpoint("GET")
def discovery(request, format):
    path = reverse("open311:discovery", kwargs={"format": format}).rsplit("/", 1)[0] + "/"
    site = settings.ECOGOV_SITE_URL.rstrip("/")
    url = site + path if site else request.build_absolute_uri(path)
    return georeport.document(format, georeport.discovery(url), "discovery")


def _catalogue(request, *args, **kwargs) -> tuple:
    return ()  # the services change with a release only


def _disclosed(request, *args, **kwargs) -> tuple:
    from ecogov.cases.models import Case

    return (*dataset("disclosed-cases").version(), *changes(Case))


@public_page(version=_catalogue, max_age=CACHE_SECONDS)
@endpoint("GET")
def services(request, format):
    _jurisdiction(request)
    return georeport.document(format, georeport.services_rows(), "services", "service")


@public_page(version=_catalogue, max_age=CACHE_SECONDS)
@endpoint("GET")
def service_definition(request, format, code):
    _jurisdiction(request)
    service = georeport.service_for(code)
    return georeport.document(format, georeport.definition(service), "service_definition")


def _check_key(request) -> None:
    keys = getattr(settings, "ECOGOV_OPEN311_API_KEYS", [])
    given = request.POST.get("api_key", "").encode()
    if keys and not any(hmac.compare_digest(given, key.encode()) for key in keys):
        raise Open311Error(403, _("A valid api_key is required to post requests."))


def _post(request, format):
    """A new request (the portal's budgets are spent by ``limits.report_budget``)."""
    _check_key(request)
    case = georeport.request_create(request.POST)
    receipt = [georeport.receipt(case)]
    return georeport.document(format, receipt, "service_requests", "request", status=201)


@limits.report_budget  # an accepted post spends from REPORTS, a refused one from REFUSED_REPORTS
@public_page(version=_disclosed, max_age=CACHE_SECONDS)  # GET only: a POST passes
@endpoint("GET", "POST")
def requests(request, format):
    if request.method == "POST":
        return _post(request, format)
    rows = georeport.requests_rows(request.GET, _jurisdiction(request))
    return georeport.document(format, rows, "service_requests", "request")


@public_page(version=_disclosed, max_age=CACHE_SECONDS)
@endpoint("GET")
def request_detail(request, format, number):
    rows = georeport.request_rows(number, _jurisdiction(request))
    return georeport.document(format, rows, "service_requests", "request")


@endpoint("GET")
def token(request, format, token):
    response = georeport.document(format, georeport.token_rows(token), "service_requests",
                                  "request")  # fmt: skip
    # The token is its holder's: no shared cache keeps the answer.
    patch_cache_control(response, private=True, no_store=True)
    return response
