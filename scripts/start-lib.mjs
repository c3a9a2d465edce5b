// The decisions behind `npm start`, separated from the real process/file-system work so they can be
// tested with fakes (test/scripts/start-lib.test.ts). scripts/start.mjs wires in the real effects.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_ELECTRON_HOST = 'github.com';

/**
 * Why the Electron download failed, in words for the closing sentence. A network failure names the
 * host we could not reach (GitHub, or the ELECTRON_MIRROR host when one is set).
 */
export function describeDownloadFailure({ timedOut, output, host = DEFAULT_ELECTRON_HOST }) {
  if (timedOut) return 'the download timed out';
  if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|certificate/i.test(output)) {
    return `no access to ${host}`;
  }
  return 'the download failed';
}

export const messages = {
  electronUnavailable: (reason) =>
    `Art Sync could not start: the Electron runtime is not installed and could not be downloaded (${reason}). ` +
    'Run "npm start" on a machine with internet access, or use the headless "npx art-sync" command.',
  buildFailed: () => 'Art Sync could not start: building the app failed (the errors are printed above).',
  sqliteBindingFailed: (electronVersion, logFile) =>
    `Art Sync could not start: the database module could not be compiled for Electron ${electronVersion} ` +
    '(node-gyp needs python3, make, a C++ compiler and access to electronjs.org for the Electron headers' +
    (logFile ? `; the compiler's log is in ${logFile}).` : ').'),
};

/**
 * Where the Electron executable is, or null when it has not been downloaded. Mirrors the lookup in
 * node_modules/electron/index.js without calling it: requiring `electron` starts a download of its
 * own that prints a stack trace on failure.
 */
export function findElectronBinary({ electronDir, env = process.env, exists = existsSync, readText = (f) => readFileSync(f, 'utf8') }) {
  let relative = null;
  try {
    relative = readText(path.join(electronDir, 'path.txt')).trim();
  } catch {
    relative = null;
  }
  const full = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron')
    : relative
      ? path.join(electronDir, 'dist', relative)
      : null;
  return full !== null && exists(full) ? full : null;
}

/**
 * The Electron-ABI copy of better-sqlite3's addon, compiled on first use and reused while both the
 * Electron and better-sqlite3 versions stay the same (a stamp file next to it records the latter).
 * node_modules/better-sqlite3 itself is never touched: Node (tests, CLI) needs its Node-ABI build.
 */
export async function ensureSqliteBinding({ nativeDir, electronVersion, sqliteVersion, fs, compile }) {
  const dir = path.join(nativeDir, 'electron', electronVersion);
  const binding = path.join(dir, 'better_sqlite3.node');
  const stamp = path.join(dir, 'better-sqlite3.version');
  if (fs.exists(binding) && fs.readText(stamp) === sqliteVersion) return { ok: true, path: binding };
  const result = await compile({ electronVersion, outFile: binding });
  if (!result.ok) return { ok: false, logFile: result.logFile };
  fs.writeText(stamp, sqliteVersion);
  return { ok: true, path: binding };
}

/**
 * `npm start`: make sure the Electron binary exists (download it once if not), build, make sure the
 * Electron-ABI SQLite addon exists, then launch Electron. Every failure ends in one sentence and a
 * non-zero exit code; no stack trace. Returns the exit code.
 */
export async function runStart(deps) {
  const { print, electronVersion } = deps;

  let electron = deps.findElectron();
  if (electron === null) {
    const download = await deps.downloadElectron();
    electron = download.ok ? deps.findElectron() : null;
    if (electron === null) {
      const reason = download.ok
        ? 'the download did not produce an executable'
        : describeDownloadFailure({ timedOut: download.timedOut === true, output: download.output ?? '', host: deps.electronHost });
      print(messages.electronUnavailable(reason));
      return 1;
    }
  }

  try {
    await deps.build();
  } catch {
    print(messages.buildFailed());
    return 1;
  }

  const binding = await deps.ensureSqliteBinding();
  if (!binding.ok) {
    print(messages.sqliteBindingFailed(electronVersion, binding.logFile));
    return 1;
  }

  const env = { ...deps.env, ART_SYNC_SQLITE_BINDING: binding.path };
  // With this set, the Electron binary behaves as plain Node and would not open the app.
  delete env.ELECTRON_RUN_AS_NODE;
  return deps.launch(electron, env);
}
