"""A fake of any API an OpenAPI description describes: validates each request, answers from the spec.

Requests are checked with openapi-core (path, method, parameters, body schema) plus etk's own
credential check (the API keys given, in the places the security schemes name); a violation is a
4xx `application/problem+json` answer that names each violation (`body/temperature: 5 is greater
than the maximum of 2`). A valid request gets, unless a test scripted something else, the first
2xx response the operation describes, with the spec's example when that example fits the response
schema, else a value generated from the schema with a generator seeded by `seed` and the request:
the same seed and request always give the same answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from generator.openapi.document import ApiDocument, load_document
from generator.testing.loopback import Answer, LoopbackService
from generator.testing.openapi.values import ValueGenerator
from generator.testing.records import ReceivesRequests, RecordedRequest, RequestLog

PROBLEM_JSON = "application/problem+json"
_GENERATED = object()  # a scripted reply without a body: generate one from the spec


@dataclass(frozen=True)
class Violation:
    """One way a request breaks the API description: where (`body/temperature`, `query/api-version`) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class ScriptedReply:
    """What to answer instead of the spec's default: a status, a body (JSON value or bytes; absent:
    generated from the spec for that status), extra headers, a delay, and which operation it is for
    (`operationId` or `METHOD /path`; None: the next call of any operation)."""

    status: int = 200
    body: Any = _GENERATED
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    operation: str | None = None


@dataclass
class _Route:
    """What one request reached in the description."""

    key: str  # `METHOD /path` as in the document
    operation_id: str | None
    operation: dict[str, Any]
    path_parameters: dict[str, Any] = field(default_factory=dict)


