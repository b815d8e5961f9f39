"""What the Camunda Modeler writes onto a BPMN element when a user applies an element template.

`apply_template(template, values)` gives the `AppliedTask` a new element carries after the user
applied `template` and typed `values` into the properties panel. The Modeler semantics
(`values`: FEEL casting; `conditions`; `change`: one template change; `modeler`: the fixed
point, the panel, unlink and remove; `constraints`: the Modeler's checks of the values written)
work on an `ElementState`, which the BPMN package reads from and writes back to XML, so
diagrams and the runtime share one implementation.
"""

from generator.apply.constraints import ConstraintViolation, constraint_message, constraint_violations
from generator.apply.errors import ApplyError, value_key, value_pointer
from generator.apply.modeler import (
    Identity,
    apply_template,
    apply_to_state,
    linked_template,
    new_element_state,
    remove_state,
    unlink_state,
)
from generator.apply.state import ElementState, Node

__all__ = [
    "ApplyError",
    "ConstraintViolation",
    "ElementState",
    "Identity",
    "Node",
    "apply_template",
    "apply_to_state",
    "constraint_message",
    "constraint_violations",
    "linked_template",
    "new_element_state",
    "remove_state",
    "unlink_state",
    "value_key",
    "value_pointer",
]
