from django.urls import path

from regcert import views

app_name = "regcert"
urlpatterns = [
    path("", views.registration_list, name="list"),
    path("<uuid:code>/edit/", views.registration_edit, name="edit"),
    path("import/", views.registration_import, name="import"),
    path("import/sample.csv", views.registration_sample, name="sample"),
    path("export/", views.registration_export, name="export"),
    path("learner/<uuid:code>/", views.learner_registrations, name="learner"),
]
