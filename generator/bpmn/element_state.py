"""Between lxml elements and `ElementState`: read an element's templated parts, write them back.

Reading keeps each source XML node in `Node.origin`. Writing edits the tree in place: changed
attributes are set where they are, removed entries are deleted, new ones are created with the
file's own prefix for the namespace, and only containers whose entries changed get their
whitespace re-indented. Anything the state does not model (other attributes and elements, DI,
unknown extension elements, comments) is left exactly as it was.
"""

from __future__ import annotations

from lxml import etree

from generator.apply.state import OPAQUE, ElementState, Node
from generator.bpmn.document import Diagram, ensure_namespace
from generator.bpmn.errors import not_xml_error
from generator.bpmn.namespaces import BPMN, ZEEBE, bpmn_tag, moddle_type, qualified_name, split_clark, to_clark

# zeebe elements the semantics look into; their entries are read as nodes, the rest is opaque
CONTAINERS = {
    "bpmn:message": ("bpmn:extensionElements",),
    "bpmn:extensionElements": ("zeebe:taskDefinition", "zeebe:ioMapping", "zeebe:taskHeaders", "zeebe:properties", "zeebe:subscription"),
    "zeebe:ioMapping": ("zeebe:input", "zeebe:output"),
    "zeebe:taskHeaders": ("zeebe:header",),
    "zeebe:properties": ("zeebe:property",),
}
EVENT_DEFINITION_SUFFIX = "EventDefinition"


def read_state(diagram: Diagram, element: etree._Element) -> ElementState:
    """The templated parts of `element` as an `ElementState` (nodes keep their XML origin)."""
    extension_elements = element.find(f"{{{BPMN}}}extensionElements")
    definition = _event_definition(element)
    parent = element.getparent()
    return ElementState(
        element_type=moddle_type(split_clark(element.tag)[1]),
        attributes=_attributes(element),
        extension_elements=_read_node(extension_elements, "bpmn:extensionElements") if extension_elements is not None else None,
        message=_read_message(diagram, element),
        event_definition=Node(qualified_name(definition.tag) or "", _attributes(definition), origin=definition)
        if definition is not None
        else None,
        in_event_subprocess=parent is not None
        and parent.tag == f"{{{BPMN}}}subProcess"
        and parent.get("triggeredByEvent") == "true",
    )


def _attributes(element: etree._Element) -> dict[str, str]:
    """Unqualified and zeebe attributes by the names the semantics use (`name`, `zeebe:x`)."""
    result: dict[str, str] = {}
    for key, value in element.attrib.items():
        uri, local = split_clark(key)
        if uri is None:
            result[local] = value
        elif uri == ZEEBE:
            result[f"zeebe:{local}"] = value
    return result


def _read_node(element: etree._Element, name: str) -> Node:
    node = Node(name, _attributes(element), origin=element)
    allowed = CONTAINERS.get(name, ())
    if allowed:
        for child in element:
            child_name = qualified_name(child.tag) if isinstance(child.tag, str) else None
            if child_name in allowed:
                node.children.append(_read_node(child, child_name))
            else:
                node.children.append(Node(OPAQUE, origin=child))
    return node


def _event_definition(element: etree._Element) -> etree._Element | None:
    """An event's first event definition (None for other elements)."""
    return next(
        (
            c
            for c in element
            if isinstance(c.tag, str) and split_clark(c.tag)[0] == BPMN and split_clark(c.tag)[1].endswith(EVENT_DEFINITION_SUFFIX)
        ),
        None,
    )


def _message_reference_holder(element: etree._Element) -> etree._Element | None:
    """The element carrying `messageRef`: the task itself, or an event's first event definition."""
    if split_clark(element.tag)[1].endswith("Event"):
        return _event_definition(element)
    return element


def _read_message(diagram: Diagram, element: etree._Element) -> Node | None:
    holder = _message_reference_holder(element)
    reference = holder.get("messageRef") if holder is not None else None
    if not reference:
        return None
    message = _find_message(diagram, reference)
    return _read_node(message, "bpmn:message") if message is not None else None


# writing ------------------------------------------------------------------------------------


def write_state(diagram: Diagram, element: etree._Element, state: ElementState) -> None:
    """Bring `element` (and its message) in line with `state` by editing the tree in place."""
    writer = _Writer(diagram)
    if moddle_type(split_clark(element.tag)[1]) != state.element_type:
        element.tag = bpmn_tag(state.element_type)
    writer.sync_attributes(element, state.attributes)
    if state.event_definition is not None:
        writer.sync_event_definition(element, state.event_definition)
    current = element.find(f"{{{BPMN}}}extensionElements")
    if state.extension_elements is None:
        if current is not None:
            _remove(current)
    elif state.extension_elements.origin is None:
        documentation = [i for i, c in enumerate(element) if c.tag == f"{{{BPMN}}}documentation"]
        _insert(element, documentation[-1] + 1 if documentation else 0, writer.create(state.extension_elements))
    else:
        writer.sync_children(state.extension_elements)
    writer.sync_message(state.message, state.removed_messages)


