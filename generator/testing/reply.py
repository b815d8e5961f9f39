"""`ReplyServer`: a loopback HTTP(S) server that answers every request with one scripted reply.

The stand-in for a service etk has no fake of (a documentation example's `service: {reply: ...}`).
Given `credentials`, it answers like an API that checks them: a request that carries none of
them (in a header value or the request target) gets `401 Unauthorized`.

    with ReplyServer(status=200, headers=[("Content-Type", "application/json")], body=b"[]",
                     tls_names=("api.github.com",)) as server:
        ... connect to 127.0.0.1:server.port, trusting server.ca_file ...
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.testing.loopback import JSON, Answer, LoopbackService
from generator.testing.records import RecordedRequest

UNAUTHORIZED = Answer(401, b'{"message": "Unauthorized"}')


class ReplyServer(LoopbackService):
    """Answers every request on 127.0.0.1 with `status`, `headers` and `body` (401 to a request
    without one of `credentials`, when given); with `tls_names`, over HTTPS with a certificate for
    those names from a fresh test CA (`ca_file`)."""

    display_name = "the loopback reply server"
    server_header = "etk-reply-server"

    def __init__(
        self,
        *,
        status: int = 200,
        headers: Sequence[tuple[str, str]] = (),
        body: bytes = b"",
        tls_names: tuple[str, ...] = (),
        credentials: tuple[str, ...] = (),
    ) -> None:
        super().__init__(tls=bool(tls_names))
        self.server_names = tls_names
        content_types = [value for name, value in headers if name.lower() == "content-type"]
        others = tuple((name, value) for name, value in headers if name.lower() != "content-type")
        self.reply = Answer(status, body, content_types[0] if content_types else JSON, others)
        self.credentials = credentials

    def answer(self, request: RecordedRequest, *, length_missing: bool = False) -> Answer:
        if self.credentials and not _carries_credential(request, self.credentials):
            return UNAUTHORIZED
        return self.reply


def _carries_credential(request: RecordedRequest, credentials: tuple[str, ...]) -> bool:
    texts = [request.path, request.query_string, *request.headers.values()]
    return any(credential in text for credential in credentials for text in texts)
