"""The JSON API under /api/, with its OpenAPI schema at /api/openapi.json.

Authentication: the browser session (with Django's CSRF check on writes) or a bearer
token (``Authorization: Bearer eg_…``, from ``ecogov tokens create``). Errors have one
shape: ``{"detail": "…"}`` with a 4xx status.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from ecogov.accounts.api import router as people_router
from ecogov.accounts.services import token_authenticate
from ecogov.cases.api import public_router as public_cases_router
from ecogov.cases.api import router as cases_router
from ecogov.grid.api import router as grid_router
from ecogov.monitoring.api import router as monitoring_router
from ecogov.org.api import router as org_router
from ecogov.plans.api import router as plans_router


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


api = NinjaAPI(
    title="EcoGov API",
    version="1",
    description="Jurisdictions, member units, duty lists, people, plans, tasks, grids, pollution sources, patrols, cases and online monitoring of EcoGov, and the public portal's reporting.",
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


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": "; ".join(exc.messages)}, status=422)
