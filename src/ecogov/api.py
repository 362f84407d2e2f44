"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

Authentication: the browser session (with Django's CSRF check on writes) or a bearer
token (``Authorization: Bearer eg_…``, from ``ecogov tokens create``). Errors have one
shape: ``{"detail": "…"}`` with a 4xx status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from ecogov.accounts.api import router as people_router
from ecogov.accounts.services import token_authenticate
from ecogov.apierrors import ErrorDocumentingAPI, validation_detail
from ecogov.assess.api import router as assess_router
from ecogov.campaigns.api import router as campaigns_router
from ecogov.cases.api import public_router as public_cases_router
from ecogov.cases.api import router as cases_router
from ecogov.enterprises.api import router as enterprises_router
from ecogov.enterprises.record_api import router as enterprise_record_router
from ecogov.grid.api import router as grid_router
from ecogov.meetings.api import router as meetings_router
from ecogov.monitoring.api import router as monitoring_router
from ecogov.org.api import router as org_router
from ecogov.params import BadQuery
from ecogov.plans.api import router as plans_router
from ecogov.rectification.api import router as rectification_router
from ecogov.sanctions.api import router as sanctions_router
from ecogov.suggestions.api import router as suggestions_router
from ecogov.supervision.api import router as supervision_router
from ecogov.text import UnstorableText


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """The browser session; its writes need Django's CSRF token (403 without it). A request
    without a signed-in session is not checked for CSRF: it is simply not authenticated
    (401), whatever its method."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request):
                raise PermissionDenied(
                    _("CSRF check failed: send the X-CSRFToken header with the csrftoken cookie.")
                )
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api = ErrorDocumentingAPI(
    title="EcoGov API",
    version="1",
    description="Jurisdictions, member units, duty lists, people, plans, tasks, grids, pollution sources, patrols, cases, online monitoring and the assessment of member units and townships of EcoGov, and the public portal's reporting.",
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
)
api.add_router("/", org_router)
api.add_router("/people", people_router)
api.add_router("/", plans_router)
api.add_router("/", grid_router)
api.add_router("/", cases_router)
api.add_router("/public", public_cases_router)
api.add_router("/monitoring", monitoring_router)
api.add_router("/", supervision_router)
api.add_router("/", suggestions_router)
api.add_router("/", rectification_router)
api.add_router("/", sanctions_router)
api.add_router("/", enterprises_router)
api.add_router("/", meetings_router)
api.add_router("/", campaigns_router)
api.add_router("/", assess_router)
api.add_router("/enterprises", enterprise_record_router)
api.add_router("/", "ecogov.consultations.api.router")


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)


@api.exception_handler(RequestInvalid)
def request_invalid(request, exc):
    """Parameters or body that do not fit the schema: pydantic's errors in the user's
    language, each with where it is (``query.lead``, ``body.address``)."""
    return api.create_response(request, {"detail": validation_detail(exc.errors)}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    detail = _("Sign in, or send a valid API token (Authorization: Bearer eg_…).")
    response = api.create_response(request, {"detail": detail}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(BadQuery)
@api.exception_handler(UnstorableText)
def bad_input(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)
