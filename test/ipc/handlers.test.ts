import { afterEach, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, type IpcChannel, type IpcOutput } from '../../src/shared/ipc';
import type { Result } from '../../src/shared/errors';
import { demoShop } from '../../sim';
import { parseStoredAccessToken } from '../../src/main/etsy/oauth/token-manager';
import { createIpcGate } from '../../src/main/desktop/ipc-gate';
import { createIpcHandlers, type IpcHandlerSet } from '../../src/main/desktop/ipc-handlers';
import { freePort, startWorld, type World } from '../sync/world';
import { fakeCsvFiles } from './fake-csv-files';

/**
 * The handler map over a real core (SQLite + the strict Etsy simulator), called through the gate the
 * way the window calls it: connect, dry run, sync, activity, settings … and no secret in any answer.
 */
const PAGE = 'file:///app/dist/renderer/index.html';
const KEYSTRING = 'ipccanarykeystring5t8w';
const SECRET = 'ipccanarysharedsecret2m6p';
const SERVER_PASSWORD = 'ipccanaryserverpassword7q3z';

let world: World | null = null;
let set: IpcHandlerSet | null = null;
afterEach(async () => {
  await set?.dispose();
  set = null;
  await world?.close();
  world = null;
});

async function setup() {
  world = await startWorld({ shop: demoShop(), keystring: KEYSTRING, sharedSecret: SECRET });
  const opened: string[] = [];
  set = createIpcHandlers(world.core, {
    version: '9.9.9',
    platform: 'linux',
    openTrustedUrl: async (url) => void opened.push(url),
    // Stands in for the browser: the simulator approves and redirects to the loopback listener.
    openBrowser: async (url) => void fetch(url).catch(() => undefined),
    files: fakeCsvFiles(),
  });
  const gate = createIpcGate({ handlers: set.handlers, pageFileUrl: PAGE });
  const outputs: unknown[] = [];
  async function call<C extends IpcChannel>(channel: C, input?: unknown): Promise<Result<IpcOutput<C>>> {
    const result = (await gate.dispatch(channel, input, PAGE)) as Result<IpcOutput<C>>;
    outputs.push(result);
    return result;
  }
  async function value<C extends IpcChannel>(channel: C, input?: unknown): Promise<IpcOutput<C>> {
    const result = await call(channel, input);
    if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
    return result.value;
  }
  return { world, call, value, outputs, opened };
}

