#!/usr/bin/env node
// The `art-sync` command. Runs the prebuilt bundle dist/cli/art-sync.cjs (one CommonJS file built by
// `npm ci` through the `prepare` script: no TypeScript compiled at start-up) when it is up to date with
// the sources. Otherwise — no bundle, a source edited since it was built, or ART_SYNC_DEV=1 — it runs
// the TypeScript sources through tsx, which is the development path.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freshCliBundle, loadCliBundle } from './cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = process.env.ART_SYNC_DEV === '1' ? null : freshCliBundle(root);

if (bundle !== null) {
  const loaded = loadCliBundle(bundle);
  process.exitCode = await loaded.exports.runCli(process.argv.slice(2));
  loaded.saveCodeCache();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { runCli } = await import('../src/main/cli.ts');
  process.exitCode = await runCli(process.argv.slice(2));
}
