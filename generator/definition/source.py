"""Read a YAML definition into plain data while remembering the line and column of every node.

PyYAML's `compose` gives nodes with marks; this module turns them into dicts, lists and scalars
and keeps, per path (a tuple of keys and indexes), where the value and its key were written, plus
the scalar's original text (so `version: 2024-10-21` is not silently turned into a date).
Duplicate keys, which PyYAML accepts silently, are reported, and so are numbers JSON cannot hold
(`.nan`, `.inf`, integers past Python's 4,300 digits); `<<` merge keys are honoured.

Composition uses libyaml (PyYAML's `CSafeLoader`, about 15x faster, same nodes and marks); when
the text is not valid YAML, PyYAML's pure-Python parser reads it again for its clearer message.
Hostile input stays bounded: the file size (`MAX_DEFINITION_BYTES`, checked by `read_source`),
the nesting depth (`MAX_DEPTH`) and the number of values once aliases and merges are expanded
(`MAX_VALUES`, which stops "billion laughs" alias bombs).
"""

from __future__ import annotations

import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.problems import Location, Problem

DataPath = tuple[str | int, ...]

MAX_DEFINITION_BYTES = 1024 * 1024
"""A definition (or its icon) larger than this is refused: hand-written definitions are far smaller."""
MAX_DEPTH = 100
"""Mappings and lists nested deeper than this are refused."""
MAX_VALUES = 100_000
"""Refused above this many values (keys not counted), each alias and merge counted at every use."""

_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml: pure Python
_SCALAR_TAGS = (
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
)
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class LocatedData:
    """Plain data read from a YAML file, with the position of every value and key."""

    file: str
    data: Any
    value_marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[DataPath, tuple[int, int]] = field(default_factory=dict)
    raw_text: dict[DataPath, str] = field(default_factory=dict)
    unreadable: set[DataPath] = field(default_factory=set)  # scalars already reported (read as None)

    def where(self, path: DataPath, *, key: bool = False) -> Location:
        """Where the value at `path` (or its key, with `key=True`) is written.

        Falls back to the nearest ancestor that was written, so a path the file does not contain
        (a missing key) points at the mapping that should contain it.
        """
        path = tuple(path)
        if key and path in self.key_marks:
            return Location(self.file, *self.key_marks[path])
        while path not in self.value_marks and path:
            path = path[:-1]
        return Location(self.file, *self.value_marks.get(path, (1, 1)))

    def text(self, path: DataPath) -> str | None:
        """The scalar at `path` exactly as written (without quotes), or None for non-scalars."""
        return self.raw_text.get(tuple(path))


def read_source(path: Path, file: str, *, what: str = "the definition") -> tuple[bytes | None, list[Problem]]:
    """The bytes of `path` (named `file` in messages), or None and a problem when it is not a
    regular file (a folder, a device such as /dev/zero, a pipe) or larger than
    `MAX_DEFINITION_BYTES`. Never reads more than that limit, so it cannot hang or fill memory."""
    start = Location(file, 1, 1)
    try:
        # non-blocking, so opening a named pipe does not wait for a writer
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb", buffering=0) as stream:
            mode = os.fstat(stream.fileno()).st_mode
            if not stat.S_ISREG(mode):
                return None, [Problem("error", "read-error", f"cannot read {what}: not a regular file", start)]
            data = stream.read(MAX_DEFINITION_BYTES + 1)
    except OSError as error:
        return None, [Problem("error", "read-error", f"cannot read {what}: {error.strerror or error}", start)]
    if len(data) > MAX_DEFINITION_BYTES:
        return None, [Problem("error", "read-error", f"{what} is larger than {MAX_DEFINITION_BYTES / 2**20:g} MiB", start)]
    return data, []


def load_yaml(text: str, file: str) -> tuple[LocatedData | None, list[Problem]]:
    """Parse `text` (the contents of `file`) into located data and the problems found on the way.

    Returns `(None, problems)` when the text is not YAML at all, or too large or deep to read.
    """
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(file, mark.line + 1, mark.column + 1) if mark else Location(file, 1, 1)
        return None, [Problem("error", "yaml", f"invalid YAML: {_problem_text(error)}", where)]
    except yaml.YAMLError as error:  # e.g. a reader error for control characters
        return None, [Problem("error", "yaml", f"invalid YAML: {error}", Location(file, 1, 1))]
    located = LocatedData(file=file, data=None)
    problems: list[Problem] = []
    if root is None:
        return located, problems
    builder = _Builder(located, problems)
    try:
        located.data = builder.build(root, ())
    except _TooManyValues as error:
        # the entry of the definition that holds the expansion (alias uses have no marks of their own)
        where = located.where(error.path[:1], key=True) if error.path else Location(file, 1, 1)
        message = f"the definition expands to more than {MAX_VALUES:,} values (aliases and merges count at every use)"
        return None, [Problem("error", "yaml", message, where)]
    return located, problems


