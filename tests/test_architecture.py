"""The shape of the code, as docs/architecture.md draws it: the core (picsweb/) depends on no
app; each app depends on the core and learners/ only (ilr_exports may also read payments);
demo/ may import everything; and no two modules import each other, however indirectly."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = {"learners", "payments", "regcert", "ilr_exports", "progress_apply", "demo"}
ALLOWED = {
    "picsweb": set(),
    "learners": {"picsweb"},
    "payments": {"picsweb", "learners"},
    "regcert": {"picsweb", "learners"},
    "ilr_exports": {"picsweb", "learners", "payments"},
    "progress_apply": {"picsweb", "learners"},
    "demo": {"picsweb", *APPS},
}


def _modules() -> dict[str, Path]:
    found = {}
    for package in ALLOWED:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_each_package_imports_only_what_it_may():
    wrong = []
    for name, path in _modules().items():
        package = name.split(".")[0]
        for imported in _imports(path):
            top = imported.split(".")[0]
            if top in ALLOWED and top != package and top not in ALLOWED[package]:
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_no_modules_import_each_other():
    modules = _modules()
    graph = {
        name: {i for i in _imports(path) if i in modules and i != name}
        for name, path in modules.items()
    }
    seen: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in seen:
                visit(nxt, [*trail, nxt])
        seen[node] = 2

    for start in sorted(graph):
        if start not in seen:
            visit(start, [start])
    assert cycles == []


# Errors that never reach a user as they are: each is turned into a UserError or a logged bug.
INTERNAL_ERRORS = {
    "picsweb.jobs.JobLost",  # the job was swept: its late finish is discarded
    "picsweb.imports.xlsx.XlsxError",  # the reader's child process; read as ImportFileError
    "ilr_exports.writer.BadValue",  # one learner's value; reported with that learner
}


def test_every_error_for_the_user_derives_from_user_error():
    """Views and commands catch UserError once: an error class beside it would be a 500."""
    import importlib

    from picsweb.errors import UserError

    outside = set()
    for name in _modules():
        if name.startswith("demo") or name.endswith(("admin", "tests")):
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Exception)
                and value.__module__ == name
                and not issubclass(value, UserError)
            ):
                outside.add(f"{name}.{value.__name__}")
    assert outside == INTERNAL_ERRORS
