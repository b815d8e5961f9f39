"""The golden cases: what a user does in the Modeler, run by the real Modeler and by etk."""

from __future__ import annotations

from tests.azure_example import DOCUMENTED_VALUES
from tests.bpmn.golden import REPO, GoldenCase

APPLY_TEMPLATES = REPO / "tests" / "apply" / "templates"
BASIC = APPLY_TEMPLATES / "basic.json"
CONDITIONS = APPLY_TEMPLATES / "conditions.json"
RECEIVE = APPLY_TEMPLATES / "receive.json"
MESSAGE_START = APPLY_TEMPLATES / "message-start.json"
UPGRADE = (APPLY_TEMPLATES / "upgrade-v1.json", APPLY_TEMPLATES / "upgrade-v2.json")
# etk's Azure OpenAI template: the released version 1 and the current version 2
ETK_AZURE = (REPO / "dist" / "versioned" / "azure-openai-1.json", REPO / "dist" / "azure-openai.json")
ETK_AZURE_ID = "io.etk.connectors.AzureOpenAI.v1"
AZURE_OPENAI = REPO / "tools" / "node_modules" / "@camunda" / "connectors-element-templates" / "src" / "element-templates" / "azure-open-ai-connector.json"


def apply(template_id: str, version: int) -> dict:
    return {"apply": {"id": template_id, "version": version}}


def typed(*pairs: tuple[str, str]) -> dict:
    return {"set": [list(pair) for pair in pairs]}


REIMPORT = {"reimport": True}

CASES = [
    GoldenCase("basic defaults keep the existing name", (BASIC,), (apply("com.example.demo", 3),)),
    GoldenCase(
        "basic with typed values",
        (BASIC,),
        (
            apply("com.example.demo", 3),
            typed(
                ("name", "Renamed"),
                ("retries", "7"),
                ("feelRequired", "x * 2"),
                ("feelOptional", "=now()"),
                ("boolInput", "false"),
                ("numberInput", "0.70"),
                ("emptyRequired", "filled"),
                ("emptyOptional", "set"),
                ("mode", "b"),
                ("onlyB", "typedB"),
                ("resultVar", "answer"),
                ("h1", ""),
                ("zp", ""),
                ("zpBool", "true"),
            ),
        ),
    ),
    GoldenCase("conditions settle to a fixed point", (CONDITIONS,), (apply("com.example.conditions", 1),)),
    GoldenCase(
        "conditions: allMatch, oneOf and a Boolean switch",
        (CONDITIONS,),
        (
            apply("com.example.conditions", 1),
            typed(("auth", "basic"), ("username", "ada"), ("password", "{{secrets.PW}}"), ("flag", "true"), ("count", "6")),
        ),
    ),
    GoldenCase(
        "conditions: switching off a chain and to bearer",
        (CONDITIONS,),
        (apply("com.example.conditions", 1), typed(("auth", "bearer"), ("token", "t"), ("stage1", "stop"))),
    ),
    GoldenCase(
        "existing values on first apply",
        (CONDITIONS,),
        (apply("com.example.conditions", 1),),
        diagram="existing-values.bpmn",
    ),
    GoldenCase(
        "upgrade v1 to v2 keeps changed values",
        UPGRADE,
        (
            apply("com.example.upgrade", 1),
            typed(("keptIfChanged", "user-value"), ("level", "mid"), ("headerChanged", "mine"), ("count", "3")),
            REIMPORT,
            apply("com.example.upgrade", 2),
        ),
    ),
    GoldenCase(
        "switching to another template",
        (BASIC, UPGRADE[0]),
        (apply("com.example.demo", 3), typed(("plainString", "mine")), REIMPORT, apply("com.example.upgrade", 1)),
    ),
    GoldenCase("unlink keeps what the template wrote", (BASIC,), (apply("com.example.demo", 3), REIMPORT, {"unlink": True})),
    GoldenCase("message bindings on a receive task", (RECEIVE,), (apply("com.example.receive", 1),)),
    GoldenCase(
        "message bindings with typed values",
        (RECEIVE,),
        (apply("com.example.receive", 1), typed(("context", "shop"), ("correlationKey", "order.id"), ("correlationKeyExpression", "=body.id"))),
    ),
    GoldenCase("message bindings removed", (RECEIVE,), (apply("com.example.receive", 1), REIMPORT, {"remove": True})),
    GoldenCase(
        "message start event gets an event definition, no correlation key",
        (MESSAGE_START,),
        (apply("com.example.message-start", 1), typed(("path", "incoming"))),
        element="StartEvent_1",
    ),
    GoldenCase(
        "message start event unlinked",
        (MESSAGE_START,),
        (apply("com.example.message-start", 1), REIMPORT, {"unlink": True}),
        element="StartEvent_1",
    ),
    GoldenCase("remove drops what the template wrote", (BASIC,), (apply("com.example.demo", 3), REIMPORT, {"remove": True})),
    GoldenCase(
        "etk Azure OpenAI v1 to v2: the documentation's example diagram",
        ETK_AZURE,
        (apply(ETK_AZURE_ID, 1), typed(*DOCUMENTED_VALUES.items()), REIMPORT, apply(ETK_AZURE_ID, 2)),
    ),
    GoldenCase(
        "etk Azure OpenAI v1 to v2: model parameters, a Yes/No choice and Cosmos DB fields the user changed",
        ETK_AZURE,
        (
            apply(ETK_AZURE_ID, 1),
            typed(
                ("operation", "completionsExtension"), ("resourceName", "r"), ("deploymentId", "d"),
                ("completionsExtension_messageContent", "Hi"), ("completionsExtension_temperature", "0.5"),
                ("completionsExtension_dataSourceType", "azureCosmosDb"), ("completionsExtension_inScope", "false"),
                ("completionsExtension_cosmosConnectionString", "{{secrets.COSMOS}}"),
                ("completionsExtension_cosmosDatabaseName", "db"), ("completionsExtension_cosmosContainerName", "c"),
                ("completionsExtension_indexName", "idx"), ("completionsExtension_contentFields", '=["content"]'),
                ("completionsExtension_vectorFields", '=["v"]'), ("completionsExtension_cosmosEmbeddingDeploymentName", "emb"),
            ),
            REIMPORT,
            apply(ETK_AZURE_ID, 2),
        ),
    ),
]

if AZURE_OPENAI.is_file():
    CASES.append(
        GoldenCase(
            "Azure OpenAI connector (npm package, test input) chat completion",
            (AZURE_OPENAI,),
            (
                apply("io.camunda.connectors.AzureOpenAI.outbound.v1", 4),
                typed(
                    ("authentication.value", "{{secrets.AZURE_OPENAI_KEY}}"),
                    ("operation", "chatCompletion"),
                ),
            ),
        )
    )


def case_named(name: str) -> GoldenCase:
    return next(case for case in CASES if case.name == name)
