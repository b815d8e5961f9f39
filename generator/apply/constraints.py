"""Constraint checks on an element: what the Modeler flags on a templated element's properties.

A port of bpmn-js-element-templates' `validateProperty`: `notEmpty`, then (unless a FEEL property
holds a FEEL value) `maxLength`, `minLength` and `pattern` (a JavaScript `RegExp.test`, i.e. a
search, on the value as JavaScript turns it into text, with JavaScript's regex semantics), run on
every *active* property by two parts of the Modeler that disagree about an empty field:

* the properties panel (the red message under a field) hands it the value `undefined` when the
  element stores `""` or nothing (`propertyGetter`: "the properties panel value contract"), so a
  pattern sees the text "undefined";
* the element-templates lint rule (`CloudElementTemplatesLinterPlugin`, the Problems panel) hands
  it the stored value as it is: `""` for an optional field that wrote no mapping.

A value is flagged when either rejects it (the message is the same). Messages are the Modeler's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.apply.bindings import binding_label, property_value
from generator.apply.conditions import active_template
from generator.apply.state import ElementState
from generator.apply.values import JsValue, js_string
from generator.element_template import Property, Template
from generator.js_regex import JsRegexError, js_test


@dataclass(frozen=True)
class ConstraintViolation:
    """An active property whose value breaks one of its constraints, with the Modeler's message."""

    prop: Property
    message: str

    @property
    def names(self) -> tuple[str, ...]:
        """How a `values` key may name the property: its id (if it has one), then its binding name."""
        return tuple(dict.fromkeys(name for name in (self.prop.get("id"), binding_label(self.prop["binding"])) if name))


def constraint_violations(state: ElementState, template: Template) -> list[ConstraintViolation]:
    """Every active property of `template` whose value on `state` breaks a constraint, in template order."""
    violations = []
    for prop in active_template(state, template)["properties"]:
        message = constraint_message(property_value(state, prop), prop)
        if message is not None:
            violations.append(ConstraintViolation(prop, message))
    return violations


def constraint_message(value: JsValue, prop: Property) -> str | None:
    """The Modeler's message for `value` in `prop`'s field, None when the value is acceptable to
    both the lint rule (which sees `value`) and the properties panel (which sees `undefined` for `""`)."""
    message = _validate_property(value, prop)
    if message is None and value == "":
        message = _validate_property(None, prop)
    return message


def _validate_property(value: JsValue, prop: Property) -> str | None:
    """`validateProperty(value, property)`."""
    constraints = prop.get("constraints") or {}
    label = prop.get("label")
    if constraints.get("notEmpty") and _is_empty(value):
        return _labelled(label, "must not be empty.")
    if prop.get("feel") and isinstance(value, str) and value.strip().startswith("="):
        return None
    # `(value || '').length` is undefined for booleans and numbers, so only text is measured
    length = len(value) if isinstance(value, str) else 0 if not value else None
    max_length = constraints.get("maxLength")
    if max_length and length is not None and length > max_length:
        return _labelled(label, f"cannot exceed {max_length} characters.")
    min_length = constraints.get("minLength")
    if min_length and length is not None and length < min_length:
        return _labelled(label, f"must be at least {min_length} characters.")
    pattern = constraints.get("pattern")
    if pattern:
        message = None
        if not isinstance(pattern, str):
            message, pattern = pattern.get("message"), pattern.get("value")
        if isinstance(pattern, str) and not _matches(pattern, js_string(value)):
            if message:
                return f"{label} {message}" if label else message
            return _labelled(label, f"must match pattern {pattern}.")
    return None


def _labelled(label: str | None, message: str) -> str:
    """`Label must ...`, or `Must ...` for a property without a label (the Modeler's two wordings)."""
    return f"{label} {message}" if label else message[:1].upper() + message[1:]


def _is_empty(value: JsValue) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None


def _matches(pattern: str, text: str) -> bool:
    try:
        return js_test(pattern, text)
    except JsRegexError:
        # a pattern JavaScript cannot compile is the template validator's finding, not a value's
        return True
