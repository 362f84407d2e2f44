"""Every request's input cleaned in one place, so that no view can forget it."""

from django.http import QueryDict

from ecogov.limits import answer
from ecogov.params import BadQuery
from ecogov.text import UnstorableText, clean_text

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _cleaned(query: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=query.encoding)
    for key, values in query.lists():
        cleaned.setlist(clean_text(key), [clean_text(value) for value in values])
    cleaned._mutable = False
    return cleaned


def bad_input(request, message: str):
    """400 with the message, as the path speaks (``ecogov.limits.answer``)."""
    return answer(request, 400, message, "web/bad_request.html")


class CleanInputMiddleware:
    """Query strings and form posts pass ``ecogov.text.clean_text`` before any view reads
    them (control characters stripped, NUL refused with 400); a ``BadQuery`` raised by
    ``ecogov.params`` in any view becomes 400 with its message.

    Placed after CsrfViewMiddleware, whose own reading of the token is unaffected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            request.GET = _cleaned(request.GET)
            if request.method == "POST" and request.content_type in FORM_TYPES:
                request.POST = _cleaned(request.POST)
        except UnstorableText as error:
            return bad_input(request, str(error))
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, BadQuery):
            return bad_input(request, str(exception))
        return None
