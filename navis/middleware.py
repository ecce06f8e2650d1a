import re
import time
from collections.abc import Callable
from functools import cache
from urllib.parse import unquote_plus, urlencode

from allauth.mfa.models import Authenticator
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

LAST_SEEN_KEY = "navis_last_seen"
SIGNED_IN_AT_KEY = "navis_signed_in_at"
# The staff account whose emailed two-factor link this session spent: only it may set up an authenticator.
TWO_FACTOR_SETUP_SESSION_KEY = "navis_two_factor_setup_user"
# Write the session at most this often: someone clicking around should not cost a write a click.
LAST_SEEN_RESOLUTION_SECONDS = 30


def session_limits(user) -> tuple[int, int]:
    """Return how long this user's session may sit idle, and how long it may last at most, in seconds."""
    if user.is_staff:
        return settings.STAFF_IDLE_TIMEOUT_SECONDS, settings.STAFF_SESSION_MAX_AGE_SECONDS
    # A remembered patient session keeps the idle limit: see settings.PATIENT_IDLE_TIMEOUT_SECONDS.
    return settings.PATIENT_IDLE_TIMEOUT_SECONDS, settings.SESSION_COOKIE_AGE


def session_times_start(sender, request: HttpRequest, user, **kwargs) -> None:
    """Note when a session signed in (connected to user_logged_in in navis.apps)."""
    # Written with the login's own session save, so the next request has nothing to write.
    now = int(time.time())
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_SEEN_KEY] = now


def _duration(seconds: int) -> str:
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


class SessionTimeoutMiddleware:
    """Sign a user out after a spell without requests, and once the session is as old as it may get.

    Staff screens hold many patients' records: 15 idle minutes, and 12 hours in all however busy.
    A patient's pages hold their diagnosis and are often read on shared devices: 30 idle minutes, and
    at most SESSION_COOKIE_AGE (REMEMBER_ME_DAYS) from signing in, remembered or not. The times are
    kept in the session, so they hold for every process and survive restarts.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            idle_limit, max_age = session_limits(user)
            last_seen = request.session.get(LAST_SEEN_KEY)
            signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
            if last_seen is not None and now - last_seen > idle_limit:
                return self._sign_out(request, f"You were signed out after {_duration(idle_limit)} without activity.")
            if signed_in_at is not None and now - signed_in_at > max_age:
                return self._sign_out(
                    request, f"You were signed out because a session lasts at most {_duration(max_age)}."
                )
            if signed_in_at is None:
                # A session signed in before its start was noted: it counts from now.
                request.session[SIGNED_IN_AT_KEY] = now
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        login_url = reverse("account_login")
        return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")


@cache
def admin_prefix() -> str:
    return reverse("admin:index")


@cache
def two_factor_activate_path() -> str:
    # Reversed once per process, as admin_prefix is: this middleware asks on every request.
    return reverse("mfa_activate_totp")


def has_two_factor(user) -> bool:
    """Whether the user has an authenticator app set up (recovery codes alone do not count)."""
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffTwoFactorMiddleware:
    """Keep staff without two-factor authentication out of the admin, and out of setting it up by password alone.

    The admin login itself goes through allauth (navis/urls.py), so a member of staff who has an
    authenticator has passed its code to be signed in at all. One without is emailed a one-time link
    (navis.services.two_factor_link_send) and told so; only the session that spent such a link may open
    allauth's page that sets up an authenticator app, so whoever holds just the password cannot enrol
    their own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        path = request.path_info
        to_admin = path.startswith(admin_prefix())
        to_setup = path == two_factor_activate_path()
        if (to_admin or to_setup) and user.is_authenticated and user.is_staff and not has_two_factor(user):
            if to_admin:
                # Imported here: the services import allauth's forms, whose signup form imports uploads,
                # whose selectors import this module.
                from navis.services import two_factor_link_offer

                two_factor_link_offer(user=user)
                messages.warning(request, "Staff must set up two-factor authentication before opening the staff pages.")
                return HttpResponseRedirect(reverse("two_factor_setup"))
            if request.session.get(TWO_FACTOR_SETUP_SESSION_KEY) != user.pk:
                messages.warning(request, "Open the link we emailed you to set up two-factor authentication.")
                return HttpResponseRedirect(reverse("two_factor_setup"))
        return self.get_response(request)


# Characters no honest request carries in its address or cookies; they reach the database
# (PostgreSQL refuses NUL in text) or a header as an error, so they are refused before any view.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Pages that carry patient data start with these, for any visitor; any page for a signed-in user may.
_PRIVATE_PREFIXES = ("/accounts/", "/cases/")


def has_control_characters(request: HttpRequest) -> bool:
    """Whether the request's address or cookies carry characters no honest request does."""
    query = unquote_plus(request.META.get("QUERY_STRING", ""), errors="replace")
    cookies = request.META.get("HTTP_COOKIE", "")
    return any(_CONTROL_CHARACTERS.search(part) for part in (query, request.path_info, cookies))


class RequestHardeningMiddleware:
    """Answer 400 to control characters in a request; keep patient pages out of every cache.

    A NUL in a query string used to end in a 500 from the database. Responses to signed-in users
    and on the account, case and staff pages are sent with no-store, so no browser or proxy keeps
    a copy; every response carries a Permissions-Policy that turns off what Navis never uses.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_control_characters(request):
            response = HttpResponseBadRequest("The address contains characters that are not allowed.")
        else:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            private = signed_in or request.path_info.startswith((*_PRIVATE_PREFIXES, admin_prefix()))
            # A download that already says no-store keeps its own, exact header.
            if private and "no-store" not in response.get("Cache-Control", ""):
                add_never_cache_headers(response)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# What a view or a template sets to change one response's policy (django-csp's decorators and nonce).
_PER_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policies built once instead of for every response.

    django-csp builds the policy and the report-only policy from the settings for each response; they
    change only when a view asks (a decorator) or a template uses a nonce, and those responses are
    still built by django-csp itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        super().__init__(get_response)
        self.policy = build_policy()
        self.policy_report_only = build_policy(report_only=True)
        excluded = (
            (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        self.same_for_every_path = not any(excluded)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if (
            not self.same_for_every_path
            or settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in _PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        if self.policy and HEADER not in response and not getattr(response, "_csp_exempt", False):
            response[HEADER] = self.policy
        if (
            self.policy_report_only
            and HEADER_REPORT_ONLY not in response
            and not getattr(response, "_csp_exempt_ro", False)
        ):
            response[HEADER_REPORT_ONLY] = self.policy_report_only
        # As django-csp does: a nonce asked for after the header was written could not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
