"""The FEEL tokenizer and parser: the syntax tree of every grammar rule, and exact syntax errors."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from generator.feel import (
    BUILTINS,
    CONNECTOR_FUNCTIONS,
    FeelSyntaxError,
    ast,
    parse,
    parse_unary_tests,
)
from generator.feel.lexer import tokenize, unescape_string
from generator.feel.parser import (
    MAX_NESTING,
    MAX_TREE_DEPTH,
    RESERVED_WORD_FUNCTIONS,
    RESERVED_WORDS,
)

L, N, D = ast.Literal, ast.Name, Decimal


def tree(text: str) -> ast.Node:
    return parse(text).tree


def unary_tree(text: str) -> ast.Node:
    return parse_unary_tests(text).tree


def num(text: str) -> ast.Literal:
    return L(D(text))


# ---- tokens and literals ----------------------------------------------------------------------

def test_tokens_keep_offsets_and_skip_comments() -> None:
    tokens = tokenize('a /* x */ + // y\n "s"')
    assert [(t.kind, t.text, t.start, t.end) for t in tokens] == [
        ("name", "a", 0, 1), ("operator", "+", 10, 11), ("string", '"s"', 18, 21), ("end", "", 21, 21)]


@pytest.mark.parametrize("text, value", [
    ("2", D("2")), ("02", D("2")), ("2.50", D("2.50")), (".5", D("0.5")), ("-03", D("-3")),
    ("- 1.5", D("-1.5")), ("--2", D("2")), ("1234567890.12345678901234567890123456789",
                                              D("1234567890.12345678901234567890123456789")),
    ("true", True), ("false", False), ("null", None), ('"a"', "a"), ('""', ""),
])
def test_literals(text: str, value: object) -> None:
    assert tree(text) == L(value)


@pytest.mark.parametrize("raw, value", [
    (r'"a\"b"', 'a"b'), (r'"line1\nline2"', "line1\nline2"), (r'"tab\there"', "tab\there"),
    (r'"back\\slash"', "back\\slash"), (r'"\u0041\u00e9"', "Aé"), (r'"\U01F600"', "\U0001F600"),
    (r'"\uD83D\uDE00"', "\U0001F600"), (r'"\'q\'"', "'q'"), (r'"(\d{3})"', r"(\d{3})"),
    ('"multi\nline"', "multi\nline"),
])
def test_string_escapes(raw: str, value: str) -> None:
    assert unescape_string(raw) == value
    assert tree(raw) == L(value)


def test_temporal_literal() -> None:
    assert tree('@"2024-01-02"') == ast.TemporalLiteral("2024-01-02")
    assert tree('@ "PT1H"') == ast.TemporalLiteral("PT1H")


# ---- names, paths, filters ---------------------------------------------------------------------

def test_names_and_backticks() -> None:
    assert tree("orderId") == N("orderId")
    assert tree("`content-type`") == N("content-type")
    assert tree("`a b`") == N("a b")
    assert tree("something") == N("something")  # contains the keyword `some`
    assert tree("orY") == N("orY")


def test_path_and_filter_chain() -> None:
    assert tree("response.body.choices[1].message") == ast.Path(
        ast.Filter(ast.Path(ast.Path(N("response"), "body"), "choices"), num("1")), "message")
    assert tree("x.`time offset`") == ast.Path(N("x"), "time offset")
    assert tree("t.time offset") == ast.Path(N("t"), "time offset")
    assert tree("headers.`content-type`") == ast.Path(N("headers"), "content-type")
    assert tree("[1, 2][-1]") == ast.Filter(ast.ListLiteral((num("1"), num("2"))), num("-1"))
    assert tree("xs[item > 2]") == ast.Filter(
        N("xs"), ast.Comparison(">", N("item"), num("2")))


def test_list_and_context() -> None:
    assert tree("[]") == ast.ListLiteral(())
    assert tree('{a: 1, "b c": 2, `d`: 3}') == ast.ContextLiteral(
        (("a", num("1")), ("b c", num("2")), ("d", num("3"))))
    # feel-scala: any text up to ':' is a key
    assert tree("{foo bar: 1, a+b: 2, x-y.z: 3}") == ast.ContextLiteral(
        (("foo bar", num("1")), ("a+b", num("2")), ("x-y.z", num("3"))))
    assert tree("{}") == ast.ContextLiteral(())


# ---- operators and precedence ------------------------------------------------------------------

def test_arithmetic_precedence_and_associativity() -> None:
    assert tree("1 + 2 * 3") == ast.Arithmetic("+", num("1"), ast.Arithmetic("*", num("2"), num("3")))
    assert tree("8 - 4 - 2") == ast.Arithmetic("-", ast.Arithmetic("-", num("8"), num("4")), num("2"))
    assert tree("2 ** 2 ** 3") == ast.Arithmetic(
        "**", ast.Arithmetic("**", num("2"), num("2")), num("3"))
    assert tree("-x ** 2") == ast.Arithmetic("**", ast.Negation(N("x")), num("2"))
    assert tree("(1 + 2) * 3") == ast.Arithmetic("*", ast.Arithmetic("+", num("1"), num("2")), num("3"))


def test_comparisons_and_logic() -> None:
    assert tree("a = 1 or b != 2 and c") == ast.Or((
        ast.Comparison("=", N("a"), num("1")),
        ast.And((ast.Comparison("!=", N("b"), num("2")), N("c")))))
    assert tree("x between 1 and 10 and y") == ast.And(
        (ast.Between(N("x"), num("1"), num("10")), N("y")))
    assert tree("x + 1 >= y * 2") == ast.Comparison(
        ">=", ast.Arithmetic("+", N("x"), num("1")), ast.Arithmetic("*", N("y"), num("2")))


def test_in_forms() -> None:
    assert tree("x in [1..10)") == ast.In(N("x"), (ast.InputInRange(
        ast.RangeLiteral(num("1"), num("10"), True, False)),))
    assert tree("x in ]1..10[") == ast.In(N("x"), (ast.InputInRange(
        ast.RangeLiteral(num("1"), num("10"), False, False)),))
    assert tree("x in (1..5)") == ast.In(N("x"), (ast.InputInRange(
        ast.RangeLiteral(num("1"), num("5"), False, False)),))
    assert tree("x in (< 3, >= 5)") == ast.In(N("x"), (
        ast.InputComparison("<", num("3")), ast.InputComparison(">=", num("5"))))
    assert tree("x in (2, 4)") == ast.In(N("x"), (
        ast.UnaryTestExpression(num("2")), ast.UnaryTestExpression(num("4"))))
    assert tree("x in [1, 2]") == ast.In(N("x"), (
        ast.UnaryTestExpression(ast.ListLiteral((num("1"), num("2")))),))
    assert tree("5 in ? < 10") == ast.In(num("5"), (
        ast.UnaryTestExpression(ast.Comparison("<", ast.InputValue(), num("10"))),))


def test_instance_of_types() -> None:
    assert tree("x instance of number") == ast.InstanceOf(N("x"), ast.TypeRef("number"))
    assert tree("x instance of date and time") == ast.InstanceOf(N("x"), ast.TypeRef("date and time"))
    assert tree("x instance of years and months duration").type == ast.TypeRef("years and months duration")
    assert tree("x instance of list<number>").type == ast.TypeRef("list", params=(ast.TypeRef("number"),))
    assert tree("x instance of context<a: string, b: list<Any>>").type == ast.TypeRef(
        "context", fields=(("a", ast.TypeRef("string")),
                           ("b", ast.TypeRef("list", params=(ast.TypeRef("Any"),)))))
    assert tree("f instance of function<number, string> -> boolean").type == ast.TypeRef(
        "function", params=(ast.TypeRef("number"), ast.TypeRef("string")), returns=ast.TypeRef("boolean"))
    assert str(tree("f instance of function<number> -> boolean").type) == "function<number>->boolean"


def test_unary_test_inside_expression() -> None:
    assert tree("< 10") == ast.InputComparison("<", num("10"))
    assert tree("[1..2]") == ast.InputInRange(ast.RangeLiteral(num("1"), num("2"), True, True))


# ---- control structures ------------------------------------------------------------------------

def test_if_for_quantifiers() -> None:
    assert tree("if a then 1 else 2") == ast.If(N("a"), num("1"), num("2"))
    assert tree("for x in xs, i in 1..n return x") == ast.For(
        (("x", N("xs")), ("i", ast.IterationRange(num("1"), N("n")))), N("x"))
    assert tree("some x in [1] satisfies x > 0") == ast.Quantified(
        "some", (("x", ast.ListLiteral((num("1"),))),), ast.Comparison(">", N("x"), num("0")))
    assert tree("every `a b` in xs satisfies true").iterators == (("a b", N("xs")),)


def test_function_definition() -> None:
    assert tree("function(a, b) a + b") == ast.FunctionDefinition(
        ("a", "b"), ast.Arithmetic("+", N("a"), N("b")))
    assert tree("function() 1") == ast.FunctionDefinition((), num("1"))


# ---- function calls ----------------------------------------------------------------------------

def test_calls_positional_named_and_multi_word() -> None:
    assert tree("f()") == ast.FunctionCall("f")
    assert tree('string join(xs, ", ")') == ast.FunctionCall("string join", (N("xs"), L(", ")))
    assert tree("date and time(x)") == ast.FunctionCall("date and time", (N("x"),))
    assert tree("get or else(x, 1)") == ast.FunctionCall("get or else", (N("x"), num("1")))
    assert tree("day of week(d)") == ast.FunctionCall("day of week", (N("d"),))
    assert tree("not(true)") == ast.FunctionCall("not", (L(True),))
    assert tree('substring(string: "foobar", start position: 3)') == ast.FunctionCall(
        "substring", (), (("string", L("foobar")), ("start position", num("3"))))
    assert tree("before(1, [1..10])") == ast.FunctionCall(
        "before", (num("1"), ast.RangeLiteral(num("1"), num("10"), True, True)))
    assert tree("a.b.f(1)") == ast.FunctionCall("f", (num("1"),), None, ast.Path(N("a"), "b"))
    assert tree("`my f`(1)") == ast.FunctionCall("my f", (num("1"),))
    assert tree("my func(1)") == ast.FunctionCall("my func", (num("1"),))

def test_the_parser_knows_every_function_named_with_a_reserved_word() -> None:
    """The parser lists them itself so that parsing does not load the built-ins."""
    registered = {name for name in (*BUILTINS, *CONNECTOR_FUNCTIONS)
                  if any(word in RESERVED_WORDS for word in name.split())}
    assert registered == RESERVED_WORD_FUNCTIONS
    for name in sorted(registered):
        assert tree(f"{name}(1)") == ast.FunctionCall(name, (num("1"),))


def test_parsing_loads_only_the_parsing_side_of_the_engine() -> None:
    """`etk validate` only parses: the compiler, the values and the built-ins load on the first
    evaluation (the built-ins on the first function call)."""
    probe = """if True:
        import sys
        from generator.feel import parse, parse_unary_tests, FeelSyntaxError
        def loaded():
            return sorted(name.split(".")[2] for name in sys.modules
                          if name.startswith("generator.feel."))
        parse('date and time(x) + string join(xs, not(y)) + day of week(d)')
        parse_unary_tests('< count(xs), not(1)')
        print(loaded())
        from generator.feel import evaluate
        assert evaluate('1 + 1') == 2
        print("builtins" in loaded())
        assert evaluate('abs(-1)') == 1
        print("builtins" in loaded())
    """
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.splitlines() == [
        "['ast', 'errors', 'lexer', 'parser', 'parsing']", "False", "True"]



def test_function_calls_can_be_listed_for_tools() -> None:
    calls = parse('{a: fromAi(toolCall.x, "the x"), b: upper case(fromAi(y))}').function_calls()
    assert [call.name for call in calls] == ["fromAi", "upper case", "fromAi"]
    assert calls[0].pos == 4


# ---- unary tests -------------------------------------------------------------------------------

def test_unary_tests() -> None:
    assert unary_tree("-") == ast.AnyInput()
    assert unary_tree("< 3") == ast.InputComparison("<", num("3"))
    assert unary_tree('"a", "b"') == ast.AnyTest(
        (ast.UnaryTestExpression(L("a")), ast.UnaryTestExpression(L("b"))))
    assert unary_tree("not(2, 3)") == ast.NotTests(
        (ast.UnaryTestExpression(num("2")), ast.UnaryTestExpression(num("3"))))
    assert unary_tree("true") == ast.InputEquals(L(True))
    assert unary_tree("[1..5]") == ast.InputInRange(ast.RangeLiteral(num("1"), num("5"), True, True))
    assert unary_tree("not(x) or y") == ast.UnaryTestExpression(
        ast.Or((ast.FunctionCall("not", (N("x"),)), N("y"))))


def test_leading_equals_is_ignored_and_positions_kept() -> None:
    assert tree("=1 + 2") == tree("1 + 2")
    with pytest.raises(FeelSyntaxError) as error:
        parse("= 1 +")
    assert str(error.value) == "1:6: expected an expression after '+'"


def test_parse_is_cached_per_text() -> None:
    assert parse("a + 1") is parse("a + 1")
    assert parse_unary_tests("a") is not parse("a")


# ---- syntax errors -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("1 + ", "1:5: expected an expression after '+'"),
    ("1 +* 2", "1:4: expected an expression after '+', found '*'"),
    ("", "1:1: the expression is empty"),
    ("(1 + 2", "1:7: expected ')' to close the '(' at 1:1, found the end of the expression"),
    ("[1, 2", "1:6: expected ',' or ']' in the list opened at 1:1, found the end of the expression"),
    ("{a: 1", "1:6: expected ',' or '}' in the context opened at 1:1, found the end of the expression"),
    ("{a 1}", "1:5: expected ':' after the context key 'a 1', found '}'"),
    ("{: 1}", "1:2: expected a context key (a name or a string) followed by ':', found ':'"),
    ("my function(1)", "1:4: unexpected 'function': expected an operator or the end"),
    ("{a: 1, a: 2}", "1:1: the context has the key 'a' twice"),
    ("if x then 1", "1:12: expected 'else' after the 'then' branch of 'if', found the end of the expression"),
    ("if x 1 else 2", "1:6: expected 'then' after the condition of 'if', found '1'"),
    ("for x in [1] x", "1:14: expected 'return' after the iteration contexts of 'for', found 'x'"),
    ("for in [1] return 1", "1:5: expected a variable name after 'for', found 'in'"),
    ("some x in [1] x > 1", "1:15: expected 'satisfies' after the iteration contexts of 'some', found 'x'"),
    ('"abc', "1:1: unterminated string: '\"' has no closing '\"'"),
    ("1 /* x", "1:3: unterminated comment: '/*' has no closing '*/'"),
    ("`abc", "1:1: unterminated name: '`' has no closing '`'"),
    ("a 1", "1:3: unexpected '1': expected an operator or the end"),
    ("1)", "1:2: unexpected ')': nothing to close here"),
    ("then", "1:1: expected an expression, found the reserved word 'then'"),
    ("x.then", "1:3: 'then' is a reserved word: write `then` (in backticks) to use it as a name"),
    ("x.", "1:3: expected a name after '.', found the end of the expression"),
    ("f(a: 1, 2)", "1:9: expected a named argument (name: value): named and positional arguments cannot be mixed"),
    ("f(1,)", "1:5: expected an expression after ',', found ')'"),
    ("function(a, a) a", "1:1: a function cannot have two parameters with the same name"),
    ("x between 1 or 2", "1:13: expected 'and' between the bounds of 'between', found 'or'"),
    ("x instance 1", "1:12: expected 'of' after 'instance', found '1'"),
    ("x in", "1:5: expected a unary test after 'in'"),
    ("@1", "1:2: expected a string after '@' (a temporal literal such as @\"2024-01-31\")"),
    ("#", "1:1: expected an expression, found '#'"),
    ("1 < 2 < 3", "1:7: unexpected '<': expected an operator or the end"),
    ("a\n  + )", "2:5: expected an expression after '+', found ')'"),
])
def test_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(FeelSyntaxError) as error:
        parse(text)
    assert str(error.value) == message


@pytest.mark.parametrize("text, message", [
    ("", "1:1: the unary tests are empty"),
    ("< ", "1:3: expected an expression after '<'"),
    ("1,", "1:3: expected an expression after ','"),
])
def test_unary_tests_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(FeelSyntaxError) as error:
        parse_unary_tests(text)
    assert str(error.value) == message


@pytest.mark.parametrize("word", ["null", "true", "then", "else", "some", "every", "for",
                                  "between", "of", "not", "in", "and", "or", "satisfies",
                                  "return", "if", "instance", "function"])
def test_reserved_words_are_no_names(word: str) -> None:
    with pytest.raises(FeelSyntaxError):
        parse(f"{{a: 1}}.{word}" if word in ("null", "true", "false") else word)


def test_syntax_error_carries_position_and_text() -> None:
    with pytest.raises(FeelSyntaxError) as error:
        parse("{\n  a: 1 +\n}")
    assert (error.value.line, error.value.column, error.value.message) == (
        3, 1, "expected an expression after '+', found '}'")
    assert error.value.text == "{\n  a: 1 +\n}"


def test_nesting_limit_is_a_syntax_error() -> None:
    depth_ok = MAX_NESTING - 1
    assert parse("(" * depth_ok + "1" + ")" * depth_ok).tree == num("1")
    for text in ["(" * 10_000, "[" * 10_000, "-" * 10_000 + "1", "{a:" * 10_000, "f(" * 10_000,
                 "if true then " * 10_000 + "1"]:
        with pytest.raises(FeelSyntaxError) as error:
            parse(text)
        assert error.value.message.startswith("the expression is nested too deeply")


def test_long_operator_chains_are_limited() -> None:
    assert parse(" + ".join(["1"] * (MAX_TREE_DEPTH - 1))).tree is not None
    with pytest.raises(FeelSyntaxError) as error:
        parse(" + ".join(["1"] * 10_000))
    assert error.value.message == (f"the expression is nested too deeply (more than "
                                   f"{MAX_TREE_DEPTH} levels of operators)")
