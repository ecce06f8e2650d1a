from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from articles.views import robots_txt
from navis import views

admin.site.site_header = "Navis staff"
admin.site.site_title = "Navis staff"
admin.site.index_title = "Work"
# The admin signs in through allauth, so its rate limits and two-factor apply there too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("", include("uploads.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
