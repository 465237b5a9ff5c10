from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("", views.payment_report, name="report"),
    path("download/", views.payment_report_download, name="download"),
    path("import/", views.payment_import, name="import"),
    path("learner/<uuid:code>/", views.learner_payments, name="learner"),
]
