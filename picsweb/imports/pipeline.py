"""The import pipeline, every import's one way in.

upload (size and type checked at the door) -> stored file + validation Job -> the worker reads
and validates every row into a report (row, column, value, message), an errors file (the
original rows plus an ERRORS column) and a plan (the accepted changes, as JSON lines) -> the
owner confirms or cancels -> an apply Job carries out the plan in one transaction, first
checking that nothing it relies on changed since validation (the spec's apply raises
StaleImportError when it did), and records an ImportBatch (what it created, what it replaced)
-> Undo import restores that, refused when a record changed since.

Each import is an ImportSpec (columns, per-row rules, how to apply, how to undo), registered
with `register_import`. Nothing is written before the owner confirms.

The parts, one concern each: `rows` (Row, Problem, Change), `plan` (the plan's JSON codec),
`spec` (ImportSpec, ModelImportSpec, the registry), `validate` (the door, the validation job),
`errors_file`, `decide` (confirm, cancel, apply, undo). This module registers an import's two
jobs and gathers the names the apps use.
"""

from __future__ import annotations

from picsweb import jobs
from picsweb.imports.decide import (
    ImportDecisionError,
    apply_plan,
    import_cancel,
    import_confirm,
    import_undo,
    run_apply_job,
)
from picsweb.imports.plan import from_json, from_json_value, to_json
from picsweb.imports.rows import (
    CHUNK_ROWS,
    ERRORS_COLUMN,
    PREVIEW_CHANGES,
    PREVIEW_PROBLEMS,
    Change,
    Problem,
    Row,
    named,
)
from picsweb.imports.spec import (
    ImportSpec,
    ModelImportSpec,
    StaleImportError,
    UndoRefused,
    add_import,
    all_imports,
    get_import,
)
from picsweb.imports.validate import (
    Chunk,
    Pass,
    import_check_upload,
    import_start,
    run_validation_job,
    validate_file,
)

__all__ = [
    "CHUNK_ROWS",
    "ERRORS_COLUMN",
    "PREVIEW_CHANGES",
    "PREVIEW_PROBLEMS",
    "Change",
    "Chunk",
    "ImportDecisionError",
    "ImportSpec",
    "ModelImportSpec",
    "Pass",
    "Problem",
    "Row",
    "StaleImportError",
    "UndoRefused",
    "all_imports",
    "apply_plan",
    "from_json",
    "from_json_value",
    "get_import",
    "import_cancel",
    "import_check_upload",
    "import_confirm",
    "import_start",
    "import_undo",
    "named",
    "register_import",
    "to_json",
    "validate_file",
]


VALIDATED_NEXT_STEP = (
    "Nothing is imported yet. Open the report, check the rows with problems, then choose "
    "Import to apply the accepted rows, or Cancel."
)


def register_import(spec: ImportSpec) -> ImportSpec:
    add_import(spec)
    jobs.register_kind(
        jobs.JobKind(
            name=f"{spec.kind}.validate",
            label=f"{spec.label}: validation",
            role=spec.role,
            queue="imports",
            run=run_validation_job,
            report_template="imports/_validation_report.html",
            also_roles=spec.also_roles,
            next_step=VALIDATED_NEXT_STEP,
        )
    )
    jobs.register_kind(
        jobs.JobKind(
            name=f"{spec.kind}.apply",
            label=spec.label,
            role=spec.role,
            queue="imports",
            run=run_apply_job,
            report_template="imports/_apply_report.html",
            also_roles=spec.also_roles,
        )
    )
    return spec
