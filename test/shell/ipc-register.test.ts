import { describe, expect, it } from 'vitest';
import { eventChannel } from '../../src/shared/events';
import { IPC_CHANNELS } from '../../src/shared/ipc';
import type { IpcGate } from '../../src/main/desktop/ipc-gate';
import { createBroadcaster, registerIpc } from '../../src/main/shell/ipc';

describe('registerIpc', () => {
  it('registers one handler per channel, each through the gate with the sender frame URL', async () => {
    const handlers = new Map<string, (event: unknown, input: unknown) => unknown>();
    const removed: string[] = [];
    const seen: unknown[][] = [];
    const gate: IpcGate = {
      isTrustedSender: () => true,
      dispatch: async (channel, input, url) => {
        seen.push([channel, input, url]);
        return { ok: true, value: null };
      },
    };
    const unregister = registerIpc(
      { handle: (channel: string, fn: never) => void handlers.set(channel, fn), removeHandler: (channel: string) => void removed.push(channel) } as never,
      gate,
    );
    expect([...handlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
    await handlers.get('status:get')!({ senderFrame: { url: 'file:///app/index.html' } }, { a: 1 });
    // A destroyed frame: no URL reaches the gate, which refuses it.
    await handlers.get('sync:now')!({ senderFrame: null }, undefined);
    expect(seen).toEqual([
      ['status:get', { a: 1 }, 'file:///app/index.html'],
      ['sync:now', undefined, undefined],
    ]);
    unregister();
    expect(removed.sort()).toEqual([...IPC_CHANNELS].sort());
  });
});

describe('createBroadcaster', () => {
  it('sends events only to live windows showing the app page', () => {
    const sent: [string, string, unknown][] = [];
    const contents = (name: string, url: string, destroyed = false) => ({
      send: (channel: string, payload: unknown) => void sent.push([name, channel, payload]),
      isDestroyed: () => destroyed,
      getURL: () => url,
    });
    const broadcast = createBroadcaster(
      () => [contents('app', 'file:///app/index.html'), contents('gone', 'file:///app/index.html', true), contents('other', 'https://x.example/')],
      (url) => url === 'file:///app/index.html',
    );
    broadcast('sync:progress', { kind: 'inventory', phase: 'writing', done: 1, total: 2 });
    expect(sent).toEqual([['app', eventChannel('sync:progress'), { kind: 'inventory', phase: 'writing', done: 1, total: 2 }]]);
  });
});
