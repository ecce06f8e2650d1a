from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from uploads.models import Case


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account behaviour, with patients taken to their requests once signed in."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_staff:
            return super().get_login_redirect_url(request)
        # A new patient goes straight on to start a request; one who has any goes to the list.
        if Case.objects.owned_by(user).exists():
            return reverse("uploads:dashboard")
        return reverse("uploads:case_start")
