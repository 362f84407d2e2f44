"""A step taken from a page's form, the same way on every page that has steps (cases,
supervised items, meetings, minutes, suggestions): an unknown step is no page (404), bad input
becomes the page's error message and changes nothing, success its message."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _


def refusal_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def take_step(request, action: str, allowed, perform: Callable[[], str]) -> bool:
    """Run ``perform`` for the step ``action`` (one of ``allowed``); whether it was taken."""
    if action not in allowed:
        raise Http404(_("Unknown step."))  # no such page, as for any unknown URL
    try:
        message = perform()
    except ValidationError as error:
        messages.error(request, refusal_text(error))
        return False
    messages.success(request, message)
    return True
