"""`etk serve`: run a loopback fake service in the foreground for manual testing."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from generator import limits
from generator.cli.options import ByteSize, parse_assignments
from generator.errors import EtkError

if TYPE_CHECKING:
    from generator.testing.azure_openai import FakeAzureOpenAI
    from generator.testing.openapi import FakeOpenAPIService


@click.group()
def serve() -> None:
    """Run a fake service on loopback (a test double: never point production traffic at it)."""


@serve.command("azure-openai")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--api-key", "api_keys", multiple=True, metavar="KEY",
              help="Accepted `api-key` header value (repeatable); default: test-api-key.")
@click.option("--token", "tokens", multiple=True, metavar="TOKEN",
              help="Accepted `Authorization: Bearer` token (repeatable).")
@click.option("--deployment", "deployments", multiple=True, metavar="NAME=MODEL",
              help="A deployment id and the model it runs (repeatable); default: mydeployment=gpt-35-turbo.")
@click.option("--tls", is_flag=True, help="Serve HTTPS with a freshly generated test CA (needs trustme).")
@click.option("--write-ca", "ca_copy", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="With --tls: also write the test CA certificate to FILE (for `etk run --ca-file`, `curl --cacert`).")
@click.option("--allow-remote", is_flag=True, help="Allow a non-loopback --host (the service has test keys).")
@click.option("--max-body-size", type=ByteSize(), default=limits.MAX_REQUEST_BODY_BYTES, show_default="16M",
              help="Answer a request whose body is larger with 413, without reading it (512K, 16M, 1G).")
@click.option("--max-records", type=click.IntRange(min=1), default=limits.MAX_RECORDED_REQUESTS, show_default=True,
              metavar="N", help="Keep the newest N requests (with at most 64 MiB of bodies) for inspection.")
def azure_openai(host: str, port: int, api_keys: tuple[str, ...], tokens: tuple[str, ...],
                 deployments: tuple[str, ...], tls: bool, ca_copy: Path | None, allow_remote: bool,
                 max_body_size: int, max_records: int) -> None:
    """Serve a fake Azure OpenAI data plane (completions, chat completions, On Your Data) until Ctrl-C.

    \b
    Example:
      etk serve azure-openai --port 8080 --deployment mydeployment=gpt-35-turbo
      curl -s "http://127.0.0.1:8080/openai/deployments/mydeployment/chat/completions?api-version=2024-10-21" \\
        -H "api-key: test-api-key" -H "Content-Type: application/json" \\
        -d '{"messages": [{"role": "user", "content": "What is the age of the Universe?"}]}'
    """
    from generator.testing.azure_openai import DEFAULT_API_KEY, DEFAULT_DEPLOYMENTS, FakeAzureOpenAI

    if ca_copy is not None and not tls:
        raise click.UsageError("--write-ca needs --tls (a plain HTTP service has no certificate)")
    models = parse_assignments(deployments, "--deployment") if deployments else dict(DEFAULT_DEPLOYMENTS)
    empty = [name for name, model in models.items() if not model]
    if empty:
        raise EtkError(f"--deployment {empty[0]}=: name the model the deployment runs, e.g. {empty[0]}=gpt-4o")
    fake = FakeAzureOpenAI(api_keys=api_keys or (DEFAULT_API_KEY,), tokens=tokens, deployments=models, tls=tls,
                           host=host, port=port, allow_remote=allow_remote, log=click.echo,
                           max_body_bytes=max_body_size, max_records=max_records)
    fake.start()
    try:
        ca_file = fake.ca_file if tls else None
        if ca_copy is not None:
            _copy_ca(fake.ca_file, ca_copy)
            ca_file = ca_copy
        _announce(fake, ca_file, shown_key=None if api_keys else DEFAULT_API_KEY)
        _wait_for_interrupt()
    finally:
        fake.stop()
    click.echo("Stopped.")


@serve.command("openapi")
@click.argument("spec", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback only).")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port to listen on; 0 picks a free one.")
@click.option("--api-key", "api_keys", multiple=True, metavar="KEY",
              help="Accepted credential for every security scheme (repeatable); default: any non-empty one.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the generated answers.")
@click.option("--tls", is_flag=True, help="Serve HTTPS with a freshly generated test CA (needs trustme).")
@click.option("--tls-name", "tls_names", multiple=True, metavar="HOST",
              help="A host name the certificate is valid for (repeatable); default: the spec's server hosts.")
@click.option("--write-ca", "ca_copy", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="With --tls: also write the test CA certificate to FILE (for `etk run --ca-file`, `curl --cacert`).")
@click.option("--allow-remote", is_flag=True, help="Allow a non-loopback --host.")
def openapi(spec: Path, host: str, port: int, api_keys: tuple[str, ...], seed: int, tls: bool,
            tls_names: tuple[str, ...], ca_copy: Path | None, allow_remote: bool) -> None:
    """Serve a fake of the API SPEC describes (OpenAPI 3.0/3.1, Swagger 2.0) until Ctrl-C.

    Every request is checked against the description (path, method, parameters, body, credentials):
    a violation gets a 4xx problem+json answer naming it. Valid requests get the spec's example, or
    data generated from the response schema (the same --seed and request give the same answer).

    \b
    Example:
      etk serve openapi api.yaml --port 8080 --api-key test-key
    """
    from generator.testing.openapi import FakeOpenAPIService

    if ca_copy is not None and not tls:
        raise click.UsageError("--write-ca needs --tls (a plain HTTP service has no certificate)")
    fake = FakeOpenAPIService(spec, api_keys=api_keys, seed=seed, tls=tls, server_names=tls_names or None,
                              host=host, port=port, allow_remote=allow_remote, log=click.echo)
    fake.start()
    try:
        ca_file = fake.ca_file if tls else None
        if ca_copy is not None:
            _copy_ca(fake.ca_file, ca_copy)
            ca_file = ca_copy
        _announce_openapi(fake, ca_file)
        _wait_for_interrupt()
    finally:
        fake.stop()
    click.echo("Stopped.")


def _announce_openapi(fake: FakeOpenAPIService, ca_file: Path | None) -> None:
    document = fake.document
    title = (document.spec.get("info") or {}).get("title") or document.path.name
    operations = list(document.operations())
    click.echo(f"Fake of {title} ({document.path}) listening on {fake.url}")
    click.echo(f"  {len(operations)} operations; seed {fake.seed}; "
               + (f"{len(fake.api_keys)} api keys configured (not shown)" if fake.api_keys
                  else "any non-empty credential accepted"))
    if ca_file is not None:
        click.echo(f"  test CA certificate: {ca_file} (valid for {', '.join([*fake.server_names, 'localhost', '127.0.0.1'])})")
    for operation in operations[:10]:
        click.echo(f"  {operation.method.upper()} {fake.base_path}{operation.path}"
                   + (f"  ({operation.operation_id})" if operation.operation_id else ""))
    if len(operations) > 10:
        click.echo(f"  ... and {len(operations) - 10} more")
    click.echo("Press Ctrl-C to stop.")


def _copy_ca(ca_file: Path, target: Path) -> None:
    from generator.files import write_bytes_atomic

    try:
        write_bytes_atomic(target, ca_file.read_bytes())
    except OSError as error:
        raise EtkError(f"{target}: cannot write the test CA certificate: {error.strerror}") from None


def _announce(fake: FakeAzureOpenAI, ca_file: Path | None, shown_key: str | None) -> None:
    click.echo(f"Fake Azure OpenAI service listening on {fake.url}")
    for name, model in fake.deployments.items():
        click.echo(f"  deployment {name} runs {model}")
    key = shown_key if shown_key is not None else "<your key>"
    click.echo(f"  api keys: {shown_key} (default test key)" if shown_key else
               f"  api keys: {len(fake.api_keys)} configured (not shown)")
    cacert = ""
    if ca_file is not None:
        click.echo(f"  test CA certificate: {ca_file}")
        cacert = f' --cacert "{ca_file}"'
    deployment = next(iter(fake.deployments), "mydeployment")
    click.echo("Try:")
    click.echo(f'  curl -s{cacert} "{fake.url}/openai/deployments/{deployment}/chat/completions?api-version=2024-10-21"'
               f' -H "api-key: {key}" -H "Content-Type: application/json"'
               """ -d '{"messages": [{"role": "user", "content": "What is the age of the Universe?"}]}'""")
    click.echo("Press Ctrl-C to stop.")


def _wait_for_interrupt() -> None:
    """Block until Ctrl-C (SIGINT) or SIGTERM."""
    stopped = threading.Event()

    def on_terminate(number: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = signal.signal(signal.SIGTERM, on_terminate)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
