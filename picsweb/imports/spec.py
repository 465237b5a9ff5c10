"""What an import is: an ImportSpec (columns, per-row rules, apply, undo) or a
ModelImportSpec (the shared apply and undo for one model), and the registry of them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Model, QuerySet
from django.utils import timezone

from picsweb.bulk import insert_rows, update_rows
from picsweb.imports.reading import ImportFileError
from picsweb.models import BatchChange, ImportBatch, Provider, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User
from picsweb.errors import UserError
from picsweb.imports.plan import from_json_value, to_json
from picsweb.imports.rows import ERRORS_COLUMN, Change, Problem, Row, named


class UndoRefused(UserError):
    """A problem the user can act on (picsweb.errors.UserError)."""


class StaleImportError(ImportFileError):
    """Something the plan relies on changed after validation: nothing is applied."""


class ImportSpec:
    """One kind of import. Subclasses give the columns, the row rules, apply and undo."""

    kind: ClassVar[str]
    label: ClassVar[str]
    role: ClassVar[Role]
    also_roles: ClassVar[tuple[Role, ...]] = ()  # needed too, at the same provider
    max_bytes: ClassVar[int | None] = None  # None: settings.IMPORT_MAX_UPLOAD_BYTES
    formats: ClassVar[tuple[str, ...]] = ("csv", "xlsx")
    sheet: ClassVar[str | None] = None  # the sheet a workbook is read from (None: the first)

    @property
    def roles(self) -> tuple[Role, ...]:
        return (self.role, *self.also_roles)

    def columns(self, provider: Provider) -> list[str]:
        raise NotImplementedError

    def header_index(self, headers: list[str], provider: Provider) -> dict[str, int]:
        """Maps each known column to its position; unknown or repeated columns refuse the
        file. Matching ignores case and surrounding spaces; an ERRORS column (our errors
        file) is ignored."""
        known = {name.upper(): name for name in self.columns(provider)}
        index: dict[str, int] = {}
        unknown = []
        for position, header in enumerate(headers):
            key = header.strip().upper()
            if key in ("", ERRORS_COLUMN):
                continue
            if key not in known:
                unknown.append(header)
            elif known[key] in index:
                raise ImportFileError(
                    f"The column {named([header])} appears twice in the header row."
                )
            else:
                index[known[key]] = position
        if unknown:
            raise ImportFileError(
                f"The header row has columns this import does not know: {named(unknown)}. "
                f"The columns are: {', '.join(self.columns(provider))}."
            )
        self.check_columns(set(index), provider)
        return index

    def check_columns(self, present: set[str], provider: Provider) -> None:
        """Raises ImportFileError when mandatory columns are missing."""

    def begin(self, provider: Provider) -> Any:
        """The context shared by every row of one pass over the file."""
        return None

    def begin_for(self, provider: Provider, owner: User | None) -> Any:
        """Like begin, for a spec whose rules depend on who imports (the portal's learner
        import: the rows' providers must be ones the owner manages). `owner` is None only
        when no user is known."""
        return self.begin(provider)

    def preload(self, context: Any, rows: Sequence[Row]) -> None:
        """Reads what a chunk of rows refers to, in a few queries."""

    def validate(self, context: Any, row: Row) -> Change | list[Problem]:
        raise NotImplementedError

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        """Carries out validated changes (from the plan: payload, action and row only).
        Raises StaleImportError when a record they rely on changed since validation."""
        raise NotImplementedError

    def undo(self, batch: ImportBatch) -> None:
        raise NotImplementedError


class ModelImportSpec(ImportSpec):
    """An import that adds and updates rows of one model, with the apply and undo every such
    import shares. Payloads: a new row's field values; an update's
    {"id", "updated_at" (as validated), "before" (replaced values), "values" (new values of
    update_fields)}. The model needs `updated_at` (auto_now) and `created_batch`."""

    model: ClassVar[type[Model]]
    update_fields: ClassVar[tuple[str, ...]]
    record_label: ClassVar[str] = "id"  # the field that names a record in messages

    def record_names(self, records: QuerySet[Any]) -> list[str]:
        """At most five of `records` named as the user knows them (messages of stale
        imports and refused undos); a spec whose records have no such field overrides it."""
        return [str(v) for v in records.values_list(self.record_label, flat=True)[:5]]

    def new_row_fields(self, batch: ImportBatch) -> dict[str, Any]:
        """Fields every new row gets besides its payload (e.g. the provider)."""
        return {}

    def apply(self, context: Any, changes: list[Change], batch: ImportBatch) -> None:
        objects = self.model._default_manager
        updates = [ch.payload for ch in changes if ch.action == "update"]
        if updates:
            seen = {u["id"]: u["updated_at"] for u in updates}
            now_at = dict(objects.filter(id__in=seen).values_list("id", "updated_at"))
            stale = [i for i, at in seen.items() if now_at.get(i) != at]
            if stale:
                names = self.record_names(objects.filter(id__in=stale[:5]))
                raise StaleImportError(
                    f"{len(stale)} of the records this file updates changed or were deleted "
                    f"since it was validated ({'; '.join(names) or 'deleted'}). "
                    "Nothing was imported: validate the file again."
                )
        extra = {"created_batch_id": batch.pk, **self.new_row_fields(batch)}
        insert_rows(self.model, ({**extra, **ch.payload} for ch in changes if ch.action == "new"))
        if not updates:
            return
        insert_rows(
            BatchChange,
            (
                {"batch_id": batch.pk, "object_id": u["id"], "before": to_json(u["before"])}
                for u in updates
            ),
        )
        now = timezone.now()
        update_rows(
            self.model,
            [{"id": u["id"], "updated_at": now, **u["values"]} for u in updates],
            [*self.update_fields, "updated_at"],
        )

    def undo(self, batch: ImportBatch) -> None:
        objects = self.model._default_manager
        created = objects.filter(created_batch=batch)
        changes = {ch.object_id: ch.before for ch in batch.changes.all()}
        changed_since = objects.filter(updated_at__gt=batch.applied_at)
        touched = [
            *self.record_names(changed_since.filter(id__in=list(changes))),
            *self.record_names(changed_since.filter(created_batch=batch)),
        ][:5]
        if touched:
            raise UndoRefused(
                "These records changed after the import, so it cannot be undone: "
                f"{'; '.join(touched)}. Change them back, or edit them by hand."
            )
        created.delete()
        if changes:
            records = []
            for record in objects.filter(id__in=list(changes)):
                for name, value in from_json_value(changes[record.pk]).items():
                    setattr(record, name, value)
                records.append(record)
            fields = sorted({name for before in changes.values() for name in before})
            objects.bulk_update(records, [*fields, "updated_at"], batch_size=1000)


_IMPORTS: dict[str, ImportSpec] = {}


def add_import(spec: ImportSpec) -> None:
    """Records the spec (picsweb.imports.pipeline.register_import also registers its jobs)."""
    _IMPORTS[spec.kind] = spec


def all_imports() -> list[ImportSpec]:
    return list(_IMPORTS.values())


def get_import(kind: str) -> ImportSpec:
    return _IMPORTS[kind.split(".")[0]]
