import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli';
import type { CliTerminal } from '../../src/main/cli/terminal';
import { createIpcGate } from '../../src/main/desktop/ipc-gate';
import { createIpcHandlers, type IpcHandlerSet } from '../../src/main/desktop/ipc-handlers';
import { renderTray } from '../../src/main/shell/tray';
import type { Result } from '../../src/shared/errors';
import type { IpcChannel, IpcOutput } from '../../src/shared/ipc';
import { statusHeadline } from '../../src/shared/status';
import { demoShop } from '../../sim';
import { startWorld, type World } from '../sync/world';
import { fakeCsvFiles } from '../ipc/fake-csv-files';

/**
 * The contract between the two front doors: the same use cases through IPC (the handler map behind
 * the gate, as the window calls it) and through the CLI (runCli in-process) on ONE data folder give
 * the same answers — status, history, catalog, settings validation (the redirect URI too) and the
 * server password.
 */
const PAGE = 'file:///app/dist/renderer/index.html';

let world: World;
let set: IpcHandlerSet;
const files = fakeCsvFiles();

beforeAll(async () => {
  world = await startWorld({ shop: demoShop() });
  set = createIpcHandlers(world.core, { version: '1', platform: 'linux', openTrustedUrl: async () => undefined, openBrowser: async () => undefined, files });
  // Some history to compare: one real sync through the window's door.
  const synced = await ipc('sync:now');
  expect(synced.ok && synced.value.outcomes.every((outcome) => outcome.ok)).toBe(true);
}, 120_000);
afterAll(async () => {
  await set?.dispose();
  await world?.close();
});

async function ipc<C extends IpcChannel>(channel: C, input?: unknown): Promise<Result<IpcOutput<C>>> {
  const gate = createIpcGate({ handlers: set.handlers, pageFileUrl: PAGE });
  return (await gate.dispatch(channel, input, PAGE)) as Result<IpcOutput<C>>;
}

