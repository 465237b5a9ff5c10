from django.apps import AppConfig


class IlrExportsConfig(AppConfig):
    name = "ilr_exports"
