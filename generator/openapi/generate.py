"""An API description -> an etk connector definition (the data of `templates/<name>.yaml`) and a scan report.

Every operation becomes an entry of the definition's operation dropdown (or the single request
when only one is chosen): path, query and header parameters and the top-level members of a JSON or
form body become fields; enums become dropdowns, `minimum`/`maximum`/`pattern`/lengths become panel
constraints, `required` becomes `required`, descriptions become tooltips; the servers and their
variables become the base URL fields; the security schemes become the REST connector's
authentication types. What cannot be generated is reported per operation (`OperationReport`): the
operation is skipped with the reason, or generated with notes on what was left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from generator.definition.checks import FEEL_RESERVED, RESERVED_OPERATION_FIELD_NAMES
from generator.definition.protocol import AUTH_TYPES, HTTP_METHODS, STANDARD_BY_ID, STANDARD_PROPERTIES
from generator.errors import EtkError
from generator.openapi.document import ApiDocument, ApiOperation
from generator.openapi.ranges import decimal_range, integer_range
from generator.openapi.schemas import MISSING, merged_all_of, schema_example, schema_type
from generator.openapi.text import field_label, first_sentence, sentence, tooltip_text

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/connector-definition.schema.json"
#: Field names the definition format keeps for itself (plus FEEL's keywords and built-in names).
RESERVED = frozenset({*FEEL_RESERVED, *RESERVED_OPERATION_FIELD_NAMES, "operation", "authentication",
                      "taskDefinitionType", *STANDARD_BY_ID, "baseUrl"})
_LONG_TEXT = re.compile(r"(content|prompt|text|message|description|body|comment|note|query|instructions)$", re.I)
MAX_PLACEHOLDER = 120
HUGE_BOUND = 10**9
JSON_MEDIA = re.compile(r"^application/([\w.+-]+\+)?json|^text/json|^\*/\*$")
FORM_MEDIA = "application/x-www-form-urlencoded"
#: Answers the REST connector cannot use: it reads one whole body and parses it as JSON or keeps the
#: text, so a stream of events or of JSON lines arrives as one unparsed string, if at all.
STREAM_MEDIA = re.compile(r"^(text/event-stream|application/(x-)?ndjson|application/(jsonl|x-jsonlines|stream\+json))\b", re.IGNORECASE)
_STREAM_TEXT = re.compile(r"server[- ]sent[- ]events?|text/event-stream|event[- ]stream|\bSSE\b", re.IGNORECASE)
_STREAM_NAME = re.compile(r"^(stream|streaming)$", re.IGNORECASE)


class OperationSelectionError(EtkError):
    """`--operations` names an operation the description does not have."""


@dataclass
class OperationReport:
    """What `etk from-openapi` does with one operation (the `--scan` line)."""

    key: str  # `METHOD /path`
    operation_id: str | None
    definition_id: str | None = None  # the id in the definition; None when skipped or not chosen
    label: str = ""
    fields: list[str] = field(default_factory=list)  # e.g. "deploymentId (path, required)"
    notes: list[str] = field(default_factory=list)  # what was generated differently or left out
    skipped: str | None = None  # why the operation was not generated
    chosen: bool = True  # False: not among --operations


@dataclass
class GeneratedDefinition:
    """The definition's data in file order, and what happened to each operation of the description."""

    data: dict[str, Any]
    reports: list[OperationReport]
    warnings: list[str]

    @property
    def generated(self) -> list[OperationReport]:
        return [report for report in self.reports if report.definition_id is not None]


def identifier(text: str, *, upper_first: bool = False) -> str:
    """`deployment-id` -> `deploymentId`, `ChatCompletions_Create` -> `chatCompletionsCreate`."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])", text) if word]
    if not words:
        return ""
    first, rest = words[0], words[1:]
    head = first[:1].upper() + first[1:] if upper_first else first[:1].lower() + first[1:]
    name = head + "".join(word[:1].upper() + word[1:] for word in rest)
    return name if name[:1].isalpha() else ("P" if upper_first else "p") + name


def _unique(name: str, taken: set[str], suffix: str) -> str:
    candidate = name
    if candidate in taken or candidate in RESERVED or not candidate:
        candidate = f"{name or 'value'}{suffix}"
    number = 2
    while candidate in taken or candidate in RESERVED:
        candidate = f"{name}{suffix}{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _secret_name(title: str, what: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "_", title).strip("_").upper() or "API"
    return f"{{{{secrets.{stem[:30]}_{what}}}}}"


class _Schemas:
    """Schema helpers over one document: follow references, merge `allOf`, read types."""

    def __init__(self, document: ApiDocument) -> None:
        self.document = document

    def resolve(self, schema: Any) -> dict[str, Any] | None:
        resolved = self.document.resolve(schema)
        if not isinstance(resolved, dict):
            return None
        if isinstance(resolved.get("allOf"), list):
            return merged_all_of(resolved, self.document.resolve)
        return resolved

    type_of = staticmethod(schema_type)

    @staticmethod
    def example(schema: dict[str, Any]) -> Any:
        """The schema's example, None when it gives none."""
        example = schema_example(schema)
        return None if example is MISSING else example


