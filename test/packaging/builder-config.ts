// Helpers for the packaging tests: load electron-builder.yml and answer "what would electron-builder
// put into the app?" with electron-builder's OWN matching code (app-builder-lib's fileMatcher and
// builder-util's directory walker), not a re-implementation of its glob rules. Packaging itself
// cannot run here (no Electron download), but file selection is pure and runs anywhere.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONFIG_PATH = path.join(ROOT, 'electron-builder.yml');

export type Platform = 'linux' | 'mac' | 'win';
export type BuilderConfig = Record<string, unknown> & {
  files?: unknown;
  asarUnpack?: unknown;
  directories?: { output?: string; buildResources?: string };
  electronFuses?: Record<string, boolean>;
};

export function loadBuilderConfig(): BuilderConfig {
  const parsed = load(readFileSync(CONFIG_PATH, 'utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('electron-builder.yml is not a YAML mapping');
  }
  return parsed as BuilderConfig;
}

// --- electron-builder internals, typed as far as these tests use them ---------------------------

interface StatLike {
  isDirectory(): boolean;
  moduleFullFilePath?: string;
}
type Filter = (file: string, stat: StatLike) => boolean;
interface FileMatcher {
  from: string;
  patterns: string[];
  isEmpty(): boolean;
  createFilter(): Filter;
}
interface PackagerInfo {
  projectDir: string;
  buildResourcesDir: string;
  isPrepackedAppAsar: boolean;
  config: BuilderConfig;
  debugLogger: { isEnabled: boolean; add(key: string, value: unknown): void };
}
interface FileMatcherModule {
  getMainFileMatchers(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: Record<string, unknown>,
    platformPackager: { info: PackagerInfo },
    outDir: string,
    isElectronCompile: boolean,
  ): FileMatcher[];
  getNodeModuleFileMatcher(
    appDir: string,
    destination: string,
    macroExpander: (pattern: string) => string,
    platformSpecificBuildOptions: Record<string, unknown>,
    info: PackagerInfo,
  ): FileMatcher;
  getFileMatchers(
    config: BuilderConfig,
    name: string,
    defaultDestination: string,
    options: {
      macroExpander: (pattern: string) => string;
      customBuildOptions: Record<string, unknown>;
      globalOutDir: string;
      defaultSrc: string;
    },
  ): FileMatcher[] | null;
}

const require = createRequire(import.meta.url);
// The package index first: app-builder-lib's modules import each other in a cycle that only
// resolves when loading starts from the top.
require('app-builder-lib');
const fileMatcher = require('app-builder-lib/out/fileMatcher') as FileMatcherModule;
const builderUtil = require('builder-util') as { walk(dir: string, filter: Filter): Promise<string[]> };

const DESTINATION = '/packaged-app';
// Macros such as ${arch} do not appear in our `files`; expanding them to themselves keeps any that
// ever do visible in the results.
const noMacros = (pattern: string): string => pattern;

function packagerInfo(config: BuilderConfig, projectDir: string): PackagerInfo {
  return {
    projectDir,
    buildResourcesDir: config.directories?.buildResources ?? 'build',
    isPrepackedAppAsar: false,
    config,
    debugLogger: { isEnabled: false, add: () => {} },
  };
}

function platformOptions(config: BuilderConfig, platform: Platform): Record<string, unknown> {
  const options = config[platform];
  return options !== null && typeof options === 'object' ? (options as Record<string, unknown>) : {};
}

function outDir(config: BuilderConfig, projectDir: string): string {
  return path.join(projectDir, config.directories?.output ?? 'dist');
}

const toPosix = (relative: string): string => relative.split(path.sep).join('/');

/**
 * The app's own files (everything but node_modules) electron-builder would pack for `platform`,
 * as paths relative to `projectDir` with forward slashes, sorted.
 */
export async function packagedAppFiles(config: BuilderConfig, projectDir: string, platform: Platform): Promise<string[]> {
  const matchers = fileMatcher.getMainFileMatchers(
    projectDir,
    DESTINATION,
    noMacros,
    platformOptions(config, platform),
    { info: packagerInfo(config, projectDir) },
    outDir(config, projectDir),
    false,
  );
  const files: string[] = [];
  for (const matcher of matchers) {
    const found = await builderUtil.walk(matcher.from, matcher.createFilter());
    files.push(...found.map((file) => toPosix(path.relative(projectDir, file))));
  }
  return files.sort();
}

const fileStat = (relative: string): StatLike => ({ isDirectory: () => false, moduleFullFilePath: relative });

/** Whether a file inside a production dependency (`node_modules/<pkg>/...`) survives the `files` exclusions. */
export function keepsNodeModuleFile(config: BuilderConfig, projectDir: string, platform: Platform, relative: string): boolean {
  const matcher = fileMatcher.getNodeModuleFileMatcher(projectDir, DESTINATION, noMacros, platformOptions(config, platform), packagerInfo(config, projectDir));
  if (matcher.isEmpty()) return true;
  return matcher.createFilter()(path.join(projectDir, relative), fileStat(relative));
}

/** Whether a packed file is placed in app.asar.unpacked (the `asarUnpack` patterns). */
export function isAsarUnpacked(config: BuilderConfig, projectDir: string, platform: Platform, relative: string): boolean {
  const matchers = fileMatcher.getFileMatchers(config, 'asarUnpack', DESTINATION, {
    macroExpander: noMacros,
    customBuildOptions: platformOptions(config, platform),
    globalOutDir: outDir(config, projectDir),
    defaultSrc: projectDir,
  });
  const first = matchers?.[0];
  if (first === undefined) return false;
  return first.createFilter()(path.join(projectDir, relative), fileStat(relative));
}

interface NodeModuleInfo {
  name: string;
  version: string;
  dir: string;
  dependencies?: NodeModuleInfo[];
}
interface NodeModuleCollectorModule {
  PM: { NPM: string };
  getCollectorByPackageManager(
    pm: string,
    rootDir: string,
    tempDirManager: unknown,
  ): { getNodeModules(options: { packageName: string }): Promise<{ nodeModules: NodeModuleInfo[] }> };
}

/**
 * The packages (name@version, sorted) electron-builder would copy into the app's node_modules for
 * the project in `projectDir`, found by its own collector: `npm list --omit dev` over the installed
 * tree, then its hoisting. Only production dependencies (and their dependencies) are copied.
 */
export async function packagedNodeModules(projectDir: string): Promise<string[]> {
  const collectors = require('app-builder-lib/out/node-module-collector') as NodeModuleCollectorModule;
  const { TmpDir } = require('builder-util') as { TmpDir: new (name: string) => { cleanup(): Promise<void> } };
  const pkg = JSON.parse(readFileSync(path.join(projectDir, 'package.json'), 'utf8')) as { name: string };
  const temp = new TmpDir('art-sync-packaging-test');
  try {
    const { nodeModules } = await collectors.getCollectorByPackageManager(collectors.PM.NPM, projectDir, temp).getNodeModules({ packageName: pkg.name });
    const names: string[] = [];
    const walk = (list: readonly NodeModuleInfo[]): void => {
      for (const module of list) {
        names.push(`${module.name}@${module.version}`);
        walk(module.dependencies ?? []);
      }
    };
    walk(nodeModules);
    return [...new Set(names)].sort();
  } finally {
    await temp.cleanup();
  }
}
