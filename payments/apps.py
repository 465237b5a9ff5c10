from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self) -> None:
        from learners.models import Role
        from learners.record import RecordTab, register_tab
        from payments import exporting, importing  # noqa: F401 - register import and report
        from picsweb.navigation import NavItem, register

        register(
            NavItem(
                "Payments",
                "payments:report",
                Role.PAYMENTS_IMPORT,
                "The Learner Payment Report, and importing payment records from CSV or XLSX.",
            )
        )
        register_tab(RecordTab("payments", "Payments", "payments:learner", Role.PAYMENTS_IMPORT))
