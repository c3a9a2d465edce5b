import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli';
import { backupDatabase, backupStatus, dailyBackupIfDue, listBackups } from '../../src/main/store/backups';
import { createCatalogRepo } from '../../src/main/store/catalog-repo';
import { FolderLock } from '../../src/main/store/folder-lock';
import { openStore } from '../../src/main/store/open-store';

/**
 * Issue 13, item 3: a damaged database (pages overwritten) is quarantined, never deleted; the newest
 * good backup comes back; the shop owner is told what and from when; the mirror is marked for a
 * rebuild. Plus the backups themselves: daily, before a migration, and the backup/restore commands.
 */
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const fox = { sku: 'FOX', title: 'Fox print', quantity: 3, priceAmount: 1250, currency: 'USD' };
const owl = { sku: 'OWL', title: 'Owl print', quantity: 1, priceAmount: 900, currency: 'USD' };
const T0 = Date.UTC(2026, 11, 1, 3, 0, 0);

describe('a damaged database', () => {
  let dir: string;
  let out: string;
  let err: string;
  const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-damaged-'));
    out = '';
    err = '';
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A data folder with FOX backed up at T0 and OWL added after the backup; then pages overwritten. */
  async function damagedFolder(options: { withBackup: boolean; page: number }): Promise<Buffer> {
    const store = openStore({ dataDir: dir });
    const catalog = createCatalogRepo(store.db);
    catalog.upsertMany([fox]);
    store.sqlite.prepare(`INSERT INTO sync_state (key, value, updated_at) VALUES ('products.lastFullAt', '1', 1), ('products.updatedWatermarkTs', '5', 1), ('receipts.lastModifiedWatermarkTs', ?, 1)`).run(String(T0 / 1000 + 3600));
    if (options.withBackup) await backupDatabase(store.sqlite, dir, 'daily', T0);
    catalog.upsertMany([owl]);
    store.close(); // the last close checkpoints the WAL into the file
    const file = path.join(dir, 'art-sync.db');
    const bytes = fs.readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    // Overwrite whole pages with garbage, as a bad disk sector or a stray write would.
    for (const page of [options.page, options.page + 1, options.page + 2]) bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize);
    fs.writeFileSync(file, bytes);
    return bytes;
  }

  it('is quarantined, the newest good backup restored, and the shop owner told (CLI)', async () => {
    const damaged = await damagedFolder({ withBackup: true, page: 2 });
    expect(await runCli(['catalog', 'list', '--json', '--data-dir', dir], { io, env: {} })).toBe(0);
    expect(err).toMatch(/^art-sync: Art Sync's database was damaged, so it was moved to .*quarantine.*art-sync-\d{8}-\d{9}-damaged\.db and the backup from 2026-12-01 03:00 UTC was restored; the next sync reads your Etsy shop again, including the sales since then\.\n$/);
    expect(JSON.parse(out).map((v: { sku: string }) => v.sku)).toEqual(['FOX']);

    // Never deleted: the damaged bytes are kept, byte for byte.
    const quarantined = fs.readdirSync(path.join(dir, 'quarantine'));
    expect(quarantined).toHaveLength(1);
    expect(fs.readFileSync(path.join(dir, 'quarantine', quarantined[0]!)).equals(damaged)).toBe(true);

    // `art-sync status` says it too (and so does the window's status: the same model).
    out = '';
    expect(await runCli(['status', '--data-dir', dir], { io, env: {} })).toBe(0);
    expect(out).toMatch(/^Backups: 1, .* in all, newest .*\.$/m);
    expect(out).toMatch(/^Art Sync's database was damaged, so it was moved to .* and the backup from 2026-12-01 03:00 UTC was restored;/m);

    // Status can say it; the mirror is rebuilt from Etsy and receipts re-read from the backup's time.
    const status = backupStatus(dir);
    expect(status.lastRestore).toMatchObject({ reason: 'damaged', backupTakenAt: T0 });
    expect(status.count).toBe(1);
    const store = openStore({ dataDir: dir });
    try {
      const state = Object.fromEntries((store.sqlite.prepare('SELECT key, value FROM sync_state').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
      expect(state['products.lastFullAt']).toBeUndefined();
      expect(state['products.updatedWatermarkTs']).toBeUndefined();
      expect(state['receipts.lastModifiedWatermarkTs']).toBe(String(T0 / 1000));
      expect(store.recovered).toBeNull(); // told once, at the open that restored it
      expect((store.sqlite.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check).toBe('ok');
    } finally {
      store.close();
    }
  });

  it('with its first page overwritten is found damaged too, not "not an Art Sync database"', async () => {
    await damagedFolder({ withBackup: true, page: 1 });
    const store = openStore({ dataDir: dir });
    try {
      expect(store.recovered?.reason).toBe('damaged');
      expect(createCatalogRepo(store.db).list().map((v) => v.sku)).toEqual(['FOX']);
    } finally {
      store.close();
    }
  });

  it('without a backup says so in one sentence and leaves the file where it is', async () => {
    const damaged = await damagedFolder({ withBackup: false, page: 2 });
    expect(await runCli(['status', '--data-dir', dir], { io, env: {} })).toBe(1);
    expect(err).toMatch(/^art-sync: Art Sync's database .*art-sync\.db is damaged \(.*\) and there is no backup to restore it from; it was left where it is\.\n$/);
    expect(fs.readFileSync(path.join(dir, 'art-sync.db')).equals(damaged)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'quarantine'))).toBe(false);
  });

  it('skips a damaged backup and restores the newest good one', async () => {
    await damagedFolder({ withBackup: true, page: 2 });
    const [good] = listBackups(dir);
    const newer = path.join(dir, 'backups', 'art-sync-20261201-120000000-daily.db');
    fs.writeFileSync(newer, Buffer.alloc(8192, 0x33));
    const store = openStore({ dataDir: dir });
    try {
      expect(store.recovered?.restoredFrom).toBe(good!.path);
    } finally {
      store.close();
    }
  });
});

describe('backups', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-backups-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a daily backup when the newest is over a day old and keeps seven', async () => {
    const store = openStore({ dataDir: dir });
    try {
      expect(await dailyBackupIfDue(store.sqlite, dir, T0)).not.toBeNull();
      expect(await dailyBackupIfDue(store.sqlite, dir, T0 + 23 * 3600_000)).toBeNull();
      for (let day = 1; day <= 9; day++) expect(await dailyBackupIfDue(store.sqlite, dir, T0 + day * 25 * 3600_000)).not.toBeNull();
      const backups = listBackups(dir);
      expect(backups).toHaveLength(7);
      expect(backups[0]!.takenAt).toBe(T0 + 9 * 25 * 3600_000);
      const status = backupStatus(dir);
      expect(status).toMatchObject({ count: 7, newestAt: T0 + 9 * 25 * 3600_000, lastRestore: null });
      expect(status.totalBytes).toBeGreaterThan(0);
    } finally {
      store.close();
    }
  });

  it('snapshots the database before a migration, at the schema it had', () => {
    // A folder written by a build that knew only the first migration.
    const old = path.join(dir, 'old-migrations');
    fs.cpSync(path.join(ROOT, 'drizzle', 'sqlite'), old, { recursive: true });
    const journal = JSON.parse(fs.readFileSync(path.join(old, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
    journal.entries = journal.entries.slice(0, 1);
    fs.writeFileSync(path.join(old, 'meta', '_journal.json'), JSON.stringify(journal));
    const data = path.join(dir, 'data');
    openStore({ dataDir: data, migrationsFolder: old }).close();
    expect(listBackups(data)).toEqual([]); // a brand-new database has nothing to keep

    openStore({ dataDir: data, now: () => T0 }).close();
    const [backup] = listBackups(data);
    expect(backup).toMatchObject({ reason: 'pre-migration', takenAt: T0 });
    const copy = new Database(backup!.path, { readonly: true });
    try {
      expect((copy.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n).toBe(1);
    } finally {
      copy.close();
    }
  });

  it('art-sync backup and art-sync restore bring back an earlier state and keep the replaced one', async () => {
    let out = '';
    let err = '';
    const io = { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t) };
    const store = openStore({ dataDir: dir });
    createCatalogRepo(store.db).upsertMany([fox]);
    store.close();
    const mine = path.join(dir, 'my-copy.db');
    expect(await runCli(['backup', mine, '--data-dir', dir], { io, env: {} })).toBe(0);
    expect(out).toBe(`Backed up the database to ${mine}.\n`);
    const after = openStore({ dataDir: dir });
    createCatalogRepo(after.db).upsertMany([owl]);
    after.close();

    // Refused while another process has the folder open.
    const other = new FolderLock({ dataDir: dir, pid: process.ppid, processLabel: 'art-sync daemon' });
    const registration = other.registerOpen('using the data folder');
    out = '';
    err = '';
    expect(await runCli(['restore', mine, '--data-dir', dir], { io, env: {} })).toBe(1);
    expect(err).toBe(`art-sync: Quit art-sync daemon (pid ${process.ppid} on ${os.hostname()}) before restoring a backup; it is using this data folder.\n`);
    registration.release();
    other.close();

    out = '';
    err = '';
    expect(await runCli(['restore', mine, '--data-dir', dir], { io, env: {} }), err).toBe(0);
    expect(out).toMatch(/^Restored .*my-copy\.db; the database it replaced was moved to .*quarantine.*-replaced\.db; the next sync reads your Etsy shop again, including the sales since then\.\n$/);
    const restored = openStore({ dataDir: dir });
    try {
      expect(createCatalogRepo(restored.db).list().map((v) => [v.sku, v.quantity])).toEqual([['FOX', 3]]);
    } finally {
      restored.close();
    }
    const replaced = fs.readdirSync(path.join(dir, 'quarantine')).find((n) => n.endsWith('-replaced.db'))!;
    const kept = new Database(path.join(dir, 'quarantine', replaced), { readonly: true });
    try {
      expect(kept.prepare('SELECT sku FROM catalog_variants ORDER BY sku').all()).toEqual([{ sku: 'FOX' }, { sku: 'OWL' }]);
    } finally {
      kept.close();
    }

    // Without FILE: the newest good backup in the folder.
    out = '';
    expect(await runCli(['backup', '--data-dir', dir], { io, env: {} })).toBe(0);
    expect(out).toMatch(/^Backed up the database to .*backups.*-manual\.db\.\n$/);
    out = '';
    expect(await runCli(['restore', '--data-dir', dir], { io, env: {} })).toBe(0);
    expect(out).toMatch(/^Restored the backup from \d{4}-\d\d-\d\d \d\d:\d\d UTC; the database it replaced/);
  });

  it('refuses to restore a file that is not an Art Sync database, changing nothing', async () => {
    let err = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (err += t) };
    openStore({ dataDir: dir }).close();
    const before = fs.readFileSync(path.join(dir, 'art-sync.db'));
    const stranger = path.join(dir, 'other.db');
    new Database(stranger).exec('CREATE TABLE notes (x)');
    expect(await runCli(['restore', stranger, '--data-dir', dir], { io, env: {} })).toBe(1);
    expect(err).toBe(`art-sync: The file ${stranger} is not an Art Sync database; nothing was restored.\n`);
    expect(fs.readFileSync(path.join(dir, 'art-sync.db')).equals(before)).toBe(true);
  });
});
