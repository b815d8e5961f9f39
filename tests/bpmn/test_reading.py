"""Reading diagrams safely: hostile XML, malformed files, other XML, missing elements, size."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from generator.bpmn import MAX_DIAGRAM_BYTES, BpmnError, load_diagram, parse_diagram, read_applied_task

BPMN_NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
DOCTYPE_REFUSED = (
    "the diagram declares a DOCTYPE with an internal subset, entities or an external DTD; etk does not "
    "expand entities or load DTDs (BPMN files need neither): remove the DOCTYPE"
)


def diagram_with(doctype: str, name: str = "x") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{doctype}\n<bpmn:definitions {BPMN_NS} id="D">'
        f'<bpmn:process id="P"><bpmn:serviceTask id="Task_1" name="{name}"/></bpmn:process></bpmn:definitions>\n'
    ).encode()


def test_billion_laughs_is_refused_before_parsing() -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10)
    )
    with pytest.raises(BpmnError) as error:
        parse_diagram(diagram_with(f"<!DOCTYPE lolz [{entities}]>", "&lol9;"), "laughs.bpmn")
    assert str(error.value) == f"laughs.bpmn: {DOCTYPE_REFUSED}"


def test_external_entities_are_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-MARKER", encoding="utf-8")
    for doctype in (
        f'<!DOCTYPE d [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
        '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        f'<!DOCTYPE d [<!ENTITY % p SYSTEM "{secret.as_uri()}"> %p;]>',
        '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/evil.dtd">',
        '<!DOCTYPE d PUBLIC "-//X//DTD X//EN" "http://127.0.0.1:9/evil.dtd">',
    ):
        path = tmp_path / "xxe.bpmn"
        path.write_bytes(diagram_with(doctype, "&x;"))
        with pytest.raises(BpmnError) as error:
            read_applied_task(path, "Task_1")
        message = str(error.value)
        assert message == f"{path}: {DOCTYPE_REFUSED}"
        assert "TOP-SECRET-MARKER" not in message and "root:" not in message


def test_a_bare_doctype_is_harmless_and_kept() -> None:
    data = diagram_with("<!DOCTYPE definitions>")
    assert parse_diagram(data).to_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE definitions>\n')


def test_utf16_is_refused() -> None:
    with pytest.raises(BpmnError, match=r"^d.bpmn: the diagram is UTF-16/32 encoded"):
        parse_diagram(diagram_with("").decode().encode("utf-16"), "d.bpmn")


def test_malformed_xml_names_the_line() -> None:
    with pytest.raises(BpmnError) as error:
        parse_diagram(f"<bpmn:definitions {BPMN_NS}>\n  <bpmn:process id='P'>\n</bpmn:definitions>".encode(), "broken.bpmn")
    assert str(error.value) == (
        "broken.bpmn:3: not well-formed XML: Opening and ending tag mismatch: process line 2 and definitions"
    )


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (b"<html><body/></html>", "d.bpmn:1: not a BPMN 2.0 diagram: the root element is html, expected definitions in namespace http://www.omg.org/spec/BPMN/20100524/MODEL"),
        (b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/DI"/>', "d.bpmn:1: not a BPMN 2.0 diagram: the root element is {http://www.omg.org/spec/BPMN/20100524/DI}definitions, expected definitions in namespace http://www.omg.org/spec/BPMN/20100524/MODEL"),
        (b"", "d.bpmn:1: not well-formed XML: Document is empty"),
    ],
)
def test_other_xml_is_not_bpmn(xml: bytes, message: str) -> None:
    with pytest.raises(BpmnError) as error:
        parse_diagram(xml, "d.bpmn")
    assert str(error.value) == message


def test_a_missing_element_lists_the_tasks_and_events(tmp_path: Path) -> None:
    path = tmp_path / "d.bpmn"
    path.write_bytes((Path(__file__).parent / "diagrams" / "task.bpmn").read_bytes())
    with pytest.raises(BpmnError) as error:
        read_applied_task(path, "Task_9")
    assert str(error.value) == (
        f"{path}: no BPMN element with id 'Task_9'; tasks and events in this diagram: "
        "StartEvent_1 (startEvent, line 4), Task_1 (task, line 7), EndEvent_1 (endEvent, line 11)"
    )


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BpmnError, match=r"nope.bpmn: cannot read diagram: No such file or directory$"):
        load_diagram(tmp_path / "nope.bpmn")


def test_a_50_mib_diagram_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.bpmn"
    chunk = b"<bpmn:task id='T%d'/>\n"
    with path.open("wb") as stream:
        stream.write(f'<?xml version="1.0"?>\n<bpmn:definitions {BPMN_NS}><bpmn:process id="P">'.encode())
        block = b"".join(chunk % i for i in range(50_000))
        while stream.tell() < 50 * 1024 * 1024:
            stream.write(block)
        stream.write(b"</bpmn:process></bpmn:definitions>")
    tracemalloc.start()
    try:
        with pytest.raises(BpmnError) as error:
            load_diagram(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error.value) == (
        f"{path}: diagram is {path.stat().st_size / 1048576:.1f} MiB; etk reads diagrams up to {MAX_DIAGRAM_BYTES // 1048576} MiB "
        "(a larger file is almost certainly not a hand-made process)"
    )
    assert peak < 1024 * 1024  # refused from the file size, not by reading it


def test_a_huge_text_node_within_the_size_limit_is_refused_by_the_parser() -> None:
    data = f'<bpmn:definitions {BPMN_NS}><bpmn:documentation>{"x" * (11 * 1024 * 1024)}</bpmn:documentation></bpmn:definitions>'
    with pytest.raises(BpmnError) as error:
        parse_diagram(data.encode(), "big.bpmn")
    assert str(error.value) == "big.bpmn:1: not well-formed XML: Resource limit exceeded: Text node too long, try XML_PARSE_HUGE"
