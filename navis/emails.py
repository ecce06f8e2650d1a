"""The emails about staff accounts themselves, rendered when the outbox sends them.

navis/services.py writes them as Notification rows in the transaction of the change: a change to
someone's staff roles (the admin's LogEntry that records it) or a link to set up two-factor.
"""

import secrets

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from navis.models import TwoFactorSetupLink, User
from navis.selectors import verified_email
from uploads.emails import email_message


def roles_changed_email(*, log_entry_id: int) -> EmailMultiAlternatives:
    """The email to every active superuser about the change to staff roles that the LogEntry records."""
    entry = LogEntry.objects.select_related("user", "content_type").get(pk=log_entry_id)
    # Every superuser hears of it, so a role given by a stolen superuser session does not go unseen.
    superusers = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").values_list("email", flat=True)
    context = {
        "actor": entry.user.email,
        "target": entry.object_repr,
        "kind": entry.content_type.model_class()._meta.verbose_name,
        "changes": entry.change_message.removesuffix(".").split(ROLE_CHANGES_SEPARATOR),
    }
    return email_message(template="staff_roles_changed", to=list(superusers), context=context)


# How navis/services.py joins the changes of one LogEntry's message, which the email lists one a line.
ROLE_CHANGES_SEPARATOR = "; "


def two_factor_link_email(*, link_id: int) -> EmailMultiAlternatives:
    """The email with a setup link, under a token made now; to nobody if the link was used or replaced."""
    # Only a hash of the token is ever stored, so the token is made as the email is sent, and exists in
    # the email alone: the Notification holds none, and a copy of the database opens nothing. Sending it
    # again (a worker stopped after the mail server took it) makes a new token: the latest email works.
    token = secrets.token_urlsafe(32)
    issued = (
        TwoFactorSetupLink.objects.filter(pk=link_id).pending().update(token_hash=TwoFactorSetupLink.hash_of(token))
    )
    link = TwoFactorSetupLink.objects.select_related("user").get(pk=link_id)
    email = verified_email(link.user) if issued else None
    max_age = settings.STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS
    context = {
        "setup_url": settings.SITE_URL + reverse("two_factor_setup_link", args=[token]),
        "hours": max(1, max_age // 3600),
    }
    return email_message(template="staff_two_factor_link", to=[email] if email else [], context=context)
