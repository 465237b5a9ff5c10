from django.contrib import admin
from django.urls import include, path

from picsweb import accounts, job_views, views
from picsweb.imports import views as import_views

jobs_patterns = (
    [
        path("", job_views.job_list, name="list"),
        path("<uuid:code>/", job_views.job_detail, name="detail"),
        path("<uuid:code>/status/", job_views.job_status, name="status"),
        path("<uuid:code>/download/", job_views.job_download, name="download"),
        path("<uuid:code>/left-out.csv", job_views.job_left_out, name="left-out"),
        path("<uuid:code>/confirm/", import_views.import_confirm, name="import-confirm"),
        path("<uuid:code>/cancel/", import_views.import_cancel, name="import-cancel"),
        path("<uuid:code>/undo/", import_views.import_undo, name="import-undo"),
    ],
    "jobs",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("invite/", views.invite, name="invite"),
    path("learners/", include("learners.urls")),
    path("jobs/", include(jobs_patterns)),
    path("payments/", include("payments.urls")),
    path("regcert/", include("regcert.urls")),
    path("ilr/", include("ilr_exports.urls")),
    # Before Django's own: rate-limited reset emails, and a reset that unlocks the account.
    path(
        "accounts/password_reset/",
        accounts.RateLimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.UnlockingPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("apply/", include("progress_apply.urls")),
    path("accounts/", include("progress_apply.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
