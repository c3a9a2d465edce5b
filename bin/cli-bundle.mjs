// Where the prebuilt `art-sync` bundle lives and whether it may run. Plain JavaScript with no
// dependencies: bin/art-sync.js imports it before anything else, at every start.
//
// scripts/build-cli.mjs (run by `npm ci` through the `prepare` script) writes the bundle and a
// manifest of the source files it was built from. The bundle is used only while none of those files
// has changed since the build began; otherwise bin/art-sync.js runs the TypeScript sources, so a
// developer who edits a file (or switches branches) never runs stale code.
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

export const CLI_BUNDLE_DIR = 'dist/cli';
export const CLI_BUNDLE_FILE = 'art-sync.cjs';
export const CLI_MANIFEST_FILE = 'manifest.json';
export const CLI_CODE_CACHE_SUFFIX = '.v8-cache';

/**
 * The bundle's path when it exists and is up to date with every source it was built from, else null.
 * @param {string} root the project folder
 * @param {string} [dir] the bundle folder (tests build into a temporary one)
 * @returns {string | null}
 */
export function freshCliBundle(root, dir = path.join(root, CLI_BUNDLE_DIR)) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, CLI_MANIFEST_FILE), 'utf8'));
    statSync(path.join(dir, CLI_BUNDLE_FILE));
  } catch {
    return null;
  }
  if (typeof manifest?.builtAt !== 'number' || !Array.isArray(manifest.inputs) || manifest.inputs.length === 0) return null;
  for (const input of manifest.inputs) {
    try {
      // A file written while the build ran may or may not be in the bundle: treat it as changed.
      if (statSync(path.join(root, input)).mtimeMs >= manifest.builtAt) return null;
    } catch {
      return null; // deleted or renamed since the build
    }
  }
  return path.join(dir, CLI_BUNDLE_FILE);
}

/**
 * Loads the bundle like `require(bundle)`, but compiled with a V8 code cache kept next to it: compiling
 * the 0.6 MB bundle is otherwise the largest single cost of a start. The cache is written after the
 * command ran (so it holds the functions that ran) whenever there was none or V8 refused it (another
 * Node version); failing to write it (read-only folder, a race) changes nothing.
 * Node 22 has module.enableCompileCache() for this; Node 20, which this project supports, does not.
 * @param {string} bundle absolute path of dist/cli/art-sync.cjs
 * @returns {{ exports: Record<string, unknown>, saveCodeCache(): void }}
 */
export function loadCliBundle(bundle) {
  // A code cache is accepted only under the V8 flags it was written with. The sync engine sets
  // --optimize-for-size when a command creates the core (src/main/sync/heap-mode.ts, with the same
  // opt-out), so it is set here before compiling too: else every cache written after a command would be
  // refused at the next start, and the bundle compiled (and the cache rewritten) every time.
  if (process.env.ART_SYNC_V8_DEFAULT_HEAP !== '1') v8.setFlagsFromString('--optimize-for-size');
  const cacheFile = `${bundle}${CLI_CODE_CACHE_SUFFIX}`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const module = new Module(bundle, null);
  module.filename = bundle;
  module.paths = Module._nodeModulePaths(path.dirname(bundle));
  // Registered as a normal require would, so require.cache shows which bundle ran.
  Module._cache[bundle] = module;
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  module.loaded = true;
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    saveCodeCache() {
      if (!stale) return;
      try {
        const temp = `${cacheFile}.${process.pid}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // Only a slower next start.
      }
    },
  };
}
