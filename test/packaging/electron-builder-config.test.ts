// electron-builder.yml: valid for electron-builder's own schema, and the app it packs holds exactly the
// built output — the bundled main/preload, the renderer, the migrations, the tray icons — and nothing
// from src/, test/ or the other development folders. File selection runs through electron-builder's
// own matcher over a copy of this repository's tree plus the files `npm run build` writes.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/main/store/migrate';
import {
  type BuilderConfig,
  isAsarUnpacked,
  keepsNodeModuleFile,
  loadBuilderConfig,
  packagedAppFiles,
  type Platform,
  ROOT,
} from './builder-config';

const require = createRequire(import.meta.url);
const PLATFORMS: Platform[] = ['linux', 'mac', 'win'];

// Folders whose real content is replaced by generated stand-ins (build output, caches, dependencies).
const GENERATED = new Set(['node_modules', '.git', 'dist', 'native', 'release', 'test-artifacts', 'coverage']);

/** Every file of the working tree (minus generated folders), relative, forward slashes. */
function repoFiles(dir = ROOT, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (prefix === '' && GENERATED.has(entry.name)) continue;
    if (entry.isDirectory()) out.push(...repoFiles(path.join(dir, entry.name), `${relative}/`));
    else if (entry.isFile()) out.push(relative);
  }
  return out;
}

/** What `npm run build` writes, read from scripts/build.mjs and vite.config.ts so it cannot drift. */
function buildOutputs(): string[] {
  const buildScript = readFileSync(path.join(ROOT, 'scripts/build.mjs'), 'utf8');
  const bundles = [...buildScript.matchAll(/outfile:\s*'([^']+)'/g)].map((match) => match[1] ?? '');
  const viteConfig = readFileSync(path.join(ROOT, 'vite.config.ts'), 'utf8');
  const rendererDir = /outDir:\s*path\.join\(here,\s*'([^']+)'\)/.exec(viteConfig)?.[1];
  if (bundles.length < 2 || rendererDir === undefined) throw new Error('could not read the build outputs from scripts/build.mjs and vite.config.ts');
  const renderer = ['index.html', 'assets/index-3f9a1c.js', 'assets/index-3f9a1c.css'].map((file) => `${rendererDir}/${file}`);
  // esbuild and vite both write source maps next to the JavaScript.
  const scripts = [...bundles, `${rendererDir}/assets/index-3f9a1c.js`];
  return [...bundles, ...renderer, ...scripts.map((file) => `${file}.map`)];
}

const GENERATED_EXTRAS = [
  'native/electron/45.5.0/better_sqlite3.node',
  'release/art-sync-0.1.0-linux-x86_64.AppImage',
  'release/linux-unpacked/resources/app.asar',
  'test-artifacts/screenshots/status.png',
  'coverage/index.html',
  'node_modules/better-sqlite3/package.json',
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  // The `art-sync` command's bundle (scripts/build-cli.mjs): for the terminal, not the desktop app.
  'dist/cli/art-sync.cjs',
  'dist/cli/sim.cjs',
  'dist/cli/manifest.json',
];

let fixture: string;
let config: BuilderConfig;
const packed = new Map<Platform, string[]>();

beforeAll(async () => {
  config = loadBuilderConfig();
  fixture = mkdtempSync(path.join(os.tmpdir(), 'art-sync-packaging-'));
  for (const relative of [...repoFiles(), ...buildOutputs(), ...GENERATED_EXTRAS]) {
    const target = path.join(fixture, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, '');
  }
  for (const platform of PLATFORMS) packed.set(platform, await packagedAppFiles(config, fixture, platform));
});

afterAll(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
});

const packedFor = (platform: Platform): string[] => packed.get(platform) ?? [];

