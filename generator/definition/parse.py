"""Turn located definition data into the typed model, reporting what does not fit.

The reader is tolerant: the schema check has already reported wrong shapes, so a part with the
wrong type is skipped (its name still counts, so references to it do not cascade into more
errors), and everything that can be read is, so one run reports as many problems as possible.
Cross-references between parts are checked afterwards by `checks`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from generator.definition import model
from generator.definition.protocol import AUTH_TYPES, HTTP_JSON, HTTP_METHODS, REQUEST_PARTS, STANDARD_BY_ID
from generator.definition.schema import did_you_mean
from generator.definition.source import DataPath, LocatedData
from generator.problems import Location, Problem

PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{([^{}]*)\}")
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")  # no control characters, Latin-1 only
T = TypeVar("T")
# what each condition operator takes; any other value is left to the schema check's message
_CONDITION_VALUE_TYPES: dict[str, type | tuple[type, ...]] = {
    "equals": (str, int, float, bool),
    "oneOf": list,
    "isActive": bool,
}


def _one_of(options: Mapping[str, T], value: object) -> T | None:
    """`options[value]` when `value` is one of the option names (anything may be written in YAML)."""
    return options.get(value) if isinstance(value, str) else None


def humanize(name: str) -> str:
    """`messageRole` -> `Message role`: the label a field gets when the definition gives none."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


