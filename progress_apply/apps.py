from typing import Any

from django.apps import AppConfig


class ProgressApplyConfig(AppConfig):
    name = "progress_apply"
    verbose_name = "Progress Search and Apply (portal)"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from picsweb.models import Role
        from picsweb.navigation import NavItem, register
        from progress_apply import (
            importing,  # noqa: F401 - registers the learner import
            profiles,  # noqa: F401 - registers the learner-group narrowing
            qualification_workbook,  # noqa: F401 - registers its export and import
        )

        register(
            NavItem(
                "Learner manager",
                "progress_apply:dashboard",
                Role.LEARNER_MANAGER,
                "Portal learners: create, import, reset passwords, unlock, and see who needs help.",
            )
        )
        register(
            NavItem(
                "Provider manager",
                "progress_apply:dashboard",
                Role.PROVIDER_MANAGER,
                "Portal settings and learner groups of your providers.",
            )
        )
        register(
            NavItem(
                "User manager",
                "progress_apply:dashboard",
                Role.USER_MANAGER,
                "Staff accounts and learner groups of your providers.",
            )
        )
        register(
            NavItem(
                "Create staff account",
                "progress_apply:staff-create",
                Role.USER_MANAGER,
                "Give a colleague a portal account; they verify it by email.",
            )
        )
        register(
            NavItem(
                "Admissions",
                "progress_apply:admissions",
                Role.ADMISSIONS,
                "Applications learners made to your courses: decide, make offers, enrol.",
            )
        )
        user_logged_in.connect(_logged_in, dispatch_uid="progress_apply.logged_in")
        user_locked_out.connect(_locked_out, dispatch_uid="progress_apply.locked_out")
        from axes.models import AccessAttempt
        from django.db.models.signals import post_delete

        post_delete.connect(_unlocked, sender=AccessAttempt, dispatch_uid="progress_apply.unlocked")


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Marks the session of a learner who must choose a password (progress_apply.middleware)."""
    from progress_apply.middleware import MUST_CHANGE_SESSION_KEY
    from progress_apply.models import PortalLearner

    if (
        request is not None
        and hasattr(request, "session")
        and PortalLearner.objects.filter(user=user, must_change_password=True).exists()
    ):
        request.session[MUST_CHANGE_SESSION_KEY] = True


def _locked_out(sender: Any, username: str | None = None, **kwargs: Any) -> None:
    """django-axes locked an account out: mark it if it is a portal learner's."""
    from progress_apply.services import portal_learner_lock

    if username:
        portal_learner_lock(username=username)


def _unlocked(sender: Any, instance: Any, **kwargs: Any) -> None:
    """django-axes forgot an account's failures (a manager's Unlock, the emailed reset link, an
    admin deleting the access attempt): the learner is no longer counted as locked out."""
    from progress_apply.models import PortalLearner

    if instance.username:
        PortalLearner.objects.filter(
            user__username__iexact=instance.username, locked_at__isnull=False
        ).update(locked_at=None)
