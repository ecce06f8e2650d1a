from django.urls import path

from uploads import views

app_name = "uploads"

urlpatterns = [
    path("get-guidance/", views.lead_start, name="lead_start"),
    path("cases/", views.dashboard, name="dashboard"),
    path("cases/new/", views.case_start, name="case_start"),
    path("cases/<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:case_id>/consent/", views.case_consent, name="case_consent"),
    path("cases/<uuid:case_id>/diagnosis/", views.case_diagnosis, name="case_diagnosis"),
    path("cases/<uuid:case_id>/records/", views.case_records, name="case_records"),
    path("cases/<uuid:case_id>/check/", views.case_check, name="case_check"),
    path("cases/<uuid:case_id>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("cases/<uuid:case_id>/follow-up/", views.case_follow_up, name="case_follow_up"),
    path("cases/<uuid:case_id>/documents/", views.document_upload, name="document_upload"),
    path("cases/<uuid:case_id>/documents/<uuid:document_id>/remove/", views.document_remove, name="document_remove"),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path("accounts/your-data/", views.account_export, name="account_export"),
    path("accounts/your-data/started/", views.account_export_started, name="account_export_started"),
    path("accounts/your-data/download/", views.account_export_download, name="account_export_download"),
    path("accounts/delete/", views.account_delete, name="account_delete"),
]
