import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli';

/** `art-sync catalog sell` and `art-sync undo`, in-process on a catalog without Etsy (both are offline). */
describe('art-sync catalog sell / undo', () => {
  let dir: string;
  let out: string;
  let err: string;
  const io = { stdout: (text: string) => void (out += text), stderr: (text: string) => void (err += text) };
  const sample = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/sample.csv');

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-sell-'));
    expect(await cli('catalog', 'import', sample)).toBe(0);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cli(...args: string[]): Promise<number> {
    out = '';
    err = '';
    return runCli(['--data-dir', dir, ...args], { io, env: {} });
  }

  async function stock(sku: string): Promise<number> {
    expect(await cli('catalog', 'list', '--json')).toBe(0);
    return (JSON.parse(out) as { sku: string; quantity: number }[]).find((row) => row.sku === sku)!.quantity;
  }

  it('records a sale in person, one by default, and says the next sync tells Etsy', async () => {
    expect(await cli('catalog', 'sell', 'FOX-A4')).toBe(0);
    expect(out).toBe('FOX-A4: Sold 1 in person: 5 → 4. Etsy gets it within seconds from the running app or "art-sync daemon", else with the next "art-sync sync".\n');
    expect(await cli('catalog', 'sell', 'FOX-A4', '2', '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({ runId: 2, sku: 'FOX-A4', quantity: 2, before: 4, after: 2, explanation: 'Sold 2 in person: 4 → 2' });
    expect(await stock('FOX-A4')).toBe(2);
    expect(await cli('history', '--sku', 'FOX-A4', '--json')).toBe(0);
    expect((JSON.parse(out) as { reason: string }[]).map((row) => row.reason)).toEqual(['sold_in_person', 'sold_in_person']);
  });

  it('refuses below zero, zero and nonsense, changing nothing', async () => {
    expect(await cli('catalog', 'sell', 'OWL-A3', '3')).toBe(1);
    expect(err).toBe('art-sync: Cannot record a sale of 3 of OWL-A3: the catalog has 2 in stock. Nothing was changed.\n');
    expect(await cli('catalog', 'sell', 'OWL-A3', '0')).toBe(1);
    expect(err).toMatch(/at least 1 item/);
    expect(await cli('catalog', 'sell', 'OWL-A3', '-1')).toBe(1);
    expect(await cli('catalog', 'sell', 'NOPE')).toBe(1);
    expect(err).toMatch(/There is no SKU "NOPE"/);
    expect(await stock('OWL-A3')).toBe(2);
  });

  it('low-stock sets a SKU\'s own level; status counts low items and says so in its first line', async () => {
    // Sample stock: FOX-A4 5, OWL-A3 2, HERON-ORIG 1, KOI-POST 40; the default level is 2.
    expect(await cli('status', '--json')).toBe(0);
    expect((JSON.parse(out) as { lowStock: number }).lowStock).toBe(2);
    expect(await cli('catalog', 'low-stock', 'FOX-A4', '5')).toBe(0);
    expect(out).toBe('FOX-A4: low at 5 or fewer in stock.\n');
    expect(await cli('catalog', 'low-stock', 'HERON-ORIG', '0')).toBe(0);
    expect(await cli('status', '--json')).toBe(0);
    expect((JSON.parse(out) as { lowStock: number }).lowStock).toBe(2);
    expect(await cli('catalog', 'low-stock', 'HERON-ORIG', 'default', '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({ sku: 'HERON-ORIG', lowStockThreshold: null });
    expect(await cli('status')).toBe(0);
    expect(out.split('\n')[0]).toBe('Not connected to Etsy');
    expect(await cli('status', '--json')).toBe(0);
    expect((JSON.parse(out) as { lowStock: number }).lowStock).toBe(3);
    expect(await cli('catalog', 'low-stock', 'NOPE', '1')).toBe(1);
    expect(err).toMatch(/There is no SKU "NOPE"/);
    expect(await cli('config', 'set', 'lowStockThreshold', '0')).toBe(0);
    expect(await cli('status', '--json')).toBe(0);
    expect((JSON.parse(out) as { lowStock: number }).lowStock).toBe(1);
  });

  it('undo shows the plan with --dry-run, then applies it; refusals are one sentence', async () => {
    expect(await cli('catalog', 'sell', 'KOI-POST', '10', '--json')).toBe(0);
    const { runId } = JSON.parse(out) as { runId: number };
    expect(await cli('undo', String(runId), '--dry-run')).toBe(0);
    expect(out).toBe(
      `Undo of run ${runId} would change 1 item (nothing changed yet):\n  KOI-POST: 30 → 40  Undo of run ${runId}: 30 → 40 (run ${runId} changed it 40 → 30; changes since are kept)\n`,
    );
    expect(await stock('KOI-POST')).toBe(30);
    expect(await cli('undo', String(runId), '--json')).toBe(0);
    const undo = JSON.parse(out) as { runId: number; items: { sku: string; after: number }[] };
    expect(undo.items).toEqual([expect.objectContaining({ sku: 'KOI-POST', now: 30, after: 40 })]);
    expect(await stock('KOI-POST')).toBe(40);
    expect(await cli('undo', String(undo.runId))).toBe(0);
    expect(out).toMatch(new RegExp(`^Undid run ${undo.runId} as run \\d+:\\n  KOI-POST: 40 → 30`));

    expect(await cli('undo', '999')).toBe(1);
    expect(err).toMatch(/^art-sync: There is no run 999\./);
    expect(await cli('undo', 'abc')).toBe(1);
    expect(err).toBe('art-sync: "abc" is not a run id: use the number of a run, like 12.\n');
  });
});
