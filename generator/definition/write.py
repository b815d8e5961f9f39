"""Write a definition's data as YAML text that reads back as exactly that data.

Short leaf mappings go on one line (`{label: Title, group: body}`), everything else in block style;
text that YAML 1.1 would read as something else (`Yes`, `2024-10-21`, `1.0`) is quoted; the text is
read back before it is returned, so a writer bug can never produce a definition that means something
else. ruamel.yaml writes it (it keeps comments when `etk from-openapi` merges into a user's file).
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

#: Mappings whose one-line form is at most this long are written in flow style (`{label: X, ...}`).
FLOW_WIDTH = 100
_PLAIN_FLOW = re.compile(r"^[A-Za-z_][A-Za-z0-9_ .()/-]*$")
#: Top-level sections that get a blank line before them.
SECTIONS = ("groups", "authentication", "fields", "request", "operations", "properties", "template", "example")


def ruamel_yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml


def styled(value: Any, indent: int = 0) -> Any:
    """`value` as ruamel data: short leaf mappings in flow style, everything else in block style."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        result = CommentedMap()
        for key, item in value.items():
            # a key YAML 1.1 would misread (a choice `Off`, `Yes`, `1.0`) is quoted like a value
            result[styled(key) if isinstance(key, str) else key] = styled(item, indent + 2)
        leaf = all(not isinstance(item, (dict, list)) or (isinstance(item, dict) and len(item) <= 2
                                                           and all(not isinstance(x, (dict, list)) for x in item.values()))
                   for item in value.values())
        one_line = json.dumps(value, ensure_ascii=False)
        if value and leaf and len(one_line) + indent <= FLOW_WIDTH:
            _flow(result)
        return result
    if isinstance(value, list):
        sequence = CommentedSeq(styled(item, indent + 2) for item in value)
        if all(not isinstance(item, (dict, list)) for item in value):
            sequence.fa.set_flow_style()
        return sequence
    if isinstance(value, str) and _ambiguous(value):
        from ruamel.yaml.scalarstring import SingleQuotedScalarString

        return SingleQuotedScalarString(value)
    return value


def _ambiguous(text: str) -> bool:
    """Whether a plain `text` would read back as something else under YAML 1.1 (`Yes`, `1.0`, `2024-10-21`)."""
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]  # unannotated in PyYAML's stubs
    return bool(tag != "tag:yaml.org,2002:str")


def _flow(mapping: Any) -> None:
    """Write `mapping` on one line, quoting text that a plain flow scalar would misread (`?`, `,`, ...)."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import SingleQuotedScalarString

    mapping.fa.set_flow_style()
    for key, item in mapping.items():
        if isinstance(item, CommentedMap):
            _flow(item)
        elif isinstance(item, str) and (not _PLAIN_FLOW.match(item) or _ambiguous(item)):
            mapping[key] = SingleQuotedScalarString(item)


def definition_text(data: dict[str, Any], header: list[str]) -> str:
    """The definition file: comment lines, then the data (short mappings on one line)."""
    stream = io.StringIO()
    ruamel_yaml().dump(styled(data), stream)
    body = stream.getvalue()
    # blank lines between the top-level sections make the file easier to read
    lines = body.splitlines()
    spaced = []
    for index, line in enumerate(lines):
        if index and line and not line[0].isspace() and line.split(":")[0] in SECTIONS:
            spaced.append("")
        spaced.append(line)
    text = "\n".join([*header, *spaced]) + "\n"
    if yaml_data(text) != data:  # never write a file that reads back differently
        raise AssertionError("the generated definition does not read back as written")
    return text


def yaml_data(text: str) -> Any:
    """`text` read as plain data (how `etk build` will read it)."""
    import yaml

    return yaml.safe_load(text)
