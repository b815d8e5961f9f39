"""README's worked example, from API description to passing test: from-openapi -> build -> run against
`etk serve openapi` (the `openapi_fake` fixture), over TLS, with the template unchanged."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.apply import apply_template
from generator.cli import main
from generator.runtime import Completed, ConnectTo, HttpClient, run_task

SPEC = Path(__file__).parent / "specs" / "todo.yaml"


def test_create_item_end_to_end(tmp_path: Path, openapi_fake) -> None:
    definition = tmp_path / "templates" / "todo.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["from-openapi", str(SPEC), "--operations", "createItem,getItem",
                                "-o", str(definition)]).exit_code == 0
    assert runner.invoke(main, ["build", str(definition.parent), "-o", str(tmp_path / "dist")]).exit_code == 0

    # -- as in README.md --
    fake = openapi_fake(SPEC, api_keys=["test-key"], tls=True)
    template = json.loads((tmp_path / "dist" / "todo.json").read_text())
    task = apply_template(template, {
        "operation": "createItem",
        "authentication.value": "{{secrets.TODO_KEY}}",
        "createItem_title": "Buy milk",
        "createItem_priority": "2",
        "resultExpression": "={itemId: response.body.id}",
    })
    route = ConnectTo("eu.todo.example.com", 443, "127.0.0.1", fake.port)
    with HttpClient(connect_to=[route], ca_file=fake.ca_file) as http:
        outcome = run_task(task, secrets={"TODO_KEY": "test-key"}, http=http)
    assert outcome == Completed({"itemId": 7})  # the spec's example answer
    assert fake.last_request.path == "/api/v1/items"
    assert fake.last_request.json == {"title": "Buy milk", "priority": 2}

    fake.fail_next(429, retry_after=30)
    with HttpClient(connect_to=[route], ca_file=fake.ca_file) as http:
        limited = run_task(task, secrets={"TODO_KEY": "test-key"}, http=http)
    assert limited.message.startswith("Too Many Requests | Error variables: {error={type=")
    assert limited.retries == 2 and limited.variables["error"]["code"] == "429"
