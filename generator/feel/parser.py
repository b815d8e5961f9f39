"""FEEL parser: tokens -> syntax tree, following the grammar and precedence of feel-scala.

A hand-written recursive-descent parser with one function per precedence level (lowest first):
`if`/`for`/`some`/`every` > `or` > `and` > comparison (`=`, `<`, `between`, `in`, `instance of`,
and unary tests such as `< 3` or `[1..5]`) > `+ -` > `* /` > `**` > unary `-` > path `.x` and
filter `[x]` > literals, names, calls, `( )`. Where FEEL's grammar needs a second try (`(1..5)`
is an interval, `(1 + 2)` is not) the parser backtracks to a saved token position.

Names follow feel-scala: a name is one identifier that is not a reserved word; names made of
several words exist only directly before `(` (function calls such as `string join(...)`), before
`:` (context keys, named arguments) and in backticks. Built-in function names that contain a
reserved word (`date and time`, `get or else`, `index of`) are taken from the built-in registry.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from generator.feel import ast
from generator.feel.errors import FeelSyntaxError
from generator.feel.lexer import (
    BACKTICK,
    END,
    NAME,
    NUMBER,
    OPERATOR,
    STRING,
    Token,
    position,
    syntax_error,
    tokenize,
    unescape_string,
)

# Words that can never be a variable name, a path segment or a parameter name.
RESERVED_WORDS = frozenset({
    "null", "true", "false", "function", "in", "return", "then", "else", "satisfies", "and", "or",
    "if", "for", "some", "every", "between", "instance", "of", "not",
})

# How deeply expressions may nest (inside brackets, calls, lists, contexts, filters, `if`...) and
# how long a chain of unary minus may be. Deeper input is a syntax error rather than a Python
# RecursionError: each level takes about a dozen Python frames of the recursive descent.
MAX_NESTING = 64
# The syntax tree may not be deeper than this (long operator chains such as `a + b + c ...`
# build deep trees without nesting brackets); evaluation recurses along the tree.
MAX_TREE_DEPTH = 160

_COMPARISON_OPS = frozenset({"=", "!=", "<", "<=", ">", ">="})
_UNARY_TEST_OPS = frozenset({"<", "<=", ">", ">="})
_INTERVAL_STARTS = frozenset({"(", "[", "]"})
_OPENERS = frozenset({"(", "[", "{"})
_CLOSERS = frozenset({")", "]", "}"})
# Symbols that end a context key written without quotes (feel-scala: any other character is
# part of the key, so `{foo+bar: 1}` has the key `foo+bar`).
_KEY_STOPS = frozenset({"{", "}", ":", ",", "[", "]"})
_SPECIAL_TYPE_NAMES = (
    ("years", "and", "months", "duration"),
    ("days", "and", "time", "duration"),
    ("date", "and", "time"),
)


# The built-in functions whose names contain a reserved word (`date and time`, `not`): only
# these may be called despite the reserved word. Spelled out rather than read from the registry,
# so that parsing never loads the built-ins (tests/feel/test_parser.py checks it against them).
RESERVED_WORD_FUNCTIONS = frozenset({
    "and", "date and time", "day of week", "day of year", "get or else", "index of",
    "last day of month", "month of year", "not", "or", "week of year", "years and months duration",
})


def _by_first_word(names: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """`names` as word tuples by their first word, longest first."""
    calls: dict[str, tuple[tuple[str, ...], ...]] = {}
    for words in sorted((tuple(name.split()) for name in names), key=len, reverse=True):
        calls[words[0]] = (*calls.get(words[0], ()), words)
    return calls


_RESERVED_WORD_CALLS = _by_first_word(RESERVED_WORD_FUNCTIONS)


def _describe(token: Token) -> str:
    return "the end of the expression" if token.kind == END else f"'{token.text}'"


class Parser:
    """Parses one expression text; use `parse_expression` / `parse_unary_tests`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0
        # > 0 while parsing the end of a range: `]1..10[` ends with `[`, which is no filter there
        self.range_end = 0
        # expression() results by (start token, range-end mode): after a backtrack the same text
        # is not parsed again, which keeps nested alternatives (`x in (x in (...`) linear
        self.memo: dict[tuple[int, bool], tuple[ast.Node | FeelSyntaxError, int]] = {}

    # ---- token helpers --------------------------------------------------------------------

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def at_op(self, text: str) -> bool:
        token = self.tokens[self.i]
        return token.kind == OPERATOR and token.text == text

    def at_word(self, word: str) -> bool:
        token = self.tokens[self.i]
        return token.kind == NAME and token.text == word

    def advance(self) -> Token:
        token = self.tokens[self.i]
        if token.kind != END:
            self.i += 1
        return token

    def error(self, message: str, token: Token | None = None) -> FeelSyntaxError:
        token = token or self.tok
        return syntax_error(self.text, token.start, message)

    def expect_op(self, text: str, context: str) -> Token:
        if not self.at_op(text):
            raise self.error(f"expected '{text}' {context}, found {_describe(self.tok)}")
        return self.advance()

    def expect_word(self, word: str, context: str) -> Token:
        if not self.at_word(word):
            raise self.error(f"expected '{word}' {context}, found {_describe(self.tok)}")
        return self.advance()

    def expect_end(self) -> None:
        token = self.tok
        if token.kind != END:
            if token.kind == OPERATOR and token.text in _CLOSERS:
                raise self.error(f"unexpected '{token.text}': nothing to close here")
            raise self.error(f"unexpected {_describe(token)}: expected an operator or the end")

    def spaces_only_between(self, left: Token, right: Token) -> bool:
        gap = self.text[left.end:right.start]
        return bool(gap) and gap.strip(" ") == ""

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"the expression is nested too deeply (more than {MAX_NESTING} levels)")

    def backtrack_point(self) -> tuple[int, int]:
        return self.i, self.depth

    def restore(self, point: tuple[int, int]) -> None:
        self.i, self.depth = point

    # ---- entry points ---------------------------------------------------------------------

    def parse_expression(self) -> ast.Node:
        node = self.expression()
        self.expect_end()
        return node

    def parse_unary_tests(self) -> ast.Node:
        token = self.tok
        if token.kind == OPERATOR and token.text == "-" and self.peek().kind == END:
            self.advance()
            return ast.AnyInput(pos=token.start)
        if self.at_word("not") and self.peek().kind == OPERATOR and self.peek().text == "(":
            point = self.backtrack_point()
            try:
                self.advance()
                self.advance()
                tests = self.positive_unary_tests()
                self.expect_op(")", "to close 'not('")
                self.expect_end()
                return ast.NotTests(tests, pos=token.start)
            except FeelSyntaxError:
                self.restore(point)  # `not(x) or y`: an expression that calls not()
        tests = self.positive_unary_tests()
        self.expect_end()
        return tests[0] if len(tests) == 1 else ast.AnyTest(tests, pos=token.start)

    # ---- expressions ----------------------------------------------------------------------

    def expression(self) -> ast.Node:
        key = (self.i, self.range_end > 0)
        known = self.memo.get(key)
        if known is not None:
            result, end = known
            if isinstance(result, FeelSyntaxError):
                raise result
            self.i = end
            return result
        try:
            node = self.fresh_expression()
        except FeelSyntaxError as error:
            self.memo[key] = (error, self.i)
            raise
        self.memo[key] = (node, self.i)
        return node

    def fresh_expression(self) -> ast.Node:
        self.enter()
        token = self.tok
        if token.kind == NAME:
            if token.text == "if":
                node = self.if_expression()
            elif token.text == "for":
                node = self.for_expression()
            elif token.text in ("some", "every"):
                node = self.quantified_expression()
            else:
                node = self.disjunction()
        else:
            node = self.disjunction()
        self.depth -= 1
        return node

    def if_expression(self) -> ast.Node:
        start = self.advance()
        condition = self.expression()
        self.expect_word("then", "after the condition of 'if'")
        then = self.expression()
        self.expect_word("else", "after the 'then' branch of 'if'")
        otherwise = self.expression()
        return ast.If(condition, then, otherwise, pos=start.start)

    def iterators(self, keyword: str) -> tuple[tuple[str, ast.Node], ...]:
        iterators: list[tuple[str, ast.Node]] = []
        while True:
            name = self.single_name(f"a variable name after '{keyword}'")
            self.expect_word("in", f"after the variable '{name}'")
            start = self.arithmetic()
            if self.at_op(".."):
                self.advance()
                end = self.arithmetic()
                iterators.append((name, ast.IterationRange(start, end, pos=start.pos)))
            else:
                iterators.append((name, start))
            if not self.at_op(","):
                return tuple(iterators)
            self.advance()

    def for_expression(self) -> ast.Node:
        start = self.advance()
        iterators = self.iterators("for")
        self.expect_word("return", "after the iteration contexts of 'for'")
        body = self.expression()
        return ast.For(iterators, body, pos=start.start)

    def quantified_expression(self) -> ast.Node:
        start = self.advance()
        iterators = self.iterators(start.text)
        self.expect_word("satisfies", f"after the iteration contexts of '{start.text}'")
        condition = self.expression()
        return ast.Quantified(start.text, iterators, condition, pos=start.start)

    # Each precedence level below is spelled out instead of sharing a generic helper: every
    # nesting level of parentheses passes through all of them, and an extra call per level would
    # take the deepest expressions etk accepts (64 levels) past Python's stack budget.
    def disjunction(self) -> ast.Node:
        first = self.conjunction()
        if not self.at_word("or"):
            return first
        operands = [first]
        while self.at_word("or"):
            self.advance()
            operands.append(self.conjunction())
        return ast.Or(tuple(operands), pos=first.pos)

    def conjunction(self) -> ast.Node:
        first = self.comparison()
        if not self.at_word("and"):
            return first
        operands = [first]
        while self.at_word("and"):
            self.advance()
            operands.append(self.comparison())
        return ast.And(tuple(operands), pos=first.pos)

    def comparison(self) -> ast.Node:
        token = self.tok
        if token.kind == OPERATOR:
            if token.text in _UNARY_TEST_OPS:
                return self.input_comparison()
            if token.text in _INTERVAL_STARTS and self.looks_like_interval():
                point = self.backtrack_point()
                interval = self.try_interval()
                if interval is not None:
                    if not self.continues_expression():
                        return ast.InputInRange(interval, pos=interval.pos)
                    self.restore(point)  # `[1..10].start`, `[1..10] = x`: the range as a value
        left = self.arithmetic()
        token = self.tok
        if token.kind == OPERATOR and token.text in _COMPARISON_OPS:
            self.advance()
            right = self.operand_after(token, self.arithmetic)
            return ast.Comparison(token.text, left, right, pos=left.pos)
        if token.kind == NAME:
            if token.text == "between":
                self.advance()
                low = self.operand_after(token, self.arithmetic)
                self.expect_word("and", "between the bounds of 'between'")
                high = self.arithmetic()
                return ast.Between(left, low, high, pos=left.pos)
            if token.text == "instance":
                self.advance()
                self.expect_word("of", "after 'instance'")
                return ast.InstanceOf(left, self.type_ref(), pos=left.pos)
            if token.text == "in":
                self.advance()
                return ast.In(left, self.in_tests(), pos=left.pos)
        return left

    def input_comparison(self) -> ast.Node:
        token = self.advance()
        operand = self.operand_after(token, self.arithmetic)
        return ast.InputComparison(token.text, operand, pos=token.start)

    def in_tests(self) -> tuple[ast.Node, ...]:
        """The tests after `in`: `(test, test)` or a single test (`< 3`, `[1..5]`, `[1, 2]`)."""
        if self.at_op("("):
            point = self.backtrack_point()
            try:
                self.advance()
                tests = self.positive_unary_tests()
                self.expect_op(")", "to close the tests after 'in'")
                return tests
            except FeelSyntaxError as list_error:
                self.restore(point)  # `x in (1..5)`: one interval, not a list of tests
                try:
                    return (self.positive_unary_test(),)
                except FeelSyntaxError as test_error:
                    raise max(list_error, test_error, key=_error_offset) from None
        if self.tok.kind == END:
            raise self.error("expected a unary test after 'in'")
        return (self.positive_unary_test(),)

    def positive_unary_tests(self) -> tuple[ast.Node, ...]:
        tests = [self.positive_unary_test()]
        while self.at_op(","):
            self.advance()
            tests.append(self.positive_unary_test())
        return tuple(tests)

    def positive_unary_test(self) -> ast.Node:
        token = self.tok
        if token.kind == OPERATOR:
            if token.text in _UNARY_TEST_OPS:
                return self.input_comparison()
            if token.text in _INTERVAL_STARTS and self.looks_like_interval():
                interval = self.try_interval()
                if interval is not None:
                    return ast.InputInRange(interval, pos=interval.pos)
        elif token.kind == NAME and token.text in ("true", "false") and self.peek().kind == END:
            # feel-scala: a lone boolean compares with the input (`true` passes only `true`)
            self.advance()
            return ast.InputEquals(ast.Literal(token.text == "true", pos=token.start), pos=token.start)
        expression = self.expression()
        return ast.UnaryTestExpression(expression, pos=expression.pos)

    def continues_expression(self) -> bool:
        """Whether the current token continues an operand (a path, a filter, an operator)."""
        token = self.tok
        if token.kind == OPERATOR:
            return token.text not in (")", "]", "}", ",", ":")
        return token.kind == NAME and token.text in ("between", "instance", "in")

    def looks_like_interval(self) -> bool:
        """Whether the bracket at the current token may open an interval: a `..` follows before
        the bracket closes, a `,` separates, or the expression ends."""
        depth = 0
        for token in self.tokens[self.i + 1:]:
            if token.kind == END:
                return False
            if token.kind != OPERATOR:
                continue
            text = token.text
            if text == ".." and depth == 0:
                return True
            if text in _OPENERS:
                depth += 1
            elif text in _CLOSERS:
                if depth == 0:
                    return False
                depth -= 1
            elif text == "," and depth == 0:
                return False
        return False

    def try_interval(self) -> ast.RangeLiteral | None:
        point = self.backtrack_point()
        try:
            return self.interval()
        except FeelSyntaxError:
            self.restore(point)
            return None

    def interval(self) -> ast.RangeLiteral:
        opening = self.advance()
        start = self.arithmetic()
        self.expect_op("..", "between the bounds of the range")
        self.range_end += 1
        try:
            end = self.arithmetic()
        finally:
            self.range_end -= 1
        closing = self.tok
        if not (closing.kind == OPERATOR and closing.text in (")", "[", "]")):
            raise self.error(f"expected ')', ']' or '[' to end the range, found {_describe(closing)}")
        self.advance()
        return ast.RangeLiteral(start, end, opening.text == "[", closing.text == "]",
                                pos=opening.start)

    def type_ref(self) -> ast.TypeRef:
        token = self.tok
        for words in _SPECIAL_TYPE_NAMES:
            if self.words_ahead(words):
                self.i += len(words)
                return ast.TypeRef(" ".join(words))
        if token.kind != NAME:
            raise self.error(f"expected a type name after 'instance of', found {_describe(token)}")
        name = self.advance().text
        if name in ("list", "range", "context", "function") and self.at_op("<"):
            return self.generic_type(name)
        while self.at_op(".") and self.peek().kind == NAME:
            self.advance()
            name += "." + self.advance().text
        return ast.TypeRef(name)

    def generic_type(self, name: str) -> ast.TypeRef:
        self.enter()
        self.advance()  # '<'
        if name == "context":
            fields = []
            while not self.at_op(">"):
                key = self.single_name("a context entry name in 'context<...>'")
                self.expect_op(":", f"after '{key}' in 'context<...>'")
                fields.append((key, self.type_ref()))
                if not self.at_op(","):
                    break
                self.advance()
            self.expect_op(">", "to close 'context<'")
            result = ast.TypeRef(name, fields=tuple(fields))
        else:
            params = []
            while not self.at_op(">"):
                params.append(self.type_ref())
                if not self.at_op(","):
                    break
                self.advance()
            self.expect_op(">", f"to close '{name}<'")
            if name == "function":
                self.expect_op("-", "('->') before the return type of 'function<...>'")
                self.expect_op(">", "('->') before the return type of 'function<...>'")
                result = ast.TypeRef(name, params=tuple(params), returns=self.type_ref())
            else:
                if len(params) != 1:
                    raise self.error(f"'{name}<...>' takes exactly one type")
                result = ast.TypeRef(name, params=tuple(params))
        self.depth -= 1
        return result

    # ---- arithmetic -----------------------------------------------------------------------

    def operand_after(self, operator: Token, parse_operand: Callable[[], ast.Node]) -> ast.Node:
        """`parse_operand()`, with a clear error when nothing follows `operator`."""
        token = self.tok
        if token.kind == END:
            raise self.error(f"expected an expression after '{operator.text}'")
        if token.kind == OPERATOR and token.text in (")", "]", "}", ","):
            raise self.error(f"expected an expression after '{operator.text}', found {_describe(token)}")
        return parse_operand()

    def check_chain(self, length: int) -> None:
        """Stop an operator or path chain (`1 + 1 + ...`, `a.b.c...`) as soon as its tree gets
        too deep, instead of building it first."""
        if length > MAX_TREE_DEPTH:
            raise self.error(f"the expression is nested too deeply (more than {MAX_TREE_DEPTH} "
                             "levels of operators)")

    def arithmetic(self) -> ast.Node:
        left = self.term()
        length = 0
        while True:
            token = self.tok
            if token.kind != OPERATOR or token.text not in ("+", "-"):
                return left
            length += 1
            self.check_chain(length)
            self.advance()
            right = self.operand_after(token, self.term)
            left = ast.Arithmetic(token.text, left, right, pos=left.pos)

    def term(self) -> ast.Node:
        left = self.exponentiation()
        length = 0
        while True:
            token = self.tok
            if token.kind != OPERATOR or token.text not in ("*", "/"):
                return left
            length += 1
            self.check_chain(length)
            self.advance()
            right = self.operand_after(token, self.exponentiation)
            left = ast.Arithmetic(token.text, left, right, pos=left.pos)

    def exponentiation(self) -> ast.Node:
        left = self.unary()
        length = 0
        while self.at_op("**"):
            length += 1
            self.check_chain(length)
            token = self.advance()
            right = self.operand_after(token, self.unary)
            left = ast.Arithmetic("**", left, right, pos=left.pos)
        return left

    def unary(self) -> ast.Node:
        token = self.tok
        if token.kind == OPERATOR and token.text == "-":
            self.enter()
            self.advance()
            operand = self.operand_after(token, self.unary)
            self.depth -= 1
            if isinstance(operand, ast.Literal) and isinstance(operand.value, Decimal):
                return ast.Literal(operand.value.copy_negate(), pos=token.start)
            return ast.Negation(operand, pos=token.start)
        return self.postfix()

    # ---- values: paths, filters, calls ----------------------------------------------------

    def postfix(self) -> ast.Node:
        node = self.primary()
        length = 0
        while True:
            token = self.tok
            if token.kind != OPERATOR:
                return node
            length += 1
            self.check_chain(length)
            if token.text == ".":
                self.advance()
                key = self.path_key()
                if self.at_op("(") and _is_name_chain(node):
                    node = self.call_arguments(key, token.start, target=node)
                else:
                    node = ast.Path(node, key, pos=node.pos)
            elif token.text == "(":
                # `"abs"(-1)`, `null()`, `(function(x) x)(1)`: any value can be invoked; one that
                # is no function gives null and a warning (a name followed by `(` is a call)
                args, named = self.arguments("the invoked value")
                node = ast.Invocation(node, args, named, pos=node.pos)
            elif token.text == "[":
                if self.range_end:
                    point = self.backtrack_point()
                    try:
                        node = self.filter(node, token)
                    except FeelSyntaxError:
                        self.restore(point)  # the `[` closing an open range end
                        return node
                else:
                    node = self.filter(node, token)
            else:
                return node

    def filter(self, base: ast.Node, opening: Token) -> ast.Node:
        self.advance()
        condition = self.operand_after(opening, self.expression)
        self.expect_op("]", "to close the filter '['")
        return ast.Filter(base, condition, pos=base.pos)

    def path_key(self) -> str:
        token = self.tok
        if token.kind == BACKTICK:
            self.advance()
            return token.text[1:-1]
        if self.words_ahead(("time", "offset")):
            self.i += 2
            return "time offset"
        if token.kind == NAME and token.text not in RESERVED_WORDS:
            return self.name_with_spaces()
        if token.kind == NAME:
            raise self.error(f"'{token.text}' is a reserved word: write `{token.text}` (in backticks) "
                             "to use it as a name")
        raise self.error(f"expected a name after '.', found {_describe(token)}")

    def single_name(self, what: str) -> str:
        token = self.tok
        if token.kind == BACKTICK:
            self.advance()
            return token.text[1:-1]
        if token.kind == NAME and token.text not in RESERVED_WORDS:
            self.advance()
            return token.text
        raise self.error(f"expected {what}, found {_describe(token)}")

    def words_ahead(self, words: tuple[str, ...]) -> bool:
        """Whether the next tokens are exactly `words`, separated by spaces only."""
        tokens = self.tokens
        if self.i + len(words) >= len(tokens):
            return False
        for offset, word in enumerate(words):
            token = tokens[self.i + offset]
            if token.kind != NAME or token.text != word:
                return False
            if offset and not self.spaces_only_between(tokens[self.i + offset - 1], token):
                return False
        return True

    def name_run_end(self) -> int:
        """The index after a run of non-reserved names separated by spaces only (a name with
        spaces, as allowed before `(` and `:`)."""
        tokens = self.tokens
        j = self.i
        while tokens[j].kind == NAME and tokens[j].text not in RESERVED_WORDS and (
                j == self.i or self.spaces_only_between(tokens[j - 1], tokens[j])):
            j += 1
        return j

    def function_name_ahead(self) -> int:
        """The number of tokens forming a function name directly followed by `(`, or 0."""
        tokens = self.tokens
        for words in _RESERVED_WORD_CALLS.get(self.tok.text, ()):
            if self.words_ahead(words) and _is_open_paren(tokens[self.i + len(words)]):
                return len(words)
        end = self.name_run_end()
        if end > self.i and _is_open_paren(tokens[end]):
            return end - self.i
        return 0

    def primary(self) -> ast.Node:
        token = self.tok
        kind = token.kind
        if kind == NUMBER:
            self.advance()
            return ast.Literal(Decimal(token.text), pos=token.start)
        if kind == STRING:
            self.advance()
            return ast.Literal(unescape_string(token.text), pos=token.start)
        if kind == NAME:
            return self.name_or_call()
        if kind == BACKTICK:
            self.advance()
            name = token.text[1:-1]
            if self.at_op("("):
                return self.call_arguments(name, token.start)
            return ast.Name(name, pos=token.start)
        if kind == OPERATOR:
            text = token.text
            if text in _INTERVAL_STARTS and self.looks_like_interval():
                interval = self.try_interval()
                if interval is not None:  # `[1..10]` as a value: `[1..10].start`, `before(x, [1..5])`
                    return interval
            if text == "(":
                self.advance()
                node = self.operand_after(token, self.expression)
                self.expect_op(")", f"to close the '(' at {self.location(token)}")
                return node
            if text == "[":
                return self.list_literal()
            if text == "{":
                return self.context_literal()
            if text == "?":
                self.advance()
                return ast.InputValue(pos=token.start)
            if text == "@":
                self.advance()
                if self.tok.kind != STRING:
                    raise self.error("expected a string after '@' (a temporal literal such as "
                                     "@\"2024-01-31\")")
                return ast.TemporalLiteral(unescape_string(self.advance().text), pos=token.start)
        previous = self.tokens[self.i - 1] if self.i else None
        after = f" after '{previous.text}'" if previous is not None else ""
        if kind == END:
            raise self.error(f"expected an expression{after}")
        if kind == NAME:  # a reserved word
            raise self.error(f"expected an expression{after}, found the reserved word '{token.text}'")
        raise self.error(f"expected an expression{after}, found {_describe(token)}")

    def location(self, token: Token) -> str:
        line, column = position(self.text, token.start)
        return f"{line}:{column}"

    def name_or_call(self) -> ast.Node:
        token = self.tok
        text = token.text
        if text in ("true", "false"):
            self.advance()
            return ast.Literal(text == "true", pos=token.start)
        if text == "null":
            self.advance()
            return ast.Literal(None, pos=token.start)
        if text == "function" and self.peek().kind == OPERATOR and self.peek().text == "(":
            return self.function_definition()
        length = self.function_name_ahead()
        if length:
            first, last = self.tokens[self.i], self.tokens[self.i + length - 1]
            words = [t.text for t in self.tokens[self.i:self.i + length]]
            name = " ".join(words) if any(w in RESERVED_WORDS for w in words) else \
                self.text[first.start:last.end]
            self.i += length
            return self.call_arguments(name, token.start)
        if text in RESERVED_WORDS:
            raise self.error(f"expected an expression, found the reserved word '{text}'")
        return ast.Name(self.name_with_spaces(), pos=token.start)

    def name_with_spaces(self) -> str:
        """A name of one or more words separated by spaces (`Monthly Salary`, as DMN allows):
        the run of non-reserved words ends at an operator, a reserved word or a line break."""
        end = self.name_run_end()
        first, last = self.tokens[self.i], self.tokens[end - 1]
        self.i = end
        return self.text[first.start:last.end]

    def call_arguments(self, name: str, start: int, target: ast.Node | None = None) -> ast.Node:
        args, named = self.arguments(name)
        return ast.FunctionCall(name, args, named, target, pos=start)

    def arguments(self, name: str) -> tuple[tuple[ast.Node, ...], tuple[tuple[str, ast.Node], ...] | None]:
        """The arguments of a call from its `(` to its `)`: positional, or named (else None)."""
        opening = self.advance()  # '('
        if self.at_op(")"):
            self.advance()
            return (), None
        if self.named_argument_ahead():
            named: list[tuple[str, ast.Node]] = []
            while True:
                key = self.parameter_name("a parameter name")
                self.expect_op(":", f"after the parameter name '{key}'")
                named.append((key, self.range_or_expression()))
                if not self.at_op(","):
                    break
                self.advance()
                if not self.named_argument_ahead():
                    raise self.error("expected a named argument (name: value): named and "
                                     "positional arguments cannot be mixed")
            self.expect_op(")", f"to close the arguments of '{name}' opened at {self.location(opening)}")
            return (), tuple(named)
        args = [self.range_or_expression()]
        while self.at_op(","):
            self.advance()
            args.append(self.operand_after(self.tokens[self.i - 1], self.range_or_expression))
        self.expect_op(")", f"to close the arguments of '{name}' opened at {self.location(opening)}")
        return tuple(args), None

    def named_argument_ahead(self) -> bool:
        token = self.tok
        if token.kind == BACKTICK:
            return _is_op(self.peek(), ":")
        end = self.name_run_end_any()
        return end > self.i and _is_op(self.tokens[end], ":")

    def name_run_end_any(self) -> int:
        """Like `name_run_end`, but reserved words are fine (parameter names such as `in`)."""
        tokens = self.tokens
        j = self.i
        while tokens[j].kind == NAME and (
                j == self.i or self.spaces_only_between(tokens[j - 1], tokens[j])):
            j += 1
        return j

    def parameter_name(self, what: str) -> str:
        token = self.tok
        if token.kind == BACKTICK:
            self.advance()
            return token.text[1:-1]
        end = self.name_run_end_any()
        if end == self.i:
            raise self.error(f"expected {what}, found {_describe(token)}")
        first, last = self.tokens[self.i], self.tokens[end - 1]
        self.i = end
        return self.text[first.start:last.end]

    def range_or_expression(self) -> ast.Node:
        token = self.tok
        if token.kind == OPERATOR and token.text in _INTERVAL_STARTS and self.looks_like_interval():
            interval = self.try_interval()
            if interval is not None:
                return interval
        return self.expression()

    def function_definition(self) -> ast.Node:
        start = self.advance()  # 'function'
        self.advance()  # '('
        params: list[str] = []
        if not self.at_op(")"):
            while True:
                token = self.tok
                if token.kind == NAME and token.text in RESERVED_WORDS:
                    raise self.error(f"'{token.text}' is a reserved word and cannot be a parameter name")
                params.append(self.parameter_name("a parameter name"))
                if not self.at_op(","):
                    break
                self.advance()
        self.expect_op(")", "to close the parameters of 'function('")
        if len(set(params)) != len(params):
            raise self.error("a function cannot have two parameters with the same name", start)
        body = self.operand_after(self.tokens[self.i - 1], self.expression)
        return ast.FunctionDefinition(tuple(params), body, pos=start.start)

    def list_literal(self) -> ast.Node:
        opening = self.advance()
        items: list[ast.Node] = []
        if not self.at_op("]"):
            while True:
                items.append(self.expression())
                if not self.at_op(","):
                    break
                self.advance()
        if not self.at_op("]"):
            raise self.error(f"expected ',' or ']' in the list opened at {self.location(opening)}, "
                             f"found {_describe(self.tok)}")
        self.advance()
        return ast.ListLiteral(tuple(items), pos=opening.start)

    def context_literal(self) -> ast.Node:
        opening = self.advance()
        entries: list[tuple[str, ast.Node]] = []
        if not self.at_op("}"):
            while True:
                key = self.context_key()
                self.expect_op(":", f"after the context key '{key}'")
                entries.append((key, self.expression()))
                if not self.at_op(","):
                    break
                self.advance()
        if not self.at_op("}"):
            raise self.error(f"expected ',' or '}}' in the context opened at {self.location(opening)}, "
                             f"found {_describe(self.tok)}")
        self.advance()
        keys = [key for key, _ in entries]
        if len(set(keys)) != len(keys):
            duplicate = next(key for key in keys if keys.count(key) > 1)
            raise self.error(f"the context has the key '{duplicate}' twice", opening)
        return ast.ContextLiteral(tuple(entries), pos=opening.start)

    def context_key(self) -> str:
        token = self.tok
        if token.kind == STRING and _is_op(self.peek(), ":"):
            self.advance()
            return token.text[1:-1]
        if token.kind == BACKTICK and _is_op(self.peek(), ":"):
            self.advance()
            return token.text[1:-1]
        # any other text up to the ':' is the key (feel-scala allows `{foo+bar: 1}`)
        tokens = self.tokens
        j = self.i
        while tokens[j].kind not in (END, STRING, BACKTICK) and not (
                tokens[j].kind == OPERATOR and tokens[j].text in _KEY_STOPS):
            j += 1
        if j == self.i:
            raise self.error(f"expected a context key (a name or a string) followed by ':', "
                             f"found {_describe(token)}")
        key = self.text[token.start:tokens[j - 1].end]
        if not _is_op(tokens[j], ":"):
            raise self.error(f"expected ':' after the context key '{key}', found "
                             f"{_describe(tokens[j])}", tokens[j])
        self.i = j
        return key