describe('electron-builder.yml against electron-builder’s schema', () => {
  const schema = require('app-builder-lib/scheme.json') as object;

  // Same settings electron-builder validates with (unknown keywords such as `typeof` are ignored),
  // except that types are not coerced: "true" for a boolean is an error here.
  let compiled: ValidateFunction | undefined;
  function validate(candidate: unknown) {
    compiled ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
    const check = compiled;
    const valid = check(candidate);
    return { valid, errors: (check.errors ?? []).map((error) => `${error.instancePath} ${error.message}`) };
  }

  it('validates', () => {
    expect(validate(config)).toEqual({ valid: true, errors: [] });
  });

  it('passes electron-builder’s own configuration check', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => {} })).resolves.toBeUndefined();
  });

  it('the schema check is not vacuous: misspelt or mistyped options are rejected', () => {
    const misspelt = structuredClone(config);
    (misspelt.electronFuses as Record<string, unknown>).runAsNod = false;
    expect(validate(misspelt).valid).toBe(false);
    const mistyped = structuredClone(config) as Record<string, unknown>;
    mistyped.asarUnpack = 42;
    expect(validate(mistyped).valid).toBe(false);
  });
});

describe('identity and targets', () => {
  it('names the app', () => {
    expect(config.appId).toBe('com.artmanagementtool.artsync');
    expect(config.productName).toBe('Art Sync');
  });

  const targetsOf = (platform: Platform) =>
    ((config[platform] as { target: { target: string; arch: string[] }[] }).target ?? []).map((t) => ({ target: t.target, arch: [...t.arch].sort() }));

  it('builds NSIS on Windows, DMG and zip on macOS, AppImage and deb on Linux, each for x64 and arm64', () => {
    expect(targetsOf('win')).toEqual([{ target: 'nsis', arch: ['arm64', 'x64'] }]);
    expect(targetsOf('mac')).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(targetsOf('linux')).toEqual([
      { target: 'AppImage', arch: ['arm64', 'x64'] },
      { target: 'deb', arch: ['arm64', 'x64'] },
    ]);
  });

  it('hardens and notarizes macOS builds, with an entitlements file that allows only the JIT', () => {
    const mac = config.mac as Record<string, unknown>;
    expect(mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    const entitlements = readFileSync(path.join(ROOT, String(mac.entitlements)), 'utf8');
    const keys = [...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1]);
    expect(keys).toEqual(['com.apple.security.cs.allow-jit']);
  });

  it('gives Linux a desktop entry with categories', () => {
    const linux = config.linux as { desktop: { entry: Record<string, string> }; category: string };
    expect(linux.desktop.entry.Categories?.split(';').filter(Boolean)).toEqual(expect.arrayContaining(['Office', 'Utility']));
    expect(linux.desktop.entry.Name).toBe('Art Sync');
    expect(linux.category).toBe('Office');
  });

  it('has an icon for every platform where the config says, and tray icons', () => {
    const mac = config.mac as { icon: string };
    const win = config.win as { icon: string };
    const linux = config.linux as { icon: string };
    expect(readFileSync(path.join(ROOT, mac.icon)).subarray(0, 4).toString('latin1')).toBe('icns');
    expect([...readFileSync(path.join(ROOT, win.icon)).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(existsSync(path.join(ROOT, linux.icon, `${size}x${size}.png`)), `${size}x${size}.png`).toBe(true);
    }
  });

  it('has tray icons for every state: coloured for light and dark panels, macOS templates, each at 1x and 2x', () => {
    // The names src/main/shell/tray.ts asks for (trayIconFile), drawn by scripts/make-icons.mjs.
    const pngSize = (file: string) => {
      const bytes = readFileSync(path.join(ROOT, 'resources/tray', file));
      expect(bytes.subarray(1, 4).toString('latin1'), file).toBe('PNG');
      return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
    };
    for (const state of ['error', 'attention', 'syncing', 'paused', 'ok']) {
      for (const variant of ['-light', '-dark', 'Template']) {
        expect(pngSize(`tray-${state}${variant}.png`)).toEqual([16, 16]);
        expect(pngSize(`tray-${state}${variant}@2x.png`)).toEqual([32, 32]);
      }
    }
  });
});

describe('the packaged file set', () => {
  // Everything the app may contain besides node_modules.
  const ALLOWED = [/^package\.json$/, /^dist\/(main|preload|renderer)\//, /^drizzle\/(sqlite|postgres)\//, /^resources\/tray\//];

  it.each(PLATFORMS)('%s: holds the bundles, the built renderer, the migrations and package.json', (platform) => {
    const files = packedFor(platform);
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/main/index.cjs',
        'dist/preload/index.cjs',
        'dist/renderer/index.html',
        'dist/renderer/assets/index-3f9a1c.js',
        'dist/renderer/assets/index-3f9a1c.css',
      ]),
    );
    const migrations = repoFiles(path.join(ROOT, 'drizzle/sqlite'), 'drizzle/sqlite/');
    expect(migrations).toContain('drizzle/sqlite/meta/_journal.json');
    expect(files).toEqual(expect.arrayContaining(migrations));
  });

  it.each(PLATFORMS)('%s: holds nothing else — no sources, tests, docs, scripts, maps or build leftovers', (platform) => {
    const files = packedFor(platform);
    expect(files.filter((file) => !ALLOWED.some((allowed) => allowed.test(file)))).toEqual([]);
    expect(files.filter((file) => /^(src|test|docs|bench|scripts|build|native|release|node_modules)\//.test(file))).toEqual([]);
    expect(files.filter((file) => /\.(map|ts|tsx)$/.test(file))).toEqual([]);
  });

  it('the check is not vacuous: a `files` list that adds src/ makes sources appear', async () => {
    const loose = { ...config, files: [...(config.files as string[]).filter((p) => !p.startsWith('!{src')), 'src/**'] };
    const files = await packagedAppFiles(loose, fixture, 'linux');
    expect(files).toContain('src/main/index.ts');
  });

  it('every path the main process opens from app.getAppPath() is packed', () => {
    const sources = repoFiles(path.join(ROOT, 'src/main'), 'src/main/').filter((file) => file.endsWith('.ts'));
    const used = new Set<string>();
    for (const source of sources) {
      const text = readFileSync(path.join(ROOT, source), 'utf8');
      // path.join(app.getAppPath(), '…') or, after `const appPath = app.getAppPath()`, path.join(appPath, '…').
      for (const match of text.matchAll(/path\.join\(\s*(?:app\.getAppPath\(\)|appPath)\s*,\s*'([^']+)'/g)) used.add(match[1] ?? '');
    }
    // The main process loads the preload, the page and the migrations this way.
    expect([...used]).toEqual(expect.arrayContaining(['dist/preload/index.cjs', 'dist/renderer/index.html', 'drizzle/sqlite']));
    const files = packedFor('linux');
    for (const relative of used) {
      expect(files.some((file) => file === relative || file.startsWith(`${relative}/`)), relative).toBe(true);
    }
  });

  it('drizzle reads the migrations from the packed copy (found from the app path, not the working directory)', () => {
    const app = mkdtempSync(path.join(os.tmpdir(), 'art-sync-app-'));
    try {
      for (const file of packedFor('linux').filter((f) => f.startsWith('drizzle/'))) {
        mkdirSync(path.dirname(path.join(app, file)), { recursive: true });
        copyFileSync(path.join(ROOT, file), path.join(app, file));
      }
      const fromApp = loadMigrations(path.join(app, 'drizzle/sqlite'));
      expect(fromApp.map((m) => m.hash)).toEqual(loadMigrations(path.join(ROOT, 'drizzle/sqlite')).map((m) => m.hash));
      expect(fromApp.length).toBeGreaterThan(0);
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });

  it.each(PLATFORMS)('%s: native addons stay in the package and are unpacked from the asar; JavaScript stays packed', (platform) => {
    const addon = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    expect(keepsNodeModuleFile(config, fixture, platform, addon)).toBe(true);
    expect(keepsNodeModuleFile(config, fixture, platform, 'node_modules/better-sqlite3/lib/index.js')).toBe(true);
    expect(keepsNodeModuleFile(config, fixture, platform, 'node_modules/keytar/build/Release/keytar.node')).toBe(true);
    expect(isAsarUnpacked(config, fixture, platform, addon)).toBe(true);
    expect(isAsarUnpacked(config, fixture, platform, 'node_modules/keytar/build/Release/keytar.node')).toBe(true);
    expect(isAsarUnpacked(config, fixture, platform, 'dist/main/index.cjs')).toBe(false);
    expect(keepsNodeModuleFile(config, fixture, platform, 'node_modules/better-sqlite3/lib/index.js.map')).toBe(false);
  });

  it('rebuilds native modules for Electron when packaging', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
  });
});
