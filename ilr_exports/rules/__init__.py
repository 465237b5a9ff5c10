"""ESFA's ILR validation rules, re-implemented in Python over the written Learner element
(docs/ilr.md, "Validation rules"). The integrator calls:

    from ilr_exports.rules import Context, check_learner
    failures = check_learner(learner_element, context)

`all_rules()` lists every rule (ID, severity, field, message) for the docs and the UI.
"""

from ilr_exports.rules import delivery_rules, employment_rules, learner_rules  # noqa: F401
from ilr_exports.rules.records import Learner, parse_learner
from ilr_exports.rules.registry import (
    Context,
    Failure,
    LarsStandard,
    Rule,
    all_rules,
    check_learner,
    check_record,
)

__all__ = [
    "Context",
    "Failure",
    "LarsStandard",
    "Learner",
    "Rule",
    "all_rules",
    "check_learner",
    "check_record",
    "parse_learner",
]
