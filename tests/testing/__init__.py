"""Tests of generator.testing: the fake Azure OpenAI service, its pytest plugin and `etk serve`."""
