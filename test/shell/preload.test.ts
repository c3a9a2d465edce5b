import { beforeEach, describe, expect, it, vi } from 'vitest';

// A fake `electron` module: the real one cannot run here, and the preload must only need these two.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  return {
    exposed: new Map<string, unknown>(),
    invoked: [] as [string, unknown][],
    listeners,
    invokeResult: Promise.resolve<unknown>({ ok: true, value: 'pong' }) as Promise<unknown>,
  };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => fake.exposed.set(name, api) },
  ipcRenderer: {
    invoke: (channel: string, input: unknown) => {
      fake.invoked.push([channel, input]);
      return fake.invokeResult;
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!fake.listeners.has(channel)) fake.listeners.set(channel, new Set());
      fake.listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => fake.listeners.get(channel)?.delete(listener),
  },
}));

type Bridge = { invoke(channel: unknown, input?: unknown): Promise<unknown>; on(event: unknown, cb: unknown): () => void };

async function loadBridge(): Promise<Bridge> {
  fake.exposed.clear();
  vi.resetModules();
  await import('../../src/main/preload/index');
  return fake.exposed.get('artSync') as Bridge;
}

beforeEach(() => {
  fake.invoked.length = 0;
  fake.listeners.clear();
  fake.invokeResult = Promise.resolve({ ok: true, value: 'pong' });
});

describe('preload bridge', () => {
  it('exposes exactly invoke and on, frozen, under window.artSync', async () => {
    const bridge = await loadBridge();
    expect([...fake.exposed.keys()]).toEqual(['artSync']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('forwards contract channels and returns main’s envelope', async () => {
    const bridge = await loadBridge();
    await expect(bridge.invoke('sync:setPaused', { paused: true })).resolves.toEqual({ ok: true, value: 'pong' });
    expect(fake.invoked).toEqual([['sync:setPaused', { paused: true }]]);
  });

  it('refuses unknown channels without sending anything', async () => {
    const bridge = await loadBridge();
    for (const channel of ['nope', 'event:status:changed', '__proto__', 'toString', 42, null]) {
      const result = (await bridge.invoke(channel, {})) as { ok: boolean; error: { code: string } };
      expect(result.ok).toBe(false);
      expect(result.error.code).toBe('INVALID_INPUT');
    }
    expect(fake.invoked).toEqual([]);
  });

  it('turns a rejected invoke into an INTERNAL envelope', async () => {
    const bridge = await loadBridge();
    fake.invokeResult = Promise.reject(new Error("No handler registered for 'status:get'"));
    await expect(bridge.invoke('status:get')).resolves.toEqual({ ok: false, error: { code: 'INTERNAL', message: 'Something went wrong inside Art Sync.' } });
  });

  it('on() subscribes to contract events, passes only the payload, and unsubscribes', async () => {
    const bridge = await loadBridge();
    const got: unknown[][] = [];
    const off = bridge.on('status:changed', (...args: unknown[]) => got.push(args));
    const channelListeners = fake.listeners.get('event:status:changed')!;
    expect(channelListeners.size).toBe(1);
    for (const listener of channelListeners) listener({ sender: 'ipcRenderer!' }, { paused: true });
    expect(got).toEqual([[{ paused: true }]]);
    off();
    expect(channelListeners.size).toBe(0);
  });

  it('on() refuses unknown events and non-functions', async () => {
    const bridge = await loadBridge();
    expect(() => bridge.on('ipc:anything', () => undefined)).toThrow(/no event/);
    expect(() => bridge.on('status:changed', 'not a function')).toThrow();
    expect(fake.listeners.size).toBe(0);
  });
});
