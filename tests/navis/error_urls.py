"""The site's URLs with one page that fails, to see the 500 page as a reader would."""

from django.urls import path

from navis.urls import handler500
from navis.urls import urlpatterns as site_urlpatterns


def failing_page(request):
    raise RuntimeError("A page that fails, for the test of the 500 page.")


urlpatterns = [path("fails/", failing_page), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
