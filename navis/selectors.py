"""Reads about accounts that pages and emails need."""

from allauth.account.models import EmailAddress

from navis.models import User


def verified_email(user: User) -> str | None:
    """The account's verified address (the primary one first), or None if it has none."""
    address = EmailAddress.objects.filter(user=user, verified=True).order_by("-primary", "pk").first()
    return address.email if address else None
