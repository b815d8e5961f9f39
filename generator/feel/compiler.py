"""Compiles a FEEL syntax tree into nested Python closures, once per expression.

Each node becomes a function `run(scope) -> value`; evaluating an expression is one call of the
root closure, with no tree walking or dispatch at run time. Built-in calls are bound to their
overload at compile time. The semantics (null propagation, three-valued logic, filters, unary
tests, warnings) follow feel-scala's interpreter; value operations come from `values`.
"""

from __future__ import annotations

import itertools
import operator
import sys
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from generator.feel import ast, temporal, values
from generator.feel.errors import FeelEvaluationError, SuppressedFailure
from generator.feel.evaluation import (
    INPUT,
    INVALID_TYPE,
    MISSING,
    NO_VARIABLE_FOUND,
    NOT_COMPARABLE,
    QUESTION_MARK,
    Scope,
    UserFunction,
    builtin_registry,
    check_size,
    find_builtin_named,
    find_builtin_positional,
    guarded_call,
    invoke_builtin,
    invoke_value,
    no_function,
    pack_variadic,
    positional_from_named,
    user_function_fits,
)
from generator.feel.limits import (
    CHARACTERS_PER_STEP,
    LIMIT_EXCEEDED,
    MAX_LIST_LENGTH,
    MAX_STRING_LENGTH,
    too_long,
)

Run = Callable[[Scope], Any]

_DECIMAL = values.DECIMAL
_DADD, _DSUB, _DMUL, _DDIV, _DMINUS = (_DECIMAL.add, _DECIMAL.subtract, _DECIMAL.multiply,
                                      _DECIMAL.divide, _DECIMAL.minus)
_RANGE_KINDS = frozenset({
    "number", "date", "time", "local time", "date and time", "local date and time",
    "years and months duration", "days and time duration",
})


def compile_tree(node: ast.Node) -> Run:
    """The closure evaluating `node`."""
    return _COMPILERS[type(node)](node)


def _describe(value: Any) -> str:
    return "null" if value is None else values.describe(value)


def _warn(scope: Scope, failure_type: str, message: str) -> None:
    scope.evaluation.warn(failure_type, message)


def _record(scope: Scope, failure: SuppressedFailure) -> None:
    scope.evaluation.warn(failure.failure_type, failure.message)


def _expect_boolean(scope: Scope, value: Any) -> None:
    _warn(scope, INVALID_TYPE, f"Expected boolean but found '{_describe(value)}'")


# ---- literals, names, paths -----------------------------------------------------------------

def _literal(node: ast.Literal) -> Run:
    value = node.value
    return lambda scope: value


def _temporal_literal(node: ast.TemporalLiteral) -> Run:
    value = temporal.parse_literal(node.text)
    return lambda scope: value


def _variable(name: str) -> Run:
    message = f"No variable found with name '{name}'"

    def run(scope: Scope) -> Any:
        variables = scope.vars
        if name in variables:  # most names are found at once (a loop's, an item's)
            return variables[name]
        current = scope.parent
        while current is not None:
            variables = current.vars
            if name in variables:
                return variables[name]
            current = current.parent
        evaluation = scope.evaluation
        if evaluation.warnings is not None:  # a frequent case (unset optional fields): keep it cheap
            evaluation.warn(NO_VARIABLE_FOUND, message)
        return None

    return run


def _name(node: ast.Name) -> Run:
    return _variable(node.name)


# A key no scope has: the `name` of an operand that is not a plain variable name.
_NOT_A_NAME = object()


def _operand(node: ast.Node) -> tuple[Run, Any]:
    """The closure evaluating `node` and, when `node` is a plain variable name, that name (else
    `_NOT_A_NAME`). The hot operators (`i = 1`, `partial[-1] + i`, `x * 2`) read such a name
    from the innermost scope themselves, `vars[name] if name in vars else run(scope)`: a loop's
    or a filter item's variable is found there without the call `run(scope)` costs."""
    return compile_tree(node), node.name if isinstance(node, ast.Name) else _NOT_A_NAME


def get_path(scope: Scope, value: Any, key: str) -> Any:
    """`value.key`: a context entry, mapped over a list, or a property of a temporal value."""
    if type(value) is dict and key in value:
        return value[key]
    try:
        return values.get_property(value, key, lambda failure: _record(scope, failure),
                                   scope.evaluation)
    except SuppressedFailure as failure:
        _record(scope, failure)
        return None


def _path(node: ast.Path) -> Run:
    keys: list[str] = []
    base: ast.Node = node
    while isinstance(base, ast.Path):
        keys.append(base.key)
        base = base.base
    key_tuple = tuple(reversed(keys))
    if isinstance(base, ast.Name):
        return _qualified_name(base.name, key_tuple)
    base_run = compile_tree(base)

    def run(scope: Scope) -> Any:
        return _walk(scope, base_run(scope), key_tuple)

    return run


def _walk(scope: Scope, value: Any, keys: tuple[str, ...]) -> Any:
    """`value.k1.k2...`: context entries read directly, anything else through `get_path`."""
    for key in keys:
        if type(value) is dict and key in value:
            value = value[key]
        else:
            value = get_path(scope, value, key)
    return value


def _qualified_name(name: str, keys: tuple[str, ...]) -> Run:
    """`a.b.c`: with `a` missing the result is null with one warning (feel-scala), not one
    warning per key."""
    message = f"No variable found with name '{name}'"

    def run(scope: Scope) -> Any:
        current: Scope | None = scope
        while current is not None:
            variables = current.vars
            if name in variables:
                value = variables[name]
                break
            current = current.parent
        else:
            scope.evaluation.warn(NO_VARIABLE_FOUND, message)
            return None
        return _walk(scope, value, keys)

    return run


def _input_value(node: ast.InputValue) -> Run:
    def run(scope: Scope) -> Any:
        value = scope.lookup(QUESTION_MARK)
        if value is MISSING:
            raise FeelEvaluationError("No input value available. '?' can only be used inside an "
                                      "unary-test expression.", "FATAL")
        return value

    return run


# ---- lists, contexts, ranges, functions -----------------------------------------------------

