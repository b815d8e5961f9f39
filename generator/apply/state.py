"""The abstract BPMN element the Modeler semantics work on, independent of any XML library.

`ElementState` mirrors the parts of a BPMN element a template touches, the way bpmn-js's moddle
objects do: the element's attributes, its `bpmn:extensionElements` as a small tree of `Node`s
(`zeebe:taskDefinition`, `zeebe:ioMapping` with `zeebe:input`/`zeebe:output`, ...), and the
`bpmn:message` it refers to. Names are qualified with the Modeler's prefixes (`zeebe:input`,
`bpmn:message`) whatever prefixes a file uses. Nodes read from a file keep their source object
in `origin`, so the BPMN writer can edit the file in place instead of re-serialising it; nodes
the semantics create have no origin. Everything else in a file (other elements, DI, unknown
extension elements, comments) is either an opaque node or not represented at all, and stays
untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, SupportsIndex

from generator.task import (
    AppliedTask,
    InputMapping,
    OutputMapping,
    TaskHeader,
    ZeebeProperty,
)

OPAQUE = "#opaque"  # tag of a node the semantics never look into (unknown element, comment)

TEMPLATE_ID = "zeebe:modelerTemplate"
TEMPLATE_VERSION = "zeebe:modelerTemplateVersion"
TEMPLATE_ICON = "zeebe:modelerTemplateIcon"

# The order moddle serialises each element's attributes in (its type descriptor's order); new
# nodes are written in this order, whatever order the semantics set them in.
ATTRIBUTE_ORDER: dict[str, tuple[str, ...]] = {
    "zeebe:taskDefinition": ("type", "retries"),
    "zeebe:input": ("source", "target"),
    "zeebe:output": ("source", "target"),
    "zeebe:header": ("key", "value"),
    "zeebe:property": ("name", "value"),
    "zeebe:subscription": ("correlationKey",),
    "bpmn:message": ("id", "name", TEMPLATE_ID),
}


# The attribute that names each keyed child (an input by its target, an output by its source, ...):
# `Node.keyed` finds the first child with a key in constant time, so applying a template is linear
# in its number of properties.
KEY_ATTRIBUTES = {"zeebe:input": "target", "zeebe:output": "source", "zeebe:header": "key", "zeebe:property": "name"}
# Bumped whenever a key attribute of any node changes: every keyed index is then rebuilt.
_key_changes = [0]


class AttributeHolder:
    """Something with XML attributes by qualified name: a `Node` or an `ElementState`."""

    attributes: dict[str, str]

    def get(self, name: str) -> str | None:
        """The attribute's text, or None when the attribute is absent."""
        return self.attributes.get(name)

    def set(self, name: str, value: str | None) -> None:
        """Set (or, with None, remove) an attribute, keeping its place when it exists."""
        if value is None:
            self.attributes.pop(name, None)
        else:
            self.attributes[name] = value


class _Children(list["Node"]):
    """A node's children. Each change counts (`version`), so the node's keyed index knows it is
    stale; appending, the common change, updates the index in place instead."""

    def __init__(self, owner: Node, items: Iterable[Node] = ()) -> None:
        super().__init__(items)
        self.version = 0
        self._owner = owner

    def _changed(self) -> None:
        self.version += 1

    def append(self, child: Node) -> None:
        super().append(child)
        self.version += 1
        self._owner._indexed_append(child)

    def extend(self, children: Iterable[Node]) -> None:
        super().extend(children)
        self._changed()

    def insert(self, index: SupportsIndex, child: Node) -> None:
        super().insert(index, child)
        self._changed()

    def remove(self, child: Node) -> None:
        super().remove(child)
        self._changed()

    def pop(self, index: SupportsIndex = -1) -> Node:
        child = super().pop(index)
        self._changed()
        return child

    def clear(self) -> None:
        super().clear()
        self._changed()

    def sort(self, *args: Any, **kwargs: Any) -> None:
        super().sort(*args, **kwargs)
        self._changed()

    def reverse(self) -> None:
        super().reverse()
        self._changed()

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, value)
        self._changed()

    def __delitem__(self, index: Any) -> None:
        super().__delitem__(index)
        self._changed()

    def __iadd__(self, children: Iterable[Node]) -> _Children:  # type: ignore[override, misc]
        super().__iadd__(children)
        self._changed()
        return self


