from django.apps import AppConfig


class ProgressApplyConfig(AppConfig):
    name = "progress_apply"
