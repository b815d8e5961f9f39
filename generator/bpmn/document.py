"""Reading BPMN files safely, finding elements, and writing the edited tree back.

Safety policy: a DOCTYPE beyond a bare `<!DOCTYPE name>` (an internal subset, entities, an
external DTD) is rejected before the XML parser sees the file; the parser itself never resolves
entities, loads no DTD and fetches nothing from the network. Files over `MAX_DIAGRAM_BYTES` are refused without being read
(real diagrams are far below it), and lxml's `huge_tree` limits stay on. Every problem becomes a
`BpmnError` naming the file, the line and the element id.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from generator.bpmn.errors import BpmnError
from generator.bpmn.namespaces import BPMN, PREFIXES, split_clark

MAX_DIAGRAM_BYTES = 32 * 1024 * 1024

# Element tags a template can be applied to (flow nodes), listed when an id is not found.
TEMPLATABLE = re.compile(r"(?i).*(task|event|subprocess|callactivity|transaction)$")


@dataclass
class Diagram:
    """A parsed diagram: the lxml tree, where it came from, and the file's prologue as written
    (XML declaration, comments before the root), which lxml would otherwise reformat."""

    tree: etree._ElementTree
    source: str
    prologue: bytes = b'<?xml version="1.0" encoding="UTF-8"?>\n'

    @property
    def definitions(self) -> etree._Element:
        """The `bpmn:definitions` root element."""
        return self.tree.getroot()

    def find_element(self, element_id: str) -> etree._Element:
        """The BPMN element with `id`, or a `BpmnError` listing the ids that could be meant."""
        for element in self.definitions.iter(etree.Element):
            if element.get("id") == element_id and split_clark(element.tag)[0] == BPMN:
                return element
        candidates = [
            f"{e.get('id')} ({split_clark(e.tag)[1]}, line {e.sourceline})"
            for e in self.definitions.iter(etree.Element)
            if split_clark(e.tag)[0] == BPMN and e.get("id") and TEMPLATABLE.match(split_clark(e.tag)[1])
        ]
        listed = ", ".join(candidates) if candidates else "none"
        raise BpmnError(f"{self.source}: no BPMN element with id {element_id!r}; tasks and events in this diagram: {listed}")

    def to_bytes(self) -> bytes:
        """The document in its own encoding: the original prologue, the root, what follows it."""
        encoding = self.tree.docinfo.encoding or "UTF-8"
        parts = [self.prologue, etree.tostring(self.definitions, encoding=encoding, with_tail=False)]
        for sibling in self.definitions.itersiblings():
            parts.append(b"\n" + etree.tostring(sibling, encoding=encoding, with_tail=False))
        return b"".join(parts) + b"\n"


def load_diagram(path: Path) -> Diagram:
    """Read and parse a BPMN file (see the module's safety policy)."""
    path = Path(path)
    try:
        size = os.stat(path).st_size
    except OSError as error:
        raise BpmnError(f"{path}: cannot read diagram: {error.strerror}") from None
    if size > MAX_DIAGRAM_BYTES:
        raise BpmnError(
            f"{path}: diagram is {size / 1048576:.1f} MiB; etk reads diagrams up to "
            f"{MAX_DIAGRAM_BYTES // 1048576} MiB (a larger file is almost certainly not a hand-made process)"
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BpmnError(f"{path}: cannot read diagram: {error.strerror}") from None
    return parse_diagram(data, str(path))


def parse_diagram(data: bytes, source: str = "<diagram>") -> Diagram:
    """Parse BPMN XML bytes; `source` names the input in error messages."""
    if len(data) > MAX_DIAGRAM_BYTES:
        raise BpmnError(f"{source}: diagram is larger than {MAX_DIAGRAM_BYTES // 1048576} MiB")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        raise BpmnError(f"{source}: the diagram is UTF-16/32 encoded; etk reads UTF-8 (or ASCII-compatible) BPMN files")
    prologue = _prologue(data, source)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as error:
        line = error.lineno or "?"
        message = _syntax_message(error)
        raise BpmnError(f"{source}:{line}: not well-formed XML: {message}") from None
    docinfo = tree.docinfo
    entities = docinfo.internalDTD is not None and any(True for _ in docinfo.internalDTD.iterentities())
    if entities or docinfo.system_url or docinfo.public_id:
        # defence in depth: the prologue check above already refuses these
        raise BpmnError(f"{source}: the diagram declares a DTD; etk does not load DTDs: remove the DOCTYPE")
    root = tree.getroot()
    uri, local = split_clark(root.tag)
    if uri != BPMN or local != "definitions":
        found = f"{{{uri}}}{local}" if uri else local
        raise BpmnError(
            f"{source}:{root.sourceline}: not a BPMN 2.0 diagram: the root element is {found}, "
            f"expected definitions in namespace {BPMN}"
        )
    return Diagram(tree=tree, source=source, prologue=prologue)


_BARE_DOCTYPE = re.compile(rb"<!DOCTYPE\s+[^\s>\[\]]+\s*>")


def _prologue(data: bytes, source: str) -> bytes:
    """The bytes before the root element's start tag (declaration, comments, PIs, a bare
    DOCTYPE); any other DOCTYPE is refused here, before parsing."""
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while position < len(data) and data[position : position + 1].isspace():
            position += 1
        if data.startswith(b"<!DOCTYPE", position):
            bare = _BARE_DOCTYPE.match(data, position)
            if not bare:
                raise BpmnError(
                    f"{source}: the diagram declares a DOCTYPE with an internal subset, entities or an external "
                    "DTD; etk does not expand entities or load DTDs (BPMN files need neither): remove the DOCTYPE"
                )
            position = bare.end()
            continue
        for opening, closing in ((b"<?", b"?>"), (b"<!--", b"-->")):
            if data.startswith(opening, position):
                end = data.find(closing, position + len(opening))
                position = len(data) if end < 0 else end + len(closing)
                break
        else:
            return data[:position]


def _syntax_message(error: etree.XMLSyntaxError) -> str:
    message = str(error.msg or error)
    return re.sub(r",? line \d+, column \d+$", "", message)


def ensure_namespace(diagram: Diagram, prefix: str) -> str:
    """Declare one of etk's namespaces on `bpmn:definitions` (once) and return its prefix there.

    A file that already binds the namespace keeps its prefix; otherwise etk's prefix is added
    (with a number when the file uses that prefix for something else). Nothing else about the
    file's declarations changes.
    """
    uri = PREFIXES[prefix]
    root = diagram.definitions
    for existing_prefix, existing_uri in root.nsmap.items():
        if existing_uri == uri and existing_prefix:
            return existing_prefix
    chosen, number = prefix, 1
    used = set(root.nsmap)
    while chosen in used:
        number += 1
        chosen = f"{prefix}{number}"
    # cleanup_namespaces declares on the root; keeping every prefix makes it remove nothing
    prefixes_in_use = {p for e in root.iter(etree.Element) for p in e.nsmap if p} | {chosen}
    etree.cleanup_namespaces(root, top_nsmap={chosen: uri}, keep_ns_prefixes=sorted(prefixes_in_use))
    return chosen
