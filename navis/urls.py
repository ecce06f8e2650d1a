from django.contrib import admin
from django.urls import include, path

from navis import views

admin.site.site_header = "Navis staff"
admin.site.site_title = "Navis staff"
admin.site.index_title = "Work"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
