"""What a client may do in an hour: logins, reports, tracking-code lookups, bodies over
the limit; and who the client is behind a trusted proxy (ecogov/limits.py)."""

import json
import logging

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone

from ecogov.cases import services
from ecogov.cases.models import Case, Channel, RateLimitHit
from ecogov.limits import client_address
from ecogov.testing import PASSWORD

BLACK_WATER = "南川河边的小厂偷偷往河里排黑水，味道很臭"
CITIZEN_A, CITIZEN_B = "203.0.113.10", "198.51.100.20"


def sign_in(client: Client, username: str, password: str, url: str = "/accounts/login/"):
    client.get(url)  # the CSRF cookie, as a browser gets it
    token = client.cookies["csrftoken"].value
    return client.post(url, {"username": username, "password": password,
                             "csrfmiddlewaretoken": token})  # fmt: skip


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def browser(address: str = CITIZEN_A, **headers) -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address, **headers)


# Logins (django-axes)


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused_in_chinese(
    personas,
):
    guesser = browser()
    for attempt in range(4):
        response = sign_in(guesser, "dora", f"guess-{attempt}")
        assert response.status_code == 200 and "用户名或密码错误" in response.content.decode()
    response = sign_in(guesser, "dora", "guess-4")
    assert response.status_code == 429
    response = sign_in(guesser, "dora", PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429 and not signed_in(guesser)
    # Says when: a time and the minutes, in Chinese, on the login page's layout.
    assert "密码错误次数过多" in page and "15 分钟后" in page and 'class="card narrow"' in page
    # The account is locked from every client (not only the guesser's).
    dora = browser(CITIZEN_B)
    assert sign_in(dora, "dora", PASSWORD).status_code == 429 and not signed_in(dora)
    # Other accounts are not.
    liam = browser(CITIZEN_B)
    assert sign_in(liam, "liam", PASSWORD).status_code == 302 and signed_in(liam)


def test_a_client_that_guessed_on_many_accounts_is_locked_out_of_every_account(personas, settings):
    settings.ECOGOV_LOGIN_FAILURES_PER_CLIENT = 8
    guesser = browser()
    for username in ("dora", "liam", "lily", "gary"):
        for attempt in range(2):  # below each account's limit of 5
            assert sign_in(guesser, username, f"guess-{attempt}").status_code in (200, 429)
    response = sign_in(guesser, "lena", PASSWORD)
    assert response.status_code == 429 and not signed_in(guesser)
    assert "密码错误次数过多" in response.content.decode()
    # The accounts themselves are not locked: their owners sign in from elsewhere.
    owner = browser(CITIZEN_B)
    assert sign_in(owner, "dora", PASSWORD).status_code == 302 and signed_in(owner)


def test_the_lockout_ends_after_the_cool_off(personas, settings):
    settings.ECOGOV_LOGIN_COOLOFF_MINUTES = 15
    guesser = browser()
    for attempt in range(5):
        sign_in(guesser, "dora", f"guess-{attempt}")
    assert sign_in(guesser, "dora", PASSWORD).status_code == 429
    # The clock moves on: the last failure was 16 minutes ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert sign_in(guesser, "dora", PASSWORD).status_code == 302 and signed_in(guesser)


def test_the_admin_login_shares_the_lockout(personas):
    guesser = browser()
    for attempt in range(5):
        sign_in(guesser, "ada", f"guess-{attempt}", url="/admin/login/")
    response = sign_in(guesser, "ada", PASSWORD, url="/admin/login/")
    assert response.status_code == 429 and not signed_in(guesser)
    assert sign_in(browser(CITIZEN_B), "ada", PASSWORD).status_code == 429


def test_administrators_see_the_lockouts(personas, client_for, caplog):
    guesser = browser()
    with caplog.at_level(logging.WARNING):
        for attempt in range(5):
            sign_in(guesser, "dora", f"guess-{attempt}")
    assert any("locked out" in r.getMessage() and "dora" in r.getMessage() for r in caplog.records)
    ada = client_for(personas.ada)
    attempts = ada.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200 and "dora" in attempts.content.decode()
    failures = ada.get("/admin/axes/accessfailurelog/")
    assert failures.status_code == 200 and CITIZEN_A in failures.content.decode()
    assert client_for(personas.dora).get("/admin/axes/accessattempt/").status_code in (302, 403)


def test_the_api_takes_no_password(personas):
    # Only bearer tokens and sessions: a user name and password are no way in, so the API
    # cannot be used to guess passwords past the lockout.
    import base64

    basic = base64.b64encode(f"dora:{PASSWORD}".encode()).decode()
    for header in (f"Basic {basic}", f"Bearer dora:{PASSWORD}", f"Bearer {PASSWORD}"):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/people/me")
        assert response.status_code in (401, 403), header


# Who the client is


def test_a_forwarded_for_header_from_an_untrusted_peer_is_ignored(settings):
    factory = RequestFactory()
    spoofed = {"REMOTE_ADDR": CITIZEN_A, "HTTP_X_FORWARDED_FOR": "192.0.2.99"}
    settings.ECOGOV_TRUSTED_PROXIES = []
    assert client_address(factory.get("/", **spoofed)) == CITIZEN_A
    settings.ECOGOV_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert client_address(factory.get("/", **spoofed)) == CITIZEN_A


def test_a_chain_of_trusted_proxies_gives_the_address_the_first_one_saw(settings):
    settings.ECOGOV_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    factory = RequestFactory()
    # The client wrote 192.0.2.99 itself; the outer proxy (10.0.0.2) saw 198.51.100.7 and
    # the inner one (127.0.0.1, the peer) saw 10.0.0.2.
    chain = {"REMOTE_ADDR": "127.0.0.1",
             "HTTP_X_FORWARDED_FOR": "192.0.2.99, 198.51.100.7, 10.0.0.2"}  # fmt: skip
    assert client_address(factory.get("/", **chain)) == "198.51.100.7"
    only_proxies = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.0.0.3, 10.0.0.2"}
    assert client_address(factory.get("/", **only_proxies)) == "10.0.0.3"
    garbage = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>, 10.0.0.2"}
    assert client_address(factory.get("/", **garbage)) == "10.0.0.2"
    ipv6 = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "[2001:db8::7]:51234"}
    assert client_address(factory.get("/", **ipv6)) == "2001:db8::7"


