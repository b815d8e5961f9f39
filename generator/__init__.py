"""etk, the element template kit: generate, validate, apply and run Camunda 8 element templates."""

__version__ = "0.1.0"
