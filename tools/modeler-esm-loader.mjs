// Module hooks that let node run the browser-oriented bpmn-io packages unbundled.
//
// bpmn-js, diagram-js and bpmn-js-element-templates ship ES modules in `.js` files of packages
// without `"type": "module"`, and import each other without file extensions (their bundlers
// resolve those). These hooks resolve `x` to `x.js` or `x/index.js` and load such files as ES
// modules (and JSON imports as modules), so the official code runs as published, without a
// bundler.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Internals of the element templates core the golden tests call directly: the properties panel's
// setter (not exported; the panel UI that calls it needs a browser) and the FEEL cast helpers.
const EXPOSED_INTERNALS = {
  'bpmn-js-element-templates/dist/core.esm.js':
    '\nexport { setPropertyValue as __setPropertyValue, shouldCastToFeel as __shouldCastToFeel, ' +
    'toFeelExpression as __toFeelExpression };\n'
};

// CommonJS modules whose named exports node's static analysis misses (bundlers see them), and
// which ES modules import by name.
const CJS_NAMED_EXPORTS = {
  'bpmnlint-plugin-camunda-compat/index.js': [ 'configs', 'rules' ]
};

const ESM_SYNTAX = /^\s*(import\s*[\w{*'"]|export\s+(default|const|let|var|function|class|async|\{|\*))/m;

const BARE_PACKAGE = /^(@[^/]+\/[^/]+|[^./@][^/:]*)$/;

export async function resolve(specifier, context, nextResolve) {
  // like the bundlers these packages are written for, prefer a package's ES module entry
  // (`module`) over its CommonJS `main` when it declares no `exports`
  if (BARE_PACKAGE.test(specifier)) {
    try {
      const manifestUrl = (await nextResolve(specifier + '/package.json', context)).url;
      const manifest = JSON.parse(await readFile(new URL(manifestUrl), 'utf8'));
      if (!manifest.exports && typeof manifest.module === 'string') {
        return { url: new URL(manifest.module, manifestUrl).href, format: 'module', shortCircuit: true };
      }
    } catch {
      // no readable manifest: resolve normally
    }
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error.code !== 'ERR_MODULE_NOT_FOUND' && error.code !== 'ERR_UNSUPPORTED_DIR_IMPORT') {
      throw error;
    }
    if (error.code === 'ERR_UNSUPPORTED_DIR_IMPORT' && error.url) {
      // a directory with its own package.json (e.g. preact's sub-packages)
      try {
        const manifest = JSON.parse(await readFile(new URL(error.url + '/package.json'), 'utf8'));
        const entry = manifest.module || manifest.main;
        if (entry) {
          return await nextResolve(new URL(error.url + '/' + entry).href, context);
        }
      } catch {
        // fall through to the suffix candidates
      }
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
  // bundler-style `import data from './x.json'` (without import attributes)
  if (url.startsWith('file:') && url.endsWith('.json') && url.includes('/node_modules/')) {
    const source = await readFile(fileURLToPath(url), 'utf8');
    return { format: 'module', source: `export default ${ source };`, shortCircuit: true };
  }
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
    for (const [ suffix, names ] of Object.entries(CJS_NAMED_EXPORTS)) {
      if (url.endsWith('/node_modules/' + suffix)) {
        const shim = [
          'import { createRequire } from "node:module";',
          `const loaded = createRequire(${ JSON.stringify(url) })(${ JSON.stringify(fileURLToPath(url)) });`,
          'export default loaded;',
          ...names.map(name => `export const ${ name } = loaded.${ name };`)
        ].join('\n');
        return { format: 'module', source: shim, shortCircuit: true };
      }
    }
  }
  return nextLoad(url, context);
}