class FakeOpenAPIService(ReceivesRequests, LoopbackService):
    """A loopback fake of the API `spec` describes (a path, or an already loaded `ApiDocument`).

    Keyword arguments: `api_keys` the credentials accepted for every security scheme (API keys,
    bearer tokens, basic passwords; empty: any non-empty credential); `seed` for generated answers;
    `server_names` the host names the TLS certificate is valid for (default: the hosts of the spec's
    servers, variables at their defaults, and their parent domain as a wildcard, e.g.
    `*.openai.azure.com`); `tls`, `host`, `port`, `allow_remote`, `log` as for every etk fake.
    """

    display_name = "the fake OpenAPI service"
    server_header = "etk-fake-openapi"

    def __init__(self, spec: str | Path | ApiDocument, *, api_keys: Iterable[str] = (), seed: int = 0,
                 tls: bool = False, server_names: Iterable[str] | None = None, host: str = "127.0.0.1",
                 port: int = 0, allow_remote: bool = False, log: Callable[[str], None] | None = None) -> None:
        super().__init__(tls=tls, host=host, port=port, allow_remote=allow_remote, log=log)
        from openapi_core import Config, OpenAPI  # the `openapi` extra; imported when a fake is made

        self.document = spec if isinstance(spec, ApiDocument) else load_document(Path(spec))
        self.server_names = tuple(server_names) if server_names is not None else _host_names(self.document.spec)
        self.api_keys = frozenset(api_keys)
        self.seed = seed
        served = _served_spec(self.document.spec)
        # None skips openapi-core's own spec validation (documented; its annotations omit None)
        self._api = OpenAPI.from_dict(served, config=Config(spec_validator_cls=None))  # type: ignore[arg-type]
        self._served = ApiDocument(self.document.path, self.document.source_version, served)
        self._lock = threading.Lock()
        self._received = RequestLog(self.display_name)
        self._script: deque[ScriptedReply] = deque()

    @property
    def base_path(self) -> str:
        """The path the description's first server puts before every path (`/openai`, or empty), its
        variables at their defaults."""
        server = self._served.spec["servers"][0]
        path = str(server["url"])
        for name, variable in (server.get("variables") or {}).items():
            path = path.replace(f"{{{name}}}", str(variable.get("default", "")))
        return path.rstrip("/")

    # --- what was received ------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget received requests and everything scripted."""
        self._received.clear()
        with self._lock:
            self._script.clear()

    # --- scripting ----------------------------------------------------------------------------------

    def reply(self, status: int = 200, body: Any = _GENERATED, *, headers: dict[str, str] | None = None,
              delay: float = 0.0, operation: str | None = None, count: int = 1) -> None:
        """Answer the next `count` valid calls (of `operation`, if given) with `status` and `body`
        (a JSON value or bytes; left out: generated from the spec's response for `status`)."""
        if not 100 <= status <= 599 or count < 1 or delay < 0:
            raise ValueError("status must be 100-599, count at least 1 and delay not negative")
        reply = ScriptedReply(status, body, tuple((headers or {}).items()), delay, operation)
        with self._lock:
            self._script.extend([reply] * count)

    def fail_next(self, status: int = 429, count: int = 1, *, retry_after: int | None = 1, delay: float = 0.0,
                  body: Any = None, operation: str | None = None) -> None:
        """Answer the next `count` valid calls with an error `status` (429 carries `Retry-After`)."""
        if not 400 <= status <= 599:
            raise ValueError(f"status must be an HTTP error status (400-599), not {status}")
        headers = {"Retry-After": str(retry_after)} if status in (429, 503) and retry_after is not None else {}
        if body is None:
            body = _problem(status, f"scripted failure: {HTTPStatus(status).phrase}", [])
        self.reply(status, body, headers=headers, delay=delay, operation=operation, count=count)

    def delay_next(self, seconds: float, count: int = 1, *, operation: str | None = None) -> None:
        """Answer the next `count` valid calls normally, but only after `seconds`."""
        for _ in range(count):
            with self._lock:
                self._script.append(ScriptedReply(200, _GENERATED, (), seconds, operation))

    # --- answering ----------------------------------------------------------------------------------

    def answer(self, request: RecordedRequest, *, length_missing: bool = False) -> Answer:
        self._received.add(request)
        route, violations, status = self.check(request)
        if violations:
            return Answer(status, _problem_bytes(status, request, violations), PROBLEM_JSON)
        assert route is not None
        scripted = self._next_script(route)
        if scripted is not None and scripted.delay:
            time.sleep(scripted.delay)
        if scripted is not None and scripted.status == 200 and scripted.body is _GENERATED and not scripted.headers:
            scripted = None  # only a delay
        if scripted is not None and scripted.body is not _GENERATED:
            body = scripted.body if isinstance(scripted.body, bytes) else _json_bytes(scripted.body)
            content_type = "application/json" if not isinstance(scripted.body, bytes) else "application/octet-stream"
            if isinstance(scripted.body, dict) and "status" in scripted.body and "title" in scripted.body:
                content_type = PROBLEM_JSON
            return Answer(scripted.status, body, content_type, scripted.headers)
        answer = self.generated_answer(route, request, scripted.status if scripted else None)
        return answer.with_headers(*scripted.headers) if scripted else answer

    def _next_script(self, route: _Route) -> ScriptedReply | None:
        with self._lock:
            for index, reply in enumerate(self._script):
                if reply.operation is None or reply.operation in (route.operation_id, route.key):
                    del self._script[index]
                    return reply
        return None

    def check(self, request: RecordedRequest) -> tuple[_Route | None, list[Violation], int]:
        """The operation `request` reaches and every violation of the description (with the status to answer)."""
        from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound, ServerNotFound
        from openapi_core.testing import MockRequest

        content_type = request.headers.get("content-type", "")
        mock = MockRequest(
            "http://localhost", request.method.lower(), unquote(request.path),
            args=parse_qsl(request.query_string, keep_blank_values=True),  # type: ignore[arg-type]
            headers=dict(request.headers), cookies=_cookies(request.headers.get("cookie", "")),
            data=request.body if request.body else None, content_type=content_type,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openapi-core warns about oauth2 schemes; etk checks credentials itself
            result = self._api.unmarshal_request(mock)
        violations: list[Violation] = []
        status = 400
        for error in result.errors:
            if isinstance(error, (PathNotFound, ServerNotFound)):
                return None, [Violation("path", f"no path of the API description matches {request.path}")], 404
            if isinstance(error, OperationNotFound):
                allowed = self._methods(request.path)
                return None, [Violation("method", f"{request.method} is not an operation of this path"
                                        + (f" (allowed: {', '.join(allowed)})" if allowed else ""))], 405
            found, found_status = _violations(error)
            if found_status == 401:
                continue  # credentials are checked below, with the configured keys
            violations += found
            status = 415 if found_status == 415 and status == 400 else status
        route = self._route(request)
        if route is None:
            return None, [Violation("path", f"no path of the API description matches {request.path}")], 404
        denied = self._credential_violations(route, request)
        if denied:
            return route, denied, 401
        return route, violations, 415 if violations and status == 415 else 400

    def _methods(self, path: str) -> list[str]:
        return sorted({operation.method.upper() for operation in self._served.operations()
                       if _path_pattern(operation.path).match(unquote(path))})

    def _route(self, request: RecordedRequest) -> _Route | None:
        path = unquote(request.path)
        candidates = []
        for operation in self._served.operations():
            if operation.method != request.method.lower():
                continue
            match = _path_pattern(operation.path).match(path)
            if match:
                literal = len(re.sub(r"\{[^}]*\}", "", operation.path))
                candidates.append((literal, operation, match.groupdict()))
        if not candidates:
            return None
        _, operation, parameters = max(candidates, key=lambda item: item[0])
        return _Route(operation.title, operation.operation_id, operation.operation, parameters)

    def _credential_violations(self, route: _Route, request: RecordedRequest) -> list[Violation]:
        requirements = route.operation.get("security", self._served.spec.get("security"))
        schemes = ((self._served.spec.get("components") or {}).get("securitySchemes")) or {}
        if not requirements:
            return []
        explanations = []
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            missing = []
            for name in requirement:
                scheme = self._served.resolve(schemes.get(name))
                problem = self._credential_problem(scheme, request) if isinstance(scheme, dict) else None
                if problem:
                    missing.append(f"{name}: {problem}")
            if not missing:
                return []
            explanations.append("; ".join(missing))
        return [Violation("security", " or ".join(explanations) or "no credentials")]

    def _credential_problem(self, scheme: dict[str, Any], request: RecordedRequest) -> str | None:
        """Why `request` does not satisfy `scheme` (None when it does); never shows the expected keys."""
        kind = scheme.get("type")
        if kind == "apiKey":
            name, where = str(scheme.get("name")), scheme.get("in")
            if where == "header":
                value = request.headers.get(name.lower())
            elif where == "query":
                value = dict(parse_qsl(request.query_string, keep_blank_values=True)).get(name)
            else:
                value = _cookies(request.headers.get("cookie", "")).get(name)
            place = {"header": "header", "query": "query parameter"}.get(str(where), "cookie")
            if not value:
                return f"missing API key ({place} {name})"
            return None if self._accepted(value) else f"invalid API key in {place} {name}"
        authorization = request.headers.get("authorization", "")
        if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            if not authorization.lower().startswith("basic "):
                return "missing Authorization: Basic credentials"
            try:
                decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
            except ValueError:
                return "Authorization: Basic credentials are not base64 of user:password"
            user, _, password = decoded.partition(":")
            return None if self._accepted(password) or self._accepted(user) else "invalid Basic credentials"
        if kind in ("http", "oauth2", "openIdConnect"):
            if not authorization.lower().startswith("bearer ") or not authorization[7:].strip():
                return "missing Authorization: Bearer token"
            return None if self._accepted(authorization[7:].strip()) else "invalid bearer token"
        return None  # mutualTLS and unknown kinds: not checked

    def _accepted(self, credential: str) -> bool:
        return not self.api_keys or credential in self.api_keys

    # --- generated answers --------------------------------------------------------------------------

    def generated_answer(self, route: _Route, request: RecordedRequest, status: int | None) -> Answer:
        """The spec's answer for `route`: `status` (default: its first 2xx), an example or a generated body."""
        responses = route.operation.get("responses") or {}
        code, response = _pick_response(responses, status)
        response = self._served.resolve(response) or {}
        answer_status = status or (int(code) if re.fullmatch(r"[1-5][0-9]{2}", code) else 200)
        digest = hashlib.sha256(
            f"{request.method} {request.path}?{request.query_string}\n".encode() + request.body
        ).hexdigest()
        rng = random.Random(f"{self.seed}:{route.key}:{answer_status}:{digest}")
        headers = self._response_headers(response, rng)
        content = response.get("content") if isinstance(response.get("content"), dict) else {}
        if not content or answer_status in (204, 304):
            return Answer(answer_status, b"", "application/json", headers)
        media_type = next((media for media in content if "json" in media), next(iter(content)))
        media = self._served.resolve(content[media_type]) or {}
        body = self._body(media, rng, request, answer_status, media_type)
        if isinstance(body, bytes):
            return Answer(answer_status, body, media_type, headers)
        if "json" in media_type:
            return Answer(answer_status, _json_bytes(body), media_type, headers)
        return Answer(answer_status, str(body).encode("utf-8"), media_type, headers)

    def _body(self, media: dict[str, Any], rng: random.Random, request: RecordedRequest, status: int,
              media_type: str) -> Any:
        schema = media.get("schema")
        for example in _media_examples(media, self._served):
            if schema is None or self._fits(example, request, status, media_type):
                return example
        value = ValueGenerator(self._served, rng).value(schema)
        other_choices = ValueGenerator(self._served, rng, first_choice=False)
        for _ in range(8):  # a oneOf value can match two alternatives: try other draws and alternatives
            if self._fits(value, request, status, media_type):
                break
            value = other_choices.value(schema)
        return value

    def _fits(self, body: Any, request: RecordedRequest, status: int, media_type: str) -> bool:
        from openapi_core.testing import MockRequest, MockResponse

        mock_request = MockRequest("http://localhost", request.method.lower(), unquote(request.path),
                                   args=parse_qsl(request.query_string, keep_blank_values=True),  # type: ignore[arg-type]
                                   headers=dict(request.headers), data=request.body or None,
                                   content_type=request.headers.get("content-type", ""))
        data = _json_bytes(body) if "json" in media_type else str(body).encode("utf-8")
        response = MockResponse(data, status_code=status, content_type=media_type)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = self._api.unmarshal_response(mock_request, response)
        return not [error for error in result.errors if "Header" not in type(error).__name__]

    def _response_headers(self, response: dict[str, Any], rng: random.Random) -> tuple[tuple[str, str], ...]:
        headers = []
        for name, header in (response.get("headers") or {}).items():
            header = self._served.resolve(header)
            if not isinstance(header, dict) or name.lower() in ("content-type", "content-length"):
                continue
            value = ValueGenerator(self._served, rng).value(header.get("schema") or {"type": "string"})
            if value is not None:
                headers.append((name, value if isinstance(value, str) else json.dumps(value)))
        return tuple(headers)


# ---- helpers ------------------------------------------------------------------------------------


def _served_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every server reduced to its path, so the fake matches requests on any host."""
    served = dict(spec)

    def local(servers: Any) -> list[dict[str, Any]]:
        result = []
        for server in servers if isinstance(servers, list) else []:
            if not isinstance(server, dict) or not isinstance(server.get("url"), str):
                continue
            path = re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/]*", "", server["url"]).rstrip("/") or "/"
            variables = {name: value for name, value in (server.get("variables") or {}).items()
                         if f"{{{name}}}" in path}
            entry: dict[str, Any] = {"url": path}
            if variables:
                entry["variables"] = variables
            if entry not in result:
                result.append(entry)
        return result or [{"url": "/"}]

    served["servers"] = local(spec.get("servers"))
    paths = {}
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            item = dict(item)
            if "servers" in item:
                item["servers"] = local(item["servers"])
            for method, operation in list(item.items()):
                if isinstance(operation, dict) and "servers" in operation:
                    item[method] = {**operation, "servers": local(operation["servers"])}
        paths[path] = item
    served["paths"] = paths
    return served


def _host_names(spec: dict[str, Any]) -> tuple[str, ...]:
    """Host names of the spec's servers (variables at their defaults) and their parent domains as wildcards."""
    names: list[str] = []
    for server in spec.get("servers") or []:
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            continue
        url = server["url"]
        for name, variable in (server.get("variables") or {}).items():
            if isinstance(variable, dict):
                url = url.replace(f"{{{name}}}", str(variable.get("default", "")))
        match = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:]+)", url)
        if not match or "{" in match[1]:
            continue
        host = match[1].lower()
        candidates = [host]
        if host.count(".") >= 2 and not re.match(r"^[\d.]+$", host):
            candidates.append("*." + host.split(".", 1)[1])
        names += [name for name in candidates if name not in names]
    return tuple(names)


