"""Binding the connector's job variables to a REST request, as the REST connector's Jackson
binding and Bean Validation do (`HttpJsonRequest` / `HttpCommonRequest`).

Rules reproduced:
- unknown properties are ignored; `method` is a case-insensitive enum (POST, GET, DELETE, PATCH,
  PUT); string-typed fields accept numbers and booleans (Jackson coerces them to text);
- `body`, `headers` and `queryParameters` use the relaxed FEEL deserializer: a string that
  starts with `=` is evaluated as FEEL with an EMPTY context, a string that parses as JSON is
  parsed, any other string stays a string;
- `authentication` is polymorphic on `type`: noAuth, basic, bearer, apiKey,
  oauth-client-credentials-flow;
- a binding failure or a constraint violation is a `ConnectorInputError` (0 retries), with
  Camunda's messages: `Json object contains an invalid field: <field names, joined by ", ">. It
  Must be `<type>`` for a value Jackson cannot convert (an unknown enum constant, a non-number
  for an Integer, a non-boolean, an unknown or missing authentication type: no target type
  then), `Numeric value (...) out of range of int (-2147483648 - 2147483647)` for a number
  beyond a Java int, and `jakarta.validation.ValidationException: Found constraints violated
  while validating input: ` followed by one ` - path: message` line per violation. Where Jackson
  itself words the failure (an object where text is expected, ...), the message names the field
  and the problem in our words instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from generator.jsontext import JsonReadError, parse_json
from generator.runtime.errors import ConnectorInputError
from generator.runtime.javatext import java_string

METHODS = ("POST", "GET", "DELETE", "PATCH", "PUT")
METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})
URL_PATTERN = re.compile(r"^(=|(http://|https://|secrets|\{\{).*)$")
DEFAULT_TIMEOUT_SECONDS = 20
# Jakarta Bean Validation's default messages, as Hibernate Validator words them
NOT_BLANK, NOT_EMPTY, NOT_NULL = "must not be blank", "must not be empty", "must not be null"
# The basic-auth password placeholder Camunda's template uses for "no password"
SPEC_PASSWORD_EMPTY_PATTERN = "SPEC_PASSWORD_EMPTY_PATTERN"
JAVA_INT_MIN, JAVA_INT_MAX = -(2**31), 2**31 - 1


@dataclass(frozen=True)
class NoAuth:
    pass


@dataclass(frozen=True)
class BasicAuth:
    username: str
    password: str


@dataclass(frozen=True)
class BearerAuth:
    token: str


@dataclass(frozen=True)
class ApiKeyAuth:
    name: str
    value: str
    in_query: bool


@dataclass(frozen=True)
class OAuthClientCredentials:
    token_endpoint: str
    client_id: str
    client_secret: str
    audience: str | None
    client_authentication: str
    scopes: str | None


Authentication = NoAuth | BasicAuth | BearerAuth | ApiKeyAuth | OAuthClientCredentials


@dataclass(frozen=True)
class RestRequest:
    """The REST connector's input after binding and validation."""

    method: str
    url: str
    authentication: Authentication
    headers: dict[str, str | None]
    query_parameters: dict[str, str | None]
    body: Any
    connect_timeout: int
    read_timeout: int
    skip_encoding: bool
    ignore_null_values: bool
    follow_redirects: bool

    @property
    def sends_body(self) -> bool:
        """Only POST, PUT and PATCH carry a body; GET and DELETE drop it."""
        return self.method in METHODS_WITH_BODY


def bind_rest_request(variables: dict[str, Any], evaluate_feel: Any) -> RestRequest:
    """Bind and validate the connector's variables; `evaluate_feel(text)` evaluates a relaxed
    `=...` string with an empty context and returns JSON-like Python."""
    violations: list[tuple[str, str]] = []
    method = _bind_method(variables.get("method"))
    if method is None:
        violations.append(("method", NOT_NULL))
    url = _bind_string(variables.get("url"), "url")
    if url is None or not url.strip():
        violations.append(("url", NOT_BLANK))
    elif not URL_PATTERN.match(url):
        violations.append(("url", "Must be a http(s) URL"))
    authentication = _bind_authentication(variables.get("authentication"), violations)
    headers = _bind_string_map(_relaxed(variables.get("headers"), "headers", evaluate_feel), "headers")
    query = _bind_string_map(
        _relaxed(variables.get("queryParameters"), "queryParameters", evaluate_feel), "queryParameters"
    )
    body = _relaxed(variables.get("body"), "body", evaluate_feel)
    connect_timeout = _bind_int(variables.get("connectionTimeoutInSeconds"), "connectionTimeoutInSeconds")
    read_timeout = _bind_int(variables.get("readTimeoutInSeconds"), "readTimeoutInSeconds")
    if violations:
        lines = "\n".join(f" - {path}: {message}" for path, message in sorted(violations))
        raise ConnectorInputError(
            "jakarta.validation.ValidationException: Found constraints violated while validating input: \n" + lines
        )
    connect = DEFAULT_TIMEOUT_SECONDS if connect_timeout is None else connect_timeout
    # PR #3210: the read timeout falls back to the connection timeout, then to 20 s
    read = connect if read_timeout is None else read_timeout
    return RestRequest(
        method=method,  # type: ignore[arg-type]
        url=url,  # type: ignore[arg-type]
        authentication=authentication,
        headers=headers or {},
        query_parameters=query or {},
        body=body,
        connect_timeout=connect,
        read_timeout=read,
        skip_encoding=_bind_string(variables.get("skipEncoding"), "skipEncoding") == "true",
        ignore_null_values=bool(_bind_bool(variables.get("ignoreNullValues"), "ignoreNullValues")),
        follow_redirects=bool(_bind_bool(variables.get("followRedirects"), "followRedirects")),
    )