def _list(node: ast.ListLiteral) -> Run:
    items = tuple(compile_tree(item) for item in node.items)
    if not items:
        return lambda scope: []
    return lambda scope: [item(scope) for item in items]


def _context(node: ast.ContextLiteral) -> Run:
    entries = tuple((key, compile_tree(value)) for key, value in node.entries)

    def run(scope: Scope) -> Any:
        result: dict[str, Any] = {}
        # entries see the ones before them; functions defined here see the whole context
        inner = Scope(result, scope, scope.evaluation)
        for key, entry in entries:
            value = entry(inner)
            if type(value) is UserFunction and value.name == "function":
                value.name = key
            result[key] = value
        return result

    return run


def _is_valid_range(start: Any, end: Any) -> bool:
    kind = values.kind(start)
    return kind in _RANGE_KINDS and kind == values.kind(end)


def _range(node: ast.RangeLiteral) -> Run:
    start_run, end_run = compile_tree(node.start), compile_tree(node.end)
    start_included, end_included = node.start_included, node.end_included

    def run(scope: Scope) -> Any:
        start, end = start_run(scope), end_run(scope)
        if not _is_valid_range(start, end):
            return _invalid_range(scope, start, end)
        return values.Range(start, end, start_included, end_included)

    return run


def _invalid_range(scope: Scope, start: Any, end: Any) -> None:
    _warn(scope, INVALID_TYPE, f"Invalid range definition: '{_describe(start)}..{_describe(end)}'")


def _function_definition(node: ast.FunctionDefinition) -> Run:
    params = node.params
    body = compile_tree(node.body)
    return lambda scope: UserFunction(params, body, scope)


# ---- filters --------------------------------------------------------------------------------

class _ItemScopes:
    """The scope a filter condition sees for each item: the item's entries when it is a context
    (read from the item itself, not copied), then `item`, then the filter's own scope. Each item
    has its own scope in FEEL, but a condition's value is only tested, never kept, so nothing
    can hold on to an item's scope (not even a function defined in the condition): the same two
    scopes serve item after item, and a filter allocates nothing per item."""

    __slots__ = ("_entries", "_item", "_named")

    def __init__(self, outer: Scope) -> None:
        self._item: dict[Any, Any] = {}
        self._named = Scope(self._item, outer, outer.evaluation)
        self._entries = Scope(self._item, self._named, outer.evaluation)

    def of(self, item: Any) -> Scope:
        """The scope for `item` (the previous item's is done with by then)."""
        self._item["item"] = item
        if type(item) is dict:  # the item's entries are names too, before `item` itself
            self._entries.vars = item
            return self._entries
        return self._named

    def keep_passing(self, items: Iterable[Any], condition: Run, kept: list[Any]) -> None:
        """Append to `kept` the `items` for which `condition` is true, each tested in its scope
        (as `of` gives it, set here: a call less per item)."""
        item_variables, named, entries = self._item, self._named, self._entries
        for item in items:
            item_variables["item"] = item
            if type(item) is dict:
                entries.vars = item
                passed = condition(entries)
            else:
                passed = condition(named)
            if passed is True:
                kept.append(item)


def _at_index(items: list[Any], index: Decimal) -> Any:
    """`items[index]`: 1 is the first item, -1 the last, a fraction is cut to its whole part as
    feel-scala's `index.toInt` does (`[][0.5]` and `[1][0.5]` look at position 0: null); out of
    range is null."""
    whole = values.int_value(index)  # exact and fast for any magnitude, like Java's intValue
    position = whole - 1 if index > 0 else len(items) + whole
    return items[position] if 0 <= position < len(items) else None


ItemTest = Callable[[_ItemScopes, Any], Any]


def _filter_items(scope: Scope, items: list[Any], condition: Run, fast_test: ItemTest | None) -> Any:
    """`items[condition]` per item: the items for which the condition is true, or the item at
    the position the first item's condition gives (a number). `fast_test` (see `_item_entry_test`)
    replaces the condition's closure for each item where given."""
    if not items:
        return []
    scope.evaluation.spend(len(items))
    scopes = _ItemScopes(scope)
    first = fast_test(scopes, items[0]) if fast_test else condition(scopes.of(items[0]))
    if type(first) is Decimal:
        return _at_index(items, first)
    kept = [items[0]] if first is True else []
    rest = itertools.islice(items, 1, None)
    if fast_test is None:
        scopes.keep_passing(rest, condition, kept)
    else:
        kept.extend(item for item in rest if fast_test(scopes, item) is True)
    return kept


def _generic_item_test(condition: Run) -> ItemTest:
    return lambda scopes, item: condition(scopes.of(item))


def _item_entry_comparison(node: ast.Node) -> tuple[str, Any, bool] | None:
    """(key, literal, negated) when `node` is `item.key = literal` or `item.key != literal`
    (either way round) with a null, string, number or boolean literal."""
    if not isinstance(node, ast.Comparison) or node.op not in ("=", "!="):
        return None
    for path, literal in ((node.left, node.right), (node.right, node.left)):
        if (isinstance(path, ast.Path) and isinstance(path.base, ast.Name) and path.base.name == "item"
                and isinstance(literal, ast.Literal)
                and type(literal.value) in (type(None), str, Decimal, bool)):
            return path.key, literal.value, node.op == "!="
    return None


def _item_entry_test(node: ast.Node, condition: Run) -> ItemTest | None:
    """A fast test for `item.key = literal` / `item.key != literal` (null, string, number or
    boolean), the filter of every Camunda connector template (`get entries(...)[item.value !=
    null]`): it reads the entry straight from a context item, with no scope per item, and leaves
    any other case (no such entry, values of other types) to the compiled condition."""
    matched = _item_entry_comparison(node)
    if matched is None:
        return None
    key, expected, negated = matched
    expected_type = type(expected)
    generic = _generic_item_test(condition)

    def test(scopes: _ItemScopes, item: Any) -> Any:
        if type(item) is dict:
            base = item.get("item", item)  # the item's own entries come first
            if type(base) is dict and key in base:
                value = base[key]
                if value is None or expected is None:
                    return (value is expected) is not negated
                if type(value) is expected_type:
                    return (value == expected) is not negated
        return generic(scopes, item)

    return test


