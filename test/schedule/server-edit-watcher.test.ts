import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PgQueryable } from '../../src/main/server/connection';
import { parseVariantChange, type ListenSession, type VariantChange } from '../../src/main/server/edit-listener';
import { DEBOUNCE_MS, FALLBACK_POLL_MS, MAX_WAIT_MS, PROBE_WAIT_MS, ServerEditWatcher, type KnownServerState } from '../../src/main/schedule/server-edit-watcher';

/** Issue 14 item 4: server edits are debounced and coalesced; Art Sync's own writes start nothing. */
const START = Date.UTC(2026, 11, 2, 12, 0, 0);

/** A fake server: product_variants rows, answering the watcher's poll queries; `onNotify` gets its test notifications. */
function fakeServer(onNotify: (payload: string) => void) {
  const rows = new Map<string, { sku: string; stock: number; version: number }>();
  let fingerprints = 0;
  const db: PgQueryable = {
    query: (async (text: string, values?: unknown[]) => {
      if (/pg_notify/.test(text)) {
        onNotify(String(values?.[1]));
        return { rows: [] };
      }
      if (/count\(\*\)/.test(text)) {
        fingerprints += 1;
        const h = [...rows.values()].map((r) => `${r.sku}:${r.stock}:${r.version}`).sort().join(',');
        return { rows: [{ n: String(rows.size), h }] };
      }
      return { rows: [...rows.values()].map((r) => ({ ...r })) };
    }) as PgQueryable['query'],
  };
  return { rows, db, fingerprints: () => fingerprints };
}

/** `deliver: false`: LISTEN is accepted but nothing is ever delivered (a transaction-mode pooler). */
function harness(options: { listen?: 'ok' | 'refused'; deliver?: boolean } = {}) {
  const deliver = options.deliver ?? true;
  const server = fakeServer((payload) => {
    if (deliver) queueMicrotask(() => notify?.(parseVariantChange(payload)));
  });
  const known = new Map<string, KnownServerState>();
  const requests: string[][] = [];
  let notify: ((change: VariantChange | null) => void) | null = null;
  let endSession: (() => void) | null = null;
  let listens = 0;
  let busy = false;
  let enabled = true;
  const watcher = new ServerEditWatcher({
    enabled: () => enabled,
    listen: async (onChange) => {
      listens += 1;
      if (options.listen === 'refused') throw new Error('LISTEN is not supported');
      notify = onChange;
      let finish!: () => void;
      const ended = new Promise<void>((resolve) => (finish = resolve));
      endSession = finish;
      const session: ListenSession = { ended, close: async () => finish() };
      return session;
    },
    db: async () => (enabled ? server.db : null),
    known: () => known,
    busy: () => busy,
    blockedReason: () => null,
    requestTargeted: async (skus) => {
      requests.push(skus);
      return { ok: true, summary: 'ok' };
    },
    now: Date.now,
    random: () => 0.5,
  });
  /** Someone writes a row on the server (and the trigger announces it when `announce`). */
  const write = (sku: string, stock: number, announce = true) => {
    const version = (server.rows.get(sku)?.version ?? 0) + 1;
    server.rows.set(sku, { sku, stock, version });
    if (announce && deliver) notify?.({ id: null, sku, stock, version });
    return version;
  };
  return {
    watcher,
    server,
    known,
    requests,
    write,
    setBusy: (value: boolean) => (busy = value),
    setEnabled: (value: boolean) => (enabled = value),
    endSession: () => endSession?.(),
    listens: () => listens,
  };
}

