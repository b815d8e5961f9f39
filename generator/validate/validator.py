"""Validating a template (or a file of templates): schema, semantic rules, then positions."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.jsontext import (
    DUPLICATE_KEY_MESSAGE,
    JsonReadError,
    json_kind,
    parse_json_collecting_duplicates,
    read_text_file,
    read_utf8_file,
)
from generator.limits import MAX_VALIDATION_MEMO_CHARS
from generator.problems import Problem
from generator.validate.findings import finding
from generator.validate.folder import check_folder
from generator.validate.positions import AlikeProperties, TemplateLayout, locate, read_templates
from generator.validate.rules import CheckedProperties, check_file_templates, check_template
from generator.validate.rules import clear_caches as clear_rule_caches
from generator.validate.structure import PropertyFailures, check_structure
from generator.validate.suppression import apply_suppressions, suppressed


@dataclass
class _PropertyMemo:
    """What was found for property objects so far: read-only values by their text (see
    positions.read_templates), and the schema failures and rule facts of each object, which
    are checked once however many templates hold it."""

    alike: AlikeProperties = field(default_factory=dict)
    failures: PropertyFailures = field(default_factory=dict)
    checked: CheckedProperties = field(default_factory=dict)
    text_read: int = 0  # characters of the files read with it


# The memo of the files `validate_text` and `validate_files` read: a folder's files repeat the
# properties of one another (versions, hybrid variants), so each distinct property is parsed and
# checked once in the process, until the memo holds the properties of MAX_VALIDATION_MEMO_CHARS of text.
_READ_PROPERTIES = _PropertyMemo()


def forget_read_properties() -> None:
    """Empty the memo of the properties read so far."""
    global _READ_PROPERTIES
    _READ_PROPERTIES = _PropertyMemo()


def clear_caches() -> None:
    """Forget what validating keeps of the templates it saw: the properties read, and what the
    rules cache per text (benchmarks clear it before each timed round)."""
    forget_read_properties()
    clear_rule_caches()


@contextmanager
def _garbage_collected_after() -> Iterator[None]:
    """Run the block with Python's cyclic garbage collector paused, then collect the young
    generations once. Validating a file allocates hundreds of thousands of containers and most
    live to its end (the document, the memo): the collector, started every 700 allocations, would
    look at them again and again (40 ms of the 600 that Camunda's templates take). What the rules
    leave in cycles (88,000 objects for those templates) goes at the end, so memory stays bounded
    by one file's work."""
    if not gc.isenabled():  # paused by the caller (or by another thread in here): leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)


def _memo_for(text: str) -> _PropertyMemo:
    """The shared memo for reading `text`, emptied first when it has seen too much text."""
    if _READ_PROPERTIES.text_read + len(text) > MAX_VALIDATION_MEMO_CHARS:
        forget_read_properties()
    _READ_PROPERTIES.text_read += len(text)
    return _READ_PROPERTIES


def validate_template(template: object, *, file: str | None = None, source_text: str | None = None) -> list[Problem]:
    """Problems for a template object or an array of templates, sorted in document order.

    `file` names the file in the findings. `source_text` is the JSON text `template` was
    parsed from (or will be written as); with it, findings carry the line and column of the
    value their pointer names, otherwise line and column are None.
    """
    findings = _findings(_alike_as_one(template), _PropertyMemo())  # the caller's objects may change between calls
    return _located(findings, file, source_text)


def _alike_as_one(document: object) -> object:
    """`document` with its alike properties as one object each (the first), in shallow copies of
    its templates, so each is checked once: the versions of a template repeat most properties,
    and a caller's document was not read by `read_templates`. Properties are alike when their
    `repr` is, which tells 1, 1.0, True and "1" apart as JSON does (`==` would not). The caller's
    objects are left as they are."""
    seen: dict[str, Any] = {}

    def alike(prop: Any) -> Any:
        try:
            return seen.setdefault(repr(prop), prop)
        except RecursionError:  # nested deeper than repr goes: checked on its own
            return prop

    def template(item: Any) -> Any:
        properties = item.get("properties") if isinstance(item, dict) else None
        return {**item, "properties": [alike(prop) for prop in properties]} if isinstance(properties, list) else item

    return [template(item) for item in document] if isinstance(document, list) else template(document)


def validate_text(text: str, *, file: str | None = None) -> list[Problem]:
    """Problems for the JSON text of a template file (syntax and duplicate keys included)."""
    with _garbage_collected_after():
        return _read_and_validate(text, file)[1]


def validate_file(path: str | Path) -> list[Problem]:
    """Problems for the element-template file at `path`; an unreadable file is a finding too."""
    name = str(path)
    try:
        text = read_text_file(path)
    except JsonReadError as problem:
        return [_read_finding(problem, name)]
    return validate_text(text, file=name)


def validate_files(paths: Iterable[str | Path], *, previous: Mapping[str, Any] | None = None) -> list[Problem]:
    """Problems of template files validated together: each file's (as `validate_file`), then
    the rules across them (generator/validate/folder.py). `previous` maps a file name to its
    earlier parsed content (e.g. at a git revision) for the version rules."""
    findings: list[Problem] = []
    documents: dict[str, Any] = {}
    sources: dict[str, tuple[str, TemplateLayout | None]] = {}  # to locate the findings across files
    for path in paths:
        name = str(path)
        try:
            text, utf8 = read_utf8_file(path)
        except JsonReadError as problem:
            findings.append(_read_finding(problem, name))
            continue
        with _garbage_collected_after():
            document, found, layout = _read_and_validate(text, name, utf8=utf8)
        findings += found
        if document is not None:
            documents[name], sources[name] = document, (text, layout)
    for file, problems in check_folder(documents, previous).items():
        kept = [each for each in problems if not suppressed(documents[file], each)]
        if kept:
            findings += _located(kept, file, *sources[file])
    return findings


def read_template_file(path: str | Path) -> tuple[Any, list[Problem]]:
    """The JSON value of the template file at `path` (None when it cannot be read) and the
    findings `validate_file` reports for it, from one reading of the file."""
    name = str(path)
    try:
        text = read_text_file(path, what="template")
    except JsonReadError as problem:
        return None, [_read_finding(problem, name)]
    template, findings, _ = _read_and_validate(text, name, read_only=False)
    return template, findings


def _read_and_validate(text: str, file: str | None, *, read_only: bool = True,
                       utf8: bytes | None = None) -> tuple[Any, list[Problem], TemplateLayout | None]:
    """The value of `text` (`utf8` in UTF-8, when read so), its findings, and the layout of its
    parts when it has one. A value that is `read_only` is parsed by `read_templates` (alike
    properties are one object, and findings are located from where the parts start); one handed
    to code that may change it or tell objects apart gets its own."""
    memo = _memo_for(text) if read_only else _PropertyMemo()
    layout = TemplateLayout(alike=memo.alike)
    try:
        template, duplicates = parse_json_collecting_duplicates(
            text, (lambda text, scan, make_object: read_templates(text, scan, make_object, layout)) if read_only else None,
            utf8=utf8)
    except JsonReadError as problem:
        return None, [_read_finding(problem, file)], None
    if duplicates and read_only:
        forget_read_properties()  # another file's alike property is not read again: it would not see them
    known_layout = layout if layout.complete else None
    findings = _located(_findings(template, memo), file, text, known_layout)
    if duplicates:
        findings += [finding("duplicate-key", each.pointer, DUPLICATE_KEY_MESSAGE.format(key=each.key))
                     .located(file, each.line, each.column) for each in duplicates]
        findings.sort(key=Problem.sort_key)
    return template, findings, known_layout


def _read_finding(problem: JsonReadError, file: str | None) -> Problem:
    return finding(problem.rule, problem.pointer, problem.reason).located(file, problem.line, problem.column)


def _findings(template: Any, memo: _PropertyMemo) -> list[Problem]:
    if isinstance(template, dict):
        return _template_findings(template, "", memo)
    if not isinstance(template, list):
        return [finding("not-a-template", "", f"expected a template object or an array of templates, got {json_kind(template)}")]
    if not template:
        return [finding("empty-file", "", "the array holds no templates")]
    findings: list[Problem] = []
    templates: list[tuple[str, dict[str, Any]]] = []
    for index, item in enumerate(template):
        pointer = f"/{index}"
        if isinstance(item, dict):
            templates.append((pointer, item))
            findings += _template_findings(item, pointer, memo)
        else:
            findings.append(finding("not-a-template", pointer, f"expected a template object, got {json_kind(item)}"))
    return findings + check_file_templates(templates)


def _template_findings(template: dict[str, Any], pointer: str, memo: _PropertyMemo) -> list[Problem]:
    """Findings of one template; `memo` keeps what the property objects checked so far found
    (schema failures, rule facts), as alike properties are one object."""
    return apply_suppressions(template, pointer, check_structure(template, pointer, memo.failures)
                              + check_template(template, pointer, memo.checked))


def _located(findings: list[Problem], file: str | None, source_text: str | None,
             layout: TemplateLayout | None = None) -> list[Problem]:
    if source_text is not None and findings:
        positions = locate(source_text, (each.location.pointer or "" for each in findings), layout)
        findings = [each.located(file, *positions[each.location.pointer or ""]) for each in findings]
    elif file is not None:
        findings = [each.located(file, None, None) for each in findings]
    return sorted(findings, key=Problem.sort_key)

