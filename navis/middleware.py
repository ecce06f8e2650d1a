from collections.abc import Callable
from functools import cache

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode


@cache
def admin_prefix() -> str:
    return reverse("admin:index")


def has_two_factor(user) -> bool:
    """Whether the user has an authenticator app set up (recovery codes alone do not count)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """Send staff without two-factor authentication to set it up before any admin page opens.

    The admin login itself goes through allauth (navis/urls.py), so a member of staff who has an
    authenticator has passed its code to be signed in at all; one without is stopped here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            request.path_info.startswith(admin_prefix())
            and user.is_authenticated
            and user.is_staff
            and not has_two_factor(user)
        ):
            messages.warning(request, "Staff must set up two-factor authentication before opening the staff pages.")
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
