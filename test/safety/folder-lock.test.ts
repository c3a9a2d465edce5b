import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeThisProcess, FolderLock, type FolderLockOptions } from '../../src/main/store/folder-lock';

describe('FolderLock', () => {
  let dir: string;
  const locks: FolderLock[] = [];
  const lock = (options: Partial<FolderLockOptions>): FolderLock => {
    const made = new FolderLock({ dataDir: dir, host: 'studio', pollMs: 5, ...options });
    locks.push(made);
    return made;
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-lock-'));
  });
  afterEach(() => {
    for (const l of locks.splice(0)) l.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes a second process wait, then names the holder in one sentence', async () => {
    const alive = new Set([100, 200]);
    const daemon = lock({ pid: 100, processLabel: 'art-sync daemon', isAlive: (pid) => alive.has(pid), now: () => Date.UTC(2026, 11, 2, 17, 20, 3) });
    const cron = lock({ pid: 200, processLabel: 'art-sync sync', isAlive: (pid) => alive.has(pid), now: () => Date.UTC(2026, 11, 2, 17, 20, 9) });
    const held = await daemon.acquire('sync', 'inventory sync', { waitMs: 0 });
    await expect(cron.acquire('sync', 'inventory sync', { waitMs: 0 })).rejects.toMatchObject({
      code: 'SYNC_IN_PROGRESS',
      message:
        'Another Art Sync process (pid 100 on studio, art-sync daemon, inventory sync) has been syncing this data folder since 2026-12-02 17:20:03 UTC; try again when it has finished.',
    });
    expect(cron.holder('sync')).toMatchObject({ pid: 100, host: 'studio', purpose: 'art-sync daemon, inventory sync' });
    // The other lease is independent: a token refresh is not blocked by a sync.
    (await cron.acquire('etsy-token', 'renewing the Etsy sign-in', { waitMs: 0 })).release();
    held.release();
    const mine = await cron.acquire('sync', 'inventory sync', { waitMs: 0 });
    expect(cron.holder('sync')?.pid).toBe(200);
    mine.release();
    expect(cron.holder('sync')).toBeNull();
  });

  it('waits for the holder to finish when the wait is long enough', async () => {
    const a = lock({ pid: 1, isAlive: () => true });
    const b = lock({ pid: 2, isAlive: () => true });
    const held = await a.acquire('sync', 'products sync', { waitMs: 0 });
    const waiting = b.acquire('sync', 'products sync', { waitMs: 60_000 });
    setTimeout(() => held.release(), 30);
    const got = await waiting;
    expect(b.holder('sync')?.pid).toBe(2);
    got.release();
  });

  it('takes over from a holder whose process is gone on this host', async () => {
    const alive = new Set([1, 2]);
    const a = lock({ pid: 1, isAlive: (pid) => alive.has(pid) });
    const b = lock({ pid: 2, isAlive: (pid) => alive.has(pid) });
    await a.acquire('sync', 'inventory sync', { waitMs: 0 });
    alive.delete(1); // kill -9
    const got = await b.acquire('sync', 'inventory sync', { waitMs: 0 });
    expect(b.holder('sync')?.pid).toBe(2);
    got.release();
  });

  it('takes over from a holder on another host whose heartbeat stopped', async () => {
    let now = 1_000_000;
    const other = lock({ pid: 1, host: 'laptop', now: () => now, isAlive: () => true });
    const here = lock({ pid: 1, host: 'studio', now: () => now, isAlive: () => true, staleAfterMs: 60_000 });
    const held = await other.acquire('sync', 'inventory sync', { waitMs: 0 });
    await expect(here.acquire('sync', 'inventory sync', { waitMs: 0 })).rejects.toMatchObject({ code: 'SYNC_IN_PROGRESS' });
    now += 61_000;
    const got = await here.acquire('sync', 'inventory sync', { waitMs: 0 });
    expect(held.stillHeld()).toBe(true); // it learns at its next heartbeat
    got.release();
  });

  it('queues callers in one process instead of failing them', async () => {
    const a = lock({ isAlive: () => true });
    const order: string[] = [];
    const slow = a.withLease('sync', 'first', { waitMs: 0 }, async () => {
      await new Promise((r) => setTimeout(r, 20));
      order.push('first');
    });
    const second = a.withLease('sync', 'second', { waitMs: 0 }, async () => {
      order.push('second');
    });
    await Promise.all([slow, second]);
    expect(order).toEqual(['first', 'second']);
  });

  it('names this process from its command line', () => {
    expect(describeThisProcess(['node', 'bin/art-sync.js', '--data-dir', 'x', 'daemon'], process.versions)).toBe('art-sync daemon');
    expect(describeThisProcess(['node', 'bin/art-sync.js', 'sync', '--data-dir', 'x'], process.versions)).toBe('art-sync sync');
    expect(describeThisProcess(['electron', 'main.js'], { ...process.versions, electron: '33.0.0' })).toBe('the Art Sync app');
  });
});