describe('IPC handlers over a real core', () => {
  it('connect → dry run → sync → activity → settings, and no secret in any answer', async () => {
    const { world, call, value, outputs, opened } = await setup();
    const called = new Set<IpcChannel>();
    const track = <T>(channel: IpcChannel, p: Promise<T>) => (called.add(channel), p);

    expect(await track('app:info', value('app:info'))).toEqual({ version: '9.9.9', platform: 'linux', docsUrl: null });
    expect(await track('etsy:redirectUri', value('etsy:redirectUri'))).toEqual({ uri: 'http://localhost:3003/oauth/redirect' });

    // Connect again through IPC on a free loopback port.
    const redirectUri = `http://127.0.0.1:${await freePort()}/oauth/redirect`;
    await track('settings:update', value('settings:update', { redirectUri }));
    expect(await value('etsy:redirectUri')).toEqual({ uri: redirectUri });
    const shop = await track('etsy:connect', value('etsy:connect', { keystring: KEYSTRING, sharedSecret: SECRET }));
    expect(shop.shopName).toBeTruthy();
    expect(await track('etsy:cancelConnect', value('etsy:cancelConnect'))).toEqual({ cancelled: false });
    // Nothing waits for Etsy any more: no sign-in address to show, no paste taken.
    expect(await track('etsy:connectProgress', value('etsy:connectProgress'))).toEqual({ waiting: false, authorizeUrl: null, listenerProblem: null });
    expect(await track('etsy:pasteRedirect', call('etsy:pasteRedirect', { url: `${redirectUri}?code=x&state=y` }))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'Art Sync is not waiting for Etsy right now.' },
    });

    const status = await track('status:get', value('status:get'));
    expect(status).toMatchObject({ connected: true, needsReconnect: false, credentialsAvailable: true, running: null, lastSyncedAt: null });
    expect(status.shop?.name).toBe(shop.shopName);

    // Dry run: the plan's changes, and nothing recorded.
    const dry = await track('sync:dryRun', value('sync:dryRun'));
    expect(dry.summary).not.toBeNull();
    expect(dry.changes.length).toBeGreaterThan(0);
    expect(dry.changes.every((change) => change.explanation.length > 0)).toBe(true);
    expect((await value('history:list')).items).toEqual([]);
    expect(await value('runs:list')).toEqual([]);

    const synced = await track('sync:now', value('sync:now', { kinds: ['products', 'inventory'] }));
    expect(synced.outcomes.map((o) => o.ok)).toEqual([true, true]);

    const runs = await track('runs:list', value('runs:list', { limit: 10 }));
    expect(runs.map((run) => [run.kind, run.status, run.dryRun])).toEqual([
      ['inventory', 'ok', false],
      ['products', 'ok', false],
    ]);
    expect(runs[0]!.summary).toMatch(/^\d+ changes$/);

    const history = await track('history:list', value('history:list', { limit: 5 }));
    expect(history.items.length).toBe(Math.min(5, dry.changes.length));
    expect(history.items.every((item) => item.explanation.length > 0)).toBe(true);
    const sku = history.items[0]!.sku;
    const bySku = await value('history:list', { sku });
    expect(bySku.items.every((item) => item.sku === sku)).toBe(true);

    expect(Array.isArray(await track('attention:list', value('attention:list')))).toBe(true);
    const after = await value('status:get');
    expect(after.lastSyncedAt).not.toBeNull();
    expect(after.jobs.map((job) => job.lastResult)).toEqual(['ok', 'ok']);

    const catalog = await track('catalog:list', value('catalog:list'));
    expect(catalog.length).toBeGreaterThan(0);
    const first = catalog[0]!;
    expect(await track('catalog:setStock', value('catalog:setStock', { sku: first.sku, quantity: first.quantity + 1 }))).toEqual({
      sku: first.sku,
      before: first.quantity,
      after: first.quantity + 1,
      changed: true,
    });
    expect(await call('catalog:setStock', { sku: 'NO-SUCH-SKU', quantity: 1 })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SKU' } });

    // A sale made in person (issue 15): recorded as a 'catalog' run whose undo puts the item back.
    const sale = await track('catalog:sell', value('catalog:sell', { sku: first.sku }));
    expect(sale).toMatchObject({ sku: first.sku, quantity: 1, before: first.quantity + 1, after: first.quantity });
    expect(sale.explanation).toBe(`Sold 1 in person: ${first.quantity + 1} → ${first.quantity}`);
    expect(await call('catalog:sell', { sku: first.sku, quantity: first.quantity + 1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('catalog:sell', { sku: first.sku, quantity: 0 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const plan = await track('runs:undo', value('runs:undo', { runId: sale.runId, dryRun: true }));
    expect(plan.items).toEqual([expect.objectContaining({ sku: first.sku, now: first.quantity, after: first.quantity + 1 })]);
    expect((await value('catalog:list')).find((item) => item.sku === first.sku)?.quantity).toBe(first.quantity);
    expect(await value('runs:undo', { runId: sale.runId })).toMatchObject({ undoneRunId: sale.runId, dryRun: false, runId: expect.any(Number) });
    expect((await value('catalog:list')).find((item) => item.sku === first.sku)?.quantity).toBe(first.quantity + 1);
    const page = await track('catalog:page', value('catalog:page', { query: first.sku, limit: 5 }));
    expect(page.items[0]).toMatchObject({ sku: first.sku, quantity: first.quantity + 1, lastChange: { reason: 'undo_run' } });
    expect(page.items[0]!.listings.length).toBeGreaterThan(0);
    expect(await track('catalog:setLowStock', value('catalog:setLowStock', { sku: first.sku, threshold: first.quantity + 1 }))).toEqual({ sku: first.sku, lowStockThreshold: first.quantity + 1 });
    expect((await value('catalog:page', { query: first.sku, filter: 'low_stock' })).items.map((item) => item.sku)).toContain(first.sku);
    expect((await value('status:get')).lowStock).toBeGreaterThan(0);
    await value('catalog:setLowStock', { sku: first.sku, threshold: null });
    expect(await call('catalog:page', { limit: 501 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // Catalog CSV and push state (issue 15; the full flows are in catalog-csv-handlers.test.ts): the fake dialogs cancel.
    expect(await track('catalog:importPreview', value('catalog:importPreview'))).toEqual({ cancelled: true });
    expect(await track('catalog:importApply', call('catalog:importApply', { token: 'f'.repeat(64) }))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await track('catalog:importCancel', value('catalog:importCancel'))).toBeNull();
    expect(await track('catalog:exportCsv', value('catalog:exportCsv'))).toEqual({ saved: false });
    expect(await track('catalog:pushState', value('catalog:pushState', { skus: [first.sku] }))).toEqual([{ sku: first.sku, push: expect.objectContaining({ state: expect.any(String) }) }]);
    expect(await call('runs:undo', { runId: 999_999 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no run 999999.' } });

    expect(await track('settings:get', value('settings:get'))).toMatchObject({ redirectUri, buffer: 0 });
    const updated = await value('settings:update', { buffer: 2 });
    expect(updated).toMatchObject({ buffer: 2, redirectUri });
    expect(await call('settings:update', { redirectUri: 'http://example.com/oauth' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    expect(await track('sync:setPaused', value('sync:setPaused', { paused: true }))).toEqual({ paused: true });
    expect((await value('status:get')).paused).toBe(true);
    await value('sync:setPaused', { paused: false });

    expect(await track('server:test', value('server:test'))).toEqual({
      ok: false,
      message: 'No server address is set yet: enter it in Settings, or run "art-sync config set serverUrl postgres://USER@HOST:5432/DATABASE".',
    });
    // The server password goes into the secret store and the link; answers say only where it is kept.
    const reconfigure = vi.spyOn(world.core.server, 'reconfigure');
    expect(await track('server:setPassword', value('server:setPassword', { password: SERVER_PASSWORD }))).toMatchObject({ stored: world.core.secrets.kind });
    expect(await world.core.secrets.get('server.password')).toBe(SERVER_PASSWORD);
    expect(reconfigure).toHaveBeenCalledTimes(1);
    expect(await call('server:setPassword', { password: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await world.core.secrets.get('server.password')).toBe(SERVER_PASSWORD);
    expect((await value('status:get')).serverQueue).toEqual({ enabled: false, waiting: 0, lastError: null, retryAt: null });
    expect(await value('settings:get')).not.toHaveProperty('serverPassword');
    expect(await track('server:clearPassword', value('server:clearPassword'))).toEqual({ removed: true });
    expect(await world.core.secrets.get('server.password')).toBeNull();
    expect(await value('server:clearPassword')).toEqual({ removed: false });
    await value('server:setPassword', { password: SERVER_PASSWORD });
    expect(await track('app:openExternal', value('app:openExternal', { url: 'https://www.etsy.com/your/apps' }))).toBeNull();
    expect(await call('app:openExternal', { url: 'file:///etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(opened).toEqual(['https://www.etsy.com/your/apps']);

    // Read the tokens while they exist (disconnect deletes them), so the canary check below has them.
    const refresh = await world.secrets.get('etsy.refreshToken');
    const access = parseStoredAccessToken(await world.secrets.get('etsy.accessToken'));
    expect(refresh).toBeTruthy();
    expect(access?.token).toBeTruthy();
    expect(await track('etsy:disconnect', value('etsy:disconnect'))).toBeNull();
    expect(await value('status:get')).toMatchObject({ connected: false, credentialsAvailable: false });
    expect(await call('sync:dryRun')).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED', action: 'Connect Etsy' } });

    expect([...called].sort()).toEqual([...IPC_CHANNELS].sort());

    // Secrets went in (etsy:connect) and must never come out, in any encoding.
    const text = JSON.stringify(outputs);
    const canaries = [KEYSTRING, SECRET, SERVER_PASSWORD, Buffer.from(SERVER_PASSWORD).toString('base64').replace(/=+$/, ''), Buffer.from(KEYSTRING).toString('base64').replace(/=+$/, ''), encodeURIComponent(SECRET)];
    canaries.push(refresh!, access!.token);
    for (const canary of canaries) expect(text.includes(canary), 'an IPC output contains a secret').toBe(false);
    // Every answer crosses Electron's structured clone unchanged.
    expect(structuredClone(outputs)).toEqual(outputs);
  });

  it('a dry run runs beside a sync (it plans on a private copy) and leaves pause as it was', async () => {
    const { world, call } = await setup();
    await call('sync:setPaused', { paused: true });
    expect((await call('sync:dryRun')).ok).toBe(true);
    expect(world.core.scheduler.status().paused).toBe(true);
    await call('sync:setPaused', { paused: false });

    const syncing = call('sync:now');
    expect(world.core.scheduler.status().running).not.toBeNull();
    const [preview, synced] = await Promise.all([call('sync:dryRun'), syncing]);
    expect(preview.ok).toBe(true);
    expect(synced.ok).toBe(true);
    expect(world.core.scheduler.status().paused).toBe(false);
  });

  it('etsy:cancelConnect ends a connect that waits for the browser', async () => {
    world = await startWorld({ shop: demoShop() });
    let opened!: () => void;
    const browserOpened = new Promise<void>((resolve) => (opened = resolve));
    set = createIpcHandlers(world.core, {
      version: '1',
      platform: 'linux',
      openTrustedUrl: async () => undefined,
      // The owner never approves: the flow waits until cancelled.
      openBrowser: async () => opened(),
      files: fakeCsvFiles(),
    });
    await set.handlers['settings:update']({ redirectUri: `http://127.0.0.1:${await freePort()}/oauth/redirect` });
    const gate = createIpcGate({ handlers: set.handlers, pageFileUrl: PAGE });
    const connecting = gate.dispatch('etsy:connect', { keystring: world.sim.keystring, sharedSecret: world.sim.sharedSecret }, PAGE);
    await browserOpened;
    expect(await gate.dispatch('etsy:cancelConnect', undefined, PAGE)).toEqual({ ok: true, value: { cancelled: true } });
    expect(await connecting).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
  });
});

describe('history:list with 100,000 rows', () => {
  it('answers pages and SKU filters without loading the table', async () => {
    world = await startWorld({ shop: demoShop() });
    const { core } = world;
    const runId = core.repos.runs.startRun({ kind: 'inventory', trigger: 'cli', dryRun: false }, 1);
    core.repos.transaction(() => {
      const rows = [];
      for (let i = 0; i < 100_000; i++) {
        rows.push({
          runId, at: 1_000 + i, sku: `SKU-${i % 1000}`, listingId: 1, side: 'etsy' as const, field: 'quantity' as const,
          before: 1, after: 0, reason: Math.floor(i / 1000) % 2 ? 'sold_on_etsy' : 'edited_locally', explanation: `Sold on Etsy: 1 → 0 (${i})`,
          receiptIds: [], status: 'applied' as const,
        });
      }
      core.repos.history.addHistory(rows);
    });
    set = createIpcHandlers(core, { version: '1', platform: 'linux', openTrustedUrl: async () => undefined, openBrowser: async () => undefined, files: fakeCsvFiles() });
    const fetched: number[] = [];
    const original = core.repos.history.listHistory.bind(core.repos.history);
    vi.spyOn(core.repos.history, 'listHistory').mockImplementation((filter) => {
      const rows = original(filter);
      fetched.push(rows.length);
      return rows;
    });

    const first = await set.handlers['history:list'](undefined);
    expect(first.items).toHaveLength(100);
    expect(first.items[0]!.explanation).toContain('(99999)');
    expect(first.nextBeforeId).toBe(first.items[99]!.id);
    const second = await set.handlers['history:list']({ beforeId: first.nextBeforeId!, limit: 500 });
    expect(second.items[0]!.id).toBe(first.items[99]!.id - 1);

    // SKU-7 has 100 rows: one page of 60, then 40 and the end.
    const page1 = await set.handlers['history:list']({ sku: 'SKU-7', limit: 60 });
    expect(page1.items.every((item) => item.sku === 'SKU-7')).toBe(true);
    const page2 = await set.handlers['history:list']({ sku: 'SKU-7', limit: 60, beforeId: page1.nextBeforeId! });
    expect([page1.items.length, page2.items.length, page2.nextBeforeId]).toEqual([60, 40, null]);

    const filtered = await set.handlers['history:list']({ sku: 'SKU-7', reason: 'sold_on_etsy', since: 1_000, until: 101_000 });
    expect(filtered.items.every((item) => item.reason === 'sold_on_etsy')).toBe(true);
    expect(filtered.items).toHaveLength(100 / 2);

    // Rows read from SQLite per call: the page plus one, never the table.
    expect(fetched).toEqual([101, 501, 61, 40, 50]);
  });
});
