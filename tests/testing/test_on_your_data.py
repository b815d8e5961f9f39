"""On Your Data: `data_sources` on /chat/completions from 2024-02-01, `dataSources` on the old extensions route."""

from __future__ import annotations

import json

import pytest

from generator.testing.azure_openai import KNOWN_VERSIONS, Reply

from .conftest import USER_HI, call

SEARCH = {"type": "azure_search", "parameters": {
    "endpoint": "https://mysearch.search.windows.net", "index_name": "handbook",
    "authentication": {"type": "api_key", "key": "search-key"},
    "fields_mapping": {"content_fields": ["content"], "title_field": "title"},
    "query_type": "vector_semantic_hybrid", "semantic_configuration": "default", "top_n_documents": 5,
    "strictness": 3, "in_scope": True, "role_information": "Be nice.", "filter": "lang eq 'en'",
    "embedding_dependency": {"type": "deployment_name", "deployment_name": "ada"}}}
COSMOS = {"type": "azure_cosmos_db", "parameters": {
    "authentication": {"type": "connection_string", "connection_string": "AccountEndpoint=..."},
    "database_name": "db", "container_name": "items", "index_name": "vectors",
    "fields_mapping": {"content_fields": ["text"], "vector_fields": ["embedding"]},
    "embedding_dependency": {"type": "endpoint", "endpoint": "https://emb.example",
                             "authentication": {"type": "api_key", "key": "k"}}}}
LEGACY_SEARCH = {"type": "AzureCognitiveSearch", "parameters": {
    "endpoint": "https://mysearch.search.windows.net", "key": "search-key", "indexName": "handbook",
    "queryType": "simple", "inScope": True, "topNDocuments": 5, "roleInformation": None}}

DATA_SOURCE_VERSIONS = [version for version in KNOWN_VERSIONS if version[:10] >= "2024-02-01"]
LEGACY_VERSIONS = ["2023-06-01-preview", "2023-07-01-preview", "2023-08-01-preview", "2023-09-01-preview",
                   "2023-10-01-preview", "2023-12-01-preview"]


@pytest.mark.parametrize("api_version", DATA_SOURCE_VERSIONS)
def test_data_sources_are_accepted_from_2024_02_01(client, api_version):
    response = call(client, "chat/completions", {**USER_HI, "data_sources": [SEARCH]}, api_version=api_version)
    assert response.status_code == 200
    message = response.json()["choices"][0]["message"]
    assert message["content"] == "This is a fake reply to: Hi [doc1]"
    assert message["context"] == {
        "citations": [{"content": "Fake document 1 from search index handbook.", "title": "Document 1",
                       "url": "https://fake-search.invalid/handbook/doc1.txt", "filepath": "doc1.txt",
                       "chunk_id": "0"}],
        "intent": '["Hi"]',
    }


def test_one_citation_per_data_source(client):
    context = call(client, "chat/completions", {**USER_HI, "data_sources": [SEARCH, COSMOS]}).json()
    titles = [citation["content"] for citation in context["choices"][0]["message"]["context"]["citations"]]
    assert titles == ["Fake document 1 from search index handbook.", "Fake document 2 from search index vectors."]


def test_scripted_citations_and_intent(fake, client):
    citation = {"content": "Returns within 30 days.", "title": "Returns", "url": "https://x/returns",
                "filepath": "returns.md", "chunk_id": "3"}
    fake.reply_with(Reply("You can return it within 30 days [doc1].", citations=(citation,), intent='["returns"]'))
    message = call(client, "chat/completions", {**USER_HI, "data_sources": [SEARCH]}).json()["choices"][0]["message"]
    assert message["content"] == "You can return it within 30 days [doc1]."
    assert message["context"] == {"citations": [citation], "intent": '["returns"]'}


def test_without_data_sources_there_is_no_context(client):
    assert "context" not in call(client, "chat/completions", USER_HI).json()["choices"][0]["message"]


@pytest.mark.parametrize("api_version", LEGACY_VERSIONS)
def test_the_legacy_route_answers_with_a_tool_message_context(fake, client, api_version):
    body = {"messages": [{"role": "user", "content": "What is the age of the Universe?"}],
            "dataSources": [LEGACY_SEARCH], "temperature": 0, "max_tokens": 800}
    response = call(client, "extensions/chat/completions", body, api_version=api_version)
    assert response.status_code == 200
    answer = response.json()
    assert list(answer) == ["choices", "created", "id", "model", "object", "usage"]
    assert answer["object"] == "extensions.chat.completion"
    message = answer["choices"][0]["message"]
    assert message["end_turn"] is True
    assert message["content"].endswith(" [doc1]")
    tool = message["context"]["messages"][0]
    assert (tool["role"], tool["end_turn"]) == ("tool", False)
    assert json.loads(tool["content"]) == {
        "citations": [{"content": "Fake document 1 from search index handbook.", "title": "Document 1",
                       "url": "https://fake-search.invalid/handbook/doc1.txt", "filepath": "doc1.txt",
                       "chunk_id": "0"}],
        "intent": '["What is the age of the Universe?"]',
    }
    assert fake.last_request.json["dataSources"][0]["parameters"]["indexName"] == "handbook"


def test_legacy_route_accepts_other_documented_source_types_and_enhancements(client):
    body = {**USER_HI, "dataSources": [{"type": "Elasticsearch", "parameters": {"endpoint": "e", "indexName": "i"}}],
            "enhancements": {"grounding": {"enabled": True}}}
    assert call(client, "extensions/chat/completions", body, api_version="2023-12-01-preview").status_code == 200