class _Writer:
    def __init__(self, diagram: Diagram) -> None:
        self.diagram = diagram

    def _clark(self, name: str) -> str:
        if name.startswith("zeebe:"):
            ensure_namespace(self.diagram, "zeebe")
        return to_clark(name)

    def sync_attributes(self, element: etree._Element, attributes: dict[str, str]) -> None:
        current = _attributes(element)
        for name in current:
            if name not in attributes:
                del element.attrib[to_clark(name)]
        for name, value in attributes.items():
            if current.get(name) != value:
                self._set(element, name, value)

    def _set(self, element: etree._Element, name: str, value: str) -> None:
        """Set attribute `name`; a value XML 1.0 cannot hold (NUL, most control characters) is an error."""
        try:
            element.set(self._clark(name), value)
        except ValueError:
            raise not_xml_error(name, value) from None

    def create(self, node: Node) -> etree._Element:
        """A new XML element for `node` (attributes in moddle's order, children created too)."""
        element = etree.Element(self._clark(node.tag))
        for name, value in node.ordered_attributes():
            self._set(element, name, value)
        node.origin = element
        for child in node.children:
            element.append(self.create(child))
        return element

    def sync_children(self, node: Node) -> None:
        """Make the XML children of `node.origin` match `node`, recursively for containers."""
        element = node.origin
        created: list[etree._Element] = []
        desired: list[etree._Element] = []
        for child in node.children:
            if child.origin is None:
                created.append(self.create(child))
            elif child.tag != OPAQUE:
                self.sync_attributes(child.origin, child.attributes)
                if child.tag in CONTAINERS:
                    self.sync_children(child)
            desired.append(child.origin)
        if list(element) == desired:
            return
        for existing in list(element):
            if existing not in desired:
                element.remove(existing)
        for index, wanted in enumerate(desired):
            if index >= len(element) or element[index] is not wanted:
                element.insert(index, wanted)
        _reindent(element)
        for new_element in created:
            _reindent(new_element, deep=True)

    def sync_event_definition(self, element: etree._Element, definition: Node) -> None:
        """Replace the element's event definitions by a new one, or update the existing one."""
        if definition.origin is not None:
            self.sync_attributes(definition.origin, definition.attributes)
            return
        existing = [c for c in element if isinstance(c.tag, str) and split_clark(c.tag)[1].endswith(EVENT_DEFINITION_SUFFIX)]
        index = element.index(existing[0]) if existing else len(element)
        for old in existing:
            _remove(old)
        _insert(element, min(index, len(element)), self.create(definition))

    def sync_message(self, message: Node | None, removed: list[Node]) -> None:
        """Create or update the element's root `bpmn:message`; delete the ones the change removed."""
        for old in removed:
            if old.origin is not None and old.origin.getparent() is not None:
                _remove(old.origin)
        if message is None:
            return
        if message.origin is None:
            definitions = self.diagram.definitions
            roots = [i for i, c in enumerate(definitions) if isinstance(c.tag, str) and c.tag.startswith(f"{{{BPMN}}}")]
            _insert(definitions, roots[-1] + 1 if roots else len(definitions), self.create(message))
        else:
            self.sync_attributes(message.origin, message.attributes)
            self.sync_children(message)


def _find_message(diagram: Diagram, message_id: str) -> etree._Element | None:
    return next((m for m in diagram.definitions.iterchildren(f"{{{BPMN}}}message") if m.get("id") == message_id), None)


# whitespace ----------------------------------------------------------------------------------


def _indent_of(element: etree._Element) -> str | None:
    """The indentation before `element`'s start tag, None when the file is not indented."""
    parent = element.getparent()
    if parent is None:  # the root starts at column 0 in any indented file
        return "" if element.text and "\n" in element.text and not element.text.strip() else None
    previous = element.getprevious()
    text = previous.tail if previous is not None else parent.text
    if not text or "\n" not in text or text.strip():
        return None
    return text.rpartition("\n")[2]


def _unit(element: etree._Element) -> str:
    """One level of indentation, as the file uses it around `element` (two spaces otherwise)."""
    own = _indent_of(element) or ""
    parent = element.getparent()
    if parent is None:
        first_line = (element.text or "").rpartition("\n")[2]
        return first_line if first_line and not first_line.strip() else "  "
    parent_indent = _indent_of(parent)
    if parent_indent is not None and len(own) > len(parent_indent):
        return own[len(parent_indent):]
    return "  "


def _reindent(element: etree._Element, deep: bool = False) -> None:
    """Lay out `element`'s children one per line, one level deeper than `element`."""
    indent = _indent_of(element)
    if indent is None:
        return
    children = list(element)
    if not children:
        if not (element.text or "").strip():
            element.text = None
        return
    inner = indent + _unit(element)
    element.text = "\n" + inner
    for child in children:
        child.tail = "\n" + inner
    children[-1].tail = "\n" + indent
    if deep:
        for child in children:
            if isinstance(child.tag, str):
                _reindent(child, deep=True)


def _insert(parent: etree._Element, index: int, child: etree._Element) -> None:
    """Insert a new `child` into `parent` at `index`, indented like its siblings."""
    indent = _indent_of(parent)
    if indent is None:
        parent.insert(index, child)
        return
    child_indent = "\n" + indent + _unit(parent)
    before = parent.text if index == 0 else parent[index - 1].tail
    parent.insert(index, child)
    if index == 0:
        parent.text = child_indent
    else:
        parent[index - 1].tail = child_indent
    # the new child takes over the whitespace that followed its predecessor
    child.tail = before if before is not None and not before.strip() and "\n" in before else "\n" + indent
    _reindent(child, deep=True)


def _remove(element: etree._Element) -> None:
    """Remove `element`, keeping the layout of its siblings."""
    parent = element.getparent()
    assert parent is not None  # only elements inside the element being edited are removed
    previous = element.getprevious()
    if element.getnext() is None:
        if previous is not None:
            previous.tail = element.tail
        elif not (element.tail or "").strip():
            parent.text = None
    parent.remove(element)
