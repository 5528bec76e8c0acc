"""The current values of the office rules (本机构工作规则).

What each rule is, its default and its reason are described once in
``casework.rules.provenance.OFFICE_RULES``; the value in force is the setting
``CASEWORK_OFFICE_RULES[key]`` (the default where the setting leaves it out).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import checks

from casework.rules.provenance import OFFICE_RULES, OfficeRuleSpec

__all__ = ["RuleRow", "check_office_rules", "enabled", "rows", "value"]


def value(key: str):
    """The value in force of office rule ``key``; KeyError if no such rule."""
    spec = OFFICE_RULES[key]
    return getattr(settings, "CASEWORK_OFFICE_RULES", {}).get(key, spec.default)


def enabled(key: str) -> bool:
    """Whether a switch rule is on."""
    return bool(value(key))


@dataclass(frozen=True)
class RuleRow:
    spec: OfficeRuleSpec
    value: object

    @property
    def changed(self) -> bool:
        return self.value != self.spec.default


def rows() -> list[RuleRow]:
    """Every office rule with its value in force, in the registry's order."""
    return [RuleRow(spec, value(key)) for key, spec in OFFICE_RULES.items()]


@checks.register()
def check_office_rules(app_configs=None, **kwargs):
    """A setting for a rule nobody described is a typo or a rule without a
    reason: refuse it, as the head could not see what it does."""
    errors = []
    configured = getattr(settings, "CASEWORK_OFFICE_RULES", {})
    for key in sorted(set(configured) - set(OFFICE_RULES)):
        errors.append(
            checks.Error(
                f"CASEWORK_OFFICE_RULES[{key!r}] is not an office rule described "
                "in casework.rules.provenance.OFFICE_RULES.",
                id="casework.E101",
            )
        )
    for key, spec in OFFICE_RULES.items():
        current = configured.get(key, spec.default)
        if spec.kind == "number" and (
            isinstance(current, bool) or not isinstance(current, int) or current < 0
        ):
            errors.append(
                checks.Error(
                    f"CASEWORK_OFFICE_RULES[{key!r}] must be a non-negative integer.",
                    id="casework.E102",
                )
            )
        if spec.kind == "switch" and not isinstance(current, bool):
            errors.append(
                checks.Error(
                    f"CASEWORK_OFFICE_RULES[{key!r}] must be True or False.",
                    id="casework.E103",
                )
            )
    return errors
