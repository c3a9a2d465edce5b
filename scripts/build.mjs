// Builds everything `npm start` and electron-builder need into dist/:
//   dist/main/index.cjs     Electron main process (esbuild, CommonJS, Node side)
//   dist/preload/index.cjs  sandboxed preload (esbuild, one self-contained CommonJS file)
//   dist/renderer/          the React window (vite)
//   dist/cli/               the `art-sync` command (scripts/build-cli.mjs; also built by `npm ci`)
// Usage: node scripts/build.mjs   (also imported by scripts/start.mjs)
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { buildCli } from './build-cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Native modules (and modules with optional native parts) must stay real `require`s so the
// matching .node binary is loaded at run time; electron is provided by the runtime itself.
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', 'keytar', 'pg', 'pg-native', 'bufferutil', 'utf-8-validate'];

export async function build({ logLevel = 'info' } = {}) {
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  await rm(path.join(root, 'dist'), { recursive: true, force: true });

  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    sourcemap: true,
    logLevel,
    define: { __APP_VERSION__: JSON.stringify(pkg.version), __REPOSITORY_URL__: JSON.stringify(repositoryUrl(pkg)) },
  };

  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ['src/main/index.ts'],
      outfile: 'dist/main/index.cjs',
      platform: 'node',
      // Electron 45 ships Node 22.
      target: 'node22',
      external: MAIN_EXTERNALS,
      // Sources are ESM and may use import.meta.url; in the CommonJS bundle it means this file.
      banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
      define: { ...common.define, 'import.meta.url': '__import_meta_url' },
    }),
    esbuild.build({
      ...common,
      entryPoints: ['src/main/preload/index.ts'],
      outfile: 'dist/preload/index.cjs',
      // A sandboxed preload can only require('electron') (and a few polyfills): bundle the rest.
      platform: 'browser',
      target: 'chrome140',
      external: ['electron'],
    }),
    // dist/ was just emptied: rebuild the command's bundle too, or `art-sync` would fall back to tsx.
    buildCli({ logLevel: logLevel === 'info' ? 'warning' : logLevel }),
  ]);

  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: logLevel === 'silent' ? 'silent' : 'info' });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  build().catch((error) => {
    // esbuild and vite have already printed their diagnostics.
    console.error(`Build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  });
}

/**
 * The repository the help links point into (src/main/desktop/trusted-url.ts): the one GitHub Actions
 * builds the installers from, else package.json's homepage or repository; '' when none is known.
 */
function repositoryUrl(pkg) {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository } = process.env;
  if (server && repository) return `${server}/${repository}`;
  const fromPackage = pkg.homepage ?? (typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url);
  return typeof fromPackage === 'string' ? fromPackage.replace(/^git\+/, '') : '';
}
