"""`etk build`: connector definitions -> checked, versioned element templates in `dist/`.

`plan` loads and renders every definition and decides what to write; `checks` runs the FEEL
parser and the element-template validator on each rendering; `examples` checks a definition's
`example` values with the Modeler semantics and renders its example diagram; `versioning`
decides, per file of `dist/`, what happens (new, update, archive, refuse). With `docs`, the plan
includes the documentation pages of `generator.docs`.
"""

from __future__ import annotations

from generator.build.plan import DOCS, BuildPlan, apply_plan, definition_files, plan_build
from generator.build.versioning import FileAction

__all__ = ["DOCS", "BuildPlan", "FileAction", "apply_plan", "definition_files", "plan_build"]
