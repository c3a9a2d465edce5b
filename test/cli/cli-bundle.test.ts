// The prebuilt `art-sync` (scripts/build-cli.mjs, run by `npm ci` through `prepare`): it runs
// commands without TypeScript, finds the migrations from the bundle, loads the simulator (and ajv, a
// dev dependency) only for `demo`, and bin/art-sync.js uses it only while it matches the sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BUNDLE_FILE, CLI_CODE_CACHE_SUFFIX, CLI_MANIFEST_FILE, freshCliBundle, loadCliBundle } from '../../bin/cli-bundle.mjs';
import { buildCli } from '../../scripts/build-cli.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const temp: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
};

let outdir: string;
let inputs: string[];

beforeAll(async () => {
  // Inside the project (dist/ is ignored by git, lint and tsc), so the externals — better-sqlite3,
  // keytar — resolve from its node_modules exactly as for dist/cli/.
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  outdir = fs.mkdtempSync(path.join(root, 'dist', 'cli-test-'));
  temp.push(outdir);
  ({ inputs } = await buildCli({ outdir, logLevel: 'error' }));
}, 60_000);

afterAll(() => {
  for (const dir of temp.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs one command through the bundle and reports every CommonJS module the process loaded. */
function runBundle(args: string[]) {
  const record = path.join(tempDir('art-sync-cli-modules-'), 'modules.json');
  const hook = path.join(path.dirname(record), 'hook.cjs');
  fs.writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(Object.keys(require.cache))));\n`);
  const runner = `require(${JSON.stringify(path.join(outdir, CLI_BUNDLE_FILE))}).runCli(${JSON.stringify(args)}).then((code) => { process.exitCode = code; });`;
  const result = spawnSync(process.execPath, ['-r', hook, '-e', runner], {
    cwd: os.tmpdir(),
    encoding: 'utf8',
    env: { ...process.env, ART_SYNC_NO_KEYCHAIN: '1', ART_SYNC_DATA_DIR: '' },
    timeout: 60_000,
  });
  const modules = JSON.parse(fs.readFileSync(record, 'utf8')) as string[];
  return { ...result, modules: modules.map((file) => file.split(path.sep).join('/')) };
}

const simOrAjv = (modules: string[]) => modules.filter((file) => /\/sim\.cjs$|\/sim\/|\/node_modules\/(ajv|ajv-formats)\//.test(file));

describe('the prebuilt art-sync bundle', () => {
  it('runs `status --json` on a new data folder: migrations found from the bundle, no simulator, ajv, pg or tsx loaded', () => {
    const dataDir = tempDir('art-sync-cli-data-');
    const result = runBundle(['status', '--json', '--data-dir', dataDir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ connected: false });
    expect(fs.existsSync(path.join(dataDir, 'art-sync.db'))).toBe(true);
    expect(result.modules).toContain(path.join(outdir, CLI_BUNDLE_FILE).split(path.sep).join('/'));
    expect(simOrAjv(result.modules)).toEqual([]);
    expect(result.modules.filter((file) => /\/node_modules\/(pg|tsx|esbuild|typescript)\//.test(file))).toEqual([]);
  });

  it('loads the simulator only for `demo`, from its own file, and the demo still runs (so the check above can fail)', () => {
    const dataDir = tempDir('art-sync-cli-demo-');
    const result = runBundle(['--data-dir', dataDir, 'demo']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Connected to the shop "[^"]+" \(40 listings\)/);
    expect(result.stdout.match(/Sold 1 on Etsy \(receipt \d+\): \d+ → \d+/g)).toHaveLength(2);
    expect(simOrAjv(result.modules)).toContain(path.join(outdir, 'sim.cjs').split(path.sep).join('/'));
  });

  it('records the sources it was built from, the simulator’s included', () => {
    expect(inputs).toEqual(expect.arrayContaining(['src/main/cli.ts', 'src/main/cli/demo.ts', 'src/main/store/migrate.ts', 'sim/index.ts']));
    expect(inputs.filter((input) => input.startsWith('node_modules/'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, CLI_MANIFEST_FILE), 'utf8')) as { inputs: string[] };
    expect(manifest.inputs).toEqual(inputs);
  });
});

describe('bin/art-sync.js uses the bundle only while it matches the sources', () => {
  /** A project with two sources and a bundle built from them at `builtAt`. */
  function project(builtAt: number) {
    const dir = tempDir('art-sync-fresh-');
    const bundleDir = path.join(dir, 'dist/cli');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.mkdirSync(bundleDir, { recursive: true });
    const sources = ['src/a.ts', 'src/b.ts'];
    for (const source of sources) {
      fs.writeFileSync(path.join(dir, source), '');
      fs.utimesSync(path.join(dir, source), new Date(builtAt - 60_000), new Date(builtAt - 60_000));
    }
    fs.writeFileSync(path.join(bundleDir, CLI_BUNDLE_FILE), '');
    fs.writeFileSync(path.join(bundleDir, CLI_MANIFEST_FILE), JSON.stringify({ builtAt, inputs: sources }));
    return { dir, bundle: path.join(bundleDir, CLI_BUNDLE_FILE) };
  }

  it('runs the bundle when no source changed since the build', () => {
    const { dir, bundle } = project(Date.now());
    expect(freshCliBundle(dir)).toBe(bundle);
  });

  it('falls back to the sources when one was edited after the build began, or is gone', () => {
    const builtAt = Date.now() - 10_000;
    const edited = project(builtAt);
    fs.utimesSync(path.join(edited.dir, 'src/b.ts'), new Date(), new Date());
    expect(freshCliBundle(edited.dir)).toBeNull();
    const removed = project(builtAt);
    fs.rmSync(path.join(removed.dir, 'src/a.ts'));
    expect(freshCliBundle(removed.dir)).toBeNull();
  });

  it('falls back when there is no bundle or no manifest', () => {
    const noBundle = project(Date.now());
    fs.rmSync(noBundle.bundle);
    expect(freshCliBundle(noBundle.dir)).toBeNull();
    const noManifest = project(Date.now());
    fs.rmSync(path.join(path.dirname(noManifest.bundle), CLI_MANIFEST_FILE));
    expect(freshCliBundle(noManifest.dir)).toBeNull();
    expect(freshCliBundle(tempDir('art-sync-empty-'))).toBeNull();
  });
});

describe('loading the bundle with a V8 code cache', () => {
  function fakeBundle() {
    const dir = tempDir('art-sync-code-cache-');
    const bundle = path.join(dir, CLI_BUNDLE_FILE);
    fs.writeFileSync(path.join(dir, 'helper.cjs'), 'module.exports = 41;\n');
    fs.writeFileSync(bundle, "exports.answer = require('./helper.cjs') + 1; exports.where = [__filename, __dirname, module.id];\n");
    return { bundle, cache: `${bundle}${CLI_CODE_CACHE_SUFFIX}` };
  }

  it('runs it as CommonJS (exports, require relative to it, __filename) and registers it in require.cache', () => {
    const { bundle } = fakeBundle();
    const loaded = loadCliBundle(bundle);
    expect(loaded.exports.answer).toBe(42);
    expect(loaded.exports.where).toEqual([bundle, path.dirname(bundle), bundle]);
    expect(Object.keys(require.cache)).toContain(bundle);
    delete require.cache[bundle];
  });

  /** Loads and saves in a fresh process: V8's in-process compilation cache would hide the file's. */
  function loadInChild(bundle: string): string {
    const script = `import { loadCliBundle } from ${JSON.stringify(pathToFileURL(path.join(root, 'bin/cli-bundle.mjs')).href)};
      const loaded = loadCliBundle(${JSON.stringify(bundle)}); loaded.saveCodeCache(); console.log(loaded.exports.answer);`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return result.stdout.trim();
  }

  it('writes the cache once, keeps an accepted one, and replaces one V8 refuses', () => {
    const { bundle, cache } = fakeBundle();
    expect(loadInChild(bundle)).toBe('42');
    expect(fs.statSync(cache).size).toBeGreaterThan(0);
    fs.utimesSync(cache, new Date(0), new Date(0));
    expect(loadInChild(bundle)).toBe('42');
    expect(fs.statSync(cache).mtimeMs).toBe(0);
    fs.writeFileSync(cache, 'not a V8 code cache');
    expect(loadInChild(bundle)).toBe('42');
    expect(fs.readFileSync(cache).toString('latin1')).not.toBe('not a V8 code cache');
  });

  it('keeps the cache a real command wrote: the V8 flags the sync engine sets are set before compiling too', () => {
    // A cache records V8's flags; one written after the engine set --optimize-for-size (sync/heap-mode.ts)
    // would be refused at every next start, and rewritten, if the flag came only after compiling.
    const dir = tempDir('art-sync-real-cache-');
    const bundle = path.join(outdir, CLI_BUNDLE_FILE);
    const cache = `${bundle}${CLI_CODE_CACHE_SUFFIX}`;
    fs.rmSync(cache, { force: true });
    const script = `import { loadCliBundle } from ${JSON.stringify(pathToFileURL(path.join(root, 'bin/cli-bundle.mjs')).href)};
      const loaded = loadCliBundle(${JSON.stringify(bundle)});
      process.exitCode = await loaded.exports.runCli(['--data-dir', ${JSON.stringify(dir)}, 'status', '--json']);
      loaded.saveCodeCache();`;
    const run = () => {
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
        env: { ...process.env, ART_SYNC_NO_KEYCHAIN: '1', ART_SYNC_V8_DEFAULT_HEAP: '' },
        timeout: 60_000,
      });
      expect(result.status, result.stderr).toBe(0);
    };
    run();
    expect(fs.statSync(cache).size).toBeGreaterThan(0);
    fs.utimesSync(cache, new Date(0), new Date(0));
    run();
    // Accepted, so not written again.
    expect(fs.statSync(cache).mtimeMs).toBe(0);
  });
});