def _path_pattern(path: str) -> re.Pattern[str]:
    pattern = ""
    for piece in re.split(r"(\{[^}]*\})", path):
        if piece.startswith("{") and piece.endswith("}"):
            name = re.sub(r"\W", "_", piece[1:-1])
            pattern += f"(?P<{name}>[^/]+)" if name.isidentifier() and not name[0].isdigit() else "[^/]+"
        else:
            pattern += re.escape(piece)
    return re.compile(f"^(?:.*?){pattern}/?$")


def _pick_response(responses: dict[str, Any], status: int | None) -> tuple[str, Any]:
    if status is not None:
        for key in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
            if key in responses:
                return key, responses[key]
        return str(status), {}
    for key in sorted(responses):
        if key.startswith("2"):
            return key, responses[key]
    if "default" in responses:
        return "200", responses["default"]
    return "200", {}


def _media_examples(media: dict[str, Any], document: ApiDocument) -> list[Any]:
    found = []
    if "example" in media:
        found.append(media["example"])
    for example in (media.get("examples") or {}).values():
        example = document.resolve(example)
        if isinstance(example, dict) and "value" in example:
            found.append(example["value"])
    schema = document.resolve(media.get("schema"))
    if isinstance(schema, dict) and "example" in schema:
        found.append(schema["example"])
    return found


