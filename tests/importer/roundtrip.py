"""Round trip of element templates through `etk import`: import -> definition file -> `etk build` ->
apply with the real Modeler code (defaults, and one set of example values), compared with applying
the original template the same way.

Run it on every REST-based template of the pinned `@camunda/connectors-element-templates` package
(test input only, never committed) and on etk's own `dist/*.json`:

    python -m tests.importer.roundtrip            # prints one line per template and the totals
    python -m tests.importer.roundtrip --limit 20 # the first 20 templates only

A template round-trips identically when the rebuilt template equals the original (every key and
value; key order aside) and the Modeler writes the same BPMN for both, with defaults and with the
example values. Anything else is printed with its reason.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"
PACKAGE = TOOLS / "node_modules" / "@camunda" / "connectors-element-templates" / "src" / "element-templates"
DIAGRAM = REPO / "tests" / "bpmn" / "diagrams" / "task.bpmn"
MODELER_BATCH = 16


@dataclass
class RoundTrip:
    """One template's journey: where it came from, and what differed (empty: identical)."""

    source: str
    template: dict[str, Any]
    rebuilt: dict[str, Any] | None = None
    reasons: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # what `etk import` reported changing

    @property
    def name(self) -> str:
        return f"{self.source} {self.template.get('id')} v{self.template.get('version', '-')}"


def package_templates() -> list[tuple[str, dict[str, Any]]]:
    """Every `io.camunda:http-json:1` template of the pinned connectors package, with its file name."""
    from generator.importer import is_http_json

    found = []
    for path in sorted(PACKAGE.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for template in data if isinstance(data, list) else [data]:
            if isinstance(template, dict) and is_http_json(template):
                found.append((path.name, template))
    return found


def dist_templates() -> list[tuple[str, dict[str, Any]]]:
    return [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted((REPO / "dist").glob("*.json"))]


def rebuild(trip: RoundTrip, folder: Path) -> None:
    """`etk import` the template into `folder/templates`, then `etk build` it into `folder/dist`."""
    from generator.build import apply_plan, plan_build
    from generator.definition.write import definition_text
    from generator.errors import EtkError
    from generator.importer import differences, import_template

    templates, dist = folder / "templates", folder / "dist"
    templates.mkdir(parents=True)
    try:
        imported = import_template(trip.template, "connector")
    except EtkError as error:
        trip.reasons.append(f"import: {error}")
        return
    trip.changes = imported.changes
    if imported.icon:
        (templates / imported.icon[0]).write_bytes(imported.icon[1])
    (templates / "connector.yaml").write_text(definition_text(imported.data, []), encoding="utf-8")
    try:
        apply_plan(plan_build(templates, dist))
    except EtkError as error:
        trip.reasons.append(f"build: {str(error).splitlines()[-1]}")
        return
    trip.rebuilt = json.loads((dist / "connector.json").read_text(encoding="utf-8"))
    trip.reasons += [f"template differs at {line}" for line in differences(trip.template, trip.rebuilt)]


def example_steps(template: dict[str, Any]) -> list[list[str]]:
    """One set of values a user might type: every visible property with an id and no condition."""
    steps = []
    for prop in template.get("properties") or []:
        if not isinstance(prop, dict) or not prop.get("id") or prop.get("condition") or prop.get("type") == "Hidden":
            continue
        kind = prop.get("type", "String")
        if kind == "Boolean":
            typed = "true"
        elif kind == "Number":
            typed = "3"
        elif kind == "Dropdown":
            choices = [choice.get("value") for choice in prop.get("choices") or [] if isinstance(choice, dict)]
            if not choices:
                continue
            typed = str(choices[-1])
        else:
            typed = f"example {prop['id']}"
        steps.append([prop["id"], typed])
    return steps


def compare_in_modeler(trips: list[RoundTrip]) -> None:
    """Apply original and rebuilt templates with the real Modeler code; record where the BPMN differs."""
    from tests.bpmn.golden import canonical
    from tests.npm_tools import modeler_apply

    diagram = DIAGRAM.read_text(encoding="utf-8")
    cases = []
    for index, trip in enumerate(trips):
        if trip.rebuilt is None:
            continue
        for variant, steps in (("defaults", []), ("values", [{"set": example_steps(trip.template)}])):
            for which, template in (("original", trip.template), ("rebuilt", trip.rebuilt)):
                cases.append({
                    "name": f"{index} {variant} {which}", "diagram": diagram, "element": "Task_1",
                    "templates": [template],
                    # the Modeler finds the template by id and version (`undefined` for an unversioned one)
                    "steps": [{"apply": {key: template[key] for key in ("id", "version") if key in template}}, *steps],
                })
    # several small node processes, two at a time: one big batch of large templates takes minutes
    batches = [cases[start:start + MODELER_BATCH] for start in range(0, len(cases), MODELER_BATCH)]
    results: dict[str, dict[str, str]] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for found in pool.map(lambda batch: modeler_apply(TOOLS, batch), batches):
            results.update(found)
    for index, trip in enumerate(trips):
        if trip.rebuilt is None:
            continue
        for variant in ("defaults", "values"):
            original, rebuilt = results[f"{index} {variant} original"], results[f"{index} {variant} rebuilt"]
            if "error" in original or "error" in rebuilt:
                if original.get("error") != rebuilt.get("error"):
                    trip.reasons.append(f"Modeler ({variant}): {original.get('error')} / {rebuilt.get('error')}")
                continue
            if canonical(original["xml"]) != canonical(rebuilt["xml"]):
                trip.reasons.append(f"the Modeler writes other BPMN ({variant})")


def run(sources: list[tuple[str, dict[str, Any]]], *, modeler: bool = True) -> list[RoundTrip]:
    trips = [RoundTrip(source, template) for source, template in sources]
    with tempfile.TemporaryDirectory(prefix="etk-roundtrip-") as scratch:
        for index, trip in enumerate(trips):
            rebuild(trip, Path(scratch) / str(index))
    if modeler:
        compare_in_modeler(trips)
    return trips


def report(title: str, trips: list[RoundTrip], seconds: float) -> str:
    identical = [trip for trip in trips if not trip.reasons]
    lines = [f"{title}: {len(identical)}/{len(trips)} round-trip identically "
             f"({100 * len(identical) / max(len(trips), 1):.1f}%) in {seconds:.1f} s"]
    for trip in trips:
        if trip.reasons:
            lines.append(f"  DIFFERS {trip.name}: {trip.reasons[0]}"
                         + (f" (+{len(trip.reasons) - 1} more)" if len(trip.reasons) > 1 else ""))
            lines += [f"      because etk import: {change}" for change in trip.changes]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N templates of the package")
    arguments = parser.parse_args(argv)
    if not PACKAGE.is_dir():
        print("the npm tools are not installed: run `npm ci --prefix tools`", file=sys.stderr)
        return 2
    for title, sources in (("@camunda/connectors-element-templates 1.0.29 (io.camunda:http-json:1 templates)",
                            package_templates()[: arguments.limit]),
                           ("dist/*.json", dist_templates())):
        started = time.monotonic()
        trips = run(sources)
        print(report(title, trips, time.monotonic() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
