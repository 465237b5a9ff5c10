from django.apps import AppConfig


class RegcertConfig(AppConfig):
    name = "regcert"
    verbose_name = "Registration & Certification"

    def ready(self) -> None:
        from learners.models import Role
        from learners.record import RecordTab, register_tab
        from picsweb.navigation import NavItem, register
        from regcert import exporting, importing  # noqa: F401 - register the import and export

        register(
            NavItem(
                "Registration and Certification",
                "regcert:list",
                Role.MANAGE_REGCERT,
                "Awarding-body registrations and certificates: import, update and export.",
            )
        )
        register_tab(
            RecordTab("registrations", "Registrations", "regcert:learner", Role.MANAGE_REGCERT)
        )
