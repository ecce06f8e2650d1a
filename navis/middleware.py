import time
from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

LAST_SEEN_KEY = "navis_staff_last_seen"
# Write the session at most this often: a staff member clicking around should not cost a write a click.
LAST_SEEN_RESOLUTION_SECONDS = 30


class StaffIdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_TIMEOUT_SECONDS without a request: their screens hold patient data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_IDLE_TIMEOUT_SECONDS:
                logout(request)
                minutes = settings.STAFF_IDLE_TIMEOUT_SECONDS // 60
                messages.info(request, f"You were signed out after {minutes} minutes without activity.")
                login_url = reverse("account_login")
                return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


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