class _Generator:
    def __init__(self, document: ApiDocument, template_id: str | None, name: str | None) -> None:
        self.document = document
        self.schemas = _Schemas(document)
        self.info = _mapping(document.spec.get("info"))
        self.title = str(self.info.get("title") or document.path.stem)
        self.template_id = template_id or f"io.etk.connectors.{identifier(self.title, upper_first=True) or 'Api'}.v1"
        self.name = name or self.title
        self.groups: dict[str, str] = {}
        self.shared_fields: dict[str, dict[str, Any]] = {}
        self.security_schemes: list[tuple[str, dict[str, Any], list[str]]] = []  # (name, scheme, scopes)
        self.allows_no_auth = False
        self.example: dict[str, str] = {}

    # ---- servers -------------------------------------------------------------------------------

    def base_url(self, servers: Any, report: OperationReport) -> str:
        """The URL template before the path: variable fields, or a `baseUrl` field."""
        servers = [server for server in servers or [] if isinstance(server, dict) and isinstance(server.get("url"), str)]
        if not servers:
            self.shared_base_url(None, [])
            report.notes.append("the description names no server: the base URL is a field")
            return "{baseUrl}"
        first = servers[0]
        url: str = first["url"].rstrip("/")
        variables = _mapping(first.get("variables"))
        if not re.match(r"^https?://", url, re.I) and not re.match(r"^\{[^}]+\}", url):
            self.shared_base_url(None, [server["url"] for server in servers], path=url)
            return "{baseUrl}" + (url if url.startswith("/") else "/" + url)
        if not variables or not re.search(r"\{[^}]+\}", url):
            self.shared_base_url(url, [server["url"] for server in servers[1:]])
            return "{baseUrl}"
        template = url
        for name, variable in variables.items():
            if f"{{{name}}}" not in url or not isinstance(variable, dict):
                continue
            field_name = identifier(name)
            if field_name in RESERVED or not field_name:
                field_name = f"{field_name or 'server'}Variable"
            spec: dict[str, Any] = {"label": field_label(name), "group": "server"}
            enum = [str(item) for item in variable.get("enum") or [] if item is not None]
            if enum:
                spec["type"] = "Dropdown"
                spec["choices"] = {item: item for item in enum}
            if variable.get("default") is not None:
                spec["default"] = str(variable["default"])
            spec["required"] = True
            tip = tooltip_text(sentence(variable.get("description")), f"The {{{name}}} part of the server URL {url}.")
            if tip:
                spec["tooltip"] = tip
            if spec.get("type") == "Dropdown":
                spec.pop("required")
            self.shared_fields.setdefault(field_name, spec)
            self.groups.setdefault("server", "Server")
            template = template.replace(f"{{{name}}}", f"{{{field_name}}}")
        if len(servers) > 1:
            report.notes.append(f"servers other than {url} are not offered")
        return template

    def shared_base_url(self, default: str | None, others: list[str], path: str = "") -> None:
        if "baseUrl" in self.shared_fields:
            return
        spec: dict[str, Any] = {"label": "Base URL", "group": "server", "required": True}
        if default:
            spec["default"] = default
        else:
            spec["placeholder"] = "https://api.example.com"
        hint = (f"The address of the API{', without the path ' + path if path else ''}"
                + (f"; other servers of the description: {', '.join(others)}" if others else "") + ".")
        spec["tooltip"] = tooltip_text(hint) or hint
        spec["pattern"] = {"value": r"^(=|https?://|\{\{|secrets).*", "message": "must be a http(s) URL"}
        self.shared_fields["baseUrl"] = spec
        self.groups.setdefault("server", "Server")

    # ---- security ------------------------------------------------------------------------------

    def note_security(self, operation: ApiOperation, report: OperationReport) -> None:
        requirements = operation.operation.get("security", self.document.spec.get("security"))
        schemes = (self.document.spec.get("components") or {}).get("securitySchemes") or {}
        if not isinstance(requirements, list):
            return
        for requirement in requirements:
            if not isinstance(requirement, dict):
                continue
            if not requirement:
                self.allows_no_auth = True
                continue
            names = list(requirement)
            if len(names) > 1:
                report.notes.append(f"security requires {' and '.join(names)} together; only {names[0]} is offered")
            name = names[0]
            scheme = self.document.resolve(schemes.get(name))
            if not isinstance(scheme, dict):
                report.notes.append(f"security scheme {name} is not described")
                continue
            scopes = [str(scope) for scope in requirement[name] or []]
            if not any(existing == name for existing, _, _ in self.security_schemes):
                self.security_schemes.append((name, scheme, scopes))

    def authentication(self, notes: list[str]) -> dict[str, Any] | None:
        types: dict[str, dict[str, Any]] = {}
        stand_ins: set[str] = set()  # types offered for a scheme the REST connector cannot run itself
        for name, scheme, scopes in self.security_schemes:
            kind, location = scheme.get("type"), scheme.get("in")
            description = tooltip_text(scheme.get("description"))
            if kind == "apiKey" and location in ("header", "query"):
                if "apiKey" in types:
                    notes.append(f"security scheme {name}: only one API key scheme can be offered")
                    continue
                value: dict[str, Any] = {"label": "API key", "placeholder": _secret_name(self.title, "API_KEY")}
                if description:
                    value["tooltip"] = description
                types["apiKey"] = {"label": f"API key ({scheme.get('name')} {'header' if location == 'header' else 'query parameter'})",
                                   "apiKeyLocation": "headers" if location == "header" else "query",
                                   "name": str(scheme.get("name")), "value": value}
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                types.setdefault("basic", {"label": "Basic", "password": {"placeholder": _secret_name(self.title, "PASSWORD")}})
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer":
                types.setdefault("bearer", self.bearer(description))
            elif kind == "oauth2":
                flows = _mapping(scheme.get("flows"))
                client = flows.get("clientCredentials")
                if isinstance(client, dict) and isinstance(client.get("tokenUrl"), str) and \
                        "oauth-client-credentials-flow" not in types:
                    entry: dict[str, Any] = {
                        "label": "OAuth 2.0 client credentials",
                        "oauthTokenEndpoint": {"default": client["tokenUrl"]},
                        "clientSecret": {"placeholder": _secret_name(self.title, "CLIENT_SECRET")},
                    }
                    if scopes:
                        entry["scopes"] = {"default": " ".join(scopes)}
                    types["oauth-client-credentials-flow"] = entry
                    others = [flow for flow in flows if flow != "clientCredentials"]
                    if others and "bearer" not in types:
                        types["bearer"] = self.bearer(tooltip_text(
                            f"An OAuth 2.0 access token obtained elsewhere ({', '.join(others)} flow of {name})."))
                        stand_ins.add("bearer")
                else:
                    if "bearer" not in types:
                        flow_names = ", ".join(flows) or "OAuth 2.0"
                        types["bearer"] = self.bearer(tooltip_text(
                            f"An OAuth 2.0 access token obtained elsewhere ({flow_names} flow of {name}).", description))
                        stand_ins.add("bearer")
                    notes.append(f"security scheme {name} ({', '.join(flows) or 'oauth2'} flow): offered as a bearer token")
            elif kind == "openIdConnect":
                if "bearer" not in types:
                    types["bearer"] = self.bearer(tooltip_text(f"An OpenID Connect access token obtained elsewhere ({name})."))
                    stand_ins.add("bearer")
                notes.append(f"security scheme {name} (OpenID Connect): offered as a bearer token")
            else:
                notes.append(f"security scheme {name} ({kind} {location or scheme.get('scheme') or ''}): "
                             "the REST connector has no such authentication")
        if not types:
            return None
        # the first choice (the default) is one the user can fill in without obtaining a token elsewhere
        types = {kind: spec for kind, spec in types.items() if kind not in stand_ins} | \
            {kind: spec for kind, spec in types.items() if kind in stand_ins}
        if self.allows_no_auth:
            types["noAuth"] = {"label": "None"}
        result: dict[str, Any] = {}
        if len(types) > 1:
            result["label"] = "Authentication"
            result["default"] = next(iter(types))
        result.update(types)
        return result

    def bearer(self, tooltip: str | None) -> dict[str, Any]:
        token: dict[str, Any] = {"placeholder": _secret_name(self.title, "TOKEN")}
        if tooltip:
            token["tooltip"] = tooltip
        return {"label": "Bearer token", "token": token}

    # ---- fields ------------------------------------------------------------------------------

    def field_spec(self, schema: Any, *, required: bool, description: str | None, group: str, name: str,
                   location: str) -> tuple[dict[str, Any], str]:
        """The definition field for one parameter or body member, and how the scan describes it."""
        resolved = self.schemas.resolve(schema) or {}
        kind = self.schemas.type_of(resolved)
        enum = resolved.get("enum") if isinstance(resolved.get("enum"), list) else None
        spec: dict[str, Any] = {"label": field_label(name), "group": group}
        api_default = resolved.get("default")
        extra: list[str] = []
        scalar_enum = [item for item in enum or [] if item is not None and not isinstance(item, (dict, list))]
        if "const" in resolved and not isinstance(resolved["const"], (dict, list)):
            scalar_enum = [resolved["const"]]
        described = "text"
        if scalar_enum and kind in ("string", "integer", "number", "boolean", None):
            spec["type"] = "Dropdown"
            choices = {} if required else {"": "Not set"}
            choices.update({_text(item): _text(item) for item in scalar_enum})
            spec["choices"] = choices
            json_type = _json_type(kind, scalar_enum)
            if json_type != "string":
                spec["json"] = json_type
            if required:
                spec["default"] = _text(api_default) if api_default in scalar_enum else _text(scalar_enum[0])
            described = "dropdown"
        elif kind == "boolean":
            spec["type"] = "Dropdown"
            spec["choices"] = ({} if required else {"": "Not set"}) | {"true": "Yes", "false": "No"}
            spec["json"] = "boolean"
            if required:
                spec["default"] = "true" if api_default is True else "false"
            described = "yes/no"
        elif kind in ("integer", "number"):
            spec["json"] = kind
            pattern = _range_pattern(resolved, kind)
            if pattern:
                spec["pattern"] = pattern
            described = kind
        elif kind == "string" or (kind is None and location in ("path", "query", "header")):
            if _LONG_TEXT.search(name) and location == "body":
                spec["type"] = "Text"
            for key in ("minLength", "maxLength"):
                value = resolved.get(key)
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    continue
                if key == "minLength" and not required:
                    # the panel checks lengths on an empty optional field too: say it instead
                    if value > 0:
                        extra.append(f"At least {value} characters.")
                    continue
                spec[key] = value
            if isinstance(resolved.get("pattern"), str) and _portable_pattern(resolved["pattern"]):
                # optional: the renderer lets the pattern accept the empty field as the Modeler tests it
                spec["pattern"] = {"value": resolved["pattern"], "message": f"must match {resolved['pattern']}"}
            if resolved.get("format"):
                extra.append(f"Format: {resolved['format']}.")
        elif location == "body" and (others := self.text_alternatives(resolved)):
            # text or another shape (Azure's `prompt`, `stop`): a text field whose FEEL mode gives the others
            if _LONG_TEXT.search(name):
                spec["type"] = "Text"
            spec["json"] = "json"
            extra.append(f"Text, or with FEEL (fx) {' or '.join(others)}.")
            described = "text or FEEL"
        else:
            spec["feel"] = "required"
            spec["json"] = "json"
            shape = {"object": "a FEEL context", "array": "a FEEL list"}.get(str(kind), "a FEEL value")
            extra.append(f"Give {shape}.")
            example = self.schemas.example(resolved)
            if example is not None:
                text = json.dumps(example, ensure_ascii=False)
                if len(text) <= MAX_PLACEHOLDER:
                    spec["placeholder"] = text  # the panel shows its own = before a FEEL field
            described = "FEEL " + ({"object": "context", "array": "list"}.get(str(kind), "value"))
        if required:
            spec["required"] = True
            example = self.schemas.example(resolved)
            if api_default not in (None, "") and "default" not in spec and spec.get("json") != "json" \
                    and not isinstance(api_default, (dict, list)):
                spec["default"] = _text(api_default)
            elif example is not None and "default" not in spec and location in ("query", "header") \
                    and not isinstance(example, (dict, list)):
                spec["default"] = _text(example)
        elif api_default is not None and not isinstance(api_default, (dict, list)):
            extra.append(f"API default: {_text(api_default)}.")
        range_text = _range_text(resolved) if kind in ("integer", "number") else None
        tip = tooltip_text(sentence(description or resolved.get("description")),
                           sentence(range_text[:1].upper() + range_text[1:]) if range_text else None, *extra)
        if tip:
            spec["tooltip"] = tip
        if spec.get("type") in (None, "Text") and "placeholder" not in spec and kind in ("string", "integer", "number"):
            example = self.schemas.example(resolved)
            if example is not None and not isinstance(example, (dict, list)) and len(_text(example)) <= MAX_PLACEHOLDER:
                spec["placeholder"] = _text(example)
        return spec, described

    def text_alternatives(self, schema: dict[str, Any]) -> list[str]:
        """For a schema that is text or something else (`oneOf`/`anyOf` alternatives, a 3.1 type list):
        how the other shapes read (`a list`); empty when text is not one of the shapes."""
        kinds: list[str | None] = []
        if isinstance(schema.get("type"), list):
            kinds = [kind for kind in schema["type"] if isinstance(kind, str) and kind != "null"]
        for key in ("oneOf", "anyOf"):
            for alternative in schema.get(key) or []:
                resolved = self.schemas.resolve(alternative)
                kinds.append(self.schemas.type_of(resolved) if resolved is not None else None)
        if "string" not in kinds or None in kinds:
            return []
        words = {"array": "a list", "object": "a context", "integer": "a number", "number": "a number",
                 "boolean": "true or false"}
        return list(dict.fromkeys(words.get(str(kind), "a value") for kind in kinds if kind not in ("string", "null")))

    # ---- operations ------------------------------------------------------------------------------

    def operation(self, operation: ApiOperation, report: OperationReport, operation_id: str) -> dict[str, Any] | None:
        op = operation.operation
        if operation.method.upper() not in HTTP_METHODS:
            report.skipped = f"the REST connector sends {', '.join(HTTP_METHODS)} only, not {operation.method.upper()}"
            return None
        unresolved = [parameter for parameter in operation.parameters if parameter is None]
        if unresolved or any(self.document.resolve(item) is None for item in op.get("parameters") or []):
            report.skipped = "a parameter's $ref does not resolve"
            return None
        fields: dict[str, dict[str, Any]] = {}
        taken = set(self.shared_fields)
        query: dict[str, str] = {}
        headers: dict[str, str] = {}
        path_names: dict[str, str] = {}
        for parameter in operation.parameters:
            location, name = parameter.get("in"), str(parameter.get("name"))
            required = bool(parameter.get("required")) or location == "path"
            if location == "cookie":
                if required:
                    report.skipped = f"the required cookie parameter {name} cannot be sent by the REST connector"
                    return None
                report.notes.append(f"cookie parameter {name} left out")
                continue
            if location == "header" and name.lower() in ("content-type", "accept", "authorization", "content-length"):
                report.notes.append(f"header parameter {name} left out (the connector sets it)")
                continue
            if location not in ("path", "query", "header"):
                continue
            if parameter.get("deprecated") and not required:
                report.notes.append(f"{location} parameter {name} left out: deprecated by the API")
                continue
            schema = parameter.get("schema")
            if schema is None and isinstance(parameter.get("content"), dict):
                schema = _mapping(next(iter(parameter["content"].values()), {})).get("schema")
            field_name = _unique(identifier(name), taken, {"path": "Path", "query": "Query", "header": "Header"}[location])
            spec, described = self.field_spec(schema, required=required, description=parameter.get("description"),
                                              group="parameters", name=name, location=location)
            resolved = self.schemas.resolve(schema) or {}
            if self.schemas.type_of(resolved) in ("array", "object") or spec.get("json") == "json":
                style = "comma-separated" if resolved.get("type") == "array" else "as its JSON text"
                spec.pop("placeholder", None)
                spec["feel"] = "required"
                spec["json"] = "json"
                report.notes.append(f"{location} parameter {name} ({resolved.get('type', 'value')}) is sent {style}")
                reference = ("=if " + field_name + " = null then null else string join(for v in " + field_name
                             + " return string(v), \",\")") if resolved.get("type") == "array" else f"{{{field_name}}}"
            else:
                reference = f"{{{field_name}}}"
            fields[field_name] = spec
            self.groups.setdefault("parameters", "Parameters")
            report.fields.append(f"{field_name} ({location} {name}{', required' if required else ''}, {described})")
            if location == "path":
                path_names[name] = field_name
            elif location == "query":
                query[name] = reference
            else:
                headers[name] = reference
        body = self.request_body(operation, report, fields, taken, headers)
        if report.skipped:
            return None
        url_path = operation.path
        for name, field_name in path_names.items():
            url_path = url_path.replace(f"{{{name}}}", f"{{{field_name}}}")
        missing = re.findall(r"\{([^}]+)\}", operation.path)
        unknown = [name for name in missing if name not in path_names]
        if unknown:
            report.skipped = f"path parameter {unknown[0]} is not described"
            return None
        only_streams = self.success_media_types(operation)
        if only_streams and all(STREAM_MEDIA.match(media) for media in only_streams):
            report.skipped = (f"it answers only with a stream ({', '.join(sorted(set(only_streams)))}), which the "
                              "REST connector cannot read")
            return None
        servers = op.get("servers") or self.document.spec.get("servers")
        base = self.base_url(servers, report)
        entry: dict[str, Any] = {"label": report.label, "method": operation.method.upper(), "url": base + url_path}
        if query:
            entry["query"] = query
        if headers:
            entry["headers"] = headers
        if body is not None:
            entry["body"] = body
        if fields:
            entry["fields"] = _required_first(fields)
            order = {name: index for index, name in enumerate(entry["fields"])}
            report.fields.sort(key=lambda line: order.get(line.split(" ", 1)[0], len(order)))
        self.note_security(operation, report)
        return entry

    def success_media_types(self, operation: ApiOperation) -> list[str]:
        """The media types of the operation's 2xx answers (empty when none is described)."""
        responses = _mapping(operation.operation.get("responses"))
        found: list[str] = []
        for status, response in responses.items():
            if str(status).startswith("2") or str(status).upper() == "2XX":
                found += list(_mapping(_mapping(self.document.resolve(response)).get("content")))
        return found

    def stream_switch(self, operation: ApiOperation, member: str, schema: dict[str, Any]) -> bool:
        """Whether a body member turns the answer into a stream: a yes/no member that the description
        ties to server-sent events, or named `stream` while the operation can answer with a stream or
        the description speaks of streaming."""
        if self.schemas.type_of(schema) != "boolean":
            return False
        description = str(schema.get("description") or "")
        if _STREAM_TEXT.search(description):
            return True
        if not _STREAM_NAME.match(member):
            return False
        return any(STREAM_MEDIA.match(media) for media in self.success_media_types(operation)) \
            or re.search(r"stream|partial|incremental|delta", description, re.IGNORECASE) is not None or not description

    def request_body(self, operation: ApiOperation, report: OperationReport, fields: dict[str, dict[str, Any]],
                     taken: set[str], headers: dict[str, str]) -> Any:
        request_body = self.document.resolve(operation.operation.get("requestBody"))
        if operation.operation.get("requestBody") is not None and request_body is None:
            report.skipped = "the request body's $ref does not resolve"
            return None
        if not isinstance(request_body, dict):
            return None
        content = _mapping(request_body.get("content"))
        required = bool(request_body.get("required"))
        # `required` defaults to false, yet descriptions that leave it out mostly mean a body the
        # operation needs: then the members its schema requires are required fields too
        members_required = request_body.get("required") is not False
        media_type = next((media for media in content if JSON_MEDIA.match(media)), None)
        form = media_type is None and FORM_MEDIA in content
        if form:
            media_type = FORM_MEDIA
        if media_type is None:
            kinds = ", ".join(content) or "no media type"
            if required:
                report.skipped = f"request body {kinds}: etk generates JSON and form bodies only"
                return None
            report.notes.append(f"optional request body ({kinds}) left out")
            return None
        if operation.method.lower() not in ("post", "put", "patch"):
            report.notes.append(f"the REST connector sends no body with {operation.method.upper()}: body left out")
            return None
        if form:
            headers["Content-Type"] = FORM_MEDIA
        media = self.document.resolve(content[media_type]) or {}
        schema = self.schemas.resolve(media.get("schema"))
        if media.get("schema") is not None and schema is None:
            report.skipped = "the request body schema's $ref does not resolve"
            return None
        schema = schema or {}
        properties = schema.get("properties") if isinstance(schema.get("properties"), dict) else None
        alternatives = [key for key in ("oneOf", "anyOf") if schema.get(key)]
        if properties and not alternatives and self.schemas.type_of(schema) in ("object", None):
            body: dict[str, Any] = {}
            required_members = set(schema.get("required") or [])
            for member, member_schema in properties.items():
                resolved = self.schemas.resolve(member_schema) or {}
                if resolved.get("readOnly"):
                    continue
                if resolved.get("deprecated") and member not in required_members:
                    report.notes.append(f"body member {member} left out: deprecated by the API")
                    continue
                if self.stream_switch(operation, member, resolved):
                    # the REST connector waits for one whole answer and cannot read a stream of parts
                    if member in required_members or resolved.get("default") is True:
                        body[member] = False
                        why = "the API streams its answer by default" if resolved.get("default") is True \
                            else "true streams the answer"
                        report.notes.append(f"body member {member} is always sent as false: {why}, which the REST "
                                            "connector cannot read")
                    else:
                        report.notes.append(f"body member {member} left out: true streams the answer, which the REST "
                                            "connector cannot read (not sent: the API answers in one piece)")
                    continue
                field_name = _unique(identifier(member), taken, "Body")
                is_required = member in required_members and members_required
                spec, described = self.field_spec(member_schema, required=is_required,
                                                  description=resolved.get("description"), group="body",
                                                  name=member, location="body")
                if form and spec.get("json") == "json":
                    report.notes.append(f"form member {member} ({described}) is sent as its JSON text")
                fields[field_name] = spec
                body[member] = f"{{{field_name}}}"
                report.fields.append(f"{field_name} (body {member}{', required' if is_required else ''}, {described})")
            self.groups.setdefault("body", "Request body")
            if schema.get("additionalProperties") not in (None, False):
                report.notes.append("members beyond the described ones (additionalProperties) cannot be added")
            return body
        field_name = _unique("requestBody", taken, "Value")
        spec = {"label": "Request body", "group": "body", "feel": "required", "json": "json"}
        if required:
            spec["required"] = True
        what = " or ".join(alternatives) + " of several shapes" if alternatives else \
            (self.schemas.type_of(schema) or "any value")
        tip = tooltip_text(request_body.get("description") or schema.get("description"),
                           f"The whole body ({what}) as a FEEL value.")
        if tip:
            spec["tooltip"] = tip
        example = media.get("example", self.schemas.example(schema))
        if example is not None and len(json.dumps(example, ensure_ascii=False)) <= MAX_PLACEHOLDER:
            spec["placeholder"] = json.dumps(example, ensure_ascii=False)
        fields[field_name] = spec
        self.groups.setdefault("body", "Request body")
        report.fields.append(f"{field_name} (body, {what}, FEEL)")
        return f"{{{field_name}}}"

    # ---- the whole definition ------------------------------------------------------------------

    def generate(self, chosen: list[ApiOperation], all_operations: list[ApiOperation]) -> GeneratedDefinition:
        reports: list[OperationReport] = []
        operations: dict[str, dict[str, Any]] = {}
        taken_ids: set[str] = set()
        chosen_keys = {operation.title for operation in chosen}
        for operation in all_operations:
            report = OperationReport(operation.title, operation.operation_id,
                                     label=_operation_label(operation), chosen=operation.title in chosen_keys)
            reports.append(report)
            if not report.chosen:
                continue
            operation_id = _unique(_definition_operation_id(operation), taken_ids, "Operation")
            if operation.operation.get("deprecated"):
                report.notes.append("deprecated by the API")
            entry = self.operation(operation, report, operation_id)
            if entry is None:
                taken_ids.discard(operation_id)
                continue
            report.definition_id = operation_id
            operations[operation_id] = entry
        notes: list[str] = []
        data: dict[str, Any] = {"id": self.template_id, "name": self.name, "version": 1}
        description = first_sentence(self.info.get("summary") or self.info.get("description"))
        if description:
            data["description"] = description
        docs = (self.document.spec.get("externalDocs") or {}).get("url")
        if isinstance(docs, str) and re.match(r"^https?://", docs):
            data["documentationRef"] = docs
        data["engines"] = {"camunda": "^8.6"}
        data["protocol"] = "http-json"
        authentication = self.authentication(notes)
        groups = {}
        if len(operations) > 1:
            groups["operation"] = "Operation"
        if authentication:
            groups["authentication"] = "Authentication"
        for group_id in ("server", "parameters", "body"):
            if group_id in self.groups:
                groups[group_id] = self.groups[group_id]
        data["groups"] = groups
        if authentication:
            data["authentication"] = authentication
        if self.shared_fields:
            data["fields"] = self.shared_fields
        if len(operations) == 1:
            ((operation_id, entry),) = operations.items()
            entry = dict(entry)
            label = entry.pop("label")
            data["fields"] = {**data.get("fields", {}), **entry.pop("fields", {})}
            data["request"] = entry
            data["name"] = self.name if self.name != self.title else f"{self.title}: {label}"
        elif operations:
            data["operations"] = operations
        if not operations:
            data.pop("groups")
        data = {key: value for key, value in data.items() if value not in ({}, None)}
        _distinct_labels(data)
        data["example"] = self.example_values(data, authentication)
        if not data["example"]:
            data.pop("example")
        return GeneratedDefinition(data, reports, [*self.document.warnings, *notes])

    def example_values(self, data: dict[str, Any], authentication: dict[str, Any] | None) -> dict[str, str]:
        """Values for the example diagram: every required field of the default operation filled in."""
        values: dict[str, str] = {}
        if authentication:
            default = authentication.get("default") or next(iter(authentication))
            secret = {"apiKey": ("value", "API_KEY"), "bearer": ("token", "TOKEN"), "basic": ("password", "PASSWORD"),
                      "oauth-client-credentials-flow": ("clientSecret", "CLIENT_SECRET")}.get(default)
            if default == "basic":
                values["authentication.username"] = "user"
            if default == "oauth-client-credentials-flow":
                values["authentication.clientId"] = "client"
            if secret:
                values[f"authentication.{secret[0]}"] = _secret_name(self.title, secret[1])
        operations = data.get("operations")
        scopes: list[tuple[str, dict[str, Any]]] = [("", data.get("fields") or {})]
        if isinstance(operations, dict) and operations:
            first_id, first = next(iter(operations.items()))
            values["operation"] = first_id
            scopes.append((f"{first_id}_", first.get("fields") or {}))
        for prefix, fields in scopes:
            for name, spec in fields.items():
                if spec.get("required") and "default" not in spec and spec.get("type") != "Dropdown":
                    values[prefix + name] = _example_text(spec)
        return values


