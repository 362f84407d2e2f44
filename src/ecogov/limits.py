"""What one client may do in an hour, who the client is, and how big a request may be.

The one place that says who the client is (``client_address``: the connection's peer,
or behind a trusted proxy the address the proxy received the request from), used by the
portal, the public API, the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE) and the
answer to bodies over the limit. The budgets of the public actions (reports, refused
reports, tracking-code lookups, ratings, bodies over the limit) are counted per client
and hour in the database (``RateLimitHit``), which every application process shares.
"""

import hashlib
import ipaddress
import logging
from dataclasses import dataclass
from functools import lru_cache, wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, ValidationError
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(names: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(name, strict=False) for name in names)


def _parse(address: str):
    address = address.strip()
    if address.startswith("[") and "]" in address:  # [2001:db8::1]:443
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # 203.0.113.7:51234
        address = address.split(":")[0]
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address. The connection's peer, unless the peer is one of the proxies
    ECOGOV_TRUSTED_PROXIES names: then the right-most address of X-Forwarded-For that is
    not a trusted proxy (each proxy appends the address it received the request from, so
    what stands left of that was written by the client and proves nothing)."""
    peer = request.META.get("REMOTE_ADDR", "")
    trusted = _networks(tuple(settings.ECOGOV_TRUSTED_PROXIES))
    hop = _parse(peer)
    if not trusted or hop is None or not any(hop in network for network in trusted):
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([e for e in forwarded.split(",") if e.strip()]):
        address = _parse(entry)
        if address is None:  # not written by a trusted proxy: the last trusted hop stands
            break
        hop = address
        if not any(address in network for network in trusted):
            break
    return str(hop)


def _client(request) -> str:
    # A digest, not the address: the hits table need not hold citizens' addresses.
    address = client_address(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest()[:32]


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/")


def answer(request, status: int, message, template: str, context: dict | None = None):
    """A refusal in the language of the path it answers: ``{"detail": …}`` on the API,
    the specification's error list on Open311 (JSON or XML, after the path's extension),
    a page elsewhere. Used by every refusal made before a view runs (bad input, a body
    over the limit, a used-up budget)."""
    if _wants_json(request):
        return JsonResponse({"detail": str(message)}, status=status)
    if request.path_info.startswith("/open311/"):
        from ecogov.open311.georeport import error_document

        fmt = "xml" if request.path_info.endswith(".xml") else "json"
        return error_document(fmt, status, [message])
    return render(request, template, context or {"message": message}, status=status)


@dataclass(frozen=True)
class Budget:
    """So many requests of one kind per client and hour."""

    bucket: str
    per_hour_setting: str  # the name of the setting that holds the number
    message: str  # what the API answers when it is used up

    @property
    def per_hour(self) -> int:
        return getattr(settings, self.per_hour_setting)

    def _hits(self, request):
        from ecogov.cases.models import RateLimitHit

        since = timezone.now() - timezone.timedelta(hours=1)
        RateLimitHit.objects.filter(at__lt=since).delete()
        return RateLimitHit.objects.filter(
            bucket=self.bucket, client=_client(request), at__gte=since
        )

    def exhausted(self, request) -> bool:
        """True when the client has used up its hour (nothing is counted)."""
        return self._hits(request).count() >= self.per_hour

    def count(self, request) -> None:
        from ecogov.cases.models import RateLimitHit

        RateLimitHit.objects.create(bucket=self.bucket, client=_client(request), at=timezone.now())

    def spend(self, request) -> bool:
        """Count this request; True when the client had already used up its hour."""
        if self.exhausted(request):
            return True
        self.count(request)
        return False

    def refusal(self, request):
        """The 429 answer: {"detail": …} on the API, the portal's page elsewhere."""
        return answer(request, 429, self.message, "cases/public/limited.html", {})


