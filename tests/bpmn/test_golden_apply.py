"""etk's apply against the real Modeler code: same template, values and diagram, same BPMN.

All cases run in one node process (the `modeler_results` fixture); each test compares one case.
"""

from __future__ import annotations

import pytest

from tests.bpmn.golden import GoldenCase, assert_same_bpmn, run_etk
from tests.bpmn.golden_cases import CASES

pytestmark = pytest.mark.node


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_etk_writes_what_the_modeler_writes(case: GoldenCase, modeler_results: dict[str, dict[str, str]]) -> None:
    result = modeler_results[case.name]
    assert "error" not in result, result.get("error")
    assert_same_bpmn(run_etk(case), result["xml"])
