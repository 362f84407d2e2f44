"""Locking out guessed passwords (django-axes, configured in settings.py).

An account is locked after ECOGOV_LOGIN_FAILURES_PER_ACCOUNT wrong passwords from any
client, a client after ECOGOV_LOGIN_FAILURES_PER_CLIENT on any accounts, each until
ECOGOV_LOGIN_COOLOFF_MINUTES after its last failure. The login page and the admin login
share the authentication backend and so the lockout; API tokens take no password.
"""

import logging
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


def cool_off(request=None) -> timezone.timedelta:
    """AXES_COOLOFF_TIME: read when used, so that a changed setting takes effect."""
    return timezone.timedelta(minutes=settings.ECOGOV_LOGIN_COOLOFF_MINUTES)


class LoginAttemptHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for the client.

    Axes compares the larger failure count of its lockout parameters (["username",
    "ip_address"]) with one limit, the account's; the client's count is expressed in
    that limit's terms, so that it locks at ECOGOV_LOGIN_FAILURES_PER_CLIENT.
    """

    def get_failures(self, request, credentials=None) -> int:
        account, client = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        per_account = settings.ECOGOV_LOGIN_FAILURES_PER_ACCOUNT
        return max(account, client * per_account // settings.ECOGOV_LOGIN_FAILURES_PER_CLIENT)


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page's look, saying when to try again."""
    handler = LoginAttemptHandler()
    # The lock lifts a cool-off after the last failure that counts (of the account or
    # of the client, whichever is later: the later one is the safe thing to say).
    times = [
        attempts.aggregate(at=Max("attempt_time"))["at"]
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    until = max([at for at in times if at] or [timezone.now()]) + cool_off()
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    username = get_client_username(request, credentials) or ""
    logger.warning("Login refused: %r from %s is locked out until %s", username,
                   request.axes_ip_address, until.isoformat())  # fmt: skip
    return render(request, "registration/locked_out.html",
                  {"until": until, "minutes": minutes}, status=429)  # fmt: skip
