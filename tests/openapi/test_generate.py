"""`etk from-openapi`: what a description becomes, that it builds, the scan, errors and regeneration."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.apply import apply_template
from generator.build import apply_plan, plan_build
from generator.cli import main
from generator.openapi.document import load_document
from generator.openapi.generate import generate_definition

SPECS = Path(__file__).parent / "specs"
TODO, SHOP, NOTES = SPECS / "todo.yaml", SPECS / "shop.json", SPECS / "notes.yaml"


def etk(*arguments: str):
    return CliRunner().invoke(main, [*map(str, arguments)])


def generate(tmp_path: Path, spec: Path, *options: str) -> tuple[Path, dict]:
    target = tmp_path / "templates" / f"{spec.stem}.yaml"
    result = etk("from-openapi", spec, "-o", target, *options)
    assert result.exit_code == 0, result.output
    return target, yaml.safe_load(target.read_text(encoding="utf-8"))


def build(tmp_path: Path, *, diagrams: bool = True) -> dict[str, dict]:
    """`etk build --diagrams` of tmp_path/templates into tmp_path/dist (every check included)."""
    plan = plan_build(tmp_path / "templates", tmp_path / "dist", diagrams=diagrams)
    apply_plan(plan)
    return {path.stem: json.loads(path.read_text()) for path in (tmp_path / "dist").glob("*.json")}


def test_openapi_3_0_with_an_external_ref_file(tmp_path: Path) -> None:
    target, data = generate(tmp_path, TODO)
    assert list(data) == ["id", "name", "version", "description", "documentationRef", "engines", "protocol",
                          "groups", "authentication", "fields", "operations", "example"]
    assert (data["id"], data["name"], data["documentationRef"]) == (
        "io.etk.connectors.TodoAPI.v1", "Todo API", "https://todo.example.com/docs")
    # servers + server variables -> base URL fields; enum -> dropdown
    assert data["fields"]["region"] == {
        "label": "Region", "group": "server", "type": "Dropdown", "choices": {"eu": "eu", "us": "us"},
        "default": "eu",
        "tooltip": "Where your data is kept. The {region} part of the server URL "
                   "https://{region}.todo.example.com/api/{basePath}.",
    }
    # security schemes -> the REST connector's authentication types
    assert data["authentication"]["default"] == "apiKey"
    assert data["authentication"]["apiKey"] == {
        "label": "API key (X-Api-Key header)", "apiKeyLocation": "headers", "name": "X-Api-Key",
        "value": {"label": "API key", "placeholder": "{{secrets.TODO_API_API_KEY}}", "tooltip": "Your API key"},
    }
    assert set(data["authentication"]) == {"label", "default", "apiKey", "bearer"}
    create = data["operations"]["createItem"]
    assert (create["method"], create["url"]) == ("POST", "https://{region}.todo.example.com/api/{basePath}/items")
    # the body schema lives in todo-schemas.yaml; readOnly `id` (from allOf) is not a request field
    assert create["body"] == {name: f"{{{name}}}" for name in ("title", "priority", "due", "tags", "done", "kind", "code")}
    fields = create["fields"]
    assert fields["title"] == {"label": "Title", "group": "body", "minLength": 1, "maxLength": 200,
                               "required": True, "tooltip": "What to do."}
    assert fields["priority"]["pattern"] == {"value": "^([1-5])?$", "message": "must be a whole number from 1 to 5"}
    assert fields["priority"]["tooltip"] == "1 (high) to 5 (low). From 1 to 5. API default: 3."
    assert fields["done"]["choices"] == {"": "Not set", "true": "Yes", "false": "No"}
    assert fields["tags"]["feel"] == "required"
    # the spec's pattern as it is: the renderer lets an optional field's pattern accept the empty field
    assert fields["code"]["pattern"] == {"value": "^[A-Z]{3}-[0-9]{3}$", "message": "must match ^[A-Z]{3}-[0-9]{3}$"}
    listing = data["operations"]["listItems"]
    assert listing["query"] == {"limit": "{limit}", "status": "{status}"}
    assert listing["headers"] == {"X-Request-Id": "{xRequestId}"}
    assert data["operations"]["getItem"]["url"].endswith("/items/{itemId}")
    assert "uploadAttachment" not in data["operations"]  # multipart: skipped (see the scan test)
    # the sidecar records the inputs and the base of the next merge
    record = json.loads((target.parent / "todo.from-openapi.json").read_text())
    assert record["generated"] == data and record["operations"] is None


def test_generated_definitions_build_and_send_what_the_spec_describes(tmp_path: Path) -> None:
    for spec in (TODO, SHOP, NOTES):
        generate(tmp_path, spec)
    templates = build(tmp_path)
    assert sorted(templates) == ["notes", "shop", "todo"]
    code = next(prop for prop in templates["todo"]["properties"] if prop.get("id") == "createItem_code")
    assert code["constraints"]["pattern"]["value"] == "^(undefined)?$|(?:^[A-Z]{3}-[0-9]{3}$)"
    task = apply_template(templates["todo"], {
        "authentication.value": "{{secrets.KEY}}", "operation": "createItem", "region": "us",
        "createItem_title": "Buy milk", "createItem_priority": "2", "createItem_done": "false",
        "createItem_tags": '=["home"]',
    })
    from generator.runtime import dry_run

    request = dry_run(task, secrets={"KEY": "k-123"})
    assert request["method"] == "POST"
    assert request["url"] == "https://us.todo.example.com/api/v1/items"
    assert request["body"] == {"title": "Buy milk", "priority": 2, "tags": ["home"], "done": False}


def test_swagger_2_servers_form_bodies_and_auth(tmp_path: Path) -> None:
    _, data = generate(tmp_path, SHOP)
    assert data["fields"]["baseUrl"]["default"] == "https://shop.example.com/v2"
    assert data["authentication"]["basic"] == {"label": "Basic", "password": {"placeholder": "{{secrets.SHOP_API_PASSWORD}}"}}
    assert data["authentication"]["apiKey"]["apiKeyLocation"] == "query"
    order = data["operations"]["placeOrder"]
    assert order["body"] == {"sku": "{sku}", "quantity": "{quantity}", "note": "{note}", "express": "{express}"}
    assert order["fields"]["currency"]["choices"] == {"": "Not set", "EUR": "EUR", "USD": "USD"}
    note = data["operations"]["addNote"]
    assert note["headers"] == {"Content-Type": "application/x-www-form-urlencoded"}
    assert note["body"] == {"text": "{text}"}


def test_openapi_3_1_type_lists_const_and_client_credentials(tmp_path: Path) -> None:
    _, data = generate(tmp_path, NOTES)
    assert data["name"] == "Notes API: Write a note"
    assert data["request"]["url"] == "{baseUrl}/notes"
    assert data["authentication"] == {"oauth-client-credentials-flow": {
        "label": "OAuth 2.0 client credentials",
        "oauthTokenEndpoint": {"default": "https://login.notes.example.com/oauth/token"},
        "clientSecret": {"placeholder": "{{secrets.NOTES_API_CLIENT_SECRET}}"},
        "scopes": {"default": "notes.write"},
    }}
    assert data["fields"]["color"]["choices"] == {"": "Not set", "yellow": "yellow", "blue": "blue"}
    assert data["fields"]["kind"]["choices"] == {"": "Not set", "note": "note"}
    assert data["fields"]["text"]["placeholder"] == "Remember the milk"


def test_scan_lists_every_operation_and_why_one_is_skipped(tmp_path: Path) -> None:
    result = etk("from-openapi", TODO, "--scan", "--operations", "createItem,GET /items/{itemId},uploadAttachment")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"{TODO}: Todo API (OpenAPI 3.0.3), 5 operations"
    assert "  GET /items  listItems  not chosen" in lines
    assert "+ POST /items  createItem  -> createItem (Create an item)" in lines
    assert "      field title (body title, required, text)" in lines
    assert "      field tags (body tags, FEEL list)" in lines
    assert ("- POST /items/{itemId}/attachments  uploadAttachment  skipped: request body multipart/form-data: "
            "etk generates JSON and form bodies only") in lines
    assert lines[-1] == "2 operations would be generated, 1 skipped, 2 not chosen"
    assert not (tmp_path / "templates").exists()


def test_errors_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    unknown = etk("from-openapi", TODO, "--operations", "createItm", "-o", tmp_path / "t.yaml")
    assert unknown.exit_code == 2
    assert unknown.output == ("etk: error: --operations: the description has no operation 'createItm' "
                              "(did you mean 'createItem'?) (see `etk from-openapi SPEC --scan`)\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.0\npaths: {a: [}\n")
    result = etk("from-openapi", broken, "-o", tmp_path / "t.yaml")
    assert (result.exit_code, result.output) == (2, f"etk: error: {broken}:2:13: invalid YAML: did not find expected node content\n")
    hand_written = tmp_path / "mine.yaml"
    hand_written.write_text("id: x\n")
    refused = etk("from-openapi", TODO, "-o", hand_written)
    assert refused.exit_code == 2
    assert "exists and was not generated by etk from-openapi" in refused.output
    assert hand_written.read_text() == "id: x\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["broken.yaml", "mine.yaml"]


def test_regenerating_keeps_the_users_edits_and_comments(tmp_path: Path) -> None:
    spec_dir = tmp_path / "spec"
    shutil.copytree(SPECS, spec_dir)
    spec = spec_dir / "todo.yaml"
    target, _ = generate(tmp_path, spec, "--operations", "createItem,listItems")
    text = target.read_text()
    text = text.replace("label: Title\n", "label: What to do  # shorter for our users\n")
    text = text.replace("version: 1\n", "version: 3\n")
    # the user removes a member they never send: its body entry and its field
    text = re.sub(r"      due: \{[^\n]*\}\n", "", text).replace("      due: '{due}'\n", "")
    target.write_text(text)
    # the API evolves: a new query parameter, a changed description, a changed maximum
    changed = spec.read_text()
    changed = changed.replace("        - {name: status, in: query,",
                              "        - {name: owner, in: query, description: Whose items, schema: {type: string}}\n"
                              "        - {name: status, in: query,")
    spec.write_text(changed)
    schemas = spec_dir / "todo-schemas.yaml"
    schemas.write_text(schemas.read_text().replace("description: What to do}", "description: What needs doing}")
                       .replace("maximum: 5, default: 3", "maximum: 9, default: 3"))
    result = etk("from-openapi", spec, "-o", target)  # --operations comes from the record
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"merged the new generation into {target} (2 operations)"
    merged_text = target.read_text()
    assert "label: What to do  # shorter for our users" in merged_text
    merged = yaml.safe_load(merged_text)
    assert merged["version"] == 3
    fields = merged["operations"]["createItem"]["fields"]
    assert "due" not in fields and "due" not in merged["operations"]["createItem"]["body"]
    assert fields["title"]["tooltip"] == "What needs doing."
    assert fields["priority"]["pattern"]["value"] == "^([1-9])?$"
    assert merged["operations"]["listItems"]["query"] == {"limit": "{limit}", "owner": "{owner}", "status": "{status}"}
    assert list(merged["operations"]["listItems"]["fields"]) == ["limit", "owner", "status", "xRequestId"]
    assert "  kept version: your value 3" in result.output
    assert "getItem" not in merged["operations"]
    build(tmp_path, diagrams=False)
    # a second regeneration without changes changes nothing
    again = etk("from-openapi", spec, "-o", target)
    assert again.exit_code == 0 and target.read_text() == merged_text


def test_a_description_from_the_loader_names_what_does_not_resolve(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    post:\n      operationId: a\n"
        "      requestBody: {content: {application/json: {schema: {$ref: 'missing.yaml#/X'}}}}\n"
        "      responses: {'200': {description: ok}}\n"
    )
    document = load_document(spec)
    assert document.warnings == ["/paths/~1a/post/requestBody/content/application~1json/schema: "
                                 "$ref 'missing.yaml#/X' (missing.yaml): no such file"]
    report = generate_definition(document).reports[0]
    assert report.skipped == "the request body schema's $ref does not resolve"


@pytest.mark.node
def test_generated_templates_pass_the_official_validator(tmp_path: Path, node_tools: Path) -> None:
    from tests.validate.test_conformance import official_verdicts

    for spec in (TODO, SHOP, NOTES):
        generate(tmp_path, spec)
    build(tmp_path)
    verdicts = official_verdicts(node_tools, sorted((tmp_path / "dist").glob("*.json")))
    assert [(Path(item["file"]).name, item["valid"], item["errors"]) for item in verdicts] == [
        ("notes.json", True, []), ("shop.json", True, []), ("todo.json", True, [])]


def test_keys_yaml_would_misread_are_quoted() -> None:
    """A dropdown choice `Off` (Bing's safeSearch) is a key YAML 1.1 reads as false unless quoted."""
    from generator.definition.write import definition_text, yaml_data

    data = {"id": "x", "fields": {"safeSearch": {"type": "Dropdown", "choices": {"Off": "Off", "Yes": "Yes", "1.0": "1.0"}}}}
    text = definition_text(data, [])
    assert "choices: {'Off': 'Off', 'Yes': 'Yes', '1.0': '1.0'}" in text
    assert yaml_data(text) == data


def test_what_the_panel_shows_first_how_and_what_it_leaves_out(tmp_path: Path) -> None:
    _, data = generate(tmp_path, SPECS / "chat.yaml")
    chat = data["operations"]["chat"]
    # required fields first (the body does not say it is required: its required members are);
    # deprecated and stream-switching members left out
    assert list(chat["fields"]) == ["messages", "temperature", "stop"]
    assert chat["fields"]["messages"]["required"] is True
    assert chat["body"] == {"temperature": "{temperature}", "stop": "{stop}", "messages": "{messages}"}
    assert "query" not in chat  # the deprecated legacy-mode parameter
    # text or a list: a text field whose FEEL mode gives the list
    assert chat["fields"]["stop"] == {"label": "Stop", "group": "body", "json": "json",
                                      "tooltip": "Where to stop, e.g. <code>END</code>. Text, or with FEEL (fx) a list."}
    # the default authentication is one the user can fill in: the API key, not a token from an implicit flow
    assert list(data["authentication"]) == ["label", "default", "apiKey", "bearer"]
    assert data["authentication"]["default"] == "apiKey"
    assert data["authentication"]["bearer"]["token"]["tooltip"] == (
        "An OAuth 2.0 access token obtained elsewhere (implicit flow of portal).")
