from django.apps import AppConfig


class IlrExportsConfig(AppConfig):
    name = "ilr_exports"
    verbose_name = "ILR exports"

    def ready(self) -> None:
        from ilr_exports import jobs  # noqa: F401 - registers the job
        from ilr_exports.services import learner_ready_for_ilr
        from ilr_exports.years import NEWEST
        from learners.models import Role
        from learners.record import Readiness, register_readiness
        from picsweb.navigation import NavItem, register

        register(
            NavItem(
                "ILR Exports",
                "ilr_exports:list",
                Role.ILR_EXPORT,
                "Create the ILR XML file for a UKPRN, in the background, and download it.",
            )
        )
        # The learner record's panel: what stops the learner going in the newest year's file.
        register_readiness(
            Readiness(f"Ready for the {NEWEST.label} ILR", learner_ready_for_ilr, Role.ILR_EXPORT)
        )
