"""What the Camunda REST connector (`io.camunda:http-json:1`) brings: its inputs, auth types and standard properties.

Names and values are the connector's own (facts/connectors.md §2.2, §2.3); definitions refer to them
and the renderer emits them, so they live here once.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.element_template import Binding

HTTP_JSON = "http-json"
HTTP_JSON_JOB_TYPE = "io.camunda:http-json:1"

#: The request inputs a definition's `request`/`operations` produce, in the order they are emitted.
REQUEST_PARTS: tuple[tuple[str, str], ...] = (
    ("method", "method"),
    ("url", "url"),
    ("query", "queryParameters"),
    ("headers", "headers"),
    ("body", "body"),
)

#: Other REST connector inputs a shared field may bind directly by taking their name.
DIRECT_INPUTS = ("ignoreNullValues", "skipEncoding", "storeResponse", "followRedirects", "groupSetCookieHeaders")

HTTP_METHODS = ("POST", "GET", "DELETE", "PATCH", "PUT")


@dataclass(frozen=True)
class AuthFieldSpec:
    """One input of an authentication type, e.g. `authentication.token` of `bearer`."""

    name: str
    label: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); a Dropdown when given
    default: str | None = None
    pattern: tuple[str, str] | None = None  # (regex, message)


_URL_PATTERN = (r"^(=|(http://|https://|secrets|\{\{).*)", "must be a http(s) URL")


@dataclass(frozen=True)
class AuthTypeSpec:
    """An `authentication.type` value of the REST connector and the inputs it reads."""

    type: str
    label: str
    fields: tuple[AuthFieldSpec, ...]


AUTH_TYPES: dict[str, AuthTypeSpec] = {
    spec.type: spec
    for spec in (
        AuthTypeSpec("noAuth", "None", ()),
        AuthTypeSpec(
            "basic",
            "Basic",
            (AuthFieldSpec("username", "Username"), AuthFieldSpec("password", "Password")),
        ),
        AuthTypeSpec("bearer", "Bearer token", (AuthFieldSpec("token", "Bearer token"),)),
        AuthTypeSpec(
            "apiKey",
            "API key",
            (
                AuthFieldSpec(
                    "apiKeyLocation",
                    "API key location",
                    choices=(("headers", "Headers"), ("query", "Query parameters")),
                    default="headers",
                ),
                AuthFieldSpec("name", "API key name"),
                AuthFieldSpec("value", "API key value"),
            ),
        ),
        AuthTypeSpec(
            "oauth-client-credentials-flow",
            "OAuth 2.0 client credentials",
            (
                AuthFieldSpec("oauthTokenEndpoint", "OAuth 2.0 token endpoint", pattern=_URL_PATTERN),
                AuthFieldSpec("clientId", "Client ID"),
                AuthFieldSpec("clientSecret", "Client secret"),
                AuthFieldSpec("audience", "Audience", required=False),
                AuthFieldSpec(
                    "clientAuthentication",
                    "Client authentication",
                    choices=(
                        ("credentialsBody", "Send client credentials in body"),
                        ("basicAuthHeader", "Send client credentials as Basic Auth header"),
                    ),
                    default="credentialsBody",
                ),
                AuthFieldSpec("scopes", "Scopes", required=False),
            ),
        ),
    )
}


@dataclass(frozen=True)
class StandardProperty:
    """A property every http-json template gets (timeouts, output, error handling, retries, ids)."""

    id: str
    label: str
    group: str
    type: str
    binding: Binding
    default: str | int | None = None
    feel: str | None = None
    required: bool = False
    overridable: bool = True  # may a definition change its label, default, hints?


STANDARD_GROUPS: tuple[tuple[str, str], ...] = (
    ("timeout", "Timeouts"),
    ("connector", "Connector"),
    ("output", "Output mapping"),
    ("error", "Error handling"),
    ("retries", "Retries"),
)

#: Group ids the generator creates itself when a definition uses them without declaring them.
OPERATION_GROUP = ("operation", "Operation")
AUTHENTICATION_GROUP = ("authentication", "Authentication")
FALLBACK_GROUP = ("default", "Properties")

STANDARD_PROPERTIES: tuple[StandardProperty, ...] = (
    StandardProperty(
        "connectionTimeoutInSeconds",
        "Connection timeout in seconds",
        "timeout",
        "Number",
        {"type": "zeebe:input", "name": "connectionTimeoutInSeconds"},
        default=20,
        feel="static",
        required=True,
    ),
    StandardProperty(
        "readTimeoutInSeconds",
        "Read timeout in seconds",
        "timeout",
        "Number",
        {"type": "zeebe:input", "name": "readTimeoutInSeconds"},
        default=20,
        feel="static",
        required=True,
    ),
    StandardProperty(
        "elementTemplateVersion",
        "Element template version",
        "connector",
        "Hidden",
        {"type": "zeebe:taskHeader", "key": "elementTemplateVersion"},
        overridable=False,
    ),
    StandardProperty(
        "elementTemplateId",
        "Element template ID",
        "connector",
        "Hidden",
        {"type": "zeebe:taskHeader", "key": "elementTemplateId"},
        overridable=False,
    ),
    StandardProperty(
        "resultVariable", "Result variable", "output", "String", {"type": "zeebe:taskHeader", "key": "resultVariable"}
    ),
    StandardProperty(
        "resultExpression",
        "Result expression",
        "output",
        "Text",
        {"type": "zeebe:taskHeader", "key": "resultExpression"},
        feel="required",
    ),
    StandardProperty(
        "errorExpression",
        "Error expression",
        "error",
        "Text",
        {"type": "zeebe:taskHeader", "key": "errorExpression"},
        feel="required",
    ),
    StandardProperty(
        "retryCount",
        "Retries",
        "retries",
        "String",
        {"type": "zeebe:taskDefinition", "property": "retries"},
        default="3",
        feel="optional",
    ),
    StandardProperty(
        "retryBackoff",
        "Retry backoff",
        "retries",
        "String",
        {"type": "zeebe:taskHeader", "key": "retryBackoff"},
        default="PT30S",
    ),
)
STANDARD_BY_ID = {prop.id: prop for prop in STANDARD_PROPERTIES}
OVERRIDABLE_STANDARD_IDS = tuple(prop.id for prop in STANDARD_PROPERTIES if prop.overridable)

TASK_DEFINITION_TYPE_ID = "taskDefinitionType"
OPERATION_ID = "operation"
AUTHENTICATION_TYPE_ID = "authentication.type"
