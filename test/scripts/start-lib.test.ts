// The decisions of `npm start` (scripts/start-lib.mjs) with every effect faked: no download, no
// build, no compiler and no Electron is ever run here.
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  describeDownloadFailure,
  ensureSqliteBinding,
  findElectronBinary,
  messages,
  runStart,
  type StartDeps,
} from '../../scripts/start-lib.mjs';

const EXPECTED_OFFLINE_SENTENCE =
  'Art Sync could not start: the Electron runtime is not installed and could not be downloaded (no access to github.com). ' +
  'Run "npm start" on a machine with internet access, or use the headless "npx art-sync" command.';

function fakeDeps(overrides: Partial<StartDeps> = {}) {
  const printed: string[] = [];
  const deps: StartDeps = {
    electronVersion: '45.5.0',
    env: { HOME: '/home/artist', ELECTRON_RUN_AS_NODE: '1' },
    print: (line) => printed.push(line),
    findElectron: vi.fn(() => '/electron/dist/electron'),
    downloadElectron: vi.fn(async () => ({ ok: true, output: '' })),
    build: vi.fn(async () => {}),
    ensureSqliteBinding: vi.fn(async () => ({ ok: true as const, path: '/app/native/electron/45.5.0/better_sqlite3.node' })),
    launch: vi.fn(async () => 0),
    ...overrides,
  };
  return { deps, printed };
}

describe('runStart', () => {
  it('prints exactly one sentence and exits 1 when the binary is missing and the download fails offline', async () => {
    const { deps, printed } = fakeDeps({
      findElectron: vi.fn(() => null),
      downloadElectron: vi.fn(async () => ({ ok: false, output: 'TypeError: fetch failed\n    at node:internal/deps/undici' })),
    });
    expect(await runStart(deps)).toBe(1);
    expect(printed).toEqual([EXPECTED_OFFLINE_SENTENCE]);
    expect(printed.join('\n')).not.toMatch(/\bat node:|TypeError/);
    expect(deps.build).not.toHaveBeenCalled();
    expect(deps.launch).not.toHaveBeenCalled();
  });

  it('names the mirror host when one is configured', async () => {
    const { deps, printed } = fakeDeps({
      electronHost: 'mirror.example.org',
      findElectron: vi.fn(() => null),
      downloadElectron: vi.fn(async () => ({ ok: false, output: 'getaddrinfo ENOTFOUND mirror.example.org' })),
    });
    expect(await runStart(deps)).toBe(1);
    expect(printed).toEqual([messages.electronUnavailable('no access to mirror.example.org')]);
  });

  it('fails with one sentence when the download reports success but no executable appears', async () => {
    const { deps, printed } = fakeDeps({ findElectron: vi.fn(() => null) });
    expect(await runStart(deps)).toBe(1);
    expect(printed).toEqual([messages.electronUnavailable('the download did not produce an executable')]);
  });

  it('downloads a missing binary once, then builds, prepares the binding and launches', async () => {
    const find = vi.fn<() => string | null>().mockReturnValueOnce(null).mockReturnValue('/electron/dist/electron');
    const { deps, printed } = fakeDeps({ findElectron: find });
    expect(await runStart(deps)).toBe(0);
    expect(deps.downloadElectron).toHaveBeenCalledTimes(1);
    expect(deps.build).toHaveBeenCalledTimes(1);
    expect(deps.launch).toHaveBeenCalledTimes(1);
    expect(printed).toEqual([]);
  });

  it('does not download when the binary is present', async () => {
    const { deps } = fakeDeps();
    await runStart(deps);
    expect(deps.downloadElectron).not.toHaveBeenCalled();
  });

  it('launches Electron with the Electron-ABI SQLite binding and without ELECTRON_RUN_AS_NODE', async () => {
    const { deps } = fakeDeps({ launch: vi.fn(async () => 3) });
    expect(await runStart(deps)).toBe(3);
    expect(deps.launch).toHaveBeenCalledWith('/electron/dist/electron', {
      HOME: '/home/artist',
      ART_SYNC_SQLITE_BINDING: '/app/native/electron/45.5.0/better_sqlite3.node',
    });
  });

  it('stops with one sentence when the build fails', async () => {
    const { deps, printed } = fakeDeps({
      build: vi.fn(async () => {
        throw new Error('Build failed with 1 error');
      }),
    });
    expect(await runStart(deps)).toBe(1);
    expect(printed).toEqual([messages.buildFailed()]);
    expect(deps.ensureSqliteBinding).not.toHaveBeenCalled();
    expect(deps.launch).not.toHaveBeenCalled();
  });

  it('stops with one sentence naming the log when the SQLite binding cannot be compiled', async () => {
    const { deps, printed } = fakeDeps({
      ensureSqliteBinding: vi.fn(async () => ({ ok: false as const, logFile: 'native/electron/45.5.0/node-gyp.log' })),
    });
    expect(await runStart(deps)).toBe(1);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('could not be compiled for Electron 45.5.0');
    expect(printed[0]).toContain('native/electron/45.5.0/node-gyp.log');
    expect(deps.launch).not.toHaveBeenCalled();
  });
});

