"""The errors `apply` raises for values or templates the Modeler semantics cannot apply."""

from __future__ import annotations

from generator.errors import EtkError


class ApplyError(EtkError):
    """A template cannot be applied with the given values (unknown or inactive property, a value
    the properties panel would not accept, a binding etk does not support).

    `key` is the key of the `values` mapping the error is about, when it is about one value, so
    callers that know where each value came from (a definition's `example`) can point there.
    """

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class UnknownPropertyError(ApplyError):
    """A `values` key names no property of the template (neither an id nor a binding name).

    Unlike other value errors it says nothing about the remaining values, so a caller may drop
    the key and apply again to find every unknown key at once.
    """
