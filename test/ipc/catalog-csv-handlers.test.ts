import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/shared/errors';
import type { IpcChannel, IpcOutput } from '../../src/shared/ipc';
import { createIpcGate } from '../../src/main/desktop/ipc-gate';
import { createIpcHandlers, type IpcHandlerSet } from '../../src/main/desktop/ipc-handlers';
import { catalogStock, startWorld, type World } from '../sync/world';
import { fakeCsvFiles, type FakeCsvFiles } from './fake-csv-files';

/**
 * Issue 15 item 3 through the gate, as the window calls it: main opens the (fake) dialog and keeps the
 * file; the page gets a preview and a token, and Apply applies what that token names, or nothing.
 */
const PAGE = 'file:///app/dist/renderer/index.html';
const HEADER = 'sku,title,quantity,price,currency';

let world: World | null = null;
let set: IpcHandlerSet | null = null;
afterEach(async () => {
  await set?.dispose();
  set = null;
  await world?.close();
  world = null;
});

async function setup(): Promise<{ files: FakeCsvFiles; call: <C extends IpcChannel>(channel: C, input?: unknown) => Promise<Result<IpcOutput<C>>> }> {
  world = await startWorld({ shop: { listings: [{ title: 'Fox Print', products: [{ sku: 'FOX', quantity: 4 }] }, { title: 'Hare', products: [{ sku: 'HARE', quantity: 3 }] }] } });
  await world.core.sync({ kinds: ['products', 'inventory'], trigger: 'cli' });
  const files = fakeCsvFiles();
  set = createIpcHandlers(world.core, { version: '1', platform: 'linux', openTrustedUrl: async () => undefined, openBrowser: async () => undefined, files });
  const gate = createIpcGate({ handlers: set.handlers, pageFileUrl: PAGE });
  return { files, call: async (channel, input) => (await gate.dispatch(channel, input, PAGE)) as never };
}

describe('catalog CSV channels', () => {
  it('preview → apply: cancel changes nothing, a bad line is named by number, Apply applies the rest once', async () => {
    const { files, call } = await setup();
    const core = world!.core;
    const before = core.listCatalog();

    expect(await call('catalog:importPreview')).toEqual({ ok: true, value: { cancelled: true } });
    expect(files.opened).toBe(1);

    files.toOpen = { name: 'stock.csv', text: `${HEADER}\nFOX,Fox Print,9,0.00,USD\nHARE,Hare,lots,0.00,USD\nNEW,New print,2,5.00,USD\n` };
    const picked = await call('catalog:importPreview');
    if (!picked.ok || picked.value.cancelled) throw new Error(JSON.stringify(picked));
    expect(picked.value.fileName).toBe('stock.csv');
    const { preview } = picked.value;
    expect(preview.errors).toEqual([{ line: 3, reason: 'quantity "lots" is not a whole number of 0 or more' }]);
    expect(preview.items.map((item) => item.sku)).toEqual(expect.arrayContaining(['NEW']));
    expect(core.listCatalog()).toEqual(before);

    // Cancel at the preview: the held file is forgotten, so its token applies nothing.
    expect(await call('catalog:importCancel')).toEqual({ ok: true, value: null });
    expect(await call('catalog:importApply', { token: preview.token })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', action: 'Choose the CSV file again' } });
    expect(core.listCatalog()).toEqual(before);

    const again = await call('catalog:importPreview');
    if (!again.ok || again.value.cancelled) throw new Error('no preview');
    expect(again.value.preview.token).toBe(preview.token); // same file, same catalog: the same preview
    const applied = await call('catalog:importApply', { token: preview.token });
    expect(applied).toMatchObject({ ok: true, value: { applied: true, created: ['NEW'], rejected: 1 } });
    const stock = catalogStock(core);
    expect([stock.get('FOX'), stock.get('HARE'), stock.get('NEW')]).toEqual([9, 3, 2]);
    // Applied once: the token is spent.
    expect(await call('catalog:importApply', { token: preview.token })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a catalog change between preview and Apply is reported with the new preview, which Apply then applies', async () => {
    const { files, call } = await setup();
    const core = world!.core;
    files.toOpen = { name: 'stock.csv', text: `${HEADER}\nFOX,Fox Print,9,0.00,USD\n` };
    const picked = await call('catalog:importPreview');
    if (!picked.ok || picked.value.cancelled) throw new Error('no preview');
    core.setStock('FOX', 1);
    const stale = await call('catalog:importApply', { token: picked.value.preview.token });
    if (!stale.ok || stale.value.applied) throw new Error(JSON.stringify(stale));
    expect(stale.value.changedSkus).toEqual(['FOX']);
    expect(stale.value.preview.items[0]).toMatchObject({ sku: 'FOX', before: { quantity: 1 }, after: { quantity: 9 } });
    expect(catalogStock(core).get('FOX')).toBe(1);
    expect(await call('catalog:importApply', { token: stale.value.preview.token })).toMatchObject({ ok: true, value: { applied: true, updated: ['FOX'] } });
    expect(catalogStock(core).get('FOX')).toBe(9);
  });

  it('a file that is not a catalog CSV is refused whole and keeps nothing', async () => {
    const { files, call } = await setup();
    files.toOpen = { name: 'other.csv', text: 'a,b\n1,2\n' };
    expect(await call('catalog:importPreview')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('nothing was imported') } });
  });

  it('export writes what exportCatalogCsv gives, which previews as no change; a cancelled save writes nothing', async () => {
    const { files, call } = await setup();
    expect(await call('catalog:exportCsv')).toEqual({ ok: true, value: { saved: false } });
    expect(files.saved).toEqual([]);
    files.saveAs = 'mine.csv';
    expect(await call('catalog:exportCsv')).toEqual({ ok: true, value: { saved: true, fileName: 'mine.csv', rows: 2 } });
    expect(files.saved).toEqual([{ name: 'mine.csv', text: world!.core.exportCatalogCsv().csv }]);
    expect(world!.core.previewCatalogCsv(files.saved[0]!.text).counts).toEqual({ new: 0, update: 0, unchanged: 2, errors: 0 });
  });

  it('push state comes per SKU; the inputs are checked at the gate', async () => {
    const { call } = await setup();
    expect(await call('catalog:pushState', { skus: ['FOX', 'NOPE'] })).toEqual({ ok: true, value: [{ sku: 'FOX', push: { state: 'on_etsy', message: null } }] });
    for (const bad of [{ skus: [] }, { skus: Array.from({ length: 501 }, (_, i) => `S${i}`) }, { skus: [''] }, {}, { skus: ['FOX'], extra: 1 }]) {
      expect(await call('catalog:pushState', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    for (const bad of [undefined, {}, { token: 'abc' }, { token: 'A'.repeat(64) }, { token: '0'.repeat(64), path: '/etc/passwd' }]) {
      expect(await call('catalog:importApply', bad)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
    // No channel takes a path or file text from the page.
    expect(await call('catalog:importPreview', { path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await call('catalog:exportCsv', { path: '/tmp/x.csv' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
