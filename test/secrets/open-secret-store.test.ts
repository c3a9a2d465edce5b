import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEYCHAIN_SERVICE, KeytarSecretStore, keychainNamespace, loadKeytar, type KeytarLike } from '../../src/main/secrets/keytar-secret-store';
import { openSecretStore } from '../../src/main/secrets/open-secret-store';

/** An in-memory stand-in for keytar that records which accounts were touched. */
class FakeKeytar implements KeytarLike {
  readonly entries = new Map<string, string>();
  async getPassword(service: string, account: string): Promise<string | null> {
    return this.entries.get(`${service}/${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.entries.set(`${service}/${account}`, password);
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    return this.entries.delete(`${service}/${account}`);
  }
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'art-sync-secrets-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('keychainNamespace', () => {
  it('is 16 hex digits, differs between data dirs, and follows symlinks', () => {
    const a = tempDir();
    const b = tempDir();
    const link = path.join(tempDir(), 'link');
    symlinkSync(a, link);
    expect(keychainNamespace(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(keychainNamespace(a)).not.toBe(keychainNamespace(b));
    expect(keychainNamespace(link)).toBe(keychainNamespace(a));
  });

  it('does not change when a missing data dir is created later', () => {
    const parent = tempDir();
    const dir = path.join(parent, 'not', 'yet');
    const before = keychainNamespace(dir);
    mkdirSync(dir, { recursive: true });
    expect(keychainNamespace(dir)).toBe(before);
  });
});

describe('openSecretStore', () => {
  it('uses the keychain when the probe round-trips, with accounts namespaced per data dir', async () => {
    const keytar = new FakeKeytar();
    const dirA = tempDir();
    const dirB = tempDir();
    const a = await openSecretStore({ dataDir: dirA, preferKeychain: true, loadKeytar: async () => ({ keytar }) });
    const b = await openSecretStore({ dataDir: dirB, preferKeychain: true, loadKeytar: async () => ({ keytar }) });
    expect(a.store.kind).toBe('keychain');
    expect(a.memoryReason).toBeNull();

    await a.store.set('etsy.refreshToken', 'token-for-a');
    expect(await b.store.get('etsy.refreshToken')).toBeNull();
    expect([...keytar.entries.keys()]).toEqual([`${KEYCHAIN_SERVICE}/${keychainNamespace(dirA)}:etsy.refreshToken`]);
    expect(await a.store.delete('etsy.refreshToken')).toBe(true);
    expect(keytar.entries.size).toBe(0);
  });

  it('falls back to memory with a reason when there is no Secret Service', async () => {
    const keytar = new FakeKeytar();
    keytar.setPassword = async () => {
      throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    };
    const opened = await openSecretStore({ dataDir: tempDir(), preferKeychain: true, loadKeytar: async () => ({ keytar }) });
    expect(opened.store.kind).toBe('memory');
    expect(opened.memoryReason).toMatch(/^Secrets are kept in memory for this session because no system keychain is available \(Cannot autolaunch D-Bus/);
  });

  it('falls back to memory when keytar cannot be loaded, or the keychain is turned off', async () => {
    const missing = await openSecretStore({
      dataDir: tempDir(),
      preferKeychain: true,
      loadKeytar: async () => ({ error: 'keytar could not be loaded (module not found)' }),
    });
    expect(missing.store.kind).toBe('memory');
    expect(missing.memoryReason).toContain('keytar could not be loaded');
    const off = await openSecretStore({ dataDir: tempDir(), preferKeychain: false });
    expect(off.store.kind).toBe('memory');
    expect(off.memoryReason).toContain('turned off');
  });

  it('falls back to memory when the keychain never answers (e.g. an unlock prompt nobody can see)', async () => {
    const keytar = new FakeKeytar();
    keytar.setPassword = () => new Promise<void>(() => undefined);
    const opened = await openSecretStore({
      dataDir: tempDir(),
      preferKeychain: true,
      loadKeytar: async () => ({ keytar }),
      probeTimeoutMs: 20,
    });
    expect(opened.store.kind).toBe('memory');
    expect(opened.memoryReason).toContain('did not answer');
  });
});

/** What Node's require throws when a package is not in node_modules (npm ci skipped the optional keytar). */
function moduleNotFound(id: string): Error {
  const error = new Error(`Cannot find module '${id}'\nRequire stack:\n- /app/src/main/secrets/keytar-secret-store.ts`) as Error & { code: string };
  error.code = 'MODULE_NOT_FOUND';
  return error;
}

describe('loadKeytar', () => {
  it('says in one sentence that keytar is not installed when npm ci skipped it (no libsecret)', async () => {
    const loaded = await loadKeytar((id) => {
      throw moduleNotFound(id);
    });
    expect(loaded).toEqual({ error: expect.stringContaining('keytar is not installed') });
    const opened = await openSecretStore({ dataDir: tempDir(), preferKeychain: true, loadKeytar: () => Promise.resolve(loaded) });
    expect(opened.store.kind).toBe('memory');
    const reason = opened.memoryReason ?? '';
    expect(reason).toMatch(/^Secrets are kept in memory for this session because the keychain module keytar is not installed \(.*libsecret.*\); you will need to connect Etsy again after Art Sync quits\.$/);
    // One sentence: no require stack, no paths, no line breaks.
    expect(reason).not.toMatch(/\n|Require stack|\/app\//);
  });

  it('keeps the loader’s own words when keytar is there but cannot load (e.g. its native part)', async () => {
    const loaded = await loadKeytar(() => {
      throw moduleNotFound('bindings');
    });
    expect(loaded).toEqual({ error: "keytar could not be loaded (Cannot find module 'bindings' Require stack: - /app/src/main/secrets/keytar-secret-store.ts)" });
    const odd = await loadKeytar(() => ({ something: 'else' }));
    expect(odd).toEqual({ error: 'the keytar module has an unexpected shape' });
  });

  it('loads keytar through the given require (CommonJS module or default export)', async () => {
    const keytar = new FakeKeytar();
    const seen: string[] = [];
    expect(await loadKeytar((id) => (seen.push(id), keytar))).toEqual({ keytar });
    expect(await loadKeytar(() => ({ default: keytar }))).toEqual({ keytar });
    expect(seen).toEqual(['keytar']);
  });
});

describe('KeytarSecretStore errors', () => {
  it('re-wraps keytar failures as KEYCHAIN_UNAVAILABLE without the value or the original error', async () => {
    const keytar = new FakeKeytar();
    keytar.setPassword = async (_s, _a, password) => {
      throw new Error(`libsecret failed storing ${password}`);
    };
    const store = new KeytarSecretStore(keytar, 'ns');
    const error = await store.set('etsy.refreshToken', 'super-secret-refresh').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    expect((error as Error).message).not.toContain('super-secret-refresh');
    expect((error as Error).cause).toBeUndefined();
  });
});
