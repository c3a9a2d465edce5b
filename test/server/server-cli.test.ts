import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli';
import { serverCommands } from '../../src/main/cli/server';
import { loadServerMigrations } from '../../src/main/server/migrate';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import type { CliTerminal } from '../../src/main/cli/terminal';
import { openStore } from '../../src/main/store/open-store';
import { SettingsRepo } from '../../src/main/store/settings-repo';
import { startTestPg, type TestPg } from './pg-harness';

/**
 * `art-sync server migrate | test | set-password`: each failure is one line naming the one thing wrong,
 * with a non-zero exit. Wrong password and read-only role need a real PostgreSQL (PGlite has one user
 * and accepts any password), so those run only with ART_SYNC_TEST_PG_URL (as .ci/run does).
 */
let pg: TestPg;
beforeAll(async () => {
  pg = await startTestPg();
});
afterAll(async () => {
  await pg.close();
});

let dir: string;
let out: string;
let err: string;
const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-server-cli-'));
  out = '';
  err = '';
  return () => fs.rmSync(dir, { recursive: true, force: true });
});

function configure(url: string): void {
  const store = openStore({ dataDir: dir });
  try {
    new SettingsRepo(store.sqlite, Date.now).update({ serverUrl: url, serverTlsMode: 'disable', serverEnabled: true });
  } finally {
    store.close();
  }
}

async function cli(args: string[], options: { password?: string | null; secrets?: SecretStore; typed?: string } = {}): Promise<number> {
  out = '';
  err = '';
  const secrets = options.secrets ?? new MemorySecretStore();
  const password = options.password === undefined ? pg.password : options.password;
  if (password !== null) await secrets.set('server.password', password);
  return runCli(['--data-dir', dir, ...args], {
    io,
    env: {},
    secrets,
    terminal: typing(options.typed ?? ''),
    groups: [serverCommands()],
  });
}

/** A terminal where the owner types `text` at the (hidden) prompt. */
function typing(text: string): CliTerminal {
  return { interactive: true, stderrIsTTY: true, prompt: async () => text, readAll: async () => text };
}

function oneLine(): string {
  expect(err.split('\n').filter(Boolean)).toHaveLength(1);
  return err;
}

describe('art-sync server', () => {
  it('test names a missing schema, migrate creates it, then test passes', { timeout: 60_000 }, async () => {
    configure(pg.url);
    expect(await cli(['server', 'test'])).toBe(1);
    expect(oneLine()).toMatch(/^art-sync: The database "\w+" has no Art Sync tables yet; run "art-sync server migrate"\.\n$/);
    expect(await cli(['server', 'migrate'])).toBe(0);
    expect(out).toMatch(new RegExp(`Applied ${loadServerMigrations().length} server migration\\(s\\)`));
    expect(await cli(['server', 'migrate'])).toBe(0);
    expect(out).toBe('The server is up to date.\n');
    expect(await cli(['server', 'test'])).toBe(0);
    expect(out).toMatch(/^Server OK: .* Art Sync schema current, writable\.\n$/);
    expect(err).toBe('');
  });

  it('test names an unreachable server', async () => {
    await pg.proxy.down();
    try {
      configure(pg.url);
      expect(await cli(['server', 'test'])).toBe(1);
      expect(oneLine()).toMatch(/^art-sync: The server at 127\.0\.0\.1:\d+ cannot be reached \(ECONNREFUSED\); check that it is running/);
    } finally {
      await pg.proxy.up();
    }
  });

  it.runIf(process.env.ART_SYNC_TEST_PG_URL)('test names a wrong password (real PostgreSQL only)', async () => {
    configure(pg.url);
    expect(await cli(['server', 'test'], { password: 'not-the-password' })).toBe(1);
    expect(oneLine()).toMatch(/^art-sync: The server at 127\.0\.0\.1:\d+ refused the password for user "\w+"; set the right one with "art-sync server set-password"\.\n$/);
    expect(err).not.toContain('not-the-password');
  });

  it.runIf(process.env.ART_SYNC_TEST_PG_URL)('test names a read-only role (real PostgreSQL only)', { timeout: 60_000 }, async () => {
    configure(pg.url);
    expect(await cli(['server', 'migrate'])).toBe(0);
    const role = `art_sync_ro_${Math.random().toString(36).slice(2, 8)}`;
    await pg.admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'ro-password'`);
    try {
      await pg.admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
      configure(pg.urlFor(role));
      expect(await cli(['server', 'test'], { password: 'ro-password' })).toBe(1);
      expect(oneLine()).toMatch(new RegExp(`^art-sync: The server user "${role}" may not INSERT on table products; grant it SELECT, INSERT and UPDATE`));
    } finally {
      await pg.admin.query(`DROP OWNED BY ${role}`);
      await pg.admin.query(`DROP ROLE ${role}`);
    }
  });

  it('refuses a URL with a password, without echoing it', async () => {
    const store = openStore({ dataDir: dir });
    try {
      expect(() => new SettingsRepo(store.sqlite, Date.now).update({ serverUrl: 'postgres://me:hunter2@db.example/art' })).toThrow(/must not contain a password/);
    } finally {
      store.close();
    }
    const code = await runCli(['--data-dir', dir, 'server', 'test'], { io, env: {}, secrets: new MemorySecretStore(), groups: [serverCommands()] });
    expect(code).toBe(1);
    expect(err).toMatch(/No server address is set yet/);
  });

  it('set-password stores what was typed; without a keychain it says the password lasts this session only', async () => {
    const memory = new MemorySecretStore();
    const secrets: SecretStore = { kind: 'keychain', get: (n) => memory.get(n), set: (n, v) => memory.set(n, v), delete: (n) => memory.delete(n) };
    expect(await cli(['server', 'set-password'], { secrets, password: null, typed: 's3cret pass' })).toBe(0);
    expect(await secrets.get('server.password')).toBe('s3cret pass');
    expect(out).toBe('The server password is saved in the system keychain.\n');
    expect(out).not.toContain('s3cret');
    const session = new MemorySecretStore();
    expect(await cli(['server', 'set-password'], { secrets: session, password: null, typed: 'x-pass' })).toBe(0);
    expect(await session.get('server.password')).toBe('x-pass');
    expect(out).toMatch(/no system keychain here, so the server password is kept for this session only/);
    expect(await cli(['server', 'set-password'], { password: null, typed: '' })).toBe(1);
    expect(oneLine()).toMatch(/No password was given/);
  });
});
