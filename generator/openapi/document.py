"""Load an API description (OpenAPI 3.0, 3.1 or Swagger 2.0; JSON or YAML) into one OpenAPI 3 document.

`load_document(path)` reads the file, bundles every `$ref` to another local file into the document
(under `x-etk-bundled`, so references stay references and recursive schemas stay finite), converts
Swagger 2.0 to the OpenAPI 3.0 shape (`servers`, `requestBody`, `components`), and returns an
`ApiDocument` whose `spec` both the definition generator and the fake service read. Bad input is an
`EtkError` naming the file and the JSON pointer; references that point outside the local files are
reported as warnings and left unresolved (operations that need them are skipped with the reason).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from generator.errors import EtkError
from generator.jsontext import JsonReadError, array_index, parse_json

BUNDLED = "x-etk-bundled"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Bound on the nodes a document may expand to (YAML aliases can make a small file huge).
MAX_NODES = 5_000_000


class SpecError(EtkError):
    """The API description cannot be read; the message says where and why."""


@dataclass(frozen=True)
class ApiOperation:
    """One path + method of the document, with the path item's parameters merged in."""

    path: str
    method: str  # lower case, as in the document
    operation: dict[str, Any]
    parameters: tuple[dict[str, Any], ...]  # resolved; operation-level ones override path-level ones
    pointer: str  # JSON pointer of the operation object

    @property
    def operation_id(self) -> str | None:
        value = self.operation.get("operationId")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def title(self) -> str:
        """`METHOD /path` (how messages name an operation that has no operationId)."""
        return f"{self.method.upper()} {self.path}"


