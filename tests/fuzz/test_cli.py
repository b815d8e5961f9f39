"""Fuzzing every command with hostile files and arguments: templates with a wrong JSON type or a
huge number at any position (or under a key the format knows, added), files that are empty, arrays, scalars or random bytes, directories where files are
expected and the reverse, random `--set`/`--var`/`--secret` values and option values, response
bytes from a server that speaks no HTTP. Every case must end as the command documents (see
`contract.py`); the budget is in `budget.py`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.runtime.loopback import RawServer

from .budget import FUZZ
from .contract import etk_keeps_its_contract
from .mutation import mappings, positions, removed, replaced, schema_keys

REPO = Path(__file__).resolve().parents[2]
DIAGRAM = REPO / "tests" / "bpmn" / "diagrams" / "task.bpmn"
TEMPLATES = [REPO / "tests" / "apply" / "templates" / "basic.json", REPO / "dist" / "rest.json"]
BASE = [json.loads(path.read_text(encoding="utf-8")) for path in TEMPLATES]

HOSTILE_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**53 + 1, 10**400, -(10**400), 10**999]),  # past JavaScript's integers, past a double
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["", " ", "=", "==", "=[", "{{secrets.X}}",
                                                                       "secrets.a/b", "\u0000", "\ud7ff", "=" + "(" * 300,
                                                                       "x" * 5000, "1e999", "bpmn:Task", "zeebe:input", "^" + "9" * 5000,
                                                                       "zeebe:taskHeader", "elementTemplateId", "Dropdown"]),
    st.text(max_size=40),
)
HOSTILE_VALUES = st.recursive(HOSTILE_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)), max_leaves=6)


# the members the format defines, and a few etk reads, to add where a template lacks them
TEMPLATE_KEYS = [*schema_keys(json.loads((REPO / "schemas" / "element-template.schema.json").read_text(encoding="utf-8"))),
                 "x-etk-ignore"]


@st.composite
def mutated_templates(draw: st.DrawFn) -> Any:
    """A valid template with one to three changes: the value at a position replaced by a hostile
    value or removed, or a member the format knows added with a hostile value."""
    document = draw(st.sampled_from(BASE))
    for _ in range(draw(st.integers(1, 3))):
        change = draw(st.sampled_from(["replace", "remove", "add"]))
        places = mappings(document)  # none once the root itself was replaced by a scalar or a list
        if change == "add" and places:
            key = draw(st.one_of(st.sampled_from(TEMPLATE_KEYS), st.text(max_size=8)))
            document = replaced(document, (*draw(st.sampled_from(places)), key), draw(HOSTILE_VALUES))
            continue
        path = draw(st.sampled_from(positions(document)))
        document = removed(document, path) if path and change == "remove" else replaced(document, path, draw(HOSTILE_VALUES))
    return document


def template_commands(path: str, assignments: list[str]) -> list[list[str]]:
    sets = [part for value in assignments for part in ("--set", value)]
    return [
        ["validate", path],
        ["apply", path, str(DIAGRAM), "-e", "Task_1", "-o", "-", *sets],
        ["diagram", path, "-o", "-", *sets],
        ["run", path, "--dry-run", *sets],
    ]


ASSIGNMENTS = st.lists(st.one_of(
    st.builds(lambda key, value: f"{key}={value}", st.sampled_from(["url", "method", "body", "headers", "name",
                                                                     "retries", "mode", "resultExpression", "x"]),
              HOSTILE_SCALARS.map(lambda value: value if isinstance(value, str) else json.dumps(value))),
    st.text(max_size=20)), max_size=3)


@FUZZ
@given(document=mutated_templates(), assignments=ASSIGNMENTS)
def test_templates_with_a_wrong_type_anywhere(tmp_path_factory, document, assignments):
    path = tmp_path_factory.mktemp("t") / "template.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    for arguments in template_commands(str(path), assignments):
        etk_keeps_its_contract(*arguments)


FILE_CONTENTS = st.one_of(
    st.sampled_from([b"", b"[]", b"{}", b"null", b"42", b'"x"', b"[1, 2]", b"[[]]", b"[{}]", b"\xef\xbb\xbf{}",
                     b"[" * 10_000, b'{"a":' * 3000, b"\xff\xfe{\x00}\x00", b"\x00" * 64, b"<bpmn/>"]),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda text: text.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(content=FILE_CONTENTS)
def test_files_of_any_shape_for_every_file_argument(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("f")
    hostile = folder / "hostile.json"
    hostile.write_bytes(content)
    bpmn = folder / "hostile.bpmn"
    bpmn.write_bytes(content)
    template = str(TEMPLATES[1])
    for arguments in (
        *template_commands(str(hostile), []),
        ["apply", template, str(bpmn), "-e", "Task_1", "-o", "-"],
        ["apply", template, str(DIAGRAM), "-e", "Task_1", "--previous", str(hostile), "-o", "-"],
        ["run", str(bpmn), "--element", "Task_1", "--dry-run"],
        ["run", template, "--dry-run", "--set", "url=http://x/", "--vars-file", str(hostile)],
        ["run", template, "--dry-run", "--set", "url=http://x/", "--secrets-file", str(hostile)],
        ["run", template, "--dry-run", "--set", "url=http://x/", "--secrets-file", str(folder / "hostile.env")],
        ["feel", "x", "--vars-file", str(hostile)],
        ["import", str(hostile), "-o", str(folder / "imported" / "x.yaml")],
        ["preview", str(hostile), "-o", str(folder / "preview.html")],
        ["from-openapi", str(hostile), "-o", str(folder / "generated" / "x.yaml")],
    ):
        (folder / "hostile.env").write_bytes(content)
        etk_keeps_its_contract(*arguments)


def test_directories_where_files_belong_and_files_where_directories_belong(tmp_path):
    template = str(TEMPLATES[1])
    a_file = tmp_path / "file.json"
    a_file.write_text("{}", encoding="utf-8")
    folder = str(tmp_path)
    for arguments in (
        *template_commands(folder, []),
        ["apply", template, folder, "-e", "Task_1", "-o", "-"],
        ["apply", template, str(DIAGRAM), "-e", "Task_1", "-o", folder],
        ["diagram", template, "-o", folder],
        ["run", template, "--dry-run", "--vars-file", folder],
        ["run", template, "--dry-run", "--secrets-file", folder],
        ["run", template, "--ca-file", folder, "--set", "url=http://127.0.0.1:9/"],
        ["feel", "x", "--vars-file", folder],
        ["validate", folder],
        ["import", folder, "-o", str(tmp_path / "i.yaml")],
        ["import", template, "-o", folder],
        ["preview", folder, "-o", str(tmp_path / "p.html")],
        ["preview", template, "-o", folder],
        ["from-openapi", folder, "-o", str(tmp_path / "o.yaml")],
        ["build", str(a_file)],
        ["build", str(REPO / "templates"), "-o", str(a_file)],
        ["build", str(REPO / "templates"), "-o", str(a_file / "sub")],
        ["build", str(tmp_path / "missing")],
    ):
        etk_keeps_its_contract(*arguments)


TEXT_ARGUMENTS = st.text(max_size=30)


@FUZZ
@given(expression=TEXT_ARGUMENTS, var=TEXT_ARGUMENTS, value=TEXT_ARGUMENTS, secret=TEXT_ARGUMENTS,
       element=TEXT_ARGUMENTS, option=st.sampled_from(["--max-response-size", "--max-decompression-ratio", "--max-time",
                                                       "--template-version", "--connect-to", "--element"]))
def test_hostile_argument_values(expression, var, value, secret, element, option):
    template = str(TEMPLATES[1])
    etk_keeps_its_contract("feel", expression, "--var", f"{var}={value}")
    etk_keeps_its_contract("feel", "--unary-tests", expression or "x", "--input", value)
    etk_keeps_its_contract("run", template, "--dry-run", "--set", "url=http://x/", "--var", f"{var}={value}",
                           "--secret", secret)
    etk_keeps_its_contract("run", template, "--dry-run", "--set", "url=http://x/", option, value)
    etk_keeps_its_contract("apply", template, str(DIAGRAM), "-e", element or "x", "-o", "-")
    etk_keeps_its_contract("diagram", template, "-o", "-", "--template-version", value)


def test_arguments_that_are_not_utf8():
    broken = os.fsdecode(b"url=http://x/\xff")
    etk_keeps_its_contract("run", str(TEMPLATES[1]), "--dry-run", "--set", broken)
    etk_keeps_its_contract("validate", os.fsdecode(b"\xfe.json"))


RESPONSES = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda status, headers, body: b"HTTP/1.1 " + status + b"\r\n" + headers + b"\r\n" + body,
              st.sampled_from([b"200 OK", b"404 Not Found", b"500 x", b"302 Found", b"99 x", b"200", b"abc"]),
              st.lists(st.sampled_from([b"Content-Length: 5\r\n", b"Content-Length: -1\r\n", b"Content-Encoding: gzip\r\n",
                                        b"Transfer-Encoding: chunked\r\n", b"Location: /x\r\n", b"Content-Type: application/json\r\n",
                                        b"X: \xff\r\n", b"Set-Cookie: a=b\r\n"]), max_size=4).map(b"".join),
              st.binary(max_size=200)),
)


@FUZZ
@given(response=RESPONSES, expression=st.sampled_from(["", "={a: body}", "={a: response.body.x[1]}", "=body"]))
def test_any_bytes_a_server_answers(response, expression):
    with RawServer(response) as server:
        arguments = ["run", str(TEMPLATES[1]), "--set", f"url={server.url('/x')}", "--set", "resultVariable=r",
                     "--set", "followRedirects=true", "--max-time", "5"]
        if expression:
            arguments += ["--set", f"resultExpression={expression}"]
        etk_keeps_its_contract(*arguments)
