"""Which findings a run reports: rules selected and ignored (by id or group), the lowest
severity shown, ignores per file, and the severity that fails the run.

`Selection` is what `etk validate` builds from its options and `[tool.etk.validate]`
(generator/validate/config.py); `Selection.report` keeps the findings to show.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field

from generator.errors import EtkError
from generator.problems import SEVERITY_ORDER, Problem, Severity
from generator.validate.findings import FILE_ERRORS, GROUPS, RULES

ALL = "ALL"
# the defects the Modeler loads a template with (never-active properties, shared bindings, ...):
# the rules marked `modeler_loads`, whatever their group
DEFECTS = "DEFECTS"


class SelectionError(EtkError):
    """A rule, group or severity that does not exist."""


def expand(names: Iterable[str], where: str) -> frozenset[str]:
    """The rule ids that rule ids, group names, ALL or DEFECTS stand for."""
    rules: set[str] = set()
    for name in names:
        if name == ALL:
            rules.update(RULES)
        elif name == DEFECTS:
            rules.update(rule.id for rule in RULES.values() if rule.modeler_loads)
        elif name in RULES:
            rules.add(name)
        elif name in GROUPS:
            rules.update(rule.id for rule in RULES.values() if rule.group == name)
        else:
            raise SelectionError(f"{where}: unknown rule or group {name!r}; `etk validate --list-rules` lists them")
    return frozenset(rules)


def severity(name: str, where: str) -> Severity:
    if name not in SEVERITY_ORDER:
        raise SelectionError(f"{where}: unknown severity {name!r}; use error, warning or info")
    return name  # type: ignore[return-value]


@dataclass(frozen=True)
class Selection:
    """The rules a run reports and how it judges them."""

    rules: frozenset[str] = frozenset(RULES)
    lowest: Severity = "warning"  # findings below this severity are counted, not shown
    fail_on: Severity = "error"  # the run fails on findings of this severity or worse
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = field(default=())

    def wants(self, finding: Problem) -> bool:
        """Whether `finding`'s rule is selected for its file (severity aside); a file error always is."""
        if finding.rule in FILE_ERRORS:
            return True
        if finding.rule not in self.rules:
            return False
        file = finding.location.file or ""
        return not any(finding.rule in rules and _matches(file, pattern) for pattern, rules in self.per_file_ignores)

    def shown(self, finding: Problem) -> bool:
        return SEVERITY_ORDER[finding.severity] <= SEVERITY_ORDER[self.lowest]

    def fails(self, findings: Iterable[Problem]) -> bool:
        return any(SEVERITY_ORDER[each.severity] <= SEVERITY_ORDER[self.fail_on] for each in findings)


def _matches(file: str, pattern: str) -> bool:
    """A per-file-ignores pattern: a glob matched against the path as given and its trailing parts."""
    parts = file.replace("\\", "/").split("/")
    return any(fnmatch.fnmatchcase("/".join(parts[start:]), pattern) for start in range(len(parts)))
