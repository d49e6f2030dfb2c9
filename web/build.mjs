// build.mjs — bundles the map page into ../api/webdist (embedded by api/web.go):
// app.js, app.css, index.html, LICENSES.txt (the licences of the npm
// packages inside the bundle) and SOURCES.txt (sha256 of every source file,
// which api/web_test.go checks against web/ so a stale bundle fails `make test`). Deterministic: the same sources and lock
// file give the same bytes.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';

// WEB_OUT overrides the output folder (make web-check builds to a temporary one and diffs).
const out = (process.env.WEB_OUT || new URL('../api/webdist/', import.meta.url).pathname).replace(/\/?$/, '/');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  entryPoints: { app: 'src/main.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  outdir: out,
  legalComments: 'none',
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
});
copyFileSync('index.html', out + 'index.html');

// Licences of every package whose code is in the bundle, sorted by name.
const pkgs = new Set();
for (const f of Object.keys(result.metafile.inputs)) {
  const m = f.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (m) pkgs.add(m[1]);
}
let text = 'Licences of the npm packages bundled in app.js and app.css (parkplan map page).\n';
for (const p of [...pkgs].sort()) {
  const dir = 'node_modules/' + p + '/';
  const meta = JSON.parse(readFileSync(dir + 'package.json', 'utf8'));
  const lic = readdirSync(dir).find((n) => /^licen[cs]e/i.test(n));
  text += `\n==== ${p} ${meta.version} (${meta.license}) ====\n`;
  text += lic ? readFileSync(dir + lic, 'utf8').trim() + '\n' : '(no licence file in the package)\n';
}
writeFileSync(out + 'LICENSES.txt', text);

// SOURCES.txt: "sha256  path" of each file the bundle is built from, sorted.
const sources = ['build.mjs', 'index.html', 'package.json', 'package-lock.json',
  ...readdirSync('src').map((n) => 'src/' + n)].sort();
writeFileSync(out + 'SOURCES.txt', sources.map((f) =>
  createHash('sha256').update(readFileSync(f)).digest('hex') + '  web/' + f).join('\n') + '\n');
