"""The applied task: what a BPMN element that uses a job-worker template carries for the engine.

The one representation in the middle of etk's data flow: `apply` builds it (Modeler semantics),
`bpmn` reads it back from a diagram, `runtime` executes it. It sits at the bottom of the package
graph and imports nothing from etk.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InputMapping:
    """A `<zeebe:input source=... target=...>`; `source` is None when the element has no source
    attribute (Camunda 8.8+ maps that to null)."""

    target: str
    source: str | None


@dataclass(frozen=True)
class OutputMapping:
    """A `<zeebe:output source=... target=...>`, applied by the engine to the job's result."""

    source: str
    target: str


@dataclass(frozen=True)
class TaskHeader:
    """A `<zeebe:header key=... value=...>`: a static string the job worker receives."""

    key: str
    value: str


@dataclass(frozen=True)
class ZeebeProperty:
    """A `<zeebe:property name=... value=...>` extension property."""

    name: str
    value: str


@dataclass(frozen=True)
class AppliedTask:
    """Exactly what a BPMN task carries for the engine, in document order.

    Built by applying a template with user values (Modeler semantics) or read back from a
    diagram; the runtime executes it. Values are the texts as written in the XML: a source
    starting with `=` is FEEL, anything else a string literal.
    """

    job_type: str | None
    retries: str | None = None
    inputs: tuple[InputMapping, ...] = ()
    outputs: tuple[OutputMapping, ...] = ()
    headers: tuple[TaskHeader, ...] = ()
    properties: tuple[ZeebeProperty, ...] = ()
    element_id: str | None = None
    element_type: str | None = None
    template_id: str | None = None
    template_version: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def header(self, key: str) -> str | None:
        """The value of task header `key`, or None when the element has no such header."""
        for header in self.headers:
            if header.key == key:
                return header.value
        return None

    def headers_dict(self) -> dict[str, str]:
        """Task headers as the job worker receives them (a later duplicate key wins)."""
        return {header.key: header.value for header in self.headers}
