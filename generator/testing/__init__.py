"""Loopback fake services (Azure OpenAI) and pytest fixtures for tests; never imported by production code."""
