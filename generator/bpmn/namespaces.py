"""XML namespaces of BPMN diagrams and how element tags map to moddle type names.

Files may bind any prefix to a namespace, so everything here works on namespace URIs; the
prefixes below are only the ones etk writes (the Modeler's).
"""

from __future__ import annotations

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
MODELER = "http://camunda.org/schema/modeler/1.0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"

PREFIXES = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "zeebe": ZEEBE, "modeler": MODELER, "xsi": XSI}
URIS = {uri: prefix for prefix, uri in PREFIXES.items()}


def clark(prefix: str, local: str) -> str:
    """`{uri}local` for one of etk's prefixes (`clark("zeebe", "input")`)."""
    return f"{{{PREFIXES[prefix]}}}{local}"


def split_clark(tag: str | bytes | bytearray | etree.QName) -> tuple[str | None, str]:
    """`("uri", "local")` of a `{uri}local` tag (an element's `tag`: text for parsed elements);
    uri None for unqualified names."""
    tag = tag if isinstance(tag, str) else str(tag)
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        return uri, local
    return None, tag


def qualified_name(tag: str | bytes | bytearray | etree.QName) -> str | None:
    """`zeebe:input` for `{zeebe uri}input`, None for namespaces etk does not know."""
    uri, local = split_clark(tag)
    prefix = URIS.get(uri) if uri else None
    return f"{prefix}:{local}" if prefix else None


def to_clark(name: str) -> str:
    """`{uri}local` for `prefix:local`, the name itself when unqualified."""
    prefix, separator, local = name.partition(":")
    return clark(prefix, local) if separator else name


def moddle_type(local_name: str) -> str:
    """`bpmn:ServiceTask` for the BPMN tag `serviceTask`."""
    return "bpmn:" + local_name[:1].upper() + local_name[1:]


def bpmn_tag(type_name: str) -> str:
    """`{bpmn uri}serviceTask` for the moddle type `bpmn:ServiceTask`."""
    local = type_name.partition(":")[2]
    return clark("bpmn", local[:1].lower() + local[1:])
