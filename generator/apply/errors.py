"""The error `apply` raises for values or templates the Modeler semantics cannot apply."""

from __future__ import annotations

from generator.errors import EtkError


class ApplyError(EtkError):
    """A template cannot be applied with the given values (unknown or inactive property, a value
    the properties panel would not accept, a binding etk does not support)."""
