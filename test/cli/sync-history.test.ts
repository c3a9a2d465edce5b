import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli';
import type { InterruptSignal, InterruptSource } from '../../src/main/cli/interrupts';
import type { CliTerminal } from '../../src/main/cli/terminal';
import { demoShop, startEtsySimulator, type EtsySimulator } from '../../sim';
import { MemorySecretStore } from '../../src/main/secrets/memory-secret-store';
import { freePort } from '../sync/world';

// In-process runs of connect, sync, history, config and daemon against the simulator. One
// MemorySecretStore is shared by every runCli call, standing in for the OS keychain between commands.

interface Result {
  code: number;
  out: string;
  err: string;
}

const notATerminal: CliTerminal = {
  interactive: false,
  stderrIsTTY: false,
  prompt: () => Promise.reject(new Error('no prompt expected')),
  readAll: () => Promise.reject(new Error('no input expected')),
};

function fakeInterrupts(): InterruptSource & { fire(signal?: InterruptSignal): void; listening(): number } {
  const listeners = new Set<(signal: InterruptSignal) => void>();
  return {
    listen(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    fire(signal = 'SIGINT') {
      for (const listener of [...listeners]) listener(signal);
    },
    listening: () => listeners.size,
  };
}

describe('art-sync sync / history / config / daemon (in-process, simulator)', () => {
  let dir: string;
  let sim: EtsySimulator;
  let secrets: MemorySecretStore;
  let interrupts: ReturnType<typeof fakeInterrupts>;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-cli-sync-'));
    sim = await startEtsySimulator({ shop: demoShop(), acceptAnyLoopbackRedirect: true, strict: false });
    secrets = new MemorySecretStore();
    interrupts = fakeInterrupts();
    openUrl = () => {
      throw new Error('the browser must not be opened with --no-browser');
    };
    env = { ART_SYNC_ETSY_API_URL: sim.url, ART_SYNC_ETSY_AUTH_URL: sim.url, ART_SYNC_NO_KEYCHAIN: '1' };
  });
  afterEach(async () => {
    await sim.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one command; `onStdout` sees each chunk as it is written (to act on the authorize address). */
  let openUrl: (url: string) => void = () => {
    throw new Error('the browser must not be opened with --no-browser');
  };

  async function cli(args: string[], onStdout?: (text: string) => void): Promise<Result> {
    let out = '';
    let err = '';
    const code = await runCli(['--data-dir', dir, ...args], {
      env,
      secrets,
      interrupts,
      terminal: notATerminal,
      openUrl: (url) => openUrl(url),
      io: {
        stdout: (text) => {
          out += text;
          onStdout?.(text);
        },
        stderr: (text) => {
          err += text;
        },
      },
    });
    return { code, out, err };
  }

  async function connect(): Promise<void> {
    const redirect = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
    const result = await cli(
      ['connect', '--no-browser', '--redirect-uri', redirect, '--keystring', sim.keystring, '--shared-secret', sim.sharedSecret],
      (text) => {
        if (text.startsWith(sim.url)) void fetch(text.trim()).catch(() => undefined);
      },
    );
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/\nConnected to HeronPrintsStudio \(shop \d+\)\.\n$/);
  }

  function json<T = unknown>(result: Result): T {
    expect(result.code, result.err).toBe(0);
    return JSON.parse(result.out) as T;
  }

  it('connect without --no-browser opens the browser and prints the address as well', async () => {
    const opened: string[] = [];
    openUrl = (url) => {
      opened.push(url);
      void fetch(url).catch(() => undefined);
    };
    const redirect = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
    const result = await cli(['connect', '--redirect-uri', redirect, '--json', '--keystring', sim.keystring, '--shared-secret', sim.sharedSecret]);
    expect(result.code, result.err).toBe(0);
    expect(opened).toHaveLength(1);
    expect(opened[0]!.startsWith(`${sim.url}/oauth/connect?`)).toBe(true);
    // With --json the address goes to stderr, so stdout is exactly the result.
    expect(result.err).toContain(`Opening your browser to connect Etsy. If it does not open, open this address yourself:\n${opened[0]}\n`);
    expect(JSON.parse(result.out)).toEqual({ connected: true, shop: { id: sim.shop.shop_id, name: sim.shop.shop_name } });
    expect(result.out + result.err).not.toContain(sim.sharedSecret);
  });

  it('sync needs a connection and says so in one line', async () => {
    const result = await cli(['sync', '--json']);
    expect(result.code).toBe(1);
    expect(result.err).toBe('art-sync: Etsy is not connected.\n');
    expect(JSON.parse(result.out)).toMatchObject({ error: { code: 'NOT_CONNECTED' } });
  });

  it('dry run prints the whole plan and writes nothing; a real run applies it; a sale is explained; history lists it', async () => {
    await connect();
    const writesBefore = sim.counters.writes;

    const dry = json<{ runId: unknown; dryRun: boolean; changes: Record<string, unknown>[]; errors: unknown[]; runs: { kind: string }[]; attention: unknown[] }>(
      await cli(['sync', '--dry-run', '--json']),
    );
    expect(dry.dryRun).toBe(true);
    expect(dry.runId).toBeNull();
    expect(dry.errors).toEqual([]);
    expect(dry.runs.map((run) => run.kind)).toEqual(['products', 'inventory']);
    expect(dry.changes.length).toBeGreaterThan(0);
    for (const change of dry.changes) {
      expect(Object.keys(change)).toEqual(
        expect.arrayContaining(['sku', 'listingId', 'side', 'before', 'after', 'reason', 'explanation', 'status']),
      );
      expect(change.status).toBe('planned');
      expect(['etsy', 'catalog']).toContain(change.side);
    }
    expect(dry.attention.length).toBeGreaterThan(0); // the demo shop has listings without SKU
    expect(sim.counters.writes).toBe(writesBefore);
    expect(json(await cli(['history', '--json']))).toEqual([]);
    expect(json(await cli(['catalog', 'list', '--json']))).toEqual([]);

    const human = await cli(['sync', '--dry-run']);
    expect(human.code).toBe(0);
    const lines = human.out.split('\n');
    expect(lines[0]).toBe('Dry run — nothing was written.');
    expect(human.out).toMatch(/^ {2}\S+ +- +catalog +First sync, taken from Etsy: new → \d+$/m);
    expect(human.out).toMatch(/^Needs attention \(\d+\):\n {2}- .*has no SKU on Etsy.* → /m);
    expect(human.err).toBe('');

    const real = await cli(['sync']);
    expect(real.code, real.err).toBe(0);
    expect(real.out).toMatch(/^Done: \d+ changes applied\.$/m);
    const catalog = json<{ sku: string; quantity: number }[]>(await cli(['catalog', 'list', '--json']));
    expect(catalog.length).toBeGreaterThan(0);

    // A sale on Etsy: the next inventory sync takes it off the catalog and says why.
    const listing = sim.snapshot().find((l) => l.state === 'active' && l.products.some((p) => p.sku !== '' && p.quantity >= 2))!;
    const product = listing.products.find((p) => p.sku !== '' && p.quantity >= 2)!;
    const sale = sim.sell(listing.listing_id, { sku: product.sku }, 1);
    const after = json<{ runId: number; dryRun: boolean; changes: { sku: string; side: string; before: number; after: number; reason: string; explanation: string; status: string }[] }>(
      await cli(['sync', '--inventory', '--json']),
    );
    expect(after.dryRun).toBe(false);
    expect(after.runId).toBeGreaterThan(0);
    const sold = after.changes.find((c) => c.sku === product.sku && c.side === 'catalog');
    expect(sold).toMatchObject({ reason: 'sold_on_etsy', status: 'applied', after: (sold?.before ?? 0) - 1 });
    expect(sold?.explanation).toContain(`receipt ${sale.receipt_id}`);

    // History: newest first, the docs/PRODUCT.md shape, filter by SKU, limit.
    const history = json<{ at: string; runId: number; sku: string; listingId: number | null; side: string; before: unknown; after: unknown; reason: string; explanation: string }[]>(
      await cli(['history', '--json', '--limit', '10000']),
    );
    expect(history.length).toBeGreaterThan(1);
    expect(history[0]).toMatchObject({ runId: after.runId, sku: product.sku, reason: 'sold_on_etsy' });
    expect(new Date(history[0]!.at).toISOString()).toBe(history[0]!.at);
    const times = history.map((row) => Date.parse(row.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const runIds = history.map((row) => row.runId);
    expect([...runIds].sort((a, b) => b - a)).toEqual(runIds);

    const onlySku = json<{ sku: string }[]>(await cli(['history', '--json', '--sku', product.sku]));
    expect(onlySku.length).toBeGreaterThan(0);
    expect(onlySku.every((row) => row.sku === product.sku)).toBe(true);
    expect(onlySku.length).toBe(history.filter((row) => row.sku === product.sku).length);
    expect(json<unknown[]>(await cli(['history', '--json', '--limit', '1']))).toEqual([history[0]]);

    const text = await cli(['history', '--limit', '3']);
    expect(text.out.trimEnd().split('\n')).toHaveLength(3);
    expect(text.out.split('\n')[0]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  ${product.sku} +- +catalog +Sold 1 on Etsy \\(receipt ${sale.receipt_id}\\)`));

    for (const bad of ['0', '10001', '-1', 'x', '1.5']) {
      const refused = await cli(['history', '--limit', bad]);
      expect(refused.code, bad).toBe(1);
      expect(refused.err, bad).toMatch(/^art-sync: --limit .* is not valid: use a whole number from 1 to 10000\.\n$|^art-sync: .*\n$/);
    }
    expect((await cli(['history', '--sku', 'NO-SUCH-SKU'])).out).toBe('No changes recorded for SKU "NO-SUCH-SKU".\n');
  }, 60_000);

  it('exits non-zero and names the item when Etsy refuses a write', async () => {
    await connect();
    expect((await cli(['sync'])).code).toBe(0);
    const listing = sim.snapshot().find((l) => l.state === 'active' && l.products.some((p) => p.sku !== '' && p.quantity >= 2))!;
    const product = listing.products.find((p) => p.sku !== '' && p.quantity >= 2)!;
    expect((await cli(['catalog', 'set-stock', product.sku, String(product.quantity + 3)])).code).toBe(0);
    sim.failNext(5, { status: 400, operationId: 'updateListingInventory' });
    const result = await cli(['sync', '--inventory', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.out) as { errors: { sku?: string; listingId?: number; code: string; message: string }[] };
    expect(report.errors.length).toBeGreaterThan(0);
    expect(report.errors[0]).toMatchObject({ listingId: listing.listing_id, code: expect.any(String), message: expect.any(String) });

    sim.failNext(5, { status: 400, operationId: 'updateListingInventory' });
    expect((await cli(['catalog', 'set-stock', product.sku, String(product.quantity + 4)])).code).toBe(0);
    const human = await cli(['sync', '--inventory']);
    expect(human.code).toBe(1);
    expect(human.err).toMatch(new RegExp(`^art-sync: listing ${listing.listing_id}: .+\\n`, 'm'));
  }, 60_000);

  it('config set validates, get and list show the stored value, unknown keys are listed', async () => {
    const setOk = await cli(['config', 'set', 'inventorySyncIntervalMinutes', '30']);
    expect(setOk).toEqual({ code: 0, out: 'inventorySyncIntervalMinutes: 60 → 30.\n', err: '' });
    expect(json(await cli(['config', 'get', 'inventorySyncIntervalMinutes', '--json']))).toEqual({
      key: 'inventorySyncIntervalMinutes',
      value: 30,
      default: 60,
    });
    expect((await cli(['config', 'get', 'pushPrices'])).out).toBe('false\n');
    expect((await cli(['config', 'set', 'pushPrices', 'yes'])).out).toBe('pushPrices: false → true.\n');
    expect((await cli(['config', 'set', 'pushPrices', 'on'])).out).toBe('pushPrices was already true.\n');

    for (const [key, value, message] of [
      ['inventorySyncIntervalMinutes', '4', 'inventorySyncIntervalMinutes must be at least 5 minutes (got "4").'],
      ['inventorySyncIntervalMinutes', '7.5', 'inventorySyncIntervalMinutes must be a whole number of minutes (got "7.5").'],
      ['buffer', '-1', 'buffer cannot be negative (got "-1").'],
      ['pushPrices', 'maybe', 'pushPrices must be true or false, not "maybe".'],
      ['firstSyncSource', 'server', expect.stringMatching(/^firstSyncSource .* \(got "server"\)\.$/)],
    ] as const) {
      const result = await cli(['config', 'set', key, value, '--json']);
      expect(result.code, `${key}=${value}`).toBe(1);
      expect(JSON.parse(result.out)).toEqual({ error: { code: 'INVALID_INPUT', message } });
      expect(result.err.split('\n')).toHaveLength(2);
    }
    const unknown = await cli(['config', 'get', 'colour']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^art-sync: There is no setting called "colour"\. Valid settings: productSyncIntervalMinutes, .*buffer, .*\.\n$/);

    const list = json<Record<string, unknown>>(await cli(['config', 'list', '--json']));
    expect(list).toMatchObject({ inventorySyncIntervalMinutes: 30, pushPrices: true, buffer: 0, productSyncIntervalMinutes: 120 });
    const text = await cli(['config', 'list']);
    expect(text.out).toMatch(/^\* inventorySyncIntervalMinutes +30$/m);
    expect(text.out).toMatch(/^ {2}buffer +0$/m);
  });

  it('daemon runs the schedule, prints one line per finished run and stops cleanly on SIGTERM', async () => {
    await connect();
    // Scheduled inventory runs wait until the first run has been previewed (docs/SYNC.md).
    expect((await cli(['sync', '--dry-run'])).code).toBe(0);
    let out = '';
    let sawRuns: () => void = () => undefined;
    const runsDone = new Promise<void>((resolve) => {
      sawRuns = resolve;
    });
    const daemon = cli(['daemon'], (text) => {
      out += text;
      if (/products sync done/.test(out) && /inventory sync done/.test(out)) sawRuns();
    });
    // Jobs that never ran start after the scheduler's first-run delay (10 s).
    await runsDone;
    expect(interrupts.listening()).toBe(1);
    interrupts.fire('SIGTERM');
    const result = await daemon;
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^Art Sync is running: product sync every 120 min, inventory sync every 60 min\. Ctrl\+C stops it\.$/m);
    expect(result.out).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}products sync done — \d+ listings read.* \(run \d+\)\.$/m);
    expect(result.out).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}inventory sync done — \d+ changes \(run \d+\)\.$/m);
    expect(result.out).toMatch(/Stopping \(waiting for the sync in flight to end\)…\nStopped\.\n$/);
    expect(interrupts.listening()).toBe(0);
    const status = json<{ jobs: { name: string; lastResult: string }[] }>(await cli(['status', '--json']));
    expect(status.jobs.map((job) => [job.name, job.lastResult])).toEqual([
      ['products', 'ok'],
      ['inventory', 'ok'],
    ]);
  }, 60_000);

  it('daemon refuses to start without the Etsy keys', async () => {
    const result = await cli(['daemon']);
    expect(result.code).toBe(1);
    expect(result.err).toBe('art-sync: Etsy is not connected: run "art-sync connect" first, or "art-sync daemon --connect".\n');
  });
});
