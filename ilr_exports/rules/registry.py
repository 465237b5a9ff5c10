"""The rule registry: each rule a small function with its official ID, severity, the ILR
field it names and a plain message for staff; `check_learner` runs them all over one record.

Three scopes, so each rule sees exactly what it checks and the record is walked once:
- learner rules: `fn(learner, context) -> bool` (True means the rule is broken);
- employment rules: `fn(status, learner, context)`, once per LearnerEmploymentStatus;
- delivery rules: `fn(delivery, learner, context)`, once per LearningDelivery.
A rule says what must be present for it to be able to fail (`needs`: "outcome",
"programme", "learner.temp_uln"...): per object the registry reads those attributes at once
and calls only the rules that can fail, so a rule about outcomes is not even called for an
aim with no outcome (the cost stays flat as rules are added).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ilr_exports.rules.records import Learner, parse_learner

Severity = Literal["error", "warning"]
E: Severity = "error"
W: Severity = "warning"


@dataclass(frozen=True, slots=True)
class LarsStandard:
    """What picsweb's LARS standards list says of one standard (learners/data/)."""

    std_code: int
    effective_from: date | None = None  # approved for delivery
    last_date_starts: date | None = None  # retired or withdrawn: no new starts after


@dataclass(frozen=True, slots=True)
class Context:
    """What rules need from outside the learner: the collection year, the file's
    preparation date, the provider and a LARS standards lookup (None: not known)."""

    year_start: date
    year_end: date
    file_preparation_date: date
    ukprn: int
    lars_standard: Callable[[int], LarsStandard | None] = lambda code: None
    # Derived once: 1 January in the year (ULN rules) and 31 August before it (ages).
    january_first: date = field(init=False)
    august_31: date = field(init=False)
    # Starts no date rule minds: from 10 years before the year to its end.
    plausible_starts: tuple[date, date] = field(init=False)

    def __post_init__(self) -> None:
        start = self.year_start
        object.__setattr__(self, "january_first", date(start.year + 1, 1, 1))
        object.__setattr__(self, "august_31", date(start.year, 8, 31))
        ten_before = date(start.year - 10, start.month, min(start.day, 28))
        object.__setattr__(self, "plausible_starts", (ten_before, self.year_end))


@dataclass(frozen=True, slots=True)
class Failure:
    rule_id: str
    severity: Severity
    field: str
    message: str
    learn_ref_number: str | None = None
    aim_seq_number: int | None = None
    learn_aim_ref: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == E


Scope = Literal["learner", "employment", "delivery"]
# Old-style guards, kept as short names for `needs`.
_GUARDS = {
    "any": (),
    "fm36": ("fm36",),
    "programme": ("programme",),
    "apprenticeship": ("apprenticeship",),
    "ended": ("learn_act_end_date",),
    "outcome": ("outcome",),
    "fams": ("has_fams",),
    "appfin": ("has_app_fin",),
}


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    severity: Severity
    field: str
    message: str
    scope: Scope
    check: Callable[..., bool]
    # Attributes that must not be None for the rule to be able to fail: of the checked
    # object (the learner, employment status or delivery), or of the learner when written
    # "learner.x". The registry skips the rule otherwise, without calling it.
    needs: tuple[str, ...] = ()
    note: str = ""  # how the 2025-26 rule differs from ESFA's 2020-21 class

    @property
    def family(self) -> str:
        return self.rule_id.rpartition("_")[0]


RULES: dict[str, Rule] = {}


