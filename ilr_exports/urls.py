from django.urls import path

from ilr_exports import views

app_name = "ilr_exports"
urlpatterns = [
    path("", views.export_list, name="list"),
    path("create/", views.export_create, name="create"),
    path("<uuid:code>/", views.export_detail, name="detail"),
    path("<uuid:code>/download/", views.export_download, name="download"),
]
