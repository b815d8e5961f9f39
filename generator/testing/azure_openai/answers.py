"""HTTP answers of the fake: the status, headers and exact body text Azure OpenAI sends for each outcome.

Bodies are quoted from real service answers reported in public issues (sources beside each
builder); where no real answer was found the choice is marked as the fake's own.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from generator.testing.loopback import Answer


def compact_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def pretty_json(value: Any) -> bytes:
    """The model backend's error bodies are indented by 2 spaces (Azure/azure-sdk-for-net#40645)."""
    return json.dumps(value, indent=2, ensure_ascii=False).encode("utf-8")


def resource_not_found() -> Answer:
    """Unknown path, missing or unsupported `api-version`, or a route the version lacks.

    Byte-exact body (with its odd space) from openai/openai-python#362; a missing api-version answers
    404 too (MicrosoftDocs/azure-docs#114602, ThinkInAIXYZ/deepchat#262).
    """
    return Answer(404, b'{"error":{"code":"404","message": "Resource not found"}}')


def method_not_allowed() -> Answer:
    """A known route called with another method than POST.

    No real Azure answer was found; the fake follows HTTP (RFC 9110 §15.5.6: 405 with `Allow`) and
    Azure's gateway error shape.
    """
    return Answer(405, compact_json({"error": {"code": "405", "message": "Method not allowed"}}),
                  headers=(("Allow", "POST"),))


LENGTH_REQUIRED_HTML = (
    b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n'
    b'<HTML><HEAD><TITLE>Length Required</TITLE>\r\n'
    b'<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n'
    b"<BODY><h2>Length Required</h2>\r\n"
    b"<hr><p>HTTP Error 411. The request must be chunked or have a content length.</p>\r\n"
    b"</BODY></HTML>\r\n"
)


def length_required() -> Answer:
    """A POST with neither Content-Length nor chunked encoding (front-end HTML page, microsoft/AICentral#111)."""
    return Answer(411, LENGTH_REQUIRED_HTML, content_type="text/html; charset=us-ascii")


ACCESS_DENIED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key "
    "for an active subscription and use a correct regional API endpoint for your resource."
)


def access_denied() -> Answer:
    """Missing or wrong `api-key` / bearer token (body as in SciSharp/BotSharp#386, microsoft/semantic-kernel#10337)."""
    return Answer(401, compact_json({"error": {"code": "401", "message": ACCESS_DENIED}}))


DEPLOYMENT_NOT_FOUND = (
    "The API deployment for this resource does not exist. If you created the deployment within the last "
    "5 minutes, please wait a moment and try again."
)


def deployment_not_found() -> Answer:
    """Unknown deployment id (Azure-Samples/azure-search-openai-demo-csharp#379, chatboxai/chatbox#861)."""
    return Answer(404, compact_json({"error": {"code": "DeploymentNotFound", "message": DEPLOYMENT_NOT_FOUND}}))


def invalid_request(message: str, param: str | None = None, code: str | None = None) -> Answer:
    """The model backend's 400: `{"error": {message, type: invalid_request_error, param, code}}`
    (microsoft/AICentral#111, promptfoo/promptfoo#273, lss233/kirara-ai#1028)."""
    return Answer(400, pretty_json(
        {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}
    ))


UNPARSABLE_JSON = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"
)


def unparsable_json() -> Answer:
    """A body that is not JSON. Wording of the OpenAI backend (ChatGPTNextWeb/NextChat#4064), which Azure fronts."""
    return invalid_request(UNPARSABLE_JSON)


def unrecognized_arguments(keys: list[str]) -> Answer:
    """Top-level keys the api-version does not know (promptfoo/promptfoo#273; several keys are listed
    sorted, as in the often-reported `function_call, functions`)."""
    if len(keys) == 1:
        return invalid_request(f"Unrecognized request argument supplied: {keys[0]}")
    return invalid_request(f"Unrecognized request arguments supplied: {', '.join(sorted(keys))}")


def stream_not_supported() -> Answer:
    """The fake's own answer to `stream: true`: the REST connector it serves cannot read server-sent events."""
    return invalid_request(
        "This fake Azure OpenAI service does not stream: 'stream' must be false or absent, because the "
        "Camunda REST connector cannot read a server-sent event stream.",
        param="stream",
        code="unsupported_value",
    )


def on_your_data_validation(request_id: str, messages: list[str]) -> Answer:
    """The On-Your-Data service's 400 (pydantic-style lines, numeric code, `requestid`),
    as in Azure/azure-sdk-for-net#44593 and microsoft/copilot-camp#429."""
    body = {"error": {"requestid": request_id, "code": 400, "message": "\n".join(messages)}}
    return Answer(400, pretty_json(body), content_type="application/json; charset=UTF-8")


CONTENT_FILTER_MESSAGE = (
    "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. "
    "Please modify your prompt and retry. To learn more about our content filtering policies please read "
    "our documentation: https://go.microsoft.com/fwlink/?linkid=2198766"
)


def prompt_filtered(filter_result: dict[str, Any]) -> Answer:
    """A prompt blocked by the content filter. Wire shape (note `innererror` and the singular
    `content_filter_result`, unlike the spec) from vibrantlabsai/ragas#649 and simonw/research#16."""
    body = {
        "error": {
            "message": CONTENT_FILTER_MESSAGE,
            "type": None,
            "param": "prompt",
            "code": "content_filter",
            "status": 400,
            "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": filter_result},
        }
    }
    return Answer(400, compact_json(body))


def rate_limited(operation_id: str, api_version: str, retry_after: int) -> Answer:
    """429 with `retry-after` (seconds) and `retry-after-ms`; message as reported in
    alex-wolf-ps/dbchatprov2#2 and vanderschaarlab/climb#1."""
    unit = "second" if retry_after == 1 else "seconds"
    message = (
        f"Requests to the {operation_id} Operation under Azure OpenAI API version {api_version} have exceeded "
        f"token rate limit of your current OpenAI S0 pricing tier. Please retry after {retry_after} {unit}. "
        "Please go here: https://aka.ms/oai/quotaincrease if you would like to further increase the default rate limit."
    )
    return Answer(
        429,
        compact_json({"error": {"code": "429", "message": message}}),
        headers=(("retry-after", str(retry_after)), ("retry-after-ms", str(retry_after * 1000))),
    )


def server_error(request_id: str) -> Answer:
    """500 from the model backend (Azure-Samples/azure-search-openai-demo#1390)."""
    message = (
        "The server had an error while processing your request. Sorry about that! You can retry your request, "
        "or contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 "
        f"if the error persists. (Please include the request ID {request_id} in your message.)"
    )
    return Answer(500, pretty_json({"error": {"message": message, "type": "server_error", "param": None,
                                              "code": None}}))


def generic_error(status: int) -> Answer:
    """Any other scripted status, in the gateway's `{code, message}` shape (the fake's own choice)."""
    return Answer(status, compact_json({"error": {"code": str(status), "message": HTTPStatus(status).phrase}}))