@dataclass
class ApiDocument:
    """An API description as one OpenAPI 3 document (`spec`), with where it came from."""

    path: Path
    source_version: str  # "2.0", "3.0.3", "3.1.0", ...
    spec: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    @property
    def openapi_version(self) -> str:
        return str(self.spec.get("openapi", "3.0.3"))

    @property
    def is_31(self) -> bool:
        return self.openapi_version.startswith("3.1")

    def resolve(self, node: Any, *, depth: int = 0) -> Any:
        """`node` with its `$ref` chain followed (None when a reference does not resolve)."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            target = self.pointer(node["$ref"])
            if target is None or seen > 50:
                return None
            seen += 1
            node = target
        return node

    def pointer(self, reference: str) -> Any:
        """The node a local reference (`#/a/b`) points at, None when it does not exist."""
        if not reference.startswith("#"):
            return None
        node: Any = self.spec
        for token in split_pointer(reference[1:]):
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and (index := array_index(token, len(node))) is not None:
                node = node[index]
            else:
                return None
        return node

    def operations(self) -> Iterator[ApiOperation]:
        """Every operation, in document order."""
        paths = self.spec.get("paths")
        if not isinstance(paths, dict):
            return
        for path, item in paths.items():
            item = self.resolve(item)
            if not isinstance(item, dict):
                continue
            shared = [self.resolve(parameter) for parameter in item.get("parameters") or []]
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                own = [self.resolve(parameter) for parameter in operation.get("parameters") or []]
                merged: dict[tuple[str, str], dict[str, Any]] = {}
                for parameter in [*shared, *own]:
                    if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                        merged[(str(parameter.get("in")), parameter["name"])] = parameter
                yield ApiOperation(path, method, operation, tuple(merged.values()),
                                   f"/paths/{escape_pointer(path)}/{method}")


def split_pointer(pointer: str) -> list[str]:
    """The tokens of a JSON pointer (`/a~1b/c` -> `["a/b", "c"]`), percent-decoded as in URI fragments."""
    if not pointer:
        return []
    return [unquote(token).replace("~1", "/").replace("~0", "~") for token in pointer.lstrip("/").split("/")]


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


# ---- loading ------------------------------------------------------------------------------------


def load_document(path: Path) -> ApiDocument:
    """Read, bundle and (for Swagger 2.0) convert the API description at `path`."""
    path = Path(path)
    root = _read_file(path)
    if not isinstance(root, dict):
        raise SpecError(f"{path}: an API description is a JSON/YAML object (openapi or swagger, info, paths)")
    version = root.get("openapi") or root.get("swagger")
    if not isinstance(version, str) or not re.match(r"^(2\.0|3\.[01])(\.\d+)?", version):
        found = (f"{'openapi' if 'openapi' in root else 'swagger'}: {version!r}" if version is not None
                 else "no `openapi` or `swagger` key")
        raise SpecError(f"{path}: not an OpenAPI 3.0/3.1 or Swagger 2.0 document ({found}; expected e.g. openapi: 3.0.3)")
    bundler = _Bundler(path)
    spec = bundler.bundle(root)
    document = ApiDocument(path, version, spec, bundler.warnings)
    if version.startswith("2"):
        document.spec = convert_swagger(spec, document)
    return document


def _read_file(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SpecError(f"{path}: {size} bytes is more than the {MAX_FILE_BYTES} an API description may have")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SpecError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SpecError(f"{path}: is a folder, not an API description file") from None
    except OSError as error:
        raise SpecError(f"{path}: cannot read it: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise SpecError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith("{"):
        try:  # etk's one JSON reader, bounded in nesting and number length; repeated keys as Jackson reads them
            data = parse_json(text, as_jackson=True)
        except JsonReadError as error:
            if path.suffix.lower() == ".json":
                raise SpecError(str(error.in_file(str(path)))) from None
            data = _load_yaml(path, text)
    else:
        data = _load_yaml(path, text)
    _check_size(path, data)
    return data


def _load_yaml(path: Path, text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise SpecError(f"{where}: invalid YAML: {error.problem or error.context}") from None
    except yaml.YAMLError as error:
        raise SpecError(f"{path}: invalid YAML: {error}") from None


def _check_size(path: Path, data: Any) -> None:
    """Refuse documents that expand beyond `MAX_NODES` (aliases repeat nodes without copying them)."""
    count = 0
    stack = [data]
    while stack:
        node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise SpecError(f"{path}: the document expands to more than {MAX_NODES} values (YAML aliases?)")
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


class _Bundler:
    """Copies the document, rewriting references to other local files into `#/x-etk-bundled/<n>/...`."""

    def __init__(self, root_path: Path) -> None:
        self.root_path = root_path.resolve()
        self.files: dict[Path, str] = {self.root_path: ""}
        self.bundled: dict[str, Any] = {}
        self.warnings: list[str] = []

    def bundle(self, root: dict[str, Any]) -> dict[str, Any]:
        spec: dict[str, Any] = self.rewrite(root, self.root_path, "")
        if self.bundled:
            spec[BUNDLED] = self.bundled
        return spec

    def rewrite(self, node: Any, file: Path, prefix: str, where: str = "") -> Any:
        if isinstance(node, list):
            return [self.rewrite(item, file, prefix, f"{where}/{index}") for index, item in enumerate(node)]
        if not isinstance(node, dict):
            return node
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                result[key] = self.reference(value, file, prefix, where)
            elif isinstance(key, str) and key.startswith("x-"):
                result[key] = value  # vendor extensions (e.g. x-ms-examples) are not followed
            else:
                result[key] = self.rewrite(value, file, prefix, f"{where}/{escape_pointer(str(key))}")
        return result

    def reference(self, reference: str, file: Path, prefix: str, where: str) -> str:
        target, _, fragment = reference.partition("#")
        if not target:
            return f"#{prefix}{fragment}" if prefix else reference
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
            self.warnings.append(f"{where or '/'}: $ref {reference!r} points to the web; only local files are read")
            return reference
        other = (file.parent / unquote(target)).resolve()
        shown = _shown(other, self.root_path)
        if other not in self.files:
            index = str(len(self.files))
            self.files[other] = f"/{BUNDLED}/{index}"
            try:
                data = _read_file(other)
            except SpecError as error:
                reason = str(error).removeprefix(f"{other}: ")
                self.warnings.append(f"{where or '/'}: $ref {reference!r} ({shown}): {reason}")
                del self.files[other]
                return reference
            self.bundled[index] = self.rewrite(data, other, self.files[other])
        return f"#{self.files[other]}{fragment}"


def _shown(path: Path, root: Path) -> str:
    """`path` relative to the folder of the root document when below it (how warnings name files)."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


