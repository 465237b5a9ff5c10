"""django-import-export adds routes of its own to an admin (process_import, export); only its
import page, which hands the file to the one pipeline, may stay open."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from import_export.admin import ImportExportMixinBase

from payments import columns as c

DJANGO_VIEWS = {"changelist", "add", "history", "delete", "change"}


def _library_admins() -> list[admin.ModelAdmin]:  # type: ignore[type-arg]
    return [a for a in admin.site._registry.values() if isinstance(a, ImportExportMixinBase)]


def test_it_has_an_admin_using_the_library_to_check():
    assert _library_admins(), "the payments admin mixes in django-import-export"


def test_it_keeps_only_djangos_routes_and_the_import_page():
    for model_admin in _library_admins():
        prefix = f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_"
        names = {url.name for url in model_admin.urls if url.name}
        extra = {n.removeprefix(prefix) for n in names} - DJANGO_VIEWS - {"import"}
        assert extra == set(), model_admin
        for route in ("process_import", "export"):
            with pytest.raises(NoReverseMatch):
                reverse(f"admin:{prefix}{route}")


@pytest.mark.parametrize("file_exists", [True, False])
def test_it_neither_reads_nor_deletes_temp_files_through_process_import(personas, file_exists):
    victim = Path(tempfile.gettempdir()) / f"picsweb-victim-{uuid.uuid4().hex}"
    if file_exists:
        victim.write_text(",".join(c.COLUMNS) + "\n")
    client = personas.client_for(personas.provider_admin)
    try:
        for model_admin in _library_admins():
            url = f"/admin/{model_admin.opts.app_label}/{model_admin.opts.model_name}/"
            data = {
                "import_file_name": victim.name,
                "original_file_name": "x.csv",
                "format": "0",
                "resource": "0",
            }
            response = client.post(url + "process_import/", data, follow=True)
            assert response.status_code in (200, 404), response.status_code
            assert b"Import finished" not in response.content
            assert victim.exists() == file_exists
            assert client.get(url + "export/", follow=True).status_code in (200, 404)
            assert b"Export" not in client.get(url + "export/", follow=True).content
    finally:
        victim.unlink(missing_ok=True)