async function ipcValue<C extends IpcChannel>(channel: C, input?: unknown): Promise<IpcOutput<C>> {
  const result = await ipc(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function cli(args: string[], typed = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const terminal: CliTerminal = { interactive: true, stderrIsTTY: false, prompt: async () => typed, readAll: async () => typed };
  const code = await runCli(['--data-dir', world.dataDir, ...args], {
    io: { stdout: (text) => void (out += text), stderr: (text) => void (err += text) },
    env: world.env,
    // The same secret store stands in for the keychain both doors share.
    secrets: world.secrets,
    terminal,
  });
  return { code, out, err };
}

async function cliJson(args: string[]): Promise<unknown> {
  const result = await cli([...args, '--json']);
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out) as unknown;
}

describe('IPC and CLI give the same answers on one data folder', () => {
  it('status, with the same headline', async () => {
    const fromIpc = await ipcValue('status:get');
    const { headline, ...fromCli } = (await cliJson(['status'])) as Record<string, unknown>;
    expect(fromIpc.lastSyncedAt).not.toBeNull();
    expect({ ...fromCli, at: 0 }).toEqual({ ...fromIpc, at: 0 });
    expect(headline).toBe(statusHeadline(fromIpc, fromIpc.at).text);
    // What `art-sync status` prints first is what the tray shows for the window's status.
    const human = await cli(['status']);
    expect(human.out.split('\n')[0]).toBe(renderTray(fromIpc, { now: fromIpc.at }).status);
    // docs/PRODUCT.md §7's fields are all there for scripts.
    expect(Object.keys(fromCli)).toEqual(expect.arrayContaining(['version', 'connected', 'shop', 'jobs', 'budget', 'attention', 'lastError']));
  });

  it('history', async () => {
    const page = await ipcValue('history:list', { limit: 5 });
    expect(page.items).toHaveLength(5);
    const rows = await cliJson(['history', '--limit', '5']);
    expect(rows).toEqual(page.items.map(({ id: _id, ...item }) => ({ ...item, at: new Date(item.at).toISOString() })));
    const sku = page.items[0]!.sku;
    const bySku = await ipcValue('history:list', { sku });
    expect(((await cliJson(['history', '--sku', sku])) as unknown[]).length).toBe(bySku.items.length);
  });

  it('catalog: the same items and prices, and a change through one door shows through the other', async () => {
    const items = await ipcValue('catalog:list');
    expect(items.length).toBeGreaterThan(0);
    expect(await cliJson(['catalog', 'list'])).toEqual(items.map(({ updatedAt: _updatedAt, ...item }) => item));

    const first = items[0]!;
    expect(await cliJson(['catalog', 'set-stock', first.sku, String(first.quantity + 3)])).toEqual({
      sku: first.sku,
      before: first.quantity,
      after: first.quantity + 3,
      changed: true,
    });
    expect((await ipcValue('catalog:list')).find((item) => item.sku === first.sku)?.quantity).toBe(first.quantity + 3);
    expect(await ipcValue('catalog:setStock', { sku: first.sku, quantity: first.quantity })).toMatchObject({ after: first.quantity });
    expect(((await cliJson(['catalog', 'list'])) as { sku: string; quantity: number }[]).find((item) => item.sku === first.sku)?.quantity).toBe(first.quantity);

    const unknownIpc = await ipc('catalog:setStock', { sku: 'NO-SUCH-SKU', quantity: 1 });
    const unknownCli = await cli(['catalog', 'set-stock', 'NO-SUCH-SKU', '1', '--json']);
    expect(unknownCli.code).toBe(1);
    expect(unknownIpc).toEqual({ ok: false, error: (JSON.parse(unknownCli.out) as { error: unknown }).error });
  });

  it('catalog CSV: the window exports what `catalog export` writes, and refuses the same lines `catalog import` does', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'art-sync-contract-csv-'));
    try {
      const file = path.join(dir, 'catalog.csv');
      files.saveAs = 'window.csv';
      expect(await ipcValue('catalog:exportCsv')).toMatchObject({ saved: true, fileName: 'window.csv' });
      await cliJson(['catalog', 'export', file]);
      const exported = files.saved.at(-1)!.text;
      expect(exported).toBe(fs.readFileSync(file, 'utf8'));

      const text = `${exported}BAD,Bad print,-1,1.00,USD\n`;
      files.toOpen = { name: 'in.csv', text };
      const picked = await ipcValue('catalog:importPreview');
      if (picked.cancelled) throw new Error('no preview');
      fs.writeFileSync(file, text);
      const viaCli = await cli(['catalog', 'import', file, '--json']);
      expect(viaCli.code).toBe(1);
      const { rejected } = JSON.parse(viaCli.out) as { rejected: unknown };
      expect(rejected).toEqual(picked.preview.errors);
      // The CLI applied the same (unchanged) lines, so the window's preview still holds and applies.
      expect(await ipcValue('catalog:importApply', { token: picked.preview.token })).toMatchObject({ applied: true, created: [], updated: [], rejected: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a sale in person and its undo: the same answers and refusals through both doors', async () => {
    const item = (await ipcValue('catalog:list')).find((row) => row.quantity >= 3)!;
    const fromCli = (await cliJson(['catalog', 'sell', item.sku])) as { runId: number };
    const fromIpc = await ipcValue('catalog:sell', { sku: item.sku });
    expect({ ...fromCli, runId: 0 }).toEqual({ ...fromIpc, runId: 0, before: item.quantity, after: item.quantity - 1, explanation: `Sold 1 in person: ${item.quantity} → ${item.quantity - 1}` });
    expect(fromIpc.after).toBe(item.quantity - 2);
    // The undo's plan, then the refusal of a sale past the stock, read the same through both doors.
    expect(await cliJson(['undo', String(fromIpc.runId), '--dry-run'])).toEqual(await ipcValue('runs:undo', { runId: fromIpc.runId, dryRun: true }));
    const tooManyIpc = await ipc('catalog:sell', { sku: item.sku, quantity: 1_000 });
    const tooManyCli = await cli(['catalog', 'sell', item.sku, '1000', '--json']);
    expect(tooManyCli.code).toBe(1);
    expect(tooManyIpc).toEqual({ ok: false, error: (JSON.parse(tooManyCli.out) as { error: unknown }).error });
    // Put the stock back for the other cases.
    await ipcValue('runs:undo', { runId: fromIpc.runId });
    await cliJson(['undo', String(fromCli.runId)]);
    expect((await ipcValue('catalog:list')).find((row) => row.sku === item.sku)?.quantity).toBe(item.quantity);
  });

  it.each([
    ['redirectUri', 'http://example.com/cb'],
    ['redirectUri', 'https://127.0.0.1:3003/cb?x=1'],
    ['buffer', -1],
    ['inventorySyncIntervalMinutes', 1],
  ] as const)('settings: %s = %s is refused by both, and nothing is stored', async (key, value) => {
    const before = await ipcValue('settings:get');
    const fromIpc = await ipc('settings:update', { [key]: value });
    expect(fromIpc).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const fromCli = await cli(['config', 'set', key, String(value), '--json']);
    expect(fromCli.code).toBe(1);
    expect(JSON.parse(fromCli.out)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(fromCli.err).toMatch(new RegExp(`^art-sync: ${key} `));
    expect(await ipcValue('settings:get')).toEqual(before);
    expect(await cliJson(['config', 'list'])).toEqual(before);
  });

  it('settings: a good value set through one door is read back through the other', async () => {
    const redirectUri = 'http://127.0.0.1:45871/oauth/redirect';
    expect(await cliJson(['config', 'set', 'redirectUri', redirectUri])).toMatchObject({ key: 'redirectUri', value: redirectUri });
    expect(await ipcValue('etsy:redirectUri')).toEqual({ uri: redirectUri });
    expect(await ipcValue('settings:update', { buffer: 2 })).toMatchObject({ buffer: 2, redirectUri });
    expect(await cliJson(['config', 'get', 'buffer'])).toEqual({ key: 'buffer', value: 2, default: 0 });
  });

  it('server password: one rule, the same answer from both doors', async () => {
    const fromIpc = await ipcValue('server:setPassword', { password: 'contract-pass-1' });
    expect(await world.secrets.get('server.password')).toBe('contract-pass-1');
    const typed = await cli(['server', 'set-password', '--json'], 'contract-pass-2');
    expect(typed.code).toBe(0);
    expect(JSON.parse(typed.out)).toEqual(fromIpc);
    expect(fromIpc).toEqual({ stored: 'memory', message: expect.stringMatching(/for this session only/) });
    expect(await world.secrets.get('server.password')).toBe('contract-pass-2');

    const emptyIpc = await ipc('server:setPassword', { password: '' });
    const emptyCli = await cli(['server', 'set-password', '--json'], '');
    expect(emptyIpc).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.parse(emptyCli.out)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(await world.secrets.get('server.password')).toBe('contract-pass-2');
    expect(await ipcValue('server:clearPassword')).toEqual({ removed: true });
    expect(await cliJson(['server', 'clear-password'])).toEqual({ removed: false });
  });
});
