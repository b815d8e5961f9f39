// Builds the JavaScript and CSS of `etk preview`'s page from the pinned packages in tools/ into
// generator/preview/assets/ (committed, so `pip install` users need neither node nor network),
// with the licence texts of every bundled package.
//
//   node tools/build-preview-bundle.mjs           # (re)write the assets
//   node tools/build-preview-bundle.mjs --check   # exit 1 when the committed assets are stale
//
// The build is reproducible: same package-lock, same bytes (esbuild orders modules by import
// graph, and nothing here depends on time or absolute paths); CI runs --check.
import { build } from 'esbuild';
import { readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS = dirname(fileURLToPath(import.meta.url));
const ASSETS = join(TOOLS, '..', 'generator', 'preview', 'assets');
const check = process.argv.includes('--check');
if (!check) {
  mkdirSync(ASSETS, { recursive: true });
}

const result = await build({
  entryPoints: { modeler: join(TOOLS, 'preview', 'entry.mjs') },
  absWorkingDir: TOOLS,
  bundle: true,
  write: false,
  outdir: ASSETS,
  format: 'iife',
  target: [ 'es2020' ],
  minify: true,
  legalComments: 'none', // the licences go to THIRD-PARTY-NOTICES.txt, whole
  charset: 'utf8',
  metafile: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.eot': 'dataurl', '.svg': 'dataurl' },
  logLevel: 'warning'
});

const files = {};
for (const output of result.outputFiles) {
  files[relative(ASSETS, output.path).split(sep).join('/')] = output.text;
}
files['THIRD-PARTY-NOTICES.txt'] = notices(result.metafile);

let stale = [];
for (const [ name, text ] of Object.entries(files)) {
  const path = join(ASSETS, name);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  if (current === text) {
    continue;
  }
  stale.push(name);
  if (!check) {
    writeFileSync(path, text);
  }
}
const unexpected = (existsSync(ASSETS) ? readdirSync(ASSETS) : []).filter(name => !(name in files));
if (check) {
  if (stale.length || unexpected.length) {
    console.error(`generator/preview/assets is stale (${ [ ...stale, ...unexpected ].join(', ') }): ` +
      'run `node tools/build-preview-bundle.mjs` and commit the result');
    process.exit(1);
  }
  console.log(`generator/preview/assets is up to date (${ Object.keys(files).join(', ') })`);
} else {
  for (const name of Object.keys(files)) {
    console.log(`${ stale.includes(name) ? 'wrote' : 'unchanged' } generator/preview/assets/${ name } (${ files[name].length } characters)`);
  }
  if (unexpected.length) {
    console.log(`not made by this build (remove them): ${ unexpected.join(', ') }`);
  }
}

/** The name, version, licence and licence text of every npm package the bundle contains. */
function notices(metafile) {
  const packages = new Map();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) {
      const root = input.slice(0, match.index + match[0].length);
      packages.set(match[1], join(TOOLS, root));
    }
  }
  const sections = [ ...packages.entries() ].sort(([ a ], [ b ]) => (a < b ? -1 : 1)).map(([ name, root ]) => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(root).find(file => /^(licen[sc]e|copying)(\.(md|txt))?$/i.test(file));
    const text = licenceFile ? readFileSync(join(root, licenceFile), 'utf8').trim() : `(no licence file; package.json says ${ manifest.license })`;
    return `${ name } ${ manifest.version } (${ manifest.license })\n${ '-'.repeat(60) }\n${ text }\n`;
  });
  return 'Third-party software in the `etk preview` page (bundled by tools/build-preview-bundle.mjs)\n\n' +
    sections.join('\n');
}
