"""Parsing FEEL text into `Expression`s (cached per text).

Only the parsing side of the engine loads here (tokenizer, parser, syntax tree): a caller that
only checks syntax, as `etk validate` does, never loads the compiler, the values or the
built-ins. An `Expression` compiles itself on its first evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from generator.feel import ast
from generator.feel.errors import FeelSyntaxError
from generator.feel.lexer import escape_names
from generator.feel.parser import parse_expression_tree, parse_unary_tests_tree

if TYPE_CHECKING:
    from generator.feel.evaluation import Scope

PARSE_CACHE_SIZE = 4096


class Expression:
    """A parsed FEEL expression (or unary tests): its text and syntax tree. The tree is
    compiled to closures on first evaluation and kept, so evaluating it again is cheap."""

    __slots__ = ("_program", "text", "tree", "unary_tests")

    def __init__(self, text: str, tree: ast.Node, unary_tests: bool = False) -> None:
        self.text = text
        self.tree = tree
        self.unary_tests = unary_tests
        self._program: Callable[[Scope], Any] | None = None

    @property
    def program(self) -> Callable[[Scope], Any]:
        if self._program is None:
            from generator.feel.compiler import compile_tree  # the evaluation side, on first use

            self._program = compile_tree(self.tree)
        return self._program

    def function_calls(self) -> list[ast.FunctionCall]:
        """Every function call in the expression, in source order (e.g. to find `fromAi`)."""
        return [node for node in ast.walk(self.tree) if isinstance(node, ast.FunctionCall)]

    def __repr__(self) -> str:
        kind = "unary tests" if self.unary_tests else "expression"
        return f"<FEEL {kind} {self.text!r}>"


def _without_equals(text: str) -> str:
    """Camunda strips one leading `=` (the FEEL marker of element templates). It becomes a space
    so that line and column numbers still point into the original text."""
    stripped = text.lstrip()
    if stripped.startswith("="):
        cut = len(text) - len(stripped)
        return text[:cut] + " " + stripped[1:]
    return text


@lru_cache(maxsize=PARSE_CACHE_SIZE)
def _parse(text: str, unary_tests: bool) -> Expression:
    source = _without_equals(text)
    try:
        tree = parse_unary_tests_tree(source) if unary_tests else parse_expression_tree(source)
    except FeelSyntaxError:
        raise
    except RecursionError:
        raise FeelSyntaxError("the expression is nested too deeply", 1, 1, text) from None
    except Exception as error:  # a bug in the parser: still a FeelError for the caller
        raise FeelSyntaxError(f"internal parser error {type(error).__name__}: {error}", 1, 1,
                              text) from error
    return Expression(text, tree, unary_tests)


def parse(text: str) -> Expression:
    """Parse a FEEL expression (one leading `=` is ignored); raises `FeelSyntaxError` with the
    line and column of the problem. Results are cached per text."""
    return _parse(text, False)


def parse_unary_tests(text: str) -> Expression:
    """Parse FEEL unary tests such as `< 3`, `[1..5], 7`, `not("a")`, `-` (cached per text)."""
    return _parse(text, True)


def parse_for(text: str, unary_tests: bool, variables: Mapping[str, Any] | None) -> Expression:
    """Parse `text` for an evaluation over `variables`: variable names with spaces or dashes that
    occur in the text are read as names, as Camunda's DMN engine escapes them (`Date of Birth`,
    `Loan-Amount`); without such names this is `parse`."""
    if variables:
        names = [name for name in variables
                 if type(name) is str and (" " in name or "-" in name) and name in text]
        if names:
            escaped = escape_names(text, names)
            if escaped != text:
                try:
                    return _parse(escaped, unary_tests)
                except FeelSyntaxError:
                    pass  # report the error in the text as written
    return _parse(text, unary_tests)


def clear_parse_cache() -> None:
    """Forget all parsed expressions (benchmarks measure parsing with an empty cache)."""
    _parse.cache_clear()
