"""The yardstick the page benchmarks divide by: Django with no apps, no middleware and one tiny view.

Used as both the settings module and the URLconf of a second gunicorn that the bench starts beside the
site, so both are measured on the same machine, in the same run, with the same server and Python.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = "bench-only-bare-site-key-bench-only-bare-site-key-bench-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.bare_site"
USE_TZ = True


def bare_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


# At /healthz, the path the harness polls until a server answers.
urlpatterns = [path("healthz", bare_view)]