def _distinct_labels(data: dict[str, Any]) -> None:
    """Give a field whose label an earlier field of another kind already uses a label of its own.

    The panel (and etk's `label-type` rule) treats one label for two kinds of field as a mistake;
    operations of one API often share a member name with different types (`logprobs`: a number in
    one operation, yes/no in another). The later field gets its kind in parentheses.
    """
    scopes = [data.get("fields") or {}] + [entry.get("fields") or {} for entry in (data.get("operations") or {}).values()]
    # labels the generator gives its own properties: a field must not take one for another kind
    first_kind: dict[str, str] = {"Operation": "Dropdown", "Authentication": "Dropdown"}
    first_kind.update({standard.label: standard.type for standard in STANDARD_PROPERTIES if standard.type != "Hidden"})
    for auth_type in AUTH_TYPES.values():
        for auth_field in auth_type.fields:
            first_kind.setdefault(auth_field.label, "Dropdown" if auth_field.choices else "String")
    for fields in scopes:
        for spec in fields.values():
            label, kind = spec.get("label"), spec.get("type", "String")
            if not isinstance(label, str):
                continue
            if first_kind.setdefault(label, kind) != kind:
                renamed, number = f"{label} ({_kind_word(spec)})", 2
                while first_kind.setdefault(renamed, kind) != kind:
                    renamed, number = f"{label} ({_kind_word(spec)} {number})", number + 1
                spec["label"] = renamed