def _violations(error: Exception) -> tuple[list[Violation], int]:
    """The violations one openapi-core error stands for, and the status class it calls for."""
    from openapi_core.validation.request.exceptions import (
        InvalidParameter,
        MissingRequiredRequestBody,
        RequestBodyValidationError,
        SecurityValidationError,
    )

    if isinstance(error, SecurityValidationError):
        return [], 401
    if isinstance(error, MissingRequiredRequestBody):
        return [Violation("body", "the request body is required")], 400
    if isinstance(error, RequestBodyValidationError):
        cause = error.__cause__
        if cause is not None and "MediaType" in type(cause).__name__:
            return [Violation("body", f"content type not accepted: {cause}")], 415
        return _schema_violations(cause, "body") or [Violation("body", str(cause or error))], 400
    if isinstance(error, InvalidParameter):
        parameter = getattr(error, "name", "")
        where = f"{getattr(error, 'location', 'parameter')}/{parameter}"
        cause = error.__cause__
        return _schema_violations(cause, where) or [Violation(where, str(cause or error))], 400
    text = str(error)
    match = re.match(r"Missing required (\w+) parameter: (.*)", text)
    if match:
        return [Violation(f"{match[1]}/{match[2]}", "missing required parameter")], 400
    return [Violation("", text)], 400


