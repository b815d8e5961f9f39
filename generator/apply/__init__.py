"""What the Camunda Modeler writes onto a BPMN element when a user applies an element template.

`AppliedTask` is the one representation between templates, diagrams and the runtime: exactly
what a BPMN service task carries for the engine (job type, retries, ordered input mappings,
task headers, ...).
"""

from generator.apply.model import AppliedTask, InputMapping, OutputMapping, TaskHeader, ZeebeProperty

__all__ = ["AppliedTask", "InputMapping", "OutputMapping", "TaskHeader", "ZeebeProperty"]
