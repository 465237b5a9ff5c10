from django.apps import AppConfig


class RegcertConfig(AppConfig):
    name = "regcert"
