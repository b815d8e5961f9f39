"""BPMN diagrams with lxml: safe reading, applying templates in place, example diagrams, and
reading back what an element carries for the engine (`read_applied_task`)."""