# Conditions that always test each item (feel-scala evaluates anything else once in the outer
# scope first and uses a number result as an index).
_ITEM_CONDITIONS = (ast.Comparison, ast.FunctionCall, ast.Between, ast.In, ast.InstanceOf)


def _filter(node: ast.Filter) -> Run:
    base, base_name = _operand(node.base)
    condition_node = node.condition
    if isinstance(condition_node, ast.Literal) and type(condition_node.value) is Decimal:
        whole = values.int_value(condition_node.value)  # `xs[1]`, `partial[-1]`: as _at_index
        offset = -1 if condition_node.value > 0 else 0

        def run_index(scope: Scope) -> Any:
            variables = scope.vars
            items = variables[base_name] if base_name in variables else base(scope)
            if type(items) is not list:
                return _not_a_list(scope, items)
            position = whole + offset if offset else len(items) + whole
            return items[position] if 0 <= position < len(items) else None

        return run_index
    condition = compile_tree(condition_node)
    per_item = isinstance(condition_node, _ITEM_CONDITIONS)
    fast_test = _item_entry_test(condition_node, condition)

    def run(scope: Scope) -> Any:
        items = base(scope)
        if type(items) is not list:
            return _not_a_list(scope, items)
        if not per_item:
            outer = condition(scope)
            if type(outer) is Decimal:
                return _at_index(items, outer)
        return _filter_items(scope, items, condition, fast_test)

    return run


def _not_a_list(scope: Scope, value: Any) -> None:
    _warn(scope, INVALID_TYPE, f"Expected list but found '{_describe(value)}'")


# ---- function calls -------------------------------------------------------------------------

def _call(node: ast.FunctionCall) -> Run:
    if node.target is not None:
        return _qualified_call(node)
    if node.named_args is not None:
        return _named_call(node)
    without_nulls = _context_without_nulls(node)
    if without_nulls is not None:
        return without_nulls
    name = node.name
    args = tuple(compile_tree(arg) for arg in node.args)
    count = len(args)
    overloads = builtin_registry()[0].get(name)
    builtin = find_builtin_positional(overloads, count) if overloads else None
    if builtin is not None:
        return _builtin_call(builtin, args)

    def run(scope: Scope) -> Any:
        evaluation = scope.evaluation
        host = evaluation.functions.get(name)
        if host:
            found = find_builtin_positional(host, count)
            if found is not None:
                return invoke_builtin(evaluation, found,
                                      pack_variadic(found, [arg(scope) for arg in args]))
        function = scope.lookup(name)
        if user_function_fits(function, count, None):
            return invoke_value(evaluation, function, [arg(scope) for arg in args], name)
        no_function(evaluation, name, f"{count} parameters")
        return None

    return run


def _context_without_nulls(node: ast.FunctionCall) -> Run | None:
    """`context(get entries(x)[item.value != null])`, the idiom every Camunda connector template
    uses to drop unset optional fields, compiled as one step: a context `x` gives its non-null
    entries at once (get entries, the filter and context would build and test a context per
    entry); any other value goes through the three built-ins as written, warnings included."""
    if node.name != "context" or len(node.args) != 1 or not isinstance(node.args[0], ast.Filter):
        return None
    entries, condition = node.args[0].base, node.args[0].condition
    if not (isinstance(entries, ast.FunctionCall) and entries.name == "get entries"
            and entries.target is None and entries.named_args is None and len(entries.args) == 1
            and _item_entry_comparison(condition) == ("value", None, True)):
        return None
    builtins = builtin_registry()[0]
    get_entries = find_builtin_positional(builtins["get entries"], 1)
    to_context = find_builtin_positional(builtins["context"], 1)
    source = compile_tree(entries.args[0])
    compiled_condition = compile_tree(condition)
    test = _item_entry_test(condition, compiled_condition)
    assert test is not None
    assert get_entries is not None
    assert to_context is not None

    def run(scope: Scope) -> Any:
        value = source(scope)
        evaluation = scope.evaluation
        if type(value) is dict:
            evaluation.spend(len(value))
            return {key: item for key, item in value.items() if item is not None}
        items = guarded_call(evaluation, get_entries.name, get_entries.impl, evaluation, value)
        kept = None
        if type(items) is list:
            kept = _filter_items(scope, items, compiled_condition, test)
        else:
            _not_a_list(scope, items)
        return guarded_call(evaluation, to_context.name, to_context.impl, evaluation, kept)

    return run


def _builtin_call(builtin: Any, args: tuple[Run, ...]) -> Run:
    params = builtin.params
    variadic_from = len(params) - 1 if params and params[-1].variadic else None
    name, impl = builtin.name, builtin.impl
    if variadic_from is None and len(args) == 1:  # the most frequent calls, without a list
        (only,) = args
        return lambda scope: guarded_call(scope.evaluation, name, impl, scope.evaluation, only(scope))
    if variadic_from is None and len(args) == 2:
        first, second = args
        return lambda scope: guarded_call(scope.evaluation, name, impl, scope.evaluation,
                                          first(scope), second(scope))

    def run(scope: Scope) -> Any:
        arguments = [arg(scope) for arg in args]
        if variadic_from is not None:
            arguments[variadic_from:] = [arguments[variadic_from:]]
        evaluation = scope.evaluation
        return guarded_call(evaluation, name, impl, evaluation, *arguments)

    return run


def _named_call(node: ast.FunctionCall) -> Run:
    name = node.name
    assert node.named_args is not None
    named = tuple((key, compile_tree(value)) for key, value in node.named_args)
    names = frozenset(key for key, _ in named)
    overloads = builtin_registry()[0].get(name)
    builtin = find_builtin_named(overloads, names) if overloads else None

    def evaluate_args(scope: Scope) -> dict[str, Any]:
        return {key: value(scope) for key, value in named}

    if builtin is not None:
        found_builtin = builtin
        return lambda scope: invoke_builtin(
            scope.evaluation, found_builtin, positional_from_named(found_builtin, evaluate_args(scope)))

    def run(scope: Scope) -> Any:
        evaluation = scope.evaluation
        host = evaluation.functions.get(name)
        if host:
            found = find_builtin_named(host, names)
            if found is not None:
                return invoke_builtin(evaluation, found, positional_from_named(found, evaluate_args(scope)))
        function = scope.lookup(name)
        if user_function_fits(function, None, names):
            arguments = evaluate_args(scope)
            return invoke_value(evaluation, function,
                                [arguments.get(param) for param in function.params], name)
        no_function(evaluation, name, "parameters: " + ",".join(key for key, _ in named))
        return None

    return run


