from django.contrib import admin
from django.urls import include, path

from articles.views import robots_txt
from navis import views

handler500 = views.server_error

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", include("uploads.urls")),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/setup/<str:token>/", views.two_factor_setup_link, name="two_factor_setup_link"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