def _is_op(token: Token, text: str) -> bool:
    return token.kind == OPERATOR and token.text == text


def _is_open_paren(token: Token) -> bool:
    return token.kind == OPERATOR and token.text == "("


def _is_name_chain(node: ast.Node) -> bool:
    while isinstance(node, ast.Path):
        node = node.base
    return isinstance(node, ast.Name)


def _error_offset(error: FeelSyntaxError) -> tuple[int, int]:
    return error.line, error.column


def _check_tree_depth(root: ast.Node, text: str) -> None:
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise syntax_error(text, node.pos, f"the expression is nested too deeply (more than "
                                               f"{MAX_TREE_DEPTH} levels of operators)")
        stack.extend((child, depth + 1) for child in node.children())


def parse_expression_tree(text: str) -> ast.Node:
    """The syntax tree of a FEEL expression; raises `FeelSyntaxError`."""
    parser = Parser(text)
    if parser.tokens[0].kind == END:
        raise parser.error("the expression is empty")
    root = parser.parse_expression()
    if len(parser.tokens) > MAX_NESTING:
        _check_tree_depth(root, text)
    return root


def parse_unary_tests_tree(text: str) -> ast.Node:
    """The syntax tree of FEEL unary tests (`< 3`, `[1..5], 7`, `not("a")`, `-`)."""
    parser = Parser(text)
    if parser.tokens[0].kind == END:
        raise parser.error("the unary tests are empty")
    root = parser.parse_unary_tests()
    if len(parser.tokens) > MAX_NESTING:
        _check_tree_depth(root, text)
    return root
