"""Errors of the runtime: connector exceptions (which become job outcomes) and user errors.

A `ConnectorError` is what the Camunda connector runtime calls a `ConnectorException`: it never
reaches the user as a traceback, it becomes a failed job (or, through an error expression, a BPMN
error). `ConnectorInputError` is a `ConnectorInputException`: the job fails with 0 retries.
`RuntimeUsageError` is an `EtkError`: the task itself cannot run (e.g. a FEEL syntax error in an
input mapping, which Zeebe would refuse at deployment).
"""

from __future__ import annotations

from typing import Any

from generator.errors import EtkError

# The Java class names Camunda reports as `error.type`; error expressions may test them.
CONNECTOR_EXCEPTION = "io.camunda.connector.api.error.ConnectorException"
CONNECTOR_INPUT_EXCEPTION = "io.camunda.connector.api.error.ConnectorInputException"
FEEL_ENGINE_EXCEPTION = "io.camunda.connector.feel.FeelEngineWrapperException"
INVALID_BACKOFF_EXCEPTION = "io.camunda.connector.runtime.core.error.InvalidBackOffDurationException"


class ConnectorError(Exception):
    """A connector failure with Camunda's error code, message and error variables.

    `cause` is etk's own account of what failed (`connection refused by 127.0.0.1:8443`), for
    the user's eyes only: Camunda's result carries `message` and `code` alone.
    """

    java_type = CONNECTOR_EXCEPTION

    def __init__(self, message: str, code: str | None = None, variables: dict[str, Any] | None = None,
                 cause: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.variables = variables
        self.cause = cause


class ConnectorInputError(ConnectorError):
    """Invalid connector input (binding, validation, URL, missing secret): not retried."""

    java_type = CONNECTOR_INPUT_EXCEPTION


class ExpressionError(ConnectorError):
    """A result or error expression that could not be evaluated (FEEL failure)."""

    java_type = FEEL_ENGINE_EXCEPTION


class ExpressionInputError(ConnectorInputError):
    """A result or error expression whose value has the wrong shape (not retried)."""


class RuntimeUsageError(EtkError):
    """The task cannot be executed at all; the message says which element and mapping."""
