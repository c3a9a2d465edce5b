// Builds the `art-sync` command into dist/cli/ so it starts without compiling TypeScript:
//   dist/cli/art-sync.cjs   src/main/cli.ts and everything it imports, one CommonJS file
//   dist/cli/sim.cjs        the Etsy simulator (sim/), loaded only by `art-sync demo`
//   dist/cli/manifest.json  when the build began and which source files went in (bin/cli-bundle.mjs)
// Run by `npm ci` itself through the `prepare` script, and by `npm run build`.
// Usage: node scripts/build-cli.mjs
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { CLI_BUNDLE_DIR, CLI_BUNDLE_FILE, CLI_MANIFEST_FILE } from '../bin/cli-bundle.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// Native modules stay real requires (their .node binary is found at run time), as in the main
// bundle. ajv is a dev dependency only the simulator uses: external, so loading it shows in
// require.cache (test/cli/cli-bundle.test.ts proves `status` never does).
export const CLI_EXTERNALS = ['better-sqlite3', 'keytar', 'pg', 'pg-native', 'bufferutil', 'utf-8-validate', 'electron', 'ajv', 'ajv-formats'];

const SIM_DIR = path.join(root, 'sim');
const SIM_FILE = 'sim.cjs';

/**
 * The sources are ESM and find files next to themselves with `new URL('../../../drizzle/sqlite',
 * import.meta.url)`. In a CommonJS bundle import.meta.url would be one URL for every module, so each
 * of our source files gets its own: its original location, computed from the bundle's folder at run
 * time. The migrations, the Postgres migrations and Etsy's OpenAPI document are then found exactly as
 * under tsx, wherever the project folder is.
 */
function sourceUrlPlugin(outdir) {
  return {
    name: 'art-sync-source-url',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const relative = path.relative(outdir, args.path).split(path.sep).join('/');
        return { contents: text.replaceAll('import.meta.url', `__artSyncSourceUrl(${JSON.stringify(relative)})`), loader: 'ts' };
      });
    },
  };
}

/** Any import of sim/ from the app becomes a require of the separate sim.cjs next to the bundle. */
function simAsSeparateFilePlugin() {
  return {
    name: 'art-sync-sim-separate',
    setup(build) {
      build.onResolve({ filter: /(^|\/)sim(\/|$)/ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path);
        const inSim = (file) => file === SIM_DIR || file.startsWith(`${SIM_DIR}${path.sep}`);
        if (!inSim(target) || inSim(args.importer)) return undefined;
        return { path: `./${SIM_FILE}`, external: true };
      });
    },
  };
}

/**
 * `import pg from 'pg'` becomes an object that requires pg at its first use. pg pulls in net, tls and
 * crypto (about 15 MB of memory) and only `server` commands and a configured server link use it, so
 * `status` and the other commands start without it. Only the default import is offered: a named
 * import of pg fails the build rather than silently loading it early.
 */
function lazyPgPlugin() {
  const namespace = 'art-sync-lazy-pg';
  return {
    name: namespace,
    setup(build) {
      build.onResolve({ filter: /^pg$/ }, (args) =>
        args.kind === 'import-statement' && !args.importer.includes(`${path.sep}node_modules${path.sep}`) ? { path: 'pg', namespace } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace }, () => ({
        contents: [
          'let loaded;',
          "const load = () => (loaded ??= require('pg'));",
          'export default new Proxy({}, {',
          '  get: (_target, key) => load()[key],',
          '  has: (_target, key) => key in load(),',
          '});',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      }));
    },
  };
}

/**
 * zod re-exports every translation of its error messages (`z.locales`, about 380 KB); the app uses
 * only the English default, which zod configures itself. The CLI bundle gets just that one, so
 * each start parses less. `z.locales.<other>` is undefined in this bundle.
 */
function englishOnlyZodPlugin() {
  return {
    name: 'art-sync-zod-english',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
        contents: 'export { default as en } from "./en.js";',
        loader: 'js',
      }));
    },
  };
}

export async function buildCli({ outdir = path.join(root, CLI_BUNDLE_DIR), logLevel = 'warning' } = {}) {
  const builtAt = Date.now();
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // Less to parse and hold at every start (about 2 MB less memory). Stack traces (ART_SYNC_DEBUG=1)
    // map back to the sources with node --enable-source-maps.
    minify: true,
    metafile: true,
    // import() becomes require(): the bundle is then plain CommonJS, which bin/cli-bundle.mjs can
    // compile with a V8 code cache (a vm.Script has no module loader for import()).
    supported: { 'dynamic-import': false },
    logLevel,
    external: CLI_EXTERNALS,
    banner: {
      js: [
        "const __artSyncSourceUrl = (relative) => require('node:url').pathToFileURL(require('node:path').join(__dirname, relative)).href;",
        // Dependencies that read import.meta.url get this file's URL, as in the main bundle.
        "const __artSyncBundleUrl = require('node:url').pathToFileURL(__filename).href;",
      ].join('\n'),
    },
    define: { __APP_VERSION__: JSON.stringify(pkg.version), 'import.meta.url': '__artSyncBundleUrl' },
  };
  const [cli, sim] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ['src/main/cli.ts'],
      outfile: path.join(outdir, CLI_BUNDLE_FILE),
      plugins: [simAsSeparateFilePlugin(), lazyPgPlugin(), englishOnlyZodPlugin(), sourceUrlPlugin(outdir)],
    }),
    esbuild.build({
      ...common,
      entryPoints: ['sim/index.ts'],
      outfile: path.join(outdir, SIM_FILE),
      plugins: [sourceUrlPlugin(outdir)],
    }),
  ]);
  const inputs = [...new Set([...Object.keys(cli.metafile.inputs), ...Object.keys(sim.metafile.inputs)])]
    .filter((input) => !input.startsWith('node_modules/') && !input.includes(':'))
    .sort();
  await writeFile(path.join(outdir, CLI_MANIFEST_FILE), `${JSON.stringify({ builtAt, inputs }, null, 2)}\n`);
  return { outdir, inputs, cliMetafile: cli.metafile, simMetafile: sim.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  buildCli().catch((error) => {
    // esbuild has already printed its diagnostics.
    console.error(`Building the art-sync command failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exit(1);
  });
}
