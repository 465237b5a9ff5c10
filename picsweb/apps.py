from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PicswebConfig(AppConfig):
    default = True
    name = "picsweb"
    verbose_name = "picsweb"


class PicswebAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "picsweb.admin_site.PicswebAdminSite"
