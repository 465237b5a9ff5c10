"""What a portal learner's profile state says, read by the profile rules (profiles.py) and by
applications (applications.py) alike: the effective settings (R22-R25, in Python and in SQL),
the sections and their statuses, and the referee heading the reference. Nothing here changes a
row; profiles.py re-exports these names."""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce

from progress_apply.models import PortalLearner, PortalSettings, ProviderDefault, Reference

# The profile's sections: status field and the label the list and the tabs show.
SECTIONS = {
    "personal": ("personal_status", "Personal details"),
    "qualifications": ("qualifications_status", "Qualifications"),
    "statement": ("statement_status", "Personal statement"),
}


# --- effective settings (R22-R25) --------------------------------------------------------------


def provider_settings(provider_id: int) -> PortalSettings:
    """The provider's portal settings (defaults off when none were saved)."""
    found = PortalSettings.objects.filter(provider_id=provider_id).first()
    return found or PortalSettings(provider_id=provider_id)


def _effective(choice: str, default: bool) -> bool:
    return {ProviderDefault.YES: True, ProviderDefault.NO: False}.get(choice, default)  # type: ignore[call-overload]


def sign_off_applies(learner: PortalLearner) -> bool:
    """Whether the learner's profile needs approving (their own choice or the provider's)."""
    return _effective(
        learner.sign_off_profile, provider_settings(learner.provider_id).sign_off_profiles
    )


def manager_adds_qualifications(learner: PortalLearner) -> bool:
    """Whether the manager adds the learner's qualifications (the learner cannot)."""
    return _effective(
        learner.manager_adds_qualifications,
        provider_settings(learner.provider_id).manager_adds_qualifications,
    )


def _effective_expression(field: str, default_field: str) -> Case:
    # A left join to the provider's settings (none saved: off).
    default = Coalesce(F(f"provider__portal_settings__{default_field}"), Value(False))
    return Case(
        When(**{field: ProviderDefault.YES}, then=Value(True)),
        When(**{field: ProviderDefault.NO}, then=Value(False)),
        default=default,
        output_field=BooleanField(),
    )


def with_effective_settings(learners: QuerySet[PortalLearner]) -> QuerySet[Any]:
    """`learners` annotated with `signs_off` and `manager_adds` (the same rule as above, in
    SQL, for the dashboard counts and lists)."""
    return learners.annotate(
        signs_off=_effective_expression("sign_off_profile", "sign_off_profiles"),
        manager_adds=_effective_expression(
            "manager_adds_qualifications", "manager_adds_qualifications"
        ),
    )


def section_status(learner: PortalLearner, section: str) -> str:
    return str(getattr(learner, SECTIONS[section][0]))


def section_rows(learner: PortalLearner) -> list[tuple[str, str, str]]:
    """(key, label, status) of each section, in order: the home page, tabs and lists."""
    return [(key, label, section_status(learner, key)) for key, (_, label) in SECTIONS.items()]


def referee_of(learner: PortalLearner, reference: Reference | None) -> dict[str, str] | None:
    """The referee heading the reference page: this learner's own, else the provider's."""
    source: Any = reference if reference is not None and reference.referee_name else None
    default = source is None
    if source is None:
        source = provider_settings(learner.provider_id)
    if not source.referee_name:
        return None
    return {
        "name": source.referee_name,
        "position": source.referee_position,
        "telephone": source.referee_telephone,
        "email": source.referee_email,
        "default": "yes" if default else "",
    }