def report_through(proxy_client: Client, text: str = BLACK_WATER):
    return proxy_client.post("/api/public/reports", {"text": text, "address": "南滩"},
                             content_type="application/json")  # fmt: skip


def test_behind_a_trusted_proxy_two_citizens_have_separate_allowances(personas, settings):
    settings.ECOGOV_PUBLIC_REPORTS_PER_HOUR = 1
    settings.ECOGOV_TRUSTED_PROXIES = ["127.0.0.1"]
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=CITIZEN_A)
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.99, {CITIZEN_B}")
    assert report_through(first).status_code == 201
    assert report_through(first).status_code == 429
    assert report_through(second).status_code == 201
    # Without the setting the proxy is the client: everybody shares its allowance.
    settings.ECOGOV_TRUSTED_PROXIES = []
    third = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.55")
    assert report_through(third).status_code == 201
    assert report_through(Client(REMOTE_ADDR="127.0.0.1")).status_code == 429


def test_the_login_lockout_knows_the_client_behind_the_proxy(personas, settings):
    settings.ECOGOV_TRUSTED_PROXIES = ["127.0.0.1"]
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=CITIZEN_A)
    sign_in(guesser, "dora", "guess")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CITIZEN_A]


# Tracking codes


@pytest.fixture
def case(personas):
    return services.case_register(
        jurisdiction=personas.district, channel=Channel.PUBLIC, text=BLACK_WATER, address="南滩"
    )


def test_every_way_of_looking_a_code_up_spends_from_one_budget(case, settings):
    settings.ECOGOV_PUBLIC_LOOKUPS_PER_HOUR = 3
    code = case.tracking_code
    guesser = browser()
    assert guesser.get(f"/public/track/{code}/").status_code == 200
    assert guesser.get(f"/public/track/?code={code}", follow=True).status_code == 200
    assert guesser.get(f"/api/public/cases/{code}").status_code == 200
    assert guesser.get("/public/track/ZZZZZZZZZZ/").status_code == 429
    assert guesser.get("/public/track/?code=ZZZZZZZZZZ", follow=True).status_code == 429
    response = guesser.get("/api/public/cases/ZZZZZZZZZZ")
    assert response.status_code == 429 and "detail" in response.json()
    assert RateLimitHit.objects.filter(bucket="lookup").count() == 3
    # A guess that misses answers the form with a message, and spends as much as a hit.
    other = browser(CITIZEN_B)
    response = other.get("/public/track/ZZZZZZZZZZ/")
    assert response.status_code == 404 and "没有" in response.content.decode()


