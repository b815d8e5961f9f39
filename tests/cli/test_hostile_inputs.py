"""Regression tests for every input of issue 14 that once ended in a Python traceback or in
invalid output. Each is one row of `CASES`: the files it needs, the command, and exactly what etk
answers: `etk: error: <where>: <what>` with exit 2, or the documented job outcome of `etk run`.
Every row also checks that nothing escaped as an exception and that no file was written or
changed (no half-written output)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from tests.etk_cli import snapshot
from tests.runtime.loopback import LoopbackServer, Reply

REPO = Path(__file__).resolve().parents[2]
REST = str(REPO / "dist" / "rest.json")
DIAGRAM = str(REPO / "tests" / "bpmn" / "diagrams" / "task.bpmn")
VALID = (REPO / "dist" / "rest.json").read_text(encoding="utf-8")
DEFINITION = (REPO / "templates" / "rest.yaml").read_text(encoding="utf-8")
ICON = (REPO / "templates" / "rest.svg").read_bytes()
PACKAGE_JSON = (REPO / "tools" / "package.json").read_bytes()


def template_with(pattern: str, new: str) -> bytes:
    """dist/rest.json with the first match of `pattern` replaced by `new`."""
    assert re.search(pattern, VALID)
    return re.sub(pattern, lambda _: new, VALID, count=1).encode("utf-8")


def definition_with(pattern: str, new: str) -> dict[str, bytes]:
    """A definition folder: templates/rest.yaml with the first match of `pattern` replaced."""
    assert re.search(pattern, DEFINITION)
    return {"defs/rest.yaml": re.sub(pattern, lambda _: new, DEFINITION, count=1).encode(), "defs/rest.svg": ICON}


def line_of(pattern: str, text: str) -> int:
    """The line number of the first match of `pattern` in `text`."""
    match = re.search(pattern, text)
    assert match is not None
    return text.count("\n", 0, match.start()) + 1


@dataclass(frozen=True)
class Case:
    """One hostile input: `files` written into an empty working folder, `arguments` given to etk
    there (`{url}` is a loopback server answering `reply`), and the exact answer expected."""

    arguments: tuple[str, ...]
    exit_code: int
    stderr: str
    files: dict[str, bytes] = field(default_factory=dict)
    stdout: str | None = None  # exactly, when given
    job: dict[str, str] | None = None  # for a failed job: the error variable `etk run` prints
    reply: bytes | None = None
    first_line_only: bool = False  # `stderr` is the first line (the findings follow, as validate lists them)


def runs(template: str, *more: str) -> tuple[str, ...]:
    return ("run", template, "--dry-run", *more)


def applies(template: str) -> tuple[str, ...]:
    return ("apply", template, DIAGRAM, "-e", "Task_1", "-o", "out.bpmn")


def draws(template: str) -> tuple[str, ...]:
    return ("diagram", template, "-o", "out.bpmn")


UNKNOWN_HOST = {"type": "io.camunda.connector.api.error.ConnectorException",
                "message": "An error occurred while executing the request, or the connection was aborted", "code": "408"}
IDNA = "not a valid DNS name (encoding with 'idna' codec failed (UnicodeError: label empty or too long))"
DEEP = "invalid JSON: nested more than 500 levels deep (etk reads at most 500)"
LONG_NUMBER = "a number with 5,000 digits is longer than etk reads (1,000 digits at most)"
NOT_UTF8 = "the file is not UTF-8 text: byte 0xFF cannot start or continue a character"
SURROGATE = "invalid JSON: \\ud800 is half of a UTF-16 surrogate pair, not a character"
EMPTY = "the file holds no template (an empty array)"
VERSION_LINE, NAME_LINE = line_of('"version"', VALID), line_of('"name"', VALID)
CONDITION_LINE = line_of('"condition"', VALID)
HEADER_LINE, ENGINES_LINE = line_of('"value": "io.etk.connectors.Rest.v1"', VALID), line_of('"camunda"', VALID)

TEMPLATES = {
    "invalid-utf8": (b'{"id": "a\xff", "properties": []}', f"t.json:1:10: {NOT_UTF8}"),
    "utf16": (VALID.encode("utf-16"), "t.json:1:1: the file is UTF-16 text; JSON files must be UTF-8"),
    "5000-digit-integer": (template_with(r'"version": \d+', '"version": ' + "9" * 5000), f"t.json:{VERSION_LINE}:14: {LONG_NUMBER}"),
    "deep-array": (b"[" * 5000 + b"]" * 5000, f"t.json:1:501: {DEEP}"),
    "lone-surrogate": (template_with(r'"name": "[^"]*"', '"name": "\\ud800"'), f"t.json:{NAME_LINE}:12: {SURROGATE}"),
    "empty-array": (b"[]", f"t.json: {EMPTY}"),
}

CASES: dict[str, Case] = {
    # etk run: host names no resolver takes fail the job like an unknown host (Java's resolver)
    **{f"run-host-{name}": Case(("run", REST, "--set", f"url=http://{host}/"), 1,
                                f"etk: unknown host '{host}': {IDNA}\n", job=UNKNOWN_HOST)
       for name, host in [("empty-label", "a..b"), ("64-char-label", "a" * 64 + ".example"), ("dot", ".")]},
    "run-host-bad-punycode": Case(("run", REST, "--set", "url=http://xn--zz/"), 1,
                                  "etk: unknown host 'xn--zz': not a valid DNS name (Invalid A-label)\n", job=UNKNOWN_HOST),
    # a response nested 1,000 levels: Jackson's reader refuses it, the body stays text
    "run-response-nested-1000": Case(("run", REST, "--set", "url={url}", "--set", "resultExpression={body: response.body}"),
                                     0, "", reply=b"[" * 1000 + b"]" * 1000,
                                     stdout=json.dumps({"body": "[" * 1000 + "]" * 1000}, indent=2) + "\n"),
    # templates every command refuses with validate's message
    **{f"{command}-{name}": Case(arguments("t.json"), 2, f"etk: error: {message}\n", files={"t.json": content})
       for name, (content, message) in TEMPLATES.items()
       for command, arguments in [("run", runs), ("apply", applies), ("diagram", draws)]},
    "run-package-json": Case(runs("package.json"), 2, files={"package.json": PACKAGE_JSON}, stderr=(
        "etk: error: package.json: 4 errors (what `etk validate` reports); etk uses valid templates only:\n"
        '  package.json:1:1: missing "$schema": the Modeler rejects templates without it; add "$schema": '
        '"https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json"\n'
        '  package.json:1:1: missing required key "appliesTo"\n'
        '  package.json:1:1: missing required key "id"\n'
        '  package.json:1:1: missing required key "properties"\n')),
    "run-properties-string": Case(runs("t.json"), 2, files={"t.json": template_with(r'"properties": \[', '"properties": "x", "p": [')},
                                  stderr="etk: error: t.json: 16 errors (what `etk validate` reports); etk uses valid templates only:\n",
                                  first_line_only=True),
    # command-line values
    "run-set-not-utf8": Case(runs(REST, "--set", os.fsdecode(b"url=http://x/\xff")), 2,
                             "etk: error: argument 5 is not UTF-8 text (byte 0xFF at character 14); give text in UTF-8 "
                             "(see 'etk --help')\n"),
    "feel-var-deep": Case(("feel", "x", "--var", "x=" + "[" * 3000 + "]" * 3000), 2, f"etk: error: --var x: {DEEP}\n"),
    "feel-var-5000-digits": Case(("feel", "x", "--var", "x=" + "9" * 5000), 2, f"etk: error: --var x: {LONG_NUMBER}\n"),
    "feel-var-repeated-key": Case(("feel", "x", "--var", 'x={"a": 1, "a": 2}'), 2,
                                  'etk: error: --var x: key "a" appears twice in the same object; JSON readers keep only '
                                  "the last one\n"),
    "feel-vars-file-deep": Case(("feel", "x", "--vars-file", "v.json"), 2, f"etk: error: v.json:1:506: {DEEP}\n",
                                files={"v.json": b'{"x": ' + b"[" * 600 + b"]" * 600 + b"}"}),
    "feel-vars-file-5000-digits": Case(("feel", "x", "--vars-file", "v.json"), 2, f"etk: error: v.json:1:7: {LONG_NUMBER}\n",
                                       files={"v.json": b'{"x": ' + b"9" * 5000 + b"}"}),
    "run-secrets-file-deep": Case(runs(REST, "--secrets-file", "s.json"), 2, f"etk: error: s.json:1:506: {DEEP}\n",
                                  files={"s.json": b'{"x": ' + b"[" * 600 + b"]" * 600 + b"}"}),
    "run-secrets-file-5000-digits": Case(runs(REST, "--secrets-file", "s.json"), 2,
                                         f"etk: error: s.json:1:7: {LONG_NUMBER}\n",
                                         files={"s.json": b'{"x": ' + b"9" * 5000 + b"}"}),
    # characters XML cannot hold (found by the long fuzz run)
    "apply-set-nul": Case(("apply", REST, DIAGRAM, "-e", "Task_1", "-o", "out.bpmn", "--set", "url=http://x/\x00"), 2,
                          "etk: error: the value of source holds U+0000, a character XML cannot hold (a BPMN file is "
                          "XML 1.0)\n"),
    "diagram-template-control-character": Case(draws("t.json"), 2,
                                               "etk: error: the value of source holds U+0001, a character XML cannot hold "
                                               "(a BPMN file is XML 1.0)\n",
                                               files={"t.json": template_with(r'"value": "GET"', '"value": "GET\\u0001"')}),
    "diagram-template-name-control-character": Case(draws("t.json"), 2,
                                                    "etk: error: the value of name holds U+0001, a character XML cannot "
                                                    "hold (a BPMN file is XML 1.0)\n",
                                                    files={"t.json": template_with(r'"name": "[^"]*"', '"name": "A\\u0001"')}),
    "feel-unary-tests-blank-line": Case(("feel", "--unary-tests", "\n", "--input", ""), 2,
                                        "etk: error: 2:1: the unary tests are empty\n  \n  ^\n"),
    "feel-error-after-the-last-line": Case(("feel", "1 +\n"), 2,
                                           "etk: error: 2:1: expected an expression after '+'\n  \n  ^\n"),
    # limits that would bound nothing (NaN compares false with everything)
    **{f"run-{option[2:]}-{text}": Case(runs(REST, option, text), 2,
                                       f"etk: error: run: Invalid value for '{option}': {text!r} is not a finite number "
                                       "(see 'etk run --help')\n")
       for option in ("--max-time", "--max-decompression-ratio") for text in ("nan", "inf")},
    "run-max-time-not-a-number": Case(runs(REST, "--max-time", "abc"), 2,
                                      "etk: error: run: Invalid value for '--max-time': 'abc' is not a number "
                                      "(see 'etk run --help')\n"),
    # --connect-to ports out of TCP's range, in a dry run too
    **{f"run-connect-to-port-{port}": Case(runs(REST, "--connect-to", f"a.example:{port}:127.0.0.1:8443"), 2,
                                           f"etk: error: --connect-to 'a.example:{port}:127.0.0.1:8443': port '{port}' is "
                                           "not a TCP port: give 1 to 65535, or leave it empty\n")
       for port in ("99999", "65536", "0", "-1", "x", "\u0663")},
    "run-connect-to-target-port-5000-digits": Case(
        runs(REST, "--connect-to", "::127.0.0.1:" + "9" * 5000), 2,
        f"etk: error: --connect-to '::127.0.0.1:{'9' * 5000}': port '99999999... (5,000 characters)' is not a TCP port: "
        "give 1 to 65535, or leave it empty\n"),
    # FEEL: a fractional index is cut toward zero (feel-scala), out of range is null
    "feel-fractional-index": Case(("feel", "--", "[][0.5]"), 0, "", stdout="null\n"),
    # etk build on hostile definitions: each problem at its place, nothing written
    **{f"build-{name}": Case(("build", "defs", "-o", "out"), 2,
                             "etk: error: " + problems.format(line=line_of(pattern, DEFINITION)) + "\n",
                             files=definition_with(pattern, new))
       for name, pattern, new, problems in [
           ("deep-yaml", r"description: .*", "description: " + "[" * 150 + "]" * 150,
            "2 problems in the definition\ndefs/rest.yaml:{line}:14: expected text, got a list\n"
            "defs/rest.yaml:{line}:114: invalid YAML: nested more than 100 levels deep"),
           ("5000-digit-version", r"version: \d+", "version: " + "9" * 5000,
            "1 problem in the definition\ndefs/rest.yaml:{line}:10: the number is too long (5,000 characters)"),
           ("keywords-true", r"keywords: \[.*\]", "keywords: true",
            "1 problem in the definition\ndefs/rest.yaml:{line}:11: expected a list, got a boolean (true)"),
           ("appliesTo-5", r"appliesTo: \[bpmn:Task\]", "appliesTo: 5",
            "1 problem in the definition\ndefs/rest.yaml:{line}:12: expected a list, got an integer (5)"),
           ("oneOf-null", r"oneOf: \[POST, PUT, PATCH\]}", "oneOf: null}",
            "1 problem in the definition\ndefs/rest.yaml:{line}:42: expected a list, got nothing (null)"),
       ]},
    # wrong YAML types the definition reader met before the schema check's report (long fuzz run)
    **{f"build-{name}": Case(("build", "defs", "-o", "out"), 2,
                             "etk: error: 1 problem in the definition\n"
                             + problem.format(line=line_of(pattern, DEFINITION) + line_offset) + "\n",
                             files=definition_with(pattern, new))
       for name, pattern, new, line_offset, problem in [
           ("docs-links-5", r"  links:\n(?:    .*\n)+", "  links: 5\n", 0, "defs/rest.yaml:{line}:10: expected a list, got an integer (5)"),
           ("docs-prerequisites-5", r"  prerequisites:\n(?:    .*\n)+", "  prerequisites: 5\n", 0,
            "defs/rest.yaml:{line}:18: expected a list, got an integer (5)"),
           ("docs-sections-5", r"  links:", "  sections: 5\n  links:", 0, "defs/rest.yaml:{line}:13: expected a list, got an integer (5)"),
           ("docs-example-volatile-5", r"    title: List your", "    volatile: 5\n    title: List your", 0,
            "defs/rest.yaml:{line}:15: expected a list, got an integer (5)"),
           ("auth-choice-default-a-list", r"    apiKeyLocation:\n", "    apiKeyLocation:\n      default: [header]\n", 1,
            "defs/rest.yaml:{line}:16: expected text, got a list"),
       ]},
    # wrong JSON types and huge numbers in places the validator's rules read (long fuzz run)
    "validate-element-template-id-a-list": Case(
        ("validate", "t.json"), 1, "1 file(s): 2 error(s), 0 warning(s)\n",
        files={"t.json": template_with(r'"value": "io.etk.connectors.Rest.v1"', '"value": ["x"]')},
        stdout=f't.json:{HEADER_LINE}:16: error: "value" must be of type boolean or number or string, got ["x"] '
               f"(/properties/24/value)\nt.json:{HEADER_LINE}:16: error: a \"Hidden\" property needs a string or boolean "
               'value, got ["x"] (/properties/24/value)\n'),
    "validate-engines-5000-digits": Case(
        ("validate", "t.json"), 1, "1 file(s): 1 error(s), 0 warning(s)\n",
        files={"t.json": template_with(r'"camunda": "\^8.6"', '"camunda": "^' + "9" * 5000 + '"')},
        stdout=f"t.json:{ENGINES_LINE}:16: error: engines.camunda is not a valid semver range: the version number "
               "99999999... (5,000 digits) is larger than npm's semver allows (9007199254740991) (/engines/camunda)\n"),
    "validate-schema-version-5000-digits": Case(
        ("validate", "t.json"), 0, "1 file(s): 0 error(s), 1 warning(s)\n",
        files={"t.json": template_with("json-schema/resources", "json-schema@" + "9" * 5000 + ".0.0/resources")},
        stdout=f"t.json:2:14: warning: $schema pins version {'9' * 5000}.0.0, newer than 0.46.0 which etk knows; "
               "Modelers bundling an older schema reject the template (an unversioned URL avoids that) (/$schema)\n"),
    "validate-condition-on-a-number-past-a-double": Case(
        ("validate", "t.json"), 0, "1 file(s): 0 error(s), 0 warning(s)\n", stdout="",
        files={"t.json": template_with(r'"properties": \[', '"properties": [{"id": "n", "label": "N", "type": "Number", '
                                       '"binding": {"type": "zeebe:input", "name": "n"}}, {"id": "m", "label": "M", '
                                       '"type": "String", "binding": {"type": "zeebe:input", "name": "m"}, "condition": '
                                       '{"property": "n", "equals": ' + "9" * 400 + "}},")}),
    # the folder rules compare them without a traceback; each is reported as a version the Modeler reads otherwise
    "validate-two-current-versions-past-a-double": Case(
        ("validate", "a.json", "b.json"), 1, "2 file(s): 2 error(s), 0 warning(s)\n",
        stdout="".join(f"{name}:7:14: error: version {digit * 8}... (400 digits) is past JavaScript's largest safe integer "
                       "(9007199254740991): the Modeler reads it as Infinity; use a smaller version (/version)\n"
                       for name, digit in (("a.json", "9"), ("b.json", "8"))),
        files={"a.json": template_with(r'"version": 3', '"version": ' + "9" * 400).replace(b'"value": "3"', b'"value": "' + b"9" * 400 + b'"'),
               "b.json": template_with(r'"version": 3', '"version": ' + "8" * 400).replace(b'"value": "3"', b'"value": "' + b"8" * 400 + b'"')}),
    # a JavaScript pattern whose count has 5,000 digits (Python's int() stops at 4,300): V8 reads 2^31-1
    **{f"{command}-pattern-count-5000-digits": Case(arguments, 0, stderr, files={"t.json": template_with(
        r'"value": "\^\(=\|https\?://\|\\\\\{\\\\\{\|secrets\)\.\*"',
        '"value": "^(=|https?://|\\\\{\\\\{|secrets).{0,' + "9" * 5000 + '}"')})
       for command, arguments, stderr in [("validate", ("validate", "t.json"), "1 file(s): 0 error(s), 0 warning(s)\n"),
                                          ("apply", ("apply", "t.json", DIAGRAM, "-e", "Task_1", "--set", "url=http://x/", "-o", "-"), "")]},
    # keys that look like array indexes to str.isdigit() but are none: '²', 5,000 digits (found by the long fuzz run)
    "validate-keys-of-digits": Case(("validate", "t.json"), 0, "1 file(s): 0 error(s), 2 warning(s)\n",
                                    files={"t.json": template_with(r'\{\n  "\$schema"',
                                                                   '{"\u00b2": 1, "' + "9" * 5000 + '": 2, "$schema"')}),
    "from-openapi-ref-to-item-superscript-two": Case(
        ("from-openapi", "spec.json", "-o", "out/x.yaml"), 2,
        "etk: error: spec.json: no operation could be generated; see `etk from-openapi spec.json --scan` for why\n",
        files={"spec.json": json.dumps({
            "openapi": "3.0.0", "info": {"title": "T", "version": "1"}, "servers": [{"url": "https://x.example"}],
            "tags": [{"name": "a"}], "paths": {"/a": {"get": {"operationId": "getA", "parameters": [{"$ref": "#/tags/\u00b2"}],
                                                             "responses": {"200": {"description": "x"}}}}}}).encode()}),
    # allMatch as the Modeler reads it (`if (condition.allMatch)`): a null one leaves a simple
    # condition (etk apply iterated it: TypeError), a truthy one that is no list makes it throw
    "apply-condition-all-match-null": Case(
        ("apply", "t.json", DIAGRAM, "-e", "Task_1", "--set", "authentication.type=apiKey", "-o", "-"), 0,
        "etk: warning: Task_1: API key name must not be empty. (property 'authentication.name')\n"  # the condition holds
        "etk: warning: Task_1: API key value must not be empty. (property 'authentication.value')\n"
        "etk: warning: Task_1: URL must not be empty. (property 'url')\n",
        files={"t.json": template_with(r'"equals": "apiKey"\n', '"equals": "apiKey", "allMatch": null\n')}),
    "validate-condition-all-match-5": Case(
        ("validate", "t.json"), 1, "1 file(s): 1 error(s), 2 warning(s)\n",
        files={"t.json": template_with(r'"equals": "apiKey"\n', '"equals": "apiKey", "allMatch": 5\n')},
        stdout=f"t.json:{CONDITION_LINE}:20: error: a condition is either {{\"property\", and one of \"equals\", \"oneOf\", "
               '"isActive", "isEmpty"} or {"allMatch": [conditions]} (/properties/2/condition)\n'
               f't.json:{CONDITION_LINE + 1}:21: warning: unknown key "property" in a condition: the Modeler ignores it; '
               "the format defines allMatch, type (/properties/2/condition/property)\n"
               f't.json:{CONDITION_LINE + 2}:19: warning: unknown key "equals" in a condition: the Modeler ignores it; '
               "the format defines allMatch, type (/properties/2/condition/equals)\n"),
    "validate-pyproject-tool-not-a-table": Case(("validate", REST), 0, "1 file(s): 0 error(s), 0 warning(s)\n", stdout="",
                                                files={"pyproject.toml": b"tool = 5\n"}),
    "validate-baseline-deep": Case(("validate", REST, "--baseline", "b.json"), 2,
                                   f"etk: error: b.json:1:501: {DEEP}; recreate it with --update-baseline\n",
                                   files={"b.json": b"[" * 5000 + b"]" * 5000}),
    # numbers JSON cannot hold, reply headers HTTP cannot carry (the docs example's loopback server
    # printed a traceback for them)
    **{f"build-{name}": Case(("build", "defs", "-o", "out"), 2,
                             "etk: error: 1 problem in the definition\n"
                             + problem.format(line=line_of(pattern, DEFINITION) + line_offset) + "\n",
                             files=definition_with(pattern, new))
       for name, pattern, new, line_offset, problem in [
           ("number-default-nan", r"\nfields:\n", "\nfields:\n  limit: {type: Number, default: .nan}\n", 2,
            "defs/rest.yaml:{line}:34: .nan is not a number JSON can hold (no NaN or infinity): write a finite number, "
            "or quote it for text"),
           ("condition-equals-infinity", r"    condition: \{property: method, oneOf: \[POST, PUT, PATCH\]\}",
            "    condition: {property: method, equals: -.inf}", 0,
            "defs/rest.yaml:{line}:43: -.inf is not a number JSON can hold (no NaN or infinity): write a finite number, "
            "or quote it for text"),
           ("reply-header-value-two-lines", r"headers: \{Content-Type: application/json; charset=utf-8\}",
            'headers: {Content-Type: "application/json\\r\\nX-Injected: 1"}', 0,
            "defs/rest.yaml:{line}:33: the value of header 'Content-Type' is not one line of Latin-1 text, which "
            "HTTP/1.1 headers are"),
           ("reply-header-value-not-latin1", r"headers: \{Content-Type: application/json; charset=utf-8\}",
            "headers: {X-Name: \u4e00}", 0,
            "defs/rest.yaml:{line}:27: the value of header 'X-Name' is not one line of Latin-1 text, which HTTP/1.1 "
            "headers are"),
           ("reply-header-name-with-a-space", r"headers: \{Content-Type: application/json; charset=utf-8\}",
            "headers: {Content Type: x}", 0,
            "defs/rest.yaml:{line}:19: 'Content Type' is not an HTTP header name (letters, digits and "
            "!#$%&'*+-.^_`|~)"),
       ]},
    "build-version-past-javascript-integers": Case(
        ("build", "defs", "-o", "out"), 2, "etk: error: 1 problem in the definition\n"
        f"defs/rest.yaml:{line_of(r'version: ', DEFINITION)}:10: must be at most 9007199254740991, got 99999999... (4,000 digits)\n",
        files=definition_with(r"version: \d+", "version: " + "9" * 4000)),
    "build-definition-name-too-long": Case(
        ("build", "defs", "-o", "out"), 2, "etk: error: 1 problem in the definition\n"
        f"defs/{'r' * 230}.yaml: the name before .yaml is 230 bytes long; etk names the files it writes after it "
        "(dist/versioned/<name>-<version>.json, and a temporary file beside each), so it may be at most 200 bytes: "
        "rename the file\n",
        files={f"defs/{'r' * 230}.yaml": DEFINITION.encode(), "defs/rest.svg": ICON}),
    "build-icon-name-too-long": Case(
        ("build", "defs", "-o", "out"), 2, "etk: error: 1 problem in the definition\n"
        f"defs/rest.yaml:{line_of(r'icon: ', DEFINITION)}:7: icon file '{'x' * 300}.svg' not found next to the definition "
        f"(defs/{'x' * 300}.svg)\n",
        files=definition_with(r"icon: rest.svg", "icon: " + "x" * 300 + ".svg")),
    # what `etk build` finds in the output folder
    **{f"build-over-{name}": Case(
        ("build", "defs", "-o", "out"), 2, "etk: error: nothing written: 1 problem with dist/\n"
        f"out/rest.json is not an element template written by etk ({reason}): restore it from version control, or "
        "delete it to start over\n", files={"defs/rest.yaml": DEFINITION.encode(), "defs/rest.svg": ICON, **dist})
       for name, dist, reason in [
           ("a-folder", {"out/rest.json/x": b""}, "cannot read the template: it is a directory"),
           ("invalid-utf8", {"out/rest.json": b"\xff"}, "the file is not UTF-8 text: byte 0xFF cannot start or continue a character"),
           ("deep-json", {"out/rest.json": b"[" * 5000}, "invalid JSON: nested more than 500 levels deep (etk reads at most 500)"),
       ]},
    "build-into-a-file": Case(("build", str(REPO / "templates"), "-o", "README.md"), 2,
                              "etk: error: README.md: is a file; -o/--output names the folder the templates go to\n",
                              files={"README.md": b"# keep me\n"}),
    "build-below-a-file": Case(("build", str(REPO / "templates"), "-o", "README.md/dist"), 2,
                               "etk: error: README.md/dist/azure-openai.json: cannot write: Not a directory\n",
                               files={"README.md": b"# keep me\n"}),
}


@pytest.fixture(scope="module")
def server():
    with LoopbackServer() as running:
        yield running


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_input_gets_an_answer_not_a_traceback(name, tmp_path, monkeypatch, server):
    case = CASES[name]
    for relative, content in case.files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    if case.reply is not None:
        server.reply(Reply(200, case.reply, [("Content-Type", "application/json")]))
    arguments = [argument.replace("{url}", server.url("/")) for argument in case.arguments]
    result = CliRunner().invoke(main, arguments)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    stderr = result.stderr.partition("\n")[0] + "\n" if case.first_line_only else result.stderr
    assert (result.exit_code, stderr) == (case.exit_code, case.stderr), result.output
    assert "Traceback" not in result.output
    if case.exit_code == 2:
        assert result.stdout == ""
    if case.stdout is not None:
        assert result.stdout == case.stdout
    if case.job is not None:
        printed = json.loads(result.stdout)
        assert (printed["outcome"], printed["variables"]["error"]) == ("failed", case.job)
    assert snapshot(tmp_path) == case.files, "a file was written"


def test_python_m_generator_calls_itself_etk():
    def module(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "generator", *arguments], capture_output=True, text=True, cwd=REPO)

    assert module("--help").stdout.startswith("Usage: etk [OPTIONS] COMMAND [ARGS]...\n")
    assert module("run", "--help").stdout.startswith("Usage: etk run [OPTIONS] SOURCE\n")
    unknown = module("bogus")
    assert (unknown.returncode, unknown.stderr) == (2, "etk: error: No such command 'bogus' (see 'etk --help')\n")
    bad_value = module("run", REST, "--max-time", "x")
    assert (bad_value.returncode, bad_value.stderr) == (
        2, "etk: error: run: Invalid value for '--max-time': 'x' is not a number (see 'etk run --help')\n")


def strict_json(text: str):
    """`text` read as strict JSON: NaN and Infinity are no JSON values."""
    def refuse(constant: str):
        raise AssertionError(f"{constant} in the output is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_nan_and_infinity_from_a_server_never_print_as_invalid_json():
    with LoopbackServer() as server:
        server.reply(Reply(200, b'{"big": 1e400, "small": -1e999, "ok": 1.5}'), Reply(200, b'{"n": NaN}'))
        parsed = CliRunner().invoke(main, ["run", REST, "--set", f"url={server.url('/a')}", "--set", "resultVariable=r"])
        as_text = CliRunner().invoke(main, ["run", REST, "--set", f"url={server.url('/b')}", "--set", "resultVariable=r"])
    # Jackson reads 1e400 as an infinity and writes it as the string "Infinity"
    assert strict_json(parsed.stdout)["r"]["body"] == {"big": "Infinity", "small": "-Infinity", "ok": 1.5}
    # Jackson refuses NaN: the body stays text
    assert strict_json(as_text.stdout)["r"]["body"] == '{"n": NaN}'
