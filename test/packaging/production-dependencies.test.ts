// What ships: package.json `dependencies` (plus the optional keytar) are exactly the packages the
// Electron main bundle leaves as run-time requires — everything else is bundled by esbuild or Vite,
// or only used in development, and lives in devDependencies. electron-builder copies only production
// dependencies into the app, so the installer carries no React, zod, tsx or esbuild sources.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN_EXTERNALS } from '../../scripts/build.mjs';
import { packagedNodeModules, ROOT } from './builder-config';

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const NEVER_SHIPPED = ['react', 'react-dom', 'zod', 'tsx', 'esbuild'];
const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const names = (modules: string[]): string[] => modules.map((module) => module.slice(0, module.lastIndexOf('@')));

describe('dependencies are what the packaged app loads at run time', () => {
  it('the main bundle requires, at run time, only electron and the production dependencies', async () => {
    // The same entry and externals as scripts/build.mjs; nothing is written.
    const result = await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: ['src/main/index.ts'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'cjs',
      platform: 'node',
      target: 'node22',
      external: MAIN_EXTERNALS,
      define: { __APP_VERSION__: '"0.0.0"' },
      logLevel: 'silent',
    });
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    const required = new Set<string>();
    for (const output of Object.values(result.metafile.outputs)) {
      for (const imported of output.imports) {
        if (imported.external && !builtins.has(imported.path)) required.add(packageName(imported.path));
      }
    }
    // electron is the runtime itself, not a package in the app.
    expect([...required].filter((name) => name !== 'electron').sort()).toEqual(Object.keys(pkg.dependencies ?? {}).sort());
    // keytar is optional and loaded by name at run time (src/main/secrets), so it must stay external.
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) expect(MAIN_EXTERNALS, name).toContain(name);
  }, 60_000);

  it('React, zod, tsx and esbuild are development dependencies', () => {
    for (const name of NEVER_SHIPPED) {
      expect(pkg.devDependencies?.[name], name).toBeDefined();
      expect(pkg.dependencies?.[name], name).toBeUndefined();
    }
  });
});

describe('the node_modules electron-builder packs into the installer', () => {
  let packed: string[];
  beforeAll(async () => {
    packed = await packagedNodeModules(ROOT);
  }, 60_000);

  it('holds the native modules the app needs and none of React, zod, tsx or esbuild', () => {
    const packedNames = names(packed);
    expect(packedNames).toEqual(expect.arrayContaining(['better-sqlite3', 'pg']));
    expect(packedNames.filter((name) => NEVER_SHIPPED.includes(name) || name.startsWith('@esbuild/'))).toEqual([]);
    // Nor anything else that is only a development dependency here.
    expect(packedNames.filter((name) => pkg.devDependencies?.[name] !== undefined)).toEqual([]);
  });

  describe('the check is not vacuous', () => {
    let loose: string;
    afterAll(() => {
      if (loose) rmSync(loose, { recursive: true, force: true });
    });

    it('a package.json listing them as dependencies makes electron-builder pack them', async () => {
      loose = mkdtempSync(path.join(os.tmpdir(), 'art-sync-loose-deps-'));
      const dependencies = Object.fromEntries(NEVER_SHIPPED.map((name) => [name, pkg.devDependencies?.[name] ?? '*']));
      writeFileSync(path.join(loose, 'package.json'), JSON.stringify({ name: 'loose', version: '1.0.0', dependencies }));
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(loose, 'node_modules'), 'junction');
      expect(names(await packagedNodeModules(loose))).toEqual(expect.arrayContaining(NEVER_SHIPPED));
    }, 60_000);
  });
});
