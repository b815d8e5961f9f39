"""A throw-away certificate authority and server certificate, so a fake service can serve HTTPS.

The server certificate is valid for the names the fake gives (e.g. `*.openai.azure.com`) plus
`localhost` and `127.0.0.1`, so a client that connects to the fake under the real host name (with
its DNS or connection pointed at 127.0.0.1) verifies it against the CA file exactly as it would
verify the real service.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from generator.testing.errors import FakeServiceError

LOOPBACK_NAMES = ("localhost", "127.0.0.1")


@dataclass(frozen=True)
class TestCertificates:
    """The CA (as a PEM file) and the server side TLS context that presents the issued certificate."""

    __test__ = False  # not a pytest test class, despite its name

    ca_file: Path
    server_context: ssl.SSLContext

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts only the test CA (hostname checking on)."""
        return ssl.create_default_context(cafile=str(self.ca_file))


def create_certificates(directory: Path, server_names: tuple[str, ...], organization: str) -> TestCertificates:
    """Generate a new CA (named after `organization`) and a server certificate for `server_names`,
    `localhost` and `127.0.0.1`; the CA's PEM is written to `directory/etk-test-ca.pem`."""
    try:
        import trustme  # the `test` extra; imported here so plain HTTP needs no extra package
    except ImportError:
        raise FakeServiceError(
            "serving HTTPS needs the 'trustme' package: install etk with its test extra (pip install 'element-template-kit[test]')"
        ) from None
    authority = trustme.CA(organization_name=organization)
    certificate = authority.issue_cert(*server_names, *LOOPBACK_NAMES)
    ca_file = directory / "etk-test-ca.pem"
    authority.cert_pem.write_to_path(str(ca_file))
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    return TestCertificates(ca_file=ca_file, server_context=server_context)
