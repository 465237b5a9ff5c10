"""Small helpers shared by the management commands."""

from __future__ import annotations

from django.core.management.base import CommandError

from picsweb.models import Provider


def provider_by_ukprn(ukprn: str) -> Provider:
    provider = Provider.objects.filter(ukprn=ukprn).first()
    if provider is None:
        raise CommandError(f"No provider has the UKPRN {ukprn}.")
    return provider
