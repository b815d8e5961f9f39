"""A loopback fake of any API an OpenAPI 3.0/3.1 or Swagger 2.0 description describes.

`FakeOpenAPIService(spec)` validates every request against the description (openapi-core) and
answers with the spec's examples or data generated from the response schema (seeded); tests script
replies and faults with `reply`, `fail_next` and `delay_next`. Needs the `openapi` extra.
"""

from __future__ import annotations

from generator.testing.errors import FakeServiceError
from generator.testing.openapi.service import FakeOpenAPIService, ScriptedReply, Violation
from generator.testing.records import RecordedRequest

__all__ = ["FakeOpenAPIService", "FakeServiceError", "RecordedRequest", "ScriptedReply", "Violation"]
