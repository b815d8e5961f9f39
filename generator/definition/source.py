"""Read a YAML definition into plain data while remembering the line and column of every node.

PyYAML's `compose` gives nodes with marks; this module turns them into dicts, lists and scalars
and keeps, per path (a tuple of keys and indexes), where the value and its key were written, plus
the scalar's original text (so `version: 2024-10-21` is not silently turned into a date).
Duplicate keys, which PyYAML accepts silently, are reported; `<<` merge keys are honoured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.problems import Location, Problem

DataPath = tuple[str | int, ...]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
}
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class LocatedData:
    """Plain data read from a YAML file, with the position of every value and key."""

    file: str
    data: Any
    value_marks: dict[DataPath, Location] = field(default_factory=dict)
    key_marks: dict[DataPath, Location] = field(default_factory=dict)
    raw_text: dict[DataPath, str] = field(default_factory=dict)

    def where(self, path: DataPath, *, key: bool = False) -> Location:
        """Where the value at `path` (or its key, with `key=True`) is written.

        Falls back to the nearest ancestor that was written, so a path the file does not contain
        (a missing key) points at the mapping that should contain it.
        """
        path = tuple(path)
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path not in self.value_marks and path:
            path = path[:-1]
        return self.value_marks.get(path, Location(self.file, 1, 1))

    def text(self, path: DataPath) -> str | None:
        """The scalar at `path` exactly as written (without quotes), or None for non-scalars."""
        return self.raw_text.get(tuple(path))


def _location(file: str, mark: yaml.Mark) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def load_yaml(text: str, file: str) -> tuple[LocatedData | None, list[Problem]]:
    """Parse `text` (the contents of `file`) into located data and the problems found on the way.

    Returns `(None, problems)` when the text is not YAML at all.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _location(file, mark) if mark else Location(file, 1, 1)
        problem = error.problem or error.context or "invalid YAML"
        return None, [Problem("error", "yaml", f"invalid YAML: {problem}", where)]
    except yaml.YAMLError as error:  # e.g. a reader error for control characters
        return None, [Problem("error", "yaml", f"invalid YAML: {error}", Location(file, 1, 1))]
    located = LocatedData(file=file, data=None)
    problems: list[Problem] = []
    if root is None:
        located.data = None
        return located, problems
    builder = _Builder(located, problems)
    located.data = builder.build(root, ())
    return located, problems


class _Builder:
    """Walks the composed node tree once, filling the marks of a `LocatedData`."""

    def __init__(self, located: LocatedData, problems: list[Problem]) -> None:
        self.located = located
        self.problems = problems
        self.constructor = SafeConstructor()
        self.active: set[int] = set()

    def where(self, node: yaml.Node) -> Location:
        return _location(self.located.file, node.start_mark)

    def build(self, node: yaml.Node, path: DataPath) -> Any:
        self.located.value_marks[path] = self.where(node)
        if id(node) in self.active:
            self.problems.append(Problem("error", "yaml", "an alias refers to the node that contains it", self.where(node)))
            return None
        if isinstance(node, yaml.ScalarNode):
            self.located.raw_text[path] = node.value
            return self.scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag in _SCALAR_TAGS:
            return self.constructor.construct_object(node, deep=True)
        # timestamps, binary and custom tags stay the text that was written
        return node.value

    def mapping(self, node: yaml.MappingNode, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
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
                    Problem("error", "yaml", f"duplicate key '{key}' (first written at line {first.line})", self.where(key_node))
                )
                continue
            explicit.add(key)
            self.located.key_marks[(*path, key)] = self.where(key_node)
            result[key] = self.build(value_node, (*path, key))
        # merged entries come after explicit ones and never override them (YAML merge-key rules)
        for source in merged_sources:
            for key_node, value_node in self.flattened(source):
                key = key_node.value
                if key in result:
                    continue
                self.located.key_marks[(*path, key)] = self.where(key_node)
                result[key] = self.build(value_node, (*path, key))
        return result

    def flattened(self, node: yaml.MappingNode) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
        """The plain entries of a merged mapping, including those it merges itself."""
        entries: list[tuple[yaml.ScalarNode, yaml.Node]] = []
        nested: list[yaml.MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                nested.extend(self.merge_sources(value_node))
            elif isinstance(key_node, yaml.ScalarNode):
                entries.append((key_node, value_node))
        for source in nested:
            entries.extend(self.flattened(source))
        return entries

    def merge_sources(self, node: yaml.Node) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.MappingNode):
            return [node]
        if isinstance(node, yaml.SequenceNode) and all(isinstance(item, yaml.MappingNode) for item in node.value):
            return list(node.value)
        self.problems.append(Problem("error", "yaml", "a '<<' merge key needs a mapping or a list of mappings", self.where(node)))
        return []
