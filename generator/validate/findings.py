"""The catalogue of validation rules and `finding`, the `Problem` of one rule.

Every rule has a stable id, one severity and a group (what `--select`/`--ignore` accept besides
ids), a one-line summary and an example that breaks it (`etk validate --list-rules` prints
them). Severities are tiers:

* error: the template cannot be used as written: the Modeler rejects it, the process does not
  deploy, the properties panel throws, FEEL does not parse, a release overwrites a version;
* warning: a defect the Modeler loads the template with, silently (a property that is never
  active, two properties writing one input, a misspelled key, a Hidden URL that reads null),
  or a mistake a user sees in the panel (a red field, an empty selection, a property outside
  its group). Camunda's own published templates have such defects, so they do not fail a run
  unless `--strict` (or `strict = true`); `etk build` refuses the defects in what it generates;
* info: deprecations and style (not reported unless `--severity info`).
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.problems import Location, Problem, Severity


@dataclass(frozen=True)
class Rule:
    """A rule's id, severity, group, one-line summary and an example that breaks it (a JSON
    fragment of a template, or of several files for folder rules). `modeler_loads` marks the
    defects the Modeler does not stop at: it loads and applies such a template (with its
    defect), so etk's apply does too, and `etk build` refuses them in what it generates,
    whatever their severity."""

    id: str
    severity: Severity
    group: str
    summary: str
    example: str
    modeler_loads: bool = False


GROUPS: dict[str, str] = {
    "file": "reading the file: JSON syntax, encoding, duplicate keys, what the document holds",
    "schema": "the element-template format: etk's JSON Schema, $schema, unknown and misspelled keys",
    "modeler": "what the Modeler checks when it loads a template: ids and versions, element types, engines",
    "conditions": "which properties can be active: conditions that never hold, ids and bindings shared by active properties",
    "properties": "property details: dropdown values, patterns, Hidden values, groups",
    "feel": "FEEL values: syntax, the variables they read, the order of input mappings",
    "headers": "the elementTemplateId / elementTemplateVersion task headers",
    "panel": "what the properties panel shows a user (red fields, swallowed tooltips, doubled entries)",
    "deprecated": "deprecated constructs of the format",
    "folder": "across the files validated together: versions, versioned/ copies, hybrid templates",
}

_RULES = (
    # file
    Rule("json-syntax", "error", "file", "the file is valid JSON", '{"name": "Broken",}'),
    Rule("read-error", "error", "file", "the file can be read as UTF-8 text", "(a Latin-1 encoded file)"),
    Rule("duplicate-key", "error", "file", "no object repeats a key", '{"name": "A", "name": "B"}'),
    Rule("not-a-template", "error", "file", "the file holds a template object or an array of them", '"just a string"'),
    Rule("empty-file", "warning", "file", "an array file holds at least one template", "[]"),
    # schema
    Rule("schema", "error", "schema", "etk's JSON Schema of the element-template format (schemas/element-template.schema.json)",
         '"version": "1"'),
    Rule("schema-reference", "error", "schema", "$schema is present and names @camunda/zeebe-element-templates-json-schema",
         '"$schema": "https://example.com/schema.json"'),
    Rule("schema-version", "warning", "schema", "a version pinned in $schema is not newer than the schema etk knows (0.46.0)",
         '"$schema": "https://unpkg.com/@camunda/zeebe-element-templates-json-schema@0.99.0/resources/schema.json"'),
    Rule("misspelled-key", "warning", "schema", "no key the format does not define that is close to one it does (did you mean ...?)",
         '{"lable": "URL", "type": "String", "binding": {"type": "zeebe:input", "name": "url"}}', modeler_loads=True),
    Rule("unknown-key", "warning", "schema", "no key the format does not define (the Modeler ignores it)",
         '{"label": "URL", "colour": "red", "type": "String", "binding": {"type": "zeebe:input", "name": "url"}}'),
    Rule("suppression", "warning", "schema", 'an "x-etk-ignore" list names existing rules or groups and suppresses something',
         '{"x-etk-ignore": ["condition-valeu"], ...}'),
    # modeler load checks
    Rule("unique-id-version", "error", "modeler", "(id, version) is unique within one file and across the files validated together",
         '[{"id": "a", "version": 1, ...}, {"id": "a", "version": 1, ...}]'),
    Rule("version-safe-integer", "error", "modeler",
         "version is at most JavaScript's largest safe integer, 2^53-1 (the Modeler reads a larger one as another number)",
         '"version": 9007199254740993'),
    Rule("element-type", "error", "modeler",
         "elementType is (a subtype of) an appliesTo type, and every appliesTo type can morph into it",
         '"appliesTo": ["bpmn:Task"], "elementType": {"value": "bpmn:StartEvent"}'),
    Rule("engines", "error", "modeler", "every engines value is a valid npm semver range", '"engines": {"camunda": "8.6+"}'),
    Rule("task-definition-type", "error", "modeler",
         "a template for a service task (or another job-worker element) always sets the task definition type",
         '"elementType": {"value": "bpmn:ServiceTask"}, "properties": [/* no zeebe:taskDefinition type */]', modeler_loads=True),
    # conditions
    Rule("unique-property-id", "error", "conditions", "property ids are unique, unless the properties can never be active together",
         '{"id": "x", ...}, {"id": "x", ...}  (no conditions that exclude each other)'),
    Rule("duplicate-binding", "warning", "conditions",
         "no two properties that can be active together write the same task definition field, input target or task header",
         '{"type": "Hidden", "value": "GET", "binding": {"type": "zeebe:input", "name": "method"}}, '
         '{"type": "Hidden", "value": "POST", "binding": {"type": "zeebe:input", "name": "method"}}', modeler_loads=True),
    Rule("condition-self", "error", "conditions", "no condition refers to its own property",
         '{"id": "a", "condition": {"property": "a", "isEmpty": false}, ...}'),
    Rule("condition-target", "warning", "conditions", "a condition refers to an existing property id (else the property is never active)",
         '"condition": {"property": "operaton", "equals": "create"}', modeler_loads=True),
    Rule("condition-value", "warning", "conditions",
         "an equals/oneOf clause compares with a value the referenced property can hold (else the property is never active)",
         '"condition": {"property": "operation", "equals": "createProject"}  (not a choice of the dropdown)', modeler_loads=True),
    Rule("condition-dead-value", "warning", "conditions", "every oneOf value is a value the referenced property can hold",
         '"condition": {"property": "operation", "oneOf": ["create", "creat"]}'),
    Rule("condition-never-holds", "warning", "conditions",
         "a condition can hold: its clauses are compatible over the values the properties can hold together",
         '"condition": {"allMatch": [{"property": "mode", "equals": "a"}, {"property": "mode", "equals": "b"}]}', modeler_loads=True),
    Rule("condition-cycle", "error", "conditions", "isActive conditions do not refer to each other in a cycle",
         '{"id": "a", "condition": {"property": "b", "isActive": true}}, {"id": "b", "condition": {"property": "a", "isActive": true}}'),
    Rule("condition-order", "info", "conditions", "a condition refers to a property defined earlier",
         '{"label": "Token", "condition": {"property": "auth", "equals": "bearer"}}, {"id": "auth", ...}'),
    # properties
    Rule("dropdown-default", "warning", "properties", "a dropdown's value is one of its choices",
         '{"type": "Dropdown", "value": "c", "choices": [{"name": "A", "value": "a"}]}'),
    Rule("duplicate-choice", "warning", "properties", "a dropdown lists each value once",
         '"choices": [{"name": "Get", "value": "GET"}, {"name": "Fetch", "value": "GET"}]', modeler_loads=True),
    Rule("pattern-syntax", "error", "properties",
         "constraints.pattern is a valid JavaScript regular expression, and a pattern object has a value",
         '"constraints": {"pattern": "^(a|b$"}', modeler_loads=True),
    Rule("hidden-without-value", "info", "properties", "a Hidden property has a value or generatedValue",
         '{"type": "Hidden", "binding": {"type": "zeebe:input", "name": "x"}}'),
    Rule("unique-group-id", "error", "properties", "group ids are unique",
         '"groups": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]'),
    Rule("group-declared", "warning", "properties", "a property's group is declared in groups",
         '{"label": "URL", "group": "endpiont", ...}'),
    Rule("empty-group", "warning", "properties", "every declared group has properties", '"groups": [{"id": "unused", "label": "Unused"}]'),
    # FEEL
    Rule("feel-syntax", "error", "feel", "FEEL values parse (feel: required values, and values starting with =)",
         '{"type": "Hidden", "value": "={a: 1, }", ...}'),
    Rule("feel-unknown-variable", "warning", "feel",
         "a Hidden input mapping's FEEL reads only variables the template's earlier inputs provide",
         '{"type": "Hidden", "value": "=\\"https://\\" + resourceNam + \\".example.com\\"", '
         '"binding": {"type": "zeebe:input", "name": "url"}}', modeler_loads=True),
    Rule("input-order", "warning", "feel", "an input mapping does not read the target of an input mapped after it",
         '{"value": "=baseUrl + \\"/x\\"", "binding": {"type": "zeebe:input", "name": "url"}}, '
         '{"binding": {"type": "zeebe:input", "name": "baseUrl"}, ...}', modeler_loads=True),
    Rule("feel-value-without-equals", "info", "feel", "a feel: required value starts with =",
         '{"feel": "required", "value": "a + b", ...}'),
    # headers
    Rule("element-template-version", "error", "headers", "an elementTemplateVersion task header equals the template's version",
         '"version": 2, ... {"type": "Hidden", "value": "1", "binding": {"type": "zeebe:taskHeader", "key": "elementTemplateVersion"}}'),
    Rule("element-template-id", "warning", "headers",
         "an elementTemplateId task header equals the template's id (for a -hybrid template: the id without -hybrid)",
         '"id": "io.example.A", ... {"type": "Hidden", "value": "io.example.B", "binding": {"type": "zeebe:taskHeader", '
         '"key": "elementTemplateId"}}'),
    # panel (generator/validate/panel.py)
    Rule("pattern-rejects-empty", "warning", "panel",
         'a pattern on a field that is not notEmpty accepts the text "undefined" (what the panel tests on an empty field; '
         "JavaScript regex semantics)", '{"optional": true, "constraints": {"pattern": "^\\\\d+$"}, ...}'),
    Rule("panel-html", "warning", "panel",
         "tooltips and descriptions have no <...> the panel's HTML sanitizer swallows (only its allowed tags, e.g. <a href>)",
         '"tooltip": "Your <resource-name> from the portal"'),
    Rule("feel-placeholder", "warning", "panel", "a feel: required field's placeholder does not start with = (the panel shows a fixed =)",
         '{"feel": "required", "placeholder": "=[1, 2]", ...}'),
    Rule("dropdown-empty-choice", "warning", "panel",
         "an optional dropdown has no empty-valued choice (the panel adds its own empty entry)",
         '{"type": "Dropdown", "optional": true, "choices": [{"name": "Not set", "value": ""}, ...]}'),
    Rule("dropdown-empty-value", "warning", "panel",
         'a dropdown that is not optional has no empty-valued choice (it writes an empty value, not "not set")',
         '{"type": "Dropdown", "choices": [{"name": "None", "value": ""}, ...]}'),
    Rule("label-type", "warning", "panel", "one label is not used for fields of different types",
         '{"label": "Stream", "type": "Boolean", ...}, {"label": "Stream", "type": "String", ...}'),
    # deprecated
    Rule("deprecated-binding", "info", "deprecated", "no zeebe:taskDefinition:type binding (use zeebe:taskDefinition + property type)",
         '"binding": {"type": "zeebe:taskDefinition:type"}'),
    Rule("deprecated-optional-input", "info", "deprecated",
         "no optional on zeebe:input bindings in templates that require Camunda 8.8+ (8.8 maps empty inputs to null)",
         '"engines": {"camunda": "^8.8"}, ... {"optional": true, "binding": {"type": "zeebe:input", "name": "x"}}'),
    Rule("readonly-feel-optional", "info", "deprecated", "no feel: optional on a property with editable: false",
         '{"editable": false, "feel": "optional", ...}'),
    # folder
    Rule("versioned-copy", "error", "folder",
         "a template under versioned/ is an older version of a current template in the folder (and a released version "
         "has its copy there, with --base)", "versioned/a-3.json holds version 3 while a.json holds version 2", modeler_loads=True),
    Rule("version-not-bumped", "error", "folder",
         "a template whose content changed has a new version (against its versioned/ copy, or the git revision of --base)",
         "a.json and versioned/a-2.json both hold version 2 with different properties", modeler_loads=True),
    Rule("hybrid-parity", "warning", "folder",
         "a -hybrid template has the properties and version of its regular template (besides the task definition type)",
         "a-hybrid.json lacks a property that a.json has"),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}

# Rules checked across the files validated together (generator/validate/folder.py)
CROSS_FILE_RULES = frozenset(("unique-id-version", "version-not-bumped", "versioned-copy", "hybrid-parity"))

# A file that cannot be read as templates (unreadable, not JSON, a repeated key, no template):
# always reported, whatever --select, --ignore, per-file ignores or a baseline say, since no other
# rule could check the file.
FILE_ERRORS = frozenset(rule.id for rule in _RULES if rule.group == "file" and rule.severity == "error")


def finding(rule: str, pointer: str, message: str) -> Problem:
    """A problem of `rule` at JSON pointer `pointer` (not yet placed in a file), with the rule's severity."""
    return Problem(RULES[rule].severity, rule, message, Location(pointer=pointer))