class DefinitionReader:
    """Reads one definition's data (already schema-checked) into a `model.Definition`."""

    def __init__(self, located: LocatedData, stem: str) -> None:
        self.located = located
        self.stem = stem
        self.problems: list[Problem] = []

    # ---- helpers -----------------------------------------------------------------------------

    def where(self, path: DataPath, *, key: bool = False) -> Location:
        return self.located.where(path, key=key)

    def problem(self, path: DataPath, message: str, *, key: bool = False) -> None:
        self.problems.append(Problem("error", "definition", message, self.where(path, key=key)))

    @staticmethod
    def mapping(value: Any) -> dict[str, Any]:
        return value if isinstance(value, dict) else {}

    @staticmethod
    def sequence(value: Any) -> list[Any]:
        return value if isinstance(value, list) else []

    @staticmethod
    def text(value: Any) -> str | None:
        return value if isinstance(value, str) else None

    def raw(self, path: DataPath, value: Any) -> str | None:
        """A scalar as text, exactly as written (so `2024-10-21` or `0.70` stay what the author typed)."""
        if isinstance(value, (dict, list)) or value is None:
            return None
        written = self.located.text(path)
        return written if written is not None else str(value)

    # ---- the definition ------------------------------------------------------------------------

    def read(self) -> model.Definition:
        data = self.mapping(self.located.data)
        root: DataPath = ()
        operations = self.read_operations(data.get("operations"), ("operations",))
        request = None
        if "request" in data:
            request = self.read_request(self.mapping(data["request"]), ("request",))
        default_operation = self.text(data.get("defaultOperation"))
        operation_ids = [operation.id for operation in operations]
        if default_operation is not None and default_operation not in operation_ids:
            self.problem(
                ("defaultOperation",),
                f"defaultOperation '{default_operation}' is not an operation{did_you_mean(default_operation, operation_ids)}",
            )
            default_operation = None
        category = self.mapping(data.get("category"))
        version = data.get("version")
        return model.Definition(
            stem=self.stem,
            source=self.located.file,
            location=self.where(root),
            id=self.text(data.get("id")) or "",
            name=self.text(data.get("name")) or "",
            version=version if isinstance(version, int) and not isinstance(version, bool) else 0,
            protocol=HTTP_JSON,
            description=self.text(data.get("description")),
            documentation_ref=self.text(data.get("documentationRef")),
            category=(
                (str(category.get("id")), str(category.get("name")))
                if category.get("id") and category.get("name")
                else ("connectors", "Connectors")
            ),
            keywords=tuple(item for item in self.sequence(data.get("keywords")) if isinstance(item, str)),
            engines=tuple(
                (key, value) for key, value in self.mapping(data.get("engines")).items() if isinstance(value, str)
            ),
            applies_to=tuple(
                item for item in self.sequence(data.get("appliesTo")) or ["bpmn:Task"] if isinstance(item, str)
            ),
            element_type=self.text(data.get("elementType")) or "bpmn:ServiceTask",
            groups=self.read_groups(data.get("groups")),
            standard_overrides=self.read_protocol(data.get("protocol")),
            authentication=(
                self.read_authentication(self.mapping(data["authentication"]), ("authentication",))
                if "authentication" in data
                else None
            ),
            fields=self.read_fields(data.get("fields"), ("fields",), shared=True),
            request=request,
            operations=operations,
            default_operation=default_operation,
            example=self.read_example(data["example"], ("example",)) if "example" in data else None,
            properties=self.read_properties(data.get("properties")),
            template_keys=tuple(self.mapping(data.get("template")).items()),
            docs=self.read_docs(self.mapping(data["docs"]), ("docs",), operation_ids) if "docs" in data else None,
        )

    def read_properties(self, data: Any) -> tuple[model.ExplicitProperty, ...]:
        """`properties:` entries as plain template data (shapes are checked by the schema and the validator)."""
        if not isinstance(data, list):
            return ()
        return tuple(
            model.ExplicitProperty(item, self.where(("properties", index)))
            for index, item in enumerate(data)
            if isinstance(item, dict)
        )

    def read_groups(self, data: Any) -> tuple[model.Group, ...]:
        groups = []
        for group_id, spec in self.mapping(data).items():
            path = ("groups", group_id)
            if isinstance(spec, str):
                groups.append(model.Group(group_id, spec, self.where(path, key=True)))
            elif isinstance(spec, dict):
                open_by_default = spec.get("openByDefault")
                groups.append(
                    model.Group(
                        group_id,
                        self.text(spec.get("label")) or humanize(group_id),
                        self.where(path, key=True),
                        tooltip=self.text(spec.get("tooltip")),
                        open_by_default=open_by_default if isinstance(open_by_default, bool) else None,
                    )
                )
        return tuple(groups)

    def read_protocol(self, data: Any) -> tuple[model.StandardOverride, ...]:
        overrides = []
        for standard_id, spec in self.mapping(self.mapping(data).get("fields")).items():
            path = ("protocol", "fields", standard_id)
            standard = STANDARD_BY_ID.get(standard_id)
            if standard is None or not isinstance(spec, dict):
                continue
            default = spec.get("default")
            if default is not None:
                if standard.type == "Number" and (not isinstance(default, int) or isinstance(default, bool)):
                    self.problem((*path, "default"), f"the default of {standard_id} must be a whole number")
                    default = None
                elif standard.type != "Number":
                    default = self.raw((*path, "default"), default)
            if "placeholder" in spec and standard.type not in ("String", "Text"):
                self.problem(
                    (*path, "placeholder"), f"{standard_id} is a {standard.type} input: it has no placeholder", key=True
                )
            overrides.append(
                model.StandardOverride(
                    standard_id,
                    self.where(path, key=True),
                    label=self.text(spec.get("label")),
                    description=self.text(spec.get("description")),
                    tooltip=self.text(spec.get("tooltip")),
                    placeholder=self.text(spec.get("placeholder")),
                    default=default,
                    group=self.text(spec.get("group")),
                )
            )
        return tuple(overrides)

    # ---- authentication ----------------------------------------------------------------------

    def read_authentication(self, data: dict[str, Any], path: DataPath) -> model.Authentication:
        types = []
        for key, spec in data.items():
            if key not in AUTH_TYPES:
                continue
            types.append(self.read_auth_type(key, spec, (*path, key)))
        default = self.text(data.get("default"))
        if default is not None and default not in {item.type for item in types}:
            offered = [item.type for item in types]
            self.problem(
                (*path, "default"),
                f"default authentication '{default}' is not one of the types offered here "
                f"({', '.join(offered) or 'none'}){did_you_mean(default, offered)}",
            )
            default = None
        if not types:
            self.problem(path, f"authentication offers no type: add one of {', '.join(AUTH_TYPES)}")
        return model.Authentication(
            types=tuple(types),
            default=default or (types[0].type if types else "noAuth"),
            label=self.text(data.get("label")) or "Authentication",
            group=self.text(data.get("group")) or "authentication",
            location=self.where(path, key=True),
            tooltip=self.text(data.get("tooltip")),
            description=self.text(data.get("description")),
        )

    def read_auth_type(self, auth_type: str, spec: Any, path: DataPath) -> model.AuthType:
        catalogue = AUTH_TYPES[auth_type]
        spec = self.mapping(spec)
        fields = []
        for field_spec in catalogue.fields:
            field_path = (*path, field_spec.name)
            given = spec.get(field_spec.name, {})
            where = self.where(field_path, key=True) if field_spec.name in spec else self.where(path, key=True)
            if given is False:
                if field_spec.required:
                    self.problem(
                        field_path,
                        f"authentication.{field_spec.name} is required by the REST connector: it cannot be left out",
                    )
                fields.append(model.AuthField(field_spec.name, "omitted", field_spec.label, where))
            elif given is True:
                self.problem(
                    field_path, "use a value to fix this input, a mapping to show it, or false to leave it out"
                )
            elif isinstance(given, str):
                if field_spec.choices and given not in {value for value, _ in field_spec.choices}:
                    allowed = [value for value, _ in field_spec.choices]
                    self.problem(
                        field_path, f"'{given}' is not one of: {', '.join(allowed)}{did_you_mean(given, allowed)}"
                    )
                fields.append(
                    model.AuthField(
                        field_spec.name, "fixed", field_spec.label, where, value=self.raw(field_path, given)
                    )
                )
            elif isinstance(given, dict):
                # the text written (None for a list or mapping: reported by the schema check)
                default = self.raw((*field_path, "default"), given.get("default"))
                if (
                    default is not None
                    and field_spec.choices
                    and default not in {value for value, _ in field_spec.choices}
                ):
                    allowed = [value for value, _ in field_spec.choices]
                    self.problem(
                        (*field_path, "default"),
                        f"'{default}' is not one of: {', '.join(allowed)}{did_you_mean(default, allowed)}",
                    )
                fields.append(
                    model.AuthField(
                        field_spec.name,
                        "visible",
                        self.text(given.get("label")) or field_spec.label,
                        where,
                        value=default if default is not None else field_spec.default,
                        placeholder=self.text(given.get("placeholder")),
                        tooltip=self.text(given.get("tooltip")),
                        description=self.text(given.get("description")),
                    )
                )
        return model.AuthType(
            auth_type, self.text(spec.get("label")) or catalogue.label, tuple(fields), self.where(path, key=True)
        )

    # ---- fields --------------------------------------------------------------------------------

    def read_fields(self, data: Any, path: DataPath, *, shared: bool) -> tuple[model.Field, ...]:
        fields = []
        for name, spec in self.mapping(data).items():
            if not NAME.match(name):
                continue  # reported by the schema check
            fields.append(self.read_field(name, self.mapping(spec), (*path, name), shared=shared))
        return tuple(fields)

    def read_field(self, name: str, spec: dict[str, Any], path: DataPath, *, shared: bool) -> model.Field:
        field_type = _one_of(model.FIELD_TYPES, spec.get("type")) or "String"
        choices = self.read_choices(spec, path, field_type)
        default = self.read_default(spec, path, field_type, choices)
        feel = self.read_feel(spec, path, field_type)
        computed = field_type == "Hidden" and isinstance(default, str) and default.startswith("=")
        json_type = _one_of(model.JSON_TYPES, spec.get("json"))
        if json_type is None:
            json_type = (
                "number"
                if field_type == "Number"
                else "boolean"
                if field_type == "Boolean"
                else "json"
                if computed or feel == "required"
                else "string"
            )
        for key in ("minLength", "maxLength", "pattern", "placeholder"):
            if key in spec and field_type not in ("String", "Text"):
                self.problem(
                    (*path, key), f"'{key}' is only allowed on String and Text fields, not {field_type}", key=True
                )
        if spec.get("required") is True and field_type == "Hidden":
            self.problem((*path, "required"), "a Hidden field always has its value: it cannot be required", key=True)
        if "operations" in spec and not shared:
            self.problem(
                (*path, "operations"), "'operations' is only allowed on shared fields (top-level `fields`)", key=True
            )
        pattern = spec.get("pattern")
        if isinstance(pattern, str):
            pattern = model.Pattern(pattern, None)
        elif isinstance(pattern, dict) and isinstance(pattern.get("value"), str):
            pattern = model.Pattern(pattern["value"], self.text(pattern.get("message")))
        else:
            pattern = None
        operations = spec.get("operations")
        return model.Field(
            name=name,
            type=field_type,
            label=self.text(spec.get("label")) or humanize(name),
            location=self.where(path, key=True),
            description=self.text(spec.get("description")),
            tooltip=self.text(spec.get("tooltip")),
            placeholder=self.text(spec.get("placeholder")),
            default=default,
            required=spec.get("required") is True and field_type != "Hidden",
            min_length=spec.get("minLength") if isinstance(spec.get("minLength"), int) else None,
            max_length=spec.get("maxLength") if isinstance(spec.get("maxLength"), int) else None,
            pattern=pattern,
            feel=feel,
            group=self.text(spec.get("group")),
            condition=self.read_condition(spec["condition"], (*path, "condition"))
            if isinstance(spec.get("condition"), dict)
            else None,
            json=json_type,
            choices=choices,
            operations=tuple(item for item in operations if isinstance(item, str))
            if isinstance(operations, list) and shared
            else None,
        )

    def read_choices(self, spec: dict[str, Any], path: DataPath, field_type: str) -> tuple[model.Choice, ...]:
        given = spec.get("choices")
        if field_type != "Dropdown":
            if given is not None:
                self.problem(
                    (*path, "choices"), f"'choices' is only allowed on Dropdown fields, not {field_type}", key=True
                )
            return ()
        if not isinstance(given, dict) or not given:
            if given is None:
                self.problem(path, "a Dropdown field needs 'choices' (value: label)", key=True)
            return ()
        return tuple(model.Choice(str(value), str(label)) for value, label in given.items())

    def read_default(
        self, spec: dict[str, Any], path: DataPath, field_type: str, choices: tuple[model.Choice, ...]
    ) -> str | int | float | bool | None:
        default_path = (*path, "default")
        default = spec.get("default")
        if default is None:
            if field_type == "Hidden":
                self.problem(path, "a Hidden field needs a 'default': the value it always has", key=True)
            if field_type == "Dropdown" and choices:
                return choices[0].value
            return None
        if field_type == "Number":
            if isinstance(default, bool) or not isinstance(default, (int, float)):
                self.problem(default_path, f"the default of a Number field must be a number, got '{default}'")
                return None
            return default
        if field_type == "Boolean":
            if not isinstance(default, bool):
                self.problem(default_path, f"the default of a Boolean field must be true or false, got '{default}'")
                return None
            return default
        if isinstance(default, bool):
            self.problem(
                default_path, f'the default of a {field_type} field is text: quote it ("{str(default).lower()}")'
            )
            return None
        text = self.raw(default_path, default)
        if text is not None and field_type == "Dropdown" and choices and text not in {choice.value for choice in choices}:
            values = [choice.value for choice in choices]
            self.problem(
                default_path,
                f"default '{text}' is not one of the choices: {', '.join(values)}{did_you_mean(text, values)}",
            )
        return text

    def read_feel(self, spec: dict[str, Any], path: DataPath, field_type: str) -> model.FeelMode | None:
        feel = _one_of(model.FEEL_MODES, spec.get("feel"))
        if feel is None:
            defaults: dict[str, model.FeelMode] = {"String": "optional", "Text": "optional", "Number": "static", "Boolean": "static"}
            return defaults.get(field_type)
        if field_type in ("Dropdown", "Hidden"):
            self.problem((*path, "feel"), f"a {field_type} field has no FEEL mode", key=True)
            return None
        if feel == "static" and field_type in ("String", "Text"):
            self.problem((*path, "feel"), "feel: static is for Number and Boolean fields; use optional or required")
            return "optional"
        return feel

    def read_condition(self, data: dict[str, Any], path: DataPath) -> model.Condition | None:
        if "allMatch" in data:
            if set(data) != {"allMatch"}:
                self.problem(path, "a condition with 'allMatch' has no other keys")
            items = data["allMatch"] if isinstance(data["allMatch"], list) else []
            conditions = []
            for index, item in enumerate(items):
                item_path = (*path, "allMatch", index)
                if isinstance(item, dict) and "allMatch" in item:
                    self.problem(item_path, "'allMatch' cannot be nested")
                    continue
                condition = self.read_condition(item, item_path) if isinstance(item, dict) else None
                if isinstance(condition, model.SimpleCondition):
                    conditions.append(condition)
            return model.AllMatch(tuple(conditions), self.where(path)) if conditions else None
        operators = [key for key in ("equals", "oneOf", "isActive") if key in data]
        if not isinstance(data.get("property"), str):
            if "property" not in data:
                self.problem(path, "a condition needs 'property' (the field it depends on)")
            return None
        if len(operators) != 1:
            self.problem(path, "a condition needs exactly one of 'equals', 'oneOf' or 'isActive'")
            return None
        operator = operators[0]
        value = data[operator]
        if not isinstance(value, _CONDITION_VALUE_TYPES[operator]):
            return None  # reported by the schema check
        if operator == "equals" and isinstance(value, str):
            value = self.raw((*path, "equals"), value)
        return model.SimpleCondition(data["property"], operator, value, self.where((*path, "property")))

    # ---- the example ---------------------------------------------------------------------------

    def read_example(self, data: Any, path: DataPath) -> model.Example:
        """The example values as typed text; which properties they name is checked on the template."""
        values = []
        for key, value in self.mapping(data).items():
            value_path = (*path, key)
            text = self.raw(value_path, value)
            if text is None:
                continue  # null, a list or a mapping: reported by the schema check
            values.append(
                model.ExampleValue(key, text, self.where(value_path), self.where(value_path, key=True))
            )
        return model.Example(tuple(values), self.where(path, key=True))

    # ---- documentation ---------------------------------------------------------------------------

    def read_docs(self, data: dict[str, Any], path: DataPath, operation_ids: list[str]) -> model.Docs:
        """The `docs:` section (shapes are schema-checked; here: references to operations)."""
        operations = []
        for operation_id, text in self.mapping(data.get("operations")).items():
            where = self.where((*path, "operations", operation_id), key=True)
            if self.known_operation(operation_id, (*path, "operations", operation_id), operation_ids) and isinstance(text, str):
                operations.append((operation_id, text, where))
        screenshots = [
            model.DocsScreenshot(
                operation_id,
                self.read_example(values, (*path, "screenshots", operation_id)).values,
                self.where((*path, "screenshots", operation_id), key=True),
            )
            for operation_id, values in self.mapping(data.get("screenshots")).items()
            if self.known_operation(operation_id, (*path, "screenshots", operation_id), operation_ids)
        ]
        sections = [
            model.DocsSection(
                item["title"], item["body"], item.get("after") or "example", self.where((*path, "sections", index))
            )
            for index, item in enumerate(self.sequence(data.get("sections")))
            if isinstance(item, dict) and isinstance(item.get("title"), str) and isinstance(item.get("body"), str)
        ]
        links = [
            model.DocsLink(item["title"], item["url"], self.where((*path, "links", index)))
            for index, item in enumerate(self.sequence(data.get("links")))
            if isinstance(item, dict) and isinstance(item.get("title"), str) and isinstance(item.get("url"), str)
        ]
        return model.Docs(
            location=self.where(path, key=True),
            summary=self.text(data.get("summary")),
            prerequisites=tuple(item for item in self.sequence(data.get("prerequisites")) if isinstance(item, str)),
            operations=tuple(operations),
            sections=tuple(sections),
            links=tuple(links),
            result_expressions=self.read_docs_expressions(data.get("resultExpressions"), (*path, "resultExpressions")),
            error_expressions=self.read_docs_expressions(data.get("errorExpressions"), (*path, "errorExpressions")),
            example=self.read_docs_example(data["example"], (*path, "example"))
            if isinstance(data.get("example"), dict)
            else None,
            screenshots=tuple(screenshots),
        )

    def known_operation(self, operation_id: str, path: DataPath, operation_ids: list[str]) -> bool:
        """Whether a `docs:` key names an operation of the definition (else a problem at the key)."""
        if operation_id in operation_ids:
            return True
        known = ", ".join(operation_ids) or "none: the definition has no operations"
        self.problem(
            path, f"docs: '{operation_id}' is not an operation ({known}){did_you_mean(operation_id, operation_ids)}", key=True
        )
        return False

    def read_docs_expressions(self, data: Any, path: DataPath) -> tuple[model.DocsExpression, ...]:
        expressions = []
        for index, item in enumerate(data if isinstance(data, list) else ()):
            if not isinstance(item, dict) or not isinstance(item.get("expression"), str):
                continue
            item_path = (*path, index)
            values = self.read_example(item["values"], (*item_path, "values")).values if "values" in item else ()
            expressions.append(
                model.DocsExpression(
                    item["expression"], self.text(item.get("description")), values, self.where((*item_path, "expression"))
                )
            )
        return tuple(expressions)

    def read_docs_example(self, data: dict[str, Any], path: DataPath) -> model.DocsExample:
        service = data.get("service")
        reply = self.mapping(service).get("reply") if isinstance(service, dict) else None
        if isinstance(reply, dict):
            status = reply.get("status", 200)
            chosen: str | model.ScriptedReply = model.ScriptedReply(
                status=status if isinstance(status, int) and not isinstance(status, bool) else 200,
                headers=self.read_reply_headers(reply.get("headers"), (*path, "service", "reply", "headers")),
                body=reply.get("body"),
            )
        else:
            chosen = service if isinstance(service, str) else ""
        volatile = tuple(
            (item, self.where((*path, "volatile", index)))
            for index, item in enumerate(self.sequence(data.get("volatile")))
            if isinstance(item, str)
        )
        return model.DocsExample(
            service=chosen,
            location=self.where((*path, "service")) if "service" in data else self.where(path, key=True),
            title=self.text(data.get("title")),
            description=self.text(data.get("description")),
            volatile=volatile,
        )

    def read_reply_headers(self, data: Any, path: DataPath) -> tuple[tuple[str, str], ...]:
        """The headers of a scripted reply: each a token name and a one-line Latin-1 value (what
        HTTP/1.1 can carry); others are reported and left out."""
        headers = []
        for name, value in self.mapping(data).items():
            text = self.raw((*path, name), value) or ""
            if HEADER_NAME.fullmatch(name) is None:
                self.problem((*path, name), f"{name!r} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)",
                             key=True)
            elif HEADER_VALUE.fullmatch(text) is None:
                self.problem((*path, name), f"the value of header {name!r} is not one line of Latin-1 text, which "
                             "HTTP/1.1 headers are")
            else:
                headers.append((name, text))
        return tuple(headers)

    # ---- operations and requests ---------------------------------------------------------------

    def read_operations(self, data: Any, path: DataPath) -> tuple[model.Operation, ...]:
        operations = []
        for operation_id, spec in self.mapping(data).items():
            if not isinstance(spec, dict) or not re.match(r"^[A-Za-z][A-Za-z0-9]*$", operation_id):
                continue
            operation_path = (*path, operation_id)
            operations.append(
                model.Operation(
                    id=operation_id,
                    label=self.text(spec.get("label")) or humanize(operation_id),
                    fields=self.read_fields(spec.get("fields"), (*operation_path, "fields"), shared=False),
                    request=self.read_request(spec, operation_path),
                    location=self.where(operation_path, key=True),
                )
            )
        return tuple(operations)

    def read_request(self, data: dict[str, Any], path: DataPath) -> model.Request:
        variants = []
        given = data.get("variants")
        if isinstance(given, list):
            for index, item in enumerate(given):
                if not isinstance(item, dict):
                    continue
                variant_path = (*path, "variants", index)
                when = item.get("when")
                last = index == len(given) - 1
                if last and when is not None:
                    self.problem(
                        (*variant_path, "when"), "the last variant is the fallback: it has no 'when'", key=True
                    )
                if not last and not isinstance(when, str):
                    self.problem(
                        variant_path, "every variant but the last needs 'when' (a FEEL condition starting with '=')"
                    )
                when_value = (
                    model.FeelValue(when[1:], self.where((*variant_path, "when")))
                    if isinstance(when, str) and when.startswith("=") and not last
                    else None
                )
                variants.append(
                    model.Variant(when_value, self.read_parts(item, variant_path), self.where(variant_path))
                )
        return model.Request(self.read_parts(data, path), tuple(variants), self.where(path, key=True))

    def read_parts(self, data: dict[str, Any], path: DataPath) -> model.RequestParts:
        values: dict[str, model.Value | None] = {}
        invalid: list[str] = []
        for part, _ in REQUEST_PARTS:
            if part not in data:
                values[part] = None
                continue
            part_path = (*path, part)
            value = self.read_value(data[part], part_path)
            if part == "method":
                value = self.check_method(value, part_path)
            elif part == "url" and isinstance(value, (model.ObjectValue, model.ListValue, model.SwitchValue)):
                self.problem(part_path, "the url is a string (a URL template, a {field} or =FEEL)")
                value = None
            elif part in ("query", "headers") and isinstance(
                value, (model.LiteralValue, model.TemplateString, model.ListValue)
            ):
                self.problem(part_path, f"'{part}' is a mapping of names to values (or a {{field}} / =FEEL giving one)")
                value = None
            values[part] = value
            if value is None:
                invalid.append(part)
        return model.RequestParts(**values, invalid=tuple(invalid))

    def check_method(self, value: model.Value | None, path: DataPath) -> model.Value | None:
        if isinstance(value, model.LiteralValue) and isinstance(value.value, str):
            method = value.value.upper()
            if method not in HTTP_METHODS:
                self.problem(
                    path,
                    f"'{value.value}' is not an HTTP method the REST connector supports: "
                    f"{', '.join(HTTP_METHODS)}{did_you_mean(method, HTTP_METHODS)}",
                )
                return None
            return model.LiteralValue(method, value.location)
        if isinstance(value, (model.FieldRef, model.FeelValue)):
            return value
        if value is not None:
            self.problem(path, f"the method is one of {', '.join(HTTP_METHODS)}, a {{field}} or =FEEL")
        return None

    def read_value(self, data: Any, path: DataPath) -> model.Value | None:
        where = self.where(path)
        if data is None:
            self.problem(path, "a null value is never sent: remove the entry")
            return None
        if isinstance(data, (bool, int, float)):
            return model.LiteralValue(data, where)
        if isinstance(data, str):
            return self.read_string(data, path)
        if isinstance(data, list):
            items = [self.read_value(item, (*path, index)) for index, item in enumerate(data)]
            return model.ListValue(tuple(item for item in items if item is not None), where)
        if "$switch" in data:
            return self.read_switch(data, path)
        entries = []
        for key, item in data.items():
            if key in ("$cases", "$default"):
                self.problem((*path, key), f"'{key}' belongs to a {{$switch: field, $cases: ...}} value", key=True)
                continue
            value = self.read_value(item, (*path, key))
            if value is not None:
                entries.append((key, value))
        return model.ObjectValue(tuple(entries), where)

    def read_string(self, text: str, path: DataPath) -> model.Value | None:
        where = self.where(path)
        if text.startswith("="):
            return model.FeelValue(text[1:], where)
        parts: list[str | model.FieldRef] = []
        position = 0
        for match in PLACEHOLDER.finditer(text):
            if match.group(1) is None:
                continue  # {{secrets.X}} and other double-brace text stays literal
            name = match.group(1).strip()
            if not NAME.match(name):
                self.problem(
                    path,
                    f"'{match.group(0)}' is not a placeholder: write {{fieldName}} (double braces stay literal, e.g. {{{{secrets.KEY}}}})",
                )
                return None
            if match.start() > position:
                parts.append(text[position : match.start()])
            parts.append(model.FieldRef(name, where))
            position = match.end()
        if position < len(text):
            parts.append(text[position:])
        if not any(isinstance(part, model.FieldRef) for part in parts):
            return model.LiteralValue(text, where)
        if len(parts) == 1 and isinstance(parts[0], model.FieldRef):
            return parts[0]  # exactly "{field}"
        return model.TemplateString(tuple(parts), where)

    def read_switch(self, data: dict[str, Any], path: DataPath) -> model.Value | None:
        for key in data:
            if key not in ("$switch", "$cases", "$default"):
                self.problem(
                    (*path, key),
                    f"unknown key '{key}' in a $switch value; allowed: $switch, $cases, $default",
                    key=True,
                )
        field_name = data.get("$switch")
        cases = data.get("$cases")
        if not isinstance(field_name, str) or not NAME.match(field_name):
            self.problem((*path, "$switch"), "$switch names the Dropdown field that selects the value")
            return None
        if not isinstance(cases, dict) or not cases:
            self.problem(path, "a $switch value needs '$cases': a mapping of choice values to values")
            return None
        read_cases = []
        for choice, item in cases.items():
            value = self.read_value(item, (*path, "$cases", choice))
            if value is not None:
                read_cases.append((choice, value))
        default = self.read_value(data["$default"], (*path, "$default")) if "$default" in data else None
        return model.SwitchValue(field_name, tuple(read_cases), default, self.where(path))
