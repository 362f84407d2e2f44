"""Types shared by the API routers."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator

# A database id: bigger numbers cannot exist and would overflow SQLite's integers.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def patch_fields(payload: Schema, *, nullable: tuple[str, ...] = ()) -> dict:
    """The fields a PATCH body sets; null is refused where the field cannot be empty."""
    fields = payload.dict(exclude_unset=True)
    refused = [name for name, value in fields.items() if value is None and name not in nullable]
    if refused:
        raise ValidationError(
            _("These fields cannot be null: %(fields)s") % {"fields": ", ".join(refused)}
        )
    return fields


class InputSchema(Schema):
    """Request bodies: text that no database stores faithfully is refused with 422.

    PostgreSQL rejects NUL characters even in a lookup, and lone surrogates cannot be
    encoded, so they are stopped here, before any query; the services check again.
    """

    @field_validator("*")
    @classmethod
    def _storable_text(cls, value):
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError("text may not contain NUL characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError("text must be valid Unicode") from None
        return value
