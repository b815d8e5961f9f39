// Reference answers of npm's `semver` (the parser the Modeler uses to check a template's
// `engines`) for etk's semver-range tests.
//
//   echo '{"ranges": ["^8.6"], "versions": ["8.6.0"]}' | node tools/validate-semver.mjs
//
// prints a JSON array with one {range, valid, satisfied: {version: boolean}, lowest} per range;
// `valid` is `semver.validRange(range) !== null`, `lowest` is `semver.minVersion(range)` (or null).

import { readFileSync } from 'node:fs';
import semver from 'semver';

const { ranges, versions } = JSON.parse(readFileSync(0, 'utf-8'));
const answers = ranges.map((range) => {
  const valid = semver.validRange(range) !== null;
  const satisfied = {};
  for (const version of versions) {
    satisfied[version] = valid && semver.satisfies(version, range);
  }
  const lowest = valid ? semver.minVersion(range)?.version ?? null : null;
  return { range, valid, satisfied, lowest };
});
console.log(JSON.stringify(answers));
