// Times @bpmn-io/feelin (the JS FEEL engine, pinned in tools/package.json) on a list of
// expressions, for benchmarks/feel.py, which runs etk's engine on the same expressions.
//
// usage: node tools/feelin-bench.mjs ITEMS.json SECONDS
//   ITEMS.json: [{"expression": "...", "context": {...}}, ...]
// prints JSON: {"usable": [indexes feelin evaluates without throwing], "evaluations": n,
//               "seconds": s, "per_second": n / s, "version": "..."}
//
// feelin has no separate compile step: `evaluate` parses and interprets on every call. The timed
// loop repeats `evaluate` after a warm-up, so the figure is feelin's throughput with its JIT warm.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { evaluate } from '@bpmn-io/feelin';

const require = createRequire(import.meta.url);
const { version } = require('@bpmn-io/feelin/package.json');

const [itemsPath, secondsText] = process.argv.slice(2);
if (!itemsPath || !secondsText) {
  console.error('usage: node tools/feelin-bench.mjs ITEMS.json SECONDS');
  process.exit(2);
}
const items = JSON.parse(readFileSync(itemsPath, 'utf8'));
const seconds = Number(secondsText);

const usable = [];
items.forEach((item, index) => {
  try {
    evaluate(item.expression, item.context, 'camunda');
    usable.push(index);
  } catch {
    // a syntax error or an unsupported feature: left out of both engines' timing
  }
});
const work = usable.map((index) => items[index]);

function runFor(budgetSeconds) {
  let evaluations = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(budgetSeconds * 1e9));
  let elapsed = 0n;
  while (elapsed < budget) {
    for (const item of work) {
      evaluate(item.expression, item.context, 'camunda');
    }
    evaluations += work.length;
    elapsed = process.hrtime.bigint() - start;
  }
  return { evaluations, seconds: Number(elapsed) / 1e9 };
}

runFor(Math.min(1, seconds)); // JIT warm-up
const { evaluations, seconds: measured } = runFor(seconds);
console.log(JSON.stringify({
  usable, evaluations, seconds: measured, per_second: evaluations / measured, version,
}));
