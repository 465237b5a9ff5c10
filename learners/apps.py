from django.apps import AppConfig


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = "Learners, providers and access"

    def ready(self) -> None:
        from learners import importing, jobs  # noqa: F401 - the list's jobs, the import
        from learners.editing import as_cohort_missing
        from learners.models import Role
        from learners.record import Readiness, register_readiness
        from picsweb.navigation import NavItem, register

        register(
            NavItem(
                "Learners",
                "learners:list",
                Role.LEARNER_LIST,
                "Find learners, see their records, and act on many at once.",
            )
        )
        # The record's panel: what the AS cohort export still needs of the learner.
        register_readiness(
            Readiness("Ready for AS cohort export", as_cohort_missing, Role.BULK_ACTIONS)
        )
