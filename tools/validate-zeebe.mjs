// Runs the official Camunda 8 element-template validator (`validateZeebe` of
// @bpmn-io/element-templates-validator, pinned in tools/package.json) on template files.
//
//   node tools/validate-zeebe.mjs FILE...            one line per template; exit 1 if any is invalid
//   node tools/validate-zeebe.mjs --json FILE...     a JSON array: {file, index, valid, errors, warnings}
//   node tools/validate-zeebe.mjs --bench [--rounds N] FILE...
//                                                    times parsing + validating every template, inside
//                                                    node (start-up excluded): prints JSON
//                                                    {templates, rounds, bestSeconds, bestCpuSeconds,
//                                                    templatesPerSecond}: the best wall and the best
//                                                    CPU time (the process's, all threads) of a round
//
// A file holds one template or an array of templates; array items are validated one by one.
// Errors the validator adds at the root only to say "not an array either" (keyword type/oneOf
// at instancePath "") are dropped, as the Modeler does.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { validateZeebe } from '@bpmn-io/element-templates-validator';

function templatesOf(text) {
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [ parsed ];
}

function realErrors(errors) {
  return (errors || []).filter(
    (error) => !(error.instancePath === '' && (error.keyword === 'type' || error.keyword === 'oneOf'))
  );
}

function check(file) {
  const text = readFileSync(file, 'utf-8');
  let templates;
  try {
    templates = templatesOf(text);
  } catch (error) {
    return [ { file, index: null, valid: false, errors: [ { instancePath: '', keyword: 'json', message: error.message } ], warnings: [] } ];
  }
  return templates.map((template, index) => {
    const result = validateZeebe(template);
    const errors = realErrors(result.errors).map(({ instancePath, keyword, message }) => ({ instancePath, keyword, message }));
    const warnings = (result.warnings || []).map(({ instancePath, message }) => ({ instancePath, message }));
    return { file, index, valid: errors.length === 0, errors, warnings };
  });
}

function bench(files, rounds) {
  const texts = files.map((file) => readFileSync(file, 'utf-8'));
  const runOnce = () => {
    let count = 0;
    for (const text of texts) {
      for (const template of templatesOf(text)) {
        validateZeebe(template);
        count++;
      }
    }
    return count;
  };
  const templates = runOnce(); // warm-up: JIT and lazily built structures
  let best = Infinity;
  let bestCpu = Infinity;
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    runOnce();
    const used = process.cpuUsage(cpu);
    best = Math.min(best, (performance.now() - start) / 1000);
    bestCpu = Math.min(bestCpu, (used.user + used.system) / 1e6);
  }
  return { templates, rounds, bestSeconds: best, bestCpuSeconds: bestCpu, templatesPerSecond: templates / best };
}

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  if (at === -1) {
    return undefined;
  }
  return args.splice(at, name === '--rounds' ? 2 : 1)[name === '--rounds' ? 1 : 0];
};
const asJson = option('--json') !== undefined;
const benchmark = option('--bench') !== undefined;
const rounds = Number(option('--rounds') || 3);

if (benchmark) {
  console.log(JSON.stringify(bench(args, rounds)));
} else {
  const results = args.flatMap(check);
  if (asJson) {
    console.log(JSON.stringify(results, null, 2));
  } else {
    for (const result of results) {
      const where = result.index === null ? result.file : `${result.file}#${result.index}`;
      console.log(`${where}: ${result.valid ? 'valid' : 'INVALID'} (${result.errors.length} errors, ${result.warnings.length} warnings)`);
      for (const error of result.errors) {
        console.log(`  error ${error.instancePath || '/'} [${error.keyword}] ${error.message}`);
      }
    }
  }
  // exitCode, not exit(): exit() would cut off output still buffered for a pipe.
  process.exitCode = results.every((result) => result.valid) ? 0 : 1;
}
