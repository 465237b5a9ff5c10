from django.apps import AppConfig


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = "Learners, providers and access"

    def ready(self) -> None:
        from learners import importing, jobs  # noqa: F401 - the list's jobs, the import
        from learners.models import Role
        from picsweb.navigation import NavItem, register

        register(
            NavItem(
                "Learners",
                "learners:list",
                Role.LEARNER_LIST,
                "Find learners, see their records, and act on many at once.",
            )
        )
