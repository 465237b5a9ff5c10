from django.apps import AppConfig


class IlrExportsConfig(AppConfig):
    name = "ilr_exports"
    verbose_name = "ILR exports"

    def ready(self) -> None:
        from ilr_exports import jobs  # noqa: F401 - registers the job
        from learners.models import Role
        from picsweb.navigation import NavItem, register

        register(
            NavItem(
                "ILR Exports",
                "ilr_exports:list",
                Role.ILR_EXPORT,
                "Create the ILR XML file for a UKPRN, in the background, and download it.",
            )
        )
