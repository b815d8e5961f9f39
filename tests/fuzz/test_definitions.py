"""Fuzzing the definition loader and `etk build`: the shipped definitions with hostile values at
any position or under a key the format knows, added (a wrong YAML type, a huge number, deep
nesting, aliases), random YAML text and random bytes. Loading must report problems
(`DefinitionError` with locations), never raise anything else, and `etk build` (its example
diagrams included) must keep its contract (see `contract.py`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from generator.build import plan_build
from generator.definition import read_definition
from generator.errors import EtkError

from .budget import FUZZ
from .contract import etk_keeps_its_contract
from .mutation import mappings, positions, replaced, schema_keys

REPO = Path(__file__).resolve().parents[2]
DEFINITIONS = sorted((REPO / "templates").glob("*.yaml"))
BASE = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in DEFINITIONS}

SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([2**53 + 1, 10**400, -(10**400)]),  # past JavaScript's integers, past a double
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["", "=", "=(", "{{secrets.X}}", "bpmn:Task", "^8.6", "x" * 3000, "2024-10-21", "yes", "~"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=6)


# the members the format defines, and the keys of request values, to add where a definition lacks them
DEFINITION_KEYS = [*schema_keys(json.loads((REPO / "schemas" / "connector-definition.schema.json").read_text(encoding="utf-8"))),
                   "$switch", "$cases", "$default"]


@st.composite
def mutated_definitions(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, YAML text) of a shipped definition with one to three changes: a value replaced,
    or a member the format knows added where it is absent."""
    name = draw(st.sampled_from(sorted(BASE)))
    document = BASE[name]
    for _ in range(draw(st.integers(1, 3))):
        places = mappings(document)  # none once the root itself was replaced by a scalar or a list
        if places and draw(st.booleans()):
            key = draw(st.one_of(st.sampled_from(DEFINITION_KEYS), st.text(max_size=8)))
            path = (*draw(st.sampled_from(places)), key)
        else:
            path = draw(st.sampled_from(positions(document)))
        document = replaced(document, path, draw(VALUES))
    return name, yaml.safe_dump(document, allow_unicode=True)



YAML_TEXTS = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "---", "[]", "- a", "a: &x [*x]", "a: &a [1]\nb: &b [*a, *a]\nc: [*b, *b]", "!!python/object:os.system x",
                     "a: !!binary AAAA", "a: 1e999", "a: .nan", "? [a]\n: 1", "a: " + "[" * 400 + "]" * 400,
                     "version: " + "9" * 5000, "a:\n  <<: [*x]", "%TAG ! tag:x\n--- !a 1"]),
)


def plan_in(folder: Path, name: str, data: bytes) -> None:
    """Load the definition and plan `etk build --diagrams` for it (rendering, every check): problems are
    reported as an `EtkError` (`DefinitionError`), nothing else is raised."""
    templates = folder / "templates"
    templates.mkdir()
    for icon in (REPO / "templates").glob("*.svg"):
        shutil.copy(icon, templates / icon.name)
    definition = templates / name
    definition.write_bytes(data)
    loaded, problems = read_definition(definition)
    assert loaded is not None or problems, "an unusable definition must say why"
    try:
        plan_build(templates, folder / "dist", diagrams=True)
    except EtkError as error:
        assert str(error), "a refusal says what is wrong"


@FUZZ
@given(definition=mutated_definitions())
def test_definitions_with_a_hostile_value_anywhere(tmp_path_factory, definition):
    name, text = definition
    plan_in(tmp_path_factory.mktemp("d"), name, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(text=YAML_TEXTS)
def test_any_yaml_text(tmp_path_factory, text):
    plan_in(tmp_path_factory.mktemp("y"), "fuzzed.yaml", text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes(tmp_path_factory, data):
    plan_in(tmp_path_factory.mktemp("b"), "fuzzed.yaml", data)


HOSTILE_DEFINITIONS = ["null\n", "[]\n", "id: 5\n", "a: &a [1]\nb: &b [*a, *a]\nc: [*b, *b]\n", "version: " + "9" * 5000 + "\n",
                       "\xff\xfe", "a: " + "[" * 400 + "]" * 400 + "\n"]


def test_etk_build_keeps_its_contract_on_hostile_definitions(tmp_path):
    for number, text in enumerate(HOSTILE_DEFINITIONS):
        templates = tmp_path / f"t{number}" / "templates"
        templates.mkdir(parents=True)
        (templates / "hostile.yaml").write_bytes(text.encode("utf-8", "surrogateescape"))
        etk_keeps_its_contract("build", str(templates), "-o", str(tmp_path / f"t{number}" / "dist"))
