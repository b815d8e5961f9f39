"""A fake Azure OpenAI data-plane service on loopback, faithful to the 2024-10-21 spec and the live service's answers.

`FakeAzureOpenAI` is the entry point; `Reply` scripts what the model answers; `RecordedRequest` is
what `fake.requests` holds. See the package's modules for the rules applied (versions, schemas,
validation, answers).
"""

from __future__ import annotations

from generator.testing.azure_openai.generation import DOCUMENTED_ANSWER, DOCUMENTED_QUESTION
from generator.testing.azure_openai.script import Reply
from generator.testing.azure_openai.server import FakeAzureOpenAI
from generator.testing.azure_openai.service import DEFAULT_API_KEY, DEFAULT_DEPLOYMENTS
from generator.testing.azure_openai.versions import KNOWN_VERSIONS, PREVIEW_VERSIONS, STABLE_VERSIONS
from generator.testing.errors import FakeServiceError
from generator.testing.records import RecordedRequest

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_DEPLOYMENTS",
    "DOCUMENTED_ANSWER",
    "DOCUMENTED_QUESTION",
    "KNOWN_VERSIONS",
    "PREVIEW_VERSIONS",
    "STABLE_VERSIONS",
    "FakeAzureOpenAI",
    "FakeServiceError",
    "RecordedRequest",
    "Reply",
]
