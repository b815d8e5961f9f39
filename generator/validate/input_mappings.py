"""What the FEEL of input mappings reads: variables no earlier input provides, and targets of
inputs mapped later.

Zeebe evaluates a task's input mappings in order, each in the scope of the process plus the
inputs mapped before it. A Hidden input whose FEEL reads a name no earlier input provides reads
a process variable of that name, usually null: `=if action_document_documentSource = "camunda"
...` in a template whose input is `action.action_document_documentSource` always takes the else
branch (`feel-unknown-variable`). An input that reads the target of an input mapped *after* it
reads the process variable too, not that input (`input-order`). A target `a.b` provides `a`.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.feel import FeelSyntaxError, ast, parse
from generator.problems import Problem
from generator.validate.feel_syntax import feel_value
from generator.validate.findings import finding

if TYPE_CHECKING:
    from generator.validate.rules import TemplateView

# Variables Camunda's runtime provides to input mappings besides the process variables:
# engine-resolved secrets (`camunda.secrets.NAME`, 8.10) and what the AI Agent connector
# documents for its task and ad-hoc sub-process (`agent`, `toolCall`, `toolCallResult(s)`).
RUNTIME_VARIABLES = frozenset(("camunda", "agent", "toolCall", "toolCallResult", "toolCallResults"))


def free_names(tree: ast.Node) -> set[str]:
    """The variable names an expression reads from its scope (not the ones it binds itself:
    context entries, `for`/`some`/`every` iterators, function parameters). Names inside a
    filter condition may be fields of the filtered items and are left out."""
    found: set[str] = set()

    def visit(node: ast.Node, bound: frozenset[str]) -> None:
        if isinstance(node, ast.Name):
            if node.name not in bound:
                found.add(node.name)
        elif isinstance(node, ast.ContextLiteral):
            scope = set(bound)
            for key, value in node.entries:
                visit(value, frozenset(scope))
                scope.add(key)
        elif isinstance(node, ast.FunctionDefinition):
            visit(node.body, bound | frozenset(node.params))
        elif isinstance(node, (ast.For, ast.Quantified)):
            scope = set(bound)
            for name, source in node.iterators:
                visit(source, frozenset(scope))
                scope.add(name)
            scope.add("partial")
            visit(node.body if isinstance(node, ast.For) else node.condition, frozenset(scope))
        elif isinstance(node, ast.Filter):
            visit(node.base, bound)
        else:
            for child in node.children():
                visit(child, bound)

    visit(tree, frozenset())
    return found


@functools.lru_cache(maxsize=16384)
def names_read(expression: str) -> frozenset[str] | None:
    """`free_names` of a FEEL expression (None when it does not parse), cached per text: the
    versions of a template repeat their input mappings."""
    try:
        return frozenset(free_names(parse(expression).tree))
    except (FeelSyntaxError, RecursionError):
        return None


def input_mapping_reads(view: TemplateView) -> Iterator[Problem]:
    """feel-unknown-variable and input-order over the template's zeebe:input properties."""
    inputs: list[tuple[int, dict[str, Any], str]] = []
    for index, prop in view.bound("zeebe:input"):
        if isinstance(prop["binding"].get("name"), str):
            inputs.append((index, prop, prop["binding"]["name"]))
    if not inputs:
        return
    roots = [target.split(".", 1)[0] for _, _, target in inputs]
    first: dict[str, int] = {}  # root -> the rank of the first input that provides it
    last: dict[str, int] = {}  # and of the last one
    for rank, root in enumerate(roots):
        first.setdefault(root, rank)
        last[root] = rank
    ids_to_targets = {prop["id"]: target for _, prop, target in inputs if isinstance(prop.get("id"), str)}
    for rank, (index, prop, _) in enumerate(inputs):
        value = feel_value(prop)
        names = names_read(value) if value is not None else None
        if names is None:
            continue  # not FEEL, or feel-syntax reports it
        # a name an earlier input provides is read from it; else from a later one, or from nowhere
        read_later = sorted(name for name in names if first.get(name, rank) >= rank and last.get(name, rank) > rank)
        if read_later:
            listed = ", ".join(read_later)
            yield finding("input-order", view.property_pointer(index, "value"),
                          f"this input mapping reads {listed}, the target of an input mapped after it: Zeebe maps inputs in "
                          f"order, so it reads the process variable {listed} instead; move this property below it")
        if prop.get("type") != "Hidden":
            continue
        unknown = sorted(name for name in names - RUNTIME_VARIABLES if first.get(name, rank) >= rank and last.get(name, rank) <= rank)
        if unknown:
            yield finding("feel-unknown-variable", view.property_pointer(index, "value"),
                          f"this Hidden input mapping reads {_listed(unknown)}, which no earlier input of the template provides, so "
                          f"it reads process variables of that name (usually null){_hint(unknown, ids_to_targets, set(roots[:rank]))}")


def _listed(names: list[str]) -> str:
    return ", ".join(json.dumps(name) for name in names)


def _hint(unknown: list[str], ids_to_targets: dict[str, str], provided: set[str]) -> str:
    """How to read the input the author probably meant."""
    hints = []
    for name in unknown:
        if name in ids_to_targets and ids_to_targets[name] != name:
            hints.append(f'"{name}" is a property id: its input is "{ids_to_targets[name]}"')
        else:
            close = difflib.get_close_matches(name, provided, n=1, cutoff=0.8)
            if close:
                hints.append(f'did you mean "{close[0]}"?')
    return "; " + "; ".join(hints) if hints else "; read the target of an earlier input"