def _compose(text: str) -> yaml.Node | None:
    """The node tree of `text`, composed by libyaml; on invalid YAML, raises PyYAML's error."""
    try:
        return yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError as error:
        fast_error = error
    if _is_too_deep(fast_error):
        raise fast_error
    # libyaml's messages are terse ("did not find expected ',' or ']'"); PyYAML's pure-Python parser
    # (which etk used before) reports the same place in words. It only runs on text libyaml refused.
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise fast_error from None


def _is_too_deep(error: yaml.YAMLError) -> bool:
    return isinstance(error, yaml.MarkedYAMLError) and error.problem == "exceeded maximum nesting depth"


def _problem_text(error: yaml.MarkedYAMLError) -> str:
    if _is_too_deep(error):
        return f"nested more than {MAX_DEPTH} levels deep"
    return error.problem or error.context or "invalid YAML"


class _TooManyValues(Exception):
    def __init__(self, path: DataPath) -> None:
        self.path = path


class _Builder:
    """Walks the composed node tree once, filling the marks of a `LocatedData`."""

    def __init__(self, located: LocatedData, problems: list[Problem]) -> None:
        self.located = located
        self.problems = problems
        constructor = SafeConstructor()
        self.constructors = {tag: getattr(constructor, SafeConstructor.yaml_constructors[tag].__name__) for tag in _SCALAR_TAGS}
        self.active: set[int] = set()
        self.budget = MAX_VALUES
        self.value_marks = located.value_marks
        self.raw_text = located.raw_text

    def where(self, node: yaml.Node) -> Location:
        return Location(self.located.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def spend(self, path: DataPath, count: int = 1) -> None:
        self.budget -= count
        if self.budget < 0:
            raise _TooManyValues(path)

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooManyValues(path)
        mark = node.start_mark
        self.value_marks[path] = (mark.line + 1, mark.column + 1)
        if isinstance(node, yaml.ScalarNode):
            self.raw_text[path] = node.value
            return node.value if node.tag == _STR_TAG else self.scalar(node, path)
        if id(node) in self.active:
            self.problems.append(Problem("error", "yaml", "an alias refers to the node that contains it", self.where(node)))
            return None
        if len(path) > MAX_DEPTH:
            self.problems.append(Problem("error", "yaml", f"invalid YAML: nested more than {MAX_DEPTH} levels deep", self.where(node)))
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            assert isinstance(node, yaml.MappingNode)  # the composer makes only these three kinds
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode, path: DataPath) -> Any:
        construct = self.constructors.get(node.tag)
        if construct is None:
            # timestamps, binary and custom tags stay the text that was written
            return node.value
        try:
            value = construct(node)
        except ValueError:  # an integer longer than Python converts (4,300 digits)
            problem = f"the number is too long ({len(node.value):,} characters)"
        else:
            if not isinstance(value, float) or math.isfinite(value):
                return value
            problem = f"{node.value} is not a number JSON can hold (no NaN or infinity): write a finite number, or quote it for text"
        # read as None; the schema problems of a value already reported are not reported
        self.problems.append(Problem("error", "yaml", problem, self.where(node)))
        self.located.unreadable.add(path)
        return None

    def mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        key_marks = self.located.key_marks
        explicit: set[str] = set()
        merged_sources: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merged_sources.extend(self.merge_sources(value_node))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(Problem("error", "yaml", "a mapping key must be plain text", self.where(key_node)))
                continue
            key = key_node.value
            if key in explicit:
                first = self.located.key_marks[(*path, key)]
                self.problems.append(
                    Problem("error", "yaml", f"duplicate key '{key}' (first written at line {first[0]})", self.where(key_node))
                )
                continue
            explicit.add(key)
            child = (*path, key)
            key_mark = key_node.start_mark
            key_marks[child] = (key_mark.line + 1, key_mark.column + 1)
            result[key] = self.build(value_node, child)
        # merged entries come after explicit ones and never override them (YAML merge-key rules)
        for source in merged_sources:
            for key_node, value_node in self.flattened(source, path):
                key = key_node.value
                if key in result:
                    continue
                self.located.key_marks[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                result[key] = self.build(value_node, (*path, key))
        return result

    def flattened(self, node: yaml.MappingNode, path: DataPath) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        """The plain entries of a merged mapping, then those of the mappings it merges, depth first.

        Iterative, and each mapping taken once, so long merge chains and a mapping that merges
        itself stay bounded."""
        entries: list[tuple[yaml.ScalarNode, yaml.Node]] = []
        seen: set[int] = set()
        pending = [node]
        while pending:
            current = pending.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            nested: list[yaml.MappingNode] = []
            own = 0
            for key_node, value_node in current.value:
                if key_node.tag == _MERGE_TAG:
                    nested.extend(self.merge_sources(value_node))
                elif isinstance(key_node, yaml.ScalarNode):
                    entries.append((key_node, value_node))
                    own += 1
            self.spend(path, own)
            pending.extend(reversed(nested))
        return entries

    def merge_sources(self, node: yaml.Node) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.MappingNode):
            return [node]
        if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.MappingNode) for item in node.value):
            return list(node.value)
        self.problems.append(Problem("error", "yaml", "a '<<' merge key needs a mapping or a list of mappings", self.where(node)))
        return []