# ---- Swagger 2.0 -> OpenAPI 3.0 -----------------------------------------------------------------

_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems",
                "multipleOf", "x-nullable")
_COLLECTION_STYLES = {"csv": ("form", False), "ssv": ("spaceDelimited", False), "pipes": ("pipeDelimited", False),
                      "multi": ("form", True), "tsv": ("form", False)}


def convert_swagger(spec: dict[str, Any], document: ApiDocument) -> dict[str, Any]:
    """The OpenAPI 3.0 shape of a (bundled) Swagger 2.0 document."""
    spec = _rename_refs(copy.deepcopy(spec))
    result: dict[str, Any] = {"openapi": "3.0.3", "info": spec.get("info") or {"title": "API", "version": "1"}}
    for key in ("externalDocs", "tags", BUNDLED):
        if key in spec:
            result[key] = spec[key]
    result.update((key, value) for key, value in spec.items() if key.startswith("x-") and key != BUNDLED)
    host = spec.get("host")
    base_path = spec.get("basePath") or ""
    schemes = [scheme for scheme in spec.get("schemes") or [] if scheme in ("https", "http")] or ["https"]
    if isinstance(host, str) and host:
        result["servers"] = [{"url": f"{scheme}://{host}{base_path}"} for scheme in schemes]
    elif base_path:
        result["servers"] = [{"url": base_path}]
    consumes = spec.get("consumes") or ["application/json"]
    produces = spec.get("produces") or ["application/json"]
    components: dict[str, Any] = {}
    if isinstance(spec.get("definitions"), dict):
        components["schemas"] = {name: _schema(value) for name, value in spec["definitions"].items()}
    schemes_v3 = {name: _security_scheme(value) for name, value in (spec.get("securityDefinitions") or {}).items()
                  if isinstance(value, dict)}
    if schemes_v3:
        components["securitySchemes"] = schemes_v3
    if components:
        result["components"] = components
    if "security" in spec:
        result["security"] = spec["security"]
    root_parameters = spec.get("parameters") or {}
    root_responses = spec.get("responses") or {}

    def parameter(node: Any) -> Any:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            name = node["$ref"].rsplit("/", 1)[-1]
            target = root_parameters.get(name) if node["$ref"].startswith("#/components/parameters/") else None
            if target is None:
                target = document.pointer(node["$ref"]) if node["$ref"].startswith(f"#/{BUNDLED}") else None
            return target if isinstance(target, dict) else node
        return node

    paths: dict[str, Any] = {}
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        new_item: dict[str, Any] = {}
        shared = [parameter(p) for p in item.get("parameters") or []]
        for key, value in item.items():
            if key in HTTP_METHODS and isinstance(value, dict):
                own = [parameter(p) for p in value.get("parameters") or []]
                new_item[key] = _operation(value, shared, own, consumes, produces, root_responses)
            elif key.startswith("x-"):
                new_item[key] = value
        paths[path] = new_item
    result["paths"] = paths
    return result


