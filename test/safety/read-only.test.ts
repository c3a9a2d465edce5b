import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors';
import { createCatalogRepo } from '../../src/main/store/catalog-repo';
import { openStore } from '../../src/main/store/open-store';
import { asStorageError } from '../../src/main/store/storage-errors';

/**
 * Issue 13, item 4: a write to a read-only data folder or a full disk fails with one clear sentence and
 * leaves the previous state intact. The read-only case runs the real `art-sync` executable; as root
 * (CI containers) file modes do not stop writes, so the command then runs as the unprivileged `nobody`.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fox = { sku: 'FOX', title: 'Fox print', quantity: 3, priceAmount: 1250, currency: 'USD' };
const asRoot = process.getuid?.() === 0;

function runArtSync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'art-sync.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), ART_SYNC_NO_KEYCHAIN: '1' },
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('a data folder Art Sync cannot write to', () => {
  let parent: string;
  let dir: string;
  beforeEach(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-readonly-'));
    fs.chmodSync(parent, 0o755);
    dir = path.join(parent, 'data');
  });
  afterEach(() => {
    if (fs.existsSync(dir)) fs.chmodSync(dir, 0o755);
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('a read-only folder: one clear sentence, nothing lost', async () => {
    const store = openStore({ dataDir: dir });
    createCatalogRepo(store.db).upsertMany([fox]);
    store.close();
    for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), 0o444);
    fs.chmodSync(dir, 0o555);
    const before = fs.readFileSync(path.join(dir, 'art-sync.db'));

    const result = await runArtSync(['catalog', 'set-stock', 'FOX', '5', '--data-dir', dir]);
    expect(result.stderr).toBe(
      `art-sync: Art Sync cannot write to its data folder ${dir} (it is read-only or not yours); nothing was changed, and the last saved state is intact.\n`,
    );
    expect(result.code).toBe(1);

    expect(fs.readFileSync(path.join(dir, 'art-sync.db')).equals(before)).toBe(true);
    fs.chmodSync(dir, 0o755);
    for (const name of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, name), 0o644);
    const again = openStore({ dataDir: dir });
    try {
      expect(createCatalogRepo(again.db).list().map((v) => [v.sku, v.quantity])).toEqual([['FOX', 3]]);
    } finally {
      again.close();
    }
  }, 60_000);

  it('a full disk: the write is refused whole, in one sentence, and the previous state stays', () => {
    const store = openStore({ dataDir: dir });
    try {
      const catalog = createCatalogRepo(store.db);
      catalog.upsertMany([fox]);
      // SQLite's own page cap stands in for a full disk: the same SQLITE_FULL a full disk gives.
      const pages = Number(store.sqlite.pragma('page_count', { simple: true }));
      store.sqlite.pragma(`max_page_count = ${pages}`);
      const many = Array.from({ length: 2000 }, (_, i) => ({ ...fox, sku: `SKU-${i}`, title: `A long title for print number ${i} `.repeat(4) }));
      let caught: unknown;
      try {
        catalog.upsertMany(many);
      } catch (error) {
        caught = asStorageError(error, dir);
      }
      expect(isAppError(caught) && caught.message).toBe(
        `The disk holding Art Sync's data folder ${dir} is full; nothing was changed, and the last saved state is intact.`,
      );
      expect(catalog.list().map((v) => v.sku)).toEqual(['FOX']);
    } finally {
      store.close();
    }
  });
});
