import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli';
import { MIGRATIONS_TABLE } from '../../src/main/store/migrate';
import { openStore } from '../../src/main/store/open-store';

// In-process runs of the CLI (fast); test/cli/catalog.test.ts covers the real executable.
describe('runCli', () => {
  let dir: string;
  let out: string;
  let err: string;
  const io = {
    stdout: (text: string) => {
      out += text;
    },
    stderr: (text: string) => {
      err += text;
    },
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-runcli-'));
    out = '';
    err = '';
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints help with exit code 0', async () => {
    expect(await runCli(['--help'], { io, env: {} })).toBe(0);
    expect(out).toMatch(/--data-dir <dir>/);
    expect(out).toMatch(/catalog/);
  });

  it('prints the version with --version and exit code 0', async () => {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await runCli(['--version'], { io, env: {} })).toBe(0);
    expect(out).toBe(`${pkg.version}\n`);
    expect(err).toBe('');
  });

  it('turns usage errors into one line and exit code 1', async () => {
    expect(await runCli(['nope'], { io, env: {} })).toBe(1);
    expect(err).toBe(`art-sync: Unknown command 'nope'. See "art-sync --help".\n`);
    expect(out).toBe('');
  });

  it('accepts --data-dir after the subcommand and falls back to ART_SYNC_DATA_DIR', async () => {
    const a = path.join(dir, 'a');
    expect(await runCli(['catalog', 'list', '--json', '--data-dir', a], { io, env: {} })).toBe(0);
    expect(fs.existsSync(path.join(a, 'art-sync.db'))).toBe(true);

    const b = path.join(dir, 'b');
    expect(await runCli(['status', '--json'], { io, env: { ART_SYNC_DATA_DIR: b } })).toBe(0);
    expect(fs.existsSync(path.join(b, 'art-sync.db'))).toBe(true);
  });

  it('refuses a database from a newer build in one line, with a JSON error on --json', async () => {
    const store = openStore({ dataDir: dir });
    store.sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (hash, created_at) VALUES ('x', ?)`).run(Date.now() * 2);
    store.close();
    expect(await runCli(['status', '--json', '--data-dir', dir], { io, env: {} })).toBe(1);
    expect(JSON.parse(out)).toEqual({
      error: {
        code: 'DATABASE_TOO_NEW',
        message: 'This data folder was written by a newer version of Art Sync; update Art Sync to open it.',
        action: 'Update Art Sync',
      },
    });
    expect(err).toBe(
      'art-sync: This data folder was written by a newer version of Art Sync; update Art Sync to open it.\n',
    );
  });
});
