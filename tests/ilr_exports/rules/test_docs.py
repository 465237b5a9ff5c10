"""docs/ilr.md lists exactly the implemented rules (its table is made by
ilr_exports/rules/docs.py)."""

from __future__ import annotations

from pathlib import Path

from ilr_exports.rules.docs import BEGIN, END, rules_table

DOC = Path(__file__).resolve().parents[3] / "docs" / "ilr.md"


def test_the_docs_table_is_the_registry() -> None:
    text = DOC.read_text()
    table = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert table == rules_table(), "run: .venv/bin/python -m ilr_exports.rules.docs"