@dataclass(eq=False)
class Node(AttributeHolder):
    """One XML element (or opaque item) inside the templated part of an element."""

    tag: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    origin: Any = None
    _index: dict[tuple[str, str | None], Node] = field(default_factory=dict, init=False, repr=False)
    _index_stamp: tuple[int, int] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.children = _Children(self, self.children)

    def set(self, name: str, value: str | None) -> None:
        if KEY_ATTRIBUTES.get(self.tag) == name and self.attributes.get(name) != value:
            _key_changes[0] += 1
        super().set(name, value)

    def keyed(self, tag: str, key: str | None) -> Node | None:
        """The first child with `tag` whose key attribute (`KEY_ATTRIBUTES`) is `key`."""
        children = self.children
        stamp = (children.version, _key_changes[0]) if isinstance(children, _Children) else None
        if stamp is None or stamp != self._index_stamp:
            index: dict[tuple[str, str | None], Node] = {}
            for child in children:
                attribute = KEY_ATTRIBUTES.get(child.tag)
                if attribute is not None:
                    index.setdefault((child.tag, child.attributes.get(attribute)), child)
            self._index, self._index_stamp = index, stamp
        return self._index.get((tag, key))

    def _indexed_append(self, child: Node) -> None:
        """Keep a current index current when `child` is appended (it is first only if new)."""
        children = self.children
        assert isinstance(children, _Children)
        if self._index_stamp == (children.version - 1, _key_changes[0]):
            attribute = KEY_ATTRIBUTES.get(child.tag)
            if attribute is not None:
                self._index.setdefault((child.tag, child.attributes.get(attribute)), child)
            self._index_stamp = (children.version, _key_changes[0])

    def find(self, tag: str) -> Node | None:
        """The first child with `tag`, like moddle's `findExtension`."""
        return next((child for child in self.children if child.tag == tag), None)

    def ensure(self, tag: str) -> Node:
        """The first child with `tag`, appended empty when there is none."""
        child = self.find(tag)
        if child is None:
            child = Node(tag)
            self.children.append(child)
        return child

    def all(self, tag: str) -> list[Node]:
        """The children with `tag`, in document order."""
        return [child for child in self.children if child.tag == tag]

    def ordered_attributes(self) -> list[tuple[str, str]]:
        """Attributes in the order moddle writes them for this tag (unknown ones last)."""
        order = ATTRIBUTE_ORDER.get(self.tag, ())
        known = [(name, self.attributes[name]) for name in order if name in self.attributes]
        return known + [(name, value) for name, value in self.attributes.items() if name not in order]


@dataclass(eq=False)
class ElementState(AttributeHolder):
    """A BPMN flow element as far as element templates are concerned.

    `element_type` is the moddle type (`bpmn:ServiceTask`); `attributes` holds the element's
    attributes by qualified name (`name`, `zeebe:modelerTemplate`, ...); `extension_elements`
    is None when the element has no `bpmn:extensionElements`. `message` is the `bpmn:message`
    the element refers to through `messageRef` (None when it refers to none).
    `event_definition` is an event's first event definition (`bpmn:messageEventDefinition`),
    which holds the event's `messageRef`. `in_event_subprocess` tells whether the element's
    parent is an event subprocess (the Modeler drops a message start event's correlation key
    outside of one). `removed_messages` collects the messages a change deleted from the diagram.
    """

    element_type: str
    attributes: dict[str, str] = field(default_factory=dict)
    extension_elements: Node | None = None
    message: Node | None = None
    event_definition: Node | None = None
    in_event_subprocess: bool = False
    removed_messages: list[Node] = field(default_factory=list)

    def is_event(self) -> bool:
        """Whether the element is an event (its message is referenced by its event definition)."""
        return self.element_type.endswith("Event")

    def message_holder(self) -> ElementState | Node | None:
        """What carries `messageRef`: a task itself, an event's event definition."""
        return self.event_definition if self.is_event() else self

    def extension(self, tag: str) -> Node | None:
        """The first extension element with `tag` (`zeebe:ioMapping`, ...), if any."""
        return self.extension_elements.find(tag) if self.extension_elements else None

    def ensure_extension_elements(self) -> Node:
        """The `bpmn:extensionElements` node, created empty when missing."""
        if self.extension_elements is None:
            self.extension_elements = Node("bpmn:extensionElements")
        return self.extension_elements

    def template_version(self) -> int | None:
        """`zeebe:modelerTemplateVersion` as the integer moddle reads it."""
        text = self.attributes.get(TEMPLATE_VERSION)
        if text is None:
            return None
        try:
            return int(text.strip())
        except ValueError:
            return None

    def to_applied_task(self, element_id: str | None = None) -> AppliedTask:
        """What the element carries for the engine (see `AppliedTask`)."""
        task_definition = self.extension("zeebe:taskDefinition")
        io_mapping = self.extension("zeebe:ioMapping")
        headers = self.extension("zeebe:taskHeaders")
        properties = self.extension("zeebe:properties")
        return AppliedTask(
            job_type=task_definition.get("type") if task_definition else None,
            retries=task_definition.get("retries") if task_definition else None,
            inputs=tuple(
                InputMapping(target=node.get("target") or "", source=node.get("source"))
                for node in _children(io_mapping, "zeebe:input")
            ),
            outputs=tuple(
                OutputMapping(source=node.get("source") or "", target=node.get("target") or "")
                for node in _children(io_mapping, "zeebe:output")
            ),
            headers=tuple(
                TaskHeader(key=node.get("key") or "", value=node.get("value") or "")
                for node in _children(headers, "zeebe:header")
            ),
            properties=tuple(
                ZeebeProperty(name=node.get("name") or "", value=node.get("value") or "")
                for node in _children(properties, "zeebe:property")
            ),
            element_id=element_id,
            element_type=self.element_type,
            template_id=self.attributes.get(TEMPLATE_ID),
            template_version=self.template_version(),
            attributes={
                name: value
                for name, value in self.attributes.items()
                if ":" not in name and name != "id"
            },
        )


def _children(node: Node | None, tag: str) -> Iterator[Node]:
    return iter(node.all(tag)) if node is not None else iter(())
