"""Streamed answers, which the REST connector cannot read (it waits for one whole body): a body member that
switches the answer to a stream is left out (or always sent as false when the API streams by default),
and an operation that answers only with a stream is skipped; each says why in `--scan`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from generator.apply import apply_template
from generator.cli import main
from generator.runtime import Completed, ConnectTo, HttpClient, run_task

SPEC = Path(__file__).parent / "specs" / "chat.yaml"


def etk(*arguments: str | Path):
    return CliRunner().invoke(main, [*map(str, arguments)])


def test_scan_says_what_happens_to_streams() -> None:
    result = etk("from-openapi", SPEC, "--scan")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{SPEC}: Chat API (OpenAPI 3.0.3), 3 operations",
        "+ POST /chat  chat  -> chat (Answer a conversation)",
        "      field messages (body messages, required, FEEL list)",
        "      field temperature (body temperature, number)",
        "      field stop (body stop, text or FEEL)",
        "      note: query parameter legacy-mode left out: deprecated by the API",
        "      note: body member stream left out: true streams the answer, which the REST connector cannot read "
        "(not sent: the API answers in one piece)",
        "      note: body member functions left out: deprecated by the API",
        "+ POST /generate  generate  -> generate (Complete a prompt)",
        "      field prompt (body prompt, required, text)",
        "      field raw (body raw, yes/no)",
        "      note: body member stream is always sent as false: the API streams its answer by default, which the "
        "REST connector cannot read",
        "- GET /events  watchEvents  skipped: it answers only with a stream (text/event-stream), which the REST "
        "connector cannot read",
        "note: security scheme portal (implicit flow): offered as a bearer token",
        "2 operations would be generated, 1 skipped, 0 not chosen",
    ]


def test_the_api_answers_in_one_piece(tmp_path: Path, openapi_fake) -> None:
    definition = tmp_path / "templates" / "chat.yaml"
    assert etk("from-openapi", SPEC, "-o", definition).exit_code == 0
    built = etk("build", definition.parent, "-o", tmp_path / "dist")
    assert built.exit_code == 0, built.output
    template = json.loads((tmp_path / "dist" / "chat.json").read_text())
    assert not [prop["id"] for prop in template["properties"] if "stream" in prop.get("id", "").lower()]

    fake = openapi_fake(SPEC, seed=1)
    route = ConnectTo("chat.example.com", 80, "127.0.0.1", fake.port)
    answers = {}
    for operation, values in {
        "chat": {"chat_messages": '=[{role: "user", content: "Hi"}]', "chat_temperature": "0.5"},
        "generate": {"generate_prompt": "Once"},
    }.items():
        task = apply_template(template, {"operation": operation, "authentication.value": "{{secrets.KEY}}",
                                         "resultExpression": "=response.body", **values})
        with HttpClient(connect_to=[route]) as http:
            answers[operation] = run_task(task, secrets={"KEY": "k-1"}, http=http)
    assert [request.json for request in fake.requests] == [
        {"messages": [{"role": "user", "content": "Hi"}], "temperature": 0.5},  # no stream: the API's default
        {"prompt": "Once", "stream": False},  # the API would stream by default
    ]
    assert answers == {"chat": Completed({"answer": "Hello!"}), "generate": Completed({"text": "Once upon a time"})}
