"""`etk serve azure-openai`: starts in the foreground, prints where it listens, answers, stops on a signal."""

from __future__ import annotations

import os
import re
import signal
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from generator.cli import main


def start(*arguments: str, service: str = "azure-openai") -> tuple[subprocess.Popen[str], list[str]]:
    process = subprocess.Popen([sys.executable, "-m", "generator", "serve", service, *arguments],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines = []
    assert process.stdout is not None
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if line.startswith("Press Ctrl-C to stop."):
            return process, lines
    raise AssertionError(f"etk serve exited early: {lines} {process.stderr.read() if process.stderr else ''}")


def stop(process: subprocess.Popen[str], number: int) -> str:
    process.send_signal(number)
    output, _ = process.communicate(timeout=30)
    return output


def test_serve_answers_and_stops_on_sigterm():
    process, lines = start("--deployment", "chat=gpt-4o", "--api-key", "k1")
    try:
        url = re.fullmatch(r"Fake Azure OpenAI service listening on (http://127\.0\.0\.1:\d+)", lines[0])[1]
        assert lines[1:3] == ["  deployment chat runs gpt-4o", "  api keys: 1 configured (not shown)"]
        assert "k1" not in "\n".join(lines)
        response = httpx.post(f"{url}/openai/deployments/chat/chat/completions", params={"api-version": "2024-10-21"},
                              headers={"api-key": "k1"}, json={"messages": [{"role": "user", "content": "Hi"}]})
        assert response.json()["model"] == "gpt-4o"
    finally:
        output = stop(process, signal.SIGTERM)
    assert process.returncode == 0
    assert output.splitlines() == ["POST /openai/deployments/chat/chat/completions?api-version=2024-10-21 200",
                                   "Stopped."]


def test_serve_tls_prints_the_ca_and_stops_on_ctrl_c():
    process, lines = start("--tls")
    try:
        ca_file = next(line.split(": ", 1)[1] for line in lines if line.startswith("  test CA certificate: "))
        url = lines[0].rsplit(" ", 1)[1]
        assert any(f'--cacert "{ca_file}"' in line and 'api-key: test-api-key' in line for line in lines)
        response = httpx.post(f"{url}/openai/deployments/mydeployment/completions",
                              params={"api-version": "2024-10-21"},
                              headers={"api-key": "test-api-key"}, json={"prompt": "Hi"},
                              verify=ssl.create_default_context(cafile=ca_file))
        assert response.status_code == 200
    finally:
        stop(process, signal.SIGINT)
    assert process.returncode == 0
    assert not os.path.exists(ca_file)


def test_serve_writes_the_ca_where_asked(tmp_path):
    ca_copy = tmp_path / "ca.pem"
    process, lines = start("--tls", "--write-ca", str(ca_copy))
    try:
        assert f"  test CA certificate: {ca_copy}" in lines
        assert any(f'--cacert "{ca_copy}"' in line for line in lines)
        response = httpx.post(f"{lines[0].rsplit(' ', 1)[1]}/openai/deployments/mydeployment/completions",
                              params={"api-version": "2024-10-21"}, headers={"api-key": "test-api-key"},
                              json={"prompt": "Hi"}, verify=ssl.create_default_context(cafile=str(ca_copy)))
        assert response.status_code == 200
    finally:
        stop(process, signal.SIGTERM)
    assert ca_copy.is_file()  # the user's copy stays


def test_write_ca_needs_tls(tmp_path):
    result = CliRunner().invoke(main, ["serve", "azure-openai", "--write-ca", str(tmp_path / "ca.pem")])
    assert result.exit_code == 2
    assert "--write-ca needs --tls (a plain HTTP service has no certificate)" in result.output
    assert not (tmp_path / "ca.pem").exists()


def test_serve_refuses_non_loopback_hosts():
    result = CliRunner().invoke(main, ["serve", "azure-openai", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.output.startswith("etk: error: refusing to listen on 0.0.0.0: the fake Azure OpenAI service is a "
                                    "test double")


def test_serve_rejects_a_deployment_without_model():
    result = CliRunner().invoke(main, ["serve", "azure-openai", "--deployment", "chat="])
    assert (result.exit_code, result.output) == (
        2, "etk: error: --deployment chat=: name the model the deployment runs, e.g. chat=gpt-4o\n")
    result = CliRunner().invoke(main, ["serve", "azure-openai", "--deployment", "chat"])
    assert (result.exit_code, result.output) == (2, "etk: error: --deployment 'chat': expected NAME=VALUE\n")


def test_serve_openapi_validates_answers_and_stops():
    spec = Path(__file__).parent.parent / "openapi" / "specs" / "todo.yaml"
    process, lines = start(str(spec), "--api-key", "secret-key", "--seed", "4", service="openapi")
    try:
        url = re.fullmatch(r"Fake of Todo API \(.*todo\.yaml\) listening on (http://127\.0\.0\.1:\d+)", lines[0])[1]
        assert lines[1] == "  5 operations; seed 4; 1 api keys configured (not shown)"
        assert lines[2:4] == ["  GET /api/v1/items  (listItems)", "  POST /api/v1/items  (createItem)"]
        assert "secret-key" not in "\n".join(lines)
        refused = httpx.post(f"{url}/api/v1/items", headers={"X-Api-Key": "secret-key"}, json={"priority": 1})
        assert refused.json()["violations"] == [{"where": "body", "message": "'title' is a required property"}]
        assert httpx.get(f"{url}/api/v1/items", headers={"X-Api-Key": "secret-key"}).status_code == 200
    finally:
        output = stop(process, signal.SIGTERM)
    assert process.returncode == 0
    assert output.splitlines() == ["POST /api/v1/items 400", "GET /api/v1/items 200", "Stopped."]


def test_serve_openapi_refuses_a_file_that_is_no_api_description(tmp_path):
    spec = tmp_path / "notes.yaml"
    spec.write_text("title: not an API\n")
    result = CliRunner().invoke(main, ["serve", "openapi", str(spec)])
    assert result.exit_code == 2
    assert result.output == (f"etk: error: {spec}: not an OpenAPI 3.0/3.1 or Swagger 2.0 document "
                             "(no `openapi` or `swagger` key; expected e.g. openapi: 3.0.3)\n")
