import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main/app';
import { listBackups } from '../../src/main/store/backups';
import { FolderLock } from '../../src/main/store/folder-lock';
import { catalogBySku, sharedSkuShop } from '../sync/stock-model';
import { startWorld, type World } from '../sync/world';
import { FileSecretStore } from './file-secret-store';

/**
 * Issue 13, item 1: two real processes (`createApp` + one inventory sync each, like two `art-sync sync`
 * from cron and a terminal) on one data folder, with an expired access token and one Etsy sale waiting.
 * Etsy rotates refresh tokens and revokes the grant when a used one is presented again; the simulator
 * does the same. Each token request is held back for a moment by a small proxy, so without a lock
 * across processes the second process would present the same refresh token while the first's refresh is
 * still in flight.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BUNDLE = path.join(ROOT, 'node_modules', '.cache', `art-sync-safety-child-${process.pid}.mjs`);

let world: World;
let proxy: http.Server;
let proxyUrl: string;

beforeAll(async () => {
  await build({ entryPoints: [path.join(HERE, 'sync-child.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: BUNDLE, logLevel: 'warning' });
  world = await startWorld({ shop: sharedSkuShop() });
  const first = await world.core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
  expect(first.errors).toEqual([]);
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (req.url?.startsWith('/v3/public/oauth/token')) await new Promise((r) => setTimeout(r, 1_500));
        const headers = new Headers();
        for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v);
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const answer = await fetch(`${world.sim.url}${req.url}`, { method: req.method, headers, ...(body ? { body } : {}) });
        const out: Record<string, string> = {};
        answer.headers.forEach((v, k) => {
          if (k !== 'content-length' && k !== 'content-encoding' && k !== 'transfer-encoding') out[k] = v;
        });
        res.writeHead(answer.status, out);
        res.end(Buffer.from(await answer.arrayBuffer()));
      })().catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await world?.close();
  fs.rmSync(BUNDLE, { force: true });
});

function runChild(secretsFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BUNDLE], { stdio: ['pipe', 'pipe', 'pipe'], cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(
    JSON.stringify({
      dataDir: world.dataDir,
      migrationsFolder: path.join(ROOT, 'drizzle', 'sqlite'),
      env: { ...world.env, ART_SYNC_ETSY_API_URL: proxyUrl, ART_SYNC_ETSY_AUTH_URL: proxyUrl },
      secretsFile,
    }),
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('two processes on one data folder', () => {
  it('a sync while another process syncs the folder says which process, when it runs out of waiting', async () => {
    // The parent of this test process stands in for an `art-sync daemon` mid-sync on the same folder.
    const daemon = new FolderLock({ dataDir: world.dataDir, pid: process.ppid, processLabel: 'art-sync daemon' });
    const held = await daemon.acquire('sync', 'inventory sync', { waitMs: 0 });
    const core = await createApp({ dataDir: world.dataDir, env: world.env, secrets: world.secrets, folderLockWaitMs: 300 });
    const callsBefore = world.sim.counters.total;
    try {
      await expect(core.sync({ kinds: ['inventory'], trigger: 'cli' })).rejects.toMatchObject({
        code: 'SYNC_IN_PROGRESS',
        message: expect.stringMatching(
          new RegExp(`^Another Art Sync process \\(pid ${process.ppid} on ${os.hostname()}, art-sync daemon, inventory sync\\) has been syncing this data folder since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC; try again when it has finished\\.$`),
        ) as unknown,
      });
      expect(world.sim.counters.total).toBe(callsBefore); // it never talked to Etsy
    } finally {
      held.release();
      daemon.close();
      await core.stop();
    }
  });

  it('refresh the expired token once, are never revoked, and count a sale once', async () => {
    const { sim, core } = world;
    // The keychain both processes share, holding what the in-process connect stored.
    const secretsFile = path.join(world.dataDir, 'test-keychain.json');
    const keychain = new FileSecretStore(secretsFile);
    for (const name of ['etsy.keystring', 'etsy.sharedSecret', 'etsy.refreshToken', 'etsy.accessToken'] as const) {
      await keychain.set(name, (await world.secrets.get(name))!);
    }
    sim.expireAccessTokens();
    const listing = sim.snapshot().find((l) => l.state === 'active' && l.products.some((p) => p.sku === 'FOX-1' && p.quantity > 0))!;
    const before = catalogBySku(core).get('FOX-1')!;
    sim.sell(listing.listing_id, { key: listing.products.find((p) => p.sku === 'FOX-1')!.key }, 1);
    const refreshesBefore = sim.authStats.refreshGrants;

    const [a, b] = await Promise.all([runChild(secretsFile), runChild(secretsFile)]);

    for (const outcome of [a, b]) {
      expect(outcome.stderr).toBe('');
      expect(outcome.code).toBe(0);
      expect(JSON.parse(outcome.stdout)).toEqual({ errors: [], runs: ['ok'] });
    }
    expect(sim.authStats.refreshGrants - refreshesBefore).toBe(1);
    expect(sim.authStats.refreshReuse).toBe(0);
    expect(catalogBySku(core).get('FOX-1')).toBe(before - 1);
    // The first sync of the day took the daily backup; the three later syncs found it fresh.
    expect(listBackups(world.dataDir).map((b) => b.reason)).toEqual(['daily']);
    // The token the second process used is the rotated one, stored before anyone used it.
    expect(await keychain.get('etsy.refreshToken')).not.toBe(await world.secrets.get('etsy.refreshToken'));
  }, 120_000);
});
