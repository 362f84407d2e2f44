"""Writes to accounts: people, their roles and their API tokens."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.accounts.models import ApiToken, Role, User, token_digest
from ecogov.org.models import Unit
from ecogov.org.services import audited_save

PERSON_CONTACT_FIELDS = ("name", "phone", "position", "email")
PERSON_DEFINING_FIELDS = ("role", "unit", "is_active")

# Roles whose work is tied to a unit: an account with one of them needs a unit.
UNIT_ROLES = frozenset(
    {Role.DISPATCHER, Role.LIAISON, Role.GRID_WORKER, Role.LEADER, Role.INSPECTOR}
)


def _check_role(role: str, unit: Unit | None) -> None:
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    if role in UNIT_ROLES and unit is None:
        raise ValidationError(_("A person with this role must belong to a unit."))


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    unit: Unit | None = None,
    password: str | None = None,
    by=None,
    **fields,
) -> User:
    _check_role(role, unit)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("The user name %(name)s is taken.") % {"name": username})
    user = User(username=username, role=role, unit=unit, **fields)
    # The administrator role is the back office's superuser; no other role enters it.
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    audited_save(user, by=by)
    return user


@transaction.atomic
def user_update(*, user: User, by=None, reason: str = "", **fields) -> User:
    unknown = set(fields) - set(PERSON_CONTACT_FIELDS) - set(PERSON_DEFINING_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
    changed = [key for key, value in fields.items() if getattr(user, key) != value]
    if not changed:
        return user
    for key in changed:
        setattr(user, key, fields[key])
    _check_role(user.role, user.unit)
    user.is_staff = user.is_superuser = user.role == Role.ADMINISTRATOR
    audited_save(user, by=by, reason=reason)
    return user


@transaction.atomic
def administrator_ensure(*, username: str, password: str, email: str = "") -> tuple[User, bool]:
    """The superuser account, created if missing. Returns (user, created)."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(
        username=username,
        email=email,
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
        name=_("Administrator"),
    )
    user.set_password(password)
    audited_save(user, reason=_("created by set-up"))
    return user, True


def token_create(*, user: User, name: str, expires=None) -> tuple[ApiToken, str]:
    """A new token; the key is returned once and only its digest is stored."""
    key = "eg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, digest=token_digest(key), prefix=key[3:9], expires=expires
    )
    return token, key


def token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked=None).update(revoked=timezone.now())


def token_authenticate(key: str) -> User | None:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(digest=token_digest(key), revoked=None, user__is_active=True)
        .first()
    )
    if token is None or (token.expires is not None and token.expires <= now):
        return None
    # Claim the update only when the stored time is older than a minute: no write per request.
    ApiToken.objects.filter(pk=token.pk).exclude(
        last_used__gt=now - timezone.timedelta(minutes=1)
    ).update(last_used=now)
    return token.user
