from django.urls import path

from learners import import_views, jobs, views

app_name = "learners"
urlpatterns = [
    path("", views.learner_list, name="list"),
    path("bulk/", views.learner_bulk, name="bulk"),
    path("import/", import_views.learner_import, name="import"),
    path("import/template.csv", import_views.learner_import_template, name="import-template"),
    path("<uuid:code>/", views.learner_detail, name="detail"),
    path("as-cohort/<uuid:code>/confirm/", jobs.as_cohort_confirm, name="as-cohort-confirm"),
]
