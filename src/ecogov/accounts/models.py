"""People who sign in, their roles and their API tokens."""

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    # The anonymous public has no account and no role.
    ADMINISTRATOR = "administrator", _("administrator")
    DISPATCHER = "dispatcher", _("ecology-bureau dispatcher")
    LIAISON = "liaison", _("unit liaison")
    GRID_WORKER = "grid_worker", _("grid worker")
    LEADER = "leader", _("leader")
    INSPECTOR = "inspector", _("discipline inspector")


class User(AbstractUser):
    # Chinese names are not split into first and last names.
    first_name = None
    last_name = None
    name = models.CharField(_("name"), max_length=100, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    grids = models.ManyToManyField(
        "grid.Grid", verbose_name=_("grids"), blank=True, related_name="people"
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    # Passwords and sign-in times are not audit material.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["unit", "username"]

    def __str__(self):
        return self.name or self.username

    def get_absolute_url(self):
        return reverse("person_detail", args=[self.pk])

    def get_full_name(self):
        return self.name or self.username

    def get_short_name(self):
        return self.name or self.username


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for scripts. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
