"""What `etk validate` prints: findings as text lines, JSON, SARIF 2.1.0 (code scanning), GitHub
workflow annotations or JUnit XML (CI test reports). Pure functions of the findings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree

from generator.problems import Problem
from generator.validate.findings import RULES

FORMATS = ("text", "json", "sarif", "github", "junit")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def render(output_format: str, findings: Sequence[Problem], files: Sequence[str], version: str) -> str:
    """`findings` (of `files`, checked by etk `version`) in `output_format`."""
    if output_format == "json":
        return json.dumps([each.to_dict() for each in findings], indent=2, ensure_ascii=False)
    if output_format == "sarif":
        return json.dumps(sarif(findings, version), indent=2, ensure_ascii=False)
    if output_format == "github":
        return "\n".join(github_annotation(each) for each in findings)
    if output_format == "junit":
        return junit(findings, files)
    return "\n".join(each.describe() for each in findings)


def sarif(findings: Sequence[Problem], version: str) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run: etk's rules and one result per finding."""
    rule_index = {rule: index for index, rule in enumerate(RULES)}
    results = []
    for each in findings:
        location = each.location
        physical: dict[str, object] = {"artifactLocation": {"uri": _uri(location.file or "")}}
        if location.line is not None:
            region: dict[str, int] = {"startLine": location.line}
            if location.column is not None:
                region["startColumn"] = location.column
            physical["region"] = region
        result_location: dict[str, object] = {"physicalLocation": physical}
        if location.pointer is not None:
            result_location["logicalLocations"] = [{"fullyQualifiedName": location.pointer or "/", "kind": "object"}]
        results.append({
            "ruleId": each.rule,
            "ruleIndex": rule_index[each.rule],
            "level": _SARIF_LEVELS[each.severity],
            "message": {"text": each.message},
            "locations": [result_location],
        })
    rules = [{
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary}. Example that breaks it: {rule.example}"},
        "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
        "properties": {"group": rule.group},
    } for rule in RULES.values()]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "etk validate", "version": version, "semanticVersion": version,
                                "informationUri": "https://pypi.org/project/element-template-kit/", "rules": rules}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }


def _uri(file: str) -> str:
    """A relative URI reference for a file name as given (forward slashes, percent-encoded)."""
    return quote(Path(file).as_posix(), safe="/:")


def github_annotation(finding: Problem) -> str:
    """A GitHub Actions workflow command: `::error file=F,line=L,col=C,title=RULE::MESSAGE`."""
    location = finding.location
    properties = [f"file={_escape_property(location.file or '')}"]
    if location.line is not None:
        properties.append(f"line={location.line}")
        if location.column is not None:
            properties.append(f"col={location.column}")
    properties.append(f"title={_escape_property('etk ' + finding.rule)}")
    message = finding.message if location.pointer is None else f"{finding.message} ({location.pointer or '/'})"
    return f"::{_GITHUB_COMMANDS[finding.severity]} {','.join(properties)}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def junit(findings: Sequence[Problem], files: Sequence[str]) -> str:
    """JUnit XML: a test suite per file, a failing test case per finding (a passing one for a
    file without findings)."""
    suites = ElementTree.Element("testsuites", name="etk validate", tests="0", failures="0")
    by_file: dict[str, list[Problem]] = {file: [] for file in files}
    for each in findings:
        by_file.setdefault(each.location.file or "", []).append(each)
    total = failures = 0
    for file, found in by_file.items():
        suite = ElementTree.SubElement(suites, "testsuite", name=file, tests=str(max(len(found), 1)),
                                       failures=str(len(found)), errors="0", skipped="0")
        if not found:
            ElementTree.SubElement(suite, "testcase", classname=file, name="etk validate")
            total += 1
            continue
        for each in found:
            where = str(each.location) or file
            case = ElementTree.SubElement(suite, "testcase", classname=file, name=f"{each.rule} at {where}")
            failure = ElementTree.SubElement(case, "failure", type=each.rule, message=each.message)
            failure.text = each.describe()
            total += 1
            failures += 1
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode")
