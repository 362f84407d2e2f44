from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def update_last_login_quietly(sender, user, **kwargs):
    """Django's update_last_login, without a history record: last_login is left out of
    the history, so each sign-in would otherwise add an empty "changed" row to the
    audit trail."""
    from django.utils import timezone

    user.last_login = timezone.now()
    user.skip_history_when_saving = True
    try:
        user.save(update_fields=["last_login"])
    finally:
        del user.skip_history_when_saving


class AccountsConfig(AppConfig):
    name = "ecogov.accounts"
    label = "accounts"
    verbose_name = _("People and accounts")

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        # Under Django's own dispatch_uid: whichever app is ready first, only this one
        # stays connected (a second connect with the same uid is ignored).
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(update_last_login_quietly, dispatch_uid="update_last_login")
