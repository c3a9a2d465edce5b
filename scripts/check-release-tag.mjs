// Release guard: the pushed tag must name the version in package.json (tag v1.2.3 ↔ "version": "1.2.3"),
// so an installer never carries a version other than the one it was released as.
// Usage: node scripts/check-release-tag.mjs v1.2.3
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tag = process.argv[2] ?? '';
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

if (tag !== `v${version}`) {
  console.error(`The tag "${tag}" does not match package.json's version ${version}: tag the release v${version}, or update the version first.`);
  process.exit(1);
}
console.log(`Releasing Art Sync ${version}.`);
