from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PicswebConfig(AppConfig):
    default = True
    name = "picsweb"
    verbose_name = "picsweb"

    def ready(self) -> None:
        # Registers the Celery tasks in every process, not only the worker (whose
        # autodiscovery runs at its start): `job_start` queues `picsweb.run_job` by name.
        # db: the `any_of` lookup, registered on every field.
        # checks: picsweb's own `check --deploy` checks.
        from picsweb import checks, db, tasks  # noqa: F401
        from picsweb.models import Role
        from picsweb.navigation import NavItem, register

        register(
            NavItem(
                "Invite a colleague",
                "invite",
                Role.PROVIDER_ADMIN,
                "Give a colleague an account at your provider, with the roles they need.",
            )
        )


class PicswebAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "picsweb.admin_site.PicswebAdminSite"
