"""Element-template validation: etk's JSON Schema, semantic rules and FEEL syntax, with findings
that say where (file:line:column and JSON pointer), what, and which rule.

Public API: `validate_template(template, *, file=None, source_text=None)`, `validate_file(path)`,
`validate_text(text, *, file=None)`, each returning `generator.problems.Problem`s sorted in
document order, and `RULES` (every rule with its severity).

Speed design (measured by `benchmarks/validate.py` on the 693 templates of
`@camunda/connectors-element-templates` 1.0.29, beside the official node validator):

* Structure: our schema (`schemas/element-template.schema.json`) is compiled once with
  jsonschema-rs (Rust). Options measured on this corpus with etk's schema: Python `jsonschema`
  ~17 templates/s (and ~23/s on the official schema), `fastjsonschema` ~150/s and it stops at
  the first error, jsonschema-rs ~2,800/s reporting every error with instance and schema paths.
  Messages are not produced by the engine but looked up in the schema (`errorMessage`), so the
  schema stays the single source of the structural rules and their wording.
* Semantic rules are plain Python over one index of the template built in a single pass.
* FEEL syntax results, and the names an input mapping reads, are cached per expression:
  connector files repeat the same expressions across versions. Clauses alike share one compiled
  test (conditions.py), and pairs of properties are searched only when their demands overlap.
* A file is read with `positions.read_templates`, which notes where each template, member and
  property starts and reads a property whose text repeats an earlier one (of any file read
  before in the process, see validator.py) as that same object, whose schema failures and rule
  facts are then reused; positions are computed only for findings, starting at the noted parts.
  A template given as objects (`validate_template`) has its alike properties found by `repr`.
* Each file, and the rules across files, run with Python's cyclic garbage collector paused and
  its young generations collected after (validator.py): otherwise it scans the long-lived
  documents again and again, and the whole heap once, finding nothing (JSON holds no cycles).

Result on 2 shared cores with every rule on (`benchmarks/validate.py --rounds 5`, 2026-12-03, load
1.1-1.5): 1.71x the official validator's templates/s from file text, 1.82x-1.84x on parsed
templates, 1.41x-1.47x for `validate_files` on the folder (README, "Speed").
"""

from __future__ import annotations

from generator.validate.findings import RULES, Rule
from generator.validate.panel import BUILD_REFUSED_PANEL_RULES, PANEL_RULE_IDS
from generator.validate.validator import clear_caches, validate_file, validate_files, validate_template, validate_text

__all__ = ["BUILD_REFUSED_PANEL_RULES", "PANEL_RULE_IDS", "RULES", "Rule", "clear_caches", "validate_file", "validate_files",
           "validate_template", "validate_text"]