Invoke = Callable[[Scope, Any, str], Any]


def _value_invoker(args: tuple[ast.Node, ...],
                   named_args: tuple[tuple[str, ast.Node], ...] | None) -> Invoke:
    """`invoke(scope, function, name)` for a call of a function value with these arguments:
    null and a NO_FUNCTION_FOUND warning when the function does not take them."""
    if named_args is not None:
        named = tuple((key, compile_tree(value)) for key, value in named_args)
        names = frozenset(key for key, _ in named)

        def invoke_named(scope: Scope, function: Any, name: str) -> Any:
            if not user_function_fits(function, None, names):
                no_function(scope.evaluation, name, "the given parameters")
                return None
            arguments = {key: value(scope) for key, value in named}
            return invoke_value(scope.evaluation, function,
                                [arguments.get(param) for param in function.params], name)

        return invoke_named
    positional = tuple(compile_tree(arg) for arg in args)

    def invoke(scope: Scope, function: Any, name: str) -> Any:
        if not user_function_fits(function, len(positional), None):
            no_function(scope.evaluation, name, "the given parameters")
            return None
        return invoke_value(scope.evaluation, function, [arg(scope) for arg in positional], name)

    return invoke


def _invocation(node: ast.Invocation) -> Run:
    """`value(args)`: a function value is invoked; anything else is null with a warning."""
    callee = compile_tree(node.callee)
    invoke = _value_invoker(node.args, node.named_args)

    def run(scope: Scope) -> Any:
        function = callee(scope)
        if not isinstance(function, values.FeelFunction):
            _warn(scope, INVALID_TYPE, f"Expected function but found '{_describe(function)}'")
            return None
        return invoke(scope, function, getattr(function, "name", "function"))

    return run


def _qualified_call(node: ast.FunctionCall) -> Run:
    """`a.b.f(x)`: the function `f` of the context `a.b`."""
    assert node.target is not None
    target = compile_tree(node.target)
    name = node.name
    invoke = _value_invoker(node.args, node.named_args)

    def run(scope: Scope) -> Any:
        context = target(scope)
        if type(context) is not dict:
            _warn(scope, INVALID_TYPE, f"Expected context but found '{_describe(context)}'")
            return None
        return invoke(scope, context.get(name), name)

    return run


# ---- arithmetic -----------------------------------------------------------------------------

def _slow_arithmetic(scope: Scope, operation: Callable[[Any, Any], Any], a: Any, b: Any) -> Any:
    try:
        return check_size(operation(a, b))
    except SuppressedFailure as failure:
        _record(scope, failure)
    except ArithmeticError as error:  # a decimal overflow and the like
        _warn(scope, INVALID_TYPE, f"Arithmetic failure: {type(error).__name__}")
    return None


def _number_literal(node: ast.Node) -> Decimal | None:
    """The value of a number literal (`1`, `0.5`), else None."""
    return node.value if isinstance(node, ast.Literal) and type(node.value) is Decimal else None


# the operation on two numbers and the general one, per operator with a number literal operand
_WITH_NUMBER: dict[str, tuple[Callable[[Decimal, Decimal], Decimal], Callable[[Any, Any], Any]]] = {
    "+": (_DADD, values.add), "-": (_DSUB, values.subtract), "*": (_DMUL, values.multiply),
    "/": (_DDIV, values.divide),
}


def _arithmetic_with_number(op: str, left_node: ast.Node, number: Decimal) -> Run:
    """`left op number` for a number literal (`i + 1`, `x * 2`): the literal needs no
    evaluation, which is a call less per evaluation in a loop."""
    on_numbers, general = _WITH_NUMBER[op]
    left, left_name = _operand(left_node)

    def run(scope: Scope) -> Any:
        variables = scope.vars
        a = variables[left_name] if left_name in variables else left(scope)
        if type(a) is Decimal:
            try:
                return on_numbers(a, number)
            except ArithmeticError:
                pass
        return _slow_arithmetic(scope, general, a, number)

    return run