class _Scope:
    """The rules of one scope and, per combination of present attributes, the rules that
    can fail: one C-level attribute fetch and one dict look-up an object, then only those
    rules are called."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self._ready = False

    def add(self, rule: Rule) -> None:
        self.rules.append(rule)
        self._ready = False

    def _prepare(self) -> None:
        own = sorted({n for r in self.rules for n in r.needs if not n.startswith("learner.")})
        outer = sorted({n[8:] for r in self.rules for n in r.needs if n.startswith("learner.")})
        # attrgetter of one name returns the value itself: always ask for two or more.
        self._own = operator.attrgetter(*own, "__class__", "__class__")
        self._outer = operator.attrgetter(*outer, "__class__", "__class__")
        self._own_nones = (None,) * (len(own) + 2)
        self._outer_nones = (None,) * (len(outer) + 2)
        self._own_index = {n: i for i, n in enumerate(own)}
        self._outer_index = {n: i for i, n in enumerate(outer)}
        self._cache: dict[
            tuple[tuple[bool, ...], tuple[bool, ...]], list[tuple[Callable[..., bool], Rule]]
        ] = {}
        self._ready = True

    def outer_key(self, rec: Any) -> tuple[bool, ...]:
        """Which of the learner attributes this scope's rules need are present: once per
        learner, shared by its statuses or aims."""
        if not self._ready:
            self._prepare()
        return tuple(map(operator.is_not, self._outer(rec), self._outer_nones))

    def for_object(
        self, obj: Any, outer: tuple[bool, ...]
    ) -> list[tuple[Callable[..., bool], Rule]]:
        """The rules that can fail for this object (`outer`: from outer_key)."""
        key = (tuple(map(operator.is_not, self._own(obj), self._own_nones)), outer)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = [(r.check, r) for r in self.rules if self._applies(r, key)]
        return found

    def _applies(self, rule: Rule, key: tuple[tuple[bool, ...], tuple[bool, ...]]) -> bool:
        own, outer = key
        for name in rule.needs:
            if name.startswith("learner."):
                if not outer[self._outer_index[name[8:]]]:
                    return False
            elif not own[self._own_index[name]]:
                return False
        return True


_LEARNER = _Scope()
_EMPLOYMENT = _Scope()
_DELIVERY = _Scope()
_SCOPES = {"learner": _LEARNER, "employment": _EMPLOYMENT, "delivery": _DELIVERY}


def _register(rule: Rule) -> None:
    if rule.rule_id in RULES:
        raise ValueError(f"rule {rule.rule_id} is registered twice")
    RULES[rule.rule_id] = rule
    _SCOPES[rule.scope].add(rule)


def _rule(
    scope: Scope,
    rule_id: str,
    severity: Severity,
    field: str,
    message: str,
    note: str,
    needs: tuple[str, ...],
) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    def add(fn: Callable[..., bool]) -> Callable[..., bool]:
        _register(Rule(rule_id, severity, field, message, scope, fn, needs, note))
        return fn

    return add


def learner_rule(
    rule_id: str,
    severity: Severity,
    field: str,
    message: str,
    note: str = "",
    needs: tuple[str, ...] = (),
) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """A rule over the learner: `fn(learner, context) -> broken?`."""
    return _rule("learner", rule_id, severity, field, message, note, needs)


def employment_rule(
    rule_id: str,
    severity: Severity,
    field: str,
    message: str,
    note: str = "",
    needs: tuple[str, ...] = (),
) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """A rule over each employment status: `fn(status, learner, context) -> broken?`."""
    return _rule("employment", rule_id, severity, field, message, note, needs)


def delivery_rule(
    rule_id: str,
    severity: Severity,
    field: str,
    message: str,
    guard: str = "any",
    note: str = "",
    needs: tuple[str, ...] = (),
) -> Callable[[Callable[..., bool]], Callable[..., bool]]:
    """A rule over each aim: `fn(delivery, learner, context) -> broken?`."""
    return _rule("delivery", rule_id, severity, field, message, note, _GUARDS[guard] + needs)


def check_record(rec: Learner, context: Context) -> list[Failure]:
    """Every rule over one parsed learner: the failures, learner rules first."""
    failures: list[Failure] = []
    lrn = rec.learn_ref_number
    for check, rule in _LEARNER.for_object(rec, _LEARNER.outer_key(rec)):
        if check(rec, context):
            failures.append(Failure(rule.rule_id, rule.severity, rule.field, rule.message, lrn))
    employment_rules = _EMPLOYMENT.for_object
    outer = _EMPLOYMENT.outer_key(rec)
    for es in rec.employment:
        for check, rule in employment_rules(es, outer):
            if check(es, rec, context):
                failures.append(Failure(rule.rule_id, rule.severity, rule.field, rule.message, lrn))
    delivery_rules = _DELIVERY.for_object
    outer = _DELIVERY.outer_key(rec)
    earliest_ok, latest_ok = context.plausible_starts
    for d in rec.deliveries:
        # The date screen needs the year, so it is set here: True when one of the start or
        # planned end date rules may fail.
        s, p = d.learn_start_date, d.learn_plan_end_date
        if (
            s is not None
            and p is not None
            and (s < earliest_ok or s > latest_ok or p < s or p.year - s.year >= 10)
        ):
            d.odd_dates = True
        for check, rule in delivery_rules(d, outer):
            if check(d, rec, context):
                failures.append(
                    Failure(
                        rule.rule_id,
                        rule.severity,
                        rule.field,
                        rule.message,
                        lrn,
                        d.aim_seq_number,
                        d.learn_aim_ref,
                    )
                )
    return failures


def check_learner(element: Any, context: Context) -> list[Failure]:
    """Parses one written Learner element and runs every rule: ESFA's failures for it."""
    return check_record(parse_learner(element), context)


def all_rules() -> list[Rule]:
    """Every implemented rule, by ID, for the docs and the UI."""
    return sorted(RULES.values(), key=lambda r: _sort_key(r.rule_id))


def _sort_key(rule_id: str) -> tuple[str, int]:
    """By family and number: ULN_04 before ULN_12; ESFA's cross-entity rules (R07 ... R50)
    are the family R."""
    found = re.fullmatch(r"([A-Za-z0-9]+?)_?(\d+)", rule_id)
    if found is None:
        return (rule_id.lower(), 0)
    return (found[1].lower(), int(found[2]))