describe('describeDownloadFailure', () => {
  it.each([
    [{ timedOut: true, output: '' }, 'the download timed out'],
    [{ timedOut: false, output: 'Error: connect ECONNREFUSED 140.82.112.3:443' }, 'no access to github.com'],
    [{ timedOut: false, output: 'Error: checksum mismatch' }, 'the download failed'],
  ])('%j → %s', (input, expected) => {
    expect(describeDownloadFailure(input)).toBe(expected);
  });
});

describe('findElectronBinary', () => {
  const electronDir = '/app/node_modules/electron';

  it('is null when path.txt is missing (never downloaded)', () => {
    const readText = () => {
      throw new Error('ENOENT');
    };
    expect(findElectronBinary({ electronDir, env: {}, exists: () => true, readText })).toBeNull();
  });

  it('is null when path.txt exists but the executable does not', () => {
    expect(findElectronBinary({ electronDir, env: {}, exists: () => false, readText: () => 'electron\n' })).toBeNull();
  });

  it('returns the executable under dist/', () => {
    const full = path.join(electronDir, 'dist', 'electron');
    expect(findElectronBinary({ electronDir, env: {}, exists: (f) => f === full, readText: () => 'electron' })).toBe(full);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like electron itself', () => {
    const full = path.join('/opt/electron', 'electron');
    const readText = () => {
      throw new Error('ENOENT');
    };
    expect(
      findElectronBinary({ electronDir, env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, exists: (f) => f === full, readText }),
    ).toBe(full);
  });
});

describe('ensureSqliteBinding', () => {
  const nativeDir = '/app/native';
  const binding = path.join(nativeDir, 'electron', '45.5.0', 'better_sqlite3.node');
  const stamp = path.join(nativeDir, 'electron', '45.5.0', 'better-sqlite3.version');

  function memoryFs(files: Record<string, string>) {
    return {
      files,
      exists: (f: string) => f in files,
      readText: (f: string) => files[f] ?? null,
      writeText: (f: string, text: string) => {
        files[f] = text;
      },
    };
  }

  it('reuses a binding compiled for the same better-sqlite3 version', async () => {
    const compile = vi.fn(async () => ({ ok: true }));
    const fs = memoryFs({ [binding]: 'bin', [stamp]: '12.11.1' });
    const result = await ensureSqliteBinding({ nativeDir, electronVersion: '45.5.0', sqliteVersion: '12.11.1', fs, compile });
    expect(result).toEqual({ ok: true, path: binding });
    expect(compile).not.toHaveBeenCalled();
  });

  it('recompiles when better-sqlite3 was upgraded, then records the version', async () => {
    const compile = vi.fn(async () => ({ ok: true }));
    const fs = memoryFs({ [binding]: 'bin', [stamp]: '12.0.0' });
    const result = await ensureSqliteBinding({ nativeDir, electronVersion: '45.5.0', sqliteVersion: '12.11.1', fs, compile });
    expect(result).toEqual({ ok: true, path: binding });
    expect(compile).toHaveBeenCalledWith({ electronVersion: '45.5.0', outFile: binding });
    expect(fs.files[stamp]).toBe('12.11.1');
  });

  it('reports a failed compile and writes no stamp', async () => {
    const fs = memoryFs({});
    const compile = vi.fn(async () => ({ ok: false, logFile: 'native/electron/45.5.0/node-gyp.log' }));
    const result = await ensureSqliteBinding({ nativeDir, electronVersion: '45.5.0', sqliteVersion: '12.11.1', fs, compile });
    expect(result).toEqual({ ok: false, logFile: 'native/electron/45.5.0/node-gyp.log' });
    expect(fs.files[stamp]).toBeUndefined();
  });
});
