from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles import selectors
from articles.cache import public_page
from articles.sitemaps import SITEMAPS
from articles.views import lead_capture_url
from navis import services
from navis.context_processors import site
from navis.health import readiness
from navis.middleware import TWO_FACTOR_SETUP_SESSION_KEY, has_two_factor
from navis.selectors import verified_email


@require_safe
@public_page
def home(request: HttpRequest) -> HttpResponse:
    lists = selectors.home_lists()
    context = {
        "featured": lists.featured,
        "latest": lists.latest,
        "cancer_types": lists.cancer_types,
        "cta_url": lead_capture_url(request),
    }
    return TemplateResponse(request, "home.html", context)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the site's style, rendered from the site context alone.

    Django's own handler renders 500.html without context processors, so the page would have no
    stylesheet and no links back; the request's user and session are left out here too, since they
    may be what failed.
    """
    return HttpResponseServerError(loader.get_template("500.html").render(site(request)))


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    return django_sitemap(request, sitemaps=SITEMAPS)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer while the process is alive, whatever else is down."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Say whether database, broker and file storage answer; 503 when one does not."""
    results = readiness()
    ready = all(result.ok for result in results)
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {r.name: {"ok": r.ok, **({"error": r.detail} if r.detail else {})} for r in results},
    }
    return JsonResponse(body, status=200 if ready else 503)


def _staff_without_two_factor(user) -> bool:
    return user.is_staff and not has_two_factor(user)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Tell staff without two-factor to open the emailed link; a POST sends a new one (rate-limited)."""
    user = request.user
    if not _staff_without_two_factor(user):
        return redirect("mfa_index")
    if request.method == "POST":
        if not ratelimit.consume(request, action="staff_two_factor_link", user=user):
            messages.error(request, "You asked for several links in a short time: wait a while and try again.")
            return _setup_page(request, status=429)
        if services.two_factor_link_send(user=user):
            messages.success(request, "We have emailed you a new link; the earlier ones no longer work.")
        return redirect("two_factor_setup")
    return _setup_page(request)


@login_required
def two_factor_setup_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: once spent (by a POST, so a mail scanner's GET spends nothing), two-factor setup opens."""
    user = request.user
    if not _staff_without_two_factor(user):
        return redirect("mfa_index")
    try:
        if request.method == "POST":
            services.two_factor_link_use(user=user, token=token)
        else:
            services.two_factor_link_check(user=user, token=token)
    except ValidationError as exc:
        return _setup_page(request, problem=" ".join(exc.messages) + " Ask for a new link below.", status=400)
    if request.method == "POST":
        # Only this session may open the setup page: see StaffTwoFactorMiddleware.
        request.session[TWO_FACTOR_SETUP_SESSION_KEY] = user.pk
        return redirect("mfa_activate_totp")
    return TemplateResponse(request, "account/two_factor_setup_link.html", {})


def _setup_page(request: HttpRequest, *, problem: str = "", status: int = 200) -> HttpResponse:
    context = {
        "email": verified_email(request.user),
        "hours": max(1, settings.STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS // 3600),
        "problem": problem,
    }
    return TemplateResponse(request, "account/two_factor_setup.html", context, status=status)
