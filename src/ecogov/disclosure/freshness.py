"""Freshness and caching of the public pages and downloads: ONE decorator, ``public_page``.

Many readers, few changes: a page computes a cheap version marker of its data (the
latest timestamp and a count, say), and from it

- answers a conditional request (``If-None-Match`` with the ETag, ``If-Modified-Since``
  with the newest time in the marker) with 304, without rendering;
- keeps the rendered response in Django's cache under the path, the query, the language
  and the marker, so that many readers cost one render, and a change of the data (a new
  marker) is a new key: nothing is ever stale beyond the marker;
- says how long browsers may keep it (``Cache-Control: max-age``) and on what it varies
  (``Accept-Language``, ``Cookie``: the language cookie chooses the language).

What is never shared:

- a visitor with a session (signed in, or an anonymous reporter who just reported) or
  pending messages sees their name or messages in the page's frame: rendered for them,
  ``Cache-Control: private``, not stored;
- the CSRF token. The language switch takes none (ecogov/urls.py), so the public pages
  hold no token and are ``public``. A page that does hold a form with a token is stored
  with a placeholder, filled with the reader's own token when served, and is
  ``Cache-Control: private`` (a shared proxy must not hand one visitor's token and
  cookie to another).

Under load even the marker's few queries count: a marker is reused for
``ECOGOV_PUBLIC_FRESH_SECONDS`` (2) within a process, so a public page may show data
that much older than the database; 0 computes it on every request (the tests do).
"""

import datetime
import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

MAX_AGE = 300
# How long a render stays in the cache at most: the key changes with the data anyway.
KEPT = 3600
TOKEN_PLACEHOLDER = b"__ECOGOV_CSRF_TOKEN__"
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{32,64})(")')
# The headers a stored response keeps (the middleware add the others on the way out).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# Bump when what the pages render changes without their data changing (a new release).
RELEASE = "1"


def _times(value):
    """The aware datetimes in a version marker (a value, a tuple, nested)."""
    if isinstance(value, datetime.datetime):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _times(item)


def _personal(request) -> bool:
    """Whether the page's frame may show something of this visitor's own."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _key(request, version) -> str:
    raw = "\x00".join([RELEASE, request.path, request.META.get("QUERY_STRING", ""),
                       get_language() or "", repr(version)])  # fmt: skip
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _stored(response: HttpResponse) -> tuple[bytes, dict, bool]:
    """The response's body with its token replaced, its headers, and whether it held a
    token."""
    body, tokens = _TOKEN.subn(rb"\1" + TOKEN_PLACEHOLDER + rb"\3", response.content)
    headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
    return body, headers, bool(tokens)


def _served(request, stored) -> HttpResponse:
    body, headers, has_token = stored
    if has_token:
        body = body.replace(TOKEN_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return response


def _finish(response, *, etag, last_modified, max_age, shared: bool):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    if shared:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, max_age=max_age)
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


_MARKERS: dict[tuple, tuple[float, object]] = {}


def forget() -> None:
    """Forget the reused markers of this process (after a change the pages must show now)."""
    _MARKERS.clear()


def _marker(view, version, request, args, kwargs):
    """The view's version marker, reused within a process for a few seconds."""
    seconds = settings.ECOGOV_PUBLIC_FRESH_SECONDS
    if seconds <= 0:
        return version(request, *args, **kwargs)
    key = (id(view), args, tuple(sorted(kwargs.items())))  # a view may be an object (the feed)
    now = time.monotonic()
    kept = _MARKERS.get(key)
    if kept is not None and kept[0] > now:
        return kept[1]
    marker = version(request, *args, **kwargs)
    if len(_MARKERS) > 10000:  # many objects' pages: start again rather than grow
        _MARKERS.clear()
    _MARKERS[key] = (now + seconds, marker)
    return marker


def public_page(*, version, max_age: int = MAX_AGE):
    """Decorate a public GET view: ``version(request, **kwargs)`` returns a cheap marker
    of the data the page shows (compared with ``repr``; the newest datetime in it is the
    ``Last-Modified``)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            if _personal(request):
                response = view(request, *args, **kwargs)
                patch_cache_control(response, private=True, no_cache=True)
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
                return response
            marker = _marker(view, version, request, args, kwargs)
            key = _key(request, marker)
            etag = quote_etag(key)
            times = list(_times(marker))
            last_modified = max(times) if times else None
            if last_modified is not None:
                last_modified = last_modified.replace(microsecond=0)
            stored = cache.get("public_page:" + key)
            conditional = get_conditional_response(
                request, etag=etag,
                last_modified=last_modified.timestamp() if last_modified else None,
            )  # fmt: skip
            if conditional is not None:
                # As the full answer would be: shared unless it holds a token.
                shared = stored is not None and not stored[2]
                return _finish(conditional, etag=etag, last_modified=last_modified,
                               max_age=max_age, shared=shared)  # fmt: skip
            if stored is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.cookies or response.streaming:
                    return response  # errors and cookie-setting pages are not kept
                stored = _stored(response)
                cache.set("public_page:" + key, stored, KEPT)
            else:
                response = _served(request, stored)
            return _finish(response, etag=etag, last_modified=last_modified,
                           max_age=max_age, shared=not stored[2])  # fmt: skip

        return wrapped

    return decorate


def shared(view, slug: str):
    """A public page of a table the open data publish (``slug``): one render per change
    of that table for all its readers, with ETag and Last-Modified."""
    from ecogov.disclosure.datasets import dataset

    return public_page(version=lambda request, *args, **kwargs: dataset(slug).version())(view)
