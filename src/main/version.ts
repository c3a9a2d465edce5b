/**
 * Art Sync's version (package.json). A bundle has it baked in at build time (__APP_VERSION__, see
 * scripts/build.mjs); run from the TypeScript sources, it is read from package.json once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

declare const __APP_VERSION__: string | undefined;

let cached: string | null = null;

export function appVersion(): string {
  if (cached !== null) return cached;
  cached = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : readPackageVersion();
  return cached;
}

function readPackageVersion(): string {
  // src/main/version.ts → the repository root, two folders up.
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}