# Refused submissions


def report_page(client: Client, **fields):
    return client.post("/public/report/", {"address": "南滩", **fields})


def test_refused_submissions_do_not_use_up_the_reports_allowance(personas, settings):
    settings.ECOGOV_PUBLIC_REPORTS_PER_HOUR = 2
    settings.ECOGOV_PUBLIC_REFUSED_REPORTS_PER_HOUR = 4
    citizen = Client(REMOTE_ADDR=CITIZEN_A)
    assert report_page(citizen, text="").status_code == 422
    assert report_page(citizen, text=BLACK_WATER, photos=SimpleUploadedFile("a.png", b"GIF89a")
                       ).status_code == 422  # fmt: skip
    assert report_through(citizen, text="").status_code == 422
    accepted = report_page(citizen, text=BLACK_WATER)  # redirected to the thanks page
    assert accepted.status_code == 302 and accepted["Location"] == "/public/report/thanks/"
    assert report_through(citizen).status_code == 201
    assert report_page(citizen, text=BLACK_WATER).status_code == 429
    assert Case.objects.count() == 2


def test_refused_submissions_are_bounded_by_their_own_budget(personas, settings):
    settings.ECOGOV_PUBLIC_REFUSED_REPORTS_PER_HOUR = 3
    robot = Client(REMOTE_ADDR=CITIZEN_A)
    for _ in range(3):
        assert report_page(robot, text="").status_code == 422
    assert report_page(robot, text="").status_code == 429
    assert report_through(robot).status_code == 429
    assert report_page(robot, text=BLACK_WATER).status_code == 429
    assert Case.objects.count() == 0


# Bodies over the limit


def test_a_form_over_the_limit_answers_413_on_a_page(personas, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    dora = client_for(personas.dora)
    response = dora.post("/cases/new/", {"text": "臭" * 2000, "channel": "hotline"})
    assert response.status_code == 413 and "请求过大" in response.content.decode()
    assert Case.objects.count() == 0
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    many = {f"field{i}": "x" for i in range(20)}
    assert dora.post("/cases/new/", many).status_code == 413


def test_a_report_over_the_limit_answers_413_and_counts_as_a_report(personas, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    settings.ECOGOV_PUBLIC_REPORTS_PER_HOUR = 2
    citizen = Client(REMOTE_ADDR=CITIZEN_A)
    for _ in range(2):
        response = report_page(citizen, text="臭" * 2000)
        assert response.status_code == 413 and "请求过大" in response.content.decode()
    assert RateLimitHit.objects.filter(bucket="report").count() == 2
    assert report_page(citizen, text=BLACK_WATER).status_code == 429
    assert Case.objects.count() == 0


def test_an_api_body_over_the_limit_answers_413_with_a_detail(personas, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    response = report_through(browser(), text="臭" * 2000)
    assert response.status_code == 413 and "请求过大" in response.json()["detail"]
    assert RateLimitHit.objects.filter(bucket="report").count() == 1
    dora = client_for(personas.dora)
    body = json.dumps({"channel": "hotline", "text": "臭" * 2000})
    response = dora.post("/api/cases", body, content_type="application/json")
    assert response.status_code == 413 and "detail" in response.json()
    assert RateLimitHit.objects.filter(bucket="oversized").count() == 1
    assert Case.objects.count() == 0


def test_an_upload_far_over_the_limit_is_refused_unread(personas, settings):
    settings.ECOGOV_MAX_REQUEST_MB = 30
    citizen = browser()
    # A declared 40 MB: refused on the length alone (the body is never read).
    response = citizen.post("/public/report/", b"--x--", content_type="multipart/form-data; boundary=x",
                            CONTENT_LENGTH=str(40 * 1024 * 1024))  # fmt: skip
    assert response.status_code == 413
    settings.ECOGOV_MAX_REQUEST_MB = 1
    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"0" * (2 * 1024 * 1024))
    response = citizen.post("/public/report/", {"text": BLACK_WATER, "photos": photo})
    assert response.status_code == 413 and Case.objects.count() == 0
