// Times @bpmn-io/feelin (the JS FEEL engine, pinned in tools/package.json) on a list of
// expressions, for benchmarks/feel.py, which runs etk's engine on the same expressions.
//
// usage: node tools/feelin-bench.mjs ITEMS.json
//   ITEMS.json: [{"expression": "...", "context": {...}}, ...]
// prints one JSON line {"usable": [indexes feelin evaluates without throwing], "version": "..."},
// then, for every line SECONDS read from stdin, evaluates the usable items over and over for that
// long and prints {"evaluations": n, "seconds": s, "cpuSeconds": c} (wall time, and the CPU time
// of the whole process, user + system, its JIT and GC threads included); it ends with stdin.
//
// feelin has no separate compile step: `evaluate` parses and interprets on every call. The
// benchmark asks for short slices in turn with etk's own (the first ones warm the JIT up), so
// both engines are timed under the same load on a shared machine.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { evaluate } from '@bpmn-io/feelin';

const require = createRequire(import.meta.url);
const { version } = require('@bpmn-io/feelin/package.json');

const [itemsPath] = process.argv.slice(2);
if (!itemsPath) {
  console.error('usage: node tools/feelin-bench.mjs ITEMS.json');
  process.exit(2);
}
const items = JSON.parse(readFileSync(itemsPath, 'utf8'));

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
  const cpuStart = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuStart);
  return { evaluations, seconds: Number(elapsed) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

console.log(JSON.stringify({ usable, version }));
for await (const line of createInterface({ input: process.stdin })) {
  console.log(JSON.stringify(runFor(Number(line))));
}
