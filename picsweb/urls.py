from django.contrib import admin
from django.urls import include, path

from picsweb import job_views, views

jobs_patterns = (
    [
        path("", job_views.job_list, name="list"),
        path("<uuid:code>/", job_views.job_detail, name="detail"),
        path("<uuid:code>/status/", job_views.job_status, name="status"),
        path("<uuid:code>/download/", job_views.job_download, name="download"),
    ],
    "jobs",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("learners/", include("learners.urls")),
    path("jobs/", include(jobs_patterns)),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
