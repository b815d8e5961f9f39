// Lints BPMN diagrams with @camunda/linting, as the Camunda Desktop Modeler does, including the
// element template rules (validate, compatibility, update) for the templates given.
//
//   node tools/lint-diagram.mjs DIAGRAM.bpmn [TEMPLATES.json ...]
//
// Prints a JSON array of reports ({id, message, category, rule}) and exits 1 when any report is
// an error. Template files hold one template or an array of them.
import { register } from 'node:module';
import { readFileSync } from 'node:fs';

register('./modeler-esm-loader.mjs', import.meta.url);

// the element template linter plugin ships inside the (browser) properties panel bundle
const { installBrowser } = await import('./modeler-browser.mjs');
await installBrowser();

const { Linter } = await import('@camunda/linting');
const { CloudElementTemplatesLinterPlugin } = await import('bpmn-js-element-templates');

const [ diagramPath, ...templatePaths ] = process.argv.slice(2);
if (!diagramPath) {
  process.stderr.write('usage: node tools/lint-diagram.mjs DIAGRAM.bpmn [TEMPLATES.json ...]\n');
  process.exit(2);
}

const templates = templatePaths.flatMap(path => {
  const loaded = JSON.parse(readFileSync(path, 'utf8'));
  return Array.isArray(loaded) ? loaded : [ loaded ];
});

const linter = new Linter({
  modeler: 'desktop',
  type: 'cloud',
  plugins: [ CloudElementTemplatesLinterPlugin(templates) ]
});

const reports = await linter.lint(readFileSync(diagramPath, 'utf8'));
const summary = reports.map(({ id, message, category, rule }) => ({ id, message, category, rule }));

process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
process.exit(summary.some(report => report.category === 'error') ? 1 : 0);