describe('ServerEditWatcher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a burst of server edits becomes one targeted run of every SKU, after the burst', async () => {
    const h = harness();
    for (const sku of ['FOX', 'HARE', 'OWL-S']) h.known.set(sku, { version: 1, stock: 5 });
    h.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    h.write('FOX', 4);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    h.write('HARE', 3);
    h.write('FOX', 2);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    h.write('OWL-S', 9);
    expect(h.requests).toEqual([]);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(h.requests).toEqual([['FOX', 'HARE', 'OWL-S']]);
    expect(h.watcher.status()).toMatchObject({ state: 'listening', notices: 4, lastPushSkus: ['FOX', 'HARE', 'OWL-S'] });
    await h.watcher.stop();
  });

  it('an endless stream of edits is still pushed within MAX_WAIT_MS of the first', async () => {
    const h = harness();
    h.known.set('FOX', { version: 1, stock: 50 });
    h.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    for (let elapsed = 0; elapsed < MAX_WAIT_MS; elapsed += DEBOUNCE_MS / 2) {
      h.write('FOX', 40 - elapsed / 100);
      await vi.advanceTimersByTimeAsync(DEBOUNCE_MS / 2);
    }
    expect(h.requests).toEqual([['FOX']]);
    await h.watcher.stop();
  });

  it("Art Sync's own write (its version is in the cache) starts no run; a write keeping the version but not the stock does", async () => {
    const h = harness();
    h.known.set('FOX', { version: 1, stock: 5 });
    h.known.set('HARE', { version: 1, stock: 5 });
    h.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    // Our push: the trigger fires while the push is still running; its version is recorded when it ends.
    h.setBusy(true);
    const ours = h.write('FOX', 4);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS * 3);
    expect(h.requests).toEqual([]);
    h.known.set('FOX', { version: ours, stock: 4 });
    h.setBusy(false);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(h.requests).toEqual([]);
    expect(h.watcher.status().ownWrites).toBe(1);
    // A tool that sets stock without bumping the version is still someone else's edit.
    h.server.rows.set('HARE', { sku: 'HARE', stock: 2, version: 1 });
    h.watcher['onNotice']({ id: null, sku: 'HARE', stock: 2, version: 1 });
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(h.requests).toEqual([['HARE']]);
    await h.watcher.stop();
  });

  it('without LISTEN the poll finds an edit, and a poll finding an unannounced edit switches to fast polling', async () => {
    const refused = harness({ listen: 'refused' });
    refused.known.set('FOX', { version: 1, stock: 5 });
    refused.server.rows.set('FOX', { sku: 'FOX', stock: 5, version: 1 });
    refused.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(refused.watcher.status().state).toBe('polling');
    refused.write('FOX', 1, false);
    expect(await refused.watcher.pollNow()).toEqual(['FOX']);
    await refused.watcher.flushNow();
    expect(refused.requests).toEqual([['FOX']]);
    // A poll with nothing new does not read the rows again nor ask for another run.
    expect(await refused.watcher.pollNow()).toEqual([]);
    await refused.watcher.stop();

    // Listening, notifications delivered, but an edit no notification announced: polling speeds up.
    const missed = harness();
    missed.known.set('HARE', { version: 1, stock: 5 });
    missed.server.rows.set('HARE', { sku: 'HARE', stock: 5, version: 1 });
    missed.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(missed.watcher.status().state).toBe('listening');
    missed.write('HARE', 3, false);
    expect(await missed.watcher.pollNow()).toEqual(['HARE']);
    expect(missed.watcher.status().state).toBe('polling');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(missed.requests).toEqual([['HARE']]);
    await missed.watcher.stop();
  });

  it('a test notification not heard means notifications are not delivered: the poll runs at the fallback interval', async () => {
    const silent = harness({ deliver: false });
    silent.known.set('HARE', { version: 1, stock: 5 });
    silent.server.rows.set('HARE', { sku: 'HARE', stock: 5, version: 1 });
    silent.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(silent.watcher.status().state).toBe('listening');
    await vi.advanceTimersByTimeAsync(PROBE_WAIT_MS);
    expect(silent.watcher.status().state).toBe('polling');
    silent.write('HARE', 3); // announced, but never delivered
    const polls = silent.server.fingerprints();
    await vi.advanceTimersByTimeAsync(FALLBACK_POLL_MS + DEBOUNCE_MS);
    expect(silent.server.fingerprints()).toBeGreaterThan(polls);
    expect(silent.requests).toEqual([['HARE']]);
    await silent.watcher.stop();

    // Delivered: the probe is heard and the watcher keeps listening, polling only at the slow interval.
    const heard = harness();
    heard.watcher.start();
    await vi.advanceTimersByTimeAsync(PROBE_WAIT_MS * 2);
    expect(heard.watcher.status().state).toBe('listening');
    await heard.watcher.stop();
  });

  it('a lost connection is reopened, and the poll after it finds what changed meanwhile', async () => {
    const h = harness();
    h.known.set('FOX', { version: 1, stock: 5 });
    h.server.rows.set('FOX', { sku: 'FOX', stock: 5, version: 1 });
    h.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.listens()).toBe(1);
    h.endSession();
    h.write('FOX', 2, false); // while nobody listens
    await vi.advanceTimersByTimeAsync(0);
    expect(h.watcher.status().state).toBe('polling');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(h.listens()).toBe(2);
    expect(h.watcher.status().state).toBe('listening');
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS);
    expect(h.requests).toEqual([['FOX']]);
    await h.watcher.stop();
  });

  it('turning the link off closes the listening connection; turning it on again reopens it', async () => {
    const h = harness();
    h.watcher.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.watcher.status().state).toBe('listening');
    h.setEnabled(false);
    await h.watcher.pollNow();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.watcher.status().state).toBe('off');
    h.setEnabled(true);
    await vi.advanceTimersByTimeAsync(65_000);
    expect(h.listens()).toBe(2);
    expect(h.watcher.status().state).toBe('listening');
    await h.watcher.stop();
  });
});