def _required_first(fields: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """`fields` with each group's required fields before its optional ones (otherwise in spec order):
    what a user must fill in comes first in the panel."""
    groups = list(dict.fromkeys(spec.get("group") for spec in fields.values()))
    return dict(sorted(fields.items(), key=lambda item: (groups.index(item[1].get("group")), not item[1].get("required"))))


def _kind_word(spec: dict[str, Any]) -> str:
    if spec.get("type") == "Dropdown":
        return "yes/no" if set(spec.get("choices", {})) >= {"true", "false"} else "choice"
    if spec.get("feel") == "required":
        return "FEEL"
    if spec.get("json") in ("integer", "number"):
        return "number"
    return "long text" if spec.get("type") == "Text" else "text"


def _example_text(spec: dict[str, Any]) -> str:
    """A value for a required field that its constraints accept (FEEL text when no plain value fits:
    the panel does not check a FEEL value against the field's pattern or lengths)."""
    if spec.get("feel") == "required":
        return "={}" if "context" in (spec.get("tooltip") or "") else "=[]"
    pattern = (spec.get("pattern") or {}).get("value") if isinstance(spec.get("pattern"), dict) else spec.get("pattern")
    low, high = spec.get("minLength") or 0, spec.get("maxLength")
    if spec.get("json") in ("integer", "number"):
        candidates = ["1", "0", "2", "5", "10", "100", "-1"]
    else:
        placeholder = spec.get("placeholder")
        candidates = [str(placeholder)] if placeholder and not str(placeholder).startswith("=") else []
        candidates += ["https://api.example.com" if spec.get("label") == "Base URL" else "example", "1", "example-1"]
        candidates = [text + "x" * max(0, low - len(text)) for text in candidates]
    for text in candidates:
        if (high is None or len(text) <= high) and (not pattern or re.search(pattern, text)):
            return text
    return '="example"' if spec.get("json") not in ("integer", "number") else "=1"


def _mapping(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else an empty one (descriptions are not always well formed)."""
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_type(kind: str | None, values: list[Any]) -> str:
    if kind in ("integer", "number", "boolean"):
        return kind
    if all(isinstance(item, bool) for item in values):
        return "boolean"
    if all(isinstance(item, int) and not isinstance(item, bool) for item in values):
        return "integer"
    if all(isinstance(item, (int, float)) and not isinstance(item, bool) for item in values):
        return "number"
    return "string"


def _whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else None


def _range_pattern(schema: dict[str, Any], kind: str) -> dict[str, str] | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        low, exclusive_low = exclusive_low, True  # 3.1 style
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high, exclusive_high = exclusive_high, True
    low_whole, high_whole = _whole(low), _whole(high)
    if (low is not None and low_whole is None) or (high is not None and high_whole is None):
        return None
    # bounds such as int64's limits say "any whole number": the renderer's plain number pattern is enough
    if low_whole is not None and abs(low_whole) > HUGE_BOUND:
        low, low_whole = None, None
    if high_whole is not None and abs(high_whole) > HUGE_BOUND:
        high, high_whole = None, None
    if low is None and high is None:
        return None
    text = _range_text(schema) or ""
    if kind == "integer":
        if low_whole is not None and exclusive_low is True:
            low_whole += 1
        if high_whole is not None and exclusive_high is True:
            high_whole -= 1
        if low_whole is not None and high_whole is not None and low_whole > high_whole:
            return None
        return {"value": integer_range(low_whole, high_whole), "message": f"must be a whole number {text}"}
    if exclusive_low is True or exclusive_high is True or low_whole is None or high_whole is None:
        return None
    if low_whole > high_whole:
        return None
    return {"value": decimal_range(low_whole, high_whole), "message": f"must be a number {text}"}


def _range_text(schema: dict[str, Any]) -> str | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    exclusive_low, exclusive_high = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
        low, exclusive_low = exclusive_low, True
    if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
        high, exclusive_high = exclusive_high, True
    # int64's limits say "any whole number", not a range worth reading
    if isinstance(low, (int, float)) and abs(low) > HUGE_BOUND:
        low = None
    if isinstance(high, (int, float)) and abs(high) > HUGE_BOUND:
        high = None
    if low is not None and high is not None:
        if exclusive_low is True or exclusive_high is True:
            return f"between {low} and {high}{' (exclusive)' if exclusive_low is True and exclusive_high is True else ''}"
        return f"from {low} to {high}"
    if low is not None:
        return f"greater than {low}" if exclusive_low is True else f"at least {low}"
    if high is not None:
        return f"less than {high}" if exclusive_high is True else f"at most {high}"
    return None


def _portable_pattern(pattern: str) -> bool:
    """Whether a spec pattern means the same in Python's `re` (etk apply) as in JavaScript (the Modeler)."""
    if re.search(r"\(\?[<P]|\\[pPAZz]|\(\?[aiLmsux]", pattern):
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _operation_label(operation: ApiOperation) -> str:
    summary = operation.operation.get("summary")
    if isinstance(summary, str) and summary.strip():
        text = re.sub(r"\s+", " ", summary.strip()).rstrip(".")
        return text if len(text) <= 80 else text[:79].rstrip() + "…"
    described = first_sentence(operation.operation.get("description"), limit=1000)
    if described and len(described.rstrip(".")) <= 80:
        return described.rstrip(".")
    if operation.operation_id:
        return field_label(operation.operation_id)
    return operation.title


def _definition_operation_id(operation: ApiOperation) -> str:
    if operation.operation_id:
        name = identifier(operation.operation_id)
        if name and re.match(r"^[A-Za-z][A-Za-z0-9]*$", name):
            return name
    words = [operation.method] + [re.sub(r"[{}]", "", part) for part in operation.path.split("/") if part]
    return identifier(" ".join(words)) or operation.method


def select_operations(operations: list[ApiOperation], wanted: Iterable[str] | None) -> list[ApiOperation]:
    """The operations `--operations` names (operationId, definition id or `METHOD /path`); all when None."""
    if wanted is None:
        return operations
    chosen: list[ApiOperation] = []
    for name in wanted:
        matches = [operation for operation in operations
                   if name in (operation.operation_id, operation.title, _definition_operation_id(operation))]
        if not matches:
            from generator.definition.schema import did_you_mean

            known = [operation.operation_id or operation.title for operation in operations]
            raise OperationSelectionError(
                f"--operations: the description has no operation {name!r}{did_you_mean(name, known)} "
                f"(see `etk from-openapi SPEC --scan`)"
            )
        chosen += [operation for operation in matches if operation not in chosen]
    return chosen


def generate_definition(document: ApiDocument, *, operations: Iterable[str] | None = None,
                        template_id: str | None = None, name: str | None = None) -> GeneratedDefinition:
    """The definition for `operations` (all when None) of `document`, with a report per operation."""
    all_operations = list(document.operations())
    chosen = select_operations(all_operations, list(operations) if operations is not None else None)
    return _Generator(document, template_id, name).generate(chosen, all_operations)
