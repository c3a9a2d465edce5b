// Where the prebuilt `art-sync` bundle lives and whether it may run. Plain JavaScript with no
// dependencies: bin/art-sync.js imports it before anything else, at every start.
//
// scripts/build-cli.mjs (run by `npm ci` through the `prepare` script) writes the bundle and a
// manifest of the source files it was built from. The bundle is used only while none of those files
// has changed since the build began; otherwise bin/art-sync.js runs the TypeScript sources, so a
// developer who edits a file (or switches branches) never runs stale code.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const CLI_BUNDLE_DIR = 'dist/cli';
export const CLI_BUNDLE_FILE = 'art-sync.cjs';
export const CLI_MANIFEST_FILE = 'manifest.json';

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
