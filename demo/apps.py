from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data (`manage.py seed_demo`): the one package that may import every app."""

    name = "demo"
    verbose_name = "Demo data"
