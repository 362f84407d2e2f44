"""Types shared by the API routers."""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema

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