REPORTS = Budget(
    "report",
    "ECOGOV_PUBLIC_REPORTS_PER_HOUR",
    gettext_lazy("Too many reports from your connection; try later."),
)
# Refused submissions (a missing place, an unreadable photo) do not use up the reports'
# allowance, but they cost the server work too: they have their own, larger budget.
REFUSED_REPORTS = Budget(
    "refused",
    "ECOGOV_PUBLIC_REFUSED_REPORTS_PER_HOUR",
    gettext_lazy("Too many reports from your connection; try later."),
)
# Every way of looking a tracking code up (the page, its ?code= form, the API) spends
# from this one budget: 30 an hour keeps guessing a 10-character code hopeless.
LOOKUPS = Budget(
    "lookup",
    "ECOGOV_PUBLIC_LOOKUPS_PER_HOUR",
    gettext_lazy("Too many lookups from your connection; try later."),
)
RATINGS = Budget(
    "rating",
    "ECOGOV_PUBLIC_RATINGS_PER_HOUR",
    gettext_lazy("Too many ratings from your connection; try later."),
)
# Bodies over the limit elsewhere than on the report paths.
OVERSIZED = Budget(
    "oversized",
    "ECOGOV_OVERSIZED_REQUESTS_PER_HOUR",
    gettext_lazy("Too many requests from your connection; try later."),
)


def report_budget(view):
    """Counts a public report against the client's allowance once its outcome is known:
    an accepted report (2xx/3xx) against REPORTS, a refused one (ValidationError, 4xx)
    against REFUSED_REPORTS. Either budget used up answers 429 before the view runs."""

    @wraps(view)
    def counted(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        for budget in (REPORTS, REFUSED_REPORTS):
            if budget.exhausted(request):
                return budget.refusal(request)
        try:
            response = view(request, *args, **kwargs)
        except ValidationError:
            REFUSED_REPORTS.count(request)
            raise
        refused = getattr(response, "status_code", 200) >= 400
        (REFUSED_REPORTS if refused else REPORTS).count(request)
        return response

    return counted


def _budget_of_path(request) -> Budget:
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return OVERSIZED
    reports = ("public_report", "api:public_report", "open311:requests")
    return REPORTS if name in reports else OVERSIZED


def too_big(request):
    """413 for a body over the limit, counted against the client's budget (the reports'
    on the report paths); 429 once that budget is used up."""
    budget = _budget_of_path(request)
    logger.warning("Request body over the limit on %s from %s", request.path_info,
                   client_address(request))  # fmt: skip
    if budget.spend(request):
        return budget.refusal(request)
    message = _("The request is too large: send less text or smaller or fewer files.")
    return answer(request, 413, message, "too_large.html")


class BodyLimitMiddleware:
    """Answers 413 to a request body over the limit, instead of Django's 400 or a 500.

    A declared length over ECOGOV_MAX_REQUEST_MB (any request), or over
    DATA_UPLOAD_MAX_MEMORY_SIZE for a body that is not a file upload, is refused before
    anything is read. A form body is parsed here, before any view or middleware reads
    it, so that RequestDataTooBig and TooManyFieldsSent surface in one place; a view
    that reads the body itself (the API) raises them into process_exception.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        upload = request.content_type == "multipart/form-data"
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if declared > settings.ECOGOV_MAX_REQUEST_MB * 1024 * 1024 or (
            not upload and limit is not None and declared > limit
        ):
            return too_big(request)
        if request.method == "POST" and request.content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            try:
                request.POST  # noqa: B018 -- parse now, so that its errors are answered here
            except (RequestDataTooBig, TooManyFieldsSent):
                return too_big(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        # Too many fields in a query string is a bad request (400), not a large body.
        body = request.method not in ("GET", "HEAD")
        if isinstance(exception, RequestDataTooBig) or (
            body and isinstance(exception, TooManyFieldsSent)
        ):
            return too_big(request)
        return None


# Comments on public consultations (ecogov.consultations), every form post counted.
COMMENTS = Budget(
    "comment",
    "ECOGOV_PUBLIC_COMMENTS_PER_HOUR",
    gettext_lazy("Too many comments from your connection; try later."),
)