def _arithmetic(node: ast.Arithmetic) -> Run:
    op = node.op
    number = _number_literal(node.right)
    if number is not None and op in _WITH_NUMBER and (op != "/" or number):
        return _arithmetic_with_number(op, node.left, number)
    (left, left_name), (right, right_name) = _operand(node.left), _operand(node.right)
    if op == "+":
        def add(scope: Scope) -> Any:
            variables = scope.vars
            a = variables[left_name] if left_name in variables else left(scope)
            b = variables[right_name] if right_name in variables else right(scope)
            kind = type(a)
            if kind is Decimal and type(b) is Decimal:
                return _DADD(a, b)
            if kind is str and type(b) is str:
                length = len(a) + len(b)
                if length >= CHARACTERS_PER_STEP:
                    if length > MAX_STRING_LENGTH:
                        raise too_long()
                    scope.evaluation.spend(length // CHARACTERS_PER_STEP)
                return a + b
            return _slow_arithmetic(scope, values.add, a, b)
        return add
    if op == "-":
        def subtract(scope: Scope) -> Any:
            a, b = left(scope), right(scope)
            if type(a) is Decimal and type(b) is Decimal:
                return _DSUB(a, b)
            return _slow_arithmetic(scope, values.subtract, a, b)
        return subtract
    if op == "*":
        def multiply(scope: Scope) -> Any:
            a, b = left(scope), right(scope)
            if type(a) is Decimal and type(b) is Decimal:
                try:
                    return _DMUL(a, b)
                except ArithmeticError:
                    pass
            return _slow_arithmetic(scope, values.multiply, a, b)
        return multiply
    if op == "/":
        def divide(scope: Scope) -> Any:
            a, b = left(scope), right(scope)
            if type(a) is Decimal and type(b) is Decimal and b:
                try:
                    return _DDIV(a, b)
                except ArithmeticError:
                    pass
            return _slow_arithmetic(scope, values.divide, a, b)
        return divide

    def exponentiation(scope: Scope) -> Any:
        return _slow_arithmetic(scope, values.power, left(scope), right(scope))

    return exponentiation


def _negation(node: ast.Negation) -> Run:
    operand = compile_tree(node.operand)

    def run(scope: Scope) -> Any:
        value = operand(scope)
        if type(value) is Decimal:
            return _DMINUS(value)
        try:
            return values.negate(value)
        except SuppressedFailure as failure:
            _record(scope, failure)
            return None

    return run


# ---- comparison -----------------------------------------------------------------------------

def equality(scope: Scope, a: Any, b: Any) -> bool | None:
    """`a = b`: null equals only null; values that cannot be compared give null + warning."""
    if a is None or b is None:
        return a is None and b is None
    if type(a) is Decimal and type(b) is Decimal:
        return a == b
    try:
        return values.equal(a, b, scope.evaluation)
    except SuppressedFailure as failure:
        _record(scope, failure)
        return None


def order(scope: Scope, a: Any, b: Any) -> int | None:
    """-1, 0, 1 for comparable values of the same type; else null + NOT_COMPARABLE warning."""
    if type(a) is Decimal and type(b) is Decimal:
        return (a > b) - (a < b)
    try:
        return values.compare(a, b)
    except SuppressedFailure as failure:
        _record(scope, failure)
        return None


_ORDER_TESTS: dict[str, Callable[[int], bool]] = {
    "<": lambda c: c < 0, "<=": lambda c: c <= 0, ">": lambda c: c > 0, ">=": lambda c: c >= 0,
}
_ORDER_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_SCALAR_LITERALS = (type(None), bool, str, Decimal)


def _compared_with_literal(op: str, left_node: ast.Node, literal: Any) -> Run:
    """`left op literal` for a null, boolean, string or number literal (`i = 1`, `x > 5`,
    `status = "open"`): the literal needs no evaluation, which is a call less per evaluation in
    a loop; a value of the literal's type is compared directly (order only for numbers: strings
    order by Java's UTF-16 units, see `values.compare`)."""
    kind = type(literal)
    left, left_name = _operand(left_node)
    if op in ("=", "!="):
        negated = op == "!="

        def equal(scope: Scope) -> Any:
            variables = scope.vars
            a = variables[left_name] if left_name in variables else left(scope)
            if type(a) is kind:
                return (a == literal) is not negated
            result = equality(scope, a, literal)
            return None if result is None else result is not negated

        return equal
    on_numbers, test = _ORDER_OPERATORS[op], _ORDER_TESTS[op]
    if kind is not Decimal:
        return lambda scope: _tested(test, order(scope, left(scope), literal))

    def ordered(scope: Scope) -> Any:
        variables = scope.vars
        a = variables[left_name] if left_name in variables else left(scope)
        if type(a) is Decimal:
            return on_numbers(a, literal)
        return _tested(test, order(scope, a, literal))

    return ordered


def _tested(test: Callable[[int], bool], c: int | None) -> bool | None:
    return None if c is None else test(c)


def _comparison(node: ast.Comparison) -> Run:
    op = node.op
    if isinstance(node.right, ast.Literal) and type(node.right.value) in _SCALAR_LITERALS:
        return _compared_with_literal(op, node.left, node.right.value)
    left, right = compile_tree(node.left), compile_tree(node.right)
    if op == "=":
        def equal(scope: Scope) -> Any:
            a, b = left(scope), right(scope)
            kind = type(a)
            if (kind is Decimal or kind is str) and type(b) is kind:
                return a == b
            return equality(scope, a, b)
        return equal
    if op == "!=":
        def not_equal(scope: Scope) -> Any:
            result = equality(scope, left(scope), right(scope))
            return None if result is None else not result
        return not_equal
    test = _ORDER_TESTS[op]
    if op == "<":
        def less(scope: Scope) -> Any:
            a, b = left(scope), right(scope)
            if type(a) is Decimal and type(b) is Decimal:
                return a < b
            c = order(scope, a, b)
            return None if c is None else c < 0
        return less
    if op == ">":
        def greater(scope: Scope) -> Any:
            a, b = left(scope), right(scope)
            if type(a) is Decimal and type(b) is Decimal:
                return a > b
            c = order(scope, a, b)
            return None if c is None else c > 0
        return greater

    def compare(scope: Scope) -> Any:
        c = order(scope, left(scope), right(scope))
        return None if c is None else test(c)

    return compare


def _between(node: ast.Between) -> Run:
    value_run, low_run, high_run = (compile_tree(node.value), compile_tree(node.low),
                                    compile_tree(node.high))

    def run(scope: Scope) -> Any:
        value = value_run(scope)
        low = order(scope, value, low_run(scope))
        at_least = None if low is None else low >= 0
        if at_least is False:
            return False
        high = order(scope, value, high_run(scope))
        at_most = None if high is None else high <= 0
        if at_least is None:
            return False if at_most is False else None
        return at_most

    return run


def _three_valued(scope: Scope, values: Iterable[Any], absorbing: bool) -> Any:
    """FEEL's three-valued `and`/`every` (absorbing False) or `or`/`some` (absorbing True) over
    lazily computed `values`: the absorbing value wins as soon as it appears (later values are not
    computed), a non-boolean value makes the result null."""
    result: Any = not absorbing
    for value in values:
        if result is None:
            result = absorbing if value is absorbing else None
        elif value is True or value is False:
            result = value
        else:
            _expect_boolean(scope, value)
            result = None
        if result is absorbing:
            return absorbing
    return result


def _fold_or(scope: Scope, runs: tuple[Run, ...], inner: Scope) -> Any:
    """`or` of `runs` evaluated in `inner`."""
    return _three_valued(scope, (run(inner) for run in runs), True)


def _two_valued(first: Run, second: Run, absorbing: bool) -> Run:
    """`first and second` (absorbing False) or `first or second` (absorbing True), the most
    frequent case, exactly as `_three_valued` without a generator per evaluation."""
    neutral = not absorbing

    def run(scope: Scope) -> Any:
        a = first(scope)
        if a is absorbing:
            return absorbing
        if a is not neutral:
            _expect_boolean(scope, a)
            return absorbing if second(scope) is absorbing else None
        b = second(scope)
        if b is True or b is False:
            return b
        _expect_boolean(scope, b)
        return None

    return run


def _and(node: ast.And) -> Run:
    runs = tuple(compile_tree(operand) for operand in node.operands)
    if len(runs) == 2:
        return _two_valued(*runs, absorbing=False)
    return lambda scope: _three_valued(scope, (run(scope) for run in runs), False)


def _or(node: ast.Or) -> Run:
    runs = tuple(compile_tree(operand) for operand in node.operands)
    if len(runs) == 2:
        return _two_valued(*runs, absorbing=True)
    return lambda scope: _three_valued(scope, (run(scope) for run in runs), True)


def _in(node: ast.In) -> Run:
    value_run = compile_tree(node.value)
    tests = tuple(compile_tree(test) for test in node.tests)
    single = tests[0] if len(tests) == 1 else None

    def run(scope: Scope) -> Any:
        inner = Scope({INPUT: value_run(scope)}, scope, scope.evaluation)
        if single is not None:
            return single(inner)
        return _fold_or(scope, tests, inner)

    return run


# ---- instance of ----------------------------------------------------------------------------

TypeTest = Callable[[Any, Scope], bool]
# type names whose test is one exact class (FEEL values are never subclasses of these)
_EXACT_TYPES = {"string": str, "number": Decimal, "boolean": bool, "list": list, "context": dict}


def _type_test(type_ref: ast.TypeRef) -> TypeTest:
    name = type_ref.name
    if name == "list" and type_ref.params:
        item_test = _type_test(type_ref.params[0])

        def list_test(value: Any, scope: Scope) -> bool:
            if type(value) is not list:
                return False
            scope.evaluation.spend(len(value))  # nested lists may share items: meter every visit
            return all(item_test(item, scope) for item in value)

        return list_test
    if name == "range" and type_ref.params:
        bound_test = _type_test(type_ref.params[0])
        return lambda value, scope: isinstance(value, values.Range) and all(
            bound is None or bound_test(bound, scope) for bound in (value.start, value.end))
    if name == "context" and type_ref.fields:
        field_tests = tuple((key, _type_test(field_type)) for key, field_type in type_ref.fields)
        return lambda value, scope: type(value) is dict and all(
            key in value and test(value[key], scope) for key, test in field_tests)
    if name == "function" and type_ref.returns is not None:
        arity = len(type_ref.params)
        return lambda value, scope: isinstance(value, values.FeelFunction) and len(value.params) == arity
    exact = _EXACT_TYPES.get(name)
    if exact is not None:
        return lambda value, scope: type(value) is exact
    return lambda value, scope: values.is_instance(value, name)


def _instance_of(node: ast.InstanceOf) -> Run:
    value_run = compile_tree(node.value)
    exact = _EXACT_TYPES.get(node.type.name) if not node.type.params and not node.type.fields else None
    if exact is not None:
        return lambda scope: type(value_run(scope)) is exact
    test = _type_test(node.type)
    return lambda scope: test(value_run(scope), scope)


# ---- control --------------------------------------------------------------------------------

def _if(node: ast.If) -> Run:
    typed = _if_type_else_same(node)
    if typed is not None:
        return typed
    condition, then, otherwise = (compile_tree(node.condition), compile_tree(node.then),
                                  compile_tree(node.otherwise))

    def run(scope: Scope) -> Any:
        value = condition(scope)
        if value is True:
            return then(scope)
        if value is not False:
            _expect_boolean(scope, value)
        return otherwise(scope)

    return run


def _if_type_else_same(node: ast.If) -> Run | None:
    """`if x instance of T then a else x` for a variable `x` and a plain type `T` (every
    template's number field: `if n instance of string then number(n) else n`), reading `x` once
    where the expression as written reads it twice. A null is read again while warnings are
    recorded, so that a missing `x` gives the two warnings the text gives."""
    test, otherwise = node.condition, node.otherwise
    if not (isinstance(test, ast.InstanceOf) and isinstance(test.value, ast.Name) and isinstance(otherwise, ast.Name)
            and otherwise.name == test.value.name and not test.type.params and not test.type.fields):
        return None
    exact = _EXACT_TYPES.get(test.type.name)
    if exact is None:
        return None
    read, then = compile_tree(otherwise), compile_tree(node.then)

    def run(scope: Scope) -> Any:
        value = read(scope)
        if type(value) is exact:
            return then(scope)
        if value is None and scope.evaluation.warnings is not None:
            return read(scope)
        return value

    return run


class _Failed:
    """An iteration source that failed and has reported why (no second warning)."""


_FAILED = _Failed()


class _NumberRange:
    """The numbers of `start..end` in `for`/`some`/`every`, made one at a time as the loop runs
    (a million-number range is never held as a list)."""

    __slots__ = ("length", "start", "step")

    def __init__(self, start: Decimal, step: int, length: int) -> None:
        self.start, self.step, self.length = start, step, length

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[Decimal]:
        start, step = self.start, self.step
        if start.as_tuple().exponent == 0 and start.adjusted() < 30:  # a whole number, exact
            first = int(start)  # as an int: no rounding to 34 digits can happen on the way
            numbers = range(first, first + step * self.length, step)
            low, high = min(numbers[0], numbers[-1]), max(numbers[0], numbers[-1])
            if low >= 0 and high < values.SMALL_LIMIT:  # the shared Decimals, not new ones
                return map(values.SMALL_NUMBERS.__getitem__, numbers)
            return map(Decimal, numbers)
        return (_DADD(start, Decimal(step * k)) for k in range(self.length))


def _iteration_range(scope: Scope, start: Any, end: Any) -> _NumberRange | _Failed:
    if type(start) is not Decimal or type(end) is not Decimal:
        bad = start if type(start) is not Decimal else end
        _warn(scope, INVALID_TYPE, f"Expected number but found '{_describe(bad)}'")
        return _FAILED
    distance = _DECIMAL.abs(_DSUB(end, start))
    if distance >= MAX_LIST_LENGTH:
        raise FeelEvaluationError(
            f"the range {start}..{end} has more than the {MAX_LIST_LENGTH} items one evaluation "
            "may iterate", LIMIT_EXCEEDED)
    return _NumberRange(start, 1 if start <= end else -1, int(distance) + 1)


def _iteration_sources(iterators: tuple[tuple[str, ast.Node], ...]
                       ) -> tuple[tuple[str, Run], ...]:
    sources = []
    for name, source in iterators:
        if isinstance(source, ast.IterationRange):
            start, end = compile_tree(source.start), compile_tree(source.end)
            sources.append((name, _range_source(start, end)))
        else:
            sources.append((name, compile_tree(source)))
    return tuple(sources)


def _range_source(start: Run, end: Run) -> Run:
    return lambda scope: _iteration_range(scope, start(scope), end(scope))


Iterated = list[Any] | _NumberRange


def _iteration_lists(scope: Scope, sources: tuple[tuple[str, Run], ...]) -> list[Iterated] | None:
    lists: list[Iterated] = []
    total = 1
    for _, source in sources:
        items = source(scope)
        if type(items) is not list and type(items) is not _NumberRange:
            if items is not _FAILED:
                _warn(scope, INVALID_TYPE, f"Expected list but found '{_describe(items)}'")
            return None
        lists.append(items)
        total *= len(items)
        if total > MAX_LIST_LENGTH:
            raise FeelEvaluationError(
                f"the iteration has more than {MAX_LIST_LENGTH} combinations", LIMIT_EXCEEDED)
    scope.evaluation.spend(total)
    return lists


class _LoopBody(NamedTuple):
    """What compiling a `for` needs to know about its body, found in one walk of it."""

    reads_partial: bool  # it names `partial`, the results so far
    partial_indexed_only: bool  # ... only as `partial[<number>]`, which never hands the list out
    defines_functions: bool  # it can create a function value, the only value that keeps the
    # scope it was made in (a loop whose body returns one cannot reuse its scope)


def _loop_body(body: ast.Node) -> _LoopBody:
    reads = indexed = 0
    defines_functions = False
    for node in ast.walk(body):
        if isinstance(node, ast.Name):
            reads += node.name == "partial"
        elif isinstance(node, ast.Filter):
            base = node.base
            indexed += (isinstance(base, ast.Name) and base.name == "partial"
                        and _number_literal(node.condition) is not None)
        elif isinstance(node, ast.FunctionDefinition):
            defines_functions = True
    return _LoopBody(reads > 0, reads == indexed, defines_functions)


def _for(node: ast.For) -> Run:
    sources = _iteration_sources(node.iterators)
    names = tuple(name for name, _ in sources)
    body = compile_tree(node.body)
    uses_partial, partial_indexed_only, keeps_scope = _loop_body(node.body)

    def run(scope: Scope) -> Any:
        lists = _iteration_lists(scope, sources)
        if lists is None:
            return None
        if len(lists) == 1 and not keeps_scope:
            if uses_partial and not partial_indexed_only:
                return _partial_loop(scope, lists[0], names[0], body)
            return _plain_loop(scope, lists[0], names[0], body, uses_partial)
        combinations: Iterable[Any] = lists[0] if len(lists) == 1 else itertools.product(*lists)
        return _loop(scope, combinations, names, body, uses_partial, keeps_scope)

    return run


def _plain_loop(scope: Scope, items: Iterable[Any], name: str, body: Run,
                with_partial: bool = False) -> list[Any]:
    """`for name in items return body` where the body defines no function and reads `partial`
    (the results so far) at most `with_partial` as `partial[-1]` (by a number literal): nothing
    can keep an iteration's scope or the results list, so one scope serves every iteration and
    `partial` is the results list itself."""
    results: list[Any] = []
    variables: dict[Any, Any] = {"partial": results} if with_partial else {}
    inner = Scope(variables, scope, scope.evaluation)
    for item in items:
        variables[name] = item
        results.append(body(inner))
    return results


def _partial_loop(scope: Scope, items: Iterable[Any], name: str, body: Run) -> list[Any]:
    """`for name in items return body` where the body reads `partial` but defines no function:
    as `_loop` (see there for `partial`), with one scope for every iteration."""
    evaluation = scope.evaluation
    results: list[Any] = []
    variables: dict[Any, Any] = {"partial": results}
    inner = Scope(variables, scope, evaluation)
    alone = sys.getrefcount(results)
    for item in items:
        variables[name] = item
        value = body(inner)
        if sys.getrefcount(results) > alone:  # the body handed `partial` out: leave it as it is
            evaluation.spend(len(results) >> 6)
            results = results[:]
            variables["partial"] = results
        results.append(value)
    return results


def _loop(scope: Scope, combinations: Iterable[Any], names: tuple[str, ...], body: Run,
          uses_partial: bool, keeps_scope: bool) -> list[Any]:
    """The results of `body` for each combination of the loop's names.

    Each iteration has its own scope in FEEL, but only a function defined in the body can keep
    one beyond its iteration: the loop reuses one scope (when the body `keeps_scope`, for as long
    as nothing else holds it, as `sys.getrefcount` tells), so an iteration allocates nothing. A
    body that reads
    `partial` (the results so far) gets the results list itself, not a copy per iteration (which
    made such loops quadratic); only when something still holds the list after an iteration (the
    body returned it, or a function kept the scope), the loop goes on with a copy, so what was
    handed out keeps the value it had."""
    evaluation = scope.evaluation
    results: list[Any] = []
    variables: dict[Any, Any] = {}
    inner = Scope(variables, scope, evaluation)
    scope_alone = sys.getrefcount(inner)  # the references when nothing else holds it
    if uses_partial:
        variables["partial"] = results
    results_alone = sys.getrefcount(results)
    single, name = len(names) == 1, names[0]
    for combination in combinations:
        if single:
            variables[name] = combination
        else:
            variables.update(zip(names, combination, strict=False))
        value = body(inner)
        escaped = keeps_scope and sys.getrefcount(inner) > scope_alone
        if escaped:  # a function value holds this iteration's scope: the next gets a new one
            variables = {}
            inner = Scope(variables, scope, evaluation)
        if uses_partial:
            if escaped or sys.getrefcount(results) > results_alone:  # leave `partial` as it is
                evaluation.spend(len(results) >> 6)
                results = results[:]
            variables["partial"] = results
        results.append(value)
    return results


def _quantified(node: ast.Quantified) -> Run:
    sources = _iteration_sources(node.iterators)
    names = tuple(name for name, _ in sources)
    condition = compile_tree(node.condition)
    every = node.quantifier == "every"

    def run(scope: Scope) -> Any:
        lists = _iteration_lists(scope, sources)
        if lists is None:
            return None
        evaluation = scope.evaluation
        outcomes = (condition(Scope(dict(zip(names, combination, strict=False)), scope, evaluation))
                    for combination in itertools.product(*lists))
        return _three_valued(scope, outcomes, absorbing=not every)

    return run


# ---- unary tests ----------------------------------------------------------------------------

def _input(scope: Scope) -> Any:
    value = scope.lookup(INPUT)
    if value is MISSING:
        _warn(scope, NO_VARIABLE_FOUND, "No input value found.")
        return None
    return value


# `< 10` used as a value, not as a test (no input value): the open-ended range it describes
# (DMN 1.4), as (start, end, start included, end included) from the operand
_OPEN_RANGES: dict[str, Callable[[Any], values.Range]] = {
    "<": lambda end: values.Range(None, end, False, False),
    "<=": lambda end: values.Range(None, end, False, True),
    ">": lambda start: values.Range(start, None, False, False),
    ">=": lambda start: values.Range(start, None, True, False),
}


def _input_comparison(node: ast.InputComparison) -> Run:
    operand = compile_tree(node.operand)
    test = _ORDER_TESTS[node.op]
    open_range = _OPEN_RANGES[node.op]

    def run(scope: Scope) -> Any:
        value = scope.lookup(INPUT)
        if value is MISSING:  # an expression such as `(> 10).start`: the range itself
            bound = operand(scope)
            return open_range(bound) if values.kind(bound) in _RANGE_KINDS else _invalid_range(
                scope, bound, bound)
        c = order(scope, value, operand(scope))
        return None if c is None else test(c)

    return run


def _input_in_range(node: ast.InputInRange) -> Run:
    interval = node.range
    start_run, end_run = compile_tree(interval.start), compile_tree(interval.end)
    start_included, end_included = interval.start_included, interval.end_included

    def run(scope: Scope) -> Any:
        value = scope.lookup(INPUT)
        start, end = start_run(scope), end_run(scope)
        if value is MISSING:  # `[1..10]` as an expression: the range value
            if not _is_valid_range(start, end):
                return _invalid_range(scope, start, end)
            return values.Range(start, end, start_included, end_included)
        kind = values.kind(value)
        if kind != values.kind(start) or kind != values.kind(end):
            _warn(scope, NOT_COMPARABLE, f"Can't compare '{_describe(value)}' with "
                                         f"'{_describe(start)}' and '{_describe(end)}'")
            return None
        low, high = order(scope, value, start), order(scope, value, end)
        if low is None or high is None:
            return None
        return (low >= 0 if start_included else low > 0) and (high <= 0 if end_included else high < 0)

    return run


def _input_equals(node: ast.InputEquals) -> Run:
    operand = compile_tree(node.operand)
    return lambda scope: equality(scope, _input(scope), operand(scope))


def _contains(scope: Scope, items: list[Any], value: Any) -> bool:
    scope.evaluation.spend(len(items))
    for item in items:
        if item is None or value is None:
            if item is None and value is None:
                return True
            continue
        try:
            if values.equal(item, value, scope.evaluation):
                return True
        except SuppressedFailure:
            continue
    return False


def _unary_test_expression(node: ast.UnaryTestExpression) -> Run:
    expression = compile_tree(node.expression)
    if any(isinstance(child, ast.InputValue) for child in ast.walk(node.expression)):
        # `? > 3`: evaluated with `?` bound to the input; only a boolean result counts
        def run_with_question_mark(scope: Scope) -> Any:
            value = _input(scope)
            result = expression(Scope({QUESTION_MARK: value}, scope, scope.evaluation))
            return result if result is True or result is False else None

        return run_with_question_mark

    def run(scope: Scope) -> Any:
        value = _input(scope)
        result = expression(scope)
        if result is True or (type(result) is list and _contains(scope, result, value)):
            return True
        equal = equality(scope, value, result)
        if equal is True:
            return True
        if result is False or type(result) is list:
            return False
        return None if equal is None else False

    return run


def _any_input(node: ast.AnyInput) -> Run:
    return lambda scope: True


def _not_tests(node: ast.NotTests) -> Run:
    tests = tuple(compile_tree(test) for test in node.tests)

    def run(scope: Scope) -> Any:
        result = _fold_or(scope, tests, scope)
        if result is True or result is False:
            return not result
        _expect_boolean(scope, result)
        return None

    return run


def _any_test(node: ast.AnyTest) -> Run:
    tests = tuple(compile_tree(test) for test in node.tests)
    return lambda scope: _fold_or(scope, tests, scope)


def _no_direct_evaluation(node: ast.Node) -> Run:
    raise TypeError(f"{type(node).__name__} is compiled by its parent node")


_COMPILERS: dict[type, Callable[[Any], Run]] = {
    ast.Literal: _literal,
    ast.TemporalLiteral: _temporal_literal,
    ast.Name: _name,
    ast.InputValue: _input_value,
    ast.ListLiteral: _list,
    ast.ContextLiteral: _context,
    ast.RangeLiteral: _range,
    ast.FunctionDefinition: _function_definition,
    ast.Path: _path,
    ast.Filter: _filter,
    ast.FunctionCall: _call,
    ast.Invocation: _invocation,
    ast.Arithmetic: _arithmetic,
    ast.Negation: _negation,
    ast.Comparison: _comparison,
    ast.Between: _between,
    ast.In: _in,
    ast.InstanceOf: _instance_of,
    ast.And: _and,
    ast.Or: _or,
    ast.If: _if,
    ast.For: _for,
    ast.Quantified: _quantified,
    ast.IterationRange: _no_direct_evaluation,
    ast.InputComparison: _input_comparison,
    ast.InputInRange: _input_in_range,
    ast.InputEquals: _input_equals,
    ast.UnaryTestExpression: _unary_test_expression,
    ast.AnyInput: _any_input,
    ast.NotTests: _not_tests,
    ast.AnyTest: _any_test,
}
