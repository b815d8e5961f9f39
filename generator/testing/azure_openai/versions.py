"""The Azure OpenAI api-versions the fake knows, and what each one offers (routes, request keys, response fields).

Ground truth: the data-plane OpenAPI specs in Azure/azure-rest-api-specs
(`specification/cognitiveservices/data-plane/AzureOpenAI/inference/{stable,preview}/<version>/inference.json`).
The GA versions 2022-12-01, 2023-05-15, 2024-02-01, 2024-06-01 and 2024-10-21 and the preview
2023-12-01-preview were read property by property; other previews are placed by date between them
(a feature counts as present from the first version whose spec has it), which is an approximation
for previews whose spec was not read in full.
"""

from __future__ import annotations

from dataclasses import dataclass

STABLE_VERSIONS: tuple[str, ...] = ("2022-12-01", "2023-05-15", "2024-02-01", "2024-06-01", "2024-10-21")
PREVIEW_VERSIONS: tuple[str, ...] = (
    "2023-03-15-preview",
    "2023-06-01-preview",
    "2023-07-01-preview",
    "2023-08-01-preview",
    "2023-09-01-preview",
    "2023-10-01-preview",
    "2023-12-01-preview",
    "2024-02-15-preview",
    "2024-03-01-preview",
    "2024-04-01-preview",
    "2024-05-01-preview",
    "2024-07-01-preview",
    "2024-08-01-preview",
    "2024-09-01-preview",
    "2024-10-01-preview",
    "2024-12-01-preview",
    "2025-01-01-preview",
    "2025-02-01-preview",
    "2025-03-01-preview",
    "2025-04-01-preview",
)
KNOWN_VERSIONS: tuple[str, ...] = tuple(sorted(STABLE_VERSIONS + PREVIEW_VERSIONS))

# Operations (the part of the path after /openai/deployments/{deployment-id}/) and their spec operationIds,
# which Azure names in its 429 message.
COMPLETIONS = "completions"
CHAT = "chat/completions"
EXTENSIONS = "extensions/chat/completions"
OPERATION_IDS: dict[str, str] = {
    COMPLETIONS: "Completions_Create",
    CHAT: "ChatCompletions_Create",
    EXTENSIONS: "ExtensionsChatCompletions_Create",
}

# Top-level request keys. `model` is in no spec but every OpenAI SDK sends it and Azure ignores it.
_SAMPLING_KEYS = (
    "temperature", "top_p", "stream", "stop", "max_tokens",
    "presence_penalty", "frequency_penalty", "logit_bias", "user", "model",
)
_COMPLETION_KEYS_UNTIL_2024_06 = (
    *_SAMPLING_KEYS, "prompt", "n", "logprobs", "suffix", "echo", "completion_config", "best_of",
)
_COMPLETION_KEYS_FROM_2024_08 = (*_SAMPLING_KEYS, "prompt", "n", "logprobs", "suffix", "echo", "best_of", "seed")
_LEGACY_EXTENSION_KEYS = (*_SAMPLING_KEYS, "messages", "dataSources", "enhancements")

# Chat keys and the date (YYYY-MM-DD part of the api-version) from which a version's spec has them.
_CHAT_KEYS_SINCE: dict[str, str] = {
    **dict.fromkeys((*_SAMPLING_KEYS, "messages", "n"), "2023-03-15"),
    "functions": "2023-07-01",
    "function_call": "2023-07-01",
    "tools": "2023-12-01",
    "tool_choice": "2023-12-01",
    "seed": "2023-12-01",
    "response_format": "2023-12-01",
    "data_sources": "2024-02-01",
    "logprobs": "2024-03-01",
    "top_logprobs": "2024-03-01",
    "parallel_tool_calls": "2024-07-01",
    "max_completion_tokens": "2024-09-01",
}


@dataclass(frozen=True)
class ApiVersion:
    """One api-version and the request/response shape the fake applies for it."""

    name: str
    date: str
    preview: bool

    def has_operation(self, operation: str) -> bool:
        """Whether the route exists for this version (Azure answers 404 `Resource not found` otherwise)."""
        if operation == COMPLETIONS:
            return True
        if operation == CHAT:
            return self.date >= "2023-03-15"
        # The old On-Your-Data route lived only in the 2023-06-01 … 2023-12-01 previews.
        return self.preview and "2023-06-01" <= self.date <= "2023-12-01"

    def request_keys(self, operation: str) -> tuple[str, ...]:
        """The top-level request keys this version's spec accepts for `operation`."""
        if operation == COMPLETIONS:
            return _COMPLETION_KEYS_FROM_2024_08 if self.date >= "2024-08-01" else _COMPLETION_KEYS_UNTIL_2024_06
        if operation == EXTENSIONS:
            return _LEGACY_EXTENSION_KEYS
        return tuple(key for key, since in _CHAT_KEYS_SINCE.items() if self.date >= since)

    @property
    def message_roles(self) -> tuple[str, ...]:
        """Accepted chat roles, in the order Azure lists them in its enum error message."""
        roles = ["system", "assistant", "user"]
        if self.date >= "2023-07-01":
            roles.append("function")
        if self.date >= "2023-12-01":
            roles.append("tool")
        return tuple(roles)

    @property
    def content_parts(self) -> bool:
        """Message content may be a list of parts (text, image_url) instead of a string."""
        return self.date >= "2023-12-01"

    @property
    def json_schema_response_format(self) -> bool:
        return self.date >= "2024-08-01"

    @property
    def top_logprobs_maximum(self) -> int:
        return 20 if self.date >= "2024-08-01" else 5

    @property
    def prompt_filter_key(self) -> str | None:
        """Where prompt content-filter results go: annotations began with 2023-06-01-preview and were
        renamed `prompt_filter_results` in 2023-10-01-preview; older versions return none."""
        if self.date < "2023-06-01":
            return None
        return "prompt_annotations" if self.date < "2023-10-01" else "prompt_filter_results"

    @property
    def choice_filter_results(self) -> bool:
        return self.date >= "2023-06-01"

    @property
    def chat_logprobs(self) -> bool:
        """Chat choices carry `logprobs` (null unless requested)."""
        return self.date >= "2023-12-01"

    @property
    def system_fingerprint(self) -> bool:
        return self.date >= "2023-12-01"

    @property
    def refusal(self) -> bool:
        """Assistant messages carry `refusal` (structured outputs, 2024-08-01-preview on)."""
        return self.date >= "2024-08-01"


def lookup_version(name: str, allowed: tuple[str, ...] | frozenset[str] = KNOWN_VERSIONS) -> ApiVersion | None:
    """The `ApiVersion` for `name`, or None when it is not one of `allowed`."""
    if name not in allowed or name not in KNOWN_VERSIONS:
        return None
    return ApiVersion(name=name, date=name[:10], preview=name.endswith("-preview"))
