from django.urls import path

from learners import import_views, jobs, record_views, views

app_name = "learners"
urlpatterns = [
    path("", views.learner_list, name="list"),
    path("bulk/", views.learner_bulk, name="bulk"),
    path("import/", import_views.learner_import, name="import"),
    path("import/template.csv", import_views.learner_import_template, name="import-template"),
    path("new/", record_views.learner_new, name="new"),
    # The learner's record (the ILR Summary): a page per tab, a form per part.
    path("<uuid:code>/", record_views.learner_detail, name="detail"),
    path("<uuid:code>/edit/", record_views.learner_edit, name="edit"),
    path("<uuid:code>/employment/", record_views.learner_employment, name="employment"),
    path("<uuid:code>/employment/add/", record_views.status_edit, name="employment-add"),
    path(
        "<uuid:code>/employment/<uuid:status>/",
        record_views.learner_status,
        name="employment-status",
    ),
    path(
        "<uuid:code>/employment/<uuid:status>/edit/",
        record_views.status_edit,
        name="employment-edit",
    ),
    path("<uuid:code>/aims/", record_views.learner_aims, name="aims"),
    path("<uuid:code>/aims/<uuid:aim>/edit/", record_views.aim_edit, name="aim-edit"),
    path("<uuid:code>/history/", record_views.learner_history, name="history"),
    path("<uuid:code>/fix/<str:field>/", record_views.learner_fix, name="fix"),
    path("as-cohort/<uuid:code>/confirm/", jobs.as_cohort_confirm, name="as-cohort-confirm"),
]
