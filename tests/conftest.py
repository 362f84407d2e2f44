import pytest
from django.core.cache import cache
from django.test import Client

from ecogov.disclosure import freshness
from ecogov.testing import make_personas


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 takes a quarter of a second by design; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    settings.ECOGOV_PUBLIC_FRESH_SECONDS = 0  # a test reads what it just wrote
    # Each test's database is new; the public pages' render cache must be too (a marker
    # of counts and timestamps can repeat from one test to the next).
    cache.clear()
    freshness.forget()
    yield
    cache.clear()


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def client_for():
    """A browser-like client signed in as a persona (CSRF checks on, as in production)."""

    def make(user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def form_client_for():
    """Signed in, with the CSRF token sent on every request as a page's form would."""

    def make(user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        client.get("/")
        client.defaults["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
        return client

    return make
