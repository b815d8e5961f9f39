"""The Azure OpenAI Connector documentation's chat-completion example, written out once for all tests.

facts/azure-openai-connector.md, "The documented example (chat completions)": what a user types
into the properties panel, and the request the connector then sends. The definition
(`templates/azure-openai.yaml`, its `example:` section) carries the same values;
tests/examples/test_shipped_examples.py checks that the two agree.
"""

from __future__ import annotations

DOCUMENTED_VALUES = {
    "authentication.value": "{{secrets.AZURE_OAI_SECRET}}",
    "operation": "chatCompletion",
    "resourceName": "myresource",
    "deploymentId": "mydeployment",
    "apiVersion": "2024-02-01",
    "chatCompletion_messageRole": "user",
    "chatCompletion_messageContent": "What is the age of the Universe?",
    "chatCompletion_messageContext": '=[{"role": "system", "content": "You are helpful assistant."}]',
    "resultVariable": "myOpenAIResponse",
}

# The request: the chat completions route of the documented deployment, the context's message
# followed by the user's.
DOCUMENTED_URL = "https://myresource.openai.azure.com/openai/deployments/mydeployment/chat/completions?api-version=2024-02-01"
DOCUMENTED_MESSAGES = [
    {"role": "system", "content": "You are helpful assistant."},
    {"role": "user", "content": "What is the age of the Universe?"},
]
