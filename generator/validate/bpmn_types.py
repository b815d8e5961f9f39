"""The BPMN 2.0 type hierarchy a template's `appliesTo` and `elementType` refer to.

The Modeler accepts an `elementType` only when it is (a subtype of) one of the `appliesTo` types,
and every `appliesTo` type can be morphed into it: the same type, or both inside one family
(`bpmn:Activity`, `bpmn:Event`, `bpmn:Gateway`). Super types follow the BPMN 2.0 metamodel.
"""

from __future__ import annotations

import functools

# type -> its direct super types (BPMN 2.0 metamodel, the parts templates can name).
SUPER_TYPES: dict[str, tuple[str, ...]] = {
    "bpmn:BaseElement": (),
    "bpmn:RootElement": ("bpmn:BaseElement",),
    "bpmn:CallableElement": ("bpmn:RootElement",),
    "bpmn:FlowElementsContainer": ("bpmn:BaseElement",),
    "bpmn:InteractionNode": (),
    "bpmn:FlowElement": ("bpmn:BaseElement",),
    "bpmn:FlowNode": ("bpmn:FlowElement",),
    "bpmn:ItemAwareElement": ("bpmn:BaseElement",),
    "bpmn:Artifact": ("bpmn:BaseElement",),
    "bpmn:Process": ("bpmn:FlowElementsContainer", "bpmn:CallableElement"),
    "bpmn:Collaboration": ("bpmn:RootElement",),
    "bpmn:Participant": ("bpmn:InteractionNode", "bpmn:BaseElement"),
    "bpmn:Lane": ("bpmn:BaseElement",),
    "bpmn:SequenceFlow": ("bpmn:FlowElement",),
    "bpmn:DataObject": ("bpmn:FlowElement", "bpmn:ItemAwareElement"),
    "bpmn:DataObjectReference": ("bpmn:ItemAwareElement", "bpmn:FlowElement"),
    "bpmn:DataStoreReference": ("bpmn:ItemAwareElement", "bpmn:FlowElement"),
    "bpmn:TextAnnotation": ("bpmn:Artifact",),
    "bpmn:Group": ("bpmn:Artifact",),
    "bpmn:Activity": ("bpmn:FlowNode",),
    "bpmn:Task": ("bpmn:Activity", "bpmn:InteractionNode"),
    "bpmn:ServiceTask": ("bpmn:Task",),
    "bpmn:SendTask": ("bpmn:Task",),
    "bpmn:ReceiveTask": ("bpmn:Task",),
    "bpmn:UserTask": ("bpmn:Task",),
    "bpmn:ManualTask": ("bpmn:Task",),
    "bpmn:ScriptTask": ("bpmn:Task",),
    "bpmn:BusinessRuleTask": ("bpmn:Task",),
    "bpmn:SubProcess": ("bpmn:Activity", "bpmn:FlowElementsContainer", "bpmn:InteractionNode"),
    "bpmn:AdHocSubProcess": ("bpmn:SubProcess",),
    "bpmn:Transaction": ("bpmn:SubProcess",),
    "bpmn:CallActivity": ("bpmn:Activity", "bpmn:InteractionNode"),
    "bpmn:Event": ("bpmn:FlowNode", "bpmn:InteractionNode"),
    "bpmn:CatchEvent": ("bpmn:Event",),
    "bpmn:ThrowEvent": ("bpmn:Event",),
    "bpmn:StartEvent": ("bpmn:CatchEvent",),
    "bpmn:IntermediateCatchEvent": ("bpmn:CatchEvent",),
    "bpmn:BoundaryEvent": ("bpmn:CatchEvent",),
    "bpmn:IntermediateThrowEvent": ("bpmn:ThrowEvent",),
    "bpmn:EndEvent": ("bpmn:ThrowEvent",),
    "bpmn:ImplicitThrowEvent": ("bpmn:ThrowEvent",),
    "bpmn:Gateway": ("bpmn:FlowNode",),
    "bpmn:ExclusiveGateway": ("bpmn:Gateway",),
    "bpmn:InclusiveGateway": ("bpmn:Gateway",),
    "bpmn:ParallelGateway": ("bpmn:Gateway",),
    "bpmn:ComplexGateway": ("bpmn:Gateway",),
    "bpmn:EventBasedGateway": ("bpmn:Gateway",),
}

MORPHABLE_FAMILIES = ("bpmn:Activity", "bpmn:Event", "bpmn:Gateway")


@functools.cache
def ancestors(bpmn_type: str) -> frozenset[str]:
    """`bpmn_type` and all its super types; empty for a type BPMN does not define."""
    if bpmn_type not in SUPER_TYPES:
        return frozenset()
    result = {bpmn_type}
    for parent in SUPER_TYPES[bpmn_type]:
        result |= ancestors(parent)
    return frozenset(result)


def is_type(bpmn_type: str, base_type: str) -> bool:
    """True when `bpmn_type` is `base_type` or one of its subtypes."""
    return base_type in ancestors(bpmn_type)


def can_morph(source_type: str, target_type: str) -> bool:
    """True when an element of `source_type` may be replaced by one of `target_type`."""
    if source_type == target_type:
        return True
    family = next((family for family in MORPHABLE_FAMILIES if is_type(source_type, family)), None)
    return family is not None and is_type(target_type, family)
