"""The API's errors: one shape, ``{"detail": "…"}``, documented on every operation of the
OpenAPI schema, and pydantic's validation messages in the user's language."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) that
# a client of EcoGov meets, with their message; the error's ``ctx`` fills the placeholders.
_MESSAGES = (
    (("missing",), gettext_noop("this field is required")),
    (("string_too_long",), gettext_noop("at most %(max_length)s characters")),
    (("string_too_short",), gettext_noop("at least %(min_length)s characters")),
    (("too_long",), gettext_noop("at most %(max_length)s items")),
    (("too_short",), gettext_noop("at least %(min_length)s items")),
    (("string_pattern_mismatch",), gettext_noop("not in the expected form")),
    (("string_type",), gettext_noop("must be text")),
    (("int_parsing", "int_type", "int_from_float"), gettext_noop("must be a whole number")),
    (
        ("float_parsing", "float_type", "decimal_parsing", "decimal_type"),
        gettext_noop("must be a number"),
    ),
    (("finite_number",), gettext_noop("must be a finite number")),
    (("bool_parsing", "bool_type"), gettext_noop("must be true or false")),
    (("greater_than",), gettext_noop("must be greater than %(gt)s")),
    (("greater_than_equal",), gettext_noop("must be at least %(ge)s")),
    (("less_than",), gettext_noop("must be less than %(lt)s")),
    (("less_than_equal",), gettext_noop("must be at most %(le)s")),
    (("literal_error", "enum"), gettext_noop("must be one of %(expected)s")),
    (
        ("date_parsing", "date_from_datetime_parsing", "date_type"),
        gettext_noop("must be a date such as 2026-11-30"),
    ),
    (
        ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"),
        gettext_noop("must be a date and time such as 2026-11-30T08:00"),
    ),
    (("dict_type", "model_type", "model_attributes_type"), gettext_noop("must be an object")),
    (("list_type",), gettext_noop("must be a list")),
    (("json_invalid", "json_type"), gettext_noop("the body is not valid JSON")),
)
MESSAGES = {kind: message for kinds, message in _MESSAGES for kind in kinds}

# ninja names the body parameter in the location; a client knows only its fields.
_HIDDEN_LOCATION = {"payload"}


def validation_message(error: dict) -> str:
    """One of pydantic's errors as ``where: what`` in the user's language."""
    ctx = {key: _expected(value) for key, value in (error.get("ctx") or {}).items()}
    kind = error.get("type", "")
    if kind == "value_error":
        # Our own validators raise ValueError with a translated message (ecogov.text).
        message = str(ctx.get("error", ""))
    elif kind in MESSAGES:
        try:
            message = _(MESSAGES[kind]) % ctx
        except (KeyError, TypeError, ValueError):
            message = error.get("msg", "")
    else:
        message = error.get("msg", "")
    where = ".".join(str(part) for part in error.get("loc", ()) if part not in _HIDDEN_LOCATION)
    return f"{where}: {message}" if where else message


def _expected(value):
    # pydantic quotes the allowed values as "'a', 'b' or 'c'"; keep them as they are.
    return value if isinstance(value, str | int | float) else str(value)


def validation_detail(errors: list[dict]) -> str:
    return "; ".join(validation_message(error) for error in errors)


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {"detail": {"title": "Detail", "type": "string"}},
    "required": ["detail"],
}


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


class ErrorDocumentingAPI(NinjaAPI):
    """NinjaAPI whose schema lists, on every operation, the errors it can answer with."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                # Ninja keys the statuses a route declares by number; JSON makes every key a
                # string, so one status under both would be a duplicate key, which Swagger
                # UI (js-yaml) refuses: keep one string key per status.
                responses = {
                    str(status): answer
                    for status, answer in operation.setdefault("responses", {}).items()
                }
                for status, description in _errors(path, method, operation):
                    responses.setdefault(str(status), _error_response(description))
                operation["responses"] = responses
        return schema


def _errors(path: str, method: str, operation: dict):
    yield 400, "Bad query parameter or text that cannot be stored (NUL characters)."
    yield 422, "The parameters or the body do not validate; detail says which and why."
    if operation.get("security"):
        yield 401, "Not signed in and no valid API token."
        yield 403, "Not allowed to do this (or a session write without its CSRF token)."
    else:
        yield 429, "Too many requests from this client; try again later."
    if "{" in path:
        yield 404, "No such object, or it is not yours to see."
    if method in ("post", "put", "patch"):
        yield 413, "The request body is larger than allowed."
