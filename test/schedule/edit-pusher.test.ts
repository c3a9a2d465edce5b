import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEBOUNCE_MS, EditPusher, MAX_WAIT_MS, PROBE_MS, type CatalogProbe } from '../../src/main/schedule/edit-pusher';
import type { ChangedVariant } from '../../src/main/store/catalog-change-probe';

/** Issue 14 item 3: local edits are noticed by probing, debounced and pushed together. */
const START = Date.UTC(2026, 11, 2, 12, 0, 0);

function fakeCatalog() {
  let version = 1;
  const rows = new Map<string, ChangedVariant>();
  const probe: CatalogProbe = {
    dataVersion: () => version,
    changedSince: (since) => [...rows.values()].filter((row) => row.updatedAt >= since),
  };
  return {
    probe,
    /** Another connection commits a stock edit (pending) or a sync's own update (not pending). */
    edit(sku: string, pending = true) {
      const before = rows.get(sku);
      rows.set(sku, { sku, version: (before?.version ?? 0) + 1, updatedAt: Date.now(), pending });
      version += 1;
    },
  };
}

function harness() {
  const catalog = fakeCatalog();
  const pushes: string[][] = [];
  let blocked: string | null = null;
  const pusher = new EditPusher({
    probe: catalog.probe,
    blockedReason: () => blocked,
    requestTargeted: async (skus) => {
      pushes.push(skus);
      return { ok: true, summary: 'ok' };
    },
    now: Date.now,
  });
  return { catalog, pusher, pushes, block: (reason: string | null) => (blocked = reason) };
}

describe('EditPusher', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a burst of edits becomes one push of every SKU, after the edits stop', async () => {
    const { catalog, pusher, pushes } = harness();
    pusher.start();
    catalog.edit('FOX');
    await vi.advanceTimersByTimeAsync(PROBE_MS);
    catalog.edit('HARE');
    catalog.edit('FOX');
    await vi.advanceTimersByTimeAsync(PROBE_MS);
    catalog.edit('OWL-S');
    await vi.advanceTimersByTimeAsync(PROBE_MS);
    expect(pushes).toEqual([]);
    expect(pusher.status().waiting).toBe(3);
    await vi.advanceTimersByTimeAsync(DEBOUNCE_MS + PROBE_MS);
    expect(pushes).toEqual([['FOX', 'HARE', 'OWL-S']]);
    // Nothing new: nothing more is pushed, however long it runs.
    await vi.advanceTimersByTimeAsync(10 * DEBOUNCE_MS);
    expect(pushes).toHaveLength(1);
    await pusher.stop();
  });

  it('edits that never stop are still pushed within the longest wait', async () => {
    const { catalog, pusher, pushes } = harness();
    pusher.start();
    for (let i = 0; i < 20 && pushes.length === 0; i += 1) {
      catalog.edit(`SKU-${i}`);
      await vi.advanceTimersByTimeAsync(PROBE_MS);
    }
    expect(pushes).toHaveLength(1);
    expect(pushes[0]!.length).toBeLessThanOrEqual(Math.ceil(MAX_WAIT_MS / PROBE_MS) + 1);
    await pusher.stop();
  });

  it("a sync's own catalog update (stock equal to what the sync left) is not pushed back", async () => {
    const { catalog, pusher, pushes } = harness();
    pusher.start();
    catalog.edit('FOX', false);
    await vi.advanceTimersByTimeAsync(PROBE_MS + DEBOUNCE_MS + PROBE_MS);
    expect(pushes).toEqual([]);
    await pusher.stop();
  });

  it('the same version is pushed once, even when read again in the overlap window', async () => {
    const { catalog, pusher, pushes } = harness();
    pusher.start();
    catalog.edit('FOX');
    await vi.advanceTimersByTimeAsync(PROBE_MS + DEBOUNCE_MS + PROBE_MS);
    catalog.edit('HARE');
    await vi.advanceTimersByTimeAsync(PROBE_MS + DEBOUNCE_MS + PROBE_MS);
    expect(pushes).toEqual([['FOX'], ['HARE']]);
    await pusher.stop();
  });

  it('while pushing is not allowed (paused, first run not previewed) edits are left to the scheduled sync', async () => {
    const { catalog, pusher, pushes, block } = harness();
    block('Syncing is paused.');
    pusher.start();
    catalog.edit('FOX');
    await vi.advanceTimersByTimeAsync(PROBE_MS + DEBOUNCE_MS + PROBE_MS);
    expect(pushes).toEqual([]);
    expect(pusher.status().lastError).toMatch(/paused/);
    await pusher.stop();
  });
});
