"""Reminders and escalations reach people through one notifier.

``notify`` finds the people to tell (the liaisons of a unit, the bureau's dispatchers and
leaders, the discipline inspectors) and hands one message to every channel named in the
setting ``ECOGOV_NOTIFIERS``: in-app notices by default; ``ecogov.supervision.notify.email``
sends e-mail too through Django's mail settings (an intranet SMTP server). Nothing here
calls an internet service.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ecogov.accounts.models import Role, User
from ecogov.supervision.models import Notice
from ecogov.text import writable_text

log = logging.getLogger(__name__)

DEFAULT_NOTIFIERS = ("ecogov.supervision.notify.in_app",)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str = ""
    url: str = ""
    colour: str = ""


def in_app(people: list[User], message: Message, at) -> None:
    Notice.objects.bulk_create(
        Notice(
            recipient=person,
            at=at,
            subject=message.subject[:200],
            body=message.body,
            url=message.url,
            colour=message.colour,
        )  # fmt: skip
        for person in people
    )


def email(people: list[User], message: Message, at) -> None:
    """One e-mail per person with an address, through the SMTP server of the settings.
    A mail server that is down loses no notice: the in-app one is kept, and the failure
    is logged. Sent once the transaction commits: a step refused afterwards mails
    nothing."""
    addressed = [person for person in people if person.email]
    if not addressed:
        return
    base = getattr(settings, "ECOGOV_SITE_URL", "").rstrip("/")
    body = writable_text(message.body)
    if message.url:
        body = f"{body}\n\n{base}{message.url}".strip()
    mails = [
        EmailMessage(writable_text(message.subject), body, to=[person.email])
        for person in addressed
    ]
    try:
        get_connection().send_messages(mails)
    except OSError:
        log.exception("notice e-mail not sent: %s", message.subject)


email.after_commit = True


def _channels():
    names = getattr(settings, "ECOGOV_NOTIFIERS", DEFAULT_NOTIFIERS)
    return [import_string(name) for name in names]


def people_of(*, units: Iterable = (), roles: Iterable[str] = (), jurisdiction=None) -> list[User]:
    """The active people to tell: the liaisons (and dispatchers) of ``units``, and the
    people of ``roles`` in ``jurisdiction``."""
    found: dict[int, User] = {}
    unit_ids = [getattr(unit, "pk", unit) for unit in units if unit is not None]
    if unit_ids:
        for person in User.objects.filter(
            is_active=True, unit__in=unit_ids, role__in=[Role.LIAISON, Role.DISPATCHER]
        ):
            found[person.pk] = person
    roles = list(roles)
    if roles and jurisdiction is not None:
        for person in User.objects.filter(
            is_active=True, role__in=roles, unit__jurisdiction=jurisdiction
        ):
            found[person.pk] = person
    return sorted(found.values(), key=lambda person: person.pk)


def notify(people: list[User], message: Message, at=None) -> int:
    """Tell ``people`` through every configured channel; the number of people told."""
    if not people:
        return 0
    at = at or timezone.now()
    for channel in _channels():
        if getattr(channel, "after_commit", False):
            transaction.on_commit(partial(channel, people, message, at))
        else:
            channel(people, message, at)  # in the step's own transaction
    return len(people)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(recipient=user, read_at=None).count()
