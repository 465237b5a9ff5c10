"""Log-in for staff and portal learners through one form (seed 003 §2.1, A1).

Usernames match ignoring case (they are unique ignoring case). A portal learner who has not
logged in since their password was issued logs in with the issued password, kept encrypted
(progress_apply.services); a locked learner cannot log in until a learner manager unlocks them.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.http import HttpRequest

from progress_apply.models import PortalLearner
from progress_apply.services import issued_decrypt, portal_login_succeeded


class PortalBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            get_user_model()().set_password(password)  # the same time as a wrong password
            return None
        learner = PortalLearner.objects.filter(user=user).first()
        if learner is not None and learner.issued_password:
            issued = issued_decrypt(learner.issued_password)
            if not issued or not hmac.compare_digest(issued.encode(), password.encode()):
                return None
            if not self.user_can_authenticate(user):
                return None
            # The first log-in: the issued password is hashed and its encrypted copy erased.
            portal_login_succeeded(user=user, raw_password=password)
            return user
        if not user.check_password(password) or not self.user_can_authenticate(user):
            return None
        if learner is not None:
            portal_login_succeeded(user=user, raw_password=None)
        return user