def _rename_refs(node: Any) -> Any:
    if isinstance(node, list):
        return [_rename_refs(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            value = re.sub(r"^#/definitions/", "#/components/schemas/", value)
            value = re.sub(r"^#/parameters/", "#/components/parameters/", value)
            value = re.sub(r"^#/responses/", "#/components/responses/", value)
            result[key] = value
        else:
            result[key] = _rename_refs(value)
    return result


def _schema(node: Any) -> Any:
    """A Swagger 2.0 schema as an OpenAPI 3.0 schema (`x-nullable` -> `nullable`, `file` -> binary string)."""
    if isinstance(node, list):
        return [_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "x-nullable":
            result["nullable"] = value
        elif key == "type" and value == "file":
            result["type"], result["format"] = "string", "binary"
        elif key == "discriminator" and isinstance(value, str):
            result[key] = {"propertyName": value}
        elif key in ("properties", "definitions", "patternProperties"):
            result[key] = {name: _schema(item) for name, item in value.items()} if isinstance(value, dict) else value
        elif key in ("items", "additionalProperties", "not", "allOf", "oneOf", "anyOf"):
            result[key] = _schema(value)
        else:
            result[key] = value
    return result


def _parameter_schema(parameter: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = _schema({key: parameter[key] for key in _SCHEMA_KEYS if key in parameter})
    return schema


def _operation(operation: dict[str, Any], shared: list[Any], own: list[Any], consumes: list[str],
               produces: list[str], root_responses: dict[str, Any]) -> dict[str, Any]:
    result = {key: value for key, value in operation.items()
              if key not in ("parameters", "responses", "consumes", "produces", "schemes")}
    consumes = operation.get("consumes") or consumes
    produces = operation.get("produces") or produces
    merged: dict[tuple[str, str], Any] = {}
    for item in [*shared, *own]:
        if isinstance(item, dict):
            merged[(str(item.get("in")), str(item.get("name")))] = item
    parameters = []
    form: dict[str, Any] = {"type": "object", "properties": {}}
    form_required: list[str] = []
    has_file = False
    for (location, name), item in merged.items():
        if "$ref" in item:
            parameters.append(item)
        elif location == "body":
            media_types = [media for media in consumes if "json" in media] or consumes
            result["requestBody"] = {
                "required": bool(item.get("required")),
                "content": {media: {"schema": _schema(item.get("schema") or {})} for media in media_types},
            }
            if item.get("description"):
                result["requestBody"]["description"] = item["description"]
        elif location == "formData":
            schema = _parameter_schema(item)
            has_file = has_file or item.get("type") == "file"
            if item.get("description"):
                schema["description"] = item["description"]
            form["properties"][name] = schema
            if item.get("required"):
                form_required.append(name)
        else:
            converted = {key: item[key] for key in ("name", "in", "description", "required", "deprecated",
                                                    "allowEmptyValue") if key in item}
            converted["schema"] = _parameter_schema(item)
            style = _COLLECTION_STYLES.get(item.get("collectionFormat", "csv"))
            if item.get("type") == "array" and style is not None and location == "query":
                converted["style"], converted["explode"] = style
            parameters.append(converted)
    if form["properties"]:
        if form_required:
            form["required"] = form_required
        media = "multipart/form-data" if has_file or "multipart/form-data" in consumes \
            else "application/x-www-form-urlencoded"
        result["requestBody"] = {"required": bool(form_required), "content": {media: {"schema": form}}}
    if parameters:
        result["parameters"] = parameters
    responses = {}
    for status, response in (operation.get("responses") or {}).items():
        if isinstance(response, dict) and isinstance(response.get("$ref"), str):
            target = root_responses.get(response["$ref"].rsplit("/", 1)[-1])
            response = target if isinstance(target, dict) else response
        if not isinstance(response, dict):
            continue
        converted_response: dict[str, Any] = {"description": response.get("description", "")}
        if "schema" in response:
            examples = response.get("examples") or {}
            content = {}
            for media in produces:
                entry: dict[str, Any] = {"schema": _schema(response["schema"])}
                if media in examples:
                    entry["example"] = examples[media]
                content[media] = entry
            converted_response["content"] = content
        if isinstance(response.get("headers"), dict):
            converted_response["headers"] = {
                name: {"schema": _parameter_schema(header), **({"description": header["description"]}
                                                                if header.get("description") else {})}
                for name, header in response["headers"].items() if isinstance(header, dict)
            }
        responses[str(status)] = converted_response
    result["responses"] = responses or {"default": {"description": ""}}
    return result


def _security_scheme(scheme: dict[str, Any]) -> dict[str, Any]:
    kind = scheme.get("type")
    description = {"description": scheme["description"]} if scheme.get("description") else {}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **description}
    if kind == "apiKey":
        return {"type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in"), **description}
    if kind == "oauth2":
        flow_names = {"implicit": "implicit", "password": "password", "application": "clientCredentials",
                      "accessCode": "authorizationCode"}
        flow: dict[str, Any] = {"scopes": scheme.get("scopes") or {}}
        if scheme.get("authorizationUrl"):
            flow["authorizationUrl"] = scheme["authorizationUrl"]
        if scheme.get("tokenUrl"):
            flow["tokenUrl"] = scheme["tokenUrl"]
        return {"type": "oauth2", "flows": {flow_names.get(scheme.get("flow", ""), "implicit"): flow}, **description}
    return dict(scheme)