def invalid_field(path: str, problem: str) -> ConnectorInputError:
    """A value of the wrong shape, in our words (Jackson's own text has no field name)."""
    return ConnectorInputError(f"Json object contains an invalid field: {path}: {problem}")


def unconvertible(*path: str, java_type: str | None = None) -> ConnectorInputError:
    """Camunda's `translateJsonException` for a value Jackson cannot convert: the field names of
    the path, then the simple name of the target type when Jackson knows it."""
    suffix = f". It Must be `{java_type}`" if java_type else ""
    return ConnectorInputError(f"Json object contains an invalid field: {', '.join(path)}{suffix}")


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return json.dumps(value, ensure_ascii=False)


def _bind_method(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value.upper() not in METHODS:
        raise unconvertible("method", java_type="HttpMethod")
    return value.upper()


def _bind_string(value: Any, path: str) -> str | None:
    """Jackson's String binding: text stays text, numbers and booleans become their JSON text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    raise invalid_field(path, f"expected a string, got {_describe(value)}")


def _bind_int(value: Any, path: str) -> int | None:
    """Jackson's `Integer` binding: numbers (a fraction truncated) and numeric text, in range."""
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not JAVA_INT_MIN <= value < JAVA_INT_MAX + 1:
            raise ConnectorInputError(
                f"Numeric value ({java_string(value)}) out of range of int ({JAVA_INT_MIN} - {JAVA_INT_MAX})"
            )
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[-+]?\d+\s*", value):
        number = int(value)
        if not JAVA_INT_MIN <= number <= JAVA_INT_MAX:
            raise unconvertible(path, java_type="Integer")
    elif isinstance(value, str) and not value.strip():
        return None
    else:
        raise unconvertible(path, java_type="Integer")
    if number < 0:
        raise invalid_field(path, f"a timeout cannot be negative, got {number}")
    return number


def _bind_bool(value: Any, path: str) -> bool | None:
    """Jackson's primitive `boolean` binding: booleans, "true"/"false", integers (0 is false)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, str) and not value.strip():
        return None
    raise unconvertible(path, java_type="boolean")


def _relaxed(value: Any, path: str, evaluate_feel: Any) -> Any:
    """The connector runtime's relaxed FEEL deserializer for `@FEEL` fields."""
    if not isinstance(value, str):
        return value
    if value.startswith("="):
        return evaluate_feel(value, path)
    try:  # as Jackson reads it: NaN, too deep or too long a number is no JSON, the text stays
        return parse_json(value, as_jackson=True)
    except JsonReadError:
        return value


def _bind_string_map(value: Any, path: str) -> dict[str, str | None] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_field(path, f"expected an object (a map of strings), got {_describe(value)}")
    return {str(key): _bind_string(item, f"{path}.{key}") for key, item in value.items()}


def _bind_authentication(value: Any, violations: list[tuple[str, str]]) -> Authentication:
    if value is None:
        return NoAuth()
    if not isinstance(value, dict):
        raise unconvertible("authentication")  # no type id: Jackson's InvalidTypeIdException
    kind = value.get("type")
    fields = {key: _bind_string(item, f"authentication.{key}") for key, item in value.items() if key != "type"}

    def required(name: str, message: str = NOT_EMPTY) -> str:
        text = fields.get(name)
        if text is None or text == "" or (message == NOT_BLANK and not text.strip()):
            violations.append((f"authentication.{name}", message))
        return text or ""

    if kind == "noAuth":
        return NoAuth()
    if kind == "basic":
        password = fields.get("password")
        return BasicAuth(
            username=required("username"),
            password="" if password in (None, SPEC_PASSWORD_EMPTY_PATTERN) else password,
        )
    if kind == "bearer":
        return BearerAuth(token=required("token"))
    if kind == "apiKey":
        location = fields.get("apiKeyLocation")
        if location is None:
            violations.append(("authentication.apiKeyLocation", NOT_NULL))
        elif location.lower() not in ("headers", "query"):
            raise unconvertible("authentication", "apiKeyLocation", java_type="ApiKeyLocation")
        return ApiKeyAuth(name=required("name"), value=required("value"), in_query=(location or "").lower() == "query")
    if kind == "oauth-client-credentials-flow":
        return OAuthClientCredentials(
            token_endpoint=required("oauthTokenEndpoint"),
            client_id=required("clientId"),
            client_secret=required("clientSecret"),
            audience=fields.get("audience"),
            client_authentication=required("clientAuthentication"),
            scopes=fields.get("scopes"),
        )
    # a missing or unknown type id: Jackson's InvalidTypeIdException, which has no target type
    raise unconvertible("authentication")
