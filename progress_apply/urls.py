from django.urls import path

from progress_apply import import_views, views

app_name = "progress_apply"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("learners/", views.learner_list, name="learners"),
    path("learners/new/", views.learner_create, name="learner-create"),
    path("learners/not-logged-on/", views.not_logged_on, name="not-logged-on"),
    path(
        "learners/not-logged-on.xlsx",
        views.not_logged_on_download,
        name="not-logged-on-download",
    ),
    path("learners/import/", import_views.learner_import, name="import"),
    path(
        "learners/import/template.xlsx",
        import_views.learner_import_template,
        name="import-template",
    ),
    path("learners/<uuid:code>/", views.learner_edit, name="learner-edit"),
    path("learners/<uuid:code>/profile/", views.learner_profile, name="learner-profile"),
    path(
        "learners/<uuid:code>/reset-password/",
        views.learner_reset_password,
        name="learner-reset-password",
    ),
    path("learners/<uuid:code>/unlock/", views.learner_unlock, name="learner-unlock"),
    path("learners/<uuid:code>/delete/", views.learner_delete, name="learner-delete"),
    path("providers/", views.provider_list, name="providers"),
    path("account/", views.account, name="account"),
    path("account/username/", views.account_username, name="account-username"),
    path("account/password/", views.account_password, name="account-password"),
    path("first-log-in/", views.first_login, name="first-login"),
    path("home/", views.learner_home, name="learner-home"),
    path("staff/new/", views.staff_create, name="staff-create"),
]

# Public pages beside the log-in form (under /accounts/).
