// Runs Doyensec's Electronegativity over the app's sources (and the built page when present) and
// prints its findings as JSON. Electronegativity's own CLI exits 0 whatever it finds (and breaks
// against commander 14), so test/security/electronegativity.test.ts runs this and fails on any HIGH or
// MEDIUM finding.
//   node scripts/electronegativity.mjs [input ...]
// Default input: one staging folder holding src/ and, when built, the page dist/renderer/index.html —
// one scan, so the global checks (navigation limits, permission handler, CSP) see the main-process
// code and the built page together.
//
// Why not dist/main and dist/preload: they are esbuild bundles of src/ plus third-party code, with the
// comments stripped, so they would report library code and lose the justified `eng-disable`
// annotations; src/ is the same code as written.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
// Electronegativity fetches translations and Electron's release list from GitHub with `got`. This
// gate stays offline (tests use loopback only): its `got` answers every request with a failure at
// once, which Electronegativity handles by using its bundled English texts.
const engRequire = createRequire(require.resolve('@doyensec/electronegativity'));
const gotPath = engRequire.resolve('got');
const offline = () => Promise.reject(new Error('offline: Art Sync runs Electronegativity without network'));
offline.default = offline;
require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
const run = require('@doyensec/electronegativity');

/** Marks the JSON line among Electronegativity's own progress output. */
export const RESULT_MARKER = 'ELECTRONEGATIVITY_RESULT ';

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;

export async function scan(input) {
  const result = await run({
    input,
    isRelative: true,
    electronVersionOverride: electronVersion,
    // Needs GitHub's release list (no network in tests, and its answer changes daily); Electron
    // upgrades are tracked by the lead, not by this gate.
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
    parserPlugins: [],
  });
  return {
    input: path.relative(root, input) || '.',
    errors: result.errors.map((error) => ({ file: error.file, message: String(error.message ?? error.error ?? error) })),
    issues: result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity?.name ?? String(issue.severity),
      confidence: issue.confidence?.name ?? String(issue.confidence),
      file: issue.file,
      line: issue.location?.line ?? null,
      description: issue.description,
    })),
  };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const reports = [];
  if (args.length > 0) {
    for (const input of args) reports.push(await scan(path.resolve(input)));
  } else {
    const staging = mkdtempSync(path.join(os.tmpdir(), 'art-sync-electronegativity-'));
    try {
      const noMaps = (source) => !source.endsWith('.map');
      // Etsy's OpenAPI document (1 MB of JSON) and the types generated from it hold no Electron code
      // and take most of the scan time.
      const skipped = [path.join(root, 'src/main/etsy/openapi'), path.join(root, 'src/main/etsy/generated')];
      const sources = (source) => noMaps(source) && !skipped.includes(source);
      cpSync(path.join(root, 'src'), path.join(staging, 'src'), { recursive: true, filter: sources });
      const built = path.join(root, 'dist/renderer');
      // The built page's HTML (its CSP as shipped); its JS is src/renderer (scanned as written) bundled
      // with React, whose minified code takes most of a scan and is not ours to fix.
      const pageOnly = (source) => noMaps(source) && !/\.(m?js|css)$/.test(source);
      if (existsSync(built)) cpSync(built, path.join(staging, 'dist/renderer'), { recursive: true, filter: pageOnly });
      const report = await scan(staging);
      reports.push({ ...report, input: existsSync(built) ? 'src + dist/renderer' : 'src' });
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\n${RESULT_MARKER}${JSON.stringify(reports)}\n`);
}
