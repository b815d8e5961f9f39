"""The FEEL syntax tree: immutable node types the parser builds and the compiler translates.

Every node carries `pos`, the character offset where it starts in the expression text, so tools
that walk the tree (for example to find `fromAi(...)` calls) can point at the source. Nodes
compare by structure, not by position.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Node:
    """Base of every node."""

    pos: int = field(default=0, compare=False, kw_only=True)

    def children(self) -> Iterator[Node]:
        """The direct child nodes, in source order."""
        for name in self.__dataclass_fields__:
            yield from _nodes_in(getattr(self, name))


def _nodes_in(value: object) -> Iterator[Node]:
    if isinstance(value, Node):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _nodes_in(item)


def walk(node: Node) -> Iterator[Node]:
    """`node` and all its descendants, depth first, in source order (iterative, so deep trees
    cannot exhaust Python's stack)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


# ---- literals and names -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Literal(Node):
    """`null`, `true`, `false`, a number (`Decimal`) or a string (escapes already translated)."""

    value: bool | Decimal | str | None


@dataclass(frozen=True, slots=True)
class TemporalLiteral(Node):
    """`@"2024-01-02"`, `@"PT1H"`...: `text` is the string's value."""

    text: str


@dataclass(frozen=True, slots=True)
class Name(Node):
    """A variable reference (`x`, `` `content-type` ``)."""

    name: str


@dataclass(frozen=True, slots=True)
class InputValue(Node):
    """`?`, the input value of a unary test."""


@dataclass(frozen=True, slots=True)
class ListLiteral(Node):
    """`[a, b, c]`."""

    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class ContextLiteral(Node):
    """`{a: 1, "b c": 2}`: later entries may refer to earlier ones."""

    entries: tuple[tuple[str, Node], ...]


@dataclass(frozen=True, slots=True)
class RangeLiteral(Node):
    """`[1..10)`, `]a..b[`: a range value (as an argument) or an interval test."""

    start: Node
    end: Node
    start_included: bool
    end_included: bool


@dataclass(frozen=True, slots=True)
class FunctionDefinition(Node):
    """`function(a, b) a + b`."""

    params: tuple[str, ...]
    body: Node


# ---- access -------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Path(Node):
    """`base.key`: a context entry, a property (`year`, `time offset`), or mapped over a list."""

    base: Node
    key: str


@dataclass(frozen=True, slots=True)
class Filter(Node):
    """`base[condition]`: an index (`[1]`, `[-1]`) or a condition over `item` / the item's
    entries."""

    base: Node
    condition: Node


@dataclass(frozen=True, slots=True)
class FunctionCall(Node):
    """`name(args)` with positional `args` or `named_args` (never both). `target` is the
    context a qualified call (`a.b.f(x)`) looks the function up in, else None."""

    name: str
    args: tuple[Node, ...] = ()
    named_args: tuple[tuple[str, Node], ...] | None = None
    target: Node | None = None


@dataclass(frozen=True, slots=True)
class Invocation(Node):
    """`value(args)` where `value` is no name: `(function(x) x + 1)(2)`, `"abs"(-1)` (null)."""

    callee: Node
    args: tuple[Node, ...] = ()
    named_args: tuple[tuple[str, Node], ...] | None = None


# ---- operators ----------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Arithmetic(Node):
    """`left op right` with `op` one of `+ - * / **`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Negation(Node):
    """`-operand`."""

    operand: Node


@dataclass(frozen=True, slots=True)
class Comparison(Node):
    """`left op right` with `op` one of `= != < <= > >=`."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Between(Node):
    """`value between low and high` (both ends included)."""

    value: Node
    low: Node
    high: Node


@dataclass(frozen=True, slots=True)
class In(Node):
    """`value in test` / `value in (test, test)`: the tests see `value` as their input."""

    value: Node
    tests: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class InstanceOf(Node):
    """`value instance of type`."""

    value: Node
    type: TypeRef


@dataclass(frozen=True, slots=True)
class And(Node):
    """`a and b and c` (three-valued, left to right)."""

    operands: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or(Node):
    """`a or b or c` (three-valued, left to right)."""

    operands: tuple[Node, ...]


# ---- control ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class If(Node):
    """`if condition then a else b` (a non-boolean condition takes the else branch)."""

    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True, slots=True)
class IterationRange(Node):
    """`start..end` in `for`/`some`/`every`: the whole numbers from start to end (either way)."""

    start: Node
    end: Node


@dataclass(frozen=True, slots=True)
class For(Node):
    """`for a in x, b in y return body`: `partial` holds the results so far."""

    iterators: tuple[tuple[str, Node], ...]
    body: Node


@dataclass(frozen=True, slots=True)
class Quantified(Node):
    """`some|every a in x, b in y satisfies condition`."""

    quantifier: str
    iterators: tuple[tuple[str, Node], ...]
    condition: Node


# ---- unary tests --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class InputComparison(Node):
    """`< 3`, `>= x`: compares the input value with `operand`."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class InputInRange(Node):
    """`[1..10)` as a test: is the input value inside the range?"""

    range: RangeLiteral


@dataclass(frozen=True, slots=True)
class InputEquals(Node):
    """A boolean literal as the whole unary test: the input equals it."""

    operand: Node


@dataclass(frozen=True, slots=True)
class UnaryTestExpression(Node):
    """An expression used as a test: true if it yields true, equals the input, or is a list
    containing the input; inside it `?` is the input value."""

    expression: Node


@dataclass(frozen=True, slots=True)
class AnyInput(Node):
    """`-`: every input passes."""


@dataclass(frozen=True, slots=True)
class NotTests(Node):
    """`not(test, test)`: true if none of the tests passes."""

    tests: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyTest(Node):
    """`test, test`: true if at least one test passes."""

    tests: tuple[Node, ...]


# ---- types (for `instance of`) -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TypeRef:
    """A type in `instance of`: a plain name (`number`, `date and time`, `Any`) or a generic
    one: `list<T>`, `range<T>`, `context<name: T, ...>`, `function<T, ...> -> T`."""

    name: str
    params: tuple[TypeRef, ...] = ()
    fields: tuple[tuple[str, TypeRef], ...] = ()
    returns: TypeRef | None = None

    def __str__(self) -> str:
        if (self.name == "list" and self.params) or (self.name == "range" and self.params):
            return f"{self.name}<{self.params[0]}>"
        if self.name == "context" and self.fields:
            return "context<" + ", ".join(f"{key}: {value}" for key, value in self.fields) + ">"
        if self.name == "function" and self.returns is not None:
            return "function<" + ", ".join(map(str, self.params)) + f">->{self.returns}"
        return self.name
