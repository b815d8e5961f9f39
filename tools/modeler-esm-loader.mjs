// Module hooks that let node run the browser-oriented bpmn-io packages unbundled.
//
// bpmn-js, diagram-js and bpmn-js-element-templates ship ES modules in `.js` files of packages
// without `"type": "module"`, and import each other without file extensions (their bundlers
// resolve those). These hooks resolve `x` to `x.js` or `x/index.js` and load such files as ES
// modules, so the official code runs as published, without a bundler.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Internals of the element templates core the golden tests call directly: the properties panel's
// setter (not exported; the panel UI that calls it needs a browser) and the FEEL cast helpers.
const EXPOSED_INTERNALS = {
  'bpmn-js-element-templates/dist/core.esm.js':
    '\nexport { setPropertyValue as __setPropertyValue, shouldCastToFeel as __shouldCastToFeel, ' +
    'toFeelExpression as __toFeelExpression };\n'
};

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s+(default|const|let|var|function|class|async|\{|\*))/m;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' && error.code !== 'ERR_UNSUPPORTED_DIR_IMPORT') {
      throw error;
    }
    for (const suffix of [ '.js', '/index.js' ]) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next candidate
      }
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:') && url.endsWith('.js') && url.includes('/node_modules/')) {
    let source = await readFile(fileURLToPath(url), 'utf8');
    if (ESM_SYNTAX.test(source)) {
      for (const [ suffix, exports ] of Object.entries(EXPOSED_INTERNALS)) {
        if (url.endsWith(suffix)) {
          source += exports;
        }
      }
      return { format: 'module', source, shortCircuit: true };
    }
  }
  return nextLoad(url, context);
}