def _schema_violations(cause: Any, prefix: str) -> list[Violation]:
    from jsonschema.exceptions import best_match

    found = []
    for schema_error in getattr(cause, "schema_errors", None) or ():
        where = "/".join([prefix, *(str(part) for part in schema_error.absolute_path)])
        message = schema_error.message
        if schema_error.context:
            deepest = best_match(schema_error.context)
            inner = "/".join(str(part) for part in deepest.absolute_path)
            message += f" ({inner + ': ' if inner else ''}{deepest.message})"
        violation = Violation(where, message)
        if violation not in found:
            found.append(violation)
    return found


def _problem(status: int, detail: str, violations: list[Violation]) -> dict[str, Any]:
    problem: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status,
                               "detail": detail}
    if violations:
        problem["violations"] = [{"where": item.where, "message": item.message} for item in violations]
    return problem


def _problem_bytes(status: int, request: RecordedRequest, violations: list[Violation]) -> bytes:
    detail = f"{request.method} {request.path} does not match the API description: " + "; ".join(
        str(violation) for violation in violations)
    return _json_bytes(_problem(status, detail, violations))


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cookies(header: str) -> dict[str, str]:
    cookies = {}
    for part in header.split(";"):
        name, separator, value = part.strip().partition("=")
        if separator:
            cookies[name] = value
    return cookies
