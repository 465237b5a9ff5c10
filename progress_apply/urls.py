from django.urls import path

from progress_apply import application_views, course_views, import_views, profile_views, views

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
        "learners/qualifications/",
        import_views.qualifications_workbook,
        name="qualifications",
    ),
    path(
        "learners/import/template.xlsx",
        import_views.learner_import_template,
        name="import-template",
    ),
    path("learners/<uuid:code>/", views.learner_edit, name="learner-edit"),
    path("learners/settings/", profile_views.bulk_settings, name="bulk-settings"),
    path("learners/<uuid:code>/profile/", profile_views.learner_profile, name="learner-profile"),
    path(
        "learners/<uuid:code>/profile/approve/",
        profile_views.profile_approve,
        name="learner-approve",
    ),
    path(
        "learners/<uuid:code>/profile/unapprove/",
        profile_views.profile_unapprove,
        name="learner-unapprove",
    ),
    path("learners/<uuid:code>/reference/", profile_views.reference, name="learner-reference"),
    path("learners/<uuid:code>/referee/", profile_views.referee, name="learner-referee"),
    path(
        "learners/<uuid:code>/reset-password/",
        views.learner_reset_password,
        name="learner-reset-password",
    ),
    path("learners/<uuid:code>/unlock/", views.learner_unlock, name="learner-unlock"),
    path("learners/<uuid:code>/delete/", views.learner_delete, name="learner-delete"),
    path("providers/", views.provider_list, name="providers"),
    path(
        "providers/<uuid:code>/settings/",
        profile_views.provider_settings,
        name="provider-settings",
    ),
    path("providers/<uuid:code>/groups/", profile_views.group_list, name="groups"),
    path("groups/<uuid:code>/", profile_views.group_members, name="group-members"),
    path("groups/<uuid:code>/edit/", profile_views.group_edit, name="group-edit"),
    path("groups/<uuid:code>/delete/", profile_views.group_delete, name="group-delete"),
    path("courses/", course_views.course_search, name="courses"),
    path("courses/<uuid:code>/", course_views.course_detail, name="course"),
    path("courses/<uuid:code>/favourite/", course_views.course_favourite, name="course-favourite"),
    path("courses/<uuid:code>/apply/", application_views.apply, name="apply"),
    path("applications/", application_views.my_applications, name="applications"),
    path("applications/<uuid:code>/", application_views.application, name="application"),
    path(
        "applications/<uuid:code>/withdraw/",
        application_views.application_withdraw,
        name="application-withdraw",
    ),
    path("admissions/", application_views.admissions, name="admissions"),
    path("admissions/courses/", course_views.staff_courses, name="staff-courses"),
    path("admissions/courses/new/", course_views.staff_course_edit, name="staff-course-create"),
    path(
        "admissions/courses/<uuid:code>/", course_views.staff_course_edit, name="staff-course-edit"
    ),
    path("admissions/<uuid:code>/", application_views.admission, name="admission"),
    path(
        "admissions/<uuid:code>/enrol/", application_views.admission_enrol, name="admission-enrol"
    ),
    path(
        "admissions/<uuid:code>/learner-record/",
        application_views.admission_record,
        name="admission-record",
    ),
    path("profile/personal/", profile_views.personal_section, name="my-personal"),
    path("profile/statement/", profile_views.statement_section, name="my-statement"),
    path(
        "learners/<uuid:code>/personal/",
        profile_views.personal_section,
        name="learner-personal",
    ),
    path(
        "learners/<uuid:code>/statement/",
        profile_views.statement_section,
        name="learner-statement",
    ),
    path("profile/reference/", profile_views.my_reference, name="my-reference"),
    path("account/", views.account, name="account"),
    path("account/username/", views.account_username, name="account-username"),
    path("account/password/", views.account_password, name="account-password"),
    path("first-log-in/", views.first_login, name="first-login"),
    path("home/", views.learner_home, name="learner-home"),
    path("staff/new/", views.staff_create, name="staff-create"),
]

# The qualification pages, for the learner (my-...) and for a manager (learner-...).
for _prefix, _name in (("profile/", "my-"), ("learners/<uuid:code>/", "learner-")):
    urlpatterns += [
        path(
            f"{_prefix}qualifications/", profile_views.qualifications, name=f"{_name}qualifications"
        ),
        path(
            f"{_prefix}qualifications/add/",
            profile_views.qualification_add,
            name=f"{_name}qualification-add",
        ),
        path(
            f"{_prefix}qualifications/add/details/",
            profile_views.qualification_template,
            name=f"{_name}qualification-template",
        ),
        path(
            f"{_prefix}qualifications/reopen/",
            profile_views.qualifications_reopen,
            name=f"{_name}qualifications-reopen",
        ),
        path(
            f"{_prefix}qualifications/complete/",
            profile_views.qualifications_complete,
            name=f"{_name}qualifications-complete",
        ),
    ]
urlpatterns += [
    # <uuid:code> is the qualification's code on the learner's own pages.
    path(
        "profile/qualifications/<uuid:code>/",
        profile_views.my_qualification_edit,
        name="my-qualification-edit",
    ),
    path(
        "profile/qualifications/<uuid:code>/delete/",
        profile_views.my_qualification_delete,
        name="my-qualification-delete",
    ),
    path(
        "learners/<uuid:code>/qualifications/<uuid:qualification>/",
        profile_views.qualification_edit,
        name="learner-qualification-edit",
    ),
    path(
        "learners/<uuid:code>/qualifications/<uuid:qualification>/delete/",
        profile_views.qualification_delete,
        name="learner-qualification-delete",
    ),
]

# Public pages beside the log-in form (under /accounts/).
