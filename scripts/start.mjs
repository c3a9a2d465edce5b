// `npm start`: build and launch the desktop app. The decisions live in start-lib.mjs (tested); this
// file only supplies the real effects: processes, files, the network download.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ELECTRON_HOST, ensureSqliteBinding, findElectronBinary, runStart } from './start-lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const electronDir = path.dirname(require.resolve('electron/package.json'));
const sqliteDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const readVersion = (dir) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
const electronVersion = readVersion(electronDir);

const DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const COMPILE_TIMEOUT_MS = 20 * 60_000;

/** Runs a command with its output captured (not shown), killed after `timeoutMs`. */
function runCaptured(command, args, { cwd, env, timeoutMs }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ ok: false, timedOut: false, output: `${output}\n${error.message}` }));
    child.on('close', (code, signal) => resolve({ ok: code === 0, timedOut: signal === 'SIGTERM' && code === null, output }));
  });
}

function mirrorHost() {
  const mirror = process.env.ELECTRON_MIRROR ?? process.env.npm_config_electron_mirror;
  if (!mirror) return DEFAULT_ELECTRON_HOST;
  try {
    return new URL(mirror).host;
  } catch {
    return mirror;
  }
}

/** Compiles better-sqlite3 against Electron's headers in a throw-away copy of the package. */
async function compileSqliteForElectron({ electronVersion: target, outFile }) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'art-sync-sqlite-'));
  try {
    const copy = path.join(work, 'better-sqlite3');
    cpSync(sqliteDir, copy, { recursive: true, filter: (src) => path.relative(sqliteDir, src).split(path.sep)[0] !== 'build' });
    // Strip npm's nodedir/target settings (e.g. nodedir=/usr in ~/.npmrc): they would point node-gyp
    // at Node's headers and silently produce a Node-ABI binary.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
    const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
    console.error(`Compiling the database module for Electron ${target} (first start only, takes a few minutes)...`);
    const result = await runCaptured(
      process.execPath,
      [nodeGyp, 'rebuild', `--target=${target}`, '--dist-url=https://electronjs.org/headers', `--devdir=${path.join(os.homedir(), '.cache', 'node-gyp')}`],
      { cwd: copy, env, timeoutMs: COMPILE_TIMEOUT_MS },
    );
    mkdirSync(path.dirname(outFile), { recursive: true });
    const logFile = path.join(path.dirname(outFile), 'node-gyp.log');
    writeFileSync(logFile, result.output);
    if (!result.ok) return { ok: false, logFile: path.relative(root, logFile) };
    const partial = `${outFile}.partial`;
    copyFileSync(path.join(copy, 'build', 'Release', 'better_sqlite3.node'), partial);
    renameSync(partial, outFile);
    return { ok: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function launch(electronPath, env) {
  return new Promise((resolve) => {
    const child = spawn(electronPath, ['.'], { cwd: root, env, stdio: 'inherit' });
    for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
    child.on('error', (error) => {
      console.error(`Art Sync could not start: Electron could not be launched (${error.message}).`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const code = await runStart({
  electronVersion,
  electronHost: mirrorHost(),
  env: process.env,
  print: (line) => console.error(line),
  findElectron: () => findElectronBinary({ electronDir }),
  downloadElectron: () =>
    runCaptured(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, env: process.env, timeoutMs: DOWNLOAD_TIMEOUT_MS }),
  build: async () => {
    const { build } = await import('./build.mjs');
    await build();
  },
  ensureSqliteBinding: () =>
    ensureSqliteBinding({
      nativeDir: path.join(root, 'native'),
      electronVersion,
      sqliteVersion: readVersion(sqliteDir),
      fs: {
        exists: existsSync,
        readText: (file) => (existsSync(file) ? readFileSync(file, 'utf8') : null),
        writeText: (file, text) => writeFileSync(file, text),
      },
      compile: compileSqliteForElectron,
    }),
  launch,
});
process.exitCode = code;
